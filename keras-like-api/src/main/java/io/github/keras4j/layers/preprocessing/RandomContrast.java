package io.github.keras4j.layers.preprocessing;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * A preprocessing layer that randomly adjusts the contrast of images in training, as Keras 3's
 * {@code keras.layers.RandomContrast}; the identity in inference. For each image a factor {@code c} is drawn
 * uniformly from {@code [1 - lower, 1 + upper]}, and each channel becomes {@code (x - mean) * c + mean} ({@code mean}:
 * the channel's mean over the image's height and width), clipped to {@code valueRange}.
 *
 * <p>{@code factor} follows Keras 3's code (its factor bounds are {@code [0, 1]}): a number {@code f} in
 * {@code [0, 1]} gives {@code lower = 0, upper = f}, so factors in {@code [1, 1 + f]} (Keras's docstring says
 * {@code [1 - f, 1 + f]}, its code does not); a pair {@code (lower, upper)}, both in {@code [0, 1]}, gives
 * {@code [1 - lower, 1 + upper]}: pass {@code (f, f)} for {@code [1 - f, 1 + f]}. The transformation
 * ({@link #getRandomTransformation}) is {@code (batch, 1, 1, 1)}: the factors.
 *
 * <pre>{@code
 * new RandomContrast(0.2);                                      // factors in [1, 1.2], values in [0, 255]
 * RandomContrast.builder(0.3, 0.3).valueRange(0, 1).seed(5).build();   // factors in [0.7, 1.3]
 * }</pre>
 */
public class RandomContrast extends BaseColorAugmentation {

  /** Factors in {@code [1, 1 + factor]} (as Keras 3's code), for values in {@code [0, 255]}. */
  public RandomContrast(double factor) {
    this(builder(factor));
  }

  private RandomContrast(Builder b) {
    super(b, 0, "[0, 1]", false);
  }

  /** A builder with {@code factor} (one number, or {@code lower, upper}) and Keras's defaults for the rest. */
  public static Builder builder(double... factor) {
    return new Builder(factor);
  }

  /** {@code (batch, 1, 1, 1)}: the contrast factors. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    return ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, 1, 1, 1), 1 - factor.lower(),
        1 + factor.upper(), seed(), 0);
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> mean = tf.math.mean(images, tf.constant(new int[] {1, 2}),
        Mean.keepDims(true));
    Operand<TFloat32> adjusted = tf.math.add(tf.math.mul(tf.math.sub(images, mean), transformation), mean);
    return tf.clipByValue(adjusted, tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
  }

  /** Optional settings of {@link RandomContrast}, with Keras's defaults. */
  public static final class Builder extends BaseColorAugmentation.Builder<Builder> {

    private Builder(double... factor) {
      super(factor);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandomContrast build() {
      return new RandomContrast(this);
    }
  }
}
