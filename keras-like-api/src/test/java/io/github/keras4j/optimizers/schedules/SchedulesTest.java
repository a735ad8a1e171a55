package io.github.keras4j.optimizers.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.TrainingSerialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Each schedule's {@code valueAt} against values worked out by hand from the formulas of Keras 3's
 * {@code keras/src/optimizers/schedules/learning_rate_schedule.py} (several from its tests), and its graph form
 * against {@code valueAt}.
 */
class SchedulesTest {

  /**
   * Checks {@code valueAt(steps[i]) == expected[i]} (to 1e-12 relative: both are double) and that the graph
   * computes the same in float32 (to 1e-6 relative).
   */
  private static void assertSchedule(LearningRateSchedule schedule, long[] steps, double[] expected) {
    for (int i = 0; i < steps.length; i++) {
      assertEquals(expected[i], schedule.valueAt(steps[i]), 1e-12 * Math.max(1, Math.abs(expected[i])),
          "valueAt(" + steps[i] + ")");
    }
    float[] graph = graphValues(schedule, steps);
    for (int i = 0; i < steps.length; i++) {
      assertEquals(expected[i], graph[i], 1e-6 * Math.abs(expected[i]) + 1e-9, "graph value at " + steps[i]);
    }
  }

  /** The schedule's graph form evaluated at each step. */
  private static float[] graphValues(LearningRateSchedule schedule, long... steps) {
    try (GraphRuntime rt = new GraphRuntime()) {
      List<Operand<TFloat32>> values = new ArrayList<>();
      for (long step : steps) {
        values.add(schedule.call(rt.tf(), rt.tf().constant(step)));
      }
      Session.Runner runner = rt.session().runner();
      values.forEach(runner::fetch);
      try (Result r = runner.run()) {
        float[] out = new float[steps.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = ((TFloat32) r.get(i)).getFloat();
        }
        return out;
      }
    }
  }

  @Test
  void exponentialDecay() {
    // 0.1 * 0.5^(step / 10)
    assertSchedule(new ExponentialDecay(0.1, 10, 0.5), new long[] {0, 5, 10, 25},
        new double[] {0.1, 0.1 * Math.sqrt(0.5), 0.05, 0.1 * 0.25 * Math.sqrt(0.5)});
    // staircase: 0.1 * 0.5^floor(step / 10)
    assertSchedule(new ExponentialDecay(0.1, 10, 0.5, true), new long[] {0, 9, 10, 19, 25},
        new double[] {0.1, 0.1, 0.05, 0.05, 0.025});
    // Keras test_continuous: 0.05 * 0.96^(5 / 10); test_staircase: 0.1 * 0.96^(100 // 3)
    assertSchedule(new ExponentialDecay(0.05, 10, 0.96), new long[] {5}, new double[] {0.05 * Math.sqrt(0.96)});
    assertSchedule(new ExponentialDecay(0.1, 3, 0.96, true), new long[] {1, 2, 100},
        new double[] {0.1, 0.1, 0.1 * Math.pow(0.96, 33)});
  }

  @Test
  void piecewiseConstantDecay() {
    // Keras test_piecewise_values: a boundary step still has the value before it
    assertSchedule(
        new PiecewiseConstantDecay(new long[] {100, 110, 120}, new double[] {1.0, 0.1, 0.01, 0.001}),
        new long[] {0, 100, 101, 105, 110, 111, 120, 121, 999},
        new double[] {1.0, 1.0, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001});
    // Keras test_boundary_values
    assertSchedule(
        new PiecewiseConstantDecay(new long[] {1, 2, 3}, new double[] {0.4, 0.5, 0.6, 0.7}),
        new long[] {0, 1, 2, 3, 4}, new double[] {0.4, 0.4, 0.5, 0.6, 0.7});
    // a single boundary
    assertSchedule(new PiecewiseConstantDecay(new long[] {0}, new double[] {0.5, 0.1}),
        new long[] {0, 1, 1000}, new double[] {0.5, 0.1, 0.1});
  }

  @Test
  void inverseTimeDecay() {
    // 0.1 / (1 + 0.96 * step / 10): 1.48 at step 5, 1.96 at step 10
    assertSchedule(new InverseTimeDecay(0.1, 10, 0.96), new long[] {0, 5, 10},
        new double[] {0.1, 0.1 / 1.48, 0.1 / 1.96});
    // staircase: floor(step / 10): 0 at step 9, 1 at 10, 2 at 25
    assertSchedule(new InverseTimeDecay(0.1, 10, 0.96, true), new long[] {0, 9, 10, 25},
        new double[] {0.1, 0.1, 0.1 / 1.96, 0.1 / 2.92});
  }

