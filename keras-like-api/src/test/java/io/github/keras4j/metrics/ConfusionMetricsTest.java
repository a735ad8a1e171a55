package io.github.keras4j.metrics;

import static io.github.keras4j.metrics.MetricTestSupport.accumulate;
import static io.github.keras4j.metrics.MetricTestSupport.accumulated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.saving.TrainingSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Precision, Recall and AUC: Keras 3's docstring examples ({@code keras/src/metrics/confusion_metrics.py}),
 * the ROC AUC of distinct scores against the Mann-Whitney count of correctly ordered pairs, Keras's
 * precision-recall interpolation worked out by hand, and the counts accumulated over the batches of evaluate.
 */
class ConfusionMetricsTest {

  private static final float[] LABELS = {0, 1, 1, 1};
  private static final float[] PREDICTIONS = {1, 0, 1, 1};

  @Test
  void precisionAndRecallMatchKerasDocstrings() {
    // Keras: Precision() on [0, 1, 1, 1] vs [1, 0, 1, 1] is 0.6666667 (2 true positives of 3 predicted);
    // with sample_weight [0, 0, 1, 0] it is 1.0. Recall: 0.6666667 (2 of the 3 positives), then 1.0.
    assertEquals(2.0 / 3, accumulated(new Precision(), LABELS, PREDICTIONS, null), 1e-7);
    assertEquals(1.0, accumulated(new Precision(), LABELS, PREDICTIONS, new float[] {0, 0, 1, 0}), 1e-7);
    assertEquals(2.0 / 3, accumulated(new Recall(), LABELS, PREDICTIONS, null), 1e-7);
    assertEquals(1.0, accumulated(new Recall(), LABELS, PREDICTIONS, new float[] {0, 0, 1, 0}), 1e-7);
  }

  @Test
  void countsAddUpOverBatchesAndResetClearsThem() {
    Precision p = new Precision();
    assertEquals(0.0, p.result(), "divide_no_nan before any count");
    // Batch 1: 1 true positive, 1 false positive; batch 2: 2 true positives, 0 false: 3 / 4.
    accumulate(p, new float[] {1, 0}, new float[] {0.9f, 0.7f}, null);
    accumulate(p, new float[] {1, 1, 0}, new float[] {0.6f, 0.51f, 0.5f}, null);
    assertEquals(0.75, p.result(), 1e-7);
    p.resetState();
    assertEquals(0.0, p.result());
  }

  @Test
  void classIdCountsOneColumnAndTheThresholdIsStrict() {
    float[][] labels = {{1, 0, 1}, {0, 1, 1}, {1, 1, 0}};
    float[][] preds = {{0.9f, 0.8f, 0.2f}, {0.1f, 0.3f, 0.7f}, {0.6f, 0.4f, 0.5f}};
    // Column 1: labels [0, 1, 1], predictions [0.8, 0.3, 0.4] at 0.35: positives predicted rows 0 and 2, one right.
    assertEquals(0.5, accumulated(new Precision("p", 0.35f, 1), labels, preds, null), 1e-7);
    assertEquals(0.5, accumulated(new Recall("r", 0.35f, 1), labels, preds, null), 1e-7);
    // All 9 elements at 0.5 (0.5 itself is not above it): predicted 0.9, 0.8, 0.7, 0.6 -> labels 1, 0, 1, 1.
    assertEquals(0.75, accumulated(new Precision(), labels, preds, null), 1e-7);
    assertEquals(0.5, accumulated(new Recall(), labels, preds, null), 1e-7, "3 of the 6 positives");
  }

