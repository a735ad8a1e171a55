package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A preprocessing layer that randomly rotates images in training, as Keras 3's {@code keras.layers.RandomRotation};
 * the identity in inference. Each image turns about its centre {@code ((width - 1) / 2, (height - 1) / 2)} by an
 * angle drawn uniformly from {@code [lower * 360, upper * 360]} degrees,
 * and is resampled as {@link BaseAffineTransformLayer} describes (gradients flow back through it, as in Keras on
 * TensorFlow).
 *
 * <p>{@code factor} is a fraction of a full turn, as in Keras: a number {@code f} gives {@code [-|f|, |f|]}, a pair
 * {@code (lower, upper)} that range; numbers lie in {@code [-1, 1]}. The transformation
 * ({@link #getRandomTransformation}) is {@code (batch, 1)}: the angles in degrees. The matrix is Keras's
 * {@code _compute_affine_matrix} without scale, shear or translation: {@code [cos, -sin, cx - cx cos + cy sin, sin,
 * cos, cy - cx sin - cy cos, 0, 0]}.
 *
 * <p>Difference from Keras: both ends of a pair must lie in {@code [-1, 1]} (Keras checks only that the first is
 * at most 1 and the second at least -1).
 *
 * <pre>{@code
 * new RandomRotation(0.1);                               // up to 36 degrees either way
 * RandomRotation.builder(-0.05, 0.1).fillMode("constant").seed(7).build();
 * }</pre>
 */
public class RandomRotation extends BaseAffineTransformLayer {

  private final Factor factor;

  /** Rotates by up to {@code factor * 360} degrees either way. */
  public RandomRotation(double factor) {
    this(builder(factor));
  }

  private RandomRotation(Builder b) {
    super(b);
    this.factor = ImageTransforms.factor(describe(), "factor", b.factor, -1, v -> v >= -1 && v <= 1, "[-1, 1]");
  }

  /** A builder with {@code factor} (one number, or {@code lower, upper}) and Keras's defaults for the rest. */
  public static Builder builder(double... factor) {
    return new Builder(factor);
  }

  /** {@code (batch, 1)}: the angles in degrees. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    return ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, 1), factor.lower() * 360.0,
        factor.upper() * 360.0, seed(), 0);
  }

  @Override
  protected Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> angle = tf.math.mul(transformation, tf.constant((float) (Math.PI / 180.0)));
    Operand<TFloat32> half = tf.constant(0.5f);
    Operand<TFloat32> cx = tf.math.mul(half, tf.math.sub(dim(tf, images, 2), tf.constant(1f)));
    Operand<TFloat32> cy = tf.math.mul(half, tf.math.sub(dim(tf, images, 1), tf.constant(1f)));
    Operand<TFloat32> cos = tf.math.cos(angle);
    Operand<TFloat32> sin = tf.math.sin(angle);
    Operand<TFloat32> a2 = tf.math.sub(tf.math.sub(cx, tf.math.mul(cx, cos)), tf.math.mul(cy, tf.math.neg(sin)));
    Operand<TFloat32> b2 = tf.math.sub(tf.math.sub(cy, tf.math.mul(cx, sin)), tf.math.mul(cy, cos));
    Operand<TFloat32> zero = tf.zerosLike(angle);
    return tf.concat(List.of(cos, tf.math.neg(sin), a2, sin, cos, b2, zero, zero), tf.constant(1));
  }

  /** The range of the angle as fractions of a full turn: {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("factor", List.of(factor.lower(), factor.upper()));
    return c;
  }

  /** Optional settings of {@link RandomRotation}, with Keras's defaults. */
  public static final class Builder extends BaseAffineTransformLayer.Builder<Builder> {
    private final double[] factor;

    private Builder(double... factor) {
      this.factor = factor == null ? null : factor.clone();
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The layer. */
    public RandomRotation build() {
      return new RandomRotation(this);
    }
  }
}
