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
 * Removes positions at both ends of the three spatial axes of volumes.
 *
 * <p>Input shape {@code (batch, dim1, dim2, dim3, channels)}; output shape
 * {@code (batch, dim1 - left1 - right1, dim2 - left2 - right2, dim3 - left3 - right3, channels)}. Default as Keras:
 * one position off every side (Keras's Cropping2D defaults to none, its Cropping3D to one). What is cropped along
 * an axis must be smaller than the axis. Channels-last only.
 *
 * <pre>{@code
 * new Cropping3D();                                          // (None, 8, 8, 8, 2) -> (None, 6, 6, 6, 2)
 * new Cropping3D(new int[][] {{1, 0}, {2, 3}, {0, 0}});      // dim1: 1 before, 0 after; dim2: 2 and 3
 * }</pre>
 */
public class Cropping3D extends Layer {

  private final int[][] cropping;

  /** One position off every side. */
  public Cropping3D() {
    this(1);
  }

  /** {@code cropping} positions off every side. */
  public Cropping3D(int cropping) {
    this(cropping, cropping, cropping);
  }

  /** {@code dim1}, {@code dim2} and {@code dim3} positions off both ends of each axis. */
  public Cropping3D(int dim1, int dim2, int dim3) {
    this(new int[][] {{dim1, dim1}, {dim2, dim2}, {dim3, dim3}}, null);
  }

  /** {@code ((left1, right1), (left2, right2), (left3, right3))}. */
  public Cropping3D(int[][] cropping) {
    this(cropping, null);
  }

  /**
   * @param cropping {@code ((left1, right1), (left2, right2), (left3, right3))}, all {@code >= 0}
   * @param name the layer's name, or null for a generated one ({@code cropping3d}, ...)
   */
  public Cropping3D(int[][] cropping, String name) {
    super(name != null ? name : Backend.uniqueName("cropping3d"));
    this.cropping = Cropping2D.checkPairs("Layer '" + name() + "'", "cropping", cropping, 3);
    setInputSpec(new InputSpec(null, 5, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Cropping2D.croppedShape(name(), inputShape, cropping);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return Cropping2D.crop(tf, inputs, cropping);
  }

  /** {@code ((left1, right1), (left2, right2), (left3, right3))}. */
  public int[][] cropping() {
    return new int[][] {cropping[0].clone(), cropping[1].clone(), cropping[2].clone()};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("cropping", Cropping2D.toLists(cropping));
    c.put("data_format", "channels_last");
    return c;
  }
}
