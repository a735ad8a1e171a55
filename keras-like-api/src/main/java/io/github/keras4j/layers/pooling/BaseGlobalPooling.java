package io.github.keras4j.layers.pooling;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The shared part of the global pooling layers: the max or mean over every spatial axis.
 *
 * <p>Input shape {@code (batch, spatial..., channels)}; output shape {@code (batch, channels)}, or
 * {@code (batch, 1, ..., 1, channels)} with {@code keepdims=true}. Channels-last only.
 */
public abstract class BaseGlobalPooling extends Layer {

  private final int poolDimensions;
  private final boolean max;
  private final boolean keepdims;

  /**
   * @param poolDimensions 1, 2 or 3
   * @param max true for the maximum, false for the mean
   * @param keepdims whether the spatial axes stay, with size 1
   * @param name the layer's name, or null for a generated one from {@code kerasName}
   * @param kerasName Keras's snake_case class name ({@code "global_average_pooling2d"})
   */
  protected BaseGlobalPooling(int poolDimensions, boolean max, boolean keepdims, String name, String kerasName) {
    super(name != null ? name : Backend.uniqueName(kerasName));
    this.poolDimensions = poolDimensions;
    this.max = max;
    this.keepdims = keepdims;
    setInputSpec(new InputSpec(null, poolDimensions + 2, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long channels = inputShape.get(poolDimensions + 1);
    if (!keepdims) {
      return Shape.of(inputShape.get(0), channels);
    }
    long[] out = new long[poolDimensions + 2];
    Arrays.fill(out, 1L);
    out[0] = inputShape.get(0);
    out[poolDimensions + 1] = channels;
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    int[] axes = new int[poolDimensions];
    for (int i = 0; i < poolDimensions; i++) {
      axes[i] = i + 1;
    }
    if (max) {
      return tf.reduceMax(inputs, tf.constant(axes), ReduceMax.keepDims(keepdims));
    }
    return tf.math.mean(inputs, tf.constant(axes), Mean.keepDims(keepdims));
  }

  /** Whether the spatial axes are kept with size 1. */
  public final boolean keepdims() {
    return keepdims;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("data_format", "channels_last");
    c.put("keepdims", keepdims);
    return c;
  }
}
