package io.github.keras4j.layers.convolutional;

/**
 * Depthwise separable 2-D convolution: a depthwise convolution followed by a 1x1 convolution that mixes the
 * channels into {@code filters} outputs, then bias and activation (see {@link BaseSeparableConv}).
 *
 * <p>Input shape: {@code (batch, height, width, channels)}; output shape
 * {@code (batch, newHeight, newWidth, filters)}, spatial sizes as {@link Conv2D}. Weights as Keras:
 * {@code depthwise_kernel} {@code (kh, kw, channels, depthMultiplier)}, {@code pointwise_kernel}
 * {@code (1, 1, channels * depthMultiplier, filters)} and {@code bias} {@code (filters,)}.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"}, {@code dilationRate=1},
 * {@code depthMultiplier=1}, no activation, {@code useBias=true}, {@code depthwiseInitializer} and
 * {@code pointwiseInitializer} {@code "glorot_uniform"}, {@code biasInitializer="zeros"}, no regularizers
 * ({@code depthwiseRegularizer}, {@code pointwiseRegularizer}, {@code biasRegularizer},
 * {@code activityRegularizer}) or constraints ({@code depthwiseConstraint}, {@code pointwiseConstraint},
 * {@code biasConstraint}; see {@link BaseConv}). Channels-last only.
 *
 * <pre>{@code
 * new SeparableConv2D(32, 3, "relu");
 * SeparableConv2D.builder(32, 3).depthMultiplier(2).padding("same").build();
 * }</pre>
 */
public class SeparableConv2D extends BaseSeparableConv {

  /** A linear SeparableConv2D with a square window. */
  public SeparableConv2D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A SeparableConv2D with a square window and a built-in activation by Keras id. */
  public SeparableConv2D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private SeparableConv2D(Builder b) {
    super(2, b, "separable_conv2d");
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the depthwise window: one value for a square window, or {@code (height, width)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** Optional settings of {@link SeparableConv2D}, with Keras's defaults. */
  public static final class Builder extends SeparableBuilder<Builder> {

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public SeparableConv2D build() {
      return new SeparableConv2D(this);
    }
  }
}
