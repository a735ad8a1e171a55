package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;

/**
 * The weighted number of true negatives, Keras's {@code keras.metrics.TrueNegatives}, accumulated over the epoch at one
 * or several thresholds. A label is positive when it is not 0, a prediction when it is above the threshold; every
 * element of the output counts, weighted by its sample's weight (weight 0 masks it).
 *
 * <p>Defaults: {@code name="true_negatives"}, {@code thresholds=0.5}. Ids in {@link Metrics#get}:
 * {@code true_negatives}, {@code TrueNegatives}. For logits, use threshold 0.
 *
 * <p>Example (Keras 3's docstring, checked in {@code ConditionCountsTest}):
 *
 * <pre>{@code
 * // y_true = [0, 1, 0, 0], y_pred = [1, 1, 0, 0]: 2 (rows 2 and 3); with sample weights [0, 0, 1, 0]: 1.0
 * }</pre>
 *
 * <p>Java differences from Keras: with several thresholds, {@link #results()} gives the counts and {@link #result()}
 * (what History logs) their mean, where Keras's {@code result()} is the vector.
 */
public final class TrueNegatives extends ConditionCount {

  /** The count named {@code true_negatives} at threshold 0.5. */
  public TrueNegatives() {
    this("true_negatives");
  }

  /**
   * The count at the given thresholds (0.5 when none are given).
   *
   * @param name the name in logs
   * @param thresholds predictions above one count as positive at it, each in [0, 1]; one count per threshold
   */
  public TrueNegatives(String name, float... thresholds) {
    super(name, ConfusionCounts.Kind.TRUE_NEGATIVES, thresholds.length == 0 ? new float[] {0.5f} : thresholds);
  }

  /** Rebuilds the metric from {@link #getConfig()} (Keras's {@code from_config}). */
  public static TrueNegatives fromConfig(Config config) {
    return new TrueNegatives(config.getString("name", "true_negatives"), thresholdsOf(config));
  }

  @Override
  public TrueNegatives withName(String newName) {
    return new TrueNegatives(newName, thresholds());
  }
}
