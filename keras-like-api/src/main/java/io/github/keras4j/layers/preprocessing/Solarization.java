package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that solarizes images in training, as Keras 3's {@code keras.layers.Solarization}; the
 * identity in inference. The values are mapped from {@code valueRange} to {@code [0, 255]}; for each image an
 * addition {@code a} and a threshold {@code t} are drawn; each value becomes {@code y = clip(x + a, 0, 255)}, then
 * {@code y} where {@code y < t} and {@code 255 - y} elsewhere, mapped back to {@code valueRange}. With the defaults
 * ({@code a = t = 0}) every value is inverted: {@code 255 - x}.
 *
 * <p>{@code additionFactor} and {@code thresholdFactor} follow Keras: numbers in {@code [0, 1]}, a number {@code f}
 * gives {@code (0, f)}, a pair is sorted. As in Keras 3's code, the draws come from {@code [lower, upper * 255]}
 * (only the upper end is scaled by 255, so a pair {@code (f, f)} with {@code f > 0} does not fix the value).
 * {@code valueRange} is sorted. The transformation ({@link #getRandomTransformation}) is {@code (batch, 1, 1, 2)}:
 * the additions and the thresholds, on the {@code [0, 255]} scale.
 *
 * <pre>{@code
 * new Solarization();                                                  // 255 - x for every value
 * Solarization.builder().thresholdFactor(0.5).valueRange(0, 1).seed(3).build();
 * }</pre>
 */
public class Solarization extends BaseImagePreprocessingLayer {

  private final Factor additionFactor;
  private final Factor thresholdFactor;
  private final double[] valueRange;

  /** Keras's defaults: no addition, threshold 0 (every value is inverted), values in {@code [0, 255]}. */
  public Solarization() {
    this(builder());
  }

  private Solarization(Builder b) {
    super(b.seed, b.name);
    this.additionFactor = factor("addition_factor", b.additionFactor);
    this.thresholdFactor = factor("threshold_factor", b.thresholdFactor);
    this.valueRange = ImageTransforms.valueRange(describe(), b.valueRange, true);
  }

  private Factor factor(String argument, double[] values) {
    return ImageTransforms.factor(describe(), argument, values, 0, v -> v >= 0 && v <= 1, "[0, 1]");
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The addition factor's range {@code {lower, upper}} (draws from {@code [lower, upper * 255]}). */
  public double[] additionFactor() {
    return new double[] {additionFactor.lower(), additionFactor.upper()};
  }

  /** The threshold factor's range {@code {lower, upper}} (draws from {@code [lower, upper * 255]}). */
  public double[] thresholdFactor() {
    return new double[] {thresholdFactor.lower(), thresholdFactor.upper()};
  }

  /** The range of the input values, sorted. */
  public double[] valueRange() {
    return valueRange.clone();
  }

  /** {@code (batch, 1, 1, 2)}: the addition and the threshold of each image, on the {@code [0, 255]} scale. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TInt32> shape = ImageTransforms.batchShape(tf, images, 1, 1, 1);
    Operand<TFloat32> additions = ImageTransforms.uniform(tf, shape, additionFactor.lower(),
        additionFactor.upper() * 255, seed(), 0);
    Operand<TFloat32> thresholds = ImageTransforms.uniform(tf, shape, thresholdFactor.lower(),
        thresholdFactor.upper() * 255, seed(), 1);
    return tf.concat(List.of(additions, thresholds), tf.constant(-1));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    double[] full = {0, 255};
    Operand<TFloat32> additions = tf.slice(transformation, tf.constant(new int[] {0, 0, 0, 0}),
        tf.constant(new int[] {-1, 1, 1, 1}));
    Operand<TFloat32> thresholds = tf.slice(transformation, tf.constant(new int[] {0, 0, 0, 1}),
        tf.constant(new int[] {-1, 1, 1, 1}));
    Operand<TFloat32> x = ColorSpaces.transformValueRange(tf, images, valueRange, full);
    Operand<TFloat32> y = tf.clipByValue(tf.math.add(x, additions), tf.constant(0f), tf.constant(255f));
    Operand<TFloat32> t = tf.math.mul(thresholds, tf.onesLike(y));
    y = tf.select(tf.math.less(y, t), y, tf.math.sub(tf.constant(255f), y));
    return ColorSpaces.transformValueRange(tf, y, full, valueRange);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    c.put("addition_factor", List.of(additionFactor.lower(), additionFactor.upper()));
    c.put("threshold_factor", List.of(thresholdFactor.lower(), thresholdFactor.upper()));
    return c;
  }

  /** Optional settings of {@link Solarization}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder.WithValueRange<Builder> {
    private double[] additionFactor = {0};
    private double[] thresholdFactor = {0};

    private Builder() {}

    /** One number {@code f} in {@code [0, 1]} ({@code (0, f)}), or a pair; default 0 (no addition). */
    public Builder additionFactor(double... factor) {
      this.additionFactor = factor == null ? null : factor.clone();
      return this;
    }

    /** One number {@code f} in {@code [0, 1]} ({@code (0, f)}), or a pair; default 0 (every value solarized). */
    public Builder thresholdFactor(double... factor) {
      this.thresholdFactor = factor == null ? null : factor.clone();
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public Solarization build() {
      return new Solarization(this);
    }
  }
}
