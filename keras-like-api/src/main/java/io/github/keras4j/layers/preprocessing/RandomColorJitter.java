package io.github.keras4j.layers.preprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A preprocessing layer that applies {@link RandomBrightness}, {@link RandomContrast}, {@link RandomSaturation} and
 * {@link RandomHue} in that order in training, each where its factor is given, as Keras 3's
 * {@code keras.layers.RandomColorJitter}; the identity in inference. Each step is the named layer with that factor,
 * the jitter's {@code valueRange}, and its own draws.
 *
 * <p>The factors mean what they mean for each layer (see their class comments, which follow Keras 3's code). The
 * transformation ({@link #getRandomTransformation}) is {@code (batch, 1, 1, k)}: the draws of the {@code k} steps
 * in use, in order (brightness: the values added; contrast: the factors; saturation: the multipliers; hue: the
 * shifts). Saturation and hue need RGB input (3 channels).
 *
 * <p>Differences from Keras: the steps draw from seeds derived from the jitter's seed ({@code seed + 1} to
 * {@code seed + 4}), not from one shared seed generator.
 *
 * <pre>{@code
 * RandomColorJitter.builder().valueRange(0, 1).brightnessFactor(0.2).contrastFactor(0.2, 0.2)
 *     .saturationFactor(0.4, 0.6).hueFactor(0.1).seed(3).build();
 * }</pre>
 */
public class RandomColorJitter extends BaseImagePreprocessingLayer {

  private final double[] valueRange;
  private final double[] brightnessFactor;
  private final double[] contrastFactor;
  private final double[] saturationFactor;
  private final double[] hueFactor;
  private final List<BaseColorAugmentation> steps = new ArrayList<>();
  private final boolean needsRgb;

  private RandomColorJitter(Builder b) {
    super(b.seed, b.name);
    this.valueRange = ImageTransforms.valueRange(describe(), b.valueRange, false);
    this.brightnessFactor = b.brightnessFactor;
    this.contrastFactor = b.contrastFactor;
    this.saturationFactor = b.saturationFactor;
    this.hueFactor = b.hueFactor;
    long s = seed();
    double lo = valueRange[0];
    double hi = valueRange[1];
    step("brightness_factor", brightnessFactor, f -> RandomBrightness.builder(f).valueRange(lo, hi).seed(s + 1).build());
    step("contrast_factor", contrastFactor, f -> RandomContrast.builder(f).valueRange(lo, hi).seed(s + 2).build());
    step("saturation_factor", saturationFactor,
        f -> RandomSaturation.builder(f).valueRange(lo, hi).seed(s + 3).build());
    step("hue_factor", hueFactor, f -> RandomHue.builder(f).valueRange(lo, hi).seed(s + 4).build());
    this.needsRgb = saturationFactor != null || hueFactor != null;
  }

  /** Adds the step made from {@code factor} when it is given; a bad factor is reported as the jitter's argument. */
  private void step(String argument, double[] factor, Function<double[], BaseColorAugmentation> make) {
    if (factor == null) {
      return;
    }
    try {
      steps.add(make.apply(factor));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe() + ": invalid `" + argument + "`: " + e.getMessage(), e);
    }
  }

  /** A builder with Keras's defaults: values in {@code [0, 255]}, no step (the identity). */
  public static Builder builder() {
    return new Builder();
  }

  /** The range of the input values, as given. */
  public double[] valueRange() {
    return valueRange.clone();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (needsRgb) {
      ColorSpaces.requireChannels(describe(), inputShape, 3);
    }
    return inputShape;
  }

  /** {@code (batch, 1, 1, k)}: the draws of the steps in use, in order; {@code (batch, 1, 1, 0)} without steps. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    if (steps.isEmpty()) {
      return tf.zeros(ImageTransforms.batchShape(tf, images, 1, 1, 0), TFloat32.class);
    }
    List<Operand<TFloat32>> draws = new ArrayList<>();
    for (BaseColorAugmentation step : steps) {
      draws.add(step.getRandomTransformation(tf, images));
    }
    return draws.size() == 1 ? draws.get(0) : tf.concat(draws, tf.constant(-1));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> out = images;
    for (int k = 0; k < steps.size(); k++) {
      Operand<TFloat32> draw = tf.slice(transformation, tf.constant(new int[] {0, 0, 0, k}),
          tf.constant(new int[] {-1, 1, 1, 1}));
      out = steps.get(k).transformImages(tf, out, draw);
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    c.put("brightness_factor", saved(brightnessFactor));
    c.put("contrast_factor", saved(contrastFactor));
    c.put("saturation_factor", saved(saturationFactor));
    c.put("hue_factor", saved(hueFactor));
    return c;
  }

  /** A factor as given: null, the number, or the list. */
  private static Object saved(double[] factor) {
    if (factor == null) {
      return null;
    }
    return factor.length == 1 ? (Object) factor[0] : List.of(factor[0], factor[1]);
  }

  /** Optional settings of {@link RandomColorJitter}, with Keras's defaults (no step). */
  public static final class Builder extends RandomLayerBuilder.WithValueRange<Builder> {
    private double[] brightnessFactor;
    private double[] contrastFactor;
    private double[] saturationFactor;
    private double[] hueFactor;

    private Builder() {}

    /** Adds the {@link RandomBrightness} step with this factor (one number or two). */
    public Builder brightnessFactor(double... factor) {
      this.brightnessFactor = factor == null ? null : factor.clone();
      return this;
    }

    /** Adds the {@link RandomContrast} step with this factor (one number or two). */
    public Builder contrastFactor(double... factor) {
      this.contrastFactor = factor == null ? null : factor.clone();
      return this;
    }

    /** Adds the {@link RandomSaturation} step with this factor (one number or two). */
    public Builder saturationFactor(double... factor) {
      this.saturationFactor = factor == null ? null : factor.clone();
      return this;
    }

    /** Adds the {@link RandomHue} step with this factor (one number or two). */
    public Builder hueFactor(double... factor) {
      this.hueFactor = factor == null ? null : factor.clone();
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandomColorJitter build() {
      return new RandomColorJitter(this);
    }
  }
}
