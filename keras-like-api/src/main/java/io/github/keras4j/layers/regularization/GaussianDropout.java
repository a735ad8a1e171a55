package io.github.keras4j.layers.regularization;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Multiplies the inputs by 1-centered Gaussian noise of standard deviation {@code sqrt(rate / (1 - rate))} in
 * training, as Keras 3's {@code keras.layers.GaussianDropout}; the identity in inference. Output shape = input
 * shape. Seeded as {@link Dropout}. Unlike Keras, which fails on it later, {@code rate=1} is rejected here.
 *
 * <pre>{@code new GaussianDropout(0.2)}</pre>
 */
public class GaussianDropout extends Layer {

  private final float rate;
  private final long seed;

  /** @param rate the drop probability, in [0, 1) */
  public GaussianDropout(double rate) {
    this(rate, null, null);
  }

  /**
   * @param rate the drop probability, in [0, 1)
   * @param seed the noise's seed, or null to draw one from the global seed sequence
   * @param name the layer's name, or null for a generated one
   */
  public GaussianDropout(double rate, Long seed, String name) {
    super(name);
    setSupportsMasking(true);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Invalid value received for argument `rate`. Expected a float value "
          + "between 0 and 1 (1 excluded). Received: rate=" + rate);
    }
    this.rate = (float) rate;
    this.seed = seed != null ? seed : Backend.nextSeed();
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    if (!training || rate == 0f) {
      return inputs;
    }
    float stddev = (float) Math.sqrt(rate / (1.0 - rate));
    return tf.math.mul(inputs, Noise.normal(tf, inputs, 1f, stddev, seed));
  }

  /** The drop probability. */
  public float rate() {
    return rate;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rate", rate);
    c.put("seed", seed);
    return c;
  }
}
