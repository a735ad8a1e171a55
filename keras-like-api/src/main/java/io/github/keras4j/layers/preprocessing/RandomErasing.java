package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that erases a random rectangle of images in training (Random Erasing, Zhong et al. 2017), as
 * Keras 3's {@code keras.layers.RandomErasing}; the identity in inference.
 *
 * <p>For each image, as Keras's code: two ratios {@code rx, ry} are drawn from {@code scale} and square-rooted; the
 * rectangle spans {@code [x0, x0 + rx * width)} by {@code [y0, y0 + ry * height)} with {@code x0 = u * (width -
 * rx * width)} ({@code u} uniform in [0, 1)) and likewise {@code y0}; pixels whose integer column and row fall in it
 * are replaced by the fill value, if a uniform draw is below an erase probability itself drawn from {@code factor}.
 * The fill value is {@code fillValue} clipped to {@code valueRange}, or, when {@code fillValue} is null (Keras's
 * default), standard normal noise times {@code valueRange[1]}, clipped to {@code valueRange}, drawn per value.
 * {@code valueRange} is used as given (not sorted), as in Keras.
 *
 * <p>Factors follow Keras: every number lies in {@code [0, 1]}; a number {@code f} gives {@code [0, f]}, a pair that
 * range. The transformation ({@link #getRandomTransformation}) is {@code (batch, 5)}: {@code [apply (1 or 0), x0, x1,
 * y0, y1]}; the noise fill is drawn in {@link #transformImages} (seeded from the layer's seed, like the other draws).
 *
 * <p>In training, gradients flow to the layer's input through the pixels it keeps (zero in the erased rectangle), so
 * it may sit after trainable layers.
 *
 * <p>Differences from Keras: the fill value is one number or null (Keras also takes a list of three, one per
 * channel); both ends of a pair must lie in {@code [0, 1]} (Keras checks only that the first is at most 1 and the
 * second at least 0).
 *
 * <pre>{@code
 * new RandomErasing();                                            // always erase, noise fill, values in [0, 255]
 * RandomErasing.builder(0.5).scale(0.1, 0.2).fillValue(0.0).valueRange(0, 1).seed(3).build();
 * }</pre>
 */
public class RandomErasing extends BaseImagePreprocessingLayer {

  private static final String RANGE = "[0, 1]";

  private final Factor factor;
  private final Factor scale;
  private final Double fillValue;
  private final double[] valueRange;

  /** Keras's defaults: erase every image, rectangles of 2% to 33% of each side's square, noise fill, (0, 255). */
  public RandomErasing() {
    this(builder(1.0));
  }

  private RandomErasing(Builder b) {
    super(b.seed, b.name);
    this.factor = ImageTransforms.factor(describe(), "factor", b.factor, 0, v -> v >= 0 && v <= 1, RANGE);
    this.scale = ImageTransforms.factor(describe(), "scale", b.scale, 0, v -> v >= 0 && v <= 1, RANGE);
    if (b.fillValue != null && !Double.isFinite(b.fillValue)) {
      throw new IllegalArgumentException(describe() + ": the `fill_value` argument should be a number or null. "
          + "Received: fill_value=" + b.fillValue);
    }
    this.fillValue = b.fillValue;
    this.valueRange = ImageTransforms.valueRange(describe(), b.valueRange, false);
  }

  /** A builder with the erase probability's range {@code factor} (one number or {@code lower, upper}). */
  public static Builder builder(double... factor) {
    return new Builder(factor);
  }

  /** {@code (batch, 5)}: {@code [apply, x0, x1, y0, y1]}, drawn in Keras's order. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> ratios = tf.math.sqrt(ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, 2),
        scale.lower(), scale.upper(), seed(), 0));
    Operand<TInt32> column = ImageTransforms.batchShape(tf, images, 1);
    Operand<TFloat32> width = BaseAffineTransformLayer.dim(tf, images, 2);
    Operand<TFloat32> height = BaseAffineTransformLayer.dim(tf, images, 1);
    Operand<TFloat32> xLength = tf.math.mul(column(tf, ratios, 0), width);
    Operand<TFloat32> x0 = tf.math.mul(ImageTransforms.uniform(tf, column, 0, 1, seed(), 1),
        tf.math.sub(width, xLength));
    Operand<TFloat32> yLength = tf.math.mul(column(tf, ratios, 1), height);
    Operand<TFloat32> y0 = tf.math.mul(ImageTransforms.uniform(tf, column, 0, 1, seed(), 2),
        tf.math.sub(height, yLength));
    Operand<TFloat32> probability = ImageTransforms.uniform(tf, column, factor.lower(), factor.upper(), seed(), 3);
    Operand<TFloat32> threshold = ImageTransforms.uniform(tf, column, 0, 1, seed(), 4);
    Operand<TFloat32> apply = tf.dtypes.cast(tf.math.less(threshold, probability), TFloat32.class);
    return tf.concat(List.of(apply, x0, tf.math.add(x0, xLength), y0, tf.math.add(y0, yLength)), tf.constant(1));
  }

  /** Column {@code i} of a {@code (batch, n)} matrix, as {@code (batch, 1)}. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> m, int i) {
    return tf.slice(m, tf.constant(new int[] {0, i}), tf.constant(new int[] {-1, 1}));
  }

  /** {@code 0, 1, ..., n - 1} as floats, {@code n} the size of axis {@code axis} of {@code images}. */
  private static Operand<TFloat32> positions(Ops tf, Operand<TFloat32> images, int axis) {
    Operand<TFloat32> n = tf.reshape(BaseAffineTransformLayer.dim(tf, images, axis), tf.constant(new int[0]));
    return tf.range(tf.constant(0f), n, tf.constant(1f));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    // Each bound as (batch, 1, 1, 1); the pixel grid as (1, 1, width, 1) columns and (1, height, 1, 1) rows.
    Operand<TInt32> boundShape = tf.constant(new int[] {-1, 1, 1, 1});
    Operand<TFloat32> apply = tf.reshape(column(tf, transformation, 0), boundShape);
    Operand<TFloat32> x0 = tf.reshape(column(tf, transformation, 1), boundShape);
    Operand<TFloat32> x1 = tf.reshape(column(tf, transformation, 2), boundShape);
    Operand<TFloat32> y0 = tf.reshape(column(tf, transformation, 3), boundShape);
    Operand<TFloat32> y1 = tf.reshape(column(tf, transformation, 4), boundShape);
    Operand<TFloat32> gridX = tf.reshape(positions(tf, images, 2), tf.constant(new int[] {1, 1, -1, 1}));
    Operand<TFloat32> gridY = tf.reshape(positions(tf, images, 1), tf.constant(new int[] {1, -1, 1, 1}));
    Operand<TBool> inside = tf.math.logicalAnd(
        tf.math.logicalAnd(tf.math.greaterEqual(gridX, x0), tf.math.less(gridX, x1)),
        tf.math.logicalAnd(tf.math.greaterEqual(gridY, y0), tf.math.less(gridY, y1)));
    Operand<TBool> erase = tf.broadcastTo(tf.math.logicalAnd(inside, tf.math.greater(apply, tf.constant(0.5f))),
        tf.shape(images));
    Operand<TFloat32> fill;
    if (fillValue != null) {
      fill = tf.fill(tf.shape(images), tf.constant((float) fillValue.doubleValue()));
    } else {
      long[] opSeeds = Backend.opSeeds(seed(), 5);
      fill = tf.math.mul(tf.random.randomStandardNormal(tf.shape(images), TFloat32.class,
          RandomStandardNormal.seed(opSeeds[0]).seed2(opSeeds[1])), tf.constant((float) valueRange[1]));
    }
    fill = tf.stopGradient(tf.clipByValue(fill, tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1])));
    return tf.select(erase, fill, images);
  }

  /** The range of the erase probability: {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  /** The range of the squared side ratios of the rectangle: {@code {lower, upper}}. */
  public double[] scale() {
    return new double[] {scale.lower(), scale.upper()};
  }

  /** The fill value, or null for clipped normal noise. */
  public Double fillValue() {
    return fillValue;
  }

  /** The range of the input values, as given. */
  public double[] valueRange() {
    return valueRange.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("factor", List.of(factor.lower(), factor.upper()));
    c.put("scale", List.of(scale.lower(), scale.upper()));
    c.put("fill_value", fillValue);
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    return c;
  }

  /** Optional settings of {@link RandomErasing}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder.WithValueRange<Builder> {
    private final double[] factor;
    private double[] scale = {0.02, 0.33};
    private Double fillValue;

    private Builder(double... factor) {
      this.factor = factor == null ? null : factor.clone();
    }

    /** The range of the squared side ratios (one number {@code f} for {@code [0, f]}); default (0.02, 0.33). */
    public Builder scale(double... scale) {
      this.scale = scale == null ? null : scale.clone();
      return this;
    }

    /** The fill value (clipped to the value range), or null (default) for normal noise. */
    public Builder fillValue(Double fillValue) {
      this.fillValue = fillValue;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandomErasing build() {
      return new RandomErasing(this);
    }
  }
}
