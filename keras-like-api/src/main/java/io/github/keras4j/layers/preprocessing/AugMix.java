package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.random.RandomGamma;
import org.tensorflow.types.TFloat32;

/**
 * AugMix (Hendrycks et al. 2019), as Keras 3's {@code keras.layers.AugMix}: in training, each image becomes
 * {@code clip(w * x + (1 - w) * sum_c m_c * chain_c(x), valueRange)}; the identity in inference.
 *
 * <p>Each of the {@code numChains} chains applies {@code chainDepth} steps to the image; each step is one of the
 * augmentations or nothing, drawn uniformly (so a chain holds 0 to {@code chainDepth} augmentations, as in Keras). The
 * chain weights {@code m} are drawn from {@code Dirichlet(alpha, ..., alpha)} (Gamma(alpha) draws divided by their
 * sum, as Keras's {@code _sample_from_dirichlet}), the image's own weight {@code w} from {@code Beta(alpha, alpha)}
 * ({@code ga / (ga + gb)} with two Gamma(alpha) draws, as Keras's {@code random.beta}). So {@code E[w] = 1/2} and
 * {@code E[m_c] = 1 / numChains}, with variances {@code 1 / (4 (2 alpha + 1))} and
 * {@code (k - 1) / (k^2 (k alpha + 1))} ({@code k = numChains}): larger {@code alpha} mixes more evenly.
 *
 * <p>The augmentations, in Keras's order (the index a step's draw names; index {@code n}, one past the last, is
 * "nothing"): 0 {@link RandomShear}, 1 {@link RandomTranslation}, 2 {@link RandomRotation},
 * 3 {@link RandomPosterization}, 4 {@link Solarization}, 5 {@link AutoContrast}, 6 {@link Equalization}, and with
 * {@code allOps} (the default) also 7 {@link RandomBrightness}, 8 {@link RandomColorDegeneration},
 * 9 {@link RandomContrast}, 10 {@link RandomSharpness}; each made from the policy's {@code factor} as in
 * {@link RandAugment}, with its own parameters drawn per image at each step.
 *
 * <p>{@code factor} follows Keras's bounds {@code [0, 1]}: a number {@code f} gives {@code (0, f)}, a pair is sorted.
 * The transformation ({@link #getRandomTransformation}) is {@code (batch, 1 + k + k d + k d D)} with
 * {@code d = chainDepth} and {@code D} the augmentations' draws per step (12 with {@code allOps}, 8 without):
 * {@code w}, the chain weights, the steps' indices (chain by chain), then each step's draws (see
 * {@link RandAugment} for their layout). With {@code allOps} the input must be RGB (colour degeneration); the channel
 * count must be known (equalization).
 *
 * <p>In training, gradients flow back to the input through the image's own term and the augmentations that pass them.
 *
 * <p>Cost: a graph cannot branch per image, so each of the {@code numChains * chainDepth} steps computes all the
 * augmentations on the whole batch and keeps, per image, the one drawn (99 augmentation passes with the defaults).
 *
 * <p>Differences from Keras: the steps, the chain weights and {@code w} are drawn per image (Keras draws them once per
 * call, and its steps with Python's {@code random.choice}, so that on TensorFlow they are fixed when the graph is
 * traced; called on one image at a time the two agree); each step's augmentation layers draw from their own seeds
 * ({@code seed + 1} on, counting through the steps); {@code numChains} must be at least 1, {@code chainDepth} at least
 * 0, {@code alpha} positive and {@code valueRange} increasing (Keras checks none of them); where all of an image's
 * Gamma draws underflow to 0 (float32, {@code alpha} far below 1) the weights are equal (the chain weights) or 1 (the
 * Beta draw) instead of Keras's NaN.
 *
 * <pre>{@code
 * new AugMix();                                                 // values in (0, 255), 3 chains of depth 3
 * AugMix.builder().valueRange(0, 1).numChains(2).chainDepth(2).factor(0.5).alpha(0.5).allOps(false).seed(7).build();
 * }</pre>
 */
public class AugMix extends BaseImagePreprocessingLayer {

  /** Keras's {@code AUGMENT_LAYERS}, in its order. */
  static final List<String> AUGMENTATIONS = List.of(AugmentationOps.SHEAR, AugmentationOps.TRANSLATION,
      AugmentationOps.ROTATION, AugmentationOps.POSTERIZATION, AugmentationOps.SOLARIZATION,
      AugmentationOps.AUTO_CONTRAST, AugmentationOps.EQUALIZATION);

