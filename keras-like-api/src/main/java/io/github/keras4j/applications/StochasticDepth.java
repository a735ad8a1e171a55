package io.github.keras4j.applications;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.regularization.Noise;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code keras.src.applications.convnext.StochasticDepth} (Huang et al., "Deep Networks with Stochastic
 * Depth", 2016), module-private in Keras and package-private here: in training, each sample's residual branch is
 * dropped (set to 0) with probability {@code dropPathRate} and kept, scaled by {@code 1 / (1 - dropPathRate)},
 * otherwise; in inference it is the identity.
 *
 * <p>Keras draws {@code floor(keepProb + uniform(0, 1))} per sample, which is 1 exactly when the draw is at least
 * {@code dropPathRate}; Keras4J draws the same mask with a seeded op (the seed taken from the global seed sequence,
 * as Dropout's), so runs with the same seed repeat. Any input rank; the mask has shape {@code (batch, 1, ..., 1)}.
 */
final class StochasticDepth extends Layer {

  private final float dropPathRate;
  private final long seed;

  /**
   * @param dropPathRate the probability of dropping a sample's path, in [0, 1)
   * @param name the layer's name (null for a generated {@code stochastic_depth})
   */
  StochasticDepth(double dropPathRate, String name) {
    super(name);
    if (!(dropPathRate >= 0 && dropPathRate < 1)) {
      throw new IllegalArgumentException("StochasticDepth '" + name() + "': `drop_path_rate` should be in [0, 1). "
          + "Received: drop_path_rate=" + dropPathRate);
    }
    this.dropPathRate = (float) dropPathRate;
    this.seed = Backend.nextSeed();
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    if (!training || dropPathRate == 0f) {
      return inputs;
    }
    int rank = inputs.shape().numDimensions();
    int[] ones = new int[rank - 1];
    Arrays.fill(ones, 1);
    Operand<TInt32> batch = tf.slice(tf.shape(inputs), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> maskShape = tf.concat(List.of(batch, tf.constant(ones)), tf.constant(0));
    return tf.math.mul(inputs, Noise.dropoutMask(tf, maskShape, dropPathRate, seed, 0));
  }

  /** The drop probability. */
  float dropPathRate() {
    return dropPathRate;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("drop_path_rate", (double) dropPathRate);
    return c;
  }
}
