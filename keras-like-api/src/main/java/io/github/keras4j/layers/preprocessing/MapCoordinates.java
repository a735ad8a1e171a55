package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.graph.Shapes;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Resampling of images at arbitrary per-pixel points, as Keras's {@code keras.ops.image.map_coordinates} with
 * {@code order} 0 or 1 applied to every image and channel: output pixel {@code (n, i, j, c)} reads image {@code n},
 * channel {@code c}, at the (row, column) point {@code (ys[n, i, j], xs[n, i, j])}, pixel centres at integers.
 * Bilinear ({@code order=1}) mixes the neighbours {@code floor} and {@code floor + 1} of each coordinate with the
 * weights {@code 1 - t} and {@code t}; nearest ({@code order=0}) reads the neighbour at the coordinate rounded half to
 * even. Each neighbour outside the image is read through the fill mode: {@code "constant"} reads {@code fillValue},
 * {@code "nearest"} the closest edge pixel ({@code a a | a b c d | d d}), {@code "wrap"} wraps
 * ({@code c d | a b c d | a b}), {@code "reflect"} reflects about the image edge ({@code b a | a b c d | d c}) and
 * {@code "mirror"} about the edge pixel's centre ({@code c b | a b c d | c b}); these are the definitions of Keras's
 * docs and of its JAX backend.
 *
 * <p>The output is a sum of gathered input values times weights that do not depend on the input, so gradients flow to
 * the images ({@code GatherV2}'s gradient); none flows to the points.
 */
final class MapCoordinates {

  /** The fill modes: Keras's {@code MAP_COORDINATES_FILL_MODES}. */
  static final List<String> FILL_MODES = List.of("reflect", "wrap", "constant", "nearest", "mirror");

  private MapCoordinates() {}

  /**
   * Resamples {@code images} {@code (batch, height, width, channels)} (height, width and channels known) at the points
   * {@code ys, xs} {@code (batch, height, width)}; the output has the images' shape.
   *
   * @param interpolation {@code "bilinear"} or {@code "nearest"}
   * @param fillMode one of {@link #FILL_MODES}
   */
  static Operand<TFloat32> sample(Ops tf, Operand<TFloat32> images, Operand<TFloat32> ys, Operand<TFloat32> xs,
      String interpolation, String fillMode, float fillValue) {
    int h = (int) images.shape().get(1);
    int w = (int) images.shape().get(2);
    int c = (int) images.shape().get(3);
    Operand<TFloat32> y = tf.stopGradient(ys);
    Operand<TFloat32> x = tf.stopGradient(xs);
    Operand<TFloat32> pixels = tf.reshape(images, tf.constant(new int[] {-1, c}));
    Operand<TInt32> batch = Shapes.dims(tf, images, 0, 1);
    Operand<TInt32> imageStart = tf.reshape(tf.math.mul(tf.range(tf.constant(0), tf.reshape(batch, tf.constant(
        new int[0])), tf.constant(1)), tf.constant(h * w)), tf.constant(new int[] {-1, 1, 1}));
    List<Node> rows = nodes(tf, y, interpolation);
    List<Node> columns = nodes(tf, x, interpolation);
    Operand<TFloat32> out = null;
    for (Node row : rows) {
      Fixed fy = fix(tf, row.index(), h, fillMode);
      for (Node column : columns) {
        Fixed fx = fix(tf, column.index(), w, fillMode);
        Operand<TInt32> flat = tf.math.add(imageStart, tf.math.add(tf.math.mul(fy.index(), tf.constant(w)),
            fx.index()));
        Operand<TFloat32> read = tf.gather(pixels, flat, tf.constant(0));
        if (fy.valid() != null) {
          Operand<TBool> valid = tf.broadcastTo(tf.expandDims(tf.math.logicalAnd(fy.valid(), fx.valid()),
              tf.constant(-1)), tf.shape(read));
          read = tf.select(valid, read, tf.fill(tf.shape(read), tf.constant(fillValue)));
        }
        Operand<TFloat32> weight = tf.expandDims(tf.math.mul(row.weight(), column.weight()), tf.constant(-1));
        Operand<TFloat32> term = tf.math.mul(weight, read);
        out = out == null ? term : tf.math.add(out, term);
      }
    }
    return out;
  }

  /** A neighbour of a coordinate: its integer index and its interpolation weight. */
  private record Node(Operand<TInt32> index, Operand<TFloat32> weight) {}

  /** An index mapped into the image, and (constant fill only, else null) whether it was inside. */
  private record Fixed(Operand<TInt32> index, Operand<TBool> valid) {}

  private static List<Node> nodes(Ops tf, Operand<TFloat32> coordinate, String interpolation) {
    List<Node> out = new ArrayList<>();
    if (interpolation.equals("nearest")) {
      out.add(new Node(tf.dtypes.cast(tf.math.round(coordinate), TInt32.class), tf.onesLike(coordinate)));
      return out;
    }
    Operand<TFloat32> lower = tf.math.floor(coordinate);
    Operand<TFloat32> upperWeight = tf.math.sub(coordinate, lower);
    Operand<TInt32> index = tf.dtypes.cast(lower, TInt32.class);
    out.add(new Node(index, tf.math.sub(tf.constant(1f), upperWeight)));
    out.add(new Node(tf.math.add(index, tf.constant(1)), upperWeight));
    return out;
  }

  /** {@code index} mapped into {@code [0, size)} by the fill mode. */
  private static Fixed fix(Ops tf, Operand<TInt32> index, int size, String fillMode) {
    return switch (fillMode) {
      case "constant" -> new Fixed(clip(tf, index, size), tf.math.logicalAnd(
          tf.math.greaterEqual(index, tf.constant(0)), tf.math.less(index, tf.constant(size))));
      case "nearest" -> new Fixed(clip(tf, index, size), null);
      case "wrap" -> new Fixed(tf.math.floorMod(index, tf.constant(size)), null);
      case "reflect" -> new Fixed(fold(tf, tf.math.floorMod(index, tf.constant(2 * size)), 2 * size - 1), null);
      default -> size == 1 ? new Fixed(tf.zerosLike(index), null)
          : new Fixed(fold(tf, tf.math.floorMod(index, tf.constant(2 * size - 2)), 2 * size - 2), null);
    };
  }

  /** {@code m} where {@code m <= top / 2}, else {@code top - m}: one period of a triangular wave. */
  private static Operand<TInt32> fold(Ops tf, Operand<TInt32> m, int top) {
    return tf.math.minimum(m, tf.math.sub(tf.constant(top), m));
  }

  private static Operand<TInt32> clip(Ops tf, Operand<TInt32> index, int size) {
    return tf.math.minimum(tf.math.maximum(index, tf.constant(0)), tf.constant(size - 1));
  }
}