  @Test
  void polynomialDecay() {
    // Keras LinearDecayTest: (0.05 - end) * (1 - step / 10) + end
    assertSchedule(new PolynomialDecay(0.05, 10, 0.0), new long[] {0, 5}, new double[] {0.05, 0.025});
    assertSchedule(new PolynomialDecay(0.05, 10, 0.001), new long[] {5, 10, 15},
        new double[] {0.0255, 0.001, 0.001}); // halfway: 0.049 * 0.5 + 0.001; beyond the end: stays at 0.001
    // cycle: decaySteps becomes 10 * ceil(step / 10): 20 at step 15 -> 0.049 * 0.25 + 0.001 (Keras
    // test_beyond_end_with_cycle); 10 at step 10 -> end; 20 at step 11 -> 0.049 * 0.45 + 0.001; 10 at step 0
    assertSchedule(new PolynomialDecay(0.05, 10, 0.001, 1.0, true), new long[] {0, 10, 11, 15},
        new double[] {0.05, 0.001, 0.02305, 0.01325});
    // Keras SqrtDecayTest: power 0.5, halfway: 0.049 * sqrt(0.5) + 0.001; with cycle at 15: 0.049 * 0.5 + 0.001
    assertSchedule(new PolynomialDecay(0.05, 10, 0.001, 0.5, false), new long[] {5, 15},
        new double[] {0.049 * Math.sqrt(0.5) + 0.001, 0.001});
    assertSchedule(new PolynomialDecay(0.05, 10, 0.001, 0.5, true), new long[] {15}, new double[] {0.0255});
    // Keras's default end 1e-4: 0.0999 * 0.5 + 0.0001
    assertSchedule(new PolynomialDecay(0.1, 10), new long[] {5, 10}, new double[] {0.05005, 0.0001});
  }

  @Test
  void cosineDecay() {
    // 0.5 * (1 + cos(pi * min(step, 1000) / 1000)): cos(pi / 4) = sqrt(0.5) at 250, 0 at 500, -1 at 1000
    double at250 = 0.5 * (1 + Math.sqrt(0.5));
    assertSchedule(new CosineDecay(1.0, 1000), new long[] {0, 250, 500, 1000, 1250},
        new double[] {1.0, at250, 0.5, 0.0, 0.0});
    // alpha 0.1: (1 - 0.1) * decay + 0.1
    assertSchedule(new CosineDecay(1.0, 1000, 0.1), new long[] {0, 250, 500, 1250},
        new double[] {1.0, 0.9 * at250 + 0.1, 0.55, 0.1});
  }

  @Test
  void cosineDecayWithWarmup() {
    // Keras test_warmup_decay: from 0 up to 10 in 2000 steps (10 * step / 2000), then 10 * cosine decay over 1000
    assertSchedule(new CosineDecay(0.0, 1000, 0.0, 10.0, 2000), new long[] {0, 500, 1999, 2000, 2250, 2500, 3000, 3500},
        new double[] {0.0, 2.5, 9.995, 10.0, 10 * 0.5 * (1 + Math.sqrt(0.5)), 5.0, 0.0, 0.0});
    // warmup from 0.5: (1 - 0.5) * step / 4 + 0.5
    assertSchedule(new CosineDecay(0.5, 10, 0.0, 1.0, 4), new long[] {0, 1, 2, 4},
        new double[] {0.5, 0.625, 0.75, 1.0});
    // a warmup target with no warmup steps: the decay starts from the target
    assertSchedule(new CosineDecay(0.5, 100, 0.0, 1.0, 0), new long[] {0, 50}, new double[] {1.0, 0.5});
  }

  @Test
  void cosineDecayRestartsWithDoublingPeriods() {
    // first period 10, t_mul 2: periods [0, 10), [10, 30), [30, 70). At step 20, c = 2:
    // i = floor(log(1 + 2) / log 2) = 1, f = (2 - (1 - 2) / (1 - 2)) / 2 = 0.5; at step 50, c = 5:
    // i = floor(log 6 / log 2) = 2, f = (5 - 3) / 4 = 0.5; restarts at 10 and 30 give f = 0, the peak.
    double at9 = 0.5 * (1 + Math.cos(0.9 * Math.PI));
    double at25 = 0.5 * (1 - Math.sqrt(0.5)); // f = (2.5 - 1) / 2 = 0.75
    assertSchedule(new CosineDecayRestarts(1.0, 10), new long[] {0, 5, 9, 10, 20, 25, 30, 50},
        new double[] {1.0, 0.5, at9, 1.0, 0.5, at25, 1.0, 0.5});
    // m_mul 0.5 halves each peak (not alpha's floor), alpha 0.1, from 2.0: lr = 2 * (0.9 * 0.5 * 0.5^i * (1 +
    // cos(pi f)) + 0.1): step 5 (i 0, f 0.5) 1.1; step 10 (i 1, f 0) 1.1; step 20 (i 1, f 0.5) 0.65;
    // step 30 (i 2, f 0) 0.65; step 50 (i 2, f 0.5) 2 * (0.9 * 0.125 + 0.1) = 0.425
    assertSchedule(new CosineDecayRestarts(2.0, 10, 2.0, 0.5, 0.1), new long[] {0, 5, 10, 20, 30, 50},
        new double[] {2.0, 1.1, 1.1, 0.65, 0.65, 0.425});
  }

