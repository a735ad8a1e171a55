package io.github.keras4j.examples.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpisodeLogTest {

  @TempDir
  Path dir;

  @Test
  void progressLineHasTheMovingMeanAndTheExtrasInKeyOrder() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try (EpisodeLog log = new EpisodeLog("t", dir, 2, 2, 3)) {
      // A HashMap iterates these keys as [zeta, alpha] (checked on JDK 17): not their order.
      Map<String, Double> extras = new HashMap<>(Map.of("zeta", 1.0, "alpha", 2.0));
      log.episode(10, extras);
      log.episode(20, extras);
      log.episode(60, extras);
      assertEquals(40.0, log.meanLast(2), 0.0, "(20 + 60) / 2");
    } finally {
      System.setOut(saved);
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(2, lines.length, "printed at episode 2 (printEvery) and at the last, 3");
    assertTrue(lines[0].startsWith("t episode 2/3 - episode_return: 20.00 - mean_return_last2: 15.00 - alpha: 2.000"
        + " - zeta: 1.000 - "), lines[0]);
    assertTrue(lines[1].startsWith("t episode 3/3 - episode_return: 60.00 - mean_return_last2: 40.00 - alpha: 2.000"
        + " - zeta: 1.000 - "), lines[1]);
  }
}
