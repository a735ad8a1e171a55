package io.github.keras4j.losses;

import static io.github.keras4j.losses.LossTestSupport.compute;
import static io.github.keras4j.losses.LossTestSupport.scce;
import static io.github.keras4j.losses.LossTestSupport.scceLogits;
import static io.github.keras4j.losses.LossTestSupport.softmaxRows;
import static io.github.keras4j.losses.LossTestSupport.sumOverBatchSize;
import static io.github.keras4j.losses.LossTestSupport.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphRuntime;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class SparseCategoricalCrossentropyLossTest {

  private static final float[] LABELS = {1, 2};
  private static final float[][] Y_PRED = {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}};

  @Test
  void matchesKeras3Docstring() {
    // Keras 3 SparseCategoricalCrossentropy docstring: 1.177; 0.814 with sample_weight=[0.3, 0.7];
    // per sample [0.0513, 2.303].
    SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy();
    assertEquals(1.177f, compute(loss, LABELS, Y_PRED, null), 1e-3);
    assertEquals(0.814f, compute(loss, LABELS, Y_PRED, new float[] {0.3f, 0.7f}), 1e-3);
    LossTestSupport.assertArrayClose(new double[] {0.0513, 2.303}, LossTestSupport.call(loss, LABELS, Y_PRED), 1e-3);
  }

  @Test
  void labelsOfShapeBatchByOneAreSqueezed() {
    float[][] labels = {{1}, {2}};
    SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy();
    assertEquals(compute(loss, LABELS, Y_PRED, null), compute(loss, labels, Y_PRED, null), 1e-7);
    float[][] logits = {{0.3f, -1f, 2f}, {1f, 1f, 0f}};
    SparseCategoricalCrossentropy fromLogits = new SparseCategoricalCrossentropy(true);
    assertEquals(compute(fromLogits, LABELS, logits, null), compute(fromLogits, labels, logits, null), 1e-7);
  }

  @Test
  void labelsFedThroughAPlaceholderOfUnknownBatch() {
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      Placeholder<TFloat32> labels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> probabilities = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      Operand<TFloat32> loss = new SparseCategoricalCrossentropy().compute(tf, labels, probabilities, null);
      try (TFloat32 l = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(new float[][] {{1}, {2}}));
          TFloat32 p = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(Y_PRED));
          Result r = rt.session().runner().feed(labels, l).feed(probabilities, p).fetch(loss).run()) {
        assertEquals(1.177f, ((TFloat32) r.get(0)).getFloat(), 1e-3);
      }
    }
  }

  @Test
  void probabilitiesMatchKerasTensorFlowBackendIncludingRenormalisation() {
    // Keras's TF backend takes a sparse softmax cross-entropy of log(clip(p)): -log(p[k] / sum(p)).
    float[] labels = {0, 3};
    float[][] p = {{0.2f, 0.4f, 0.1f, 0.5f}, {0.25f, 0.25f, 0.25f, 0.25f}};  // first row sums to 1.2
    double expected = sumOverBatchSize(scce(toDouble(labels), toDouble(p)), null);
    assertEquals((-Math.log(0.2 / 1.2) - Math.log(0.25)) / 2, expected, 1e-6);  // float inputs
    assertEquals(expected, compute(new SparseCategoricalCrossentropy(), labels, p, null), 1e-6);
  }

  @Test
  void logitsEqualProbabilitiesAfterSoftmax() {
    float[] labels = {3, 0, 1};
    float[][] x = {{1.5f, -0.3f, 0.8f, 2f}, {0.1f, 0.1f, -2f, 0.4f}, {-1f, 3f, 0f, 0.5f}};
    float[][] p = softmaxRows(x);
    float[] w = {1f, 0.5f, 2f};
    float fromLogits = compute(new SparseCategoricalCrossentropy(true), labels, x, w);
    assertEquals(compute(new SparseCategoricalCrossentropy(), labels, p, w), fromLogits, 1e-5);
    assertEquals(sumOverBatchSize(scceLogits(toDouble(labels), toDouble(x)), toDouble(w)), fromLogits, 1e-5);
    // And the categorical loss on one-hot labels agrees.
    float[][] oneHot = {{0, 0, 0, 1}, {1, 0, 0, 0}, {0, 1, 0, 0}};
    assertEquals(compute(new CategoricalCrossentropy(true), oneHot, x, w), fromLogits, 1e-6);
  }

  @Test
  void worksOnSequencesOfRankThree() {
    float[][] labels = {{1, 0}, {0, 0}};
    float[][][] x = {{{0.5f, 1f}, {2f, -1f}}, {{0f, 0f}, {-1f, 1f}}};
    float[][][] oneHot = {{{0, 1}, {1, 0}}, {{1, 0}, {1, 0}}};
    float expected = compute(new CategoricalCrossentropy(true), oneHot, x, null);
    assertEquals(expected, compute(new SparseCategoricalCrossentropy(true), labels, x, null), 1e-6);
    float[] perSample = LossTestSupport.call(new SparseCategoricalCrossentropy(true), labels, x);
    assertEquals(4, perSample.length);
  }

  @Test
  void gradientMatchesFiniteDifferencesForProbabilitiesAndLogits() {
    float[] labels = {3, 0, 1};
    float[][] p = {{0.1f, 0.2f, 0.3f, 0.4f}, {0.5f, 0.1f, 0.1f, 0.3f}, {0.2f, 0.3f, 0.4f, 0.3f}};
    float[] w = {1f, 0.5f, 2f};
    LossTestSupport.checkGradient(new SparseCategoricalCrossentropy(), labels, p, w,
        x -> sumOverBatchSize(scce(toDouble(labels), x), toDouble(w)));
    float[][] logits = {{1.5f, -0.3f, 0.8f, 2f}, {0.1f, 0.1f, -2f, 0.4f}, {-1f, 3f, 0f, 0.5f}};
    LossTestSupport.checkGradient(new SparseCategoricalCrossentropy(true), labels, logits, w,
        x -> sumOverBatchSize(scceLogits(toDouble(labels), x), toDouble(w)));
  }

  @Test
  void outputOfASoftmaxOpIsTakenAsLogitsLikeKerasTensorFlowBackend() {
    float[] lossAndGradient =
        LossTestSupport.lossAndGradientThroughSoftmax(new SparseCategoricalCrossentropy(), new float[] {1});
    assertEquals(60f, lossAndGradient[0], 1e-3);
    assertEquals(-1f, lossAndGradient[1], 1e-6);
  }

  @Test
  void rejectsOneHotLabelsWithAHint() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compute(new SparseCategoricalCrossentropy(), new float[][] {{0, 1, 0}, {0, 0, 1}}, Y_PRED, null));
    assertTrue(e.getMessage().contains("Received: y_true.shape=(2, 3), y_pred.shape=(2, 3)"), e.getMessage());
    assertTrue(e.getMessage().contains("CategoricalCrossentropy"), e.getMessage());
  }
}
