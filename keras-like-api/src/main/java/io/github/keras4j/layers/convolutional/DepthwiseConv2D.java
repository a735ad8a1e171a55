package io.github.keras4j.layers.convolutional;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.WeightSettings;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Depthwise 2-D convolution: every input channel is convolved with its own {@code depthMultiplier} kernels,
 * without mixing channels. Output channel {@code c * depthMultiplier + m} is input channel {@code c} convolved
 * with kernel {@code [:, :, c, m]}.
 *
 * <p>Input shape: {@code (batch, height, width, channels)}; output shape
 * {@code (batch, newHeight, newWidth, channels * depthMultiplier)}, spatial sizes as {@link Conv2D}. Weights as
 * Keras 3: {@code kernel} of shape {@code (kh, kw, channels, depthMultiplier)} (Keras 2 called it
 * {@code depthwise_kernel}) and {@code bias} of shape {@code (channels * depthMultiplier,)}.
 *
 * <p>Defaults as Keras: {@code depthMultiplier=1}, {@code strides=1}, {@code padding="valid"},
 * {@code dilationRate=1}, no activation, {@code useBias=true}, {@code depthwiseInitializer="glorot_uniform"},
 * {@code biasInitializer="zeros"}, no {@code depthwiseRegularizer}, {@code biasRegularizer},
 * {@code activityRegularizer}, {@code depthwiseConstraint} or {@code biasConstraint} (Keras's names; see
 * {@link BaseConv}). Channels-last only.
 *
 * <pre>{@code
 * new DepthwiseConv2D(3);
 * DepthwiseConv2D.builder(3).depthMultiplier(2).padding("same").activation("relu").build();
 * }</pre>
 */
public class DepthwiseConv2D extends BaseConv {

  private final int depthMultiplier;
  private final WeightSettings depthwiseSettings;
  private GraphVariable kernel;

  /** A linear DepthwiseConv2D with a square window and {@code depthMultiplier=1}. */
  public DepthwiseConv2D(int kernelSize) {
    this(builder(kernelSize));
  }

  private DepthwiseConv2D(Builder b) {
    super(2, b, "depthwise_conv2d", false, true);
    this.depthMultiplier = positive("Layer '" + name() + "'", "depth_multiplier", b.depthMultiplier);
    this.depthwiseSettings = b.depthwise.resolve();
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a square window, or {@code (height, width)}
   */
  public static Builder builder(int... kernelSize) {
    return new Builder(kernelSize);
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return inputChannels * depthMultiplier;
  }

  @Override
  protected void buildKernels(Ops tf, long inputChannels) {
    int[] k = kernelSize();
    kernel = addWeight("kernel", Shape.of(k[0], k[1], inputChannels, depthMultiplier), depthwiseSettings);
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    return tf.nn.depthwiseConv2dNative(inputs, dilateKernel(tf, kernel.value()), strides4(), tfPadding());
  }

  /** The number of output channels per input channel. */
  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** The depthwise kernel variable ({@code <name>/kernel}), after build. */
  public GraphVariable kernel() {
    return kernel;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("depth_multiplier", depthMultiplier);
    depthwiseSettings.putConfig(c);
    return c;
  }

  /** Optional settings of {@link DepthwiseConv2D}, with Keras's defaults. */
  public static final class Builder extends BaseConv.DepthwiseBuilder<Builder> {

    private Builder(int... kernelSize) {
      super(kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public DepthwiseConv2D build() {
      return new DepthwiseConv2D(this);
    }
  }
}
