package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * A preprocessing layer that randomly adjusts the contrast of images in training, as Keras 3's
 * {@code keras.layers.RandomContrast}; the identity in inference. For each image a factor {@code c} is drawn
 * uniformly from {@code [1 - lower, 1 + upper]}, and each channel becomes {@code (x - mean) * c + mean} ({@code mean}:
 * the channel's mean over the image's height and width), clipped to {@code valueRange}.
 *
 * <p>{@code factor} follows Keras 3's code (its factor bounds are {@code [0, 1]}): a number {@code f} in
 * {@code [0, 1]} gives {@code lower = 0, upper = f}, so factors in {@code [1, 1 + f]} (Keras's docstring says
 * {@code [1 - f, 1 + f]}, its code does not); a pair {@code (lower, upper)}, both in {@code [0, 1]}, gives
 * {@code [1 - lower, 1 + upper]}: pass {@code (f, f)} for {@code [1 - f, 1 + f]}. The transformation
 * ({@link #getRandomTransformation}) is {@code (batch, 1, 1, 1)}: the factors.
 *
 * <pre>{@code
 * new RandomContrast(0.2);                                      // factors in [1, 1.2], values in [0, 255]
 * RandomContrast.builder(0.3, 0.3).valueRange(0, 1).seed(5).build();   // factors in [0.7, 1.3]
 * }</pre>
 */
public class RandomContrast extends BaseImagePreprocessingLayer {

  private final Factor factor;
  private final double[] valueRange;

  /** Factors in {@code [1, 1 + factor]} (as Keras 3's code), for values in {@code [0, 255]}. */
  public RandomContrast(double factor) {
    this(builder(factor));
  }

  private RandomContrast(Builder b) {
    super(b.seed, b.name);
    this.factor = ImageTransforms.factor(owner(), "factor", b.factor, 0, v -> v >= 0 && v <= 1, "[0, 1]");
    this.valueRange = ImageTransforms.valueRange(owner(), b.valueRange, false);
  }

  private String owner() {
    return "Layer '" + name() + "' (RandomContrast)";
  }

  /** A builder with {@code factor} (one number, or {@code lower, upper}) and Keras's defaults for the rest. */
  public static Builder builder(double... factor) {
    return new Builder(factor);
  }

  /** {@code (batch, 1, 1, 1)}: the contrast factors. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    return ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, 1, 1, 1), 1 - factor.lower(),
        1 + factor.upper(), seed(), 0);
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> mean = tf.math.mean(images, tf.constant(new int[] {1, 2}),
        Mean.keepDims(true));
    Operand<TFloat32> adjusted = tf.math.add(tf.math.mul(tf.math.sub(images, mean), transformation), mean);
    return tf.clipByValue(adjusted, tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
  }

  /** The factor's range {@code {lower, upper}}: contrast factors are drawn from {@code [1 - lower, 1 + upper]}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  /** The range the output is clipped to. */
  public double[] valueRange() {
    return valueRange.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.remove("data_format");
    c.put("factor", List.of(factor.lower(), factor.upper()));
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    return c;
  }

  /** Optional settings of {@link RandomContrast}, with Keras's defaults. */
  public static final class Builder {
    private final double[] factor;
    private double[] valueRange = {0, 255};
    private Long seed;
    private String name;

    private Builder(double... factor) {
      this.factor = factor == null ? null : factor.clone();
    }

    /** The range of the input values, which the output is clipped to; default {@code (0, 255)}. */
    public Builder valueRange(double low, double high) {
      this.valueRange = new double[] {low, high};
      return this;
    }

    /** The draws' seed; by default one from the global seed sequence. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The layer. */
    public RandomContrast build() {
      return new RandomContrast(this);
    }
  }
}
