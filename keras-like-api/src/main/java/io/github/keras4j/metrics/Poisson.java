package io.github.keras4j.metrics;

/**
 * Computes the Poisson loss between {@code y_true} and {@code y_pred} as a metric: the per-sample values of the
 * loss {@link io.github.keras4j.losses.Poisson}, averaged over any further axes; the epoch's result is the
 * weighted mean over samples, {@code sum(values * w) / sum(w)}.
 *
 * <p>Defaults: {@code name="poisson"}. Ids in {@link Metrics#get}: {@code poisson}, {@code Poisson}.
 */
public class Poisson extends LossMetric {

  /** The metric named {@code poisson}. */
  public Poisson() {
    this("poisson");
  }

  /** The metric with the given name. */
  public Poisson(String name) {
    super(name, new io.github.keras4j.losses.Poisson());
  }
}
