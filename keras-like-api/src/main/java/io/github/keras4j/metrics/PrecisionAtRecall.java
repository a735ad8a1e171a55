package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;

/**
 * The best precision ({@code tp / (tp + fp)}) among the thresholds where the recall ({@code tp / (tp + fn)}) is at
 * least {@code recall}, Keras's {@code keras.metrics.PrecisionAtRecall}: 0 when no threshold reaches it. The weighted
 * counts are accumulated over the epoch at {@code numThresholds} thresholds spaced evenly over [0, 1] (predictions are
 * probabilities, clipped to [0, 1]); a label is positive when it is not 0, a prediction when it is above the threshold.
 * Every element of the output counts, or with {@code classId} only that column of the last axis.
 *
 * <p>Defaults: {@code numThresholds=200}, {@code classId=null}, {@code name="precision_at_recall"}. Keras's
 * {@code recall} has no default, so there is no string id.
 *
 * <p>Example (Keras 3's docstring, checked in {@code RateAtRateMetricsTest}):
 *
 * <pre>{@code
 * // recall 0.5, y_true = [0, 0, 0, 1, 1], y_pred = [0, 0.3, 0.8, 0.3, 0.8]: 0.5
 * // with sample weights [2, 2, 2, 1, 1]: 0.33333333
 * }</pre>
 */
public final class PrecisionAtRecall extends SensitivitySpecificityBase {

  /**
   * The metric named {@code precision_at_recall} with 200 thresholds over every element.
   *
   * @param recall the target, in [0, 1]
   */
  public PrecisionAtRecall(float recall) {
    this("precision_at_recall", recall, 200, null);
  }

  /**
   * The metric.
   *
   * @param name the name in logs
   * @param recall the target, in [0, 1]
   * @param numThresholds the number of thresholds, at least 1
   * @param classId the column of the last axis to count, or null for every element
   */
  public PrecisionAtRecall(String name, float recall, int numThresholds, Integer classId) {
    super(name, "recall", recall, numThresholds, classId, Rate.SENSITIVITY, Rate.PRECISION);
  }

  /** The target recall. */
  public float recall() {
    return value();
  }

  /** Rebuilds the metric from {@link #getConfig()} (Keras's {@code from_config}). */
  public static PrecisionAtRecall fromConfig(Config config) {
    return new PrecisionAtRecall(config.getString("name", "precision_at_recall"), (float) config.getDouble("recall"),
        config.getInt("num_thresholds", 200), config.has("class_id") ? config.getInt("class_id") : null);
  }

  @Override
  public PrecisionAtRecall withName(String newName) {
    return new PrecisionAtRecall(newName, value(), numThresholds(), classId());
  }
}
