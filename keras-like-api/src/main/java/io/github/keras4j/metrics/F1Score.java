package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;
import java.util.Map;

/**
 * The F1 score of multi-class or multi-label predictions, Keras's {@code keras.metrics.F1Score}: the
 * {@link FBetaScore} with {@code beta = 1}, the harmonic mean {@code 2 * precision * recall / (precision + recall)}
 * per class from the counts of the epoch, averaged over the classes as {@code average} says (null: one score per
 * class; {@code "micro"}, {@code "macro"}, {@code "weighted"}).
 *
 * <p>Defaults: {@code average=null}, {@code threshold=null} (the largest prediction of each row is positive),
 * {@code name="f1_score"}. Ids in {@link Metrics#get}: {@code f1_score}, {@code F1Score}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code FScoreMetricsTest}):
 *
 * <pre>{@code
 * // threshold 0.5, y_true = [[1, 1, 1], [1, 0, 0], [1, 1, 0]],
 * // y_pred = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]: [0.5, 0.8, 0.6666667]
 * }</pre>
 *
 * <p>Java differences from Keras: as {@link FBetaScore}, {@link #results()} gives the class scores and
 * {@link #result()} (what History logs) their mean for {@code average=null}.
 */
public final class F1Score extends FBetaScore {

  /** The F1 score named {@code f1_score}: one score per class, the largest prediction as positive. */
  public F1Score() {
    this("f1_score");
  }

  /** The F1 score with the given name: one score per class, the largest prediction as positive. */
  public F1Score(String name) {
    this(name, null, null);
  }

  /**
   * An F1 score.
   *
   * @param name the name in logs
   * @param average null (one score per class), {@code "micro"}, {@code "macro"} or {@code "weighted"}
   * @param threshold predictions above it count as positive, in (0, 1]; null for the largest of each row
   */
  public F1Score(String name, String average, Float threshold) {
    super(name, average, 1f, threshold);
  }

  /** Rebuilds the metric from {@link #getConfig()} (Keras's {@code from_config}). */
  public static F1Score fromConfig(Config config) {
    return new F1Score(config.getString("name", "f1_score"), config.getString("average", null),
        thresholdOf(config));
  }

  @Override
  public F1Score withName(String newName) {
    return new F1Score(newName, average(), threshold());
  }

  /** {@code name}, {@code average} and {@code threshold}, as Keras (no {@code beta}). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("beta");
    return config;
  }
}
