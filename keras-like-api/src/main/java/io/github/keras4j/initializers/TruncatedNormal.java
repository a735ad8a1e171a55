package io.github.keras4j.initializers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Samples from a normal distribution truncated at two standard deviations: {@code mean + stddev * z}, where
 * {@code z} is a standard normal redrawn until {@code |z| <= 2}.
 *
 * <p>Keras's defaults: {@code mean=0.0, stddev=0.05, seed=null}. {@code stddev} is the standard deviation
 * before truncation; the samples' is about {@code 0.88 * stddev}.
 *
 * <pre>{@code Initializer init = new TruncatedNormal(0.0, 0.1, 42);}</pre>
 */
public class TruncatedNormal extends NormalInitializer {

  /** Keras's defaults {@code mean=0.0, stddev=0.05}, unseeded. */
  public TruncatedNormal() {
    this(0.0, 0.05);
  }

  /** Keras's defaults {@code mean=0.0, stddev=0.05}, seeded. */
  public TruncatedNormal(long seed) {
    this(0.0, 0.05, seed);
  }

  /** Unseeded truncated normal with the given mean and standard deviation. */
  public TruncatedNormal(double mean, double stddev) {
    super("TruncatedNormal", mean, stddev, null);
  }

  /** Seeded truncated normal with the given mean and standard deviation. */
  public TruncatedNormal(double mean, double stddev, long seed) {
    super("TruncatedNormal", mean, stddev, seed);
  }

  @Override
  Operand<TFloat32> standardSample(Ops tf, Operand<TInt64> shape, Operand<TInt64> seed) {
    return tf.random.statelessTruncatedNormal(shape, seed, TFloat32.class);
  }

  @Override
  public String id() {
    return "truncated_normal";
  }
}
