package io.github.keras4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * ScheduleFreeAdamW against keras/src/optimizers/schedule_free_adamw.py, written out in plain Java doubles in
 * {@link #reference}, and against the checks of Keras's own keras/src/optimizers/schedule_free_adamw_test.py.
 */
class ScheduleFreeAdamWTest {

  /** A matrix and a vector. */
  private static final String[] NAMES = {"dense/kernel", "dense/bias"};

  private static final Shape[] SHAPES = {Shape.of(2, 3), Shape.of(3)};

  private static final float[][] INITIAL = {LayerChecks.randomValues(6, 1), LayerChecks.randomValues(3, 2)};

  /** Gradients of steps 1-4 for both variables. */
  private static final float[][][] GRADIENTS = new float[4][2][];

  static {
    for (int k = 0; k < GRADIENTS.length; k++) {
      GRADIENTS[k][0] = LayerChecks.randomValues(6, 10 + k);
      GRADIENTS[k][1] = LayerChecks.randomValues(3, 20 + k);
    }
  }

  /**
   * keras/src/optimizers/schedule_free_adamw.py: build copies each variable into its momentum z (v = 0); each step
   * {@code t} applies the base-class weight decay {@code y -= y * weightDecay * lr} to the variables with
   * {@code decays[i]}, then update_step: warmup {@code lr * min(t / warmup, 1)}; {@code v += (g^2 - v)(1 - b2)};
   * {@code z' = z - lr g / (sqrt(v / (1 - b2^t)) + eps)}; {@code x = (y - (1 - b1) z) / b1} with the z before the
   * step; {@code x' = (1 - 1/t) x + z' / t}; {@code y' = (1 - b1) z' + b1 x'}. Returns {@code out[k][i][j]}.
   */
  private static double[][][] reference(double[] lr, double weightDecay, boolean[] decays, double b1, double b2,
      double eps, int warmup, float[][] initial, float[][][] grads) {
    int n = initial.length;
    double[][] y = new double[n][];
    double[][] z = new double[n][];
    double[][] v = new double[n][];
    for (int i = 0; i < n; i++) {
      y[i] = new double[initial[i].length];
      for (int j = 0; j < y[i].length; j++) {
        y[i][j] = initial[i][j];
      }
      z[i] = y[i].clone();
      v[i] = new double[y[i].length];
    }
    double[][][] out = new double[grads.length][n][];
    for (int k = 0; k < grads.length; k++) {
      int t = k + 1;
      double rate = warmup > 0 ? lr[k] * Math.min((double) t / warmup, 1) : lr[k];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < y[i].length; j++) {
          if (decays[i]) {
            y[i][j] -= y[i][j] * weightDecay * lr[k];
          }
          double g = grads[k][i][j];
          v[i][j] += (g * g - v[i][j]) * (1 - b2);
          double zNew = z[i][j] - rate * g / (Math.sqrt(v[i][j] / (1 - Math.pow(b2, t))) + eps);
          double x = (y[i][j] - (1 - b1) * z[i][j]) / b1;
          double xNew = (1 - 1.0 / t) * x + zNew / t;
          y[i][j] = (1 - b1) * zNew + b1 * xNew;
          z[i][j] = zNew;
        }
        out[k][i] = y[i].clone();
      }
    }
    return out;
  }

  private static float[][][] firstSteps(int steps) {
    float[][][] out = new float[steps][][];
    System.arraycopy(GRADIENTS, 0, out, 0, steps);
    return out;
  }

  @Test
  void defaultsAndConfigAreKeras() {
    ScheduleFreeAdamW opt = new ScheduleFreeAdamW();
    assertTrue(opt.name().startsWith("schedule_free_adam_w"), opt.name());
    Map<String, Object> config = opt.getConfig();
    assertEquals(List.of("name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
        "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps",
        "beta_1", "beta_2", "epsilon", "warmup_steps"), List.copyOf(config.keySet()));
    assertEquals(0.0025f, config.get("learning_rate"));
    assertNull(config.get("weight_decay"));
    assertEquals(0.9f, config.get("beta_1"));
    assertEquals(0.999f, config.get("beta_2"));
    assertEquals(1e-8f, config.get("epsilon"));
    assertEquals(0, config.get("warmup_steps"));
  }

  @Test
  void threeStepsFollowKerasFormula() {
    float[][][] w = FedSteps.run(new ScheduleFreeAdamW(0.1f), NAMES, SHAPES, INITIAL, firstSteps(3));
    MuonTest.assertClose(reference(new double[] {0.1, 0.1, 0.1}, 0, new boolean[2], 0.9f, 0.999f, 1e-8f, 0,
        INITIAL, firstSteps(3)), w, 1e-6);
  }

  @Test
  void scheduleWarmupAndWeightDecayFollowKerasFormula() {
    // A schedule (0.2, 0.1, 0.05, 0.025), warmup over 3 steps, weight decay 0.1 except on the bias.
    ScheduleFreeAdamW opt = new ScheduleFreeAdamW(new ExponentialDecay(0.2, 1, 0.5), 0.8f, 0.99f, 1e-3f, 3);
    opt.weightDecay(0.1f).excludeFromWeightDecay("bias");
    float[][][] w = FedSteps.run(opt, NAMES, SHAPES, INITIAL, GRADIENTS);
    MuonTest.assertClose(reference(new double[] {0.2, 0.1, 0.05, 0.025}, 0.1, new boolean[] {true, false}, 0.8f,
        0.99f, 1e-3f, 3, INITIAL, GRADIENTS), w, 1e-6);
  }

  @Test
  void gradientAccumulationUpdatesWithTheMeanEveryOtherStep() {
    // Steps 1 and 3 only accumulate; steps 2 and 4 are Keras's updates 1 and 2 on the mean gradients (the momentum
    // copied from the variables on the first real update).
    float[][][] w = FedSteps.run(new ScheduleFreeAdamW(0.1f).weightDecay(0.05f).gradientAccumulationSteps(2),
        NAMES, SHAPES, INITIAL, GRADIENTS);
    float[][][] means = new float[2][2][];
    for (int u = 0; u < 2; u++) {
      for (int i = 0; i < 2; i++) {
        means[u][i] = new float[INITIAL[i].length];
        for (int j = 0; j < means[u][i].length; j++) {
          means[u][i][j] = (GRADIENTS[2 * u][i][j] + GRADIENTS[2 * u + 1][i][j]) / 2;
        }
      }
    }
    double[][][] expected = reference(new double[] {0.1, 0.1}, 0.05, new boolean[] {true, true}, 0.9f, 0.999f,
        1e-8f, 0, INITIAL, means);
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(INITIAL[i], w[0][i], "step 1 only accumulates");
      assertArrayEquals(w[1][i], w[2][i], "step 3 only accumulates");
    }
    MuonTest.assertClose(new double[][][] {expected[0], expected[1]}, new float[][][] {w[1], w[3]}, 1e-6);
  }

  @Test
  void weightDecayMatchesKerasTest() {
    // keras/src/optimizers/schedule_free_adamw_test.py test_weight_decay: learning rate 1, weight decay 0.004, a
    // zero gradient: a variable excluded by name stays 2.0. The other one is back at 2.0 after step 1 as well:
    // Keras copied it into the momentum before decaying it, and step 1 (weight 1/t = 1) sets y = z. Step 2 keeps
    // part of the decay: y = 0.2 + 0.9 * (0.5 * (1.992 - 0.2) / 0.9 + 0.5 * 2) = 1.996.
    ScheduleFreeAdamW opt = new ScheduleFreeAdamW(1f);
    opt.weightDecay(0.004f).excludeFromWeightDecay("exclude");
    float[][][] w = FedSteps.run(opt, new String[] {"w/v", "exclude/v"}, new float[][] {{2f}, {2f}},
        new float[][][] {{{0f}, {0f}}, {{0f}, {0f}}});
    assertEquals(2f, w[0][0][0], 1e-6f);
    assertEquals(2f, w[0][1][0], 1e-6f);
    assertEquals(1.996f, w[1][0][0], 1e-6f);
    assertEquals(2f, w[1][1][0], 1e-6f);
  }

  @Test
  void warmupAndManyStepsBehaveAsKerasTests() {
    // keras/src/optimizers/schedule_free_adamw_test.py test_warmup: learning rate 0.5, warmup 10 moves less than
    // no warmup after one step (rate 0.05 instead of 0.5; in step 1 y moves by exactly -lr g / (|g| + eps)).
    float[] start = {1f, 2f, 3f};
    float[] noWarmup = OneStep.run(new ScheduleFreeAdamW(0.5f), start, new float[] {1f, 1f, 1f}, 1);
    float[] warmup = OneStep.run(new ScheduleFreeAdamW(0.5f, 0.9f, 0.999f, 1e-8f, 10), start,
        new float[] {1f, 1f, 1f}, 1);
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, noWarmup, 1e-6f);
    assertArrayEquals(new float[] {0.95f, 1.95f, 2.95f}, warmup, 1e-6f);
    // test_single_step: learning rate 0.5, gradient [1, 6, 7, 2] changes [1, 2, 3, 4] (each by -0.5 here).
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f},
        OneStep.run(new ScheduleFreeAdamW(0.5f), new float[] {1f, 2f, 3f, 4f}, new float[] {1f, 6f, 7f, 2f}, 1),
        1e-6f);
    // test_multiple_steps: learning rate 0.01, ten steps of gradient 0.1 lower every element.
    float[] ten = OneStep.run(new ScheduleFreeAdamW(0.01f), start, new float[] {0.1f, 0.1f, 0.1f}, 10);
    for (int j = 0; j < 3; j++) {
      assertTrue(ten[j] < start[j], "element " + j + ": " + ten[j]);
    }
  }

  @Test
  void slotsAreKerasPlusTheInitialisationFlag() {
    assertEquals(Map.of("learning_rate", Shape.scalar(), "dense/kernel/momentum", Shape.of(3, 4),
        "dense/kernel/velocity", Shape.of(3, 4), "dense/kernel/initialized", Shape.scalar()),
        FedSteps.optimizerVariables(new ScheduleFreeAdamW(), "dense/kernel", Shape.of(3, 4)));
  }

  @Test
  void lookupByName() {
    assertTrue(Optimizers.get("schedulefreeadamw") instanceof ScheduleFreeAdamW);
    assertTrue(Optimizers.get("ScheduleFreeAdamW") instanceof ScheduleFreeAdamW);
    assertEquals(0.0025f, Optimizers.get("schedulefreeadamw").getLearningRate());
  }

  @Test
  void rejectsBadSettings() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ScheduleFreeAdamW(0.01f, 0f, 0.999f, 1e-8f, 0));
    assertTrue(e.getMessage().matches("Optimizer 'schedule_free_adam_w(_\\d+)?': beta1 must be in \\(0, 1\\] "
        + "\\(x is recovered dividing by beta1\\)\\. Received: beta1=0\\.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ScheduleFreeAdamW(0.01f, 0.9f, 1f, 1e-8f, 0));
    assertTrue(e.getMessage().endsWith("beta2 must be in [0, 1). Received: beta2=1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ScheduleFreeAdamW(0.01f, 0.9f, 0.999f, -1f, 0));
    assertTrue(e.getMessage().endsWith("epsilon must be a finite number >= 0. Received: epsilon=-1.0"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ScheduleFreeAdamW(0.01f, 0.9f, 0.999f, 1e-8f, -5));
    assertTrue(e.getMessage().endsWith("warmupSteps must be an integer >= 0. Received: warmupSteps=-5"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ScheduleFreeAdamW(0f));
    assertTrue(e.getMessage().contains("learningRate must be a positive finite number"), e.getMessage());
  }
}
