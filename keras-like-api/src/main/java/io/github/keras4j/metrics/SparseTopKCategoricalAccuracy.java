package io.github.keras4j.metrics;

import io.github.keras4j.losses.LossUtils;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How often the true class index is among the {@code k} highest predicted scores, Keras's
 * {@code SparseTopKCategoricalAccuracy}: per sample {@code in_top_k(y_true, y_pred, k)} with {@code y_true} of shape
 * {@code (batch,)} or {@code (batch, 1)}, averaged over any further axes; the epoch's result is the weighted mean
 * over samples.
 *
 * <p>Defaults: {@code k=5}, {@code name="sparse_top_k_categorical_accuracy"}. Ids in {@link Metrics#get}:
 * {@code sparse_top_k_categorical_accuracy}, {@code SparseTopKCategoricalAccuracy}.
 */
public final class SparseTopKCategoricalAccuracy extends TopK {

  /** Top-5 accuracy named {@code sparse_top_k_categorical_accuracy}. */
  public SparseTopKCategoricalAccuracy() {
    this(5, "sparse_top_k_categorical_accuracy");
  }

  /**
   * Top-k accuracy of class indices.
   *
   * @param k how many of the highest scores count, at least 1
   * @param name the name in logs
   */
  public SparseTopKCategoricalAccuracy(int k, String name) {
    super(k, name);
  }

  /** The labels as whole indices; a trailing axis of size 1 ({@code (batch, 1)}) is dropped. */
  @Override
  Operand<TInt32> classes(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TFloat32> labels = yTrue;
    int rank = LossUtils.rank(labels);
    if (rank == LossUtils.rank(yPred) && labels.shape().get(rank - 1) == 1) {
      labels = tf.squeeze(labels, Squeeze.axis(-1L));
    }
    return tf.dtypes.cast(labels, TInt32.class);
  }

  @Override
  public SparseTopKCategoricalAccuracy withName(String newName) {
    return new SparseTopKCategoricalAccuracy(k(), newName);
  }
}