  @Test
  void aucMatchesTheKerasDocstring() {
    float[] y = {0, 0, 1, 1};
    float[] p = {0, 0.5f, 0.3f, 0.9f};
    // Keras: AUC(num_thresholds=3) gives 0.75, and 1.0 with sample_weight [1, 0, 0, 1].
    assertEquals(0.75, accumulated(new AUC("auc", 3, "ROC", "interpolation", false), y, p, null), 1e-7);
    assertEquals(1.0, accumulated(new AUC("auc", 3, "ROC", "interpolation", false), y, p, new float[] {1, 0, 0, 1}),
        1e-7);
    // Same counts (recall [1, 0.5, 0], fp rate [1, 0, 0]): the lower end of the first step 0.5, the higher 1.
    assertEquals(0.5, accumulated(new AUC("auc", 3, "ROC", "minoring", false), y, p, null), 1e-7);
    assertEquals(1.0, accumulated(new AUC("auc", 3, "ROC", "majoring", false), y, p, null), 1e-7);
  }

  @Test
  void rocAucOfDistinctScoresIsTheShareOfCorrectlyOrderedPairs() {
    float[] y = {0, 0, 1, 1, 0, 1};
    float[] p = {0.1f, 0.4f, 0.35f, 0.8f, 0.7f, 0.9f};
    // Positives 0.35, 0.8, 0.9 against negatives 0.1, 0.4, 0.7: 1 + 3 + 3 = 7 of 9 pairs ordered right. The
    // 200 thresholds (steps of 1/199) separate every score, so the trapezoids give exactly that.
    assertEquals(7.0 / 9, accumulated(new AUC(), y, p, null), 1e-6);
    // The same scores as logits.
    float[] logits = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      logits[i] = (float) Math.log(p[i] / (1 - p[i]));
    }
    assertEquals(7.0 / 9, accumulated(new AUC("auc", 200, "ROC", "interpolation", true), y, logits, null), 1e-6);
  }

  @Test
  void prAucFollowsKerasInterpolation() {
    // Keras's interpolate_pr_auc by hand on the docstring data with 3 thresholds: tp = [2, 1, 0], fp = [2, 0, 0],
    // fn = [0, 1, 2], p = tp + fp = [4, 1, 0].
    // Step 1: dtp 1, dp 3, slope 1/3, intercept 1 - 1/3 = 2/3, p ratio 4: (1/3)(1 + (2/3) ln 4) / (tp + fn = 2).
    // Step 2: dtp 1, dp 1, slope 1, intercept 0, p ratio 1 (p = 0): 1 * 1 / 2.
    double expected = (1.0 / 3) * (1 + (2.0 / 3) * Math.log(4)) / 2 + 0.5;
    assertEquals(expected, accumulated(new AUC("pr", 3, "PR", "interpolation", false), new float[] {0, 0, 1, 1},
        new float[] {0, 0.5f, 0.3f, 0.9f}, null), 1e-6);
    // A perfect ranking has a precision of 1 at every recall.
    assertEquals(1.0, accumulated(new AUC("pr", 200, "pr", "interpolation", false), new float[] {0, 1},
        new float[] {0.2f, 0.9f}, null), 1e-6);
  }

  @Test
  void evaluateAccumulatesTheCountsOverItsBatches() {
    Backend.clearSession();
    // p = sigmoid(x): kernel 1, bias 0. Predicted positive (p > 0.5) where x > 0: rows 3-6, labels 0, 1, 1, 1.
    float[][] x = {{-2}, {-1}, {-0.5f}, {0.3f}, {0.8f}, {1.5f}, {2}, {-0.1f}};
    float[] y = {0, 0, 1, 0, 1, 1, 1, 1};
    try (Sequential model = new Sequential(new InputLayer(1),
        Dense.builder(1).activation("sigmoid").kernelInitializer(new Constant(1)).build())) {
      model.compile(new CompileOptions().optimizer("sgd").loss("binary_crossentropy")
          .metrics("precision", "recall", "auc"));
      // Batches of 3, 3 and 2 rows: the counts add up across them.
      Map<String, Double> logs = model.evaluate(x, y, 3, 0);
      assertEquals(0.75, logs.get("precision"), 1e-6, "3 true positives of 4 predicted");
      assertEquals(0.6, logs.get("recall"), 1e-6, "3 of the 5 positives");
      // Positives -0.5, 0.8, 1.5, 2, -0.1 against negatives -2, -1, 0.3: 2 + 3 + 3 + 3 + 2 = 13 of 15 pairs.
      assertEquals(13.0 / 15, logs.get("auc"), 1e-6);
    }
  }

  @Test
  void eachOutputOfAModelKeepsItsOwnCounts() {
    Backend.clearSession();
    KerasTensor in = Input.of(1);
    KerasTensor a = Dense.builder(1).activation("sigmoid").kernelInitializer(new Constant(1)).name("a").build()
        .apply(in);
    KerasTensor b = Dense.builder(1).activation("sigmoid").kernelInitializer(new Constant(-1)).name("b").build()
        .apply(in);
    try (Model model = new Model(List.of(in), List.of(a, b))) {
      model.compile(new CompileOptions().optimizer("sgd").loss("binary_crossentropy")
          .metrics(new Precision("precision", 0.5f, null)));
      float[][] x = {{-1}, {1}, {2}};
      float[] y = {0, 1, 1};
      Map<String, Double> logs = model.evaluate(x, List.of(y, y), 2, 0);
      // Output a predicts positive for x > 0 (rows 1 and 2, both labelled 1); output b for x < 0 (row 0, labelled 0).
      assertEquals(1.0, logs.get("a_precision"), 1e-6);
      assertEquals(0.0, logs.get("b_precision"), 1e-6);
    }
  }

  @Test
  void settingsSurviveSavingAndLookUpByKerasIds() {
    Object saved = TrainingSerialization.serializeMetric(new Precision("p30", 0.3f, 2));
    Precision p = assertInstanceOf(Precision.class, TrainingSerialization.deserializeMetric(saved, null));
    assertEquals("p30", p.name());
    assertEquals(0.3f, p.threshold());
    assertEquals(2, p.classId());
    AUC auc = assertInstanceOf(AUC.class, TrainingSerialization.deserializeMetric(
        TrainingSerialization.serializeMetric(new AUC("pr_auc", 50, "PR", "majoring", true)), null));
    assertEquals(Map.of("name", "pr_auc", "num_thresholds", 50, "curve", "PR", "summation_method", "majoring",
        "multi_label", false, "from_logits", true), auc.getConfig());
    BinaryAccuracy acc = assertInstanceOf(BinaryAccuracy.class, TrainingSerialization.deserializeMetric(
        TrainingSerialization.serializeMetric(new BinaryAccuracy("acc", 0.7f)), null));
    assertEquals(0.7f, acc.threshold());

    assertInstanceOf(AUC.class, Metrics.get("auc"));
    assertEquals("recall", Metrics.get("recall").name());
    assertEquals("Precision", Metrics.get("Precision").name());
  }

  @Test
  void badSettingsAreRefused() {
    assertEquals("Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1",
        assertThrows(IllegalArgumentException.class, () -> new AUC("auc", 1, "ROC", "interpolation", false))
            .getMessage());
    assertEquals("Invalid AUC curve value: \"PRGAIN\". Expected values are [\"PR\", \"ROC\"] (Keras's \"PRGAIN\" is "
        + "not supported)", assertThrows(IllegalArgumentException.class,
            () -> new AUC("auc", 10, "PRGAIN", "interpolation", false)).getMessage());
    assertEquals("Threshold values must be in [0, 1]. Received: thresholds=1.5",
        assertThrows(IllegalArgumentException.class, () -> new Precision("p", 1.5f, null)).getMessage());
    IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
        () -> accumulated(new Recall("r", 0.5f, 3), new float[][] {{1, 0, 1}}, new float[][] {{1, 0, 1}}, null));
    assertEquals("Metric 'r': classId=3 is not a class of predictions of shape (1, 3)", column.getMessage());
    IllegalArgumentException sparse = assertThrows(IllegalArgumentException.class,
        () -> accumulated(new Precision(), new float[] {0, 2}, new float[][] {{0.1f, 0.2f, 0.7f}, {0.3f, 0.3f, 0.4f}},
            null));
    assertEquals("Metric 'precision' counts labels against predictions element by element, so they need one shape: "
        + "labels (2,), predictions (2, 3) (for class indices against class scores, one-hot the labels)",
        sparse.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> new AUC().call(null, null, null));
  }
}
