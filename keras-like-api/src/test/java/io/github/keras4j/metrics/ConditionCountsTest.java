package io.github.keras4j.metrics;

import static io.github.keras4j.metrics.MetricTestSupport.accumulate;
import static io.github.keras4j.metrics.MetricTestSupport.accumulated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.github.keras4j.training.History;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TruePositives, FalsePositives, TrueNegatives and FalseNegatives: Keras 3's docstring examples
 * ({@code keras/src/metrics/confusion_metrics.py}), several thresholds against counts made in plain Java loops, the
 * state over batches, fit and evaluate, config round trip, ids and bad thresholds.
 */
class ConditionCountsTest {

  @Test
  void countsMatchKerasDocstrings() {
    // Keras: each docstring gives 2.0, then 1.0 with sample_weight [0, 0, 1, 0] (the counted rows are 2 and 3).
    float[] w = {0, 0, 1, 0};
    float[] t1 = {0, 1, 1, 1};
    float[] p1 = {1, 0, 1, 1};
    assertEquals(2.0, accumulated(new TruePositives(), t1, p1, null));
    assertEquals(1.0, accumulated(new TruePositives(), t1, p1, w));
    float[] t2 = {0, 1, 0, 0};
    float[] p2 = {0, 0, 1, 1};
    assertEquals(2.0, accumulated(new FalsePositives(), t2, p2, null));
    assertEquals(1.0, accumulated(new FalsePositives(), t2, p2, w));
    float[] p3 = {1, 1, 0, 0};
    assertEquals(2.0, accumulated(new TrueNegatives(), t2, p3, null));
    assertEquals(1.0, accumulated(new TrueNegatives(), t2, p3, w));
    float[] p4 = {0, 1, 0, 0};
    assertEquals(2.0, accumulated(new FalseNegatives(), t1, p4, null));
    assertEquals(1.0, accumulated(new FalseNegatives(), t1, p4, w));
  }

