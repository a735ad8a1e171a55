package io.github.keras4j.layers.preprocessing;

/**
 * The settings that the builders of the random image layers share: the layer's name and the seed of its draws
 * (what {@link BaseImagePreprocessingLayer}'s constructor takes).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RandomLayerBuilder<B extends RandomLayerBuilder<B>> {
  Long seed;
  String name;

  RandomLayerBuilder() {}

  /** This builder, typed as the concrete builder. */
  abstract B self();

  /** The draws' seed; by default one from the global seed sequence. */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /** The layer's name. */
  public B name(String name) {
    this.name = name;
    return self();
  }

  /**
   * A {@link RandomLayerBuilder} with Keras's {@code value_range}, for the layers whose input values lie in a known
   * range (their output is kept in it).
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class WithValueRange<B extends WithValueRange<B>> extends RandomLayerBuilder<B> {
    double[] valueRange = {0, 255};

    WithValueRange() {}

    /** The range of the input values, which the output is kept in; default {@code (0, 255)}. */
    public B valueRange(double low, double high) {
      this.valueRange = new double[] {low, high};
      return self();
    }
  }
}
