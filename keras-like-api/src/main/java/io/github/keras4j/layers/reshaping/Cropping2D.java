package io.github.keras4j.layers.reshaping;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;

/**
 * Removes rows and columns at the top, bottom, left and right of images.
 *
 * <p>Input shape {@code (batch, height, width, channels)}; output shape
 * {@code (batch, height - top - bottom, width - left - right, channels)}. Default as Keras: no cropping. What is
 * cropped along an axis must be smaller than the axis. Channels-last only.
 *
 * <pre>{@code
 * new Cropping2D(2);                                 // (None, 28, 28, 1) -> (None, 24, 24, 1)
 * new Cropping2D(new int[][] {{1, 0}, {2, 3}});      // top 1, bottom 0, left 2, right 3
 * }</pre>
 */
public class Cropping2D extends Layer {

  private final int[][] cropping;

  /** No cropping. */
  public Cropping2D() {
    this(0);
  }

  /** {@code cropping} rows/columns off every side. */
  public Cropping2D(int cropping) {
    this(cropping, cropping);
  }

  /** {@code height} rows off the top and off the bottom, {@code width} columns off the left and off the right. */
  public Cropping2D(int height, int width) {
    this(new int[][] {{height, height}, {width, width}}, null);
  }

  /** {@code ((top, bottom), (left, right))}. */
  public Cropping2D(int[][] cropping) {
    this(cropping, null);
  }

  /**
   * @param cropping {@code ((top, bottom), (left, right))}, all {@code >= 0}
   * @param name the layer's name, or null for a generated one ({@code cropping2d}, ...)
   */
  public Cropping2D(int[][] cropping, String name) {
    super(name != null ? name : Backend.uniqueName("cropping2d"));
    this.cropping = checkPairs("Layer '" + name() + "'", "cropping", cropping);
    setInputSpec(new InputSpec(null, 4, Map.of()));
  }

  /** Checks {@code ((a, b), (c, d))} with non-negative values; returns a copy. */
  static int[][] checkPairs(String owner, String argName, int[][] pairs) {
    return checkPairs(owner, argName, pairs, 2);
  }

  /**
   * Checks {@code n} pairs of non-negative values ({@code n} = 2 or 3 spatial axes); returns a copy. Shared by the
   * 2-D and 3-D cropping and padding layers.
   */
  static int[][] checkPairs(String owner, String argName, int[][] pairs, int n) {
    boolean ok = pairs != null && pairs.length == n;
    for (int i = 0; ok && i < n; i++) {
      ok = pairs[i] != null && pairs[i].length == 2 && pairs[i][0] >= 0 && pairs[i][1] >= 0;
    }
    if (!ok) {
      String forms = n == 2 ? "2 ints (symmetric_height, symmetric_width) or 2 pairs of ints ((top, bottom), (left, "
          + "right))" : "3 ints (symmetric_dim1, symmetric_dim2, symmetric_dim3) or 3 pairs of ints ((left_dim1, "
          + "right_dim1), (left_dim2, right_dim2), (left_dim3, right_dim3))";
      throw new IllegalArgumentException(owner + ": `" + argName + "` should be an int >= 0, " + forms
          + ", all >= 0. Received: " + argName + "=" + Arrays.deepToString(pairs));
    }
    int[][] copy = new int[n][];
    for (int i = 0; i < n; i++) {
      copy[i] = pairs[i].clone();
    }
    return copy;
  }

  /** {@code ((a, b), ...)} as nested lists, for {@code getConfig()}. */
  static List<List<Integer>> toLists(int[][] pairs) {
    List<List<Integer>> out = new ArrayList<>();
    for (int[] p : pairs) {
      out.add(List.of(p[0], p[1]));
    }
    return List.copyOf(out);
  }

  /**
   * The shape after cropping axes {@code 1..n} of {@code inputShape} by {@code cropping}; unknown sizes stay
   * unknown. Shared by the cropping layers.
   *
   * @throws IllegalArgumentException naming the layer when an axis would be cropped to nothing
   */
  static Shape croppedShape(String layerName, Shape inputShape, int[][] cropping) {
    long[] out = inputShape.asArray().clone();
    for (int i = 0; i < cropping.length; i++) {
      long n = out[i + 1];
      if (n >= 0 && cropping[i][0] + cropping[i][1] >= n) {
        throw new IllegalArgumentException("Layer '" + layerName + "': values in `cropping` should be smaller than "
            + "the corresponding spatial dimension of the input. Received: input shape " + format(inputShape)
            + ", cropping=" + Arrays.deepToString(cropping));
      }
      if (n >= 0) {
        out[i + 1] = n - cropping[i][0] - cropping[i][1];
      }
    }
    return Shape.of(out);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return croppedShape(name(), inputShape, cropping);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return crop(tf, inputs, cropping);
  }

  /**
   * Crops axes {@code 1..n} of a {@code (batch, d1, ..., dn, channels)} tensor: {@code x[:, a1:-b1, ..., an:-bn, :]}
   * for {@code cropping = ((a1, b1), ..., (an, bn))}, with an open end where nothing is cropped (-0 would be empty).
   * Shared by the cropping layers.
   */
  static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> inputs, int[][] cropping) {
    int rank = cropping.length + 2;
    int[] begin = new int[rank];
    int[] end = new int[rank];
    int[] strides = new int[rank];
    Arrays.fill(strides, 1);
    long endMask = 1L | (1L << (rank - 1));
    for (int i = 0; i < cropping.length; i++) {
      begin[i + 1] = cropping[i][0];
      end[i + 1] = -cropping[i][1];
      if (cropping[i][1] == 0) {
        endMask |= 1L << (i + 1);
      }
    }
    long beginMask = 1L | (1L << (rank - 1));
    return tf.stridedSlice(inputs, tf.constant(begin), tf.constant(end), tf.constant(strides),
        StridedSlice.beginMask(beginMask), StridedSlice.endMask(endMask));
  }

  /** {@code ((top, bottom), (left, right))}. */
  public int[][] cropping() {
    return new int[][] {cropping[0].clone(), cropping[1].clone()};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("cropping", toLists(cropping));
    c.put("data_format", "channels_last");
    return c;
  }
}