  /** Keras's {@code AUGMENT_LAYERS_ALL}, in its order. */
  static final List<String> ALL_AUGMENTATIONS = List.of(AugmentationOps.SHEAR, AugmentationOps.TRANSLATION,
      AugmentationOps.ROTATION, AugmentationOps.POSTERIZATION, AugmentationOps.SOLARIZATION,
      AugmentationOps.AUTO_CONTRAST, AugmentationOps.EQUALIZATION, AugmentationOps.BRIGHTNESS,
      AugmentationOps.COLOR_DEGENERATION, AugmentationOps.CONTRAST, AugmentationOps.SHARPNESS);

  private final double[] valueRange;
  private final int numChains;
  private final int chainDepth;
  private final Factor factor;
  private final double alpha;
  private final boolean allOps;
  private final String interpolation;
  /** The augmentations of each step, chain by chain: step {@code c * chainDepth + d}. */
  private final List<AugmentationOps> steps = new ArrayList<>();

  /** Keras's defaults: values in {@code (0, 255)}, 3 chains of depth 3, factor 0.3, alpha 1, all operations. */
  public AugMix() {
    this(builder());
  }

  private AugMix(Builder b) {
    super(b.seed, b.name);
    this.valueRange = AugmentationOps.valueRange(describe(), b.valueRange);
    if (b.numChains < 1) {
      throw new IllegalArgumentException(describe() + ": the `num_chains` argument should be a positive integer. "
          + "Received: num_chains=" + b.numChains);
    }
    if (b.chainDepth < 0) {
      throw new IllegalArgumentException(describe() + ": the `chain_depth` argument should be a non-negative "
          + "integer. Received: chain_depth=" + b.chainDepth);
    }
    if (!(b.alpha > 0) || Double.isInfinite(b.alpha)) {
      throw new IllegalArgumentException(describe() + ": the `alpha` argument should be a positive number. Received: "
          + "alpha=" + b.alpha);
    }
    this.numChains = b.numChains;
    this.chainDepth = b.chainDepth;
    this.factor = AugmentationOps.factor(describe(), b.factor);
    this.alpha = b.alpha;
    this.allOps = b.allOps;
    this.interpolation = ImageTransforms.oneOf(describe(), "interpolation", b.interpolation,
        ImageTransforms.AFFINE_INTERPOLATIONS);
    List<String> keys = allOps ? ALL_AUGMENTATIONS : AUGMENTATIONS;
    for (int s = 0; s < numChains * chainDepth; s++) {
      steps.add(new AugmentationOps(keys, valueRange, factor, interpolation, seed() + 1 + (long) s * keys.size(),
          name(), "_" + s));
    }
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (!steps.isEmpty()) {
      steps.get(0).checkInputShape(inputShape);
    }
    return inputShape;
  }

