package io.github.keras4j.metrics;

import io.github.keras4j.losses.LossTestSupport;

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

  /** A fresh state, one batch, the result. */
  static double result(Metric metric, Object yTrue, Object yPred, float[] sampleWeight) {
    metric.resetState();
    update(metric, yTrue, yPred, sampleWeight);
    return metric.result();
  }
}
