package io.github.keras4j.metrics;

/**
 * Computes the squared hinge loss between {@code y_true} and {@code y_pred} as a metric: the per-sample values of
 * the loss {@link io.github.keras4j.losses.SquaredHinge}, averaged over any further axes; the epoch's result is
 * the weighted mean over samples, {@code sum(values * w) / sum(w)}.
 *
 * <p>Defaults: {@code name="squared_hinge"}. Ids in {@link Metrics#get}: {@code squared_hinge}, {@code
 * SquaredHinge}.
 */
public class SquaredHinge extends LossMetric {

  /** The metric named {@code squared_hinge}. */
  public SquaredHinge() {
    this("squared_hinge");
  }

  /** The metric with the given name. */
  public SquaredHinge(String name) {
    super(name, new io.github.keras4j.losses.SquaredHinge());
  }
}
