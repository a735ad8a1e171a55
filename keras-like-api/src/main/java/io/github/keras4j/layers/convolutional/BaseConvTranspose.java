package io.github.keras4j.layers.convolutional;

import io.github.keras4j.graph.Shapes;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The shared part of the transposed convolutions ({@link Conv1DTranspose}, {@link Conv2DTranspose},
 * {@link Conv3DTranspose}; Keras's {@code BaseConvTranspose}): the {@code outputPadding} setting and its check,
 * the output size formula, the kernel shape {@code kernelSize + (filters, channels)} (output channels before input
 * channels) and the output-shape tensor that TensorFlow's backprop-input ops need.
 *
 * <p>Output sizes as Keras's {@code compute_conv_transpose_output_shape}, see
 * {@link ConvUtils#transposeOutputLength}.
 */
public abstract class BaseConvTranspose extends KernelConv {

  private final int[] outputPadding;

  /**
   * @param rank the number of spatial axes (1, 2 or 3)
   * @param b the settings
   * @param kerasName the prefix of the default layer name ({@code "conv2d_transpose"})
   */
  protected BaseConvTranspose(int rank, Builder<?> b, String kerasName) {
    super(rank, b, kerasName, false);
    String owner = "Layer '" + name() + "'";
    if (b.outputPadding == null) {
      this.outputPadding = null;
    } else {
      this.outputPadding = ConvUtils.standardizeTuple(owner, b.outputPadding, rank, "output_padding", true);
      int[] s = strides();
      for (int i = 0; i < rank; i++) {
        if (outputPadding[i] >= s[i]) {
          throw new IllegalArgumentException(owner + ": `output_padding` must be strictly less than `strides` for "
              + "all dimensions. At dimension " + i + ", `output_padding` is " + outputPadding[i] + " but `strides` is "
              + s[i] + ". Received: output_padding=" + ConvUtils.formatTuple(outputPadding) + ", strides="
              + ConvUtils.formatTuple(s));
        }
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code padding="same"}, an even (dilated) kernel size and an output padding
   *     of 0 give an output from which the forward convolution would not give back the input size (Keras's formula
   *     allows it; TensorFlow then fails when the layer runs, and its 3-D CPU kernel aborts the process)
   */
  @Override
  protected long outputLength(int axis, long inputLength) {
    int k = kernelSize()[axis];
    int s = strides()[axis];
    int d = dilationRate()[axis];
    long out = ConvUtils.transposeOutputLength(inputLength, k, s, d, padding(),
        outputPadding == null ? null : outputPadding[axis]);
    if (inputLength >= 0 && out > 0 && ConvUtils.convOutputLength(out, k, s, d, padding()) != inputLength) {
      throw new IllegalArgumentException("Layer '" + name() + "': with padding='" + padding() + "', kernel_size="
          + ConvUtils.formatTuple(kernelSize()) + ", dilation_rate=" + ConvUtils.formatTuple(dilationRate())
          + ", strides=" + ConvUtils.formatTuple(strides()) + " and output_padding="
          + ConvUtils.formatTuple(outputPadding) + ", spatial axis " + axis + " of the output would have size " + out
          + ", from which the forward convolution gives " + ConvUtils.convOutputLength(out, k, s, d, padding())
          + " instead of the input's " + inputLength + ". Use an output_padding of at least 1 on that axis.");
    }
    return out;
  }

  @Override
  protected Shape kernelShape(long inputChannels) {
    int[] k = kernelSize();
    long[] dims = new long[rank + 2];
    for (int i = 0; i < rank; i++) {
      dims[i] = k[i];
    }
    dims[rank] = filters();
    dims[rank + 1] = inputChannels;
    return Shape.of(dims);
  }

  /**
   * The transposed convolution (TensorFlow's backprop-input op) of the dilated kernel: 3-D layers run
   * {@code conv3dBackpropInput}, 2-D layers {@code conv2dBackpropInput}, and 1-D layers the 2-D op over inputs with a
   * height of 1 ({@code (batch, 1, steps, channels)}, kernel {@code (1, k, filters, channels)}).
   */
  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    if (rank == 1) {
      // (batch, steps, channels) -> (batch, 1, steps, channels); kernel (k, filters, in) -> (1, k, filters, in).
      Operand<TFloat32> x4 = tf.expandDims(inputs, tf.constant(1));
      Operand<TFloat32> k4 = tf.expandDims(dilateKernel(tf, kernel().value()), tf.constant(0));
      Operand<TFloat32> y = tf.nn.conv2dBackpropInput(outputShape(tf, inputs, 1), k4, x4, strides4(), tfPadding());
      return tf.squeeze(y, Squeeze.axis(List.of(1L)));
    }
    Operand<TInt32> outputShape = outputShape(tf, inputs);
    Operand<TFloat32> k = dilateKernel(tf, kernel().value());
    return rank == 2
        ? tf.nn.conv2dBackpropInput(outputShape, k, inputs, strides4(), tfPadding())
        : tf.nn.conv3dBackpropInput(outputShape, k, inputs, strides5(), tfPadding());
  }

  /**
   * The output shape as a tensor: the dynamic batch size of {@code inputs}, then {@code leading} (e.g. a unit
   * axis for a 1-D layer run as 2-D), then the static output sizes and {@code filters}. Keras4J inputs have known
   * spatial sizes (InputLayer requires them), so only the batch size is dynamic.
   */
  protected final Operand<TInt32> outputShape(Ops tf, Operand<TFloat32> inputs, int... leading) {
    Shape out = convolutionOutputShape(inputs.shape());
    int[] rest = new int[leading.length + rank + 1];
    System.arraycopy(leading, 0, rest, 0, leading.length);
    for (int i = 0; i <= rank; i++) {
      rest[leading.length + i] = (int) out.get(i + 1);
    }
    Operand<TInt32> batch = Shapes.dims(tf, inputs, 0, 1);
    return tf.concat(List.of(batch, tf.constant(rest)), tf.constant(0));
  }

  /** The output padding, one value per spatial axis, or null for Keras's default output size. */
  public final int[] outputPadding() {
    return outputPadding == null ? null : outputPadding.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("output_padding", outputPadding == null ? null : ConvUtils.toList(outputPadding));
    return c;
  }

  /**
   * The builder of the transposed convolutions: the {@link BaseConv.KernelBuilder} settings plus
   * {@code outputPadding} (default none).
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class Builder<B extends Builder<B>> extends BaseConv.KernelBuilder<B> {
    private int[] outputPadding;

    /**
     * @param filters the number of output channels
     * @param kernelSize one value for every spatial axis, or one value per axis
     */
    protected Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    /**
     * Extra positions added at the end of each output axis, one value or one per axis, each below the stride of
     * its axis; null (the default) for Keras's default output size.
     */
    public B outputPadding(int... outputPadding) {
      this.outputPadding = outputPadding == null ? null : outputPadding.clone();
      return self();
    }
  }
}
