package io.github.keras4j.layers.convolutional;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
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
 * {@code biasConstraint} (see {@link BaseConv}), {@code groups=1}. Channels-last only.
 *
 * <p><b>Grouped convolution</b> ({@code groups > 1}, as Keras): the input channels are split into {@code groups}
 * equal groups, each convolved with its own {@code filters / groups} kernels, and the results are concatenated along
 * the channels. The kernel has shape {@code (kh, kw, channels / groups, filters)}, its output channels taken group by
 * group; both the channels and {@code filters} must be divisible by {@code groups}. {@code groups} equal to the
 * channels is a depthwise convolution (ConvNeXt's) with Conv2D's kernel layout. Java difference: TensorFlow's CPU
 * kernel has no grouped convolution (Keras's TensorFlow backend compiles it with XLA there), so Keras4J runs one
 * group per input channel as a {@code DepthwiseConv2dNative} on the reshaped kernel, and other groupings as one
 * convolution per group, concatenated.
 *
 * <pre>{@code
 * new Conv2D(32, 3, "relu");                       // (None, 28, 28, 1) -> (None, 26, 26, 32), 320 params
 * Conv2D.builder(64, 3, 5).strides(2).padding("same").activation("relu").build();
 * Conv2D.builder(32, 3).kernelRegularizer(new L2(1e-4)).kernelConstraint("max_norm").build();
 * Conv2D.builder(96, 7).padding("same").groups(96).build(); // depthwise on 96 channels, kernel (7, 7, 1, 96)
 * }</pre>
 */
public class Conv2D extends KernelConv {

  private final int groups;

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
    if (b.groups <= 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': the number of groups must be a positive integer. "
          + "Received: groups=" + b.groups + ".");
    }
    if (filters() % b.groups != 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': the number of filters must be evenly divisible by "
          + "the number of groups. Received: groups=" + b.groups + ", filters=" + filters() + ".");
    }
    this.groups = b.groups;
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a square window, or {@code (height, width)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** The number of groups the input channels are split into; 1 for an ordinary convolution. */
  public int groups() {
    return groups;
  }

  /**
   * The output shape, after checking (as Keras does when the layer is first called) that the input channels are
   * divisible by {@code groups}.
   *
   * @throws IllegalArgumentException if they are not (Keras's message)
   */
  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long channels = inputShape.numDimensions() == 4 ? inputShape.get(3) : -1;
    if (channels >= 0 && channels % groups != 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': the number of input channels must be evenly "
          + "divisible by the number of groups. Received groups=" + groups + ", but the input has " + channels
          + " channels (full input shape is " + format(inputShape) + ").");
    }
    return super.computeOutputShape(inputShape);
  }

  /** {@code (kh, kw, inputChannels / groups, filters)}. */
  @Override
  protected Shape kernelShape(long inputChannels) {
    int[] k = kernelSize();
    return Shape.of(k[0], k[1], inputChannels / groups, filters());
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    Operand<TFloat32> k = dilateKernel(tf, kernel().value());
    if (groups == 1) {
      return tf.nn.conv2d(inputs, k, strides4(), tfPadding());
    }
    long channels = inputs.shape().get(3);
    if (groups == channels) {
      // (kh, kw, 1, filters) holds output channel c * m + j of input channel c at [.., 0, c * m + j]: the same values
      // as the depthwise kernel (kh, kw, channels, m) with m = filters / channels.
      Operand<TFloat32> depthwise = tf.reshape(k, tf.constant(new long[] {k.shape().get(0), k.shape().get(1),
          channels, filters() / groups}));
      return tf.nn.depthwiseConv2dNative(inputs, depthwise, strides4(), tfPadding());
    }
    Split<TFloat32> inputGroups = tf.split(tf.constant(3), inputs, (long) groups);
    Split<TFloat32> kernelGroups = tf.split(tf.constant(3), k, (long) groups);
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      outputs.add(tf.nn.conv2d(inputGroups.output().get(g), kernelGroups.output().get(g), strides4(), tfPadding()));
    }
    return tf.concat(outputs, tf.constant(3));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("groups", groups);
    return c;
  }

  /** Optional settings of {@link Conv2D}, with Keras's defaults. */
  public static final class Builder extends BaseConv.KernelBuilder<Builder> {
    private int groups = 1;

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    /**
     * The number of groups the input channels are split into, each convolved separately with
     * {@code filters / groups} filters; default 1. The input channels and {@code filters} must be divisible by it.
     */
    public Builder groups(int groups) {
      this.groups = groups;
      return this;
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