  /**
   * {@code (batch, 1 + k + k d + k d D)}: the image's weight {@code w}, the chain weights, the steps' indices, the
   * steps' draws (see the class comment).
   */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    List<Operand<TFloat32>> parts = new ArrayList<>();
    parts.add(Mixing.beta(tf, ImageTransforms.batchShape(tf, images, 1), tf.constant((float) alpha), seed(), 0));
    parts.add(dirichlet(tf, images, numChains, alpha, seed(), 2));
    if (!steps.isEmpty()) {
      parts.add(AugmentationOps.indices(tf, images, steps.size(), steps.get(0).size() + 1, seed(), 3));
      for (AugmentationOps step : steps) {
        parts.add(step.draw(tf, images));
      }
    }
    return tf.concat(parts, tf.constant(1));
  }

  /**
   * {@code (batch, k)} draws from the symmetric {@code Dirichlet(alpha)}: {@code k} Gamma(alpha) draws (seeded op
   * {@code opIndex}) divided by their sum; equal weights where the sum underflows to 0. Outside the gradient.
   */
  private static Operand<TFloat32> dirichlet(Ops tf, Operand<TFloat32> images, int k, double alpha, long seed,
      int opIndex) {
    long[] opSeeds = Backend.opSeeds(seed, opIndex);
    Operand<TFloat32> g = tf.random.randomGamma(ImageTransforms.batchShape(tf, images, k), tf.constant((float) alpha),
        RandomGamma.seed(opSeeds[0]).seed2(opSeeds[1]));
    Operand<TFloat32> sum = tf.sum(g, tf.constant(1), Sum.keepDims(true));
    Operand<TFloat32> weights = tf.math.divNoNan(g, sum);
    Operand<TFloat32> equal = tf.fill(tf.shape(g), tf.constant(1f / k));
    return tf.stopGradient(tf.select(tf.math.greater(sum, tf.constant(0f)), weights, equal));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    int stepDraws = steps.isEmpty() ? 0 : steps.get(0).drawWidth();
    int firstIndex = 1 + numChains;
    int firstDraw = firstIndex + steps.size();
    Operand<TFloat32> mixed = null;
    for (int c = 0; c < numChains; c++) {
      Operand<TFloat32> x = images;
      for (int d = 0; d < chainDepth; d++) {
        int s = c * chainDepth + d;
        x = steps.get(s).choose(tf, x, column(tf, transformation, firstIndex + s), transformation,
            firstDraw + s * stepDraws);
      }
      Operand<TFloat32> term = tf.math.mul(x, perImage(tf, column(tf, transformation, 1 + c)));
      mixed = mixed == null ? term : tf.math.add(mixed, term);
    }
    Operand<TFloat32> w = perImage(tf, column(tf, transformation, 0));
    Operand<TFloat32> out = tf.math.add(tf.math.mul(w, images), tf.math.mul(tf.math.sub(tf.constant(1f), w), mixed));
    return tf.clipByValue(out, tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
  }

  /** Column {@code k} of a {@code (batch, n)} tensor, {@code (batch, 1)}. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> t, int k) {
    return tf.slice(t, tf.constant(new int[] {0, k}), tf.constant(new int[] {-1, 1}));
  }

  /** A {@code (batch, 1)} column as {@code (batch, 1, 1, 1)}, to scale images. */
  private static Operand<TFloat32> perImage(Ops tf, Operand<TFloat32> column) {
    return tf.reshape(column, tf.constant(new int[] {-1, 1, 1, 1}));
  }

  /** The range of the input values, {@code {low, high}}, which the output is clipped to. */
  public double[] valueRange() {
    return valueRange.clone();
  }

  /** The number of chains mixed. */
  public int numChains() {
    return numChains;
  }

  /** The number of steps of each chain. */
  public int chainDepth() {
    return chainDepth;
  }

  /** The factor's range {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  /** The parameter of the Dirichlet and Beta distributions. */
  public double alpha() {
    return alpha;
  }

  /** Whether the colour augmentations (brightness, colour degeneration, contrast, sharpness) are among the steps'. */
  public boolean allOps() {
    return allOps;
  }

  /** The interpolation of the geometric augmentations. */
  public String interpolation() {
    return interpolation;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    c.put("num_chains", numChains);
    c.put("chain_depth", chainDepth);
    c.put("factor", List.of(factor.lower(), factor.upper()));
    c.put("alpha", alpha);
    c.put("all_ops", allOps);
    c.put("interpolation", interpolation);
    return c;
  }

  /** Optional settings of {@link AugMix}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder.WithValueRange<Builder> {
    private int numChains = 3;
    private int chainDepth = 3;
    private double[] factor = {0.3};
    private double alpha = 1.0;
    private boolean allOps = true;
    private String interpolation = "bilinear";

    private Builder() {}

    /** The number of chains mixed, at least 1; default 3. */
    public Builder numChains(int numChains) {
      this.numChains = numChains;
      return this;
    }

    /** The number of steps of each chain (each an augmentation or nothing), at least 0; default 3. */
    public Builder chainDepth(int chainDepth) {
      this.chainDepth = chainDepth;
      return this;
    }

    /** The strength: one number {@code f} in {@code [0, 1]} for {@code (0, f)}, or a pair; default 0.3. */
    public Builder factor(double... factor) {
      this.factor = factor == null ? null : factor.clone();
      return this;
    }

    /** The Dirichlet and Beta distributions' parameter, positive; default 1. */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Whether to use the colour augmentations too; default true. */
    public Builder allOps(boolean allOps) {
      this.allOps = allOps;
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
    public AugMix build() {
      return new AugMix(this);
    }
  }
}
