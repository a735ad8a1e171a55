package io.github.keras4j.metrics;

/**
 * Computes the logarithm of the hyperbolic cosine of the error between {@code y_true} and {@code y_pred} as a
 * metric: the per-sample values of the loss {@link io.github.keras4j.losses.LogCosh}, averaged over any further
 * axes; the epoch's result is the weighted mean over samples, {@code sum(values * w) / sum(w)}.
 *
 * <p>Defaults: {@code name="logcosh"}. Ids in {@link Metrics#get}: {@code log_cosh_error}, {@code LogCoshError}.
 */
public class LogCoshError extends LossMetric {

  /** The metric named {@code logcosh}. */
  public LogCoshError() {
    this("logcosh");
  }

  /** The metric with the given name. */
  public LogCoshError(String name) {
    super(name, new io.github.keras4j.losses.LogCosh());
  }
}
