package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * RandAugment (Cubuk et al. 2019), as Keras 3's {@code keras.layers.RandAugment}: in training, each image goes
 * through {@code numOps} augmentations drawn uniformly, with replacement, from eleven; the identity in inference.
 *
 * <p>The augmentations, in Keras's order (the index a draw names): 0 {@link RandomShear}, 1 {@link RandomTranslation},
 * 2 {@link RandomRotation}, 3 {@link RandomBrightness}, 4 {@link RandomColorDegeneration}, 5 {@link RandomContrast},
 * 6 {@link RandomSharpness}, 7 {@link RandomPosterization}, 8 {@link Solarization}, 9 {@link AutoContrast},
 * 10 {@link Equalization}. As in Keras, each is that layer made with the policy's {@code factor}
 * {@code (lower, upper)} as its factor (both factors of the shear and the translation; the addition and threshold
 * factors of the solarization; {@code max(1, int(8 * upper))} bits for the posterization), the policy's
 * {@code valueRange} and {@code interpolation}, and the layers' other defaults (reflect fill). So the factors mean
 * what they mean for each layer: with the default 0.5, rotations of 0 to 180 degrees, shifts of 0 to half the size,
 * brightness shifts of 0 to half the range, contrast factors in {@code [1, 1.5]}. Each augmentation draws its
 * parameters once per image and call, as in Keras: an augmentation drawn twice for an image applies the same
 * parameters twice.
 *
 * <p>{@code factor} follows Keras's bounds {@code [0, 1]}: a number {@code f} gives {@code (0, f)}, a pair is sorted.
 * The transformation ({@link #getRandomTransformation}) is {@code (batch, numOps + 12)}: the augmentations' indices
 * (as floats), then the draws of the random ones, flattened, in the order above (shear 2, translation 2, rotation 1,
 * brightness, colour degeneration, contrast, sharpness and posterization 1 each, solarization 2). The augmentations
 * need RGB input (colour degeneration) with a known channel count (equalization).
 *
 * <p>In training, gradients flow back to the input through the augmentations that pass them (all but posterization
 * and equalization, see their classes).
 *
 * <p>Cost: a graph cannot branch per image, so each of the {@code numOps} steps computes all eleven augmentations on
 * the whole batch and keeps, per image, the one drawn.
 *
 * <p>Differences from Keras: the augmentations are drawn per image (Keras draws the {@code numOps} indices once per
 * call, so every image of a batch goes through the same augmentations, each with its own parameters; called on one
 * image at a time, as in a {@code tf.data} map, the two agree); the augmentation layers draw from seeds
 * {@code seed + 1} to {@code seed + 11} rather than one shared seed generator; {@code valueRange} must be increasing
 * and {@code numOps} non-negative (Keras checks neither); Equalization's histogram covers the whole batch, as in
 * Keras's code.
 *
 * <pre>{@code
 * new RandAugment();                                          // values in (0, 255), 2 ops, factor 0.5
 * RandAugment.builder().valueRange(0, 1).numOps(3).factor(0.3).interpolation("nearest").seed(42).build();
 * }</pre>
 */
public class RandAugment extends BaseImagePreprocessingLayer {

  /** Keras's {@code _AUGMENT_LAYERS}, in its order. */
  static final List<String> AUGMENTATIONS = List.of(AugmentationOps.SHEAR, AugmentationOps.TRANSLATION,
      AugmentationOps.ROTATION, AugmentationOps.BRIGHTNESS, AugmentationOps.COLOR_DEGENERATION,
      AugmentationOps.CONTRAST, AugmentationOps.SHARPNESS, AugmentationOps.POSTERIZATION, AugmentationOps.SOLARIZATION,
      AugmentationOps.AUTO_CONTRAST, AugmentationOps.EQUALIZATION);

  private final double[] valueRange;
  private final int numOps;
  private final Factor factor;
  private final String interpolation;
  private final AugmentationOps ops;

  /** Keras's defaults: values in {@code (0, 255)}, 2 operations, factor 0.5, bilinear interpolation. */
  public RandAugment() {
    this(builder());
  }

  private RandAugment(Builder b) {
    super(b.seed, b.name);
    this.valueRange = AugmentationOps.valueRange(describe(), b.valueRange);
    if (b.numOps < 0) {
      throw new IllegalArgumentException(describe() + ": the `num_ops` argument should be a non-negative integer. "
          + "Received: num_ops=" + b.numOps);
    }
    this.numOps = b.numOps;
    this.factor = AugmentationOps.factor(describe(), b.factor);
    this.interpolation = ImageTransforms.oneOf(describe(), "interpolation", b.interpolation,
        ImageTransforms.AFFINE_INTERPOLATIONS);
    this.ops = new AugmentationOps(AUGMENTATIONS, valueRange, factor, interpolation, seed() + 1, name(), "");
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    ops.checkInputShape(inputShape);
    return inputShape;
  }

  /** {@code (batch, numOps + 12)}: the indices of the augmentations, then their draws (see the class comment). */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> draws = ops.draw(tf, images);
    if (numOps == 0) {
      return draws;
    }
    Operand<TFloat32> indices = AugmentationOps.indices(tf, images, numOps, ops.size(), seed(), 0);
    return tf.concat(List.of(indices, draws), tf.constant(1));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> out = images;
    for (int i = 0; i < numOps; i++) {
      Operand<TFloat32> index = tf.slice(transformation, tf.constant(new int[] {0, i}), tf.constant(new int[] {-1, 1}));
      out = ops.choose(tf, out, index, transformation, numOps);
    }
    return out;
  }

  /** The range of the input values, {@code {low, high}}. */
  public double[] valueRange() {
    return valueRange.clone();
  }

  /** The number of augmentations each image goes through. */
  public int numOps() {
    return numOps;
  }

  /** The factor's range {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  /** The interpolation of the geometric augmentations. */
  public String interpolation() {
    return interpolation;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    c.put("num_ops", numOps);
    c.put("factor", List.of(factor.lower(), factor.upper()));
    c.put("interpolation", interpolation);
    return c;
  }

  /** Optional settings of {@link RandAugment}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder.WithValueRange<Builder> {
    private int numOps = 2;
    private double[] factor = {0.5};
    private String interpolation = "bilinear";

    private Builder() {}

    /** The number of augmentations each image goes through, at least 0; default 2. */
    public Builder numOps(int numOps) {
      this.numOps = numOps;
      return this;
    }

    /** The strength: one number {@code f} in {@code [0, 1]} for {@code (0, f)}, or a pair; default 0.5. */
    public Builder factor(double... factor) {
      this.factor = factor == null ? null : factor.clone();
      return this;
    }

    /** {@code "bilinear"} (default) or {@code "nearest"}, for the geometric augmentations. */
    public Builder interpolation(String interpolation) {
      this.interpolation = interpolation;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandAugment build() {
      return new RandAugment(this);
    }
  }
}