  @Test
  void cosineDecayRestartsWithFixedAndTripledPeriods() {
    // t_mul 1: every period lasts 4 steps; i = floor(step / 4), f = step / 4 - i
    double at7 = 0.5 * (1 - Math.sqrt(0.5));
    assertSchedule(new CosineDecayRestarts(1.0, 4, 1.0, 1.0, 0.0), new long[] {0, 2, 3, 4, 6, 7, 8, 401},
        new double[] {1.0, 0.5, at7, 1.0, 0.5, at7, 1.0, 0.5 * (1 + Math.cos(0.25 * Math.PI))});
    // t_mul 3, first period 2: periods [0, 2), [2, 8), [8, 26). Step 5: c = 2.5, i = floor(log(1 + 2 * 2.5) /
    // log 3) = 1, f = (2.5 - 1) / 3 = 0.5; step 17: c = 8.5, log(18) / log(3) = 2.63, i = 2, sum = (1 - 9) / (1 - 3)
    // = 4, f = (8.5 - 4) / 9 = 0.5; with m_mul 0.5 the peaks are 1, 0.5, 0.25
    assertSchedule(new CosineDecayRestarts(1.0, 2, 3.0, 0.5, 0.0), new long[] {0, 1, 5, 17},
        new double[] {1.0, 0.5, 0.25, 0.125});
  }

  @Test
  void cosineDecayRestartsConfigAndChecks() {
    Map<String, Object> config = new CosineDecayRestarts(0.05, 10).getConfig();
    assertEquals(List.of("initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha", "name"),
        List.copyOf(config.keySet()));
    assertEquals(List.of(0.05, 10L, 2.0, 1.0, 0.0, "SGDRDecay"), List.copyOf(config.values()));
    LearningRateSchedule restarts = new CosineDecayRestarts(0.05, 10, 3.0, 0.7, 0.2);
    LearningRateSchedule back = TrainingSerialization.deserializeSchedule(
        Json.parse(Json.write(TrainingSerialization.serializeSchedule(restarts)), "test"));
    assertTrue(back instanceof CosineDecayRestarts, back.getClass().getName());
    assertEquals(restarts.getConfig(), back.getConfig());
    assertEquals(restarts.valueAt(37), back.valueAt(37));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CosineDecayRestarts(0.1, 0));
    assertEquals("CosineDecayRestarts: argument firstDecaySteps must be > 0. Received: firstDecaySteps=0",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CosineDecayRestarts(0.1, 10, 0.0, 1.0, 0.0));
    assertEquals("CosineDecayRestarts: argument tMul must be a positive finite number. Received: tMul=0.0",
        e.getMessage());
  }

  @Test
  void configsHoldKerasNames() {
    assertEquals(
        Map.of("initial_learning_rate", 0.05, "decay_steps", 10L, "decay_rate", 0.96, "staircase", true,
            "name", "ExponentialDecay"),
        new ExponentialDecay(0.05, 10, 0.96, true).getConfig());
    assertEquals(
        Map.of("boundaries", List.of(10L, 20L), "values", List.of(1.0, 2.0, 3.0), "name", "PiecewiseConstant"),
        new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 2, 3}).getConfig());
    assertEquals(
        Map.of("initial_learning_rate", 0.05, "decay_steps", 10L, "decay_rate", 0.96, "staircase", false,
            "name", "InverseTimeDecay"),
        new InverseTimeDecay(0.05, 10, 0.96).getConfig());
    assertEquals(
        Map.of("initial_learning_rate", 0.1, "decay_steps", 100L, "end_learning_rate", 1e-4, "power", 1.0,
            "cycle", false, "name", "PolynomialDecay"),
        new PolynomialDecay(0.1, 100).getConfig());
    Map<String, Object> cosine = new CosineDecay(0.05, 10).getConfig();
    assertEquals(
        Arrays.asList("initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target", "warmup_steps"),
        List.copyOf(cosine.keySet()));
    assertEquals(null, cosine.get("warmup_target"));
    assertEquals(0L, cosine.get("warmup_steps"));
    assertEquals(0.2, new CosineDecay(0.05, 10, 0.1, 0.2, 2).getConfig().get("warmup_target"));
  }

  @Test
  void decayStepsMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, 0, 0.5));
    assertTrue(e.getMessage().contains("ExponentialDecay") && e.getMessage().contains("decaySteps must be > 0")
        && e.getMessage().contains("Received: decaySteps=0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new InverseTimeDecay(0.1, -1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new PolynomialDecay(0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 0));
    e = assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 10, 0, 0.2, -1));
    assertTrue(e.getMessage().contains("Received: warmupSteps=-1"), e.getMessage());
  }

  @Test
  void piecewiseConstantDecayChecksItsLists() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("should be 1 less than the length of values")
        && e.getMessage().contains("boundaries=[10, 20] of length 2, and values=[1.0, 2.0] of length 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PiecewiseConstantDecay(new long[] {}, new double[] {1}));
    e = assertThrows(
        IllegalArgumentException.class, () -> new PiecewiseConstantDecay(new long[] {20, 10}, new double[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
  }
}
