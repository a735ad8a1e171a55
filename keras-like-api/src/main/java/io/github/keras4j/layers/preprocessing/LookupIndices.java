package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.graph.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;

/**
 * The last stage of Keras's {@code IndexLookup} for both lookup layers ({@link IntegerLookup}, {@link StringLookup}):
 * once each input's vocabulary search is done, the index of a found token, else an OOV index, a mask token's index,
 * and the run-time failure on an OOV input when there are no OOV indices.
 */
final class LookupIndices {

  private LookupIndices() {}

  /**
   * The index of every element of {@code values}: {@code index} where {@code found}, else the OOV index (the
   * {@code hashedOov} bucket with several OOV indices, {@code oovStart} with one); where {@code masked} (null
   * without a mask token), 0 in {@code "int"} output and -1 otherwise (dropped by the encodings). With
   * {@code numOovIndices = 0}, an input outside the vocabulary fails the run with Keras's message.
   *
   * @param hashedOov the OOV bucket of each input when {@code numOovIndices > 1}, else null
   */
  static Operand<TInt32> select(Ops tf, String layerName, Operand<?> values, Operand<TBool> found,
      Operand<TInt32> index, int numOovIndices, int oovStart, Operand<TInt32> hashedOov, Operand<TBool> masked,
      boolean intOutput) {
    Operand<TInt32> oov = numOovIndices > 1 ? hashedOov
        : tf.fill(tf.shape(found), tf.constant(numOovIndices == 1 ? oovStart : -1));
    Operand<TInt32> lookup = tf.select(found, index, oov);
    Operand<TBool> known = found;
    if (masked != null) {
      lookup = tf.select(masked, tf.fill(tf.shape(found), tf.constant(intOutput ? 0 : -1)), lookup);
      known = tf.math.logicalOr(found, masked);
    }
    if (numOovIndices == 0) {
      AssertThat check = tf.assertThat(tf.reduceAll(known, Shapes.allAxes(tf, known)), List.<Operand<?>>of(
          tf.constant("When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values in layer '"
              + layerName + "', consider setting `num_oov_indices=1`."), values));
      lookup = tf.withControlDependencies(List.of(check)).identity(lookup);
    }
    return lookup;
  }
}
