package io.github.keras4j.metrics;

import static io.github.keras4j.metrics.MetricTestSupport.accumulated;
import static io.github.keras4j.metrics.MetricTestSupport.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.saving.TrainingSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics of Keras's regression, hinge, probabilistic and top-k families, against the values printed in Keras 3's
 * docstrings ({@code keras/src/metrics/regression_metrics.py}, {@code hinge_metrics.py},
 * {@code probabilistic_metrics.py}), through both the per-sample values ({@code call}, mean in Java) and the engine's
 * path ({@code batchState}); top-k by hand.
 */
class RegressionAndHingeMetricsTest {

  private static final float[][] T = {{0, 1}, {0, 0}};
  private static final float[][] P = {{1, 1}, {0, 0}};
  private static final float[][] Q = {{0.6f, 0.4f}, {0.4f, 0.6f}};
  private static final float[] FIRST = {1, 0};

  /** Keras's result without and with sample weights, by both paths. */
  private static void check(Metric m, float[][] yPred, double plain, float[] weights, double weighted) {
    assertEquals(plain, result(m, T, yPred, null), 1e-6 * Math.max(1, plain), m.name());
    assertEquals(weighted, result(m, T, yPred, weights), 1e-6 * Math.max(1, weighted), m.name() + " weighted");
    assertEquals(plain, accumulated(m, T, yPred, null), 1e-6 * Math.max(1, plain), m.name() + " (engine)");
    assertEquals(weighted, accumulated(m, T, yPred, weights), 1e-6 * Math.max(1, weighted),
        m.name() + " weighted (engine)");
  }

  @Test
  void regressionMetricsMatchKerasDocstrings() {
    check(new MeanAbsolutePercentageError(), P, 250000000.0, FIRST, 500000000.0);
    check(new MeanSquaredLogarithmicError(), P, 0.12011322, FIRST, 0.24022643);
    check(new LogCoshError(), P, 0.10844523, FIRST, 0.21689045);
    check(new Poisson(), P, 0.49999997, FIRST, 0.99999994);
    check(new KLDivergence(), Q, 0.45814306, FIRST, 0.9162892);
  }

  @Test
  void rootMeanSquaredErrorTakesTheRootAtTheEnd() {
    // Keras: 0.5, and 0.70710677 with sample_weight [1, 0] (per-sample MSE 0.5 and 0: sqrt(0.25), sqrt(0.5)).
    check(new RootMeanSquaredError(), P, 0.5, FIRST, 0.70710677);
    // Two batches: per-sample MSE 1 then 0.25, 0.25: sqrt(1.5 / 3), not the mean of the batches' roots.
    RootMeanSquaredError rmse = new RootMeanSquaredError();
    MetricTestSupport.accumulate(rmse, new float[][] {{0}}, new float[][] {{1}}, null);
    MetricTestSupport.accumulate(rmse, new float[][] {{0}, {0}}, new float[][] {{0.5f}, {-0.5f}}, null);
    assertEquals(Math.sqrt(0.5), rmse.result(), 1e-7);
  }

  @Test
  void cosineSimilarityIsPositiveForTheSameDirection() {
    // Keras: [[0, 1], [1, 1]] against [[1, 0], [1, 1]]: 0.49999997; with sample_weight [0.3, 0.7]: 0.6999999.
    float[][] t = {{0, 1}, {1, 1}};
    float[][] p = {{1, 0}, {1, 1}};
    assertEquals(0.49999997, result(new CosineSimilarity(), t, p, null), 1e-6);
    assertEquals(0.6999999, accumulated(new CosineSimilarity(), t, p, new float[] {0.3f, 0.7f}), 1e-6);
  }

  @Test
  void hingeMetricsMatchKerasDocstrings() {
    check(new Hinge(), Q, 1.3, FIRST, 1.1);
    check(new SquaredHinge(), Q, 1.86, FIRST, 1.46);
    check(new CategoricalHinge(), Q, 1.4000001, FIRST, 1.2);
  }

