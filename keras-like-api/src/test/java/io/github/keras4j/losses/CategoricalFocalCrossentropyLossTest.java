package io.github.keras4j.losses;

import static io.github.keras4j.losses.LossTestSupport.assertArrayClose;
import static io.github.keras4j.losses.LossTestSupport.compute;
import static io.github.keras4j.losses.LossTestSupport.softmax;
import static io.github.keras4j.losses.LossTestSupport.softmaxRows;
import static io.github.keras4j.losses.LossTestSupport.sumOverBatchSize;
import static io.github.keras4j.losses.LossTestSupport.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CategoricalFocalCrossentropyLossTest {

  private static final float[][] Y_TRUE = {{0, 1, 0}, {0, 0, 1}};
  private static final float[][] Y_PRED = {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}};

  /**
   * Keras 3's {@code categorical_focal_crossentropy} in double, per sample: {@code q = clip(p / sum(p))} (p the
   * softmax of the logits when {@code fromLogits}), {@code sum_j alpha_j (1 - q_j)^gamma (-y_j log q_j)} with
   * {@code y = t (1 - s) + s / C}.
   */
  static double[] cfce(double[][] t, double[][] p, boolean fromLogits, double gamma, double[] alpha, double smoothing) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      double[] row = fromLogits ? softmax(p[i]) : p[i];
      double sum = 0;
      for (double v : row) {
        sum += v;
      }
      int classes = row.length;
      for (int j = 0; j < classes; j++) {
        double q = LossTestSupport.clip(row[j] / sum);
        double y = t[i][j] * (1 - smoothing) + smoothing / classes;
        double a = alpha.length == 1 ? alpha[0] : alpha[j];
        out[i] += a * Math.pow(1 - q, gamma) * -y * Math.log(q);
      }
    }
    return out;
  }

  @Test
  void matchesKeras3Docstrings() {
    // Keras 3 CategoricalFocalCrossentropy docstring: 0.23315276; 0.1632 with sample_weight [0.3, 0.7];
    // "sum" 0.46631 (= 2 x the mean); reduction=None [3.2058331e-05, 4.6627346e-01].
    Loss loss = new CategoricalFocalCrossentropy();
    assertEquals(0.23315276, compute(loss, Y_TRUE, Y_PRED, null), 1e-6);
    assertEquals(0.1632, compute(loss, Y_TRUE, Y_PRED, new float[] {0.3f, 0.7f}), 1e-4);
    assertEquals(0.46631, 2 * compute(loss, Y_TRUE, Y_PRED, null), 1e-5);
    assertArrayClose(new double[] {3.2058331e-05, 4.6627346e-01}, LossTestSupport.call(loss, Y_TRUE, Y_PRED), 1e-6);
    // The function's docstring: [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]] -> [2.63401289e-04, 6.75912094e-01].
    assertArrayClose(new double[] {2.63401289e-04, 6.75912094e-01},
        LossTestSupport.call(loss, Y_TRUE, new float[][] {{0.05f, 0.9f, 0.05f}, {0.1f, 0.85f, 0.05f}}), 1e-6);
  }

  @Test
  void matchesKeras3TestsForLogitsWeightsAndSmoothing() {
    // keras/src/losses/losses_test.py, CategoricalFocalCrossentropyTest.
    float[][] eye = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    float[][] p = {{0.9f, 0.05f, 0.05f}, {0.5f, 0.89f, 0.6f}, {0.05f, 0.01f, 0.94f}};
    float[][] logits = {{8, 1, 1}, {0, 9, 1}, {2, 3, 5}};
    Loss probabilities = new CategoricalFocalCrossentropy();
    Loss fromLogits = new CategoricalFocalCrossentropy(true);
    assertEquals(0.02059, compute(probabilities, eye, p, null), 1e-5);
    assertEquals(0.000345, compute(fromLogits, eye, logits, null), 1e-6);
    assertEquals(0.047368, compute(probabilities, eye, p, new float[] {2.3f}), 1e-5);
    assertEquals(0.000794, compute(fromLogits, eye, logits, new float[] {2.3f}), 1e-6);
    float[][] w = {{1.2f}, {3.4f}, {5.6f}};
    assertEquals(0.06987, compute(probabilities, eye, p, w), 1e-5);
    assertEquals(0.001933, compute(fromLogits, eye, logits, w), 1e-6);
    assertArrayClose(new double[] {1.5096224e-09, 2.4136547e-11, 1.0360638e-03},
        LossTestSupport.call(fromLogits, eye, logits), 1e-8);
    Loss smoothed = CategoricalFocalCrossentropy.builder().fromLogits(true).labelSmoothing(0.1f).build();
    assertEquals(0.06685, compute(smoothed, new float[][] {{1, 0, 0}}, new float[][] {{4.9f, -0.5f, 2.05f}}, null),
        1e-5);
    assertEquals(0, compute(probabilities, eye, eye, null), 1e-3);
  }

  @Test
  void classAxisMayBeOtherThanTheLast() {
    // keras/src/losses/losses_test.py test_label_smoothing_with_axis: (batch, classes, spatial), axis=1; Keras's
    // expected value is its numpy formula, written out here for these inputs.
    float[][][] t = {{{1, 0}, {0, 1}, {0, 0}}, {{0, 1}, {1, 0}, {0, 0}}};
    float[][][] p = {{{0.8f, 0.1f}, {0.1f, 0.8f}, {0.1f, 0.1f}}, {{0.1f, 0.8f}, {0.8f, 0.1f}, {0.1f, 0.1f}}};
    double total = 0;
    for (int b = 0; b < 2; b++) {
      for (int s = 0; s < 2; s++) {
        for (int c = 0; c < 3; c++) {
          double y = t[b][c][s] * 0.9 + 0.1 / 3;
          total += 0.25 * Math.pow(1 - p[b][c][s], 2) * -y * Math.log(p[b][c][s]);
        }
      }
    }
    Loss loss = CategoricalFocalCrossentropy.builder().labelSmoothing(0.1f).axis(1).build();
    assertEquals(total / 4, compute(loss, t, p, null), 1e-6);
    assertEquals(4, LossTestSupport.call(loss, t, p).length);
  }

  @Test
  void perClassAlphaWeighsEachClass() {
    float[][] t = {{0, 1, 0}, {1, 0, 0}, {0, 0.2f, 0.8f}};
    float[][] p = {{0.2f, 0.5f, 0.3f}, {0.6f, 0.3f, 0.1f}, {0.25f, 0.25f, 0.5f}};
    double[] alpha = {0.5, 1.5, 0.25};
    Loss loss = CategoricalFocalCrossentropy.builder().alpha(new float[] {0.5f, 1.5f, 0.25f}).gamma(1.5f).build();
    assertArrayClose(cfce(toDouble(t), toDouble(p), false, 1.5, alpha, 0), LossTestSupport.call(loss, t, p), 1e-6);
  }

  @Test
  void logitsAgreeWithProbabilitiesAfterSoftmax() {
    float[][] t = {{0, 1, 0}, {0.3f, 0, 0.7f}};
    float[][] x = {{1.2f, -0.4f, 0.3f}, {-1.1f, 0.8f, 2.0f}};
    float[] w = {0.5f, 2f};
    float fromLogits = compute(CategoricalFocalCrossentropy.builder().fromLogits(true).labelSmoothing(0.2f).build(),
        t, x, w);
    assertEquals(compute(CategoricalFocalCrossentropy.builder().labelSmoothing(0.2f).build(), t, softmaxRows(x), w),
        fromLogits, 1e-6);
    assertEquals(sumOverBatchSize(cfce(toDouble(t), toDouble(x), true, 2, new double[] {0.25}, 0.2), toDouble(w)),
        fromLogits, 1e-6);
  }

  @Test
  void gradientMatchesFiniteDifferencesForProbabilitiesAndLogits() {
    float[][] t = {{0, 1, 0}, {0.3f, 0, 0.7f}};
    float[][] p = {{0.2f, 0.5f, 0.3f}, {0.3f, 0.3f, 0.4f}};
    float[] w = {0.5f, 2f};
    LossTestSupport.checkGradient(new CategoricalFocalCrossentropy(), t, p, w,
        x -> sumOverBatchSize(cfce(toDouble(t), x, false, 2, new double[] {0.25}, 0), toDouble(w)));
    float[][] logits = {{1.2f, -0.4f, 0.3f}, {-1.1f, 0.8f, 2.0f}};
    Loss loss = CategoricalFocalCrossentropy.builder().fromLogits(true).gamma(3).alpha(new float[] {1, 2, 0.5f})
        .build();
    LossTestSupport.checkGradient(loss, t, logits, w,
        x -> sumOverBatchSize(cfce(toDouble(t), x, true, 3, new double[] {1, 2, 0.5}, 0), toDouble(w)));
  }

  @Test
  void trainsByStringId() {
    // Seen: 0.176 after the first epoch, 0.0058 after 25.
    assertTrue(LossTraining.lossFalls("categorical_focal_crossentropy", LossTraining.Task.CATEGORICAL));
  }

  @Test
  void rejectsBadArgumentsNamingLossAndArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CategoricalFocalCrossentropy.builder().gamma(Float.NaN).build());
    assertEquals("Argument `gamma` of CategoricalFocalCrossentropy must be a finite number >= 0. Received: gamma=NaN",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> CategoricalFocalCrossentropy.builder().alpha(new float[] {0.5f, -1}).build());
    assertEquals("Argument `alpha` of CategoricalFocalCrossentropy must be finite and >= 0. Received: "
        + "alpha=[0.5, -1.0]", e.getMessage());
    Loss twoAlphas = CategoricalFocalCrossentropy.builder().alpha(new float[] {0.5f, 1}).build();
    e = assertThrows(IllegalArgumentException.class, () -> compute(twoAlphas, Y_TRUE, Y_PRED, null));
    assertEquals("Argument `alpha` of loss 'categorical_focal_crossentropy' holds 2 weights but y_pred of shape "
        + "(2, 3) has 3 classes on axis -1. Received: alpha=[0.5, 1.0]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> compute(new CategoricalFocalCrossentropy(), new float[] {1, 2}, Y_PRED, null));
    assertEquals("Arguments `target` and `output` of loss 'categorical_focal_crossentropy' must have the same shape. "
        + "Received: target.shape=(2,), output.shape=(2, 3). For integer labels use SparseCategoricalCrossentropy.",
        e.getMessage());
  }

  @Test
  void configRoundTripsWithKerasKeys() {
    CategoricalFocalCrossentropy scalar = CategoricalFocalCrossentropy.builder().alpha(0.5f).gamma(1).fromLogits(true)
        .labelSmoothing(0.05f).name("cfce").build();
    assertEquals(Map.of("name", "cfce", "from_logits", true, "label_smoothing", 0.05f, "axis", -1, "alpha", 0.5f,
        "gamma", 1f), scalar.getConfig());
    CategoricalFocalCrossentropy perClass =
        CategoricalFocalCrossentropy.builder().alpha(new float[] {0.2f, 0.3f, 0.5f}).axis(1).build();
    assertEquals(List.of(0.2f, 0.3f, 0.5f), perClass.getConfig().get("alpha"));
    for (CategoricalFocalCrossentropy loss : List.of(scalar, perClass, new CategoricalFocalCrossentropy())) {
      assertEquals(loss.getConfig(), CategoricalFocalCrossentropy.fromConfig(loss.getConfig()).getConfig());
      assertEquals(loss.getConfig(), LossTraining.throughSavedForm(loss).getConfig());
    }
    assertTrue(LossTraining.throughSavedForm(perClass) instanceof CategoricalFocalCrossentropy back
        && back.alphaPerClass() && back.axis() == 1);
  }
}
