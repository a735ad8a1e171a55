package io.github.keras4j.layers.regularization;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds zero-centered Gaussian noise of standard deviation {@code stddev} in training, as Keras 3's
 * {@code keras.layers.GaussianNoise}; the identity in inference. Output shape = input shape.
 *
 * <p>The noise comes from a seeded random op (seed drawn from the global seed sequence when none is given, as
 * {@link Dropout}), so seeded runs repeat exactly; each training step draws new noise. As in Keras, {@code stddev}
 * must lie in [0, 1].
 *
 * <pre>{@code new GaussianNoise(0.1)}</pre>
 */
public class GaussianNoise extends Layer {

  private final float stddev;
  private final long seed;

  /** @param stddev the noise's standard deviation, in [0, 1] */
  public GaussianNoise(double stddev) {
    this(stddev, null, null);
  }

  /**
   * @param stddev the noise's standard deviation, in [0, 1]
   * @param seed the noise's seed, or null to draw one from the global seed sequence
   * @param name the layer's name, or null for a generated one
   */
  public GaussianNoise(double stddev, Long seed, String name) {
    super(name);
    setSupportsMasking(true);
    if (!(stddev >= 0 && stddev <= 1)) {
      throw new IllegalArgumentException("Invalid value received for argument `stddev`. Expected a float value "
          + "between 0 and 1. Received: stddev=" + stddev);
    }
    this.stddev = (float) stddev;
    this.seed = seed != null ? seed : Backend.nextSeed();
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    if (!training || stddev == 0f) {
      return inputs;
    }
    return tf.math.add(inputs, Noise.normal(tf, inputs, 0f, stddev, seed));
  }

  /** The noise's standard deviation. */
  public float stddev() {
    return stddev;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("stddev", stddev);
    c.put("seed", seed);
    return c;
  }
}
