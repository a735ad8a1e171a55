package io.github.keras4j.layers.regularization;

import io.github.keras4j.backend.Backend;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The random factors of the dropout and noise layers (and of the recurrent layers' dropout), drawn by seeded ops
 * (the layer's seed and an op index give TensorFlow's op seed pair, so seeded runs repeat) and held out of the
 * gradient: they enter as constants.
 */
public final class Noise {

  private Noise() {}

  /**
   * Inverted dropout: {@code inputs * keep / (1 - rate)}, with {@code keep} 1 where a uniform draw in [0, 1) of
   * {@code noiseShape} is at least {@code rate} (broadcast against the inputs), else 0.
   */
  static Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> inputs, Operand<TInt32> noiseShape, float rate,
      long seed) {
    return tf.math.mul(inputs, dropoutMask(tf, noiseShape, rate, seed, 0));
  }

  /**
   * A dropout mask of {@code shape}: 0 with probability {@code rate}, else {@code 1 / (1 - rate)}.
   *
   * @param opIndex tells apart the masks drawn from one seed
   */
  public static Operand<TFloat32> dropoutMask(Ops tf, Operand<TInt32> shape, float rate, long seed, int opIndex) {
    long[] opSeeds = Backend.opSeeds(seed, opIndex);
    Operand<TFloat32> uniform = tf.random.randomUniform(shape, TFloat32.class,
        RandomUniform.seed(opSeeds[0]).seed2(opSeeds[1]));
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
    return tf.stopGradient(tf.math.div(keep, tf.constant(1f - rate)));
  }

  /** {@code mean + stddev * N(0, 1)} of the inputs' shape, without gradient. */
  static Operand<TFloat32> normal(Ops tf, Operand<TFloat32> inputs, float mean, float stddev, long seed) {
    long[] opSeeds = Backend.opSeeds(seed, 0);
    Operand<TFloat32> z = tf.random.randomStandardNormal(tf.shape(inputs), TFloat32.class,
        RandomStandardNormal.seed(opSeeds[0]), RandomStandardNormal.seed2(opSeeds[1]));
    Operand<TFloat32> scaled = tf.math.mul(z, tf.constant(stddev));
    return tf.stopGradient(mean == 0f ? scaled : tf.math.add(scaled, tf.constant(mean)));
  }
}
