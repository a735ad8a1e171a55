package io.github.keras4j.metrics;

/**
 * Computes the categorical hinge loss between {@code y_true} and {@code y_pred} as a metric: the per-sample values
 * of the loss {@link io.github.keras4j.losses.CategoricalHinge}, averaged over any further axes; the epoch's
 * result is the weighted mean over samples, {@code sum(values * w) / sum(w)}.
 *
 * <p>Defaults: {@code name="categorical_hinge"}. Ids in {@link Metrics#get}: {@code categorical_hinge}, {@code
 * CategoricalHinge}.
 */
public class CategoricalHinge extends LossMetric {

  /** The metric named {@code categorical_hinge}. */
  public CategoricalHinge() {
    this("categorical_hinge");
  }

  /** The metric with the given name. */
  public CategoricalHinge(String name) {
    super(name, new io.github.keras4j.losses.CategoricalHinge());
  }
}
