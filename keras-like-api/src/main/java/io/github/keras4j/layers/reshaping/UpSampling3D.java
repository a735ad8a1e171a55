package io.github.keras4j.layers.reshaping;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.ConvUtils;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Enlarges volumes by integer factors, repeating every position {@code size[i]} times along spatial axis {@code i}
 * (nearest neighbour, as Keras's {@code ops.repeat} on each axis): {@code (batch, dim1, dim2, dim3, channels)} to
 * {@code (batch, dim1 * size[0], dim2 * size[1], dim3 * size[2], channels)}.
 *
 * <p>Default as Keras: {@code size=(2, 2, 2)}. Channels-last only.
 *
 * <pre>{@code
 * new UpSampling3D();                            // (None, 4, 4, 4, 8) -> (None, 8, 8, 8, 8)
 * new UpSampling3D(new int[] {1, 2, 3}, null);   // (None, 4, 4, 4, 8) -> (None, 4, 8, 12, 8)
 * }</pre>
 */
public class UpSampling3D extends Layer {

  private final int[] size;

  /** Doubles every spatial axis. */
  public UpSampling3D() {
    this(2);
  }

  /** Multiplies every spatial axis by {@code size}. */
  public UpSampling3D(int size) {
    this(new int[] {size}, null);
  }

  /**
   * @param size the factors: one for every axis, or {@code (dim1, dim2, dim3)}; positive
   * @param name the layer's name, or null for a generated one ({@code up_sampling3d}, ...)
   */
  public UpSampling3D(int[] size, String name) {
    super(name != null ? name : Backend.uniqueName("up_sampling3d"));
    this.size = ConvUtils.standardizeTuple("Layer '" + name() + "'", size, 3, "size", false);
    setInputSpec(new InputSpec(null, 5, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return UpSampling1D.repeatedShape(inputShape, size);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    // (b, d1, d2, d3, c) -> (b, d1, 1, d2, 1, d3, 1, c) -> tiled -> (b, d1 * s1, d2 * s2, d3 * s3, c).
    return UpSampling1D.repeat(tf, inputs, size);
  }

  /** The factors {@code (dim1, dim2, dim3)}. */
  public int[] size() {
    return size.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("size", ConvUtils.toList(size));
    c.put("data_format", "channels_last");
    return c;
  }
}
