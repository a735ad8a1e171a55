package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The base of the random image augmentation layers, as Keras 3's {@code BaseImagePreprocessingLayer}: in training
 * the layer draws a random transformation for the batch ({@link #getRandomTransformation}) and applies it
 * ({@link #transformImages}); in inference it returns its input unchanged. Inputs are batches of channels-last
 * images {@code (batch, height, width, channels)}; the output has the same shape.
 *
 * <p>The draws come from seeded random ops (the layer's seed, or one drawn from the global seed sequence, see
 * {@link Backend#setRandomSeed}), so seeded runs repeat exactly, and each training step draws anew. No gradient
 * flows through the random draws.
 *
 * <p>Differences from Keras: only batched, channels-last images (Keras also takes single images, channels-first
 * data, and dicts with bounding boxes, labels and segmentation masks).
 */
public abstract class BaseImagePreprocessingLayer extends Layer {

  private final long seed;

  /**
   * @param seed the draws' seed, or null to draw one from the global seed sequence
   * @param name the layer's name, or null for a generated one
   */
  protected BaseImagePreprocessingLayer(Long seed, String name) {
    super(name);
    this.seed = seed != null ? seed : Backend.nextSeed();
    setInputSpec(new InputSpec(null, 4, Map.of()));
  }

  /** The seed of the layer's random ops. */
  public long seed() {
    return seed;
  }

  /**
   * The random transformation for a batch of images, as Keras's {@code get_random_transformation} in training: a
   * float32 tensor whose first axis is the batch (the layer says what it holds).
   */
  public abstract Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images);

  /** Applies {@code transformation} (from {@link #getRandomTransformation}) to {@code images}. */
  public abstract Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images,
      Operand<TFloat32> transformation);

  @Override
  protected final Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    if (!training) {
      return inputs;
    }
    return transformImages(tf, inputs, getRandomTransformation(tf, inputs));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("seed", seed);
    c.put("data_format", "channels_last");
    return c;
  }
}
