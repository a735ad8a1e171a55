package io.github.keras4j.metrics;

import io.github.keras4j.losses.Loss;
import java.util.Map;

/**
 * The crossentropy metrics ({@link BinaryCrossentropy}, {@link CategoricalCrossentropy},
 * {@link SparseCategoricalCrossentropy}): a crossentropy loss's per-sample values, weighted mean over the epoch,
 * with the loss's {@code fromLogits} and {@code labelSmoothing} settings saved in the config.
 */
abstract sealed class CrossentropyMetric extends LossMetric
    permits BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy {

  private final boolean fromLogits;
  private final float labelSmoothing;

  CrossentropyMetric(String name, Loss loss, boolean fromLogits, float labelSmoothing) {
    super(name, loss);
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  /** Whether predictions are logits. */
  public boolean fromLogits() {
    return fromLogits;
  }

  /** The label smoothing (0 for none). */
  public float labelSmoothing() {
    return labelSmoothing;
  }

  /** {@code name}, {@code from_logits} and {@code label_smoothing}, as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("from_logits", fromLogits);
    config.put("label_smoothing", labelSmoothing);
    return config;
  }
}
