package io.github.keras4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.losses.LossTestSupport;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Runs a metric the way a fit loop does: per-sample values in the graph, the running mean in Java. */
final class MetricTestSupport {

  private MetricTestSupport() {}

  /** The per-sample values of {@code metric.call}. */
  static float[] values(Metric metric, Object yTrue, Object yPred) {
    return LossTestSupport.values(metric::call, yTrue, yPred);
  }

  /** Adds one batch to {@code metric}'s state: {@code sum(values * w)} and {@code sum(w)}. */
  static void update(Metric metric, Object yTrue, Object yPred, float[] sampleWeight) {
    float[] v = values(metric, yTrue, yPred);
    double total = 0;
    double weight = 0;
    for (int i = 0; i < v.length; i++) {
      double w = sampleWeight == null ? 1 : sampleWeight[i];
      total += v[i] * w;
      weight += w;
    }
    metric.updateState(total, weight);
  }

  /**
   * Adds one batch the way the engine does, through {@link Metric#batchState} in a graph and
   * {@link Metric#updateState(float[], int)}; {@code sampleWeight} null for weights of 1.
   */
  static void accumulate(Metric metric, Object yTrue, Object yPred, float[] sampleWeight) {
    float[] state = LossTestSupport.values((tf, t, p) -> {
      Operand<TFloat32> w = sampleWeight == null
          ? tf.fill(tf.slice(tf.shape(p), tf.constant(new int[] {0}), tf.constant(new int[] {1})), tf.constant(1f))
          : tf.constant(sampleWeight);
      return metric.batchState(tf, t, p, w);
    }, yTrue, yPred);
    assertEquals(metric.stateSize(), state.length, "state size of " + metric.name());
    metric.updateState(state, 0);
  }

  /** A fresh state, one batch through {@link #accumulate}, the result. */
  static double accumulated(Metric metric, Object yTrue, Object yPred, float[] sampleWeight) {
    metric.resetState();
    accumulate(metric, yTrue, yPred, sampleWeight);
    return metric.result();
  }

  /** A fresh state, one batch, the result. */
  static double result(Metric metric, Object yTrue, Object yPred, float[] sampleWeight) {
    metric.resetState();
    update(metric, yTrue, yPred, sampleWeight);
    return metric.result();
  }
}
