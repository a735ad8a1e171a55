package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum: Keras 3's {@code SGD} update.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/sgd.py}), with learning rate {@code lr}, gradient {@code g} and a
 * velocity slot {@code m} starting at zero:
 * <ul>
 *   <li>{@code momentum == 0}: {@code w = w - lr * g}, built on {@code ApplyGradientDescent}
 *       ({@code var -= alpha * delta}), the same arithmetic.
 *   <li>{@code momentum > 0}: {@code m = momentum * m - lr * g; w = w + m};
 *   <li>with {@code nesterov}: {@code m = momentum * m - lr * g; w = w + momentum * m - lr * g}.
 * </ul>
 *
 * <p>The momentum cases run on TensorFlow's {@code ApplyMomentum}, whose accumulator has another form:
 * {@code a = momentum * a + grad; var -= lr * a} (Nesterov: {@code var -= grad * lr + a * momentum * lr}).
 * Called with Keras's lr and grad, {@code a} sums raw gradients and the current lr multiplies all of them:
 * that equals Keras (with {@code m = -lr * a}) only while lr stays constant. This class instead calls it with
 * {@code lr = 1} and {@code grad = lr * g}; then {@code a = momentum * a + lr * g = -m} at every step and
 * {@code var -= a} (Nesterov: {@code var -= lr * g + momentum * a}) is Keras 3's update exactly, also when
 * the learning rate changes between steps (schedules, callbacks): each step's gradient keeps the learning
 * rate it was taken with. The only visible difference is the sign of the slot: the {@code momentum} slot
 * ({@code <optimizer>/<variable>/momentum}) holds {@code -m}, Keras's velocity negated. Float rounding is the
 * same as Keras's (the same products and sums; the multiplications by 1 are exact).
 */
public final class SgdUpdate extends GraphOptimizer {

  private final float momentum;
  private final boolean nesterov;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "SGD"}
   * @param learningRate Keras default 0.01
   * @param momentum in [0, 1]; 0 (Keras's default) is plain gradient descent and creates no slot
   * @param nesterov whether to use Nesterov momentum (Keras default false)
   */
  public SgdUpdate(String name, float learningRate, float momentum, boolean nesterov) {
    this(name, learningRate, null, momentum, nesterov);
  }

  /** As {@link #SgdUpdate(String, float, float, boolean)}, with a scheduled learning rate. */
  public SgdUpdate(String name, LearningRateFunction learningRate, float momentum, boolean nesterov) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), momentum, nesterov);
  }

  private SgdUpdate(
      String name, float learningRate, LearningRateFunction schedule, float momentum, boolean nesterov) {
    super(name, learningRate, schedule);
    this.momentum = check("momentum", momentum, momentum >= 0 && momentum <= 1, "a number in [0, 1]");
    this.nesterov = nesterov;
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    if (momentum == 0) {
      return tf.train.applyGradientDescent(variable.variable(), lr, gradient);
    }
    GraphVariable accumulator = slot(variable, "momentum", 0f);
    return tf.train.applyMomentum(
        variable.variable(), accumulator.variable(), tf.constant(1f), tf.math.mul(lr, gradient),
        tf.constant(momentum), ApplyMomentum.useNesterov(nesterov));
  }
}
