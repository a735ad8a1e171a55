package io.github.keras4j.metrics;

import static io.github.keras4j.metrics.MetricTestSupport.accumulate;
import static io.github.keras4j.metrics.MetricTestSupport.accumulated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.saving.Config;
import io.github.keras4j.training.FitOptions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity and SpecificityAtSensitivity: Keras 3's docstring
 * examples ({@code keras/src/metrics/confusion_metrics.py}), random data against the same search written as plain
 * Java loops, classId, batches and reset, fit and evaluate, config round trip and bad arguments.
 */
class RateAtRateMetricsTest {

  private static final float[] Y5 = {0, 0, 0, 1, 1};
  private static final float[] P5 = {0, 0.3f, 0.8f, 0.3f, 0.8f};

  @Test
  void valuesMatchKerasDocstrings() {
    assertEquals(0.5, accumulated(new SensitivityAtSpecificity(0.5f), Y5, P5, null), 1e-6);
    assertEquals(0.333333, accumulated(new SensitivityAtSpecificity(0.5f), Y5, P5, new float[] {1, 1, 2, 2, 1}),
        1e-6);
    assertEquals(0.66666667, accumulated(new SpecificityAtSensitivity(0.5f), Y5, P5, null), 1e-6);
    assertEquals(0.5, accumulated(new SpecificityAtSensitivity(0.5f), Y5, P5, new float[] {1, 1, 2, 2, 2}), 1e-6);
    assertEquals(0.5, accumulated(new PrecisionAtRecall(0.5f), Y5, P5, null), 1e-6);
    assertEquals(0.33333333, accumulated(new PrecisionAtRecall(0.5f), Y5, P5, new float[] {2, 2, 2, 1, 1}), 1e-6);
    float[] y4 = {0, 0, 1, 1};
    float[] p4 = {0, 0.5f, 0.3f, 0.9f};
    assertEquals(0.5, accumulated(new RecallAtPrecision(0.8f), y4, p4, null), 1e-6);
    assertEquals(1.0, accumulated(new RecallAtPrecision(0.8f), y4, p4, new float[] {1, 0, 0, 1}), 1e-6);
  }

