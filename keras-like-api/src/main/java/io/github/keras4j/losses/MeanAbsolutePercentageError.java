package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the mean absolute percentage error between labels and predictions.
 *
 * <p>Formula: {@code loss = 100 * mean(abs((y_true - y_pred) / maximum(abs(y_true), epsilon)), axis=-1)}, one
 * value per sample, then Keras's {@code "sum_over_batch_size"} reduction (see {@link Loss#compute}). Labels of one
 * rank less than the predictions are expanded first, as Keras's {@code squeeze_or_expand_to_same_rank}.
 *
 * <p>Defaults: {@code name="mean_absolute_percentage_error"}. Ids in {@link Losses#get}: {@code
 * mean_absolute_percentage_error}, {@code mape}, {@code MAPE}, {@code MeanAbsolutePercentageError}.
 */
public class MeanAbsolutePercentageError extends Loss {

  /** The loss named {@code mean_absolute_percentage_error}. */
  public MeanAbsolutePercentageError() {
    this("mean_absolute_percentage_error");
  }

  /** The loss with the given name. */
  public MeanAbsolutePercentageError(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    Operand<TFloat32> scale = tf.math.maximum(tf.math.abs(t), tf.constant(LossUtils.EPSILON));
    Operand<TFloat32> ratio = tf.math.abs(tf.math.div(tf.math.sub(t, p), scale));
    return tf.math.mul(tf.constant(100f), LossUtils.meanOverLastAxis(tf, ratio));
  }
}
