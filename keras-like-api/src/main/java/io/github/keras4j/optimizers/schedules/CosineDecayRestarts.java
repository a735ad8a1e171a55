package io.github.keras4j.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Cosine decay with warm restarts: Keras's {@code CosineDecayRestarts} (Loshchilov and Hutter, 2017, "SGDR:
 * Stochastic Gradient Descent with Warm Restarts"), with Keras's defaults {@code tMul=2.0, mMul=1.0, alpha=0.0}.
 *
 * <p>The rate follows a cosine from its peak down to {@code alpha} of it over a period, then restarts. The first
 * period lasts {@code firstDecaySteps} steps, each next one {@code tMul} times longer, and each restart's peak is
 * {@code mMul} times the previous one. With {@code c = step / firstDecaySteps}, Keras 3 finds the period {@code i}
 * (from 0) and the fraction {@code f} of it completed as
 * <pre>
 * tMul == 1: i = floor(c), f = c - i
 * otherwise: i = floor(log(1 - c * (1 - tMul)) / log(tMul)), f = (c - (1 - tMul^i) / (1 - tMul)) / tMul^i
 * lr(step) = initialLearningRate * ((1 - alpha) * 0.5 * mMul^i * (1 + cos(pi * f)) + alpha)
 * </pre>
 * so {@code alpha} is a floor that the restarts' decreasing peaks do not scale.
 *
 * <pre>{@code
 * // periods of 100, 200, 400, ... steps, each peak at 0.1
 * new SGD(new CosineDecayRestarts(0.1, 100));
 * }</pre>
 *
 * <p>The graph form computes in float32 as Keras does, so at a restart of a {@code tMul} that is not a power of 2
 * the logarithm's rounding may put the step at the end of the previous period (as in Keras); {@link #valueAt}
 * computes in double. Where Java differs from Keras: {@code tMul} must be positive (Keras computes NaN from its
 * logarithm otherwise).
 */
public class CosineDecayRestarts extends LearningRateSchedule {

  private final double initialLearningRate;
  private final long firstDecaySteps;
  private final double tMul;
  private final double mMul;
  private final double alpha;

  /** Restarts with periods doubling from {@code firstDecaySteps}, each decaying to 0 from the same peak. */
  public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps) {
    this(initialLearningRate, firstDecaySteps, 2.0, 1.0, 0.0);
  }

  /**
   * @param initialLearningRate the rate at step 0, the first peak
   * @param firstDecaySteps the length of the first period; must be {@code > 0}
   * @param tMul the factor by which each period is longer than the previous one; must be {@code > 0} (Keras's
   *     {@code t_mul})
   * @param mMul the factor by which each peak is lower than the previous one (Keras's {@code m_mul})
   * @param alpha the lowest rate as a fraction of {@code initialLearningRate}
   */
  public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul, double mMul,
      double alpha) {
    super("SGDRDecay");
    this.initialLearningRate = initialLearningRate;
    this.firstDecaySteps = checkDecaySteps("CosineDecayRestarts", "firstDecaySteps", firstDecaySteps);
    if (!(tMul > 0) || Double.isInfinite(tMul)) {
      throw new IllegalArgumentException(
          "CosineDecayRestarts: argument tMul must be a positive finite number. Received: tMul=" + tMul);
    }
    this.tMul = tMul;
    this.mMul = mMul;
    this.alpha = alpha;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TInt64> step) {
    Ops s = tf.withSubScope(name());
    Operand<TFloat32> one = s.constant(1f);
    Operand<TFloat32> completed = s.math.div(asFloat(s, step), s.constant((float) firstDecaySteps));
    Operand<TFloat32> restart;
    Operand<TFloat32> fraction;
    // Keras's ops.cond on t_mul == 1: t_mul is a constant here, so the branch is chosen in Java.
    if (tMul == 1.0) {
      restart = s.math.floor(completed);
      fraction = s.math.sub(completed, restart);
    } else {
      Operand<TFloat32> t = s.constant((float) tMul);
      Operand<TFloat32> oneMinusT = s.math.sub(one, t);
      restart = s.math.floor(s.math.div(
          s.math.log(s.math.sub(one, s.math.mul(completed, oneMinusT))), s.math.log(t)));
      Operand<TFloat32> tPower = s.math.pow(t, restart);
      Operand<TFloat32> sumR = s.math.div(s.math.sub(one, tPower), oneMinusT);
      fraction = s.math.div(s.math.sub(completed, sumR), tPower);
    }
    Operand<TFloat32> mFac = s.math.pow(s.constant((float) mMul), restart);
    Operand<TFloat32> cosine = s.math.mul(s.math.mul(s.constant(0.5f), mFac),
        s.math.add(one, s.math.cos(s.math.mul(s.constant((float) Math.PI), fraction))));
    Operand<TFloat32> a = s.constant((float) alpha);
    Operand<TFloat32> decayed = s.math.add(s.math.mul(s.math.sub(one, a), cosine), a);
    return s.math.mul(s.constant((float) initialLearningRate), decayed);
  }

  @Override
  public double valueAt(long step) {
    double completed = (double) step / firstDecaySteps;
    double restart;
    double fraction;
    if (tMul == 1.0) {
      restart = Math.floor(completed);
      fraction = completed - restart;
    } else {
      restart = Math.floor(Math.log(1 - completed * (1 - tMul)) / Math.log(tMul));
      double sumR = (1 - Math.pow(tMul, restart)) / (1 - tMul);
      fraction = (completed - sumR) / Math.pow(tMul, restart);
    }
    double cosine = 0.5 * Math.pow(mMul, restart) * (1 + Math.cos(Math.PI * fraction));
    return initialLearningRate * ((1 - alpha) * cosine + alpha);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("initial_learning_rate", initialLearningRate);
    c.put("first_decay_steps", firstDecaySteps);
    c.put("t_mul", tMul);
    c.put("m_mul", mMul);
    c.put("alpha", alpha);
    c.put("name", name());
    return c;
  }
}
