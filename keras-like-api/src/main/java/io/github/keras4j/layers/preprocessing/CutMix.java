package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * CutMix augmentation (Yun et al. 2019), as Keras 3's {@code keras.layers.CutMix}: in training, a rectangle of each
 * image is replaced by the same rectangle of another image of the batch; the identity in inference.
 *
 * <p>As Keras's code: one {@code alpha} is drawn uniformly from {@code factor} (plus {@code 1e-6}) for the batch; per
 * image, {@code m} is drawn from {@code Beta(alpha, alpha)} (two Gamma draws) and {@code r = sqrt(1 - m)}; the
 * rectangle spans {@code [x0, x0 + r * width)} by {@code [y0, y0 + r * height)} with {@code x0 = u * (width - r *
 * width)} ({@code u} uniform in [0, 1)) and likewise {@code y0}; pixels whose integer column and row fall in it come
 * from the partner, a random permutation of the batch (the order that sorts uniform draws). The weight of each
 * image's own label is {@code 1 - (x1 - x0) (y1 - y0) / (width * height)}. The transformation
 * ({@link #getRandomTransformation}) is {@code (batch, 6)}: {@code [labelWeight, partner, x0, x1, y0, y1]}, the
 * partner's batch index as a float.
 *
 * <p><b>Labels.</b> As for {@link MixUp}: as a layer in a model the images alone are cut and mixed (Keras's
 * behaviour on an image tensor); to mix labels by area as Keras does for {@code {"images", "labels"}}, apply one
 * transformation to both:
 * <pre>{@code
 * Operand<TFloat32> t = cutMix.getRandomTransformation(tf, images);
 * Operand<TFloat32> mixedImages = cutMix.transformImages(tf, images, t);
 * Operand<TFloat32> mixedLabels = cutMix.transformLabels(tf, oneHotLabels, t);
 * }</pre>
 *
 * <p>In training, gradients flow to the layer's input: to each image's pixels outside its rectangle, and to the
 * partner's pixels inside it, so it may sit after trainable layers.
 *
 * <p>{@code factor} follows Keras: numbers in {@code [0, 1]}; a number {@code f} gives {@code [0, f]}, a pair that
 * range. Difference from Keras: where both Gamma draws underflow to 0 in float32 (likely for {@code alpha} near 0),
 * {@code m} is 1 (nothing cut) instead of NaN (with which Keras cuts nothing but gives NaN label weights).
 *
 * <pre>{@code
 * new CutMix();                      // factor 1
 * CutMix.builder().factor(0.5, 1.0).seed(3).build();
 * }</pre>
 */
public class CutMix extends BaseImagePreprocessingLayer {

  private static final String RANGE = "[0, 1]";

  private final Factor factor;

  /** Keras's default: {@code factor = 1}, alpha drawn from [0, 1]. */
  public CutMix() {
    this(builder());
  }

  private CutMix(Builder b) {
    super(b.seed, b.name);
    this.factor = ImageTransforms.factor(describe(), "factor", b.factor, 0, v -> v >= 0 && v <= 1, RANGE);
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code (batch, 6)}: {@code [labelWeight, partner, x0, x1, y0, y1]}, drawn in Keras's order. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> alpha = tf.math.add(ImageTransforms.uniform(tf, tf.constant(new int[0]), factor.lower(),
        factor.upper(), seed(), 0), tf.constant(1e-6f));
    Operand<TInt32> column = ImageTransforms.batchShape(tf, images, 1);
    Operand<TFloat32> ratio = tf.math.sqrt(tf.math.sub(tf.constant(1f), Mixing.beta(tf, column, alpha, seed(), 1)));
    Operand<TFloat32> width = BaseAffineTransformLayer.dim(tf, images, 2);
    Operand<TFloat32> height = BaseAffineTransformLayer.dim(tf, images, 1);
    Operand<TFloat32> xLength = tf.math.mul(ratio, width);
    Operand<TFloat32> x0 = tf.math.mul(ImageTransforms.uniform(tf, column, 0, 1, seed(), 3),
        tf.math.sub(width, xLength));
    Operand<TFloat32> x1 = tf.math.add(x0, xLength);
    Operand<TFloat32> yLength = tf.math.mul(ratio, height);
    Operand<TFloat32> y0 = tf.math.mul(ImageTransforms.uniform(tf, column, 0, 1, seed(), 4),
        tf.math.sub(height, yLength));
    Operand<TFloat32> y1 = tf.math.add(y0, yLength);
    Operand<TFloat32> labelWeight = tf.math.sub(tf.constant(1f), tf.math.div(
        tf.math.mul(tf.math.sub(x1, x0), tf.math.sub(y1, y0)), tf.math.mul(width, height)));
    Operand<TFloat32> partner = Mixing.permutation(tf, images, seed(), 5);
    return tf.stopGradient(tf.concat(List.of(labelWeight, partner, x0, x1, y0, y1), tf.constant(1)));
  }

  /** Column {@code i} of {@code transformation} as {@code (batch, 1, 1, 1)}. */
  private static Operand<TFloat32> bound(Ops tf, Operand<TFloat32> transformation, int i) {
    return tf.reshape(tf.slice(transformation, tf.constant(new int[] {0, i}), tf.constant(new int[] {-1, 1})),
        tf.constant(new int[] {-1, 1, 1, 1}));
  }

  /** {@code 0, 1, ..., n - 1} as floats, {@code n} the size of axis {@code axis} of {@code images}. */
  private static Operand<TFloat32> positions(Ops tf, Operand<TFloat32> images, int axis) {
    Operand<TFloat32> n = tf.reshape(BaseAffineTransformLayer.dim(tf, images, axis), tf.constant(new int[0]));
    return tf.range(tf.constant(0f), n, tf.constant(1f));
  }

  /** The partner's pixels inside each image's rectangle ({@code x0 <= column < x1, y0 <= row < y1}). */
  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> gridX = tf.reshape(positions(tf, images, 2), tf.constant(new int[] {1, 1, -1, 1}));
    Operand<TFloat32> gridY = tf.reshape(positions(tf, images, 1), tf.constant(new int[] {1, -1, 1, 1}));
    Operand<TBool> inside = tf.math.logicalAnd(
        tf.math.logicalAnd(tf.math.greaterEqual(gridX, bound(tf, transformation, 2)),
            tf.math.less(gridX, bound(tf, transformation, 3))),
        tf.math.logicalAnd(tf.math.greaterEqual(gridY, bound(tf, transformation, 4)),
            tf.math.less(gridY, bound(tf, transformation, 5))));
    return tf.select(tf.broadcastTo(inside, tf.shape(images)), Mixing.partners(tf, images, transformation), images);
  }

  /**
   * The labels mixed by the pasted area, as Keras's {@code transform_labels}: {@code w * y + (1 - w) * y[partner]}
   * with {@code w} the label weight (column 0 of the transformation).
   *
   * @param labels {@code (batch, ...)}, usually one-hot {@code (batch, classes)}
   * @param transformation from {@link #getRandomTransformation} for the images of the same batch
   */
  public Operand<TFloat32> transformLabels(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> transformation) {
    return Mixing.mix(tf, labels, transformation, describe());
  }

  /** The range {@code alpha} is drawn from: {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("factor", List.of(factor.lower(), factor.upper()));
    return c;
  }

  /** Optional settings of {@link CutMix}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder<Builder> {
    private double[] factor = {1.0};

    private Builder() {}

    /** The range of alpha: one number {@code f} in [0, 1] for {@code [0, f]}, or a pair; default 1. */
    public Builder factor(double... factor) {
      this.factor = factor == null ? null : factor.clone();
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public CutMix build() {
      return new CutMix(this);
    }
  }
}
