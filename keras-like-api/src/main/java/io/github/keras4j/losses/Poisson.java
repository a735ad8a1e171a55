package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the Poisson loss between labels (counts) and predictions (rates).
 *
 * <p>Formula: {@code loss = mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)}, one value per sample, then
 * Keras's {@code "sum_over_batch_size"} reduction (see {@link Loss#compute}). Labels of one rank less than the
 * predictions are expanded first, as Keras's {@code squeeze_or_expand_to_same_rank}.
 *
 * <p>Defaults: {@code name="poisson"}. Ids in {@link Losses#get}: {@code poisson}, {@code Poisson}.
 */
public class Poisson extends Loss {

  /** The loss named {@code poisson}. */
  public Poisson() {
    this("poisson");
  }

  /** The loss with the given name. */
  public Poisson(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    Operand<TFloat32> logRate = tf.math.log(tf.math.add(p, tf.constant(LossUtils.EPSILON)));
    return LossUtils.meanOverLastAxis(tf, tf.math.sub(p, tf.math.mul(t, logRate)));
  }
}
