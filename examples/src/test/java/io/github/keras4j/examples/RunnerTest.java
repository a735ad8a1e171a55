package io.github.keras4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Runner.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void noArgumentsListsTheExamplesWithExitCode2() {
    assertEquals(2, run());
    assertTrue(err().contains("No example given"), err());
    for (String name : new String[] {"xor", "iris", "regression", "bench", "soak"}) {
      assertTrue(err().contains("  " + name + " "), err());
    }
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unknownExampleNamesTheChoices() {
    assertEquals(2, run("mnist"));
    assertTrue(err().startsWith("Unknown example 'mnist'. Choose one of " + Runner.EXAMPLES.keySet() + "."), err());
    assertTrue(err().startsWith("Unknown example 'mnist'. Choose one of [xor, iris, regression, bench"), err());
    assertTrue(err().contains("Usage:"), err());
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertEquals(2, run("xor", "--epochs", "many"));
    assertTrue(err().contains("Option --epochs expects an integer. Received: many"), err());
    assertEquals(2, run("xor", "--epochs", "0"));
    assertTrue(err().contains("epochs must be a positive integer. Received: epochs=0"), err());
    assertEquals(2, run("xor", "--speed", "3"));
    assertTrue(err().contains("Unknown option '--speed'"), err());
    assertEquals(2, run("xor", "--seed"));
    assertTrue(err().contains("Option --seed needs a value"), err());
  }

  @Test
  void aGpuRunOnTheCpuBuildIsRefusedWithTheWayOut() {
    // The build under test ships TensorFlow's CPU natives, so no GPU is visible.
    assertEquals(2, run("xor", "--device", "gpu"));
    assertTrue(err().contains("TensorFlow sees no GPU") && err().contains("mvn -Pgpu"), err());
    assertEquals(2, run("xor", "--device", "tpu"));
    assertTrue(err().contains("device must be 'cpu' or 'gpu'. Received: device=tpu"), err());
  }

  @Test
  void parsesEveryOption() {
    ExampleOptions o = Runner.parseOptions(new String[] {"bench", "--epochs", "7", "--seed", "-3", "--data", "d",
        "--logdir", "l", "--samples", "9", "--steps", "11", "--windows", "2"});
    assertEquals(7, o.epochsOr(1));
    assertEquals(-3, o.seed());
    assertEquals(Path.of("d"), o.dataDir());
    assertEquals(Path.of("l"), o.logDir());
    assertEquals(9, o.samplesOr(1));
    assertEquals(11, o.stepsOr(1));
    assertEquals(2, o.windowsOr(1));
    ExampleOptions defaults = Runner.parseOptions(new String[] {"xor"});
    assertEquals(ExampleOptions.DEFAULT_SEED, defaults.seed());
    assertEquals(5, defaults.epochsOr(5));
  }

  @Test
  void failingExampleExitsWith1AndSaysWhy(@org.junit.jupiter.api.io.TempDir Path empty) {
    assertEquals(1, run("iris", "--data", empty.toString()));
    assertTrue(err().contains("Example 'iris' failed: ") && err().contains("Iris data not found"), err());
  }

  @Test
  void runsAnExampleAndPrintsTheResultLineLast() {
    assertEquals(0, run("xor", "--epochs", "2"));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    Map<String, String> fields = Result.parse(lines[lines.length - 1]);
    assertEquals("xor", fields.get("name"));
    assertTrue(fields.containsKey("accuracy") && fields.containsKey("seconds"), fields.toString());
  }
}
