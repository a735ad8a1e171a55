package io.github.keras4j.layers.regularization;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Dropout that keeps the mean and variance of its inputs, for self-normalizing networks (SELU activations), as
 * Keras 3's {@code keras.layers.AlphaDropout} (Klambauer et al., 2017). In training each unit is dropped with
 * probability {@code rate} and set to SELU's negative saturation value {@code alpha' = -scale * alpha =
 * -1.7580993408473766} instead of 0, then the result goes through the affine map {@code a * x + b} with
 * {@code a = ((1 - rate) * (1 + rate * alpha'^2))^-1/2} and {@code b = -a * alpha' * rate}, so inputs of mean 0 and
 * variance 1 keep them. The identity in inference. Output shape = input shape; masks pass through.
 *
 * <p>{@code noiseShape} (optional) is the shape of the keep/drop pattern, broadcast against the inputs: with inputs
 * {@code (batch, timesteps, features)}, {@code noiseShape = {-1, 1, -1}} drops the same features at every time step
 * ({@code -1} is Keras's {@code None}: the input's size on that axis). The pattern is drawn as {@link Dropout}'s
 * (same seed, same pattern) by a seeded op, so seeded runs repeat; no gradient flows through it.
 *
 * <p>Where Java differs from Keras: {@code rate=1} is rejected here (Keras accepts it and then outputs NaN), and a
 * {@code noiseShape} that cannot broadcast against the input is reported when the layer is applied.
 *
 * <pre>{@code
 * new AlphaDropout(0.1);
 * new AlphaDropout(0.2, new long[] {-1, 1, -1}, 42L, "alpha_dropout");
 * }</pre>
 */
public class AlphaDropout extends Layer {

  /** SELU's negative saturation value, {@code -scale * alpha} with SELU's constants (Keras's {@code alpha_p}). */
  public static final double ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;

  private final float rate;
  private final long[] noiseShape;
  private final long seed;

  /** @param rate the drop probability, in [0, 1) */
  public AlphaDropout(double rate) {
    this(rate, null, null, null);
  }

  /**
   * @param rate the drop probability, in [0, 1)
   * @param noiseShape the shape of the drop pattern (batch axis included, {@code -1} for the input's size on an
   *     axis), or null for the input's shape
   * @param seed the pattern's seed, or null to draw one from the global seed sequence
   * @param name the layer's name, or null for a generated one
   */
  public AlphaDropout(double rate, long[] noiseShape, Long seed, String name) {
    super(name);
    setSupportsMasking(true);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Invalid value received for argument `rate`. Expected a float value "
          + "between 0 and 1 (1 excluded). Received: rate=" + rate);
    }
    this.rate = (float) rate;
    this.noiseShape = Noise.checkNoiseShape(name(), noiseShape);
    this.seed = seed != null ? seed : Backend.nextSeed();
  }

  /** The scale {@code a} of the output's affine map for a drop rate. */
  public static double affineScale(double rate) {
    return Math.pow((1 - rate) * (1 + rate * ALPHA_P * ALPHA_P), -0.5);
  }

  /** The offset {@code b = -a * alpha' * rate} of the output's affine map for a drop rate. */
  public static double affineOffset(double rate) {
    return -affineScale(rate) * ALPHA_P * rate;
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
    // The kept units: Dropout's mask (0 or 1 / (1 - rate)) read as 0 or 1.
    Operand<TFloat32> mask = Noise.dropoutMask(tf, Noise.concreteNoiseShape(tf, inputs, noiseShape), rate, seed, 0);
    Operand<TFloat32> kept = tf.dtypes.cast(tf.math.greater(mask, tf.constant(0f)), TFloat32.class);
    float alphaP = (float) ALPHA_P;
    // x * kept + alpha' * (1 - kept), then a * x + b.
    Operand<TFloat32> x = tf.math.add(tf.math.mul(inputs, kept),
        tf.math.mul(tf.constant(alphaP), tf.math.sub(tf.constant(1f), kept)));
    return tf.math.add(tf.math.mul(tf.constant((float) affineScale(rate)), x),
        tf.constant((float) affineOffset(rate)));
  }

  /** The drop probability. */
  public float rate() {
    return rate;
  }

  /** The shape of the drop pattern ({@code -1} for the input's size), or null for the input's shape. */
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
