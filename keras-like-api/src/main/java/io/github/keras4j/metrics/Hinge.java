package io.github.keras4j.metrics;

/**
 * Computes the hinge loss between {@code y_true} and {@code y_pred} as a metric: the per-sample values of the loss
 * {@link io.github.keras4j.losses.Hinge}, averaged over any further axes; the epoch's result is the weighted mean
 * over samples, {@code sum(values * w) / sum(w)}.
 *
 * <p>Defaults: {@code name="hinge"}. Ids in {@link Metrics#get}: {@code hinge}, {@code Hinge}.
 */
public class Hinge extends LossMetric {

  /** The metric named {@code hinge}. */
  public Hinge() {
    this("hinge");
  }

  /** The metric with the given name. */
  public Hinge(String name) {
    super(name, new io.github.keras4j.losses.Hinge());
  }
}
