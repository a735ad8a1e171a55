package io.github.keras4j.losses;

import static io.github.keras4j.losses.LossTestSupport.cce;
import static io.github.keras4j.losses.LossTestSupport.cceLogits;
import static io.github.keras4j.losses.LossTestSupport.compute;
import static io.github.keras4j.losses.LossTestSupport.softmaxRows;
import static io.github.keras4j.losses.LossTestSupport.sumOverBatchSize;
import static io.github.keras4j.losses.LossTestSupport.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CategoricalCrossentropyLossTest {

  private static final float[][] Y_TRUE = {{0, 1, 0}, {0, 0, 1}};
  private static final float[][] Y_PRED = {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}};

  @Test
  void matchesKeras3Docstring() {
    // Keras 3 CategoricalCrossentropy docstring: 1.177; 0.814 with sample_weight=[0.3, 0.7];
    // per sample [0.0513, 2.303].
    assertEquals(1.177f, compute(new CategoricalCrossentropy(), Y_TRUE, Y_PRED, null), 1e-3);
    assertEquals(0.814f, compute(new CategoricalCrossentropy(), Y_TRUE, Y_PRED, new float[] {0.3f, 0.7f}), 1e-3);
    LossTestSupport.assertArrayClose(new double[] {0.0513, 2.303}, LossTestSupport.call(new CategoricalCrossentropy(), Y_TRUE, Y_PRED), 1e-3);
  }

  @Test
  void matchesKerasTensorFlowBackendDocstring() {
    // keras/src/backend/tensorflow/nn.py categorical_crossentropy docstring: [0.10536, 0.11653, 0.06188].
    float[][] t = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    float[][] p = {{0.9f, 0.05f, 0.05f}, {0.05f, 0.89f, 0.06f}, {0.05f, 0.01f, 0.94f}};
    LossTestSupport.assertArrayClose(new double[] {0.10536, 0.11653, 0.06188}, LossTestSupport.call(new CategoricalCrossentropy(), t, p), 1e-5);
  }

  @Test
  void normalisesPredictionsBySumBeforeClipping() {
    float[][] t = {{0, 1, 0}};
    float[][] p = {{1f, 2f, 1f}};  // not a distribution: Keras divides by the sum, 2/4
    assertEquals(-Math.log(0.5), compute(new CategoricalCrossentropy(), t, p, null), 1e-6);
    assertEquals(sumOverBatchSize(cce(toDouble(t), toDouble(p)), null), compute(new CategoricalCrossentropy(), t, p, null), 1e-6);
  }

  @Test
  void logitsEqualProbabilitiesAfterSoftmax() {
    float[][] t = {{0, 1, 0, 0}, {0.2f, 0.2f, 0.5f, 0.1f}, {0, 0, 0, 1}};
    float[][] x = {{1.5f, -0.3f, 0.8f, 2f}, {0.1f, 0.1f, -2f, 0.4f}, {-1f, 3f, 0f, 0.5f}};
    float[][] p = softmaxRows(x);
    float[] w = {1f, 0.5f, 2f};
    float fromLogits = compute(new CategoricalCrossentropy(true), t, x, w);
    assertEquals(compute(new CategoricalCrossentropy(), t, p, w), fromLogits, 1e-5);
    assertEquals(sumOverBatchSize(cceLogits(toDouble(t), toDouble(x)), toDouble(w)), fromLogits, 1e-5);
  }

  @Test
  void labelSmoothingSpreadsOverClasses() {
    float[][] t = {{0, 1, 0, 0}};
    float[][] p = {{0.1f, 0.6f, 0.2f, 0.1f}};
    float[][] smoothed = {{0.025f, 0.925f, 0.025f, 0.025f}};  // y * 0.9 + 0.1 / 4
    assertEquals(compute(new CategoricalCrossentropy(), smoothed, p, null),
        compute(new CategoricalCrossentropy(false, 0.1f, "cce"), t, p, null), 1e-6);
  }

  @Test
  void worksOnSequencesOfRankThree() {
    float[][][] t = {{{0, 1}, {1, 0}}, {{1, 0}, {1, 0}}};
    float[][][] x = {{{0.5f, 1f}, {2f, -1f}}, {{0f, 0f}, {-1f, 1f}}};
    // Per (sample, step) -log softmax; the reduction divides by all 4 values.
    double expected = (softplus(-0.5) + softplus(-3) + Math.log(2) + softplus(2)) / 4;
    assertEquals(expected, compute(new CategoricalCrossentropy(true), t, x, null), 1e-5);
  }

  private static double softplus(double v) {
    return Math.log1p(Math.exp(v));
  }

  @Test
  void rejectsIntegerLabelsWithAHint() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compute(new CategoricalCrossentropy(), new float[] {1, 2}, Y_PRED, null));
    assertEquals("Arguments `target` and `output` of loss 'categorical_crossentropy' must have the same shape. "
        + "Received: target.shape=(2,), output.shape=(2, 3). For integer labels use SparseCategoricalCrossentropy.",
        e.getMessage());
  }

  @Test
  void gradientMatchesFiniteDifferencesForProbabilitiesAndLogits() {
    float[][] t = {{0, 1, 0, 0}, {0.2f, 0.2f, 0.5f, 0.1f}};
    float[][] p = {{0.1f, 0.6f, 0.2f, 0.1f}, {0.3f, 0.3f, 0.25f, 0.25f}};
    float[] w = {0.7f, 1.3f};
    LossTestSupport.checkGradient(new CategoricalCrossentropy(), t, p, w,
        x -> sumOverBatchSize(cce(toDouble(t), x), toDouble(w)));
    float[][] logits = {{1.5f, -0.3f, 0.8f, 2f}, {0.1f, 0.1f, -2f, 0.4f}};
    LossTestSupport.checkGradient(new CategoricalCrossentropy(true), t, logits, w,
        x -> sumOverBatchSize(cceLogits(toDouble(t), x), toDouble(w)));
  }

  @Test
  void outputOfASoftmaxOpIsTakenAsLogitsLikeKerasTensorFlowBackend() {
    float[] lossAndGradient =
        LossTestSupport.lossAndGradientThroughSoftmax(new CategoricalCrossentropy(), new float[][] {{0, 1, 0}});
    // -log softmax(x)[1] = 60 + log(1 + e^-30 + e^-60); clipped probabilities would give 16.1.
    assertEquals(60f, lossAndGradient[0], 1e-3);
    assertEquals(-1f, lossAndGradient[1], 1e-6);
  }
}
