package io.github.keras4j.metrics;

import static io.github.keras4j.metrics.MetricTestSupport.accumulated;
import static io.github.keras4j.metrics.MetricTestSupport.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.saving.TrainingSerialization;
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
  void kerasIdsAndSavedConfigs() {
    assertInstanceOf(MeanAbsolutePercentageError.class, Metrics.get("mape"));
    assertEquals("mape", Metrics.get("mape").name());
    assertInstanceOf(RootMeanSquaredError.class, Metrics.get("root_mean_squared_error"));
    assertInstanceOf(LogCoshError.class, Metrics.get("log_cosh_error"));
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
  }
}
