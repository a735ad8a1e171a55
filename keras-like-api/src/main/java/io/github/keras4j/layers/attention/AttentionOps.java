package io.github.keras4j.layers.attention;

import io.github.keras4j.graph.Shapes;
import java.util.IdentityHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The pieces the attention layers share: shape checks, the causal mask, Keras's masked softmax, recorded scores. */
final class AttentionOps {

  /** What Keras puts in place of masked scores before the softmax ({@code _large_negative_number} for float32). */
  static final float LARGE_NEGATIVE = -1e9f;

  private AttentionOps() {}

  /**
   * Keras's causal mask of shape {@code (1, T, S)}: true where query step {@code i} may attend to value step
   * {@code j}, i.e. {@code j <= i} (Keras compares the 1-based cumulative sums of ones, the same thing).
   */
  static Operand<TBool> causalMask(Ops tf, Operand<TFloat32> query, Operand<TFloat32> value) {
    Operand<TInt32> t = size(tf, query, 1);
    Operand<TInt32> s = size(tf, value, 1);
    Operand<TInt32> rows = tf.reshape(tf.range(tf.constant(0), t, tf.constant(1)), tf.constant(new int[] {1, -1, 1}));
    Operand<TInt32> cols = tf.reshape(tf.range(tf.constant(0), s, tf.constant(1)), tf.constant(new int[] {1, 1, -1}));
    return tf.math.greaterEqual(rows, cols);
  }

  /** The size of {@code axis} of {@code x}, as a scalar tensor. */
  static Operand<TInt32> size(Ops tf, Operand<TFloat32> x, int axis) {
    return tf.gather(tf.shape(x), tf.constant(axis), tf.constant(0), Gather.batchDims(0L));
  }

  /** {@code a AND b}, either of which may be null (none). */
  static Operand<TBool> and(Ops tf, Operand<TBool> a, Operand<TBool> b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : tf.math.logicalAnd(a, b);
  }

  /**
   * Keras's {@code Softmax} layer with a mask on the last axis: masked scores become {@link #LARGE_NEGATIVE}, then
   * softmax, then masked probabilities are set to 0 (so a fully masked row is all zeros, not uniform).
   *
   * @param mask broadcastable to {@code scores}, or null
   */
  static Operand<TFloat32> maskedSoftmax(Ops tf, Operand<TFloat32> scores, Operand<TBool> mask) {
    if (mask == null) {
      return tf.nn.softmax(scores);
    }
    Operand<TFloat32> filled = tf.select(mask, scores, tf.constant(LARGE_NEGATIVE));
    return tf.select(mask, tf.nn.softmax(filled), tf.zerosLike(scores));
  }

  /** Checks that {@code shape} has rank 3 {@code (batch, timesteps, features)}. */
  static void checkRank3(String layer, String input, Shape shape) {
    if (shape.numDimensions() != 3) {
      throw new IllegalArgumentException(layer + ": `" + input + "` must have rank 3 (batch_size, timesteps, "
          + "features); Keras4J supports attention over the sequence axis of rank-3 inputs only. Received: "
          + input + ".shape=" + Shapes.format(shape));
    }
  }

  /** The attention layers' {@code dropout}, checked to lie in [0, 1) with Keras's message. */
  static float checkDropout(double dropout) {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("Invalid value received for argument `dropout`. Expected a float value "
          + "between 0 and 1. Received: dropout=" + dropout);
    }
    return (float) dropout;
  }

  /**
   * The attention scores of each traced call of a layer, by the call's output operand, so that
   * {@link AttentionScores} can return the scores of the same call.
   */
  static final class ScoresStore {
    private final Map<Operand<TFloat32>, Operand<TFloat32>> scores = new IdentityHashMap<>();
    private volatile boolean recording;

    /** Starts recording (first {@code applyWithScores}); calls traced before need no scores. */
    void startRecording() {
      recording = true;
    }

    void record(Operand<TFloat32> output, Operand<TFloat32> attentionScores) {
      if (recording) {
        synchronized (scores) {
          scores.put(output, attentionScores);
        }
      }
    }

    Operand<TFloat32> scoresOf(String layer, Operand<TFloat32> output) {
      Operand<TFloat32> s;
      synchronized (scores) {
        s = scores.get(output);
      }
      if (s == null) {
        throw new IllegalStateException("No traced call of layer '" + layer + "' produced this output");
      }
      return s;
    }
  }
}
