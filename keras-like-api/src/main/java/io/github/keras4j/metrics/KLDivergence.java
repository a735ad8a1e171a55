package io.github.keras4j.metrics;

/**
 * Computes the Kullback-Leibler divergence between {@code y_true} and {@code y_pred} as a metric: the per-sample
 * values of the loss {@link io.github.keras4j.losses.KLDivergence}, averaged over any further axes; the epoch's
 * result is the weighted mean over samples, {@code sum(values * w) / sum(w)}.
 *
 * <p>Defaults: {@code name="kl_divergence"}. Ids in {@link Metrics#get}: {@code kl_divergence}, {@code
 * KLDivergence}.
 */
public class KLDivergence extends LossMetric {

  /** The metric named {@code kl_divergence}. */
  public KLDivergence() {
    this("kl_divergence");
  }

  /** The metric with the given name. */
  public KLDivergence(String name) {
    super(name, new io.github.keras4j.losses.KLDivergence());
  }
}
