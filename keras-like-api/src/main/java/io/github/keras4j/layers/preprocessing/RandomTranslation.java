package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that randomly translates images in training, as Keras 3's
 * {@code keras.layers.RandomTranslation}; the identity in inference. Each image is shifted down by
 * {@code heightFactor * height} and right by {@code widthFactor * width} pixels, with both factors drawn uniformly
 * from their ranges (negative: up or left), and resampled as {@link BaseAffineTransformLayer} describes (gradients
 * flow back through it, as in Keras on TensorFlow).
 *
 * <p>Factors follow Keras: a number {@code f} draws from {@code [-|f|, |f|]}, a pair {@code (lower, upper)} from
 * that range; every number must lie in {@code [-1, 1]}. The transformation ({@link #getRandomTransformation}) is
 * {@code (batch, 2)}: the shift in pixels along the width and along the height.
 *
 * <pre>{@code
 * new RandomTranslation(0.1, 0.1);
 * RandomTranslation.builder(0.2, 0.1).heightFactor(-0.2, 0.3).fillMode("constant").seed(42).build();
 * }</pre>
 */
public class RandomTranslation extends BaseAffineTransformLayer {

  private static final String RANGE = "[-1.0, 1.0]";

  private final Factor heightFactor;
  private final Factor widthFactor;

  /** Shifts by up to {@code heightFactor} of the height and {@code widthFactor} of the width, either way. */
  public RandomTranslation(double heightFactor, double widthFactor) {
    this(builder(heightFactor, widthFactor));
  }

  private RandomTranslation(Builder b) {
    super(b);
    this.heightFactor = ImageTransforms.factor(describe(), "height_factor", b.heightFactor, -1, v -> v >= -1 && v <= 1,
        RANGE);
    this.widthFactor = ImageTransforms.factor(describe(), "width_factor", b.widthFactor, -1, v -> v >= -1 && v <= 1,
        RANGE);
  }

  /** A builder with the given factors (numbers) and Keras's defaults for the rest. */
  public static Builder builder(double heightFactor, double widthFactor) {
    return new Builder(heightFactor, widthFactor);
  }

  /** {@code (batch, 2)}: the shifts {@code [dx, dy]} in pixels (height drawn first, as Keras). */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TInt32> shape = ImageTransforms.batchShape(tf, images, 1);
    Operand<TFloat32> dy = tf.math.mul(ImageTransforms.uniform(tf, shape, heightFactor.lower(), heightFactor.upper(),
        seed(), 0), dim(tf, images, 1));
    Operand<TFloat32> dx = tf.math.mul(ImageTransforms.uniform(tf, shape, widthFactor.lower(), widthFactor.upper(),
        seed(), 1), dim(tf, images, 2));
    return tf.concat(List.of(dx, dy), tf.constant(1));
  }

  /** {@code [1, 0, -dx, 0, 1, -dy, 0, 0]} per image. */
  @Override
  protected Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> dx = tf.slice(transformation, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> dy = tf.slice(transformation, tf.constant(new int[] {0, 1}), tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> one = tf.onesLike(dx);
    Operand<TFloat32> zero = tf.zerosLike(dx);
    return tf.concat(List.of(one, zero, tf.math.neg(dx), zero, one, tf.math.neg(dy), zero, zero), tf.constant(1));
  }

  /** The range of the vertical shift, as a fraction of the height: {@code {lower, upper}}. */
  public double[] heightFactor() {
    return new double[] {heightFactor.lower(), heightFactor.upper()};
  }

  /** The range of the horizontal shift, as a fraction of the width: {@code {lower, upper}}. */
  public double[] widthFactor() {
    return new double[] {widthFactor.lower(), widthFactor.upper()};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("height_factor", heightFactor.configValue());
    c.put("width_factor", widthFactor.configValue());
    return c;
  }

  /** Optional settings of {@link RandomTranslation}, with Keras's defaults. */
  public static final class Builder extends BaseAffineTransformLayer.Builder<Builder> {
    private double[] heightFactor;
    private double[] widthFactor;

    private Builder(double heightFactor, double widthFactor) {
      this.heightFactor = new double[] {heightFactor};
      this.widthFactor = new double[] {widthFactor};
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The vertical shift's range: one number {@code f} for {@code [-|f|, |f|]}, or {@code lower, upper}. */
    public Builder heightFactor(double... factor) {
      this.heightFactor = factor.clone();
      return this;
    }

    /** The horizontal shift's range: one number {@code f} for {@code [-|f|, |f|]}, or {@code lower, upper}. */
    public Builder widthFactor(double... factor) {
      this.widthFactor = factor.clone();
      return this;
    }

    /** The layer. */
    public RandomTranslation build() {
      return new RandomTranslation(this);
    }
  }
}
