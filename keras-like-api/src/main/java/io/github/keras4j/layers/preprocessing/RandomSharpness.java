package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A preprocessing layer that randomly changes the sharpness of images in training, as Keras 3's
 * {@code keras.layers.RandomSharpness}; the identity in inference.
 *
 * <p>As Keras's code: for each image a factor {@code f} is drawn from {@code factor}; the image is smoothed per
 * channel with the kernel {@code [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13} by a {@code "same"} depthwise convolution
 * (zero padding, so border pixels are smoothed with zeros too; Keras 3 does not keep the border as TF's old
 * {@code adjust_sharpness} did), then blended: {@code x + (1 - 2 f) (smoothed - x)}, clipped to {@code valueRange}
 * (sorted, as in Keras). {@code f = 0} gives the smoothed image, {@code f = 0.5} the input, {@code f = 1} a sharpened
 * one.
 *
 * <p>{@code factor} follows Keras: numbers lie in {@code [0, 1]}; a number {@code f} gives {@code [0, f]}, a pair
 * that range (pass {@code (0.5, 0.5)} for a fixed factor). The transformation ({@link #getRandomTransformation}) is
 * {@code (batch, 1, 1, 1)}: the factors.
 *
 * <p>In training, gradients flow to the layer's input through the convolution, the blend and the clipping, so it may
 * sit after trainable layers.
 *
 * <p>Difference from Keras: both ends of a pair must lie in {@code [0, 1]} (Keras checks only that the first is at
 * most 1 and the second at least 0).
 *
 * <pre>{@code
 * new RandomSharpness(0.8);                                            // factors in [0, 0.8], values in (0, 255)
 * RandomSharpness.builder(0.4, 0.9).valueRange(0, 1).seed(5).build();
 * }</pre>
 */
public class RandomSharpness extends BaseImagePreprocessingLayer {

  private final Factor factor;
  private final double[] valueRange;

  /** Factors in {@code [0, factor]}, values in {@code (0, 255)}. */
  public RandomSharpness(double factor) {
    this(builder(factor));
  }

  private RandomSharpness(Builder b) {
    super(b.seed, b.name);
    this.factor = ImageTransforms.factor(describe(), "factor", b.factor, 0, v -> v >= 0 && v <= 1, "[0, 1]");
    this.valueRange = ImageTransforms.valueRange(describe(), b.valueRange, true);
  }

  /** A builder with {@code factor} (one number, or {@code lower, upper}) and Keras's defaults for the rest. */
  public static Builder builder(double... factor) {
    return new Builder(factor);
  }

  /** {@code (batch, 1, 1, 1)}: the sharpness factors. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    return ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, 1, 1, 1), factor.lower(),
        factor.upper(), seed(), 0);
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    float a = 1f / 13f;
    float b = 5f / 13f;
    Operand<TFloat32> kernel = tf.constant(new float[][][][] {
        {{{a}}, {{a}}, {{a}}}, {{{a}}, {{b}}, {{a}}}, {{{a}}, {{a}}, {{a}}}});
    Operand<TFloat32> smoothed = RandomGaussianBlur.depthwiseSame(tf, images, kernel);
    Operand<TFloat32> weight = tf.math.sub(tf.constant(1f), tf.math.mul(transformation, tf.constant(2f)));
    Operand<TFloat32> blended = tf.math.add(images, tf.math.mul(weight, tf.math.sub(smoothed, images)));
    return tf.clipByValue(blended, tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
  }

  /** The range of the sharpness factor: {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  /** The range the output is clipped to (sorted). */
  public double[] valueRange() {
    return valueRange.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("factor", List.of(factor.lower(), factor.upper()));
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    return c;
  }

  /** Optional settings of {@link RandomSharpness}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder.WithValueRange<Builder> {
    private final double[] factor;

    private Builder(double... factor) {
      this.factor = factor == null ? null : factor.clone();
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandomSharpness build() {
      return new RandomSharpness(this);
    }
  }
}
