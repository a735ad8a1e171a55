package io.github.keras4j.losses;

/**
 * The settings that the builders of {@link BinaryFocalCrossentropy} and {@link CategoricalFocalCrossentropy} share,
 * with Keras's defaults: {@code gamma=2.0}, {@code fromLogits=false}, {@code labelSmoothing=0}, {@code axis=-1} and
 * the loss's name. Each builder adds its own {@code alpha} (one weight for class 1, or one weight per class).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class FocalCrossentropyBuilder<B extends FocalCrossentropyBuilder<B>> {
  float gamma = 2.0f;
  boolean fromLogits;
  float labelSmoothing;
  int axis = -1;
  String name;

  /** @param defaultName the loss's name until one is set ({@code "binary_focal_crossentropy"}) */
  FocalCrossentropyBuilder(String defaultName) {
    this.name = defaultName;
  }

  /** This builder, typed as the concrete builder. */
  protected abstract B self();

  /** The focusing parameter, at least 0; default 2. */
  public B gamma(float gamma) {
    this.gamma = gamma;
    return self();
  }

  /** Whether {@code y_pred} holds logits; default false. */
  public B fromLogits(boolean fromLogits) {
    this.fromLogits = fromLogits;
    return self();
  }

  /**
   * Label smoothing, in {@code [0, 1]}; default 0. Binary labels are squeezed towards 0.5, categorical ones towards
   * {@code 1 / numClasses}.
   */
  public B labelSmoothing(float labelSmoothing) {
    this.labelSmoothing = labelSmoothing;
    return self();
  }

  /** The axis the loss reduces over (the class axis of the categorical loss); default -1. */
  public B axis(int axis) {
    this.axis = axis;
    return self();
  }

  /** The loss's name; default {@code binary_focal_crossentropy} or {@code categorical_focal_crossentropy}. */
  public B name(String name) {
    this.name = name;
    return self();
  }
}
