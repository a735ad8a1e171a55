package io.github.keras4j.layers.regularization;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Randomly sets input units to 0 with frequency {@code rate} during training, scaling the others by
 * {@code 1/(1 - rate)} so the expected sum is unchanged. Inactive in inference (evaluate, predict).
 *
 * <p>The mask comes from a seeded random op (seed drawn from the global seed when none is given), so seeded
 * runs repeat exactly. No gradient flows through the random op: the mask enters as a constant factor.
 *
 * <p>{@code noiseShape} (Keras's {@code noise_shape}, optional) is the mask's shape, broadcast against the inputs, so
 * that slices are kept or dropped together: {@code {-1, 1, 1, 1}} on images drops whole samples (the stochastic depth
 * of EfficientNet's residual blocks), {@code {-1, 1, -1}} on {@code (batch, timesteps, features)} drops the same
 * features at every time step. {@code -1} is Keras's {@code None}: the input's size on that axis. Java difference: a
 * noise shape that cannot broadcast against the input is reported when the layer is applied.
 *
 * <pre>{@code
 * new Dropout(0.5);
 * new Dropout(0.2, new long[] {-1, 1, 1, 1}, 42L, "block2b_drop");   // one draw per sample
 * }</pre>
 */
public class Dropout extends Layer {

  private final float rate;
  private final long seed;
  private final long[] noiseShape;

  /** Dropout with the given rate in [0, 1). */
  public Dropout(double rate) {
    this(rate, null, null);
  }

  /**
   * @param seed the mask's seed, or null to draw one from the global seed sequence
   */
  public Dropout(double rate, Long seed, String name) {
    this(rate, null, seed, name);
  }

  /**
   * @param rate the fraction of the input units to drop, in [0, 1)
   * @param noiseShape the mask's shape (batch axis included, {@code -1} for the input's size on an axis), or null for
   *     the input's shape
   * @param seed the mask's seed, or null to draw one from the global seed sequence
   * @param name the layer's name, or null for a generated one
   */
  public Dropout(double rate, long[] noiseShape, Long seed, String name) {
    super(name);
    setSupportsMasking(true);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException(
          "Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=" + rate);
    }
    this.rate = (float) rate;
    this.seed = seed != null ? seed : Backend.nextSeed();
    this.noiseShape = Noise.checkNoiseShape(name(), noiseShape);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    Noise.checkBroadcast(name(), noiseShape, inputShape);
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    if (!training || rate == 0f) {
      return inputs;
    }
    return Noise.dropout(tf, inputs, Noise.concreteNoiseShape(tf, inputs, noiseShape), rate, seed);
  }

  /** The drop rate. */
  public float rate() {
    return rate;
  }

  /** The mask's shape ({@code -1} for the input's size), or null for the input's shape. */
  public long[] noiseShape() {
    return noiseShape == null ? null : noiseShape.clone();
  }

  /** {@code rate}, {@code seed} and {@code noise_shape} (a list with null for -1, or null). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rate", rate);
    c.put("seed", seed);
    c.put("noise_shape", Noise.noiseShapeConfig(noiseShape));
    return c;
  }
}
