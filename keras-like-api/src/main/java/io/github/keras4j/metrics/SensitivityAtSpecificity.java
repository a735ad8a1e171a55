package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;

/**
 * The best sensitivity (recall, {@code tp / (tp + fn)}) among the thresholds where the specificity
 * ({@code tn / (tn + fp)}) is at least {@code specificity}, Keras's {@code keras.metrics.SensitivityAtSpecificity}: 0
 * when no threshold reaches it. The weighted counts are accumulated over the epoch at {@code numThresholds} thresholds
 * spaced evenly over [0, 1] (predictions are probabilities, clipped to [0, 1]); a label is positive when it is not 0, a
 * prediction when it is above the threshold. Every element of the output counts, or with {@code classId} only that
 * column of the last axis.
 *
 * <p>Defaults: {@code numThresholds=200}, {@code classId=null}, {@code name="sensitivity_at_specificity"}. Keras's
 * {@code specificity} has no default, so there is no string id.
 *
 * <p>Example (Keras 3's docstring, checked in {@code RateAtRateMetricsTest}):
 *
 * <pre>{@code
 * // specificity 0.5, y_true = [0, 0, 0, 1, 1], y_pred = [0, 0.3, 0.8, 0.3, 0.8]: 0.5
 * // with sample weights [1, 1, 2, 2, 1]: 0.333333
 * }</pre>
 */
public final class SensitivityAtSpecificity extends SensitivitySpecificityBase {

  /**
   * The metric named {@code sensitivity_at_specificity} with 200 thresholds over every element.
   *
   * @param specificity the target, in [0, 1]
   */
  public SensitivityAtSpecificity(float specificity) {
    this("sensitivity_at_specificity", specificity, 200, null);
  }

  /**
   * The metric.
   *
   * @param name the name in logs
   * @param specificity the target, in [0, 1]
   * @param numThresholds the number of thresholds, at least 1
   * @param classId the column of the last axis to count, or null for every element
   */
  public SensitivityAtSpecificity(String name, float specificity, int numThresholds, Integer classId) {
    super(name, "specificity", specificity, numThresholds, classId, Rate.SPECIFICITY, Rate.SENSITIVITY);
  }

  /** The target specificity. */
  public float specificity() {
    return value();
  }

  /** Rebuilds the metric from {@link #getConfig()} (Keras's {@code from_config}). */
  public static SensitivityAtSpecificity fromConfig(Config config) {
    return new SensitivityAtSpecificity(config.getString("name", "sensitivity_at_specificity"),
        (float) config.getDouble("specificity"),
        config.getInt("num_thresholds", 200), config.has("class_id") ? config.getInt("class_id") : null);
  }

  @Override
  public SensitivityAtSpecificity withName(String newName) {
    return new SensitivityAtSpecificity(newName, value(), numThresholds(), classId());
  }
}
