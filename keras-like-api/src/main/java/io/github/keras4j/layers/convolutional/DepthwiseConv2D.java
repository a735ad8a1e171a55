package io.github.keras4j.layers.convolutional;

/**
 * Depthwise 2-D convolution: every input channel is convolved with its own {@code depthMultiplier} kernels,
 * without mixing channels (see {@link BaseDepthwiseConv}).
 *
 * <p>Input shape: {@code (batch, height, width, channels)}; output shape
 * {@code (batch, newHeight, newWidth, channels * depthMultiplier)}, spatial sizes as {@link Conv2D}. Weights:
 * {@code kernel} of shape {@code (kh, kw, channels, depthMultiplier)} and {@code bias}.
 *
 * <p>Defaults as Keras: {@code depthMultiplier=1}, {@code strides=1}, {@code padding="valid"},
 * {@code dilationRate=1}, no activation, {@code useBias=true}, {@code depthwiseInitializer="glorot_uniform"},
 * {@code biasInitializer="zeros"}, no {@code depthwiseRegularizer}, {@code biasRegularizer},
 * {@code activityRegularizer}, {@code depthwiseConstraint} or {@code biasConstraint} (Keras's names; see
 * {@link BaseConv}). Channels-last only.
 *
 * <pre>{@code
 * new DepthwiseConv2D(3);
 * DepthwiseConv2D.builder(3).depthMultiplier(2).padding("same").activation("relu").build();
 * }</pre>
 */
public class DepthwiseConv2D extends BaseDepthwiseConv {

  /** A linear DepthwiseConv2D with a square window and {@code depthMultiplier=1}. */
  public DepthwiseConv2D(int kernelSize) {
    this(builder(kernelSize));
  }

  private DepthwiseConv2D(Builder b) {
    super(2, b, "depthwise_conv2d");
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a square window, or {@code (height, width)}
   */
  public static Builder builder(int... kernelSize) {
    return new Builder(kernelSize);
  }

  /** Optional settings of {@link DepthwiseConv2D}, with Keras's defaults. */
  public static final class Builder extends BaseConv.DepthwiseBuilder<Builder> {

    private Builder(int... kernelSize) {
      super(kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public DepthwiseConv2D build() {
      return new DepthwiseConv2D(this);
    }
  }
}
