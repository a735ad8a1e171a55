package io.github.keras4j.metrics;

/**
 * Computes the root mean squared error between {@code y_true} and {@code y_pred}, as Keras's
 * {@code RootMeanSquaredError}: the square root of the weighted mean over samples of each sample's mean squared
 * error, {@code sqrt(sum(mse_i * w_i) / sum(w_i))}, taken at the end (not a mean of per-batch roots).
 *
 * <p>Defaults: {@code name="root_mean_squared_error"}. Ids in {@link Metrics#get}: {@code root_mean_squared_error},
 * {@code RootMeanSquaredError}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code RegressionAndHingeMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1], [0, 0]], y_pred = [[1, 1], [0, 0]]: 0.5; with sample weights [1, 0]: 0.70710677
 * }</pre>
 */
public class RootMeanSquaredError extends LossMetric {

  /** The metric named {@code root_mean_squared_error}. */
  public RootMeanSquaredError() {
    this("root_mean_squared_error");
  }

  /** The metric with the given name. */
  public RootMeanSquaredError(String name) {
    super(name, new io.github.keras4j.losses.MeanSquaredError());
  }

  /** The square root of the weighted mean squared error so far. */
  @Override
  public double result() {
    return Math.sqrt(super.result());
  }

  @Override
  public RootMeanSquaredError withName(String newName) {
    return new RootMeanSquaredError(newName);
  }
}
