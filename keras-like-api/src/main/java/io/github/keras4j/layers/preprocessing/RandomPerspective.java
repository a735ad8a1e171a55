package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that applies random perspective transformations in training, as Keras 3's
 * {@code keras.layers.RandomPerspective}; the identity in inference.
 *
 * <p>As Keras's code: for each image, the transformation is applied if a uniform draw is below a probability itself
 * drawn from {@code factor}. The four corners {@code (0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)} (column, row) move
 * to {@code corner + corner * p}, with each {@code p} drawn uniformly from {@code [-scale / 2, scale / 2)} per
 * coordinate (so the top-left corner never moves and the others move in proportion to their coordinates, as in
 * Keras). The homography that maps the moved corners back to the original ones is solved from Keras's 8x8 linear
 * system ({@code compute_homography_matrix}) and the image resampled with {@code ImageProjectiveTransformV3}: output
 * pixel {@code (x, y)} reads the input at {@code ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)},
 * {@code k = c0 x + c1 y + 1}. Points outside the image read {@code fillValue} (Keras's layer has no fill mode:
 * always constant fill); {@code interpolation} is {@code "bilinear"} (default) or {@code "nearest"}.
 *
 * <p>{@code factor} follows Keras: numbers in {@code [0, 1]}; a number {@code f} gives {@code [0, f]}, a pair that range.
 * {@code scale} is one number in {@code [0, 1]}. The transformation ({@link #getRandomTransformation}) is
 * {@code (batch, 9)}: {@code [apply (1 or 0), x1, y1, x2, y2, x3, y3, x4, y4]}, the moved corners (the original ones
 * where the image is not transformed).
 *
 * <p>In training, gradients flow back through this layer to the layers before it (the transform op's gradient, see
 * {@link BaseAffineTransformLayer}; no gradient through the random corners), so it may sit after trainable layers.
 *
 * <pre>{@code
 * new RandomPerspective();                                                // Keras's defaults
 * RandomPerspective.builder().factor(0.5).scale(0.3).interpolation("nearest").fillValue(1).seed(2).build();
 * }</pre>
 */
public class RandomPerspective extends BaseImagePreprocessingLayer {

  private static final String RANGE = "[0, 1]";

  private final Factor factor;
  private final double scale;
  private final String interpolation;
  private final float fillValue;

  /** Keras's defaults: transform every image with probability in [0, 1], scale 1, bilinear, fill 0. */
  public RandomPerspective() {
    this(builder());
  }

  private RandomPerspective(Builder b) {
    super(b.seed, b.name);
    this.factor = ImageTransforms.factor(describe(), "factor", b.factor, 0, v -> v >= 0 && v <= 1, RANGE);
    if (!(b.scale >= 0 && b.scale <= 1)) {
      throw new IllegalArgumentException(describe() + ": the `scale` argument should be a number in the range [0, 1]. "
          + "Received: scale=" + b.scale);
    }
    this.scale = b.scale;
    this.interpolation = ImageTransforms.oneOf(describe(), "interpolation", b.interpolation,
        ImageTransforms.AFFINE_INTERPOLATIONS);
    this.fillValue = (float) b.fillValue;
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code (batch, 9)}: {@code [apply, x1, y1, ..., x4, y4]}, drawn in Keras's order. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TInt32> column = ImageTransforms.batchShape(tf, images, 1);
    Operand<TFloat32> probability = ImageTransforms.uniform(tf, column, factor.lower(), factor.upper(), seed(), 0);
    Operand<TFloat32> threshold = ImageTransforms.uniform(tf, column, 0, 1, seed(), 1);
    Operand<TFloat32> apply = tf.dtypes.cast(tf.math.less(threshold, probability), TFloat32.class);
    Operand<TFloat32> p = ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, 8), -0.5 * scale,
        0.5 * scale, seed(), 2);
    Operand<TFloat32> start = startPoints(tf, images);
    Operand<TFloat32> end = tf.math.add(start, tf.math.mul(tf.math.mul(start, p), apply));
    return tf.concat(List.of(apply, end), tf.constant(1));
  }

  /** The corners {@code [0, 0, w - 1, 0, 0, h - 1, w - 1, h - 1]} as {@code (1, 8)}. */
  private static Operand<TFloat32> startPoints(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> w1 = tf.math.sub(BaseAffineTransformLayer.dim(tf, images, 2), tf.constant(1f));
    Operand<TFloat32> h1 = tf.math.sub(BaseAffineTransformLayer.dim(tf, images, 1), tf.constant(1f));
    Operand<TFloat32> zero = tf.constant(new float[] {0f});
    return tf.reshape(tf.concat(List.of(zero, zero, w1, zero, zero, h1, w1, h1), tf.constant(0)),
        tf.constant(new int[] {1, 8}));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> end = tf.slice(transformation, tf.constant(new int[] {0, 1}), tf.constant(new int[] {-1, 8}));
    Operand<TFloat32> matrix = tf.stopGradient(homography(tf, startPoints(tf, images), end));
    Operand<TFloat32> moved = ImageTransforms.affine(tf, images, matrix, interpolation, "constant", fillValue);
    Operand<TFloat32> apply = tf.reshape(tf.slice(transformation, tf.constant(new int[] {0, 0}),
        tf.constant(new int[] {-1, 1})), tf.constant(new int[] {-1, 1, 1, 1}));
    return tf.select(tf.broadcastTo(tf.math.greater(apply, tf.constant(0.5f)), tf.shape(images)), moved, images);
  }

  /**
   * Keras's {@code compute_homography_matrix}: the 8 coefficients {@code (batch, 8)} of the projective transform that
   * maps each of the four {@code end} points to its {@code start} point, solved ({@code tf.linalg.solve}) from the
   * system whose rows are {@code [ex, ey, 1, 0, 0, 0, -sx ex, -sx ey] . h = sx} and
   * {@code [0, 0, 0, ex, ey, 1, -sy ex, -sy ey] . h = sy} for each pair of points.
   *
   * @param start {@code (1 or batch, 8)}: {@code x1, y1, ..., x4, y4}
   * @param end {@code (batch, 8)}, the same layout
   */
  static Operand<TFloat32> homography(Ops tf, Operand<TFloat32> start, Operand<TFloat32> end) {
    Operand<TFloat32> ones = tf.onesLike(column(tf, end, 0));
    Operand<TFloat32> zeros = tf.zerosLike(ones);
    List<Operand<TFloat32>> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Operand<TFloat32> ex = column(tf, end, 2 * i);
      Operand<TFloat32> ey = column(tf, end, 2 * i + 1);
      Operand<TFloat32> sx = tf.math.neg(column(tf, start, 2 * i));
      Operand<TFloat32> sy = tf.math.neg(column(tf, start, 2 * i + 1));
      rows.add(tf.concat(List.of(ex, ey, ones, zeros, zeros, zeros, tf.math.mul(sx, ex), tf.math.mul(sx, ey)),
          tf.constant(1)));
      rows.add(tf.concat(List.of(zeros, zeros, zeros, ex, ey, ones, tf.math.mul(sy, ex), tf.math.mul(sy, ey)),
          tf.constant(1)));
    }
    Operand<TFloat32> coefficients = tf.stack(rows, Stack.axis(1L));
    Operand<TFloat32> target = tf.expandDims(tf.math.add(start, zeros), tf.constant(-1));
    return tf.reshape(tf.linalg.solve(coefficients, target), tf.constant(new int[] {-1, 8}));
  }

  /** Column {@code i} of a {@code (batch, n)} matrix, as {@code (batch, 1)}. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> m, int i) {
    return tf.slice(m, tf.constant(new int[] {0, i}), tf.constant(new int[] {-1, 1}));
  }

  /** The range of the transformation probability: {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  /** The relative size of the corner moves. */
  public double scale() {
    return scale;
  }

  /** The interpolation. */
  public String interpolation() {
    return interpolation;
  }

  /** The value of points outside the image. */
  public float fillValue() {
    return fillValue;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("factor", List.of(factor.lower(), factor.upper()));
    c.put("scale", scale);
    c.put("interpolation", interpolation);
    c.put("fill_value", (double) fillValue);
    return c;
  }

  /** Optional settings of {@link RandomPerspective}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder<Builder> {
    private double[] factor = {1.0};
    private double scale = 1.0;
    private String interpolation = "bilinear";
    private double fillValue;

    private Builder() {}

    /** The transformation probability's range: one number {@code f} in [0, 1] for {@code [0, f]}, or a pair. */
    public Builder factor(double... factor) {
      this.factor = factor == null ? null : factor.clone();
      return this;
    }

    /** The relative size of the corner moves, in [0, 1]; default 1. */
    public Builder scale(double scale) {
      this.scale = scale;
      return this;
    }

    /** {@code "bilinear"} (default) or {@code "nearest"}. */
    public Builder interpolation(String interpolation) {
      this.interpolation = interpolation;
      return this;
    }

    /** The value of points outside the image; default 0. */
    public Builder fillValue(double fillValue) {
      this.fillValue = fillValue;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandomPerspective build() {
      return new RandomPerspective(this);
    }
  }
}
