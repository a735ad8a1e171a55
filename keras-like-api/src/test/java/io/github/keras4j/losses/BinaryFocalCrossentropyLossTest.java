package io.github.keras4j.losses;

import static io.github.keras4j.losses.LossTestSupport.assertArrayClose;
import static io.github.keras4j.losses.LossTestSupport.compute;
import static io.github.keras4j.losses.LossTestSupport.sigmoid;
import static io.github.keras4j.losses.LossTestSupport.sumOverBatchSize;
import static io.github.keras4j.losses.LossTestSupport.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinaryFocalCrossentropyLossTest {

  private static final float[][] Y_TRUE = {{0, 1}, {0, 0}};
  private static final float[][] LOGITS = {{-18.6f, 0.51f}, {2.94f, -12.8f}};

  private static BinaryFocalCrossentropy logits(float gamma, boolean balanced) {
    return BinaryFocalCrossentropy.builder().gamma(gamma).fromLogits(true).applyClassBalancing(balanced).build();
  }

  /**
   * Keras 3's {@code binary_focal_crossentropy} in double, per sample: mean over the last axis of
   * {@code (1 - p_t)^gamma * bce} (times {@code y alpha + (1 - y)(1 - alpha)} when balanced), with
   * {@code p = sigmoid(x)} and the exact {@code -(y log p + (1 - y) log(1 - p))} for logits, clipped probabilities
   * otherwise.
   */
  static double[] bfce(double[][] t, double[][] p, boolean fromLogits, double gamma, boolean balanced, double alpha,
      double smoothing) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < t[i].length; j++) {
        double y = t[i][j] * (1 - smoothing) + 0.5 * smoothing;
        double prob;
        double bce;
        if (fromLogits) {
          prob = sigmoid(p[i][j]);
          bce = -(y * Math.log(prob) + (1 - y) * Math.log(1 - prob));
        } else {
          prob = p[i][j];
          double q = LossTestSupport.clip(prob);
          bce = -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
        }
        double pT = y * prob + (1 - y) * (1 - prob);
        double focal = Math.pow(1 - pT, gamma) * bce;
        if (balanced) {
          focal *= y * alpha + (1 - y) * (1 - alpha);
        }
        out[i] += focal / t[i].length;
      }
    }
    return out;
  }

  @Test
  void matchesKeras3Docstring() {
    // Keras 3 BinaryFocalCrossentropy docstring, example 1 (a flat (4,) input) and example 2.
    float[] flatTrue = {0, 1, 0, 0};
    float[] flatLogits = {-18.6f, 0.51f, 2.94f, -12.8f};
    assertEquals(0.691, compute(logits(2, false), flatTrue, flatLogits, null), 1e-3);
    assertEquals(0.51, compute(logits(2, true), flatTrue, flatLogits, null), 1e-2);
    assertEquals(0.647, compute(logits(3, false), Y_TRUE, LOGITS, null), 1e-3);
    assertEquals(0.482, compute(logits(3, true), Y_TRUE, LOGITS, null), 1e-3);
    float[] w = {0.8f, 0.2f};
    assertEquals(0.133, compute(logits(3, false), Y_TRUE, LOGITS, w), 1e-3);
    assertEquals(0.097, compute(logits(3, true), Y_TRUE, LOGITS, w), 1e-3);
    // reduction="sum" over the 2 samples = 2 x sum_over_batch_size.
    assertEquals(1.222, 2 * compute(logits(4, false), Y_TRUE, LOGITS, null), 1e-3);
    assertEquals(0.914, 2 * compute(logits(4, true), Y_TRUE, LOGITS, null), 1e-3);
    // reduction=None: the per-sample values of call.
    assertArrayClose(new double[] {0.0017, 1.1561}, LossTestSupport.call(logits(5, false), Y_TRUE, LOGITS), 1e-4);
    assertArrayClose(new double[] {0.0004, 0.8670}, LossTestSupport.call(logits(5, true), Y_TRUE, LOGITS), 1e-4);
    // The function's docstring: probabilities [[0.6, 0.4], [0.4, 0.6]], gamma=2 -> [0.330, 0.206].
    assertArrayClose(new double[] {0.330, 0.206},
        LossTestSupport.call(new BinaryFocalCrossentropy(), Y_TRUE, new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}}), 1e-3);
  }

  @Test
  void matchesKeras3TestsWithScalarAndPerSampleWeights() {
    // keras/src/losses/losses_test.py, BinaryFocalCrossentropyTest.
    float[][] t = {{1, 0}, {1, 0}};
    float[][] p = {{0.9f, 0.8f}, {0.7f, 0.2f}};
    BinaryFocalCrossentropy gamma2 = BinaryFocalCrossentropy.builder().gamma(2).build();
    assertEquals(0.268, compute(gamma2, t, p, null), 1e-3);
    assertEquals(0.3296, compute(gamma2, t, p, new float[] {1.23f}), 1e-3);
    assertEquals(0.34415, compute(gamma2, t, p, new float[][] {{1.2f}, {3.4f}}), 1e-3);
    assertArrayClose(new double[] {0.515547, 0.020513}, LossTestSupport.call(gamma2, t, p), 1e-5);
    float[][] t2 = {{1, 1, 0}, {0, 1, 0}};
    float[][] x2 = {{1.5f, -2.7f, 2.9f}, {-3.8f, 1.2f, -4.5f}};
    assertEquals(0.799, compute(logits(3, false), t2, x2, null), 1e-3);
    assertEquals(2.565, compute(logits(3, false), t2, x2, new float[] {3.21f}), 1e-3);
    assertEquals(0.95977, compute(logits(3, false), t2, x2, new float[][] {{1.2f}, {3.4f}}), 1e-3);
    // All correct: the loss vanishes.
    float[][] eye = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    assertEquals(0, compute(BinaryFocalCrossentropy.builder().gamma(1.5f).build(), eye, eye, null), 1e-3);
  }

  @Test
  void matchesTheFormulaWithSmoothingBalancingAndWeights() {
    float[][] t = {{0, 1, 1}, {1, 0, 0.3f}};
    float[][] p = {{0.2f, 0.7f, 0.9f}, {0.4f, 0.35f, 0.6f}};
    float[] w = {0.4f, 1.7f};
    Loss loss = BinaryFocalCrossentropy.builder().gamma(1.5f).alpha(0.6f).applyClassBalancing(true)
        .labelSmoothing(0.2f).build();
    double expected = sumOverBatchSize(bfce(toDouble(t), toDouble(p), false, 1.5, true, 0.6, 0.2), toDouble(w));
    assertEquals(expected, compute(loss, t, p, w), 1e-6);
    assertArrayClose(bfce(toDouble(t), toDouble(p), false, 1.5, true, 0.6, 0.2), LossTestSupport.call(loss, t, p),
        1e-6);
  }

  @Test
  void logitsAgreeWithProbabilitiesAfterSigmoid() {
    float[][] t = {{0, 1, 1}, {1, 0, 0.3f}};
    float[][] x = {{-2.5f, 0.7f, 3.1f}, {0.2f, -0.9f, 1.4f}};
    float[][] p = new float[2][3];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        p[i][j] = (float) sigmoid(x[i][j]);
      }
    }
    float[] w = {0.4f, 1.7f};
    BinaryFocalCrossentropy.Builder b = BinaryFocalCrossentropy.builder().applyClassBalancing(true).labelSmoothing(0.1f);
    float fromLogits = compute(b.fromLogits(true).build(), t, x, w);
    assertEquals(compute(b.fromLogits(false).build(), t, p, w), fromLogits, 1e-5);
    assertEquals(sumOverBatchSize(bfce(toDouble(t), toDouble(x), true, 2, true, 0.25, 0.1), toDouble(w)), fromLogits,
        1e-6);
  }

  @Test
  void gammaZeroIsBinaryCrossentropy() {
    float[][] t = {{0, 1, 1}, {1, 0, 0}};
    float[][] p = {{0.2f, 0.7f, 0.9f}, {0.4f, 0.35f, 0.6f}};
    assertEquals(compute(new BinaryCrossentropy(), t, p, null),
        compute(BinaryFocalCrossentropy.builder().gamma(0).build(), t, p, null), 1e-6);
  }

  @Test
  void averagesOverTheGivenAxis() {
    // (2, 3, 2), mean over axis 1: four values of shape (2, 2), in row-major order.
    float[][][] t = {{{1, 0}, {0, 1}, {1, 1}}, {{0, 0}, {1, 0}, {0, 1}}};
    float[][][] p = {{{0.8f, 0.3f}, {0.1f, 0.6f}, {0.7f, 0.9f}}, {{0.2f, 0.4f}, {0.6f, 0.15f}, {0.35f, 0.5f}}};
    double[] expected = new double[4];
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < 2; c++) {
        double[][] column = new double[1][3];
        double[][] labels = new double[1][3];
        for (int k = 0; k < 3; k++) {
          column[0][k] = p[b][k][c];
          labels[0][k] = t[b][k][c];
        }
        expected[b * 2 + c] = bfce(labels, column, false, 2, false, 0.25, 0)[0];
      }
    }
    Loss loss = BinaryFocalCrossentropy.builder().axis(1).build();
    assertArrayClose(expected, LossTestSupport.call(loss, t, p), 1e-6);
    assertEquals(sumOverBatchSize(expected, null), compute(loss, t, p, null), 1e-6);
  }

  @Test
  void gradientMatchesFiniteDifferencesForProbabilitiesAndLogits() {
    float[][] t = {{0, 1, 1}, {1, 0, 0.3f}};
    float[][] p = {{0.2f, 0.7f, 0.9f}, {0.4f, 0.35f, 0.6f}};
    float[] w = {0.4f, 1.7f};
    LossTestSupport.checkGradient(BinaryFocalCrossentropy.builder().applyClassBalancing(true).build(), t, p, w,
        x -> sumOverBatchSize(bfce(toDouble(t), x, false, 2, true, 0.25, 0), toDouble(w)));
    float[][] x = {{-2.5f, 0.7f, 3.1f}, {0.2f, -0.9f, 1.4f}};
    LossTestSupport.checkGradient(logits(3, false), t, x, w,
        z -> sumOverBatchSize(bfce(toDouble(t), z, true, 3, false, 0.25, 0), toDouble(w)));
  }

  @Test
  void trainsByStringId() {
    // Seen: 0.149 after the first epoch, 0.0152 after 25.
    assertTrue(LossTraining.lossFalls("binary_focal_crossentropy", LossTraining.Task.BINARY));
  }

  @Test
  void rejectsBadArgumentsNamingLossAndArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BinaryFocalCrossentropy.builder().gamma(-1).build());
    assertEquals("Argument `gamma` of BinaryFocalCrossentropy must be a finite number >= 0. Received: gamma=-1.0",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BinaryFocalCrossentropy.builder().alpha(1.5f).build());
    assertEquals("Argument `alpha` of BinaryFocalCrossentropy must be in [0, 1]. Received: alpha=1.5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BinaryFocalCrossentropy.builder().labelSmoothing(2).build());
    assertEquals("Argument `labelSmoothing` of BinaryFocalCrossentropy must be in [0, 1]. Received: labelSmoothing=2.0",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> compute(new BinaryFocalCrossentropy(), new float[][] {{0, 1}}, new float[][] {{0.2f, 0.6f, 0.1f}}, null));
    assertEquals("Arguments `target` and `output` of loss 'binary_focal_crossentropy' must have the same shape. "
        + "Received: target.shape=(1, 2), output.shape=(1, 3)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> compute(BinaryFocalCrossentropy.builder().axis(2).build(), Y_TRUE, Y_TRUE, null));
    assertEquals("Argument `axis` of loss 'binary_focal_crossentropy' must be in [-2, 2) for y_pred of shape (2, 2). "
        + "Received: axis=2", e.getMessage());
  }

  @Test
  void labelsOfOneAxisLessAreExpandedAsKeras() {
    // Keras's squeeze_or_expand_to_same_rank: labels (2,) meet predictions (2, 1).
    assertEquals(compute(new BinaryFocalCrossentropy(), new float[][] {{1}, {0}}, new float[][] {{0.7f}, {0.4f}}, null),
        compute(new BinaryFocalCrossentropy(), new float[] {1, 0}, new float[][] {{0.7f}, {0.4f}}, null), 1e-7);
  }

  @Test
  void configRoundTripsWithKerasKeys() {
    BinaryFocalCrossentropy loss = BinaryFocalCrossentropy.builder().applyClassBalancing(true).alpha(0.4f).gamma(3)
        .fromLogits(true).labelSmoothing(0.1f).axis(1).name("bfce").build();
    Map<String, Object> config = loss.getConfig();
    assertEquals(Map.of("name", "bfce", "from_logits", true, "label_smoothing", 0.1f, "axis", 1,
        "apply_class_balancing", true, "alpha", 0.4f, "gamma", 3f), config);
    assertEquals(config, BinaryFocalCrossentropy.fromConfig(config).getConfig());
    assertEquals(config, LossTraining.throughSavedForm(loss).getConfig());
    // A config written by Keras: doubles, its reduction, missing keys at Keras's defaults.
    Map<String, Object> keras = new LinkedHashMap<>();
    keras.put("name", "focal");
    keras.put("reduction", "sum_over_batch_size");
    keras.put("gamma", 1.0);
    BinaryFocalCrossentropy back = assertInstanceOf(BinaryFocalCrossentropy.class,
        Losses.fromConfig("BinaryFocalCrossentropy", keras));
    assertEquals(Map.of("name", "focal", "from_logits", false, "label_smoothing", 0f, "axis", -1,
        "apply_class_balancing", false, "alpha", 0.25f, "gamma", 1f), back.getConfig());
    keras.put("reduction", "sum");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BinaryFocalCrossentropy.fromConfig(keras));
    assertTrue(e.getMessage().startsWith("BinaryFocalCrossentropy: Keras4J losses reduce with \"sum_over_batch_size\" "
        + "only. Received: reduction=sum"), e.getMessage());
  }
}
