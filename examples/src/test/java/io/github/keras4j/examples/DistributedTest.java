package io.github.keras4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.distribution.Distributions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code distributed} launcher: the regression example on 2 local workers + 1 ps gives the RESULT of the same
 * run in one process, the cluster's child JVMs are gone afterwards, and usage errors start no process.
 */
class DistributedTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Runner.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String lastLine() {
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static long childJvms() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
  }

  @Test
  void regressionOnTwoWorkersMatchesOneProcess() {
    String[] example = {"regression", "--samples", "400", "--epochs", "2", "--seed", "5"};
    assertEquals(0, run(example), err.toString(StandardCharsets.UTF_8));
    Map<String, String> single = Result.parse(lastLine());

    String[] launched = new String[example.length + 5];
    System.arraycopy(new String[] {"distributed", "--workers", "2", "--ps", "1"}, 0, launched, 0, 5);
    System.arraycopy(example, 0, launched, 5, example.length);
    assertEquals(0, run(launched), err.toString(StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Local cluster {\"worker\": [\"127.0.0.1:"), text);
    assertTrue(text.contains("variables on [/job:ps/task:0]"), text);
    Map<String, String> distributed = Result.parse(lastLine());
    assertEquals("regression", distributed.get("name"));
    assertEquals("2", distributed.get("workers"));
    assertEquals("1", distributed.get("ps"));
    // Same seed, same batches, same initial weights: each batch of 32 is split 16 + 16 over the workers and the
    // gradients added on the ps, so the metrics differ by float32 rounding only, far below the printed 4 decimals'
    // last digit (1e-4); 2e-4 allows one rounding step either way.
    for (String key : List.of("mae", "mse")) {
      double a = Double.parseDouble(single.get(key));
      double b = Double.parseDouble(distributed.get(key));
      assertEquals(a, b, 2e-4, key + ": one process " + lastLine());
    }
    assertNull(Distributions.get(), "the launcher resets the process-wide distribution");
    assertEquals(0, childJvms(), "the cluster's JVMs are gone");
  }

  @Test
  void usageErrorsStartNoCluster() {
    assertEquals(2, run("distributed"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("No example given after 'distributed'"));
    assertEquals(2, run("distributed", "--workers", "two", "xor"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--workers expects an integer. Received: two"));
    assertEquals(2, run("distributed", "--workers", "0", "xor"));
    assertEquals(2, run("distributed", "--gpus", "2", "xor"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown launcher option '--gpus'"));
    assertEquals(2, run("distributed", "--workers", "2", "nosuch"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown example 'nosuch'"));
    assertEquals(0, childJvms());
  }
}
