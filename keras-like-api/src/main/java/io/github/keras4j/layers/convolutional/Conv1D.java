package io.github.keras4j.layers.convolutional;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * 1-D convolution over sequences (temporal convolution): {@code filters} kernels of length {@code kernelSize}
 * slide along the steps of the input, {@code output = activation(conv1d(inputs, kernel) + bias)}.
 *
 * <p>Input shape: {@code (batch, steps, channels)}; output shape: {@code (batch, newSteps, filters)}, with
 * {@code newSteps} as in {@link Conv2D}. {@code padding="causal"} pads {@code dilationRate * (kernelSize - 1)}
 * zeros on the left only, so that output {@code t} depends on inputs {@code 0..t} (the size is that of
 * {@code "same"}). Weights as Keras: {@code kernel} of shape {@code (k, channels, filters)} and {@code bias} of
 * shape {@code (filters,)}. It runs as a 2-D convolution on inputs with a height of 1.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"}, {@code dilationRate=1}, no activation,
 * {@code useBias=true}, {@code kernelInitializer="glorot_uniform"}, {@code biasInitializer="zeros"}, no
 * {@code kernelRegularizer}, {@code biasRegularizer}, {@code activityRegularizer}, {@code kernelConstraint} or
 * {@code biasConstraint} (see {@link BaseConv}). Channels-last only; no {@code groups}.
 *
 * <pre>{@code
 * new Conv1D(16, 3, "relu");
 * Conv1D.builder(8, 2).padding("causal").dilationRate(2).build();
 * }</pre>
 */
public class Conv1D extends KernelConv {

  /** A linear Conv1D. */
  public Conv1D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A Conv1D with a built-in activation by Keras id ({@code "relu"}). */
  public Conv1D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private Conv1D(Builder b) {
    super(1, b, "conv1d", true);
  }

  /** A builder for the optional settings. */
  public static Builder builder(int filters, int kernelSize) {
    return new Builder(filters, kernelSize);
  }

  @Override
  protected Shape kernelShape(long inputChannels) {
    return Shape.of(kernelSize()[0], inputChannels, filters());
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    Operand<TFloat32> x = inputs;
    if ("causal".equals(padding())) {
      int left = dilationRate()[0] * (kernelSize()[0] - 1);
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {left, 0}, {0, 0}}), tf.constant(0f));
    }
    // (batch, steps, channels) -> (batch, 1, steps, channels); kernel (k, in, out) -> (1, k, in, out).
    Operand<TFloat32> x4 = tf.expandDims(x, tf.constant(1));
    Operand<TFloat32> k4 = tf.expandDims(dilateKernel(tf, kernel().value()), tf.constant(0));
    Operand<TFloat32> y = tf.nn.conv2d(x4, k4, strides4(), tfPadding());
    return tf.squeeze(y, Squeeze.axis(List.of(1L)));
  }

  /** Optional settings of {@link Conv1D}, with Keras's defaults. */
  public static final class Builder extends BaseConv.KernelBuilder<Builder> {

    private Builder(int filters, int kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** {@code "valid"}, {@code "same"} or {@code "causal"}. */
    @Override
    public Builder padding(String padding) {
      return super.padding(padding);
    }

    /** The layer. */
    public Conv1D build() {
      return new Conv1D(this);
    }
  }
}
