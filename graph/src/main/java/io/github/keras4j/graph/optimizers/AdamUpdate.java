package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba) on {@code ApplyAdam}: Keras 3's update step ({@code keras/src/optimizers/adam.py},
 * amsgrad off), with step {@code t = iterations + 1}:
 * <pre>
 * alpha = lr * sqrt(1 - b2^t) / (1 - b1^t)
 * m = m + (g - m) * (1 - b1)
 * v = v + (g^2 - v) * (1 - b2)
 * w = w - m * alpha / (sqrt(v) + eps)          epsilon outside the square root
 * </pre>
 * The kernel computes these expressions in this order; the one rounding difference is {@code 1 - b}, which it
 * takes in float32 from the float beta while Keras rounds the double {@code 1 - beta} (for b1 = 0.9:
 * 0.100000024 against 0.1f, about 2e-7 relative). As in Keras, the beta powers are {@code pow(b, t)} in float32
 * with {@code t = float32(iterations + 1)} from the optimizer's int64 step counter (advanced after all applies
 * of a step; see {@link GraphOptimizer#iterations()}), not a running product {@code b^t = b^(t-1) * b}: in
 * float32 that product drifts from {@code pow} by an ulp or more, and because {@code 1 - b2^t} is tiny in the
 * first steps (0.003 at t = 3 for b2 = 0.999) one ulp there moves the step size by up to 2e-5 relative.
 * Slots: {@code m} and {@code v} (Keras: {@code momentum}, {@code velocity}).
 *
 * <p>With {@code amsgrad} (Reddi et al., 2018) a third slot {@code v_hat} (Keras: {@code velocity_hat}) keeps the
 * running maximum {@code v_hat = max(v_hat, v)}, and the step divides by {@code sqrt(v_hat) + eps} instead. No ref
 * kernel computes it ({@code ResourceApplyAdamWithAmsgrad} takes resource variables only), so this variant is built
 * from Keras's own operations in Keras's order: {@code alpha} as above, {@code m + (g - m) * (1 - b1)},
 * {@code v + (g^2 - v) * (1 - b2)} (here {@code 1 - b} rounded as Keras does, see {@link #oneMinusAsKeras}),
 * {@code v_hat = max(v_hat, v)}, {@code w = w - (m * alpha) / (sqrt(v_hat) + eps)}.
 */
public final class AdamUpdate extends GraphOptimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final boolean amsgrad;
  private Operand<TFloat32> beta1Power;
  private Operand<TFloat32> beta2Power;

  /** Adam without amsgrad: {@link #AdamUpdate(String, float, float, float, float, boolean)}. */
  public AdamUpdate(String name, float learningRate, float beta1, float beta2, float epsilon) {
    this(name, learningRate, beta1, beta2, epsilon, false);
  }

  /** Adam without amsgrad, with a scheduled learning rate. */
  public AdamUpdate(String name, LearningRateFunction learningRate, float beta1, float beta2, float epsilon) {
    this(name, learningRate, beta1, beta2, epsilon, false);
  }

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "adam"}
   * @param learningRate Keras default 0.001
   * @param beta1 decay of the first-moment estimate, in [0, 1); Keras default 0.9
   * @param beta2 decay of the second-moment estimate, in [0, 1); Keras default 0.999
   * @param epsilon added to {@code sqrt(v)}, {@code >= 0}; Keras default 1e-7
   * @param amsgrad whether to divide by the running maximum of {@code v}; Keras default false
   */
  public AdamUpdate(String name, float learningRate, float beta1, float beta2, float epsilon, boolean amsgrad) {
    this(name, learningRate, null, beta1, beta2, epsilon, amsgrad);
  }

  /** As {@link #AdamUpdate(String, float, float, float, float, boolean)}, with a scheduled learning rate. */
  public AdamUpdate(
      String name, LearningRateFunction learningRate, float beta1, float beta2, float epsilon, boolean amsgrad) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), beta1, beta2, epsilon, amsgrad);
  }

  private AdamUpdate(String name, float learningRate, LearningRateFunction schedule, float beta1, float beta2,
      float epsilon, boolean amsgrad) {
    super(name, learningRate, schedule);
    this.beta1 = check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
    this.beta2 = check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
    this.epsilon = check("epsilon", epsilon, epsilon >= 0 && !Float.isInfinite(epsilon), "a finite number >= 0");
    this.amsgrad = amsgrad;
  }

  @Override
  protected void beforeApply(Ops tf) {
    // Keras: local_step = cast(iterations + 1, float32)
    Operand<TFloat32> localStep = tf.dtypes.cast(tf.math.add(iterationsValue(), tf.constant(1L)), TFloat32.class);
    beta1Power = tf.math.pow(tf.constant(beta1), localStep);
    beta2Power = tf.math.pow(tf.constant(beta2), localStep);
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable m = slot(variable, "m", 0f);
    GraphVariable v = slot(variable, "v", 0f);
    if (amsgrad) {
      return applyAmsgrad(tf, variable, m, v, gradient, lr);
    }
    return tf.train.applyAdam(
        variable.variable(), m.variable(), v.variable(), beta1Power, beta2Power, lr,
        tf.constant(beta1), tf.constant(beta2), tf.constant(epsilon), gradient);
  }

  private Op applyAmsgrad(
      Ops tf, GraphVariable variable, GraphVariable m, GraphVariable v, Operand<TFloat32> g, Operand<TFloat32> lr) {
    GraphVariable vHat = slot(variable, "v_hat", 0f);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alpha = tf.math.div(
        tf.math.mul(lr, tf.math.sqrt(tf.math.sub(one, beta2Power))), tf.math.sub(one, beta1Power));
    Operand<TFloat32> mOld = m.value();
    Operand<TFloat32> vOld = v.value();
    Operand<TFloat32> mNew = tf.math.add(
        mOld, tf.math.mul(tf.math.sub(g, mOld), tf.constant(oneMinusAsKeras(beta1))));
    Operand<TFloat32> vNew = tf.math.add(
        vOld, tf.math.mul(tf.math.sub(tf.math.square(g), vOld), tf.constant(oneMinusAsKeras(beta2))));
    Operand<TFloat32> vHatNew = tf.math.maximum(vHat.value(), vNew);
    Operand<TFloat32> step = tf.math.div(
        tf.math.mul(mNew, alpha), tf.math.add(tf.math.sqrt(vHatNew), tf.constant(epsilon)));
    Ops write = afterValues(tf, List.of(mNew, vNew, vHatNew, step));
    return tf.withControlDependencies(List.of(
        write.assign(m.variable(), mNew), write.assign(v.variable(), vNew), write.assign(vHat.variable(), vHatNew),
        write.assignSub(variable.variable(), step))).noOp();
  }
}
