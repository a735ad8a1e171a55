package io.github.keras4j.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How often the true class of one-hot labels is among the {@code k} highest predicted scores, Keras's
 * {@code TopKCategoricalAccuracy}: per sample {@code in_top_k(argmax(y_true), y_pred, k)}, averaged over any further
 * axes; the epoch's result is the weighted mean over samples.
 *
 * <p>Defaults: {@code k=5}, {@code name="top_k_categorical_accuracy"}. Ids in {@link Metrics#get}:
 * {@code top_k_categorical_accuracy}, {@code TopKCategoricalAccuracy}.
 */
public final class TopKCategoricalAccuracy extends TopK {

  /** Top-5 accuracy named {@code top_k_categorical_accuracy}. */
  public TopKCategoricalAccuracy() {
    this(5, "top_k_categorical_accuracy");
  }

  /**
   * Top-k accuracy.
   *
   * @param k how many of the highest scores count, at least 1
   * @param name the name in logs
   */
  public TopKCategoricalAccuracy(int k, String name) {
    super(k, name);
  }

  @Override
  Operand<TInt32> classes(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return tf.math.argMax(yTrue, tf.constant(-1), TInt32.class);
  }

  @Override
  public TopKCategoricalAccuracy withName(String newName) {
    return new TopKCategoricalAccuracy(k(), newName);
  }
}
