package io.github.keras4j.layers.convolutional;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * 2-D convolution over images: {@code filters} kernels of size {@code kernelSize} slide over the height and
 * width of the input, {@code output = activation(conv2d(inputs, kernel) + bias)}.
 *
 * <p>Input shape: {@code (batch, height, width, channels)}; output shape:
 * {@code (batch, newHeight, newWidth, filters)}, each new size {@code floor((n - d (k - 1) - 1) / s) + 1} for
 * {@code padding="valid"} and {@code ceil(n / s)} for {@code "same"}. Weights as Keras: {@code kernel} of shape
 * {@code (kh, kw, channels, filters)} and {@code bias} of shape {@code (filters,)}.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"}, {@code dilationRate=1}, no activation,
 * {@code useBias=true}, {@code kernelInitializer="glorot_uniform"}, {@code biasInitializer="zeros"}, no
 * {@code kernelRegularizer}, {@code biasRegularizer}, {@code activityRegularizer}, {@code kernelConstraint} or
 * {@code biasConstraint} (see {@link BaseConv}). Channels-last only; no {@code groups}.
 *
 * <pre>{@code
 * new Conv2D(32, 3, "relu");                       // (None, 28, 28, 1) -> (None, 26, 26, 32), 320 params
 * Conv2D.builder(64, 3, 5).strides(2).padding("same").activation("relu").build();
 * Conv2D.builder(32, 3).kernelRegularizer(new L2(1e-4)).kernelConstraint("max_norm").build();
 * }</pre>
 */
public class Conv2D extends KernelConv {

  /** A linear Conv2D with a square {@code kernelSize x kernelSize} window. */
  public Conv2D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A Conv2D with a square window and a built-in activation by Keras id ({@code "relu"}). */
  public Conv2D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private Conv2D(Builder b) {
    super(2, b, "conv2d", false);
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a square window, or {@code (height, width)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  @Override
  protected Shape kernelShape(long inputChannels) {
    int[] k = kernelSize();
    return Shape.of(k[0], k[1], inputChannels, filters());
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    return tf.nn.conv2d(inputs, dilateKernel(tf, kernel().value()), strides4(), tfPadding());
  }

  /** Optional settings of {@link Conv2D}, with Keras's defaults. */
  public static final class Builder extends BaseConv.KernelBuilder<Builder> {

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public Conv2D build() {
      return new Conv2D(this);
    }
  }
}