  /** The weighted count of one cell in plain Java: label positive when not 0, prediction when above {@code t}. */
  private static double count(String cell, float[][] labels, float[][] preds, float[] weights, float t) {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      for (int j = 0; j < labels[i].length; j++) {
        boolean label = labels[i][j] != 0;
        boolean pred = preds[i][j] > t;
        boolean hit = switch (cell) {
          case "tp" -> label && pred;
          case "fp" -> !label && pred;
          case "tn" -> !label && !pred;
          default -> label && !pred;
        };
        sum += hit ? weights[i] : 0;
      }
    }
    return sum;
  }

  @Test
  void severalThresholdsGiveOneWeightedCountEachAsPlainLoops() {
    Random random = new Random(7);
    float[][] labels = new float[6][3];
    float[][] preds = new float[6][3];
    float[] weights = new float[6];
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 3; j++) {
        labels[i][j] = random.nextBoolean() ? 1 : 0;
        preds[i][j] = random.nextFloat();
      }
      weights[i] = 0.5f + random.nextInt(3);
    }
    float[] thresholds = {0.1f, 0.35f, 0.5f, 0.8f};
    Map<String, ConditionCount> metrics = Map.of("tp", new TruePositives("tp", thresholds),
        "fp", new FalsePositives("fp", thresholds), "tn", new TrueNegatives("tn", thresholds),
        "fn", new FalseNegatives("fn", thresholds));
    for (Map.Entry<String, ConditionCount> e : metrics.entrySet()) {
      ConditionCount m = e.getValue();
      double mean = accumulated(m, labels, preds, weights);
      double[] expected = new double[thresholds.length];
      double sum = 0;
      for (int k = 0; k < thresholds.length; k++) {
        expected[k] = count(e.getKey(), labels, preds, weights, thresholds[k]);
        sum += expected[k];
      }
      assertArrayEquals(expected, m.results(), 1e-5, e.getKey());
      assertEquals(sum / thresholds.length, mean, 1e-5, "result() is the mean over the thresholds");
    }
    // The four cells share every weighted element: tp + fp + tn + fn = 3 * sum(weights) at each threshold.
    double total = 0;
    for (float w : weights) {
      total += 3 * w;
    }
    for (int k = 0; k < thresholds.length; k++) {
      double cells = 0;
      for (ConditionCount m : metrics.values()) {
        cells += m.results()[k];
      }
      assertEquals(total, cells, 1e-4);
    }
  }

  @Test
  void countsAddUpOverBatchesAndResetClearsThem() {
    TruePositives tp = new TruePositives("tp", 0.3f, 0.7f);
    assertArrayEquals(new double[] {0, 0}, tp.results());
    // Batch 1: positives predicted 0.9 and 0.5 -> above 0.3 both, above 0.7 one. Batch 2 (weights 2, 1): 0.8 and
    // 0.4 -> above 0.3 both (2 + 1), above 0.7 the first (2). The negative at 0.95 never counts.
    accumulate(tp, new float[] {1, 1, 0}, new float[] {0.9f, 0.5f, 0.95f}, null);
    accumulate(tp, new float[] {1, 1}, new float[] {0.8f, 0.4f}, new float[] {2, 1});
    assertArrayEquals(new double[] {5, 3}, tp.results(), 1e-6);
    assertEquals(4.0, tp.result(), 1e-6);
    tp.resetState();
    assertArrayEquals(new double[] {0, 0}, tp.results());
    assertEquals(0.0, tp.result());
  }

  @Test
  void fitAndEvaluateReportTheCountsInHistory() {
    Backend.clearSession();
    // p = sigmoid(x) with kernel 1, bias 0 (a learning rate of 1e-9 keeps them: no x is
    // within 0.1 of 0): p > 0.5 where x > 0 (rows 3-6), labels 0, 1, 1, 1.
    float[][] x = {{-2}, {-1}, {-0.5f}, {0.3f}, {0.8f}, {1.5f}, {2}, {-0.1f}};
    float[] y = {0, 0, 1, 0, 1, 1, 1, 1};
    try (Sequential model = new Sequential(new InputLayer(1),
        Dense.builder(1).activation("sigmoid").kernelInitializer(new Constant(1)).build())) {
      model.compile(new CompileOptions().optimizer(new SGD(1e-9f)).loss("binary_crossentropy")
          .metrics("true_positives", "false_positives", "TrueNegatives", new FalseNegatives("fn", 0.5f, 0.9f)));
      History history = model.fit(x, y, new FitOptions().epochs(2).batchSize(3).verbose(0));
      Map<String, List<Double>> h = history.history();
      // Every epoch counts the 8 rows again over batches of 3, 3 and 2.
      assertEquals(List.of(3.0, 3.0), h.get("true_positives"));
      assertEquals(List.of(1.0, 1.0), h.get("false_positives"));
      assertEquals(List.of(2.0, 2.0), h.get("TrueNegatives"));
      // False negatives at 0.5: x = -0.5 and -0.1 (2); at 0.9 (x > 2.197): all 5 positives. Logged: the mean 3.5.
      assertEquals(3.5, h.get("fn").get(1), 1e-6);
      Map<String, Double> logs = model.evaluate(x, y, 3, 0);
      assertEquals(3.0, logs.get("true_positives"), 1e-6);
    }
  }

  @Test
  void configsRoundTripAndIdsResolve() {
    TruePositives tp = new TruePositives("tp", 0.25f, 0.75f);
    assertEquals(Map.of("name", "tp", "thresholds", List.of(0.25f, 0.75f)), tp.getConfig());
    Metric back = Metrics.fromConfig("TruePositives", new Config(tp.getConfig(), "TruePositives", null));
    assertArrayEquals(new float[] {0.25f, 0.75f}, assertInstanceOf(TruePositives.class, back).thresholds());
    assertEquals("tp", back.name());
    // One threshold saves as one number; a config without thresholds (Keras's None) means 0.5.
    assertEquals(Map.of("name", "false_negatives", "thresholds", 0.5f), new FalseNegatives().getConfig());
    Map<String, Object> saved = new java.util.HashMap<>();
    saved.put("name", "fp");
    saved.put("thresholds", null);
    FalsePositives fp = assertInstanceOf(FalsePositives.class,
        Metrics.fromConfig("FalsePositives", new Config(saved, "FalsePositives", null)));
    assertArrayEquals(new float[] {0.5f}, fp.thresholds());
    TrueNegatives tn = assertInstanceOf(TrueNegatives.class, Metrics.fromConfig("TrueNegatives",
        new Config(Map.of("name", "tn", "thresholds", List.of(0.1, 0.9)), "TrueNegatives", null)));
    assertArrayEquals(new float[] {0.1f, 0.9f}, tn.thresholds());
    assertArrayEquals(new float[] {0.1f, 0.9f}, tn.withName("tn2").thresholds());

    assertEquals("true_positives", assertInstanceOf(TruePositives.class, Metrics.get("true_positives")).name());
    assertInstanceOf(FalsePositives.class, Metrics.get("FalsePositives"));
    assertInstanceOf(TrueNegatives.class, Metrics.get("true_negatives"));
    assertInstanceOf(FalseNegatives.class, Metrics.get("false_negatives"));
  }

  @Test
  void badThresholdsAreRefusedNamingTheMetric() {
    assertEquals("Metric 'tp' (TruePositives): threshold values must be in [0, 1]. Received: thresholds=[0.5, 1.5] "
        + "(out of range: [1.5])",
        assertThrows(IllegalArgumentException.class, () -> new TruePositives("tp", 0.5f, 1.5f)).getMessage());
    assertEquals("Metric 'fn' (FalseNegatives): threshold values must be in [0, 1]. Received: thresholds=[NaN] "
        + "(out of range: [NaN])",
        assertThrows(IllegalArgumentException.class, () -> new FalseNegatives("fn", Float.NaN)).getMessage());
    IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
        () -> accumulated(new TruePositives(), new float[] {0, 2}, new float[][] {{0.1f, 0.9f}, {0.3f, 0.7f}}, null));
    assertEquals("Metric 'true_positives' counts labels against predictions element by element, so they need one "
        + "shape: labels (2,), predictions (2, 2) (for class indices against class scores, one-hot the labels)",
        shapes.getMessage());
  }
}
