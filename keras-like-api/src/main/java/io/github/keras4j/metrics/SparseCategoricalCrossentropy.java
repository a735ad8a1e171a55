package io.github.keras4j.metrics;

/**
 * The crossentropy between class indices and predicted class probabilities (or logits), as a metric: the
 * per-sample values of the loss {@link io.github.keras4j.losses.SparseCategoricalCrossentropy}; the epoch's result
 * is their weighted mean.
 *
 * <p>Defaults: {@code name="sparse_categorical_crossentropy"}, {@code fromLogits=false}. Ids in {@link Metrics#get}:
 * {@code sparse_categorical_crossentropy}, {@code SparseCategoricalCrossentropy}.
 */
public final class SparseCategoricalCrossentropy extends CrossentropyMetric {

  /** The metric named {@code sparse_categorical_crossentropy}, on probabilities. */
  public SparseCategoricalCrossentropy() {
    this("sparse_categorical_crossentropy");
  }

  /** The metric with the given name, on probabilities. */
  public SparseCategoricalCrossentropy(String name) {
    this(name, false);
  }

  /**
   * The metric.
   *
   * @param name the name in logs
   * @param fromLogits whether predictions are logits
   */
  public SparseCategoricalCrossentropy(String name, boolean fromLogits) {
    super(name, new io.github.keras4j.losses.SparseCategoricalCrossentropy(fromLogits, name), fromLogits, 0f);
  }

  @Override
  public SparseCategoricalCrossentropy withName(String newName) {
    return new SparseCategoricalCrossentropy(newName, fromLogits());
  }
}
