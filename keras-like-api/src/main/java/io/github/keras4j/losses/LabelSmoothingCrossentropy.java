package io.github.keras4j.losses;

import java.util.Map;

/**
 * What {@link BinaryCrossentropy} and {@link CategoricalCrossentropy} share: their arguments {@code fromLogits}
 * and {@code labelSmoothing} (checked to lie in {@code [0, 1]}), and their config.
 */
abstract class LabelSmoothingCrossentropy extends Loss {

  final boolean fromLogits;
  final float labelSmoothing;

  /**
   * Checks and stores the settings.
   *
   * @param fromLogits whether {@code y_pred} holds logits rather than probabilities
   * @param labelSmoothing in {@code [0, 1]}; 0 means no smoothing
   * @param name the loss's name
   */
  LabelSmoothingCrossentropy(boolean fromLogits, float labelSmoothing, String name) {
    super(name);
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(
          "Argument `labelSmoothing` must be in [0, 1]. Received: labelSmoothing=" + labelSmoothing);
    }
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  /** Whether {@code y_pred} holds logits. */
  public boolean fromLogits() {
    return fromLogits;
  }

  /** The label smoothing factor. */
  public float labelSmoothing() {
    return labelSmoothing;
  }

  @Override
  public Map<String, Object> getConfig() {
    return Map.of("name", name(), "fromLogits", fromLogits, "labelSmoothing", labelSmoothing);
  }
}
