package io.github.keras4j.initializers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Samples from a normal distribution: {@code mean + stddev * N(0, 1)}.
 *
 * <p>Keras's defaults: {@code mean=0.0, stddev=0.05, seed=null}.
 *
 * <pre>{@code Initializer init = new RandomNormal(0.0, 0.1, 42);}</pre>
 */
public class RandomNormal extends NormalInitializer {

  /** Keras's defaults {@code mean=0.0, stddev=0.05}, unseeded. */
  public RandomNormal() {
    this(0.0, 0.05);
  }

  /** Keras's defaults {@code mean=0.0, stddev=0.05}, seeded. */
  public RandomNormal(long seed) {
    this(0.0, 0.05, seed);
  }

  /** Unseeded normal with the given mean and standard deviation. */
  public RandomNormal(double mean, double stddev) {
    super("RandomNormal", mean, stddev, null);
  }

  /** Seeded normal with the given mean and standard deviation. */
  public RandomNormal(double mean, double stddev, long seed) {
    super("RandomNormal", mean, stddev, seed);
  }

  @Override
  Operand<TFloat32> standardSample(Ops tf, Operand<TInt64> shape, Operand<TInt64> seed) {
    return tf.random.statelessRandomNormal(shape, seed, TFloat32.class);
  }

  @Override
  public String id() {
    return "random_normal";
  }
}
