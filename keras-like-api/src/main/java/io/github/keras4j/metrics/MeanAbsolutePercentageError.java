package io.github.keras4j.metrics;

/**
 * Computes the mean absolute percentage error between {@code y_true} and {@code y_pred} as a metric: the
 * per-sample values of the loss {@link io.github.keras4j.losses.MeanAbsolutePercentageError}, averaged over any
 * further axes; the epoch's result is the weighted mean over samples, {@code sum(values * w) / sum(w)}.
 *
 * <p>Defaults: {@code name="mean_absolute_percentage_error"}. Ids in {@link Metrics#get}: {@code
 * mean_absolute_percentage_error}, {@code mape}, {@code MAPE}, {@code MeanAbsolutePercentageError}.
 */
public class MeanAbsolutePercentageError extends LossMetric {

  /** The metric named {@code mean_absolute_percentage_error}. */
  public MeanAbsolutePercentageError() {
    this("mean_absolute_percentage_error");
  }

  /** The metric with the given name. */
  public MeanAbsolutePercentageError(String name) {
    super(name, new io.github.keras4j.losses.MeanAbsolutePercentageError());
  }
}