  @Test
  void topKCountsTheTrueClassAmongTheHighestScores() {
    float[][] scores = {{0.1f, 0.9f, 0.8f}, {0.05f, 0.95f, 0f}, {0.5f, 0.2f, 0.3f}};
    float[][] oneHot = {{0, 0, 1}, {0, 1, 0}, {0, 1, 0}};
    float[] indices = {2, 1, 1};
    // Row 0: class 2 is second (0.8 < 0.9); row 1: class 1 first; row 2: class 1 last (0.2).
    assertEquals(1.0 / 3, result(new TopKCategoricalAccuracy(1, "top1"), oneHot, scores, null), 1e-7);
    assertEquals(2.0 / 3, result(new TopKCategoricalAccuracy(2, "top2"), oneHot, scores, null), 1e-7);
    assertEquals(1.0, result(new TopKCategoricalAccuracy(3, "top3"), oneHot, scores, null), 1e-7);
    assertEquals(1.0 / 3, result(new SparseTopKCategoricalAccuracy(1, "top1"), indices, scores, null), 1e-7);
    assertEquals(2.0 / 3, accumulated(new SparseTopKCategoricalAccuracy(2, "top2"), new float[][] {{2}, {1}, {1}},
        scores, null), 1e-7);
    // Weighted: only row 1 (a hit at k = 1) counts 0.3 of 1.0.
    assertEquals(0.3, result(new SparseTopKCategoricalAccuracy(1, "top1"), indices, scores,
        new float[] {0.5f, 0.3f, 0.2f}), 1e-6);
    assertEquals("Argument `k` must be at least 1. Received: k=0",
        assertThrows(IllegalArgumentException.class, () -> new TopKCategoricalAccuracy(0, "top0")).getMessage());
  }

  @Test
  void r2ScoreOverTheWholeEpoch() {
    float[][] y = {{1}, {4}, {3}};
    float[][] p = {{2}, {4}, {4}};
    // Keras's docstring: 0.57142854. By hand: mean 8/3, SS_tot 42/9, SS_res 2: 1 - 2 / (42/9) = 4/7.
    assertEquals(4.0 / 7, accumulated(new R2Score(), y, p, null), 1e-6);
    // Weights [1, 2, 1]: sums 12 and 42 over weight 4, mean 3, SS_tot 42 - 12 * 3 = 6, SS_res 1 + 0 + 1: 2/3.
    assertEquals(2.0 / 3, accumulated(new R2Score(), y, p, new float[] {1, 2, 1}), 1e-6);
    // Adjusted for 1 regressor of 3 samples: 1 - (3/7)(3 - 1)/(3 - 1 - 1) = 1/7.
    assertEquals(1.0 / 7, accumulated(new R2Score("adj", "uniform_average", 1), y, p, null), 1e-6);
    // Batches of 2 and 1 rows give the epoch's score, not a mean of per-batch scores.
    R2Score split = new R2Score();
    MetricTestSupport.accumulate(split, new float[][] {{1}, {4}}, new float[][] {{2}, {4}}, null);
    MetricTestSupport.accumulate(split, new float[][] {{3}}, new float[][] {{4}}, null);
    assertEquals(4.0 / 7, split.result(), 1e-6);
    // Two columns: column 1 is the data above (4/7, SS_tot 42/9); column 2 labels 0, 2, 4 (SS_tot 8) against
    // 0, 2, 2 (SS_res 4): 1/2. Uniform: (4/7 + 1/2) / 2; by variance: (42/9 * 4/7 + 8 * 1/2) / (42/9 + 8).
    float[][] y2 = {{1, 0}, {4, 2}, {3, 4}};
    float[][] p2 = {{2, 0}, {4, 2}, {4, 2}};
    assertEquals((4.0 / 7 + 0.5) / 2, accumulated(new R2Score(), y2, p2, null), 1e-6);
    assertEquals((42.0 / 9 * 4 / 7 + 4) / (42.0 / 9 + 8),
        accumulated(new R2Score("r2", "variance_weighted_average", 0), y2, p2, null), 1e-6);
    // Through evaluate in batches of 2: an identity model predicts its input, here the predictions above.
    Backend.clearSession();
    try (Sequential identity = new Sequential(new InputLayer(1),
        Dense.builder(1).kernelInitializer(new Constant(1)).build())) {
      identity.compile(new CompileOptions().optimizer("sgd").loss("mse").metrics("r2_score"));
      assertEquals(4.0 / 7, identity.evaluate(p, new float[] {1, 4, 3}, 2, 0).get("r2_score"), 1e-6);
    }
    IllegalArgumentException rank3 = assertThrows(IllegalArgumentException.class,
        () -> accumulated(new R2Score(), new float[][][] {{{1}}}, new float[][][] {{{1}}}, null));
    assertEquals("R2Score expects 2D inputs with shape (batch_size, output_dim), with output_dim fully defined. "
        + "Received input shapes: y_pred.shape=(1, 1, 1) and y_true.shape=(1, 1, 1)", rank3.getMessage());
  }

