package io.github.keras4j.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What {@link ExponentialDecay} and {@link InverseTimeDecay} share: their four arguments (Keras's
 * {@code initial_learning_rate}, {@code decay_steps}, {@code decay_rate}, {@code staircase}), their config, and the
 * progress {@code p = step / decaySteps}, rounded down with {@code staircase}, in the graph and in Java. A subclass
 * gives the rate as a function of {@code p}.
 */
abstract class RateDecay extends LearningRateSchedule {

  final double initialLearningRate;
  final long decaySteps;
  final double decayRate;
  final boolean staircase;

  RateDecay(String name, double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
    super(name);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = checkDecaySteps(name, "decaySteps", decaySteps);
    this.decayRate = decayRate;
    this.staircase = staircase;
  }

  /** The rate at progress {@code p}, as graph ops in scope {@code s}. */
  abstract Operand<TFloat32> rate(Ops s, Operand<TFloat32> p);

  /** The rate at progress {@code p}. */
  abstract double rate(double p);

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TInt64> step) {
    Ops s = tf.withSubScope(name());
    Operand<TFloat32> p = s.math.div(asFloat(s, step), s.constant((float) decaySteps));
    return rate(s, staircase ? s.math.floor(p) : p);
  }

  @Override
  public double valueAt(long step) {
    double p = (double) step / decaySteps;
    return rate(staircase ? Math.floor(p) : p);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("initial_learning_rate", initialLearningRate);
    c.put("decay_steps", decaySteps);
    c.put("decay_rate", decayRate);
    c.put("staircase", staircase);
    c.put("name", name());
    return c;
  }
}
