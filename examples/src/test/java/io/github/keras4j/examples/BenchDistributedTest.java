package io.github.keras4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** bench-distributed with tiny settings: every setting trains, and they agree on the loss. */
class BenchDistributedTest {

  @Test
  void tinyRunReportsThroughputAndAgreeingLosses() {
    Result r = BenchDistributed.run(new ExampleOptions().steps(4).windows(1));
    Map<String, String> fields = Result.parse(r.line());
    assertEquals("bench-distributed", fields.get("name"));
    for (String key : new String[] {"single_per_s", "workers1_per_s", "workers2_per_s"}) {
      assertTrue(r.get(key) > 0 && Double.isFinite(r.get(key)), r.line());
    }
    assertEquals(r.get("workers2_per_s") / r.get("single_per_s"), r.get("workers2_ratio"), 1e-9);
    // Random labels over 10 classes: the loss is near ln(10) = 2.30 after a few steps.
    assertTrue(Math.abs(r.get("loss") - Math.log(10)) < 0.5, r.line());
    // The same 14 steps from the same weights; replicas only reorder float32 sums.
    assertTrue(r.get("max_loss_diff") < 1e-4, r.line());
    assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count());
  }
}
