package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that applies random elastic deformations in training, as Keras 3's
 * {@code keras.layers.RandomElasticTransform}; the identity in inference.
 *
 * <p>As Keras's code: each image is deformed if a uniform draw is below a probability itself drawn from
 * {@code factor}; one distortion factor {@code d} is drawn from {@code scale} for the whole batch, giving
 * {@code alpha = max(height, width) * (0.1 d)} and {@code sigma = min(height, width) * (0.05 d)}. Per image, two
 * fields of standard-normal draws {@code (height, width)}, times {@code sigma}, are blurred with the Gaussian of
 * standard deviation {@code sigma} on {@code k = int(6 sigma) | 1} taps per axis (zero padding, {@code "same"}, as
 * Keras's {@code gaussian_blur}), giving {@code dx} and {@code dy}; output pixel (row {@code i}, column {@code j})
 * reads the input at row {@code i + alpha dy}, column {@code j + alpha dx} ({@link MapCoordinates}: bilinear or
 * nearest, points outside the image through {@code fillMode}). All images, deformed or not, are then clipped to
 * {@code valueRange} (used as given). With {@code factor} or {@code scale} whose upper end is 0 the layer returns its
 * input unchanged, without clipping, as Keras.
 *
 * <p>Ranges follow Keras: {@code factor} and {@code scale} are numbers in {@code [0, 1]} or pairs; a number {@code f}
 * gives {@code [0, f]}. The transformation ({@link #getRandomTransformation}) is {@code (batch, 2 + 2 height width)}:
 * {@code [apply (1 or 0), d, dx0, dy0, dx1, dy1, ...]}, the distortion factor (the same on every row;
 * {@link #transformImages} reads the first row's) and then, pixel by pixel in row-major order, the two raw
 * standard-normal draws of the displacement (before the scaling by {@code sigma} and the blur).
 *
 * <p>In training, gradients flow back through the resampling to the layers before it (the gathers' gradient; none
 * through the random draws), so it may sit after trainable layers.
 *
 * <p>Differences from Keras: the two displacement fields are independent draws, as in Keras's NumPy backend (its
 * TensorFlow and JAX backends draw both from the same seed, so there {@code dx == dy} and every pixel moves along the
 * diagonal); the blur has {@code int(6 sigma) | 1} taps as in its JAX and NumPy backends (TensorFlow's has
 * {@code 6 int(sigma) | 1}); {@code "reflect"} and {@code "mirror"} are the documented reflections (Keras's
 * TensorFlow backend rejects {@code "mirror"} when called and mirrors negative coordinates in {@code "reflect"}); the
 * image height and width must be known; both ends of a pair must lie in {@code [0, 1]}; a distortion factor of 0 gives
 * the identity deformation (Keras divides by {@code sigma = 0}). A transformation whose distortion factor exceeds
 * {@code scale}'s upper end (one made by hand) is blurred with at most the taps of that upper end.
 *
 * <pre>{@code
 * new RandomElasticTransform();                                       // Keras's defaults
 * RandomElasticTransform.builder().factor(0.5).scale(0.2, 0.6).fillMode("constant").valueRange(0, 1).seed(3).build();
 * }</pre>
 */
public class RandomElasticTransform extends BaseImagePreprocessingLayer {

  private static final String RANGE = "[0, 1]";

  private final Factor factor;
  private final Factor scale;
  private final String interpolation;
  private final String fillMode;
  private final float fillValue;
  private final double[] valueRange;

  /** Keras's defaults: probability in [0, 1], distortion in [0, 1], bilinear, reflect fill, values in (0, 255). */
  public RandomElasticTransform() {
    this(builder());
  }

  private RandomElasticTransform(Builder b) {
    super(b.seed, b.name);
    String owner = describe();
    this.factor = ImageTransforms.factor(owner, "factor", b.factor, 0, v -> v >= 0 && v <= 1, RANGE);
    this.scale = ImageTransforms.factor(owner, "scale", b.scale, 0, v -> v >= 0 && v <= 1, RANGE);
    this.interpolation = ImageTransforms.oneOf(owner, "interpolation", b.interpolation,
        ImageTransforms.AFFINE_INTERPOLATIONS);
    this.fillMode = ImageTransforms.oneOf(owner, "fill_mode", b.fillMode, MapCoordinates.FILL_MODES);
    this.fillValue = (float) b.fillValue;
    this.valueRange = ImageTransforms.valueRange(owner, b.valueRange, false);
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.get(1) < 0 || inputShape.get(2) < 0) {
      throw new IllegalArgumentException(describe() + ": the image height and width (axes 1 and 2) must be known. "
          + "Received: input_shape=" + format(inputShape));
    }
    return inputShape;
  }

  /** {@code (batch, 2 + 2 height width)}: {@code [apply, d, dx0, dy0, ...]}, drawn in Keras's order. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    int h = (int) images.shape().get(1);
    int w = (int) images.shape().get(2);
    Operand<TInt32> column = ImageTransforms.batchShape(tf, images, 1);
    Operand<TFloat32> probability = ImageTransforms.uniform(tf, column, factor.lower(), factor.upper(), seed(), 0);
    Operand<TFloat32> threshold = ImageTransforms.uniform(tf, column, 0, 1, seed(), 1);
    Operand<TFloat32> apply = tf.dtypes.cast(tf.math.less(threshold, probability), TFloat32.class);
    Operand<TFloat32> distortion = ImageTransforms.uniform(tf, tf.constant(new int[] {1, 1}), scale.lower(),
        scale.upper(), seed(), 2);
    long[] opSeeds = Backend.opSeeds(seed(), 3);
    Operand<TFloat32> noise = tf.stopGradient(tf.random.randomStandardNormal(
        ImageTransforms.batchShape(tf, images, 2 * h * w), TFloat32.class,
        RandomStandardNormal.seed(opSeeds[0]).seed2(opSeeds[1])));
    return tf.concat(List.of(apply, tf.math.mul(distortion, tf.onesLike(apply)), noise), tf.constant(1));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    computeOutputShape(images.shape());
    if (factor.upper() == 0 || scale.upper() == 0) {
      return images;
    }
    int h = (int) images.shape().get(1);
    int w = (int) images.shape().get(2);
    Operand<TFloat32> d = tf.slice(transformation, tf.constant(new int[] {0, 1}), tf.constant(new int[] {1, 1}));
    Operand<TFloat32> alpha = tf.math.mul(tf.constant((float) Math.max(h, w)), tf.math.mul(tf.constant(0.1f), d));
    Operand<TFloat32> sigma = tf.math.mul(tf.constant((float) Math.min(h, w)), tf.math.mul(tf.constant(0.05f), d));
    Operand<TFloat32> noise = tf.reshape(tf.slice(transformation, tf.constant(new int[] {0, 2}),
        tf.constant(new int[] {-1, -1})), tf.constant(new int[] {-1, h, w, 2}));
    Operand<TFloat32> scaled = tf.math.mul(noise, tf.reshape(sigma, tf.constant(new int[] {1, 1, 1, 1})));
    int radius = maxRadius(h, w);
    Operand<TFloat32> kernel = kernel1d(tf, radius, sigma);
    Operand<TFloat32> vertical = RandomGaussianBlur.depthwiseSame(tf, scaled,
        tf.reshape(kernel, tf.constant(new int[] {2 * radius + 1, 1, 1, 1})));
    Operand<TFloat32> blurred = RandomGaussianBlur.depthwiseSame(tf, vertical,
        tf.reshape(kernel, tf.constant(new int[] {1, 2 * radius + 1, 1, 1})));
    Operand<TFloat32> alphaGrid = tf.reshape(alpha, tf.constant(new int[] {1, 1, 1}));
    Operand<TFloat32> xs = tf.math.add(grid(tf, h, w, false), tf.math.mul(alphaGrid, channel(tf, blurred, 0, h, w)));
    Operand<TFloat32> ys = tf.math.add(grid(tf, h, w, true), tf.math.mul(alphaGrid, channel(tf, blurred, 1, h, w)));
    Operand<TFloat32> moved = MapCoordinates.sample(tf, images, ys, xs, interpolation, fillMode, fillValue);
    Operand<TFloat32> apply = tf.reshape(tf.slice(transformation, tf.constant(new int[] {0, 0}),
        tf.constant(new int[] {-1, 1})), tf.constant(new int[] {-1, 1, 1, 1}));
    Operand<TFloat32> chosen = tf.select(tf.broadcastTo(tf.math.greater(apply, tf.constant(0.5f)), tf.shape(images)),
        moved, images);
    return tf.clipByValue(chosen, tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
  }

  /** The blur's largest radius {@code (k - 1) / 2}, {@code k = int(6 sigma) | 1}, for {@code scale}'s upper end. */
  private int maxRadius(int h, int w) {
    float sigma = Math.min(h, w) * (0.05f * (float) scale.upper());
    return ((int) (6f * sigma) | 1) / 2;
  }

  /**
   * The normalised 1-D Gaussian {@code exp(-0.5 (i / sigma)^2)} on the taps {@code i = -radius .. radius}, zero
   * outside the {@code int(6 sigma) | 1} taps of {@code sigma} {@code (1, 1)}: that kernel, padded with zeros.
   */
  private static Operand<TFloat32> kernel1d(Ops tf, int radius, Operand<TFloat32> sigma) {
    float[] offsets = new float[2 * radius + 1];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = i - radius;
    }
    Operand<TFloat32> taps = tf.reshape(tf.constant(offsets), tf.constant(new int[] {1, -1}));
    // A zero sigma (a zero distortion draw) gives the one-tap kernel [1] instead of Keras's 0 / 0.
    Operand<TFloat32> safe = tf.math.maximum(sigma, tf.constant(Float.MIN_NORMAL));
    Operand<TFloat32> k = tf.math.exp(tf.math.mul(tf.constant(-0.5f), tf.math.square(tf.math.div(taps, safe))));
    Operand<TFloat32> reach = tf.math.floor(tf.math.div(tf.math.floor(tf.math.mul(tf.constant(6f), sigma)),
        tf.constant(2f)));
    Operand<TFloat32> inside = tf.dtypes.cast(tf.math.lessEqual(tf.math.abs(taps), reach), TFloat32.class);
    Operand<TFloat32> masked = tf.math.mul(k, inside);
    return tf.math.div(masked, tf.sum(masked, tf.constant(new int[] {0, 1}), Sum.keepDims(true)));
  }

  /** The column (or, {@code rows}, the row) index of every pixel, {@code (1, h, w)}. */
  private static Operand<TFloat32> grid(Ops tf, int h, int w, boolean rows) {
    float[] v = new float[h * w];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        v[i * w + j] = rows ? i : j;
      }
    }
    return tf.reshape(tf.constant(v), tf.constant(new int[] {1, h, w}));
  }

  /** Channel {@code c} of {@code (batch, h, w, 2)} as {@code (batch, h, w)}. */
  private static Operand<TFloat32> channel(Ops tf, Operand<TFloat32> x, int c, int h, int w) {
    return tf.reshape(tf.slice(x, tf.constant(new int[] {0, 0, 0, c}), tf.constant(new int[] {-1, -1, -1, 1})),
        tf.constant(new int[] {-1, h, w}));
  }

  /** The range of the transformation probability: {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  /** The range of the distortion factor: {@code {lower, upper}}. */
  public double[] scale() {
    return new double[] {scale.lower(), scale.upper()};
  }

  /** The interpolation. */
  public String interpolation() {
    return interpolation;
  }

  /** The fill mode. */
  public String fillMode() {
    return fillMode;
  }

  /** The value of points outside the image with {@code fillMode="constant"}. */
  public float fillValue() {
    return fillValue;
  }

  /** The range the output is clipped to, as given. */
  public double[] valueRange() {
    return valueRange.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("factor", List.of(factor.lower(), factor.upper()));
    c.put("scale", List.of(scale.lower(), scale.upper()));
    c.put("interpolation", interpolation);
    c.put("fill_mode", fillMode);
    c.put("fill_value", (double) fillValue);
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    return c;
  }

  /** Optional settings of {@link RandomElasticTransform}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder.WithValueRange<Builder> {
    private double[] factor = {1.0};
    private double[] scale = {1.0};
    private String interpolation = "bilinear";
    private String fillMode = "reflect";
    private double fillValue;

    private Builder() {}

    /** The transformation probability's range: one number {@code f} in [0, 1] for {@code [0, f]}, or a pair. */
    public Builder factor(double... factor) {
      this.factor = factor == null ? null : factor.clone();
      return this;
    }

    /** The distortion factor's range: one number {@code s} in [0, 1] for {@code [0, s]}, or a pair; default 1. */
    public Builder scale(double... scale) {
      this.scale = scale == null ? null : scale.clone();
      return this;
    }

    /** {@code "bilinear"} (default) or {@code "nearest"}. */
    public Builder interpolation(String interpolation) {
      this.interpolation = interpolation;
      return this;
    }

    /** {@code "reflect"} (default), {@code "constant"}, {@code "wrap"}, {@code "nearest"} or {@code "mirror"}. */
    public Builder fillMode(String fillMode) {
      this.fillMode = fillMode;
      return this;
    }

    /** The value outside the image with {@code fillMode("constant")}; default 0. */
    public Builder fillValue(double fillValue) {
      this.fillValue = fillValue;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandomElasticTransform build() {
      return new RandomElasticTransform(this);
    }
  }
}
