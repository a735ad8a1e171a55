package io.github.keras4j.layers.pooling;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.ConvUtils;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * The shared part of {@link MaxPooling1D}, {@link MaxPooling2D}, {@link MaxPooling3D}, {@link AveragePooling1D},
 * {@link AveragePooling2D} and {@link AveragePooling3D}: a window of {@code poolSize} moved by {@code strides} (default: {@code poolSize}),
 * reduced by max or mean.
 *
 * <p>Output sizes as Keras's {@code compute_pooling_output_shape}: {@code floor((n - k) / s) + 1} for
 * {@code padding="valid"}, {@code ceil(n / s)} for {@code "same"}. With {@code "same"}, average pooling averages
 * only the values inside the input (the padding is not counted), as TensorFlow and Keras do. Channels-last
 * only; the 1-D layers run as 2-D pooling over a height of 1, the 3-D layers as TensorFlow's 3-D pooling.
 */
public abstract class BasePooling extends Layer {

  private final int poolDimensions;
  private final boolean max;
  private final int[] poolSize;
  private final int[] strides;
  private final String padding;

  /**
   * @param poolDimensions 1, 2 or 3
   * @param max true for max pooling, false for average pooling
   * @param poolSize one value for every spatial axis, or one per axis
   * @param strides as {@code poolSize}; null for {@code poolSize}
   * @param padding {@code "valid"} or {@code "same"}; null for {@code "valid"}
   * @param name the layer's name, or null for a generated one from {@code kerasName}
   * @param kerasName Keras's snake_case class name ({@code "max_pooling2d"})
   */
  protected BasePooling(int poolDimensions, boolean max, int[] poolSize, int[] strides, String padding,
      String name, String kerasName) {
    super(name != null ? name : Backend.uniqueName(kerasName));
    String owner = "Layer '" + name() + "'";
    this.poolDimensions = poolDimensions;
    this.max = max;
    this.poolSize = ConvUtils.standardizeTuple(owner, poolSize, poolDimensions, "pool_size", false);
    this.strides = strides == null ? this.poolSize.clone()
        : ConvUtils.standardizeTuple(owner, strides, poolDimensions, "strides", false);
    this.padding = ConvUtils.standardizePadding(owner, padding == null ? "valid" : padding, false);
    setInputSpec(new InputSpec(null, poolDimensions + 2, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] out = inputShape.asArray().clone();
    for (int i = 0; i < poolDimensions; i++) {
      long n = inputShape.get(i + 1);
      out[i + 1] = ConvUtils.poolOutputLength(n, poolSize[i], strides[i], padding);
      if (n >= 0 && out[i + 1] <= 0) {
        throw new IllegalArgumentException("Layer '" + name() + "': computed output size would be zero or negative. "
            + "Received: input shape " + format(inputShape) + ", pool_size=" + ConvUtils.formatTuple(poolSize)
            + ", strides=" + ConvUtils.formatTuple(strides) + ", padding=" + padding);
      }
    }
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    String tfPadding = "same".equals(padding) ? "SAME" : "VALID";
    if (poolDimensions == 3) {
      List<Long> window = List.of(1L, (long) poolSize[0], (long) poolSize[1], (long) poolSize[2], 1L);
      List<Long> step = List.of(1L, (long) strides[0], (long) strides[1], (long) strides[2], 1L);
      return max ? tf.nn.maxPool3d(inputs, window, step, tfPadding) : tf.nn.avgPool3d(inputs, window, step, tfPadding);
    }
    boolean oneD = poolDimensions == 1;
    // 1-D: (batch, steps, channels) -> (batch, 1, steps, channels).
    Operand<TFloat32> x = oneD ? tf.expandDims(inputs, tf.constant(1)) : inputs;
    long[] window = oneD ? new long[] {1, 1, poolSize[0], 1} : new long[] {1, poolSize[0], poolSize[1], 1};
    long[] step = oneD ? new long[] {1, 1, strides[0], 1} : new long[] {1, strides[0], strides[1], 1};
    Operand<TFloat32> y;
    if (max) {
      y = tf.nn.maxPool(x, tf.constant(toInts(window)), tf.constant(toInts(step)), tfPadding);
    } else {
      y = tf.nn.avgPool(x, toList(window), toList(step), tfPadding);
    }
    return oneD ? tf.squeeze(y, Squeeze.axis(List.of(1L))) : y;
  }

  private static int[] toInts(long[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (int) values[i];
    }
    return out;
  }

  private static List<Long> toList(long[] values) {
    return List.of(values[0], values[1], values[2], values[3]);
  }

  /** The window size, one value per spatial axis. */
  public final int[] poolSize() {
    return poolSize.clone();
  }

  /** The strides, one value per spatial axis. */
  public final int[] strides() {
    return strides.clone();
  }

  /** {@code "valid"} or {@code "same"}. */
  public final String padding() {
    return padding;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("pool_size", ConvUtils.toList(poolSize));
    c.put("padding", padding);
    c.put("strides", ConvUtils.toList(strides));
    c.put("data_format", "channels_last");
    return c;
  }
}
