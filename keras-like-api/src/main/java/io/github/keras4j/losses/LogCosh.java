package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the logarithm of the hyperbolic cosine of the prediction error.
 *
 * <p>Formula: {@code loss = mean(log(cosh(y_pred - y_true)), axis=-1)}, one value per sample, then Keras's
 * {@code "sum_over_batch_size"} reduction (see {@link Loss#compute}); {@code log(cosh(x))} is computed as
 * {@code x + softplus(-2 x) - log(2)}, which does not overflow for large errors. Labels of one rank less than the
 * predictions are expanded first, as Keras's {@code squeeze_or_expand_to_same_rank}.
 *
 * <p>Defaults: {@code name="log_cosh"}. Ids in {@link Losses#get}: {@code log_cosh}, {@code LogCosh}.
 */
public class LogCosh extends Loss {

  /** The loss named {@code log_cosh}. */
  public LogCosh() {
    this("log_cosh");
  }

  /** The loss with the given name. */
  public LogCosh(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    Operand<TFloat32> x = tf.math.sub(p, t);
    Operand<TFloat32> logCosh = tf.math.sub(tf.math.add(x, tf.math.softplus(tf.math.mul(x, tf.constant(-2f)))),
        tf.constant((float) Math.log(2)));
    return LossUtils.meanOverLastAxis(tf, logCosh);
  }
}
