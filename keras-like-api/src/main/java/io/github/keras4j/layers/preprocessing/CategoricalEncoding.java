package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.graph.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code encode_categorical_inputs} for the layers that turn integer indices into one-hot, multi-hot or count
 * vectors ({@link CategoryEncoding}, {@link Discretization}, {@link IntegerLookup}):
 * <ul>
 *   <li>{@code "one_hot"}: each index becomes a {@code depth}-vector with a 1 at the index; a last axis of size 1 is
 *       replaced by the encoding, any other shape gets it appended ({@code (batch,)} and {@code (batch, 1)} give
 *       {@code (batch, depth)}, {@code (batch, n)} gives {@code (batch, n, depth)}).
 *   <li>{@code "multi_hot"}: each sample {@code (batch, n)} becomes one {@code depth}-vector with a 1 at every index
 *       present; {@code "count"} counts them instead.
 * </ul>
 * Indices outside {@code [0, depth)} encode as zeros and so are dropped, as the one-hot and bincount ops of Keras's
 * TensorFlow backend drop them (negative indices included).
 */
final class CategoricalEncoding {

  private CategoricalEncoding() {}

  /** Whether {@code mode} reduces each sample to one vector ({@code multi_hot}, {@code count}, {@code tf_idf}). */
  static boolean reducing(String mode) {
    return !mode.equals("int") && !mode.equals("one_hot");
  }

  /** Checks that {@code mode} is one of {@code allowed}, naming the layer and the argument. */
  static String outputMode(String layer, String mode, List<String> allowed) {
    if (mode == null || !allowed.contains(mode)) {
      throw new IllegalArgumentException(layer + ": unknown `output_mode` " + mode + ". Expected one of " + allowed
          + ". Received: output_mode=" + mode);
    }
    return mode;
  }

  /**
   * The encoded shape of indices of shape {@code input} (batch axis first).
   *
   * @throws IllegalArgumentException naming the layer, for a reducing mode on an input that is not
   *     {@code (batch, n)}: Keras's TensorFlow backend supports outputs up to rank 2 there
   */
  static Shape outputShape(String layer, String mode, Shape input, long depth) {
    long[] s = input.asArray();
    if (mode.equals("int")) {
      return input;
    }
    if (mode.equals("one_hot")) {
      int keep = s.length > 1 && s[s.length - 1] == 1 ? s.length - 1 : s.length;
      long[] out = new long[keep + 1];
      System.arraycopy(s, 0, out, 0, keep);
      out[keep] = depth;
      return Shape.of(out);
    }
    if (s.length != 2) {
      throw new IllegalArgumentException(layer + ": output_mode='" + mode + "' encodes each sample (batch, n) into one "
          + "vector of the vocabulary's size, so it needs inputs of rank 2; received input with shape "
          + Shapes.format(s) + " (Keras's maximum supported output rank is 2 there too)");
    }
    return Shape.of(s[0], depth);
  }

  /**
   * Encodes {@code indices} (of static shape {@code inputShape}, checked by {@link #outputShape}) as {@code mode}
   * with {@code depth} slots; {@code "tf_idf"} counts (the caller multiplies by the weights).
   */
  static Operand<TFloat32> encode(Ops tf, Operand<TInt32> indices, String mode, long depth, Shape inputShape) {
    Operand<TInt32> ids = indices;
    int rank = inputShape.numDimensions();
    if (mode.equals("one_hot") && rank > 1 && inputShape.get(rank - 1) == 1) {
      ids = tf.squeeze(ids, org.tensorflow.op.core.Squeeze.axis(List.of((long) rank - 1)));
    }
    Operand<TFloat32> oneHot = tf.oneHot(ids, tf.constant((int) depth), tf.constant(1f), tf.constant(0f));
    return switch (mode) {
      case "one_hot" -> oneHot;
      case "multi_hot" -> tf.max(oneHot, tf.constant(1));
      default -> tf.sum(oneHot, tf.constant(1));
    };
  }
}
