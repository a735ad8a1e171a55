package io.github.keras4j.layers.regularization;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Randomly sets input units to 0 with frequency {@code rate} during training, scaling the others by
 * {@code 1/(1 - rate)} so the expected sum is unchanged. Inactive in inference (evaluate, predict).
 *
 * <p>The mask comes from a seeded random op (seed drawn from the global seed when none is given), so seeded
 * runs repeat exactly. No gradient flows through the random op: the mask enters as a constant factor.
 */
public class Dropout extends Layer {

  private final float rate;
  private final long seed;

  /** Dropout with the given rate in [0, 1). */
  public Dropout(double rate) {
    this(rate, null, null);
  }

  /**
   * @param seed the mask's seed, or null to draw one from the global seed sequence
   */
  public Dropout(double rate, Long seed, String name) {
    super(name);
    setSupportsMasking(true);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException(
          "Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=" + rate);
    }
    this.rate = (float) rate;
    this.seed = seed != null ? seed : Backend.nextSeed();
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    if (!training || rate == 0f) {
      return inputs;
    }
    return Noise.dropout(tf, inputs, tf.shape(inputs), rate, seed);
  }

  /** The drop rate. */
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
