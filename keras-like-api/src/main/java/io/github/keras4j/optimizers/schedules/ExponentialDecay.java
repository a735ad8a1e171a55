package io.github.keras4j.optimizers.schedules;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Exponential decay: Keras's {@code ExponentialDecay}.
 *
 * <pre>
 * lr(step) = initialLearningRate * decayRate ^ (step / decaySteps)
 * </pre>
 * With {@code staircase}, {@code step / decaySteps} is rounded down, so the rate drops by {@code decayRate} every
 * {@code decaySteps} steps.
 *
 * <pre>{@code
 * // 0.1, then 0.96 times less every 100000 steps
 * new SGD(new ExponentialDecay(0.1, 100000, 0.96, true));
 * }</pre>
 */
public class ExponentialDecay extends RateDecay {

  /** A continuous exponential decay ({@code staircase=false}). */
  public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
    this(initialLearningRate, decaySteps, decayRate, false);
  }

  /**
   * @param initialLearningRate the rate at step 0
   * @param decaySteps the number of steps over which the rate is multiplied by {@code decayRate}; must be
   *     {@code > 0}
   * @param decayRate the factor per {@code decaySteps} steps
   * @param staircase whether to decay at discrete intervals
   */
  public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
    super("ExponentialDecay", initialLearningRate, decaySteps, decayRate, staircase);
  }

  @Override
  Operand<TFloat32> rate(Ops s, Operand<TFloat32> p) {
    return s.math.mul(s.constant((float) initialLearningRate), s.math.pow(s.constant((float) decayRate), p));
  }

  @Override
  double rate(double p) {
    return initialLearningRate * Math.pow(decayRate, p);
  }
}