  /**
   * The search in plain Java: at each threshold {@code k / (n - 1)} (0.5 for n = 1) the weighted counts of the
   * clipped predictions above it, then the largest {@code dependent} rate where {@code constrained >= value}, or 0.
   */
  private static double expected(String constrained, String dependent, double value, int n, float[][] labels,
      float[][] preds, float[] weights, Integer classId) {
    double best = 0;
    for (int k = 0; k < n; k++) {
      double t = n == 1 ? 0.5 : (double) (float) (k * 1.0 / (n - 1));
      double tp = 0;
      double fp = 0;
      double tn = 0;
      double fn = 0;
      for (int i = 0; i < labels.length; i++) {
        for (int j = 0; j < labels[i].length; j++) {
          if (classId != null && j != classId) {
            continue;
          }
          boolean label = labels[i][j] != 0;
          boolean pred = Math.min(1f, Math.max(0f, preds[i][j])) > t;
          tp += label && pred ? weights[i] : 0;
          fp += !label && pred ? weights[i] : 0;
          tn += !label && !pred ? weights[i] : 0;
          fn += label && !pred ? weights[i] : 0;
        }
      }
      Map<String, Double> rates = Map.of("sensitivity", ratio(tp, tp + fn), "specificity", ratio(tn, tn + fp),
          "precision", ratio(tp, tp + fp));
      if (rates.get(constrained) >= value) {
        best = Math.max(best, rates.get(dependent));
      }
    }
    return best;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  @Test
  void randomDataMatchesThePlainSearch() {
    Random random = new Random(11);
    float[][] labels = new float[24][3];
    float[][] preds = new float[24][3];
    float[] weights = new float[24];
    for (int i = 0; i < labels.length; i++) {
      for (int j = 0; j < 3; j++) {
        labels[i][j] = random.nextFloat() < 0.4 ? 1 : 0;
        // Some predictions outside [0, 1], which are clipped.
        preds[i][j] = random.nextFloat() * 1.2f - 0.1f;
      }
      weights[i] = 0.2f + random.nextFloat();
    }
    for (int n : new int[] {200, 7, 1}) {
      for (Integer classId : new Integer[] {null, 1}) {
        String at = " at n=" + n + ", classId=" + classId;
        assertEquals(expected("sensitivity", "precision", 0.6, n, labels, preds, weights, classId),
            accumulated(new PrecisionAtRecall("m", 0.6f, n, classId), labels, preds, weights), 1e-6, "p@r" + at);
        assertEquals(expected("precision", "sensitivity", 0.45, n, labels, preds, weights, classId),
            accumulated(new RecallAtPrecision("m", 0.45f, n, classId), labels, preds, weights), 1e-6, "r@p" + at);
        assertEquals(expected("specificity", "sensitivity", 0.7, n, labels, preds, weights, classId),
            accumulated(new SensitivityAtSpecificity("m", 0.7f, n, classId), labels, preds, weights), 1e-6,
            "sens@spec" + at);
        assertEquals(expected("sensitivity", "specificity", 0.7, n, labels, preds, weights, classId),
            accumulated(new SpecificityAtSensitivity("m", 0.7f, n, classId), labels, preds, weights), 1e-6,
            "spec@sens" + at);
      }
    }
  }

  @Test
  void predictionsAreClippedAsKerasEvenThresholdsDo() {
    // Thresholds [0, 1]. The positive's 1.5 is clipped to 1, which is not above 1: at threshold 1 nothing is
    // predicted positive (sensitivity 0), so the only threshold with sensitivity 1 is 0, where the negative's 0.9
    // is a false positive: specificity 0. Unclipped, threshold 1 would give sensitivity 1 and specificity 1.
    assertEquals(0.0, accumulated(new SpecificityAtSensitivity("s", 1f, 2, null), new float[] {1, 0},
        new float[] {1.5f, 0.9f}, null));
  }

  @Test
  void countsAddUpOverBatchesAndResetClearsThem() {
    PrecisionAtRecall m = new PrecisionAtRecall(0.5f);
    // The docstring data in two batches gives the docstring result.
    accumulate(m, new float[] {0, 0, 0}, new float[] {0, 0.3f, 0.8f}, new float[] {2, 2, 2});
    accumulate(m, new float[] {1, 1}, new float[] {0.3f, 0.8f}, null);
    assertEquals(0.33333333, m.result(), 1e-6);
    m.resetState();
    assertEquals(0.0, m.result());
  }

  @Test
  void fitAndEvaluateReportTheValuesInHistory() {
    Backend.clearSession();
    // p = sigmoid(x) (kernel 1, bias 0, kept by a learning rate of 1e-9): positives 0.378, 0.690, 0.818, 0.881,
    // 0.475; negatives 0.119, 0.269, 0.574. Thresholds step by 1/199, finer than any gap between scores.
    float[][] x = {{-2}, {-1}, {-0.5f}, {0.3f}, {0.8f}, {1.5f}, {2}, {-0.1f}};
    float[] y = {0, 0, 1, 0, 1, 1, 1, 1};
    try (Sequential model = new Sequential(new InputLayer(1),
        Dense.builder(1).activation("sigmoid").kernelInitializer(new Constant(1)).build())) {
      model.compile(new CompileOptions().optimizer(new SGD(1e-9f)).loss("binary_crossentropy")
          .metrics(new RecallAtPrecision(1f), new PrecisionAtRecall(0.8f), new SensitivityAtSpecificity(1f),
              new SpecificityAtSensitivity(1f)));
      Map<String, List<Double>> h = model.fit(x, y, new FitOptions().epochs(1).batchSize(3).verbose(0)).history();
      // Precision 1 above 0.574: 3 of 5 positives.
      assertEquals(0.6, h.get("recall_at_precision").get(0), 1e-6);
      // Recall >= 0.8 needs 4 positives above: in [0.378, 0.475) with the negative 0.574, 4 / 5; better, all 5
      // in [0.269, 0.378) with the same one negative: 5 / 6.
      assertEquals(5.0 / 6, h.get("precision_at_recall").get(0), 1e-6);
      // No negative above (threshold >= 0.574): 3 of 5 positives.
      assertEquals(0.6, h.get("sensitivity_at_specificity").get(0), 1e-6);
      // Every positive above (threshold < 0.378): the negative 0.574 too, 2 of 3 negatives below.
      assertEquals(2.0 / 3, h.get("specificity_at_sensitivity").get(0), 1e-6);
      assertEquals(5.0 / 6, model.evaluate(x, y, 8, 0).get("precision_at_recall"), 1e-6);
    }
  }

  @Test
  void configsRoundTrip() {
    PrecisionAtRecall p = new PrecisionAtRecall("p", 0.75f, 50, 2);
    Map<String, Object> config = p.getConfig();
    assertEquals(Map.of("name", "p", "class_id", 2, "num_thresholds", 50, "recall", 0.75f), config);
    PrecisionAtRecall back = assertInstanceOf(PrecisionAtRecall.class,
        Metrics.fromConfig("PrecisionAtRecall", new Config(config, "PrecisionAtRecall", null)));
    assertEquals(0.75f, back.recall());
    assertEquals(50, back.numThresholds());
    assertEquals(2, back.classId());
    assertEquals("p", back.name());
    // Keras's keys for the other three, read back as JSON numbers would be.
    RecallAtPrecision r = assertInstanceOf(RecallAtPrecision.class, Metrics.fromConfig("RecallAtPrecision",
        new Config(Map.of("name", "r", "num_thresholds", 10L, "precision", 0.9), "RecallAtPrecision", null)));
    assertEquals(0.9f, r.precision());
    assertEquals(10, r.numThresholds());
    assertEquals(null, r.classId());
    SensitivityAtSpecificity s = assertInstanceOf(SensitivityAtSpecificity.class, Metrics.fromConfig(
        "SensitivityAtSpecificity", new Config(new SensitivityAtSpecificity(0.3f).getConfig(), "x", null)));
    assertEquals(0.3f, s.specificity());
    assertEquals(200, s.numThresholds());
    SpecificityAtSensitivity t = new SpecificityAtSensitivity("t", 0.4f, 9, 1).withName("u");
    assertEquals(Map.of("name", "u", "class_id", 1, "num_thresholds", 9, "sensitivity", 0.4f), t.getConfig());
    assertEquals(0.4f, assertInstanceOf(SpecificityAtSensitivity.class,
        Metrics.fromConfig("SpecificityAtSensitivity", new Config(t.getConfig(), "x", null))).sensitivity());
  }

  @Test
  void badArgumentsAreRefusedNamingTheMetric() {
    assertEquals("Metric 'precision_at_recall' (PrecisionAtRecall): argument `recall` must be in the range [0, 1]. "
        + "Received: recall=1.5",
        assertThrows(IllegalArgumentException.class, () -> new PrecisionAtRecall(1.5f)).getMessage());
    assertEquals("Metric 'r' (RecallAtPrecision): argument `precision` must be in the range [0, 1]. "
        + "Received: precision=-0.1",
        assertThrows(IllegalArgumentException.class, () -> new RecallAtPrecision("r", -0.1f, 200, null))
            .getMessage());
    assertEquals("Metric 's' (SensitivityAtSpecificity): argument `num_thresholds` must be an integer > 0. "
        + "Received: num_thresholds=0",
        assertThrows(IllegalArgumentException.class, () -> new SensitivityAtSpecificity("s", 0.5f, 0, null))
            .getMessage());
    assertEquals("Metric 's' (SpecificityAtSensitivity): argument `class_id` must be a class index (>= 0). "
        + "Received: class_id=-1",
        assertThrows(IllegalArgumentException.class, () -> new SpecificityAtSensitivity("s", 0.5f, 10, -1))
            .getMessage());
    assertEquals("Metric 'p': classId=3 is not a class of predictions of shape (1, 3)",
        assertThrows(IllegalArgumentException.class, () -> accumulated(new PrecisionAtRecall("p", 0.5f, 10, 3),
            new float[][] {{1, 0, 1}}, new float[][] {{0.2f, 0.4f, 0.9f}}, null)).getMessage());
  }
}
