package io.github.keras4j.metrics;

import io.github.keras4j.losses.LossUtils;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Helpers of the metrics in this package. */
final class MetricUtils {

  private MetricUtils() {}

  /**
   * Keras's {@code reduce_to_samplewise_values} without weights: the mean over every axis after the first,
   * so that values of shape {@code (batch, ...)} become {@code (batch,)}.
   */
  static Operand<TFloat32> samplewiseMean(Ops tf, Operand<TFloat32> values) {
    int rank = LossUtils.rank(values);
    if (rank >= 0 && rank <= 1) {
      return values;
    }
    if (rank < 0) {
      Operand<TInt32> batchByRest =
          tf.concat(List.of(tf.stridedSlice(tf.shape(values), Indices.sliceTo(1)), tf.constant(new int[] {-1})), tf.constant(0));
      Operand<TFloat32> matrix = tf.reshape(values, batchByRest);
      return tf.math.mean(matrix, tf.constant(1));
    }
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return tf.math.mean(values, tf.constant(axes));
  }

  /** Per-sample weights {@code (batch,)} broadcast over the axes after the batch axis of {@code values}. */
  static Operand<TFloat32> weightsLike(Ops tf, Operand<TFloat32> sampleWeight, Operand<TFloat32> values) {
    Operand<TFloat32> w = sampleWeight;
    for (int i = 1; i < values.shape().numDimensions(); i++) {
      w = tf.expandDims(w, tf.constant(-1));
    }
    return tf.math.mul(tf.onesLike(values), w);
  }

  /** 1 where {@code a == b}, else 0, as floats. */
  static Operand<TFloat32> matches(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.dtypes.cast(tf.math.equal(a, b), TFloat32.class);
  }

  /** The index of the largest value on the last axis, as a float (the first index on ties). */
  static Operand<TFloat32> argmaxAsFloat(Ops tf, Operand<TFloat32> x) {
    return tf.dtypes.cast(tf.math.argMax(x, tf.constant(-1)), TFloat32.class);
  }
}
