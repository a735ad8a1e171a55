package io.github.keras4j.losses;

import static io.github.keras4j.losses.LossTestSupport.assertArrayClose;
import static io.github.keras4j.losses.LossTestSupport.compute;
import static io.github.keras4j.losses.LossTestSupport.sumOverBatchSize;
import static io.github.keras4j.losses.LossTestSupport.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CategoricalGeneralizedCrossEntropyLossTest {

  // keras/src/losses/losses_test.py, CategoricalGeneralizedCrossEntropyTest (and the class's docstring example).
  private static final float[] LABELS = {0, 1, 0, 1};
  private static final float[][] BINARY = {{0.7f, 0.3f}, {0.2f, 0.8f}, {0.6f, 0.4f}, {0.4f, 0.6f}};
  private static final float[][] MULTI = {{0.7f, 0.3f, 0f}, {0.2f, 0.2f, 0.6f}, {0.6f, 0.4f, 0f}, {0.2f, 0.2f, 0.6f}};

  /** Keras 3's {@code categorical_generalized_cross_entropy} in double, per sample: {@code (1 - p[k]^q) / q}. */
  static double[] gce(double[] labels, double[][] p, double q) {
    double[] out = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = (1 - Math.pow(p[i][(int) labels[i]], q)) / q;
    }
    return out;
  }

  @Test
  void matchesKeras3Tests() {
    // test_basic_correctness_for_binary: p of the true class 0.7, 0.8, 0.6, 0.6; by hand for q = 0.5:
    // ((1 - sqrt 0.7) + (1 - sqrt 0.8) + 2 (1 - sqrt 0.6)) / 0.5 / 4 = 0.359860
    assertEquals(0.359860, compute(new CategoricalGeneralizedCrossEntropy(), LABELS, BINARY, null), 1e-6);
    double q08 = ((1 - Math.pow(0.7, 0.8)) + (1 - Math.pow(0.8, 0.8)) + 2 * (1 - Math.pow(0.6, 0.8))) / 0.8 / 4;
    assertEquals(q08, compute(new CategoricalGeneralizedCrossEntropy(0.8f), LABELS, BINARY, null), 1e-6);
    // test_basic_correctness_for_multi_class: p = 0.7, 0.2, 0.6, 0.2
    double multi = ((1 - Math.sqrt(0.7)) + 2 * (1 - Math.sqrt(0.2)) + (1 - Math.sqrt(0.6))) / 0.5 / 4;
    assertEquals(multi, compute(new CategoricalGeneralizedCrossEntropy(), LABELS, MULTI, null), 1e-6);
  }

  @Test
  void perSampleValuesAndWeightedReductionFollowTheFormula() {
    double[] labels = toDouble(LABELS);
    for (float q : new float[] {0.1f, 0.5f, 0.9f}) {
      double[] expected = gce(labels, toDouble(MULTI), q);
      CategoricalGeneralizedCrossEntropy loss = new CategoricalGeneralizedCrossEntropy(q);
      assertArrayClose(expected, LossTestSupport.call(loss, LABELS, MULTI), 1e-5);
      float[] w = {2f, 0f, 0.5f, 1f};
      // "sum_over_batch_size": sum(values * w) / 4, the zero weight still counting in the divisor
      assertEquals(sumOverBatchSize(expected, toDouble(w)), compute(loss, LABELS, MULTI, w), 1e-5);
    }
    // Labels (batch, 1) are squeezed to (batch,).
    float[][] column = {{0}, {1}, {0}, {1}};
    assertArrayClose(gce(labels, toDouble(MULTI), 0.5), LossTestSupport.call(
        new CategoricalGeneralizedCrossEntropy(), column, MULTI), 1e-5);
  }

  @Test
  void perPixelLabelsMatchKerasSegmentationTest() {
    // test_binary_segmentation: labels (4, 4), predictions (4, 4, 2); two pixels wrong-ish (p = 0.2 and 0.4), the
    // mean over the 16 pixels.
    float[][] y = {{0, 1, 1, 0}, {1, 0, 1, 0}, {0, 0, 1, 1}, {1, 1, 0, 1}};
    float[][][] p = new float[4][4][2];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        p[i][j][(int) y[i][j]] = 1f;
      }
    }
    assertEquals(0.0, compute(new CategoricalGeneralizedCrossEntropy(), y, p, null), 1e-7);
    p[0][3] = new float[] {0.2f, 0.8f};
    p[3][3] = new float[] {0.6f, 0.4f};
    double expected = ((1 - Math.sqrt(0.2)) / 0.5 + (1 - Math.sqrt(0.4)) / 0.5) / 16;
    assertEquals(expected, compute(new CategoricalGeneralizedCrossEntropy(), y, p, null), 1e-6);
    assertEquals(16, LossTestSupport.call(new CategoricalGeneralizedCrossEntropy(), y, p).length);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    float[] labels = {2, 0, 1};
    float[][] p = {{0.2f, 0.3f, 0.5f}, {0.6f, 0.1f, 0.3f}, {0.25f, 0.45f, 0.3f}};
    float[] w = {1f, 2f, 0.5f};
    for (double q : new double[] {0.3, 0.7}) {
      LossTestSupport.checkGradient(new CategoricalGeneralizedCrossEntropy((float) q), labels, p, w,
          x -> sumOverBatchSize(gce(toDouble(labels), x, q), toDouble(w)));
    }
  }

  @Test
  void configRoundTripsAndStringIds() {
    CategoricalGeneralizedCrossEntropy loss = new CategoricalGeneralizedCrossEntropy(0.1f, "gce");
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", "gce");
    config.put("q", 0.1f);
    assertEquals(config, loss.getConfig());
    Loss back = LossTraining.throughSavedForm(loss);
    assertInstanceOf(CategoricalGeneralizedCrossEntropy.class, back);
    assertEquals(config, back.getConfig());
    // Keras's own config, with its reduction and dtype keys, and missing keys taking Keras's defaults
    Map<String, Object> keras = new LinkedHashMap<>();
    keras.put("name", "categorical_generalized_cross_entropy");
    keras.put("reduction", "sum_over_batch_size");
    keras.put("dtype", null);
    Loss fromKeras = Losses.fromConfig("CategoricalGeneralizedCrossEntropy", keras);
    assertEquals(0.5f, ((CategoricalGeneralizedCrossEntropy) fromKeras).q());
    Loss byFunctionId = Losses.get("categorical_generalized_cross_entropy");
    assertEquals(Map.of("name", "categorical_generalized_cross_entropy", "q", 0.5f), byFunctionId.getConfig());
    Loss byClass = Losses.get("CategoricalGeneralizedCrossEntropy");
    assertEquals(Map.of("name", "categorical_generalized_cross_entropy", "q", 0.5f), byClass.getConfig());
  }

  @Test
  void rejectsQOutsideTheOpenUnitIntervalAndBadShapes() {
    // Keras: `if not 0 < q < 1: raise ValueError("q must be in the interval (0, 1)")`
    for (float q : new float[] {0f, 1f, -0.5f, 1.5f, Float.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new CategoricalGeneralizedCrossEntropy(q));
      assertEquals("Argument `q` of CategoricalGeneralizedCrossEntropy must be in the interval (0, 1). Received: q="
          + q, e.getMessage());
    }
    assertThrows(IllegalArgumentException.class,
        () -> Losses.fromConfig("CategoricalGeneralizedCrossEntropy", Map.of("q", 1.0)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compute(new CategoricalGeneralizedCrossEntropy(), new float[] {0, 1, 0}, BINARY, null));
    assertEquals("Loss 'categorical_generalized_cross_entropy' expects integer labels of shape y_pred.shape[:-1] (or "
        + "with a last axis of 1). Received: y_true.shape=(3,), y_pred.shape=(4, 2)", e.getMessage());
  }

  @Test
  void fitTrainsFromIntegerLabelsByStringId() {
    // Three classes: which of x0, x1, x2 is largest; labels (n,) of class ids.
    Backend.clearSession();
    Backend.setRandomSeed(3);
    int n = 128;
    float[][] x = LayerChecks.randomMatrix(n, 4, 11);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = x[i][0] >= x[i][1] && x[i][0] >= x[i][2] ? 0 : x[i][1] >= x[i][2] ? 1 : 2;
    }
    try (Sequential model = new Sequential(new InputLayer(4), new Dense(8, "tanh"), new Dense(3, "softmax"))) {
      model.compile(new Adam(0.02f), "categorical_generalized_cross_entropy");
      List<Double> loss = model.fit(x, y, new FitOptions().epochs(25).batchSize(32).verbose(0)).get("loss");
      assertTrue(loss.get(loss.size() - 1) < 0.7 * loss.get(0), loss.toString());
    }
  }
}
