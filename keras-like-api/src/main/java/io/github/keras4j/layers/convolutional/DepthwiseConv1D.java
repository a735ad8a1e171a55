package io.github.keras4j.layers.convolutional;

/**
 * Depthwise 1-D convolution over sequences: every input channel is convolved with its own
 * {@code depthMultiplier} kernels, without mixing channels (see {@link BaseDepthwiseConv}).
 *
 * <p>Input shape: {@code (batch, steps, channels)}; output shape
 * {@code (batch, newSteps, channels * depthMultiplier)}, {@code newSteps} as in {@link Conv1D}. Weights:
 * {@code kernel} of shape {@code (k, channels, depthMultiplier)} and {@code bias}.
 *
 * <p>Defaults as Keras: {@code depthMultiplier=1}, {@code strides=1}, {@code padding="valid"} (or
 * {@code "same"}; no {@code "causal"}, as Keras), {@code dilationRate=1}, no activation, {@code useBias=true},
 * {@code depthwiseInitializer="glorot_uniform"}, {@code biasInitializer="zeros"}, no regularizers or constraints
 * (see {@link BaseConv}). Channels-last only.
 *
 * <pre>{@code
 * new DepthwiseConv1D(3);
 * DepthwiseConv1D.builder(3).strides(2).depthMultiplier(3).activation("relu").build();  // (4, 10, 12) -> (4, 4, 36)
 * }</pre>
 */
public class DepthwiseConv1D extends BaseDepthwiseConv {

  /** A linear DepthwiseConv1D with {@code depthMultiplier=1}. */
  public DepthwiseConv1D(int kernelSize) {
    this(builder(kernelSize));
  }

  private DepthwiseConv1D(Builder b) {
    super(1, b, "depthwise_conv1d");
  }

  /** A builder for the optional settings; {@code kernelSize} is the window's length. */
  public static Builder builder(int kernelSize) {
    return new Builder(kernelSize);
  }

  /** Optional settings of {@link DepthwiseConv1D}, with Keras's defaults. */
  public static final class Builder extends BaseConv.DepthwiseBuilder<Builder> {

    private Builder(int kernelSize) {
      super(kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public DepthwiseConv1D build() {
      return new DepthwiseConv1D(this);
    }
  }
}
