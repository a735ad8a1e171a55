package io.github.keras4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Computes the Tversky loss between {@code y_true} and {@code y_pred} (Salehi et al., 2017): an overlap loss that
 * weighs false positives by {@code alpha} and false negatives by {@code beta}.
 *
 * <p>Formula, the sums taken over {@code axis}, as Keras 3's {@code tversky}:
 *
 * <pre>
 * tp   = sum(y_pred * y_true)
 * fp   = sum(y_pred * (1 - y_true))
 * fn   = sum((1 - y_pred) * y_true)
 * loss = 1 - tp / (tp + alpha * fp + beta * fn + eps)
 * </pre>
 *
 * with {@code eps = }{@link LossUtils#EPSILON}. With {@code alpha = beta = 0.5} this is the {@link Dice} loss (up to
 * where {@code eps} sits). With Keras's default {@code axis=null} the sums run over every axis, batch included.
 *
 * <p>Defaults: {@code alpha=0.5}, {@code beta=0.5}, {@code axis=null} (all axes), {@code name="tversky"}. Ids in
 * {@link Losses#get}: {@code tversky}, {@code Tversky}. Java differs from Keras in refusing negative or non-finite
 * {@code alpha} and {@code beta}, and shapes that differ (Keras would broadcast them).
 *
 * <p>Example (Keras 3's tests, checked in {@code DiceAndTverskyLossTest}):
 *
 * <pre>{@code
 * // y_true = [[1, 2], [1, 2]], y_pred = [[4, 1], [6, 1]]
 * new Tversky().compute(tf, yTrue, yPred, null);             // -0.55555558
 * new Tversky(0.2f, 0.8f).compute(tf, yTrue, yPred, null);   // -0.94444442
 * }</pre>
 */
public class Tversky extends Loss {

  private final float alpha;
  private final float beta;
  private final int[] axis;

  /** A Tversky loss with {@code alpha = beta = 0.5} over every axis, named {@code tversky}. */
  public Tversky() {
    this(0.5f, 0.5f);
  }

  /** A Tversky loss over every axis, named {@code tversky}. */
  public Tversky(float alpha, float beta) {
    this(alpha, beta, null, "tversky");
  }

  /**
   * A Tversky loss.
   *
   * @param alpha the weight of false positives, finite and at least 0
   * @param beta the weight of false negatives, finite and at least 0
   * @param axis the axes the sums run over; null for every axis
   * @param name the loss's name
   * @throws IllegalArgumentException for a negative or non-finite weight
   */
  public Tversky(float alpha, float beta, int[] axis, String name) {
    super(name);
    this.alpha = check("alpha", alpha);
    this.beta = check("beta", beta);
    this.axis = axis == null ? null : axis.clone();
  }

  private static float check(String argument, float value) {
    if (!(value >= 0) || Float.isInfinite(value)) {
      throw new IllegalArgumentException("Argument `" + argument + "` of Tversky must be a finite number >= 0. "
          + "Received: " + argument + "=" + value);
    }
    return value;
  }

  /** The weight of false positives. */
  public float alpha() {
    return alpha;
  }

  /** The weight of false negatives. */
  public float beta() {
    return beta;
  }

  /** The axes the sums run over, or null for every axis. */
  public int[] axis() {
    return axis == null ? null : axis.clone();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    LossUtils.checkSameShape(name(), t, p, "");
    Operand<TInt32> axes = LossUtils.checkAxes(tf, name(), axis, p);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> tp = tf.reduceSum(tf.math.mul(p, t), axes);
    Operand<TFloat32> fp = tf.reduceSum(tf.math.mul(tf.math.sub(one, t), p), axes);
    Operand<TFloat32> fn = tf.reduceSum(tf.math.mul(t, tf.math.sub(one, p)), axes);
    Operand<TFloat32> denominator = tf.math.add(tf.math.add(tf.math.add(tp, tf.math.mul(fp, tf.constant(alpha))),
        tf.math.mul(fn, tf.constant(beta))), tf.constant(LossUtils.EPSILON));
    return tf.math.sub(one, tf.math.div(tp, denominator));
  }

  /** Keras's config keys: name, alpha, beta and axis (null, or a list of integers). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name());
    config.put("alpha", alpha);
    config.put("beta", beta);
    config.put("axis", Dice.axisConfig(axis));
    return config;
  }

  /**
   * The loss a config describes, as Keras's {@code from_config}; {@code axis} may be null, an integer or a list.
   *
   * @throws IllegalArgumentException for a bad entry or a reduction other than {@code "sum_over_batch_size"}
   */
  public static Tversky fromConfig(Map<String, Object> config) {
    LossConfig c = new LossConfig("Tversky", config);
    return new Tversky(c.getFloat("alpha", 0.5f), c.getFloat("beta", 0.5f), c.getIntsOrNull("axis"),
        c.name("tversky"));
  }
}
