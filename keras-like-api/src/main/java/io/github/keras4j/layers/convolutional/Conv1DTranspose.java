package io.github.keras4j.layers.convolutional;

/**
 * Transposed 1-D convolution (sometimes called deconvolution): the gradient of a {@link Conv1D} with respect to
 * its input, used to upsample sequences. Each input step scatters {@code kernel * value} into a window of the
 * output; windows are {@code strides} apart.
 *
 * <p>Input shape: {@code (batch, steps, channels)}; output shape {@code (batch, newSteps, filters)} as Keras's
 * {@code compute_conv_transpose_output_shape}: with {@code k' = (k - 1) d + 1}, {@code "valid"} gives
 * {@code (n - 1) s + max(k', s)} and {@code "same"} gives {@code n s}; an explicit {@code outputPadding p} gives
 * {@code (n - 1) s + k' + p} and {@code (n - 1) s + k' % 2 + p}. Weights as Keras: {@code kernel} of shape
 * {@code (k, filters, channels)} (output channels before input channels) and {@code bias} of shape
 * {@code (filters,)}. It runs as a {@link Conv2DTranspose} over inputs with a height of 1.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"} ({@code "causal"} is not accepted, as Keras), no
 * {@code outputPadding}, {@code dilationRate=1}, no activation, {@code useBias=true},
 * {@code kernelInitializer="glorot_uniform"}, {@code biasInitializer="zeros"}, no {@code kernelRegularizer},
 * {@code biasRegularizer}, {@code activityRegularizer}, {@code kernelConstraint} or {@code biasConstraint} (see
 * {@link BaseConv}). Channels-last only.
 *
 * <pre>{@code
 * Conv1DTranspose.builder(8, 3).strides(2).padding("same").build();   // (None, 10, 4) -> (None, 20, 8)
 * }</pre>
 */
public class Conv1DTranspose extends BaseConvTranspose {

  /** A linear Conv1DTranspose. */
  public Conv1DTranspose(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A Conv1DTranspose with a built-in activation by Keras id. */
  public Conv1DTranspose(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private Conv1DTranspose(Builder b) {
    super(1, b, "conv1d_transpose");
  }

  /** A builder for the optional settings. */
  public static Builder builder(int filters, int kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** Optional settings of {@link Conv1DTranspose}, with Keras's defaults. */
  public static final class Builder extends BaseConvTranspose.Builder<Builder> {

    private Builder(int filters, int kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public Conv1DTranspose build() {
      return new Conv1DTranspose(this);
    }
  }
}
