package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;

/**
 * The best specificity ({@code tn / (tn + fp)}) among the thresholds where the sensitivity (recall,
 * {@code tp / (tp + fn)}) is at least {@code sensitivity}, Keras's {@code keras.metrics.SpecificityAtSensitivity}: 0
 * when no threshold reaches it. The weighted counts are accumulated over the epoch at {@code numThresholds} thresholds
 * spaced evenly over [0, 1] (predictions are probabilities, clipped to [0, 1]); a label is positive when it is not 0, a
 * prediction when it is above the threshold. Every element of the output counts, or with {@code classId} only that
 * column of the last axis.
 *
 * <p>Defaults: {@code numThresholds=200}, {@code classId=null}, {@code name="specificity_at_sensitivity"}. Keras's
 * {@code sensitivity} has no default, so there is no string id.
 *
 * <p>Example (Keras 3's docstring, checked in {@code RateAtRateMetricsTest}):
 *
 * <pre>{@code
 * // sensitivity 0.5, y_true = [0, 0, 0, 1, 1], y_pred = [0, 0.3, 0.8, 0.3, 0.8]: 0.66666667
 * // with sample weights [1, 1, 2, 2, 2]: 0.5
 * }</pre>
 */
public final class SpecificityAtSensitivity extends SensitivitySpecificityBase {

  /**
   * The metric named {@code specificity_at_sensitivity} with 200 thresholds over every element.
   *
   * @param sensitivity the target, in [0, 1]
   */
  public SpecificityAtSensitivity(float sensitivity) {
    this("specificity_at_sensitivity", sensitivity, 200, null);
  }

  /**
   * The metric.
   *
   * @param name the name in logs
   * @param sensitivity the target, in [0, 1]
   * @param numThresholds the number of thresholds, at least 1
   * @param classId the column of the last axis to count, or null for every element
   */
  public SpecificityAtSensitivity(String name, float sensitivity, int numThresholds, Integer classId) {
    super(name, "sensitivity", sensitivity, numThresholds, classId, Rate.SENSITIVITY, Rate.SPECIFICITY);
  }

  /** The target sensitivity. */
  public float sensitivity() {
    return value();
  }

  /** Rebuilds the metric from {@link #getConfig()} (Keras's {@code from_config}). */
  public static SpecificityAtSensitivity fromConfig(Config config) {
    return new SpecificityAtSensitivity(config.getString("name", "specificity_at_sensitivity"),
        (float) config.getDouble("sensitivity"),
        config.getInt("num_thresholds", 200), config.has("class_id") ? config.getInt("class_id") : null);
  }

  @Override
  public SpecificityAtSensitivity withName(String newName) {
    return new SpecificityAtSensitivity(newName, value(), numThresholds(), classId());
  }
}
