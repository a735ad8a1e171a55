package io.github.keras4j.layers.preprocessing;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * A preprocessing layer that randomly flips images in training, as Keras 3's {@code keras.layers.RandomFlip}; the
 * identity in inference. Each image of the batch is flipped with probability 1/2 (a uniform draw {@code <= 0.5}):
 * {@code "horizontal"} mirrors left-right, {@code "vertical"} top-bottom, and {@code "horizontal_and_vertical"}
 * (the default) does both with the same draw, as Keras does (so an image is either unchanged or turned by 180
 * degrees).
 *
 * <p>The transformation ({@link #getRandomTransformation}) is {@code (batch, 1, 1, 1)}: 1 for the images that are
 * flipped, 0 for the others. See {@link BaseImagePreprocessingLayer} for seeds and shapes.
 *
 * <pre>{@code
 * new RandomFlip("horizontal");
 * new RandomFlip("horizontal_and_vertical", 42L, null);
 * }</pre>
 */
public class RandomFlip extends BaseImagePreprocessingLayer {

  /** The modes Keras accepts. */
  public static final List<String> MODES = List.of("horizontal", "vertical", "horizontal_and_vertical");

  private final String mode;

  /** Flips horizontally and vertically (Keras's default mode). */
  public RandomFlip() {
    this("horizontal_and_vertical");
  }

  /** @param mode {@code "horizontal"}, {@code "vertical"} or {@code "horizontal_and_vertical"} */
  public RandomFlip(String mode) {
    this(mode, null, null);
  }

  /**
   * @param mode {@code "horizontal"}, {@code "vertical"} or {@code "horizontal_and_vertical"}
   * @param seed the draws' seed, or null to draw one from the global seed sequence
   * @param name the layer's name, or null for a generated one
   */
  public RandomFlip(String mode, Long seed, String name) {
    super(seed, name);
    this.mode = ImageTransforms.oneOf(describe(), "mode", mode, MODES);
  }

  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> u = ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, 1, 1, 1), 0, 1, seed(), 0);
    return tf.dtypes.cast(tf.math.lessEqual(u, tf.constant(0.5f)), TFloat32.class);
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TBool> flip = tf.broadcastTo(tf.math.greater(transformation, tf.constant(0.5f)), tf.shape(images));
    Operand<TFloat32> out = images;
    if (!mode.equals("vertical")) {
      out = tf.select(flip, tf.reverse(out, tf.constant(new int[] {2})), out);
    }
    if (!mode.equals("horizontal")) {
      out = tf.select(flip, tf.reverse(out, tf.constant(new int[] {1})), out);
    }
    return out;
  }

  /** The flip mode. */
  public String mode() {
    return mode;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("mode", mode);
    return c;
  }
}
