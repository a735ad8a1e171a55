package io.github.keras4j.layers.regularization;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
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

  // ---------------------------------------------------------------- noise shapes (Keras's noise_shape)

  /**
   * Checks a {@code noise_shape} argument (batch axis included, -1 for Keras's {@code None}): null, or entries that
   * are positive or -1.
   *
   * @return a copy, or null
   */
  static long[] checkNoiseShape(String layerName, long[] noiseShape) {
    if (noiseShape == null) {
      return null;
    }
    for (long d : noiseShape) {
      if (d < -1 || d == 0) {
        throw new IllegalArgumentException("Layer '" + layerName + "': noiseShape entries must be positive or -1 "
            + "(None). Received: noiseShape=" + Shapes.format(noiseShape));
      }
    }
    return noiseShape.clone();
  }

  /** Checks that a noise shape (or null) broadcasts against {@code inputShape}: one entry per axis, -1, 1 or equal. */
  static void checkBroadcast(String layerName, long[] noiseShape, Shape inputShape) {
    if (noiseShape == null) {
      return;
    }
    boolean ok = noiseShape.length == inputShape.numDimensions();
    for (int i = 0; ok && i < noiseShape.length; i++) {
      long n = noiseShape[i];
      ok = n == -1 || n == 1 || inputShape.get(i) < 0 || n == inputShape.get(i);
    }
    if (!ok) {
      throw new IllegalArgumentException("Layer '" + layerName + "': noiseShape " + Shapes.format(noiseShape)
          + " cannot broadcast against the input shape " + Shapes.format(inputShape) + ": give one entry per input "
          + "axis, each -1 (None), 1 or the input's size");
    }
  }

  /**
   * The concrete mask shape: the input's shape for a null noise shape, else the noise shape with its -1 entries
   * replaced by the input's sizes ({@code shape(x) * unknown + fixed}).
   */
  static Operand<TInt32> concreteNoiseShape(Ops tf, Operand<TFloat32> inputs, long[] noiseShape) {
    if (noiseShape == null) {
      return tf.shape(inputs);
    }
    int[] unknown = new int[noiseShape.length];
    int[] fixed = new int[noiseShape.length];
    for (int i = 0; i < noiseShape.length; i++) {
      unknown[i] = noiseShape[i] == -1 ? 1 : 0;
      fixed[i] = noiseShape[i] == -1 ? 0 : Math.toIntExact(noiseShape[i]);
    }
    return tf.math.add(tf.math.mul(tf.shape(inputs), tf.constant(unknown)), tf.constant(fixed));
  }

  /** A noise shape as Keras's {@code noise_shape} config value: a list with null for -1, or null. */
  static List<Long> noiseShapeConfig(long[] noiseShape) {
    if (noiseShape == null) {
      return null;
    }
    List<Long> out = new ArrayList<>();
    for (long d : noiseShape) {
      out.add(d == -1 ? null : d);
    }
    return out;
  }
}
