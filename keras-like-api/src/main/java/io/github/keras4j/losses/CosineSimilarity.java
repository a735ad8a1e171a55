package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the negated cosine similarity between labels and predictions along the last axis.
 *
 * <p>Formula: {@code loss = -sum(l2_normalize(y_true) * l2_normalize(y_pred), axis=-1), where l2_normalize(x) = x
 * * rsqrt(maximum(sum(x^2), epsilon^2)); between -1 (same direction, the minimum) and 1}, one value per sample,
 * then Keras's {@code "sum_over_batch_size"} reduction (see {@link Loss#compute}). Labels of one rank less than
 * the predictions are expanded first, as Keras's {@code squeeze_or_expand_to_same_rank}.
 *
 * <p>Defaults: {@code name="cosine_similarity"}. Ids in {@link Losses#get}: {@code cosine_similarity}, {@code
 * CosineSimilarity}.
 */
public class CosineSimilarity extends Loss {

  /** The loss named {@code cosine_similarity}. */
  public CosineSimilarity() {
    this("cosine_similarity");
  }

  /** The loss with the given name. */
  public CosineSimilarity(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    return tf.math.neg(tf.reduceSum(tf.math.mul(LossUtils.l2Normalize(tf, t), LossUtils.l2Normalize(tf, p)),
        tf.constant(-1)));
  }
}
