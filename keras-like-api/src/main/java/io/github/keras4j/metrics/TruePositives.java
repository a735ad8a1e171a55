package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;

/**
 * The weighted number of true positives, Keras's {@code keras.metrics.TruePositives}, accumulated over the epoch at one
 * or several thresholds. A label is positive when it is not 0, a prediction when it is above the threshold; every
 * element of the output counts, weighted by its sample's weight (weight 0 masks it).
 *
 * <p>Defaults: {@code name="true_positives"}, {@code thresholds=0.5}. Ids in {@link Metrics#get}:
 * {@code true_positives}, {@code TruePositives}. For logits, use threshold 0.
 *
 * <p>Example (Keras 3's docstring, checked in {@code ConditionCountsTest}):
 *
 * <pre>{@code
 * // y_true = [0, 1, 1, 1], y_pred = [1, 0, 1, 1]: 2 (rows 2 and 3); with sample weights [0, 0, 1, 0]: 1.0
 * }</pre>
 *
 * <p>Java differences from Keras: with several thresholds, {@link #results()} gives the counts and {@link #result()}
 * (what History logs) their mean, where Keras's {@code result()} is the vector.
 */
public final class TruePositives extends ConditionCount {

  /** The count named {@code true_positives} at threshold 0.5. */
  public TruePositives() {
    this("true_positives");
  }

  /**
   * The count at the given thresholds (0.5 when none are given).
   *
   * @param name the name in logs
   * @param thresholds predictions above one count as positive at it, each in [0, 1]; one count per threshold
   */
  public TruePositives(String name, float... thresholds) {
    super(name, ConfusionCounts.Kind.TRUE_POSITIVES, thresholds.length == 0 ? new float[] {0.5f} : thresholds);
  }

  /** Rebuilds the metric from {@link #getConfig()} (Keras's {@code from_config}). */
  public static TruePositives fromConfig(Config config) {
    return new TruePositives(config.getString("name", "true_positives"), thresholdsOf(config));
  }

  @Override
  public TruePositives withName(String newName) {
    return new TruePositives(newName, thresholds());
  }
}
