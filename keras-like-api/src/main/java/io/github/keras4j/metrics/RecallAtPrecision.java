package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;

/**
 * The best recall ({@code tp / (tp + fn)}) among the thresholds where the precision ({@code tp / (tp + fp)}) is at
 * least {@code precision}, Keras's {@code keras.metrics.RecallAtPrecision}: 0 when no threshold reaches it. The
 * weighted counts are accumulated over the epoch at {@code numThresholds} thresholds spaced evenly over [0, 1]
 * (predictions are probabilities, clipped to [0, 1]); a label is positive when it is not 0, a prediction when it is
 * above the threshold. Every element of the output counts, or with {@code classId} only that column of the last axis.
 *
 * <p>Defaults: {@code numThresholds=200}, {@code classId=null}, {@code name="recall_at_precision"}. Keras's
 * {@code precision} has no default, so there is no string id.
 *
 * <p>Example (Keras 3's docstring, checked in {@code RateAtRateMetricsTest}):
 *
 * <pre>{@code
 * // precision 0.8, y_true = [0, 0, 1, 1], y_pred = [0, 0.5, 0.3, 0.9]: 0.5
 * // with sample weights [1, 0, 0, 1]: 1.0
 * }</pre>
 */
public final class RecallAtPrecision extends SensitivitySpecificityBase {

  /**
   * The metric named {@code recall_at_precision} with 200 thresholds over every element.
   *
   * @param precision the target, in [0, 1]
   */
  public RecallAtPrecision(float precision) {
    this("recall_at_precision", precision, 200, null);
  }

  /**
   * The metric.
   *
   * @param name the name in logs
   * @param precision the target, in [0, 1]
   * @param numThresholds the number of thresholds, at least 1
   * @param classId the column of the last axis to count, or null for every element
   */
  public RecallAtPrecision(String name, float precision, int numThresholds, Integer classId) {
    super(name, "precision", precision, numThresholds, classId, Rate.PRECISION, Rate.SENSITIVITY);
  }

  /** The target precision. */
  public float precision() {
    return value();
  }

  /** Rebuilds the metric from {@link #getConfig()} (Keras's {@code from_config}). */
  public static RecallAtPrecision fromConfig(Config config) {
    return new RecallAtPrecision(config.getString("name", "recall_at_precision"), (float) config.getDouble("precision"),
        config.getInt("num_thresholds", 200), config.has("class_id") ? config.getInt("class_id") : null);
  }

  @Override
  public RecallAtPrecision withName(String newName) {
    return new RecallAtPrecision(newName, value(), numThresholds(), classId());
  }
}
