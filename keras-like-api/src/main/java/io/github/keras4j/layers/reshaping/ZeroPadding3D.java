package io.github.keras4j.layers.reshaping;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds zeros at both ends of the three spatial axes of volumes.
 *
 * <p>Input shape {@code (batch, dim1, dim2, dim3, channels)}; output shape
 * {@code (batch, dim1 + left1 + right1, dim2 + left2 + right2, dim3 + left3 + right3, channels)}. Default as Keras:
 * one position on every side. Channels-last only.
 *
 * <pre>{@code
 * new ZeroPadding3D();                                       // (None, 8, 8, 8, 2) -> (None, 10, 10, 10, 2)
 * new ZeroPadding3D(new int[][] {{1, 0}, {2, 3}, {0, 0}});   // dim1: 1 before, 0 after; dim2: 2 and 3
 * }</pre>
 */
public class ZeroPadding3D extends Layer {

  private final int[][] padding;

  /** One position of zeros on every side. */
  public ZeroPadding3D() {
    this(1);
  }

  /** {@code padding} positions of zeros on every side. */
  public ZeroPadding3D(int padding) {
    this(padding, padding, padding);
  }

  /** {@code dim1}, {@code dim2} and {@code dim3} positions at both ends of each axis. */
  public ZeroPadding3D(int dim1, int dim2, int dim3) {
    this(new int[][] {{dim1, dim1}, {dim2, dim2}, {dim3, dim3}}, null);
  }

  /** {@code ((left1, right1), (left2, right2), (left3, right3))}. */
  public ZeroPadding3D(int[][] padding) {
    this(padding, null);
  }

  /**
   * @param padding {@code ((left1, right1), (left2, right2), (left3, right3))}, all {@code >= 0}
   * @param name the layer's name, or null for a generated one ({@code zero_padding3d}, ...)
   */
  public ZeroPadding3D(int[][] padding, String name) {
    super(name != null ? name : Backend.uniqueName("zero_padding3d"));
    this.padding = Cropping2D.checkPairs("Layer '" + name() + "'", "padding", padding, 3);
    setInputSpec(new InputSpec(null, 5, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return ZeroPadding2D.paddedShape(inputShape, padding);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return ZeroPadding2D.pad(tf, inputs, padding);
  }

  /** {@code ((left1, right1), (left2, right2), (left3, right3))}. */
  public int[][] padding() {
    return new int[][] {padding[0].clone(), padding[1].clone(), padding[2].clone()};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("padding", Cropping2D.toLists(padding));
    c.put("data_format", "channels_last");
    return c;
  }
}
