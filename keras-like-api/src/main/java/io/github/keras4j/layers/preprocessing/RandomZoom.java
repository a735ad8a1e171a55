package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that randomly zooms images in training, as Keras 3's {@code keras.layers.RandomZoom}; the
 * identity in inference. Each image is scaled about its centre by zoom factors {@code zy = 1 + h} and
 * {@code zx = 1 + w}, with {@code h} drawn from the height factor's range and {@code w} from the width factor's (or
 * {@code zx = zy} when no width factor is given, keeping the aspect ratio), and resampled as
 * {@link BaseAffineTransformLayer} describes (gradients flow back through it, as in Keras on TensorFlow). As in
 * Keras, a positive factor zooms out (the output shows more of the image), a negative one zooms in.
 *
 * <p>Factors follow Keras: a number {@code f} gives {@code [-|f|, |f|]}, a pair {@code (lower, upper)} that range;
 * numbers lie in {@code (-1, 1]}. The transformation ({@link #getRandomTransformation}) is {@code (batch, 2)}:
 * {@code [zx, zy]}; the matrix is {@code [zx, 0, (width - 1) / 2 * (1 - zx), 0, zy, (height - 1) / 2 * (1 - zy),
 * 0, 0]}.
 *
 * <pre>{@code
 * new RandomZoom(0.2);                                   // zx = zy in [0.8, 1.2]
 * RandomZoom.builder(-0.3, -0.1).widthFactor(0.1).fillMode("constant").seed(3).build();
 * }</pre>
 */
public class RandomZoom extends BaseAffineTransformLayer {

  private static final String RANGE = "(-1.0, 1.0]";

  private final Factor heightFactor;
  private final Factor widthFactor;

  /** Zooms by {@code 1 + h}, {@code h} in {@code [-|heightFactor|, |heightFactor|]}, keeping the aspect ratio. */
  public RandomZoom(double heightFactor) {
    this(builder(heightFactor));
  }

  /** Zooms the height and the width independently. */
  public RandomZoom(double heightFactor, double widthFactor) {
    this(builder(heightFactor).widthFactor(widthFactor));
  }

  private RandomZoom(Builder b) {
    super(b);
    this.heightFactor = ImageTransforms.factor(describe(), "height_factor", b.heightFactor, -1, v -> v > -1 && v <= 1,
        RANGE);
    this.widthFactor = b.widthFactor == null ? null
        : ImageTransforms.factor(describe(), "width_factor", b.widthFactor, -1, v -> v > -1 && v <= 1, RANGE);
  }

  /** A builder with the height factor (one number, or {@code lower, upper}) and Keras's defaults for the rest. */
  public static Builder builder(double... heightFactor) {
    return new Builder(heightFactor);
  }

  /** {@code (batch, 2)}: the zoom factors {@code [zx, zy]} (height drawn first, as Keras). */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TInt32> shape = ImageTransforms.batchShape(tf, images, 1);
    Operand<TFloat32> zy = ImageTransforms.uniform(tf, shape, 1 + heightFactor.lower(), 1 + heightFactor.upper(),
        seed(), 0);
    Operand<TFloat32> zx = widthFactor == null ? zy
        : ImageTransforms.uniform(tf, shape, 1 + widthFactor.lower(), 1 + widthFactor.upper(), seed(), 1);
    return tf.concat(List.of(zx, zy), tf.constant(1));
  }

  @Override
  protected Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> zx = tf.slice(transformation, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> zy = tf.slice(transformation, tf.constant(new int[] {0, 1}), tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> half = tf.constant(0.5f);
    Operand<TFloat32> xOffset = tf.math.mul(tf.math.mul(tf.math.sub(dim(tf, images, 2), one), half),
        tf.math.sub(one, zx));
    Operand<TFloat32> yOffset = tf.math.mul(tf.math.mul(tf.math.sub(dim(tf, images, 1), one), half),
        tf.math.sub(one, zy));
    Operand<TFloat32> zero = tf.zerosLike(zx);
    return tf.concat(List.of(zx, zero, xOffset, zero, zy, yOffset, zero, zero), tf.constant(1));
  }

  /** The range of the height's zoom offset: {@code {lower, upper}} (the zoom factor is 1 plus a draw). */
  public double[] heightFactor() {
    return new double[] {heightFactor.lower(), heightFactor.upper()};
  }

  /** The range of the width's zoom offset, or null when the width follows the height. */
  public double[] widthFactor() {
    return widthFactor == null ? null : new double[] {widthFactor.lower(), widthFactor.upper()};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("height_factor", heightFactor.configValue());
    c.put("width_factor", widthFactor == null ? null : widthFactor.configValue());
    return c;
  }

  /** Optional settings of {@link RandomZoom}, with Keras's defaults. */
  public static final class Builder extends BaseAffineTransformLayer.Builder<Builder> {
    private final double[] heightFactor;
    private double[] widthFactor;

    private Builder(double... heightFactor) {
      this.heightFactor = heightFactor == null ? null : heightFactor.clone();
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The width's own range (one number or {@code lower, upper}); by default the width zooms as the height. */
    public Builder widthFactor(double... factor) {
      this.widthFactor = factor == null ? null : factor.clone();
      return this;
    }

    /** The layer. */
    public RandomZoom build() {
      return new RandomZoom(this);
    }
  }
}
