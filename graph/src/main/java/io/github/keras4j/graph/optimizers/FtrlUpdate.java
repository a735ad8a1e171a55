package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * FTRL-Proximal (McMahan et al., 2013, "Ad Click Prediction: a View from the Trenches"): Keras 3's {@code Ftrl}
 * update.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/ftrl.py}), with slots {@code accumulator} ({@code n}, starting at
 * {@code initialAccumulatorValue}) and {@code linear} ({@code z}, starting at zero), {@code p = -learningRatePower}
 * and {@code l1}, {@code l2}, {@code l2s} the three regularization strengths:
 * <pre>
 * l2_reg    = l2 + beta / (2 * lr)
 * g_shrunk  = g + 2 * l2s * w
 * n_new     = n + g^2
 * z         = z + g_shrunk - ((n_new^p - n^p) / lr) * w
 * quadratic = n_new^p / lr + 2 * l2_reg
 * w         = (clip(z, -l1, l1) - z) / quadratic          0 where |z| &lt;= l1, else (sign(z) * l1 - z) / quadratic
 * n         = n_new
 * </pre>
 * ({@code w} on the right is the value before the step, after weight decay if set.)
 *
 * <p>TensorFlow's {@code ApplyFtrlV2} computes the same maths in another order (and with {@code sqrt} instead of
 * {@code pow} for the default power -0.5), so rounding differs; this update is built from plain ops in Keras's
 * order instead, all in float32 as Keras's.
 */
public final class FtrlUpdate extends GraphOptimizer {

  private final float learningRatePower;
  private final float initialAccumulatorValue;
  private final float l1;
  private final float l2;
  private final float l2Shrinkage;
  private final float beta;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "ftrl"}
   * @param learningRate Keras default 0.001
   * @param learningRatePower how the per-element rate falls as gradients accumulate, {@code <= 0} (0: a fixed
   *     rate); Keras default -0.5
   * @param initialAccumulatorValue the accumulators' starting value, {@code >= 0}; Keras default 0.1
   * @param l1RegularizationStrength {@code >= 0}; Keras default 0
   * @param l2RegularizationStrength the stabilizing L2 penalty of the paper, {@code >= 0}; Keras default 0
   * @param l2ShrinkageRegularizationStrength an L2 penalty added to the gradient (a magnitude penalty),
   *     {@code >= 0}; Keras default 0
   * @param beta the paper's beta, finite; Keras default 0
   */
  public FtrlUpdate(String name, float learningRate, float learningRatePower, float initialAccumulatorValue,
      float l1RegularizationStrength, float l2RegularizationStrength, float l2ShrinkageRegularizationStrength,
      float beta) {
    this(name, learningRate, null, learningRatePower, initialAccumulatorValue, l1RegularizationStrength,
        l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta);
  }

  /** As {@link #FtrlUpdate(String, float, float, float, float, float, float, float)}, with a scheduled rate. */
  public FtrlUpdate(String name, LearningRateFunction learningRate, float learningRatePower,
      float initialAccumulatorValue, float l1RegularizationStrength, float l2RegularizationStrength,
      float l2ShrinkageRegularizationStrength, float beta) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), learningRatePower,
        initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength,
        l2ShrinkageRegularizationStrength, beta);
  }

  private FtrlUpdate(String name, float learningRate, LearningRateFunction schedule, float learningRatePower,
      float initialAccumulatorValue, float l1, float l2, float l2Shrinkage, float beta) {
    super(name, learningRate, schedule);
    this.learningRatePower = check("learningRatePower", learningRatePower,
        learningRatePower <= 0 && !Float.isInfinite(learningRatePower), "a finite number <= 0");
    this.initialAccumulatorValue = nonNegative("initialAccumulatorValue", initialAccumulatorValue);
    this.l1 = nonNegative("l1RegularizationStrength", l1);
    this.l2 = nonNegative("l2RegularizationStrength", l2);
    this.l2Shrinkage = nonNegative("l2ShrinkageRegularizationStrength", l2Shrinkage);
    this.beta = check("beta", beta, Float.isFinite(beta), "a finite number");
  }

  private float nonNegative(String setting, float value) {
    return check(setting, value, value >= 0 && !Float.isInfinite(value), "a finite number >= 0");
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable accumulator = slot(variable, "accumulator", initialAccumulatorValue);
    GraphVariable linear = slot(variable, "linear", 0f);
    Operand<TFloat32> w = variableValue(tf, variable);
    Operand<TFloat32> power = tf.constant(-learningRatePower);
    Operand<TFloat32> l2Reg = tf.math.add(
        tf.constant(l2), tf.math.div(tf.constant(beta), tf.math.mul(tf.constant(2f), lr)));
    Operand<TFloat32> gradToUse = tf.math.add(gradient, tf.math.mul(tf.constant(2 * l2Shrinkage), w));
    Operand<TFloat32> accumOld = accumulator.value();
    Operand<TFloat32> accumNew = tf.math.add(accumOld, tf.math.square(gradient));
    Operand<TFloat32> accumNewPower = tf.math.pow(accumNew, power);
    Operand<TFloat32> sigma = tf.math.div(tf.math.sub(accumNewPower, tf.math.pow(accumOld, power)), lr);
    Operand<TFloat32> linearNew =
        tf.math.add(linear.value(), tf.math.sub(gradToUse, tf.math.mul(sigma, w)));
    Operand<TFloat32> quadratic =
        tf.math.add(tf.math.div(accumNewPower, lr), tf.math.mul(tf.constant(2f), l2Reg));
    Operand<TFloat32> linearClipped = tf.clipByValue(linearNew, tf.constant(-l1), tf.constant(l1));
    Operand<TFloat32> wNew = tf.math.div(tf.math.sub(linearClipped, linearNew), quadratic);
    Ops write = afterValues(tf, List.of(linearNew, wNew, accumNew));
    return tf.withControlDependencies(List.of(
        write.assign(linear.variable(), linearNew), write.assign(variable.variable(), wNew),
        write.assign(accumulator.variable(), accumNew))).noOp();
  }
}
