package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop (Hinton, 2012), optionally centered and with plain momentum: Keras 3's {@code RMSprop} update.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/rmsprop.py}), with slots starting at zero:
 * <pre>
 * v = rho * v + (1 - rho) * g^2                              velocity
 * centered:  a = rho * a + (1 - rho) * g;  d = v - a^2 + eps    average gradient
 * otherwise: d = v + eps
 * inc = lr * g / sqrt(d)
 * momentum &gt; 0: m = momentum * m + inc; w = w - m
 * otherwise:    w = w - inc
 * </pre>
 * Note that epsilon is added <em>inside</em> the square root (unlike Adam's {@code sqrt(v) + eps}).
 *
 * <p>Built on TensorFlow's {@code ApplyRMSProp} ({@code ms += (g^2 - ms) * (1 - rho);
 * mom = mom * momentum + lr * g / sqrt(ms + eps); var -= mom}) and {@code ApplyCenteredRMSProp} (the same with
 * {@code mg += (g - mg) * (1 - rho)} and {@code sqrt(ms - mg^2 + eps)}). These are Keras 3's formulas, with
 * epsilon in the same place, the learning rate applied per step inside the momentum sum as in Keras, and
 * {@code momentum = 0} giving {@code w -= inc}. The differences are at float-rounding level only:
 * <ul>
 *   <li>the moving averages are computed as {@code v + (g^2 - v) * (1 - rho)} rather than
 *       {@code rho * v + (1 - rho) * g^2}, and {@code 1 - rho} is rounded from the float {@code rho} (for
 *       {@code rho = 0.9}: 0.100000024 instead of 0.1f), a relative difference of about 1e-7 per step;
 *   <li>the fused kernels always take a momentum slot, so {@code momentum = 0} still allocates one slot per
 *       variable (Keras allocates none); it holds {@code inc} of the last step.
 * </ul>
 * Slots ({@code <optimizer>/<variable>/...}): {@code velocity}, {@code momentum}, and {@code average_gradient}
 * when centered; Keras's names. Settings are checked as Keras 3 does: rho and momentum in [0, 1], epsilon
 * positive.
 */
public final class RmsPropUpdate extends GraphOptimizer {

  private final float rho;
  private final float momentum;
  private final float epsilon;
  private final boolean centered;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "rmsprop"}
   * @param learningRate Keras default 0.001
   * @param rho discount of the moving averages, in [0, 1]; Keras default 0.9
   * @param momentum in [0, 1]; Keras default 0
   * @param epsilon added to the denominator inside the square root, {@code > 0}; Keras default 1e-7
   * @param centered whether to divide by the estimated variance rather than the second moment (Keras default
   *     false)
   */
  public RmsPropUpdate(String name, float learningRate, float rho, float momentum, float epsilon, boolean centered) {
    this(name, learningRate, null, rho, momentum, epsilon, centered);
  }

  /** As {@link #RmsPropUpdate(String, float, float, float, float, boolean)}, with a scheduled learning rate. */
  public RmsPropUpdate(
      String name, LearningRateFunction learningRate, float rho, float momentum, float epsilon, boolean centered) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), rho, momentum, epsilon, centered);
  }

  private RmsPropUpdate(String name, float learningRate, LearningRateFunction schedule, float rho, float momentum,
      float epsilon, boolean centered) {
    super(name, learningRate, schedule);
    this.rho = check("rho", rho, rho >= 0 && rho <= 1, "a number in [0, 1]");
    this.momentum = check("momentum", momentum, momentum >= 0 && momentum <= 1, "a number in [0, 1]");
    this.epsilon = check("epsilon", epsilon, epsilon > 0 && !Float.isInfinite(epsilon), "a positive finite number");
    this.centered = centered;
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable velocity = slot(variable, "velocity", 0f);
    GraphVariable momentumSlot = slot(variable, "momentum", 0f);
    if (centered) {
      GraphVariable averageGradient = slot(variable, "average_gradient", 0f);
      return tf.train.applyCenteredRmsProp(
          variable.variable(), averageGradient.variable(), velocity.variable(), momentumSlot.variable(), lr,
          tf.constant(rho), tf.constant(momentum), tf.constant(epsilon), gradient);
    }
    return tf.train.applyRmsProp(
        variable.variable(), velocity.variable(), momentumSlot.variable(), lr,
        tf.constant(rho), tf.constant(momentum), tf.constant(epsilon), gradient);
  }
}
