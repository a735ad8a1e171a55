package io.github.keras4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What {@link RandomNormal} and {@link TruncatedNormal} share: their arguments {@code mean} and {@code stddev}
 * (checked, {@code stddev >= 0}), the value {@code mean + stddev * z}, and the config {@code mean}, {@code stddev},
 * {@code seed}. A subclass draws the standard sample {@code z}.
 */
abstract class NormalInitializer extends RandomInitializer {

  private final double mean;
  private final double stddev;

  /**
   * Checks and stores the settings.
   *
   * @param className the public class's name, which starts the error message
   * @param seed the initializer's own seed, or null
   */
  NormalInitializer(String className, double mean, double stddev, Long seed) {
    super(seed);
    if (!(stddev >= 0)) {
      throw new IllegalArgumentException(className + ": stddev must be >= 0. Received: stddev=" + stddev);
    }
    this.mean = mean;
    this.stddev = stddev;
  }

  /** The standard sample {@code z} (mean 0, stddev 1 before any truncation) of the given shape and seed. */
  abstract Operand<TFloat32> standardSample(Ops tf, Operand<TInt64> shape, Operand<TInt64> seed);

  @Override
  public Operand<TFloat32> call(Ops tf, Shape shape, long seed) {
    Operand<TFloat32> z = standardSample(tf, shapeTensor(tf, shape), seedTensor(tf, seed));
    return tf.math.add(tf.math.mul(z, tf.constant((float) stddev)), tf.constant((float) mean));
  }

  /** {@code mean}, {@code stddev}, {@code seed}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("mean", mean);
    c.put("stddev", stddev);
    c.put("seed", seed());
    return c;
  }
}
