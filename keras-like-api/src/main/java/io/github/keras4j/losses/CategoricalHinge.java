package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the categorical hinge loss between one-hot labels and predictions.
 *
 * <p>Formula: {@code loss = maximum(neg - pos + 1, 0) where pos = sum(y_true * y_pred, axis=-1) and neg = max((1 -
 * y_true) * y_pred, axis=-1)}, one value per sample, then Keras's {@code "sum_over_batch_size"} reduction (see
 * {@link Loss#compute}). Labels of one rank less than the predictions are expanded first, as Keras's {@code
 * squeeze_or_expand_to_same_rank}.
 *
 * <p>Defaults: {@code name="categorical_hinge"}. Ids in {@link Losses#get}: {@code categorical_hinge}, {@code
 * CategoricalHinge}.
 */
public class CategoricalHinge extends Loss {

  /** The loss named {@code categorical_hinge}. */
  public CategoricalHinge() {
    this("categorical_hinge");
  }

  /** The loss with the given name. */
  public CategoricalHinge(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    Operand<TFloat32> pos = tf.reduceSum(tf.math.mul(t, p), tf.constant(-1));
    Operand<TFloat32> neg = tf.reduceMax(tf.math.mul(tf.math.sub(tf.constant(1f), t), p), tf.constant(-1));
    return tf.math.maximum(tf.math.add(tf.math.sub(neg, pos), tf.constant(1f)), tf.constant(0f));
  }
}
