package io.github.keras4j.metrics;

import static io.github.keras4j.metrics.MetricTestSupport.accumulate;
import static io.github.keras4j.metrics.MetricTestSupport.accumulated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.saving.Config;
import io.github.keras4j.training.FitOptions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * F1Score and FBetaScore: Keras 3's docstring examples ({@code keras/src/metrics/f_score_metrics.py}) and the
 * tables of its tests ({@code f_score_metrics_test.py}), random multi-label data against the formulas in plain Java
 * loops, batches and reset, fit and evaluate, config round trip, ids and bad arguments.
 */
class FScoreMetricsTest {

  private static final float[][] DOC_TRUE = {{1, 1, 1}, {1, 0, 0}, {1, 1, 0}};
  private static final float[][] DOC_PRED = {{0.2f, 0.6f, 0.7f}, {0.2f, 0.6f, 0.6f}, {0.6f, 0.8f, 0f}};

  @Test
  void scoresMatchKerasDocstrings() {
    F1Score f1 = new F1Score("f1", null, 0.5f);
    accumulated(f1, DOC_TRUE, DOC_PRED, null);
    assertArrayEquals(new double[] {0.5, 0.8, 0.6666667}, f1.results(), 1e-6);
    // History logs the mean of the class scores, the macro average.
    assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, f1.result(), 1e-6);
    FBetaScore f2 = new FBetaScore("f2", null, 2f, 0.5f);
    accumulated(f2, DOC_TRUE, DOC_PRED, null);
    assertArrayEquals(new double[] {0.3846154, 0.90909094, 0.8333334}, f2.results(), 1e-6);
  }

  // f_score_metrics_test.py, test_fbeta_weighted_random_score_none: threshold None (the largest of each row).
  private static final float[][] ARG_TRUE = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {1, 0, 0}, {0, 0, 1}};
  private static final float[][] ARG_PRED = {{0.9f, 0.1f, 0}, {0.2f, 0.6f, 0.2f}, {0, 0, 1}, {0.4f, 0.3f, 0.3f},
      {0, 0.9f, 0.1f}, {0, 0, 1}};
  private static final float[][] WEIGHTS = {{1, 1, 1, 1, 1, 1}, {1, 0, 1, 1, 0, 1}, {0.5f, 1, 1, 1, 0.5f, 1}};

  @Test
  void averagedScoresMatchKerasTestTables() {
    float[] betas = {0.5f, 1f, 2f};
    // Rows: beta 0.5, 1, 2; columns: the three weightings above.
    double[][] micro = {{0.833333, 1.0, 0.9}, {0.833333, 1.0, 0.9}, {0.833333, 1.0, 0.9}};
    double[][] macro = {{0.821549, 0.666667, 0.883929}, {0.822222, 0.666667, 0.885714},
        {0.849206, 0.666667, 0.899522}};
    double[][] weighted = {{0.880471, 1.0, 0.917857}, {0.844444, 1.0, 0.902857}, {0.829365, 1.0, 0.897608}};
    double[][][] none = {
        {{0.909091, 0.555556, 1.0}, {1.0, 0.0, 1.0}, {0.9375, 0.714286, 1.0}},
        {{0.8, 0.666667, 1.0}, {1.0, 0.0, 1.0}, {0.857143, 0.8, 1.0}},
        {{0.714286, 0.833333, 1.0}, {1.0, 0.0, 1.0}, {0.789474, 0.909091, 1.0}}};
    for (int b = 0; b < betas.length; b++) {
      for (int w = 0; w < WEIGHTS.length; w++) {
        String at = "beta " + betas[b] + ", weights " + Arrays.toString(WEIGHTS[w]);
        assertEquals(micro[b][w], accumulated(new FBetaScore("f", "micro", betas[b], null), ARG_TRUE, ARG_PRED,
            WEIGHTS[w]), 1e-6, "micro, " + at);
        assertEquals(macro[b][w], accumulated(new FBetaScore("f", "macro", betas[b], null), ARG_TRUE, ARG_PRED,
            WEIGHTS[w]), 1e-6, "macro, " + at);
        assertEquals(weighted[b][w], accumulated(new FBetaScore("f", "weighted", betas[b], null), ARG_TRUE,
            ARG_PRED, WEIGHTS[w]), 1e-6, "weighted, " + at);
        FBetaScore perClass = new FBetaScore("f", null, betas[b], null);
        accumulated(perClass, ARG_TRUE, ARG_PRED, WEIGHTS[w]);
        assertArrayEquals(none[b][w], perClass.results(), 1e-6, "None, " + at);
      }
    }
    // test_fbeta_random_score (threshold 0.66), beta 1: [0.8, 0.5, 0.6666667], micro 0.6666667, macro and weighted
    // 0.6555555; perfect and worst predictions score 1 and 0.
    float[][] p = {{0.7f, 0.7f, 0.7f}, {1, 0, 0}, {0.9f, 0.8f, 0}};
    F1Score f1 = new F1Score("f1", null, 0.66f);
    accumulated(f1, new float[][] {{0, 0, 1}, {1, 1, 0}, {1, 1, 1}}, p, null);
    assertArrayEquals(new double[] {0.8, 0.5, 0.6666667}, f1.results(), 1e-6);
    assertEquals(0.6555555, accumulated(new F1Score("f1", "weighted", 0.66f),
        new float[][] {{0, 0, 1}, {1, 1, 0}, {1, 1, 1}}, p, null), 1e-6);
    assertEquals(1.0, accumulated(new FBetaScore("f", "macro", 0.5f, 0.66f),
        new float[][] {{1, 1, 1}, {1, 0, 0}, {1, 1, 0}}, p, null), 1e-6);
    assertEquals(0.0, accumulated(new FBetaScore("f", "micro", 2f, 0.66f),
        new float[][] {{0, 0, 0}, {0, 1, 0}, {0, 0, 1}}, p, null), 1e-6);
  }

  /** F-beta from counts in plain Java, with Keras's epsilon of 1e-7 in each denominator. */
  private static double fbeta(double tp, double fp, double fn, double beta) {
    double precision = tp / (tp + fp + 1e-7);
    double recall = tp / (tp + fn + 1e-7);
    return (1 + beta * beta) * precision * recall / (beta * beta * precision + recall + 1e-7);
  }

  @Test
  void randomMultiLabelDataMatchesPlainLoops() {
    Random random = new Random(5);
    int rows = 10;
    int classes = 4;
    float[][] labels = new float[rows][classes];
    float[][] preds = new float[rows][classes];
    float[] weights = new float[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < classes; j++) {
        labels[i][j] = random.nextFloat() < 0.5 ? 1 : 0;
        preds[i][j] = random.nextFloat();
      }
      weights[i] = 0.1f + random.nextFloat();
    }
    float beta = 1.5f;
    float threshold = 0.4f;
    double[] tp = new double[classes];
    double[] fp = new double[classes];
    double[] fn = new double[classes];
    double[] support = new double[classes];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < classes; j++) {
        boolean pred = preds[i][j] > threshold;
        boolean label = labels[i][j] == 1;
        tp[j] += pred && label ? weights[i] : 0;
        fp[j] += pred && !label ? weights[i] : 0;
        fn[j] += !pred && label ? weights[i] : 0;
        support[j] += label ? weights[i] : 0;
      }
    }
    double[] scores = new double[classes];
    double macro = 0;
    double weighted = 0;
    double totalSupport = Arrays.stream(support).sum();
    for (int j = 0; j < classes; j++) {
      scores[j] = fbeta(tp[j], fp[j], fn[j], beta);
      macro += scores[j] / classes;
      weighted += scores[j] * support[j] / (totalSupport + 1e-7);
    }
    double micro = fbeta(Arrays.stream(tp).sum(), Arrays.stream(fp).sum(), Arrays.stream(fn).sum(), beta);
    FBetaScore none = new FBetaScore("f", null, beta, threshold);
    accumulated(none, labels, preds, weights);
    assertArrayEquals(scores, none.results(), 1e-6);
    assertEquals(macro, accumulated(new FBetaScore("f", "macro", beta, threshold), labels, preds, weights), 1e-6);
    assertEquals(micro, accumulated(new FBetaScore("f", "micro", beta, threshold), labels, preds, weights), 1e-6);
    assertEquals(weighted, accumulated(new FBetaScore("f", "weighted", beta, threshold), labels, preds, weights),
        1e-6);
    // The same data in two batches of 4 and 6 rows: the counts add up to the same scores.
    FBetaScore split = new FBetaScore("f", null, beta, threshold);
    accumulate(split, Arrays.copyOfRange(labels, 0, 4), Arrays.copyOfRange(preds, 0, 4),
        Arrays.copyOfRange(weights, 0, 4));
    accumulate(split, Arrays.copyOfRange(labels, 4, rows), Arrays.copyOfRange(preds, 4, rows),
        Arrays.copyOfRange(weights, 4, rows));
    assertArrayEquals(scores, split.results(), 1e-6);
    split.resetState();
    assertArrayEquals(new double[classes], split.results(), "after reset every score is 0");
  }

  @Test
  void argmaxWithoutThresholdMarksTiesAndNotZeroRows() {
    // Row 0: a tie at 0.5 marks both classes; row 1: all 0 marks none (Keras's abs(x) > 1e-9).
    F1Score f1 = new F1Score();
    accumulated(f1, new float[][] {{1, 0}, {0, 1}}, new float[][] {{0.5f, 0.5f}, {0, 0}}, null);
    // Class 0: tp 1 -> precision 1, recall 1 -> 1. Class 1: fp 1, fn 1 -> 0.
    assertArrayEquals(new double[] {1, 0}, f1.results(), 1e-6);
  }

  /** A 3 x 3 identity kernel, so that the model's output is its input. */
  private static final Initializer IDENTITY = new Initializer() {
    @Override
    public Operand<TFloat32> call(Ops tf, Shape shape, long seed) {
      return tf.constant(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    }

    @Override
    public String id() {
      return "identity";
    }

    @Override
    public Map<String, Object> getConfig() {
      return Map.of();
    }
  };

  @Test
  void fitAndEvaluateReportTheScoresInHistory() {
    Backend.clearSession();
    try (Sequential model = new Sequential(new InputLayer(3), Dense.builder(3).kernelInitializer(IDENTITY).build())) {
      model.compile(new CompileOptions().optimizer(new SGD(1e-9f)).loss("mse")
          .metrics("f1_score", new F1Score("f1_micro", "micro", null), new FBetaScore("f2", null, 2f, 0.5f)));
      // The model's output is x (a learning rate of 1e-9 keeps the kernel), so the metrics see the Keras test data,
      // over batches of 4 and 2 rows.
      Map<String, List<Double>> h = model.fit(ARG_PRED, ARG_TRUE, new FitOptions().epochs(1).batchSize(4).verbose(0))
          .history();
      // f1_score (average None) logs the mean of [0.8, 0.666667, 1.0]; micro 0.833333 (Keras's tables).
      assertEquals((0.8 + 2.0 / 3 + 1.0) / 3, h.get("f1_score").get(0), 1e-6);
      assertEquals(0.833333, h.get("f1_micro").get(0), 1e-6);
      // Keras's docstring data through evaluate: beta 2 at threshold 0.5, the mean of its three class scores.
      Map<String, Double> logs = model.evaluate(DOC_PRED, DOC_TRUE, 2, 0);
      assertEquals((0.3846154 + 0.90909094 + 0.8333334) / 3, logs.get("f2"), 1e-6);
    }
  }

  @Test
  void configsRoundTripAndIdsResolve() {
    FBetaScore f = new FBetaScore("fb", "weighted", 0.5f, 0.3f);
    Map<String, Object> config = f.getConfig();
    assertEquals(Map.of("name", "fb", "average", "weighted", "beta", 0.5f, "threshold", 0.3f), config);
    FBetaScore back = assertInstanceOf(FBetaScore.class,
        Metrics.fromConfig("FBetaScore", new Config(config, "FBetaScore", null)));
    assertEquals("fb", back.name());
    assertEquals("weighted", back.average());
    assertEquals(0.5f, back.beta());
    assertEquals(0.3f, back.threshold());
    // F1Score saves no beta (as Keras); null average and threshold survive.
    Map<String, Object> f1 = new F1Score().getConfig();
    assertFalse(f1.containsKey("beta"));
    Map<String, Object> expected = new HashMap<>();
    expected.put("name", "f1_score");
    expected.put("average", null);
    expected.put("threshold", null);
    assertEquals(expected, f1);
    F1Score f1Back = assertInstanceOf(F1Score.class, Metrics.fromConfig("F1Score", new Config(f1, "F1Score", null)));
    assertEquals(null, f1Back.average());
    assertEquals(null, f1Back.threshold());
    assertEquals(1f, f1Back.beta());
    assertInstanceOf(F1Score.class, new F1Score("a", "macro", 0.5f).withName("b"));
    assertEquals("macro", new F1Score("a", "macro", 0.5f).withName("b").average());

    assertEquals("f1_score", assertInstanceOf(F1Score.class, Metrics.get("f1_score")).name());
    assertInstanceOf(F1Score.class, Metrics.get("F1Score"));
    assertEquals("f_beta_score", assertInstanceOf(FBetaScore.class, Metrics.get("f_beta_score")).name());
    assertEquals("fbeta_score", new FBetaScore().name());
    assertInstanceOf(FBetaScore.class, Metrics.get("FBetaScore"));
  }

  @Test
  void badArgumentsAndInputsAreRefusedNamingTheMetric() {
    assertEquals("Metric 'f' (FBetaScore): invalid `beta` argument value. It should be > 0. Received: beta=0.0",
        assertThrows(IllegalArgumentException.class, () -> new FBetaScore("f", "macro", 0f, null)).getMessage());
    assertEquals("Metric 'f' (FBetaScore): invalid `beta` argument value. It should be > 0. Received: beta=-0.5",
        assertThrows(IllegalArgumentException.class, () -> new FBetaScore("f", "macro", -0.5f, null)).getMessage());
    assertEquals("Metric 'f1' (F1Score): invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
        + "Received: threshold=0.0",
        assertThrows(IllegalArgumentException.class, () -> new F1Score("f1", null, 0f)).getMessage());
    assertEquals("Metric 'f1' (F1Score): invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
        + "Received: threshold=1.1",
        assertThrows(IllegalArgumentException.class, () -> new F1Score("f1", null, 1.1f)).getMessage());
    assertEquals("Metric 'f1' (F1Score): invalid `average` argument value. Expected one of: {null, \"micro\", "
        + "\"macro\", \"weighted\"}. Received: average=invalid_average",
        assertThrows(IllegalArgumentException.class, () -> new F1Score("f1", "invalid_average", null)).getMessage());
    float[][][] cube = {{{1, 0}, {0, 1}}, {{1, 1}, {0, 0}}};
    assertEquals("Metric 'f1_score' (F1Score) expects 2D inputs with shape (batch_size, output_dim). Received input "
        + "shapes: y_pred.shape=(2, 2, 2) and y_true.shape=(2, 2, 2)",
        assertThrows(IllegalArgumentException.class, () -> accumulated(new F1Score(), cube, cube, null)).getMessage());
    assertEquals("Metric 'fbeta_score' (FBetaScore): the number of classes is known once batchState() has been "
        + "traced", assertThrows(IllegalStateException.class, () -> new FBetaScore().stateSize()).getMessage());
    F1Score used = new F1Score();
    accumulated(used, DOC_TRUE, DOC_PRED, null);
    assertEquals("Metric 'f1_score' (F1Score) was used with 3 classes and now with 2: use one metric per output",
        assertThrows(IllegalArgumentException.class,
            () -> accumulate(used, new float[][] {{1, 0}}, new float[][] {{0.3f, 0.7f}}, null)).getMessage());
  }
}
