package io.github.keras4j.layers.convolutional;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * 3-D convolution over volumes (or video): {@code filters} kernels of size {@code kernelSize} slide over the
 * depth, height and width of the input, {@code output = activation(conv3d(inputs, kernel) + bias)}.
 *
 * <p>Input shape: {@code (batch, depth, height, width, channels)}; output shape
 * {@code (batch, newDepth, newHeight, newWidth, filters)}, each new size {@code floor((n - d (k - 1) - 1) / s) + 1}
 * for {@code padding="valid"} and {@code ceil(n / s)} for {@code "same"}. Weights as Keras: {@code kernel} of
 * shape {@code (kd, kh, kw, channels, filters)} and {@code bias} of shape {@code (filters,)}.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"}, {@code dilationRate=1}, no activation,
 * {@code useBias=true}, {@code kernelInitializer="glorot_uniform"}, {@code biasInitializer="zeros"}, no
 * {@code kernelRegularizer}, {@code biasRegularizer}, {@code activityRegularizer}, {@code kernelConstraint} or
 * {@code biasConstraint} (see {@link BaseConv}). Channels-last only; no {@code groups} (as {@link Conv2D}).
 *
 * <p>TensorFlow's C++ gradient registry has no gradient for its {@code Conv3D} op; Keras4J registers one (the
 * usual {@code Conv3DBackpropInputV2} / {@code Conv3DBackpropFilterV2} pair) the first time a Conv3D is called.
 * Second derivatives (a gradient of a gradient) are not available.
 *
 * <pre>{@code
 * new Conv3D(4, 3, "relu");                 // (None, 8, 8, 8, 2) -> (None, 6, 6, 6, 4), 220 params
 * Conv3D.builder(8, 3, 3, 1).strides(2).padding("same").build();
 * }</pre>
 */
public class Conv3D extends KernelConv {

  /** A linear Conv3D with a cubic {@code kernelSize x kernelSize x kernelSize} window. */
  public Conv3D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A Conv3D with a cubic window and a built-in activation by Keras id ({@code "relu"}). */
  public Conv3D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private Conv3D(Builder b) {
    super(3, b, "conv3d", false);
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a cubic window, or {@code (depth, height, width)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  @Override
  protected Shape kernelShape(long inputChannels) {
    int[] k = kernelSize();
    return Shape.of(k[0], k[1], k[2], inputChannels, filters());
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    return tf.nn.conv3d(inputs, dilateKernel(tf, kernel().value()), strides5(), tfPadding());
  }

  /** Optional settings of {@link Conv3D}, with Keras's defaults. */
  public static final class Builder extends BaseConv.KernelBuilder<Builder> {

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public Conv3D build() {
      return new Conv3D(this);
    }
  }
}
