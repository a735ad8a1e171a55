package io.github.keras4j.graph;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/** Shape helpers; {@link #format} prints shapes the way Keras does, {@code (None, 784)}. */
public final class Shapes {

  private Shapes() {}

  /** Formats a shape as a Python tuple with {@code None} for unknown sizes: {@code (None, 784)}, {@code (3,)}. */
  public static String format(Shape shape) {
    if (shape == null || shape.isUnknown()) {
      return "<unknown>";
    }
    return format(shape.asArray());
  }

  /** Formats dimensions (-1 is unknown) as a Python tuple. */
  public static String format(long... dims) {
    return tuple(dims, true);
  }

  /**
   * Formats dimensions exactly as given, negative values included: {@code (-1, 4)}, {@code (-3,)}. For shapes a
   * user passes as arguments, where -1 means "infer" or is simply wrong, rather than an unknown size.
   */
  public static String formatAsGiven(long... dims) {
    return tuple(dims, false);
  }

  private static String tuple(long[] dims, boolean negativeAsNone) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(negativeAsNone && dims[i] < 0 ? "None" : Long.toString(dims[i]));
    }
    if (dims.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  /** A shape with an unknown leading (batch) dimension followed by {@code dims}. */
  public static Shape withBatch(long... dims) {
    long[] all = new long[dims.length + 1];
    all[0] = Shape.UNKNOWN_SIZE;
    System.arraycopy(dims, 0, all, 1, dims.length);
    return Shape.of(all);
  }

  /**
   * Whether a tensor of shape {@code found} fits where {@code expected} is declared: same rank, and equal sizes
   * wherever both are known (an unknown size, -1, matches any); a shape of unknown rank fits anything.
   */
  public static boolean compatible(Shape expected, Shape found) {
    if (expected.isUnknown() || found.isUnknown()) {
      return true;
    }
    if (expected.numDimensions() != found.numDimensions()) {
      return false;
    }
    for (int i = 0; i < expected.numDimensions(); i++) {
      if (!compatible(expected.get(i), found.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether two sizes can be the same: equal, or either unknown (-1). */
  public static boolean compatible(long a, long b) {
    return a < 0 || b < 0 || a == b;
  }

  /**
   * The sizes of axes {@code begin .. begin + size - 1} of {@code x}, read when the graph runs, as an int32 vector:
   * {@code dims(tf, x, 0, 1)} is the batch size; {@code size} -1 means to the last axis.
   */
  public static Operand<TInt32> dims(Ops tf, Operand<?> x, int begin, int size) {
    return tf.slice(tf.shape(x), tf.constant(new int[] {begin}), tf.constant(new int[] {size}));
  }

  /** The axes {@code [0, rank)} of {@code x}, so that a reduction over them gives a scalar. */
  public static Operand<TInt32> allAxes(Ops tf, Operand<?> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /** The shape without its last dimension. */
  public static Shape dropLast(Shape shape) {
    long[] a = shape.asArray();
    return Shape.of(Arrays.copyOf(a, a.length - 1));
  }

}
