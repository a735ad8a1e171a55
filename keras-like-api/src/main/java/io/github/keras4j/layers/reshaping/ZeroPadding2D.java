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
 * Adds rows and columns of zeros at the top, bottom, left and right of images.
 *
 * <p>Input shape {@code (batch, height, width, channels)}; output shape
 * {@code (batch, height + top + bottom, width + left + right, channels)}. Default as Keras: one row/column on
 * every side. Channels-last only.
 *
 * <pre>{@code
 * new ZeroPadding2D();                               // (None, 28, 28, 1) -> (None, 30, 30, 1)
 * new ZeroPadding2D(new int[][] {{1, 0}, {2, 3}});   // top 1, bottom 0, left 2, right 3
 * }</pre>
 */
public class ZeroPadding2D extends Layer {

  private final int[][] padding;

  /** One row/column of zeros on every side. */
  public ZeroPadding2D() {
    this(1);
  }

  /** {@code padding} rows/columns of zeros on every side. */
  public ZeroPadding2D(int padding) {
    this(padding, padding);
  }

  /** {@code height} rows at the top and at the bottom, {@code width} columns at the left and at the right. */
  public ZeroPadding2D(int height, int width) {
    this(new int[][] {{height, height}, {width, width}}, null);
  }

  /** {@code ((top, bottom), (left, right))}. */
  public ZeroPadding2D(int[][] padding) {
    this(padding, null);
  }

  /**
   * @param padding {@code ((top, bottom), (left, right))}, all {@code >= 0}
   * @param name the layer's name, or null for a generated one ({@code zero_padding2d}, ...)
   */
  public ZeroPadding2D(int[][] padding, String name) {
    super(name != null ? name : Backend.uniqueName("zero_padding2d"));
    this.padding = Cropping2D.checkPairs("Layer '" + name() + "'", "padding", padding);
    setInputSpec(new InputSpec(null, 4, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return paddedShape(inputShape, padding);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return pad(tf, inputs, padding);
  }

  /** The shape after padding axes {@code 1..n} by {@code padding}; unknown sizes stay unknown. */
  static Shape paddedShape(Shape inputShape, int[][] padding) {
    long[] out = inputShape.asArray().clone();
    for (int i = 0; i < padding.length; i++) {
      if (out[i + 1] >= 0) {
        out[i + 1] += padding[i][0] + padding[i][1];
      }
    }
    return Shape.of(out);
  }

  /** Zeros around axes {@code 1..n} of a {@code (batch, d1, ..., dn, channels)} tensor; shared by the padding layers. */
  static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> inputs, int[][] padding) {
    int[][] all = new int[padding.length + 2][2];
    for (int i = 0; i < padding.length; i++) {
      all[i + 1] = padding[i].clone();
    }
    return tf.pad(inputs, tf.constant(all), tf.constant(0f));
  }

  /** {@code ((top, bottom), (left, right))}. */
  public int[][] padding() {
    return new int[][] {padding[0].clone(), padding[1].clone()};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("padding", Cropping2D.toLists(padding));
    c.put("data_format", "channels_last");
    return c;
  }
}
