package io.github.keras4j.layers.convolutional;

/**
 * Transposed 2-D convolution (sometimes called deconvolution): the gradient of a {@link Conv2D} with respect to
 * its input, used to upsample feature maps. Each input pixel scatters {@code kernel * value} into a window of the
 * output; windows are {@code strides} apart.
 *
 * <p>Input shape: {@code (batch, height, width, channels)}; output shape
 * {@code (batch, newHeight, newWidth, filters)} as Keras's {@code compute_conv_transpose_output_shape}: with
 * {@code k' = (k - 1) d + 1}, {@code "valid"} gives {@code (n - 1) s + max(k', s)} and {@code "same"} gives
 * {@code n s}; an explicit {@code outputPadding p} gives {@code (n - 1) s + k' + p} and
 * {@code (n - 1) s + k' % 2 + p}. Weights as Keras: {@code kernel} of shape {@code (kh, kw, filters, channels)}
 * (output channels before input channels) and {@code bias} of shape {@code (filters,)}.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"}, no {@code outputPadding},
 * {@code dilationRate=1}, no activation, {@code useBias=true}, {@code kernelInitializer="glorot_uniform"},
 * {@code biasInitializer="zeros"}, no {@code kernelRegularizer}, {@code biasRegularizer},
 * {@code activityRegularizer}, {@code kernelConstraint} or {@code biasConstraint} (see {@link BaseConv}).
 * Channels-last only.
 *
 * <pre>{@code
 * Conv2DTranspose.builder(16, 3).strides(2).padding("same").build();   // (None, 7, 7, 8) -> (None, 14, 14, 16)
 * }</pre>
 */
public class Conv2DTranspose extends BaseConvTranspose {

  /** A linear Conv2DTranspose with a square window. */
  public Conv2DTranspose(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A Conv2DTranspose with a square window and a built-in activation by Keras id. */
  public Conv2DTranspose(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private Conv2DTranspose(Builder b) {
    super(2, b, "conv2d_transpose");
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a square window, or {@code (height, width)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** Optional settings of {@link Conv2DTranspose}, with Keras's defaults. */
  public static final class Builder extends BaseConvTranspose.Builder<Builder> {

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public Conv2DTranspose build() {
      return new Conv2DTranspose(this);
    }
  }
}
