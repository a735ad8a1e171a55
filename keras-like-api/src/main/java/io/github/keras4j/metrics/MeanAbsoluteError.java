package io.github.keras4j.metrics;

/**
 * Computes the mean absolute error between {@code y_true} and {@code y_pred}, as a metric.
 *
 * <p>Formula: {@code mean(abs(y_true - y_pred), axis=-1)} per sample (the loss
 * {@link io.github.keras4j.losses.MeanAbsoluteError}), averaged over any further axes; the epoch's result is
 * the weighted mean over samples, {@code sum(values * w) / sum(w)}, unlike the loss's reduction.
 *
 * <p>Defaults: {@code name="mean_absolute_error"}. Ids in {@link Metrics#get}: {@code mean_absolute_error},
 * {@code MeanAbsoluteError}, {@code mae}, {@code MAE}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code MeanAbsoluteErrorMetricTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1], [0, 0]], y_pred = [[1, 1], [0, 0]]
 * // result 0.25; with sample weights [1, 0]: 0.5
 * }</pre>
 */
public class MeanAbsoluteError extends LossMetric {

  /** A mean absolute error metric named {@code mean_absolute_error}. */
  public MeanAbsoluteError() {
    this("mean_absolute_error");
  }

  /** A mean absolute error metric with the given name, such as {@code mae}. */
  public MeanAbsoluteError(String name) {
    super(name, new io.github.keras4j.losses.MeanAbsoluteError());
  }
}
