package io.github.keras4j.metrics;

/**
 * The precision of binary predictions, Keras's {@code keras.metrics.Precision}: the weighted count of true
 * positives over that of predicted positives ({@code tp / (tp + fp)}), accumulated over the epoch. A label is
 * positive when it is not 0, a prediction when it is above the threshold; every element of the output counts,
 * or with {@code classId} only that column of the last axis (one class of a multi-label output).
 *
 * <p>Defaults: {@code name="precision"}, {@code thresholds=0.5}. Ids in {@link Metrics#get}: {@code precision},
 * {@code Precision}. For logits, use threshold 0.
 *
 * <p>Example (Keras 3's docstring, checked in {@code ConfusionMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [0, 1, 1, 1], y_pred = [1, 0, 1, 1]: 2 true positives of 3 predicted: 0.6666667
 * // with sample weights [0, 0, 1, 0]: 1.0
 * }</pre>
 *
 * <p>Java differences from Keras: one threshold (Keras also takes a list, giving one value per threshold); no
 * {@code top_k}.
 */
public final class Precision extends CountRatio {

  /** Precision named {@code precision} at threshold 0.5. */
  public Precision() {
    this("precision");
  }

  /** Precision with the given name at threshold 0.5. */
  public Precision(String name) {
    this(name, 0.5f, null);
  }

  /**
   * Precision.
   *
   * @param name the name in logs
   * @param thresholds predictions above it count as positive, in [0, 1]
   * @param classId the column of the last axis to count, or null for every element
   */
  public Precision(String name, float thresholds, Integer classId) {
    super(name, thresholds, classId, ConfusionCounts.Kind.FALSE_POSITIVES);
  }

  @Override
  public Precision withName(String newName) {
    return new Precision(newName, threshold(), classId());
  }
}
