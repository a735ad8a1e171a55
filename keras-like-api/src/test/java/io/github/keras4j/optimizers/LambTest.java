package io.github.keras4j.optimizers;

import static io.github.keras4j.optimizers.KerasReference.GRADIENTS;
import static io.github.keras4j.optimizers.KerasReference.INITIAL;
import static io.github.keras4j.optimizers.KerasReference.constant;
import static io.github.keras4j.optimizers.KerasReference.exponential;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.TrainingSerialization;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Lamb against keras/src/optimizers/lamb.py, written out in plain doubles in {@link #reference}, and against the
 * numbers of keras/src/optimizers/lamb_test.py.
 */
class LambTest {

  /**
   * keras/src/optimizers/lamb.py update_step for each variable {@code i} separately (the trust ratio is per
   * variable), with the base class's weight decay first: {@code m += (g - m) * (1 - b1); v += (g^2 - v) * (1 - b2);
   * update = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps); ratio = |w| / |update| if both > 0 else 1;
   * w -= ratio * lr * update}. Returns {@code out[k][i][j]}: variable {@code i} after step {@code k + 1}.
   */
  static double[][][] reference(double[] lr, double weightDecay, double b1, double b2, double eps, float[][] initial,
      float[][][] grads) {
    int n = initial.length;
    double[][] w = new double[n][];
    double[][] m = new double[n][];
    double[][] v = new double[n][];
    for (int i = 0; i < n; i++) {
      w[i] = new double[initial[i].length];
      for (int j = 0; j < w[i].length; j++) {
        w[i][j] = initial[i][j];
      }
      m[i] = new double[w[i].length];
      v[i] = new double[w[i].length];
    }
    double[][][] out = new double[grads.length][n][];
    for (int k = 0; k < grads.length; k++) {
      int t = k + 1;
      for (int i = 0; i < n; i++) {
        double[] update = new double[w[i].length];
        double wSq = 0;
        double uSq = 0;
        for (int j = 0; j < w[i].length; j++) {
          w[i][j] -= w[i][j] * weightDecay * lr[k];
          double g = grads[k][i][j];
          m[i][j] += (g - m[i][j]) * (1 - b1);
          v[i][j] += (g * g - v[i][j]) * (1 - b2);
          update[j] = (m[i][j] / (1 - Math.pow(b1, t))) / (Math.sqrt(v[i][j] / (1 - Math.pow(b2, t))) + eps);
          wSq += w[i][j] * w[i][j];
          uSq += update[j] * update[j];
        }
        double wNorm = Math.sqrt(wSq);
        double uNorm = Math.sqrt(uSq);
        double ratio = wNorm > 0 && uNorm > 0 ? wNorm / uNorm : 1;
        for (int j = 0; j < w[i].length; j++) {
          w[i][j] -= ratio * lr[k] * update[j];
        }
        out[k][i] = w[i].clone();
      }
    }
    return out;
  }

  /** {@link #reference} for the one variable of {@link FedSteps#run(Optimizer, float[], float[][])}. */
  private static double[][] reference1(double[] lr, double weightDecay, float[] initial, float[][] grads) {
    float[][][] wrapped = new float[grads.length][][];
    for (int k = 0; k < grads.length; k++) {
      wrapped[k] = new float[][] {grads[k]};
    }
    double[][][] all = reference(lr, weightDecay, 0.9, 0.999, 1e-7, new float[][] {initial}, wrapped);
    double[][] out = new double[all.length][];
    for (int k = 0; k < all.length; k++) {
      out[k] = all[k][0];
    }
    return out;
  }

  @Test
  void defaultsAreKeras() {
    Lamb lamb = new Lamb();
    assertTrue(lamb.name().startsWith("lamb"), lamb.name());
    Map<String, Object> config = lamb.getConfig();
    assertEquals(List.of("name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
        "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps",
        "beta_1", "beta_2", "epsilon"), List.copyOf(config.keySet()));
    assertEquals(0.001f, config.get("learning_rate"));
    assertEquals(0.9f, config.get("beta_1"));
    assertEquals(0.999f, config.get("beta_2"));
    // keras/src/optimizers/lamb.py: epsilon=1e-7 (its docstring says 1e-7 too)
    assertEquals(1e-7f, config.get("epsilon"));
    assertEquals(null, config.get("weight_decay"));
  }

  @Test
  void singleStepMatchesKerasTest() {
    // keras/src/optimizers/lamb_test.py test_single_step: Lamb(learning_rate=0.5), to 1e-4
    float[] w = OneStep.run(new Lamb(0.5f), new float[] {1f, 2f, 3f, 4f}, new float[] {1f, 6f, 7f, 2f}, 1);
    assertArrayEquals(new float[] {-0.3693f, 0.6306f, 1.6306f, 2.6306f}, w, 1e-4f);
  }

  @Test
  void goldenValuesMatchKerasTest() {
    // keras/src/optimizers/lamb_test.py test_correctness_with_golden: Lamb(), x = ones(10), a first gradient of
    // 0.01 everywhere, then arange(0.1, 1.1, 0.1); x after each of the first 5 steps, to 5e-4.
    float[] initial = new float[10];
    Arrays.fill(initial, 1f);
    float[][] grads = new float[5][10];
    Arrays.fill(grads[0], 0.01f);
    for (int k = 1; k < 5; k++) {
      for (int j = 0; j < 10; j++) {
        grads[k][j] = 0.1f * (j + 1);
      }
    }
    float[][] w = FedSteps.run(new Lamb(), initial, grads);
    double[] golden = {0.999, 0.9982, 0.9974, 0.9965, 0.9955};
    for (int k = 0; k < 5; k++) {
      for (int j = 0; j < 10; j++) {
        assertEquals(golden[k], w[k][j], 5e-4 + 5e-4 * golden[k], "element " + j + " after step " + (k + 1));
      }
    }
  }

  @Test
  void threeStepsFollowKerasFormula() {
    float[][] w = FedSteps.run(new Lamb(0.1f), INITIAL, GRADIENTS);
    FedSteps.assertClose(reference1(constant(0.1, 3), 0, INITIAL, GRADIENTS), w);
  }

  @Test
  void scheduleAndWeightDecayFollowKerasFormula() {
    Optimizer lamb = new Lamb(new ExponentialDecay(0.1, 1, 0.5)).weightDecay(0.2f);
    float[][] w = FedSteps.run(lamb, INITIAL, GRADIENTS);
    FedSteps.assertClose(reference1(exponential(0.1, 0.5, 3), 0.2, INITIAL, GRADIENTS), w);
  }

  @Test
  void trustRatioIsPerVariable() {
    // Two variables whose norms differ by 100x with the same gradients: each moves by lr * its own norm.
    String[] names = {"dense/kernel", "dense/bias"};
    float[][] initial = {{0.5f, -0.25f, 1.5f, -1f}, {0.005f, -0.0025f, 0.015f, -0.01f}};
    float[][][] grads = new float[3][][];
    for (int k = 0; k < 3; k++) {
      grads[k] = new float[][] {GRADIENTS[k], GRADIENTS[k]};
    }
    float[][][] w = FedSteps.run(new Lamb(0.1f, 0.8f, 0.99f, 1e-6f), names, initial, grads);
    double[][][] expected = reference(constant(0.1, 3), 0, 0.8, 0.99, 1e-6, initial, grads);
    for (int i = 0; i < 2; i++) {
      double[][] e = new double[3][];
      float[][] a = new float[3][];
      for (int k = 0; k < 3; k++) {
        e[k] = expected[k][i];
        a[k] = w[k][i];
      }
      FedSteps.assertClose(e, a);
    }
    // step 1: the displacement's norm is lr * ||w|| (ratio * lr * ||update|| = lr * ||w||)
    for (int i = 0; i < 2; i++) {
      double moved = 0;
      double norm = 0;
      for (int j = 0; j < 4; j++) {
        moved += Math.pow(w[0][i][j] - initial[i][j], 2);
        norm += Math.pow(initial[i][j], 2);
      }
      assertEquals(0.1 * Math.sqrt(norm), Math.sqrt(moved), 1e-5 * Math.sqrt(norm), "variable " + i);
    }
  }

  @Test
  void zeroNormsUseARatioOfOne() {
    // ||w|| = 0: ratio 1, so step 1 moves by lr * update = lr * g / (|g| + eps) (m_hat = g, sqrt(v_hat) = |g|);
    // then w is no longer 0 and steps 2-3 use the trust ratio again (the reference covers all three).
    float[] zeros = {0f, 0f, 0f, 0f};
    float[][] w = FedSteps.run(new Lamb(0.1f), zeros, GRADIENTS);
    FedSteps.assertClose(reference1(constant(0.1, 3), 0, zeros, GRADIENTS), w);
    for (int j = 0; j < 4; j++) {
      float g = GRADIENTS[0][j];
      assertEquals(-0.1 * g / (Math.abs(g) + 1e-7), w[0][j], 1e-6, "element " + j);
    }
    // ||update|| = 0 (zero gradients, so m = 0): ratio 1 and no move at all.
    float[][] zeroGrads = new float[2][4];
    float[][] still = FedSteps.run(new Lamb(0.1f), INITIAL, zeroGrads);
    assertArrayEquals(INITIAL, still[0]);
    assertArrayEquals(INITIAL, still[1]);
  }

  @Test
  void weightDecayMatchesKerasTest() {
    // keras/src/optimizers/lamb_test.py test_weight_decay: Lamb(learning_rate=1.0, weight_decay=0.004), zero
    // gradient, var 2.0 applied by three optimizers: 2 * 0.996^3 = 1.9760959; an excluded variable stays 2.0.
    float[] w = {2f};
    for (int i = 0; i < 3; i++) {
      w = OneStep.run(new Lamb(1f).weightDecay(0.004f), w, new float[] {0f}, 1);
    }
    assertEquals(1.9760959f, w[0], 1e-6f);
    Optimizer excluding = new Lamb(1f).weightDecay(0.004f).excludeFromWeightDecay("v");
    assertEquals(2f, OneStep.run(excluding, new float[] {2f}, new float[] {0f}, 1)[0]);
  }

  @Test
  void slotsAreKerasMomentumAndVelocity() {
    assertEquals(Map.of("dense/kernel/momentum", Shape.of(3, 2), "dense/kernel/velocity", Shape.of(3, 2),
        "learning_rate", Shape.scalar()), FedSteps.optimizerVariables(new Lamb(), "dense/kernel", Shape.of(3, 2)));
  }

  @Test
  void configRoundTripAndLookupByName() {
    // keras/src/optimizers/lamb_test.py test_config: Lamb(learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5)
    Lamb lamb = new Lamb(0.5f, 0.5f, 0.67f, 1e-5f);
    lamb.clipnorm(1f);
    Object saved = Json.parse(Json.write(TrainingSerialization.serializeOptimizer(lamb)), "test");
    assertEquals("Lamb", ((Map<?, ?>) saved).get("class_name"));
    Optimizer back = TrainingSerialization.deserializeOptimizer(saved, null);
    assertInstanceOf(Lamb.class, back);
    Map<String, Object> expected = new LinkedHashMap<>(lamb.getConfig());
    Map<String, Object> actual = new LinkedHashMap<>(back.getConfig());
    expected.remove("name");
    actual.remove("name");
    assertEquals(expected, actual);
    assertEquals(0.67f, actual.get("beta_2"));
    assertEquals(1f, actual.get("clipnorm"));
    assertInstanceOf(Lamb.class, Optimizers.get("lamb"));
    assertInstanceOf(Lamb.class, Optimizers.get("Lamb"));
    assertEquals(0.001f, Optimizers.get("lamb").getConfig().get("learning_rate"));
  }

  @Test
  void rejectsBadSettings() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Lamb(0.001f, 1f, 0.999f, 1e-7f));
    assertTrue(e.getMessage().matches(
        "Optimizer 'lamb(_\\d+)?': beta1 must be in \\[0, 1\\)\\. Received: beta1=1\\.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Lamb(0.001f, 0.9f, -0.1f, 1e-7f));
    assertTrue(e.getMessage().contains("beta2 must be in [0, 1). Received: beta2=-0.1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Lamb(new ExponentialDecay(0.1, 1, 0.5), 0.9f, 0.999f, -1f));
    assertTrue(e.getMessage().contains("epsilon must be a finite number >= 0. Received: epsilon=-1.0"),
        e.getMessage());
  }
}