  @Test
  void crossentropyMetricsMatchKerasDocstrings() {
    check(new BinaryCrossentropy(), Q, 0.81492424, FIRST, 0.9162905);
    // Keras: one-hot [[0, 1, 0], [0, 0, 1]] against [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]: 1.1769392 (-(log 0.95 +
    // log 0.1) / 2); with sample weights [0.3, 0.7]: 1.6271976. Class indices [1, 2] give the same.
    float[][] oneHot = {{0, 1, 0}, {0, 0, 1}};
    float[][] probs = {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}};
    float[] weights = {0.3f, 0.7f};
    assertEquals(1.1769392, result(new CategoricalCrossentropy(), oneHot, probs, null), 1e-6);
    assertEquals(1.6271976, accumulated(new CategoricalCrossentropy(), oneHot, probs, weights), 1e-6);
    assertEquals(1.1769392, result(new SparseCategoricalCrossentropy(), new float[] {1, 2}, probs, null), 1e-6);
    assertEquals(1.6271976, accumulated(new SparseCategoricalCrossentropy(), new float[] {1, 2}, probs, weights),
        1e-6);
    // From logits: log-probabilities are logits of the same distribution.
    float[][] logits = {{(float) Math.log(0.2), (float) Math.log(0.8)}};
    assertEquals(-Math.log(0.8), result(new CategoricalCrossentropy("ce", true, 0f), new float[][] {{0, 1}}, logits,
        null), 1e-6);
    BinaryCrossentropy restored = assertInstanceOf(BinaryCrossentropy.class, TrainingSerialization.deserializeMetric(
        TrainingSerialization.serializeMetric(new BinaryCrossentropy("bce", true, 0.1f)), null));
    assertEquals(0.1f, restored.labelSmoothing());
    assertEquals(true, restored.fromLogits());
  }

  @Test
  void kerasIdsAndSavedConfigs() {
    assertInstanceOf(MeanAbsolutePercentageError.class, Metrics.get("mape"));
    assertEquals("mape", Metrics.get("mape").name());
    assertInstanceOf(RootMeanSquaredError.class, Metrics.get("root_mean_squared_error"));
    assertInstanceOf(LogCoshError.class, Metrics.get("log_cosh_error"));
    assertInstanceOf(R2Score.class, Metrics.get("r2_score"));
    assertEquals(Map.of("name", "r2", "class_aggregation", "variance_weighted_average", "num_regressors", 2),
        ((Metric) TrainingSerialization.deserializeMetric(TrainingSerialization.serializeMetric(
            new R2Score("r2", "variance_weighted_average", 2)), null)).getConfig());
    assertEquals(5, ((SparseTopKCategoricalAccuracy) Metrics.get("sparse_top_k_categorical_accuracy")).k());
    Object saved = TrainingSerialization.serializeMetric(new TopKCategoricalAccuracy(3, "top3"));
    TopKCategoricalAccuracy top3 = assertInstanceOf(TopKCategoricalAccuracy.class,
        TrainingSerialization.deserializeMetric(saved, null));
    assertEquals(3, top3.k());
    assertEquals("top3", top3.name());
    Metric rmse = (Metric) TrainingSerialization.deserializeMetric(
        TrainingSerialization.serializeMetric(new RootMeanSquaredError("rmse")), null);
    assertInstanceOf(RootMeanSquaredError.class, rmse);
    assertEquals("rmse", rmse.name());
    // A config without a name (written by hand) gets the class's default name, as Keras's constructors give it.
    Metric unnamed = (Metric) TrainingSerialization.deserializeMetric(
        Map.of("class_name", "RootMeanSquaredError", "config", Map.of()), null);
    assertInstanceOf(RootMeanSquaredError.class, unnamed);
    assertEquals("root_mean_squared_error", unnamed.name());
    assertEquals("squared_hinge", ((Metric) TrainingSerialization.deserializeMetric(
        Map.of("class_name", "SquaredHinge", "config", Map.of()), null)).name());
  }
}
