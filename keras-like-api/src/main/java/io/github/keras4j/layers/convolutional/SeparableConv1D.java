package io.github.keras4j.layers.convolutional;

/**
 * Depthwise separable 1-D convolution over sequences: a depthwise convolution followed by a size-1 convolution that
 * mixes the channels into {@code filters} outputs, then bias and activation (see {@link BaseSeparableConv}).
 *
 * <p>Input shape: {@code (batch, steps, channels)}; output shape {@code (batch, newSteps, filters)},
 * {@code newSteps} as in {@link Conv1D}. Weights as Keras: {@code depthwise_kernel}
 * {@code (k, channels, depthMultiplier)}, {@code pointwise_kernel} {@code (1, channels * depthMultiplier, filters)}
 * and {@code bias} {@code (filters,)}.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"} (or {@code "same"}; no {@code "causal"}, as
 * Keras), {@code dilationRate=1}, {@code depthMultiplier=1}, no activation, {@code useBias=true},
 * {@code depthwiseInitializer} and {@code pointwiseInitializer} {@code "glorot_uniform"},
 * {@code biasInitializer="zeros"}, no regularizers or constraints (see {@link BaseConv}). Channels-last only.
 *
 * <pre>{@code
 * new SeparableConv1D(16, 3, "relu");
 * SeparableConv1D.builder(4, 3).strides(2).depthMultiplier(2).build();   // (4, 10, 12) -> (4, 4, 4)
 * }</pre>
 */
public class SeparableConv1D extends BaseSeparableConv {

  /** A linear SeparableConv1D. */
  public SeparableConv1D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A SeparableConv1D with a built-in activation by Keras id. */
  public SeparableConv1D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private SeparableConv1D(Builder b) {
    super(1, b, "separable_conv1d");
  }

  /** A builder for the optional settings; {@code kernelSize} is the depthwise window's length. */
  public static Builder builder(int filters, int kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** Optional settings of {@link SeparableConv1D}, with Keras's defaults. */
  public static final class Builder extends SeparableBuilder<Builder> {

    private Builder(int filters, int kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public SeparableConv1D build() {
      return new SeparableConv1D(this);
    }
  }
}
