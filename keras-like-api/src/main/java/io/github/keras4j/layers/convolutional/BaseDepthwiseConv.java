package io.github.keras4j.layers.convolutional;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.WeightSettings;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The shared part of {@link DepthwiseConv1D} and {@link DepthwiseConv2D}, as Keras's {@code BaseDepthwiseConv}:
 * every input channel is convolved with its own {@code depthMultiplier} kernels, without mixing channels. Output
 * channel {@code c * depthMultiplier + m} is input channel {@code c} convolved with kernel {@code [..., c, m]}.
 *
 * <p>Weights as Keras 3: {@code kernel} of shape {@code (k..., channels, depthMultiplier)} (Keras 2 called it
 * {@code depthwise_kernel}) and {@code bias} of shape {@code (channels * depthMultiplier,)}. A 1-D layer runs as a
 * 2-D depthwise convolution on inputs with a height of 1.
 */
public abstract class BaseDepthwiseConv extends BaseConv {

  private final int depthMultiplier;
  private final WeightSettings depthwiseSettings;
  private GraphVariable kernel;

  BaseDepthwiseConv(int rank, DepthwiseBuilder<?> b, String kerasName) {
    super(rank, b, kerasName, false, true);
    this.depthMultiplier = positive("Layer '" + name() + "'", "depth_multiplier", b.depthMultiplier);
    this.depthwiseSettings = b.depthwise.resolve();
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return inputChannels * depthMultiplier;
  }

  @Override
  protected void buildKernels(Ops tf, long inputChannels) {
    kernel = addWeight("kernel", depthwiseShape(inputChannels, depthMultiplier), depthwiseSettings);
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    return from4d(tf, depthwise4d(tf, inputs, kernel.value()));
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
}
