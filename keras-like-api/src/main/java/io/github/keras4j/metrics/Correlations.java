package io.github.keras4j.metrics;

import io.github.keras4j.losses.LossUtils;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The statistics along the last axis that {@link PearsonCorrelation} and {@link ConcordanceCorrelation} share. */
final class Correlations {

  private Correlations() {}

  /** Labels and predictions out of the gradient, after Keras's {@code squeeze_or_expand_to_same_rank}. */
  static LossUtils.SameRank sameRank(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return LossUtils.squeezeOrExpandToSameRank(tf, tf.stopGradient(yTrue), tf.stopGradient(yPred));
  }

  /** The mean along the last axis, kept as an axis of size 1. */
  static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(-1), org.tensorflow.op.math.Mean.keepDims(true));
  }

  /** {@code x - mean(x)} along the last axis. */
  static Operand<TFloat32> centered(Ops tf, Operand<TFloat32> x) {
    return tf.math.sub(x, mean(tf, x));
  }

  /** The population variance along the last axis, kept as an axis of size 1. */
  static Operand<TFloat32> variance(Ops tf, Operand<TFloat32> x) {
    return mean(tf, tf.math.square(centered(tf, x)));
  }

  /** {@code x / std(x)} along the last axis (the population standard deviation), as Keras's {@code ops.std}. */
  static Operand<TFloat32> standardized(Ops tf, Operand<TFloat32> x) {
    return tf.math.div(x, tf.math.sqrt(variance(tf, x)));
  }
}
