package io.github.keras4j.metrics;

/**
 * The crossentropy between one-hot labels and predicted class probabilities (or logits), as a metric: the
 * per-sample values of the loss {@link io.github.keras4j.losses.CategoricalCrossentropy}; the epoch's result is
 * their weighted mean.
 *
 * <p>Defaults: {@code name="categorical_crossentropy"}, {@code fromLogits=false}, {@code labelSmoothing=0}. Ids in {@link Metrics#get}:
 * {@code categorical_crossentropy}, {@code CategoricalCrossentropy}.
 */
public final class CategoricalCrossentropy extends CrossentropyMetric {

  /** The metric named {@code categorical_crossentropy}, on probabilities. */
  public CategoricalCrossentropy() {
    this("categorical_crossentropy");
  }

  /** The metric with the given name, on probabilities. */
  public CategoricalCrossentropy(String name) {
    this(name, false, 0f);
  }

  /**
   * The metric.
   *
   * @param name the name in logs
   * @param fromLogits whether predictions are logits
   * @param labelSmoothing how much of each label moves towards the uniform distribution, in [0, 1]
   */
  public CategoricalCrossentropy(String name, boolean fromLogits, float labelSmoothing) {
    super(name, new io.github.keras4j.losses.CategoricalCrossentropy(fromLogits, labelSmoothing, name), fromLogits, labelSmoothing);
  }

  @Override
  public CategoricalCrossentropy withName(String newName) {
    return new CategoricalCrossentropy(newName, fromLogits(), labelSmoothing());
  }
}
