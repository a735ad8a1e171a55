package io.github.keras4j.layers.convolutional;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.WeightSettings;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

/**
 * A convolution with {@code filters} output channels and one ordinary {@code kernel} weight ({@link Conv1D},
 * {@link Conv2D}, {@link Conv3D} and the transposed convolutions of {@link BaseConvTranspose}; Keras's
 * {@code BaseConv} and {@code BaseConvTranspose}): the filter
 * count, the kernel's settings and variable, and their config entries. Subclasses give the kernel's shape and the
 * convolution.
 */
public abstract class KernelConv extends BaseConv {

  private final int filters;
  private final WeightSettings kernelSettings;
  private GraphVariable kernel;

  /**
   * @param rank the number of spatial axes (1, 2 or 3)
   * @param b the settings
   * @param kerasName the prefix of the default layer name ({@code "conv2d"})
   * @param allowCausal whether {@code padding="causal"} is accepted (Conv1D)
   */
  protected KernelConv(int rank, KernelBuilder<?> b, String kerasName, boolean allowCausal) {
    super(rank, b, kerasName, allowCausal, false);
    this.filters = positive("Layer '" + name() + "'", "filters", b.filters);
    this.kernelSettings = b.kernel.resolve();
  }

  /** The kernel's shape for {@code inputChannels} input channels. */
  protected abstract Shape kernelShape(long inputChannels);

  @Override
  protected long outputChannels(long inputChannels) {
    return filters;
  }

  @Override
  protected void buildKernels(Ops tf, long inputChannels) {
    kernel = addWeight("kernel", kernelShape(inputChannels), kernelSettings);
  }

  /** The number of filters (output channels). */
  public int filters() {
    return filters;
  }

  /** The kernel variable, after build. */
  public GraphVariable kernel() {
    return kernel;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("filters", filters);
    kernelSettings.putConfig(c);
    return c;
  }
}
