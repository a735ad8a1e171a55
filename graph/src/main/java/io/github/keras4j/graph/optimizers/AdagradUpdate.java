package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adagrad (Duchi et al., 2011): Keras 3's {@code Adagrad} update.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/adagrad.py}), with an {@code accumulator} slot starting at
 * {@code initialAccumulatorValue}:
 * <pre>
 * acc = acc + g^2
 * w = w - lr * g / sqrt(acc + eps)
 * </pre>
 *
 * <p>Neither fused TensorFlow kernel computes this: {@code ApplyAdagrad} divides by {@code sqrt(acc)} (no
 * epsilon) and {@code ApplyAdagradV2} by {@code sqrt(acc) + eps}. So the update is built from Keras's own
 * operations instead ({@code AssignAdd} of {@code g^2}, then {@code AssignSub} of
 * {@code (lr * g) / sqrt(acc + eps)} reading the new accumulator), which is Keras 3's update in the same order,
 * the same float rounding included.
 */
public final class AdagradUpdate extends GraphOptimizer {

  private final float initialAccumulatorValue;
  private final float epsilon;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "adagrad"}
   * @param learningRate Keras default 0.001
   * @param initialAccumulatorValue the accumulators' starting value, {@code >= 0}; Keras default 0.1
   * @param epsilon added to the accumulator inside the square root, {@code >= 0}; Keras default 1e-7
   */
  public AdagradUpdate(String name, float learningRate, float initialAccumulatorValue, float epsilon) {
    this(name, learningRate, null, initialAccumulatorValue, epsilon);
  }

  /** As {@link #AdagradUpdate(String, float, float, float)}, with a scheduled learning rate. */
  public AdagradUpdate(
      String name, LearningRateFunction learningRate, float initialAccumulatorValue, float epsilon) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), initialAccumulatorValue, epsilon);
  }

  private AdagradUpdate(String name, float learningRate, LearningRateFunction schedule, float initialAccumulatorValue,
      float epsilon) {
    super(name, learningRate, schedule);
    this.initialAccumulatorValue = check(
        "initialAccumulatorValue", initialAccumulatorValue,
        initialAccumulatorValue >= 0 && !Float.isInfinite(initialAccumulatorValue), "a finite number >= 0");
    this.epsilon = check("epsilon", epsilon, epsilon >= 0 && !Float.isInfinite(epsilon), "a finite number >= 0");
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable accumulator = slot(variable, "accumulator", initialAccumulatorValue);
    // Identity reads the accumulator through AssignAdd's output, so after the addition.
    Operand<TFloat32> accumulated = tf.identity(tf.assignAdd(accumulator.variable(), tf.math.square(gradient)));
    Operand<TFloat32> step = tf.math.div(
        tf.math.mul(lr, gradient), tf.math.sqrt(tf.math.add(accumulated, tf.constant(epsilon))));
    return tf.assignSub(variable.variable(), step);
  }
}
