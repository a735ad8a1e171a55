package io.github.keras4j.optimizers.schedules;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inverse time decay: Keras's {@code InverseTimeDecay}.
 *
 * <pre>
 * lr(step) = initialLearningRate / (1 + decayRate * step / decaySteps)
 * </pre>
 * With {@code staircase}, {@code step / decaySteps} is rounded down.
 *
 * <pre>{@code
 * // 1/t decay at rate 0.5: 0.1, 0.0667, 0.05, ...
 * new SGD(new InverseTimeDecay(0.1, 1, 0.5));
 * }</pre>
 */
public class InverseTimeDecay extends RateDecay {

  /** A continuous inverse time decay ({@code staircase=false}). */
  public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate) {
    this(initialLearningRate, decaySteps, decayRate, false);
  }

  /**
   * @param initialLearningRate the rate at step 0
   * @param decaySteps how often to apply the decay; must be {@code > 0}
   * @param decayRate the decay rate
   * @param staircase whether to decay at discrete intervals
   */
  public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
    super("InverseTimeDecay", initialLearningRate, decaySteps, decayRate, staircase);
  }

  @Override
  Operand<TFloat32> rate(Ops s, Operand<TFloat32> p) {
    Operand<TFloat32> denominator = s.math.add(s.constant(1f), s.math.mul(s.constant((float) decayRate), p));
    return s.math.div(s.constant((float) initialLearningRate), denominator);
  }

  @Override
  double rate(double p) {
    return initialLearningRate / (1 + decayRate * p);
  }
}
