package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Nadam (Dozat, 2016), Adam with Nesterov momentum: Keras 3's {@code Nadam} update, with its momentum schedule.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/nadam.py}), with step {@code t = iterations + 1}, slots {@code m}
 * ({@code momentum}) and {@code v} ({@code velocity}) starting at zero and an optimizer-wide scalar
 * {@code u_product} starting at 1:
 * <pre>
 * u_t   = b1 * (1 - 0.5 * 0.96^t)                 the momentum schedule
 * u_t1  = b1 * (1 - 0.5 * 0.96^(t + 1))
 * u_product = u_product * b1 * (1 - 0.5 * 0.96^t)   once per step, before the variables (= u_1 * ... * u_t)
 * m = m + (g - m) * (1 - b1)
 * v = v + (g^2 - v) * (1 - b2)
 * m_hat = (u_t1 * m) / (1 - u_product * u_t1) + ((1 - u_t) * g) / (1 - u_product)
 * v_hat = v / (1 - b2^t)
 * w = w - (m_hat * lr) / (sqrt(v_hat) + eps)
 * </pre>
 * TensorFlow has no kernel for it ({@code ApplyAdam} with {@code use_nesterov} is another formula, without the
 * schedule), so it is built from plain ops in Keras's order, all in float32 as Keras's (its betas are cast to
 * float32, so {@code 1 - b} is float32 arithmetic). The new {@code u_product} is computed once per update op and
 * written after all variables are updated. It is saved with the slots (as {@code <optimizer>/u_product}).
 */
public final class NadamUpdate extends GraphOptimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private GraphVariable uProduct;
  private Operand<TFloat32> uT;
  private Operand<TFloat32> uT1;
  private Operand<TFloat32> uProductT;
  private Operand<TFloat32> uProductT1;
  private Operand<TFloat32> beta2Power;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "nadam"}
   * @param learningRate Keras default 0.001
   * @param beta1 decay of the first-moment estimate, in [0, 1); Keras default 0.9
   * @param beta2 decay of the second-moment estimate, in [0, 1); Keras default 0.999
   * @param epsilon added to {@code sqrt(v_hat)}, {@code >= 0}; Keras default 1e-7
   */
  public NadamUpdate(String name, float learningRate, float beta1, float beta2, float epsilon) {
    this(name, learningRate, null, beta1, beta2, epsilon);
  }

  /** As {@link #NadamUpdate(String, float, float, float, float)}, with a scheduled learning rate. */
  public NadamUpdate(String name, LearningRateFunction learningRate, float beta1, float beta2, float epsilon) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), beta1, beta2, epsilon);
  }

  private NadamUpdate(
      String name, float learningRate, LearningRateFunction schedule, float beta1, float beta2, float epsilon) {
    super(name, learningRate, schedule);
    this.beta1 = check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
    this.beta2 = check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
    this.epsilon = check("epsilon", epsilon, epsilon >= 0 && !Float.isInfinite(epsilon), "a finite number >= 0");
  }

  @Override
  protected void onBind(GraphRuntime rt) {
    uProduct = scalar("u_product", 1f);
  }

  @Override
  protected void beforeApply(Ops tf) {
    Operand<TFloat32> localStep = tf.dtypes.cast(tf.math.add(iterationsValue(), tf.constant(1L)), TFloat32.class);
    Operand<TFloat32> nextStep = tf.dtypes.cast(tf.math.add(iterationsValue(), tf.constant(2L)), TFloat32.class);
    Operand<TFloat32> b1 = tf.constant(beta1);
    // 1 - 0.5 * 0.96^t, shared by u_t and the u_product update as in Keras
    Operand<TFloat32> scheduleT = tf.math.sub(tf.constant(1f),
        tf.math.mul(tf.constant(0.5f), tf.math.pow(tf.constant(0.96f), localStep)));
    Operand<TFloat32> scheduleT1 = tf.math.sub(tf.constant(1f),
        tf.math.mul(tf.constant(0.5f), tf.math.pow(tf.constant(0.96f), nextStep)));
    uT = tf.math.mul(b1, scheduleT);
    uT1 = tf.math.mul(b1, scheduleT1);
    uProductT = tf.math.mul(tf.math.mul(uProduct.value(), b1), scheduleT);
    uProductT1 = tf.math.mul(uProductT, uT1);
    beta2Power = tf.math.pow(tf.constant(beta2), localStep);
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable m = slot(variable, "momentum", 0f);
    GraphVariable v = slot(variable, "velocity", 0f);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> mOld = m.value();
    Operand<TFloat32> vOld = v.value();
    Operand<TFloat32> mNew = tf.math.add(mOld, tf.math.mul(tf.math.sub(gradient, mOld), tf.constant(1f - beta1)));
    Operand<TFloat32> vNew = tf.math.add(
        vOld, tf.math.mul(tf.math.sub(tf.math.square(gradient), vOld), tf.constant(1f - beta2)));
    Operand<TFloat32> mHat = tf.math.add(
        tf.math.div(tf.math.mul(uT1, mNew), tf.math.sub(one, uProductT1)),
        tf.math.div(tf.math.mul(tf.math.sub(one, uT), gradient), tf.math.sub(one, uProductT)));
    Operand<TFloat32> vHat = tf.math.div(vNew, tf.math.sub(one, beta2Power));
    Operand<TFloat32> step = tf.math.div(
        tf.math.mul(mHat, lr), tf.math.add(tf.math.sqrt(vHat), tf.constant(epsilon)));
    Ops write = afterValues(tf, List.of(mNew, vNew, step));
    return tf.withControlDependencies(List.of(
        write.assign(m.variable(), mNew), write.assign(v.variable(), vNew),
        write.assignSub(variable.variable(), step))).noOp();
  }

  @Override
  protected List<Op> afterApply(Ops tf) {
    return List.of(tf.withName("u_product_assign").assign(uProduct.variable(), uProductT));
  }
}
