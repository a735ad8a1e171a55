package io.github.keras4j.metrics;

/**
 * The recall of binary predictions, Keras's {@code keras.metrics.Recall}: the weighted count of true
 * positives over that of positive labels ({@code tp / (tp + fn)}), accumulated over the epoch. A label is
 * positive when it is not 0, a prediction when it is above the threshold; every element of the output counts,
 * or with {@code classId} only that column of the last axis (one class of a multi-label output).
 *
 * <p>Defaults: {@code name="recall"}, {@code thresholds=0.5}. Ids in {@link Metrics#get}: {@code recall},
 * {@code Recall}. For logits, use threshold 0.
 *
 * <p>Example (Keras 3's docstring, checked in {@code ConfusionMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [0, 1, 1, 1], y_pred = [1, 0, 1, 1]: 2 of the 3 positives found: 0.6666667
 * // with sample weights [0, 0, 1, 0]: 1.0
 * }</pre>
 *
 * <p>Java differences from Keras: one threshold (Keras also takes a list, giving one value per threshold); no
 * {@code top_k}.
 */
public final class Recall extends CountRatio {

  /** Recall named {@code recall} at threshold 0.5. */
  public Recall() {
    this("recall");
  }

  /** Recall with the given name at threshold 0.5. */
  public Recall(String name) {
    this(name, 0.5f, null);
  }

  /**
   * Recall.
   *
   * @param name the name in logs
   * @param thresholds predictions above it count as positive, in [0, 1]
   * @param classId the column of the last axis to count, or null for every element
   */
  public Recall(String name, float thresholds, Integer classId) {
    super(name, thresholds, classId, ConfusionCounts.Kind.FALSE_NEGATIVES);
  }

  @Override
  public Recall withName(String newName) {
    return new Recall(newName, threshold(), classId());
  }
}
