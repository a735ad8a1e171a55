package io.github.keras4j.metrics;

/**
 * Computes the mean squared error between {@code y_true} and {@code y_pred}, as a metric.
 *
 * <p>Formula: {@code mean(square(y_true - y_pred), axis=-1)} per sample (the loss
 * {@link io.github.keras4j.losses.MeanSquaredError}), averaged over any further axes; the epoch's result is
 * the weighted mean over samples, {@code sum(values * w) / sum(w)}, unlike the loss's reduction.
 *
 * <p>Defaults: {@code name="mean_squared_error"}. Ids in {@link Metrics#get}: {@code mean_squared_error},
 * {@code MeanSquaredError}, {@code mse}, {@code MSE}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code MeanSquaredErrorMetricTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1], [0, 0]], y_pred = [[1, 1], [0, 0]]
 * // result 0.25
 * }</pre>
 */
public class MeanSquaredError extends LossMetric {

  /** A mean squared error metric named {@code mean_squared_error}. */
  public MeanSquaredError() {
    this("mean_squared_error");
  }

  /** A mean squared error metric with the given name, such as {@code mse}. */
  public MeanSquaredError(String name) {
    super(name, new io.github.keras4j.losses.MeanSquaredError());
  }
}
