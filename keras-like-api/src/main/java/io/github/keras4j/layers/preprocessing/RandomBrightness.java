package io.github.keras4j.layers.preprocessing;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A preprocessing layer that randomly changes the brightness of images in training, as Keras 3's
 * {@code keras.layers.RandomBrightness}; the identity in inference. For each image a fraction {@code d} is drawn
 * uniformly from the factor's range, {@code d * (valueRange[1] - valueRange[0])} is added to every value, and the
 * result is clipped to {@code valueRange}.
 *
 * <p>{@code factor} follows Keras: a number {@code f} gives {@code [-|f|, |f|]}, a pair {@code (lower, upper)} that
 * range; numbers lie in {@code [-1, 1]}. {@code valueRange} is sorted, as in Keras. The transformation
 * ({@link #getRandomTransformation}) is {@code (batch, 1, 1, 1)}: the added values.
 *
 * <p>Difference from Keras: both ends of a pair must lie in {@code [-1, 1]} (Keras checks only that the first is at
 * most 1 and the second at least -1).
 *
 * <pre>{@code
 * new RandomBrightness(0.2);                                    // +-20% of [0, 255]
 * RandomBrightness.builder(-0.1, 0.3).valueRange(0, 1).seed(5).build();
 * }</pre>
 */
public class RandomBrightness extends BaseColorAugmentation {

  /** Shifts by up to {@code factor} of the value range {@code [0, 255]}, either way. */
  public RandomBrightness(double factor) {
    this(builder(factor));
  }

  private RandomBrightness(Builder b) {
    super(b, -1, "[-1, 1]", true);
  }

  /** A builder with {@code factor} (one number, or {@code lower, upper}) and Keras's defaults for the rest. */
  public static Builder builder(double... factor) {
    return new Builder(factor);
  }

  /** {@code (batch, 1, 1, 1)}: the values added to each image. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> d = ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, 1, 1, 1),
        factor.lower(), factor.upper(), seed(), 0);
    return tf.math.mul(d, tf.constant((float) (valueRange[1] - valueRange[0])));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    return tf.clipByValue(tf.math.add(images, transformation), tf.constant((float) valueRange[0]),
        tf.constant((float) valueRange[1]));
  }

  /** Optional settings of {@link RandomBrightness}, with Keras's defaults. */
  public static final class Builder extends BaseColorAugmentation.Builder<Builder> {

    private Builder(double... factor) {
      super(factor);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandomBrightness build() {
      return new RandomBrightness(this);
    }
  }
}
