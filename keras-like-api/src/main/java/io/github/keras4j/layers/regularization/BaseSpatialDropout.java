package io.github.keras4j.layers.regularization;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The shared part of {@link SpatialDropout1D}, {@link SpatialDropout2D} and {@link SpatialDropout3D}: dropout whose
 * mask has size 1 on the spatial axes, so that whole feature maps (channels) are dropped for each sample. Kept
 * channels are scaled by {@code 1 / (1 - rate)}; inference is the identity. Seeded as {@link Dropout}.
 */
public abstract class BaseSpatialDropout extends Layer {

  private final float rate;
  private final long seed;
  private final boolean channelsFirst;
  private final int rank;

  /**
   * @param rate the fraction of channels to drop, in [0, 1)
   * @param seed the mask's seed, or null to draw one from the global seed sequence
   * @param dataFormat {@code "channels_last"} (null means this) or {@code "channels_first"}
   * @param rank the input rank, batch axis included
   * @param name the layer's name, or null for a generated one
   */
  protected BaseSpatialDropout(double rate, Long seed, String dataFormat, int rank, String name) {
    super(name);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException(
          "Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=" + rate);
    }
    if (dataFormat != null && !dataFormat.equals("channels_last") && !dataFormat.equals("channels_first")) {
      throw new IllegalArgumentException("The `data_format` argument must be one of {'channels_first', "
          + "'channels_last'}. Received: data_format=" + dataFormat);
    }
    this.rate = (float) rate;
    this.seed = seed != null ? seed : Backend.nextSeed();
    this.channelsFirst = "channels_first".equals(dataFormat);
    this.rank = rank;
    setInputSpec(new InputSpec(null, rank, Map.of()));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    if (!training || rate == 0f) {
      return inputs;
    }
    // Noise shape: the input's batch and channel sizes, 1 elsewhere: shape(x) * keep + ones.
    int[] keep = new int[rank];
    int[] ones = new int[rank];
    int channelAxis = channelsFirst ? 1 : rank - 1;
    for (int i = 0; i < rank; i++) {
      boolean kept = i == 0 || i == channelAxis;
      keep[i] = kept ? 1 : 0;
      ones[i] = kept ? 0 : 1;
    }
    Operand<TInt32> noiseShape = tf.math.add(tf.math.mul(tf.shape(inputs), tf.constant(keep)), tf.constant(ones));
    return Noise.dropout(tf, inputs, noiseShape, rate, seed);
  }

  /** The fraction of channels dropped. */
  public float rate() {
    return rate;
  }

  /** {@code "channels_last"} or {@code "channels_first"}. */
  public String dataFormat() {
    return channelsFirst ? "channels_first" : "channels_last";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rate", rate);
    c.put("seed", seed);
    return c;
  }
}
