package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the hinge loss between labels and predictions.
 *
 * <p>Formula: {@code loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1); labels are -1 or 1, and a batch whose
 * labels are all 0 or 1 is first mapped to -1 and 1}, one value per sample, then Keras's {@code
 * "sum_over_batch_size"} reduction (see {@link Loss#compute}). Labels of one rank less than the predictions are
 * expanded first, as Keras's {@code squeeze_or_expand_to_same_rank}.
 *
 * <p>Defaults: {@code name="hinge"}. Ids in {@link Losses#get}: {@code hinge}, {@code Hinge}.
 */
public class Hinge extends Loss {

  /** The loss named {@code hinge}. */
  public Hinge() {
    this("hinge");
  }

  /** The loss with the given name. */
  public Hinge(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    return LossUtils.meanOverLastAxis(tf, LossUtils.hingeMargins(tf, t, p));
  }
}
