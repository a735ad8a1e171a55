package io.github.keras4j.layers.convolutional;

/**
 * Transposed 3-D convolution (sometimes called deconvolution): the gradient of a {@link Conv3D} with respect to
 * its input, used to upsample volumes. Each input voxel scatters {@code kernel * value} into a window of the
 * output; windows are {@code strides} apart.
 *
 * <p>Input shape: {@code (batch, depth, height, width, channels)}; output shape
 * {@code (batch, newDepth, newHeight, newWidth, filters)}, each size as in {@link Conv2DTranspose}. Weights as
 * Keras: {@code kernel} of shape {@code (kd, kh, kw, filters, channels)} (output channels before input channels)
 * and {@code bias} of shape {@code (filters,)}.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"}, no {@code outputPadding},
 * {@code dilationRate=1}, no activation, {@code useBias=true}, {@code kernelInitializer="glorot_uniform"},
 * {@code biasInitializer="zeros"}, no {@code kernelRegularizer}, {@code biasRegularizer},
 * {@code activityRegularizer}, {@code kernelConstraint} or {@code biasConstraint} (see {@link BaseConv}).
 * Channels-last only.
 *
 * <p>TensorFlow's C++ gradient registry has no gradient for the {@code Conv3DBackpropInputV2} op this layer runs;
 * Keras4J registers one the first time the layer is called (see {@link Conv3D}). Second derivatives are not
 * available.
 *
 * <pre>{@code
 * Conv3DTranspose.builder(4, 3).strides(2).padding("same").build();   // (None, 4, 4, 4, 8) -> (None, 8, 8, 8, 4)
 * }</pre>
 */
public class Conv3DTranspose extends BaseConvTranspose {

  /** A linear Conv3DTranspose with a cubic window. */
  public Conv3DTranspose(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A Conv3DTranspose with a cubic window and a built-in activation by Keras id. */
  public Conv3DTranspose(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private Conv3DTranspose(Builder b) {
    super(3, b, "conv3d_transpose");
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a cubic window, or {@code (depth, height, width)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** Optional settings of {@link Conv3DTranspose}, with Keras's defaults. */
  public static final class Builder extends BaseConvTranspose.Builder<Builder> {

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public Conv3DTranspose build() {
      return new Conv3DTranspose(this);
    }
  }
}
