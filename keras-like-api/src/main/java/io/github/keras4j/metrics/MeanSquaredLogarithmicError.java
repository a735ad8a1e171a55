package io.github.keras4j.metrics;

/**
 * Computes the mean squared logarithmic error between {@code y_true} and {@code y_pred} as a metric: the
 * per-sample values of the loss {@link io.github.keras4j.losses.MeanSquaredLogarithmicError}, averaged over any
 * further axes; the epoch's result is the weighted mean over samples, {@code sum(values * w) / sum(w)}.
 *
 * <p>Defaults: {@code name="mean_squared_logarithmic_error"}. Ids in {@link Metrics#get}: {@code
 * mean_squared_logarithmic_error}, {@code msle}, {@code MSLE}, {@code MeanSquaredLogarithmicError}.
 */
public class MeanSquaredLogarithmicError extends LossMetric {

  /** The metric named {@code mean_squared_logarithmic_error}. */
  public MeanSquaredLogarithmicError() {
    this("mean_squared_logarithmic_error");
  }

  /** The metric with the given name. */
  public MeanSquaredLogarithmicError(String name) {
    super(name, new io.github.keras4j.losses.MeanSquaredLogarithmicError());
  }
}
