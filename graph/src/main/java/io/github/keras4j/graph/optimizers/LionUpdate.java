package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"): Keras 3's {@code Lion} update.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/lion.py}), with a {@code momentum} slot {@code m} starting at zero:
 * <pre>
 * w = w - lr * sign(m * b1 + g * (1 - b1))
 * m = m * b2 + g * (1 - b2)
 * </pre>
 * Every element moves by exactly {@code lr} (or not at all where the interpolation is 0), so Lion wants a learning
 * rate 3-10 times smaller than AdamW's. No TensorFlow kernel computes it; it is built from plain ops in Keras's
 * order ({@code 1 - b} in float32, as Keras computes it from the betas cast to float32).
 */
public final class LionUpdate extends GraphOptimizer {

  private final float beta1;
  private final float beta2;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "lion"}
   * @param learningRate Keras default 0.001
   * @param beta1 weight of the momentum in the step's direction, in (0, 1] (Keras refuses 0: the optimizer would
   *     degenerate to SignSGD); Keras default 0.9
   * @param beta2 decay of the momentum, in [0, 1]; Keras default 0.99
   */
  public LionUpdate(String name, float learningRate, float beta1, float beta2) {
    this(name, learningRate, null, beta1, beta2);
  }

  /** As {@link #LionUpdate(String, float, float, float)}, with a scheduled learning rate. */
  public LionUpdate(String name, LearningRateFunction learningRate, float beta1, float beta2) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), beta1, beta2);
  }

  private LionUpdate(String name, float learningRate, LearningRateFunction schedule, float beta1, float beta2) {
    super(name, learningRate, schedule);
    this.beta1 = check("beta1", beta1, beta1 > 0 && beta1 <= 1,
        "in (0, 1] (otherwise the optimizer degenerates to SignSGD)");
    this.beta2 = check("beta2", beta2, beta2 >= 0 && beta2 <= 1, "in [0, 1]");
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable m = slot(variable, "momentum", 0f);
    Operand<TFloat32> mOld = m.value();
    Operand<TFloat32> step = tf.math.mul(lr, tf.math.sign(tf.math.add(
        tf.math.mul(mOld, tf.constant(beta1)), tf.math.mul(gradient, tf.constant(1f - beta1)))));
    Operand<TFloat32> mNew = tf.math.add(
        tf.math.mul(mOld, tf.constant(beta2)), tf.math.mul(gradient, tf.constant(1f - beta2)));
    Ops write = afterValues(tf, List.of(step, mNew));
    return tf.withControlDependencies(List.of(
        write.assignSub(variable.variable(), step), write.assign(m.variable(), mNew))).noOp();
  }
}
