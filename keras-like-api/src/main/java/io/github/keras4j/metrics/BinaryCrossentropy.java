package io.github.keras4j.metrics;

/**
 * The binary crossentropy between labels and predicted probabilities (or logits), as a metric: the per-sample values
 * of the loss {@link io.github.keras4j.losses.BinaryCrossentropy}; the epoch's result is their weighted mean.
 *
 * <p>Defaults: {@code name="binary_crossentropy"}, {@code fromLogits=false}, {@code labelSmoothing=0}. Ids in {@link Metrics#get}:
 * {@code binary_crossentropy}, {@code BinaryCrossentropy}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code RegressionAndHingeMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1], [0, 0]], y_pred = [[0.6, 0.4], [0.4, 0.6]]: 0.81492424; sample weights [1, 0]: 0.9162905
 * }</pre>
 */
public final class BinaryCrossentropy extends CrossentropyMetric {

  /** The metric named {@code binary_crossentropy}, on probabilities. */
  public BinaryCrossentropy() {
    this("binary_crossentropy");
  }

  /** The metric with the given name, on probabilities. */
  public BinaryCrossentropy(String name) {
    this(name, false, 0f);
  }

  /**
   * The metric.
   *
   * @param name the name in logs
   * @param fromLogits whether predictions are logits
   * @param labelSmoothing how much of each label moves towards the uniform distribution, in [0, 1]
   */
  public BinaryCrossentropy(String name, boolean fromLogits, float labelSmoothing) {
    super(name, new io.github.keras4j.losses.BinaryCrossentropy(fromLogits, labelSmoothing, name), fromLogits, labelSmoothing);
  }

  @Override
  public BinaryCrossentropy withName(String newName) {
    return new BinaryCrossentropy(newName, fromLogits(), labelSmoothing());
  }
}
