package io.github.keras4j.layers.convolutional;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

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
public class Conv2DTranspose extends KernelConv {

  private final int[] outputPadding;

  /** A linear Conv2DTranspose with a square window. */
  public Conv2DTranspose(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A Conv2DTranspose with a square window and a built-in activation by Keras id. */
  public Conv2DTranspose(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private Conv2DTranspose(Builder b) {
    super(2, b, "conv2d_transpose", false);
    String owner = "Layer '" + name() + "'";
    if (b.outputPadding == null) {
      this.outputPadding = null;
    } else {
      this.outputPadding = ConvUtils.standardizeTuple(owner, b.outputPadding, 2, "output_padding", true);
      int[] s = strides();
      for (int i = 0; i < 2; i++) {
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
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a square window, or {@code (height, width)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  @Override
  protected long outputLength(int axis, long inputLength) {
    return ConvUtils.transposeOutputLength(inputLength, kernelSize()[axis], strides()[axis], dilationRate()[axis],
        padding(), outputPadding == null ? null : outputPadding[axis]);
  }

  @Override
  protected Shape kernelShape(long inputChannels) {
    int[] k = kernelSize();
    return Shape.of(k[0], k[1], filters(), inputChannels);
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    // Keras4J inputs have known spatial sizes (InputLayer requires them), so only the batch size is dynamic.
    Shape out = computeOutputShape(inputs.shape());
    Operand<TInt32> batch = tf.slice(tf.shape(inputs), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> rest = tf.constant(new int[] {(int) out.get(1), (int) out.get(2), filters()});
    Operand<TInt32> outputShape = tf.concat(List.of(batch, rest), tf.constant(0));
    return tf.nn.conv2dBackpropInput(outputShape, dilateKernel(tf, kernel().value()), inputs, strides4(), tfPadding());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("output_padding", outputPadding == null ? null : ConvUtils.toList(outputPadding));
    return c;
  }

  /** Optional settings of {@link Conv2DTranspose}, with Keras's defaults. */
  public static final class Builder extends BaseConv.KernelBuilder<Builder> {
    private int[] outputPadding;

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /**
     * Extra rows/columns added at the bottom/right of the output, one value or one per axis, each below the
     * stride of its axis; null (the default) for Keras's default output size.
     */
    public Builder outputPadding(int... outputPadding) {
      this.outputPadding = outputPadding == null ? null : outputPadding.clone();
      return this;
    }

    /** The layer. */
    public Conv2DTranspose build() {
      return new Conv2DTranspose(this);
    }
  }
}
