package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adamax (Kingma and Ba, section 7.1), Adam with the infinity norm: Keras 3's {@code Adamax} update.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/adamax.py}), with step {@code t = iterations + 1} and slots {@code m}
 * ({@code momentum}) and {@code u} ({@code norm}) starting at zero:
 * <pre>
 * m = m + (g - m) * (1 - b1)
 * u = max(b2 * u, |g|)
 * w = w - (lr * m) / ((1 - b1^t) * (u + eps))
 * </pre>
 *
 * <p>TensorFlow's {@code ApplyAdaMax} has the same maths but another rounding: it computes
 * {@code lr / (1 - b1^t) * (m / (u + eps))} and {@code 1 - b1} in float32 from the float beta. This update is
 * built from plain ops instead, in Keras's order: {@code 1 - b1} rounded as Keras does
 * ({@link #oneMinusAsKeras}), {@code b1^t = pow(b1, float32(t))} in float32.
 */
public final class AdamaxUpdate extends GraphOptimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private Operand<TFloat32> beta1Power;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "adamax"}
   * @param learningRate Keras default 0.001
   * @param beta1 decay of the first-moment estimate, in [0, 1); Keras default 0.9
   * @param beta2 decay of the infinity norm, in [0, 1]; Keras default 0.999
   * @param epsilon added to {@code u}, {@code >= 0}; Keras default 1e-7
   */
  public AdamaxUpdate(String name, float learningRate, float beta1, float beta2, float epsilon) {
    this(name, learningRate, null, beta1, beta2, epsilon);
  }

  /** As {@link #AdamaxUpdate(String, float, float, float, float)}, with a scheduled learning rate. */
  public AdamaxUpdate(String name, LearningRateFunction learningRate, float beta1, float beta2, float epsilon) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), beta1, beta2, epsilon);
  }

  private AdamaxUpdate(
      String name, float learningRate, LearningRateFunction schedule, float beta1, float beta2, float epsilon) {
    super(name, learningRate, schedule);
    this.beta1 = check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
    this.beta2 = check("beta2", beta2, beta2 >= 0 && beta2 <= 1, "in [0, 1]");
    this.epsilon = check("epsilon", epsilon, epsilon >= 0 && !Float.isInfinite(epsilon), "a finite number >= 0");
  }

  @Override
  protected void beforeApply(Ops tf) {
    Operand<TFloat32> localStep = tf.dtypes.cast(tf.math.add(iterationsValue(), tf.constant(1L)), TFloat32.class);
    beta1Power = tf.math.pow(tf.constant(beta1), localStep);
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable m = slot(variable, "momentum", 0f);
    GraphVariable u = slot(variable, "norm", 0f);
    Operand<TFloat32> mOld = m.value();
    Operand<TFloat32> mNew = tf.math.add(
        mOld, tf.math.mul(tf.math.sub(gradient, mOld), tf.constant(oneMinusAsKeras(beta1))));
    Operand<TFloat32> uNew = tf.math.maximum(tf.math.mul(tf.constant(beta2), u.value()), tf.math.abs(gradient));
    Operand<TFloat32> step = tf.math.div(
        tf.math.mul(lr, mNew),
        tf.math.mul(tf.math.sub(tf.constant(1f), beta1Power), tf.math.add(uNew, tf.constant(epsilon))));
    Ops write = afterValues(tf, List.of(mNew, uNew, step));
    return tf.withControlDependencies(List.of(
        write.assign(m.variable(), mNew), write.assign(u.variable(), uNew),
        write.assignSub(variable.variable(), step))).noOp();
  }
}
