package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the Kullback-Leibler divergence of the predicted distribution from the labels' distribution.
 *
 * <p>Formula: {@code loss = sum(y_true * log(y_true / y_pred), axis=-1), both clipped to [epsilon, 1] first}, one
 * value per sample, then Keras's {@code "sum_over_batch_size"} reduction (see {@link Loss#compute}). Labels of one
 * rank less than the predictions are expanded first, as Keras's {@code squeeze_or_expand_to_same_rank}.
 *
 * <p>Defaults: {@code name="kl_divergence"}. Ids in {@link Losses#get}: {@code kl_divergence}, {@code kld}, {@code
 * KLD}, {@code KLDivergence}.
 */
public class KLDivergence extends Loss {

  /** The loss named {@code kl_divergence}. */
  public KLDivergence() {
    this("kl_divergence");
  }

  /** The loss with the given name. */
  public KLDivergence(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    Operand<TFloat32> eps = tf.constant(LossUtils.EPSILON);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> tc = tf.clipByValue(t, eps, one);
    Operand<TFloat32> pc = tf.clipByValue(p, eps, one);
    return tf.reduceSum(tf.math.mul(tc, tf.math.log(tf.math.div(tc, pc))), tf.constant(-1));
  }
}
