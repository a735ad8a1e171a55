package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adadelta (Zeiler, 2012): Keras 3's {@code Adadelta} update.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/adadelta.py}), with slots {@code accumulated_grad} ({@code a}) and
 * {@code accumulated_delta_var} ({@code d}) starting at zero and {@code rms(x) = sqrt(x + eps)}:
 * <pre>
 * a = rho * a + (1 - rho) * g^2
 * delta = -(rms(d) * g) / rms(a)
 * d = rho * d + (1 - rho) * delta^2
 * w = w + lr * delta
 * </pre>
 * Unlike the paper, the step is scaled by the learning rate (Keras's default 0.001; 1.0 is the paper's form).
 *
 * <p>TensorFlow's {@code ApplyAdadelta} has the same maths but multiplies by {@code rsqrt(a + eps)} instead of
 * dividing by {@code sqrt(a + eps)} and takes {@code 1 - rho} in float32 from the float rho, both rounding
 * differences; this update is built from plain ops in Keras's order instead, {@code 1 - rho} rounded as Keras does
 * ({@link #oneMinusAsKeras}).
 */
public final class AdadeltaUpdate extends GraphOptimizer {

  private final float rho;
  private final float epsilon;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "adadelta"}
   * @param learningRate Keras default 0.001
   * @param rho decay of the moving averages, in [0, 1]; Keras default 0.95
   * @param epsilon added inside both square roots, positive; Keras default 1e-7
   */
  public AdadeltaUpdate(String name, float learningRate, float rho, float epsilon) {
    this(name, learningRate, null, rho, epsilon);
  }

  /** As {@link #AdadeltaUpdate(String, float, float, float)}, with a scheduled learning rate. */
  public AdadeltaUpdate(String name, LearningRateFunction learningRate, float rho, float epsilon) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), rho, epsilon);
  }

  private AdadeltaUpdate(String name, float learningRate, LearningRateFunction schedule, float rho, float epsilon) {
    super(name, learningRate, schedule);
    this.rho = check("rho", rho, rho >= 0 && rho <= 1, "in [0, 1]");
    this.epsilon = check("epsilon", epsilon, epsilon > 0 && !Float.isInfinite(epsilon), "a positive finite number");
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable accumulatedGrad = slot(variable, "accumulated_grad", 0f);
    GraphVariable accumulatedDelta = slot(variable, "accumulated_delta_var", 0f);
    Operand<TFloat32> r = tf.constant(rho);
    Operand<TFloat32> oneMinusRho = tf.constant(oneMinusAsKeras(rho));
    Operand<TFloat32> eps = tf.constant(epsilon);
    Operand<TFloat32> deltaOld = accumulatedDelta.value();
    Operand<TFloat32> gradNew = tf.math.add(
        tf.math.mul(r, accumulatedGrad.value()), tf.math.mul(oneMinusRho, tf.math.square(gradient)));
    Operand<TFloat32> delta = tf.math.neg(tf.math.div(
        tf.math.mul(tf.math.sqrt(tf.math.add(deltaOld, eps)), gradient),
        tf.math.sqrt(tf.math.add(gradNew, eps))));
    Operand<TFloat32> deltaNew = tf.math.add(tf.math.mul(r, deltaOld), tf.math.mul(oneMinusRho, tf.math.square(delta)));
    Operand<TFloat32> step = tf.math.mul(lr, delta);
    Ops write = afterValues(tf, List.of(gradNew, deltaNew, step));
    return tf.withControlDependencies(List.of(
        write.assign(accumulatedGrad.variable(), gradNew), write.assign(accumulatedDelta.variable(), deltaNew),
        write.assignAdd(variable.variable(), step))).noOp();
  }
}
