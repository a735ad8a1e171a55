package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * LAMB (You et al., 2020, "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes"): Keras 3's
 * {@code Lamb} update.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/lamb.py}), with step {@code t = iterations + 1} and slots {@code momentum}
 * ({@code m}) and {@code velocity} ({@code v}) starting at zero:
 * <pre>
 * m = m + (g - m) * (1 - b1)
 * v = v + (g^2 - v) * (1 - b2)
 * update = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)      Adam's direction, epsilon outside the root
 * ratio  = ||w|| / ||update|| if both norms are > 0, else 1     L2 norms over the whole variable
 * w = w - ratio * lr * update
 * </pre>
 * So each variable (Keras's "layer") moves by {@code lr * ||w||} in norm per step, whatever the scale of its
 * gradients. No TensorFlow kernel computes it; it is built from plain ops in Keras's order, with {@code 1 - b} rounded
 * as Keras does ({@link #oneMinusAsKeras}) and the beta powers as in {@link AdamUpdate}: {@code pow(b, t)} in float32.
 * {@code w} in the norm is the value after this step's weight decay, as in Keras.
 *
 * <p>Keras does not check the betas or epsilon; here {@code beta1} and {@code beta2} must be in [0, 1) (at 1 the bias
 * corrections divide by zero) and {@code epsilon} a finite number {@code >= 0}.
 */
public final class LambUpdate extends GraphOptimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private Operand<TFloat32> oneMinusBeta1Power;
  private Operand<TFloat32> oneMinusBeta2Power;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "lamb"}
   * @param learningRate Keras default 0.001
   * @param beta1 decay of the first-moment estimate, in [0, 1); Keras default 0.9
   * @param beta2 decay of the second-moment estimate, in [0, 1); Keras default 0.999
   * @param epsilon added to the bias-corrected {@code sqrt(v)}, {@code >= 0}; Keras default 1e-7
   */
  public LambUpdate(String name, float learningRate, float beta1, float beta2, float epsilon) {
    this(name, learningRate, null, beta1, beta2, epsilon);
  }

  /** As {@link #LambUpdate(String, float, float, float, float)}, with a scheduled learning rate. */
  public LambUpdate(String name, LearningRateFunction learningRate, float beta1, float beta2, float epsilon) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), beta1, beta2, epsilon);
  }

  private LambUpdate(String name, float learningRate, LearningRateFunction schedule, float beta1, float beta2,
      float epsilon) {
    super(name, learningRate, schedule);
    this.beta1 = check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
    this.beta2 = check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
    this.epsilon = check("epsilon", epsilon, epsilon >= 0 && !Float.isInfinite(epsilon), "a finite number >= 0");
  }

  @Override
  protected void beforeApply(Ops tf) {
    // Keras: local_step = cast(iterations + 1, float32); beta_power = power(beta, local_step); 1.0 - beta_power
    Operand<TFloat32> localStep = tf.dtypes.cast(tf.math.add(iterationsValue(), tf.constant(1L)), TFloat32.class);
    Operand<TFloat32> one = tf.constant(1f);
    oneMinusBeta1Power = tf.math.sub(one, tf.math.pow(tf.constant(beta1), localStep));
    oneMinusBeta2Power = tf.math.sub(one, tf.math.pow(tf.constant(beta2), localStep));
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable m = slot(variable, "momentum", 0f);
    GraphVariable v = slot(variable, "velocity", 0f);
    Operand<TFloat32> mOld = m.value();
    Operand<TFloat32> vOld = v.value();
    Operand<TFloat32> mNew = tf.math.add(
        mOld, tf.math.mul(tf.math.sub(gradient, mOld), tf.constant(oneMinusAsKeras(beta1))));
    Operand<TFloat32> vNew = tf.math.add(
        vOld, tf.math.mul(tf.math.sub(tf.math.square(gradient), vOld), tf.constant(oneMinusAsKeras(beta2))));
    Operand<TFloat32> mHat = tf.math.div(mNew, oneMinusBeta1Power);
    Operand<TFloat32> vSqrt = tf.math.add(
        tf.math.sqrt(tf.math.div(vNew, oneMinusBeta2Power)), tf.constant(epsilon));
    Operand<TFloat32> update = tf.math.div(mHat, vSqrt);
    Operand<TFloat32> wNorm = norm(tf, variableValue(tf, variable));
    Operand<TFloat32> gNorm = norm(tf, update);
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> one = tf.constant(1f);
    // Keras: where(w_norm > 0, where(g_norm > 0, w_norm / g_norm, 1), 1); no gradient flows through an update
    Operand<TFloat32> ratio = tf.select(tf.math.greater(wNorm, zero),
        tf.select(tf.math.greater(gNorm, zero), tf.math.div(wNorm, gNorm), one), one);
    Operand<TFloat32> step = tf.math.mul(tf.math.mul(ratio, lr), update);
    Ops write = afterValues(tf, List.of(mNew, vNew, step));
    return tf.withControlDependencies(List.of(
        write.assign(m.variable(), mNew), write.assign(v.variable(), vNew),
        write.assignSub(variable.variable(), step))).noOp();
  }

  /** {@code sqrt(sum(x^2))} over every element of {@code x} (a scalar for a variable of any rank). */
  private static Operand<TFloat32> norm(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1}));
    return tf.math.sqrt(tf.sum(tf.math.square(flat), tf.constant(0)));
  }
}
