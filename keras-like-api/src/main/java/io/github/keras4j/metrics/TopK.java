package io.github.keras4j.metrics;

import io.github.keras4j.graph.Shapes;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What {@link TopKCategoricalAccuracy} and {@link SparseTopKCategoricalAccuracy} share: 1 where the true class is
 * among the {@code k} highest scores of the last axis ({@code tf.math.in_top_k}), else 0, per position, averaged
 * over any axes after the batch axis.
 */
abstract sealed class TopK extends Metric permits TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy {

  private final int k;

  /** Checks {@code k} (Keras does not: k <= 0 would count nothing). */
  TopK(int k, String name) {
    super(name);
    if (k < 1) {
      throw new IllegalArgumentException("Argument `k` must be at least 1. Received: k=" + k);
    }
    this.k = k;
  }

  /** How many of the highest scores count. */
  public int k() {
    return k;
  }

  /** The true class index per position of {@code yPred} without its last axis. */
  abstract Operand<TInt32> classes(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return MetricUtils.samplewiseMean(tf, hits(tf, name(), classes(tf, tf.stopGradient(yTrue), yPred), yPred, k));
  }

  /** {@code name} and {@code k}. */
  @Override
  public java.util.Map<String, Object> getConfig() {
    java.util.Map<String, Object> config = super.getConfig();
    config.put("k", k);
    return config;
  }

  /**
   * 1 where {@code classes} (whole class indices, one per position of {@code yPred} without its last axis) is in the
   * top {@code k} of {@code yPred}, as floats shaped like {@code yPred} without its last axis.
   */
  private static Operand<TFloat32> hits(Ops tf, String owner, Operand<TInt32> classes, Operand<TFloat32> yPred, int k) {
    Shape shape = yPred.shape();
    int rank = shape.numDimensions();
    if (rank < 2) {
      throw new IllegalArgumentException("Metric '" + owner + "' needs class scores on the last axis; predictions "
          + "have shape " + Shapes.format(shape));
    }
    Operand<TInt32> lastAxis = Shapes.dims(tf, yPred, rank - 1, 1);
    Operand<TFloat32> rows = tf.reshape(tf.stopGradient(yPred),
        tf.concat(java.util.List.of(tf.constant(new int[] {-1}), lastAxis), tf.constant(0)));
    Operand<TFloat32> hit = tf.dtypes.cast(tf.nn.inTopK(rows, tf.reshape(classes, tf.constant(new int[] {-1})),
        tf.constant(k)), TFloat32.class);
    Operand<TInt32> outer = Shapes.dims(tf, yPred, 0, rank - 1);
    return tf.reshape(hit, outer);
  }
}
