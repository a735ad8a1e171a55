package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the mean squared logarithmic error between labels and predictions.
 *
 * <p>Formula: {@code loss = mean(square(log(maximum(y_pred, epsilon) + 1) - log(maximum(y_true, epsilon) + 1)),
 * axis=-1)}, one value per sample, then Keras's {@code "sum_over_batch_size"} reduction (see {@link
 * Loss#compute}). Labels of one rank less than the predictions are expanded first, as Keras's {@code
 * squeeze_or_expand_to_same_rank}.
 *
 * <p>Defaults: {@code name="mean_squared_logarithmic_error"}. Ids in {@link Losses#get}: {@code
 * mean_squared_logarithmic_error}, {@code msle}, {@code MSLE}, {@code MeanSquaredLogarithmicError}.
 */
public class MeanSquaredLogarithmicError extends Loss {

  /** The loss named {@code mean_squared_logarithmic_error}. */
  public MeanSquaredLogarithmicError() {
    this("mean_squared_logarithmic_error");
  }

  /** The loss with the given name. */
  public MeanSquaredLogarithmicError(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    Operand<TFloat32> eps = tf.constant(LossUtils.EPSILON);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> diff = tf.math.sub(tf.math.log(tf.math.add(tf.math.maximum(p, eps), one)),
        tf.math.log(tf.math.add(tf.math.maximum(t, eps), one)));
    return LossUtils.meanOverLastAxis(tf, tf.math.square(diff));
  }
}
