package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that randomly blurs images with a Gaussian kernel in training, as Keras 3's
 * {@code keras.layers.RandomGaussianBlur}; the identity in inference.
 *
 * <p>As Keras's code: each image is blurred if a uniform draw is below a blur probability drawn from {@code factor};
 * one pair of standard deviations {@code (sigmaX, sigmaY)} is drawn from {@code sigma} for the whole batch (plus
 * {@code 1e-6}); the kernel is the outer product of the normalised 1-D kernels
 * {@code exp(-0.5 (i - (k - 1) / 2)^2 / sigma^2)}, {@code i = 0 .. k - 1}, and is applied per channel with
 * zero padding ({@code "same"} depthwise convolution, so the border darkens towards 0). All images, blurred or not,
 * are then clipped to {@code valueRange} (used as given, as in Keras).
 *
 * <p>Ranges follow Keras's code: {@code factor} and {@code sigma} are numbers in {@code [0, 1]} or pairs; a number
 * {@code f} gives {@code [0, f]} (so Keras's default {@code sigma=1} draws standard deviations in {@code [0, 1]}).
 * {@code kernelSize} is one odd number, or a pair of odd numbers {@code (kx, ky)} (the width's and height's kernel
 * sizes; Keras reshapes their product to {@code (kx, ky)}, which this layer copies, so only square kernels are an
 * exact 2-D Gaussian). The transformation ({@link #getRandomTransformation}) is {@code (batch, 3)}:
 * {@code [apply (1 or 0), sigmaX, sigmaY]}, the same sigmas on every row.
 *
 * <p>In training, gradients flow to the layer's input through the convolution and the clipping, so it may sit
 * after trainable layers.
 *
 * <p>Difference from Keras: both ends of a pair must lie in {@code [0, 1]} (Keras checks only that the first is at
 * most 1 and the second at least 0).
 *
 * <pre>{@code
 * new RandomGaussianBlur();                                        // Keras's defaults
 * RandomGaussianBlur.builder(0.5).kernelSize(5).sigma(0.5, 1.0).valueRange(0, 1).seed(2).build();
 * }</pre>
 */
public class RandomGaussianBlur extends BaseImagePreprocessingLayer {

  private static final String RANGE = "[0, 1]";

  private final Factor factor;
  private final int[] kernelSize;
  private final Factor sigma;
  private final double[] valueRange;

  /** Keras's defaults: blur probability in [0, 1], 3x3 kernel, sigma in [0, 1], values in (0, 255). */
  public RandomGaussianBlur() {
    this(builder(1.0));
  }

  private RandomGaussianBlur(Builder b) {
    super(b.seed, b.name);
    this.factor = ImageTransforms.factor(describe(), "factor", b.factor, 0, v -> v >= 0 && v <= 1, RANGE);
    int[] k = b.kernelSize;
    if (k == null || k.length < 1 || k.length > 2 || Arrays.stream(k).anyMatch(v -> v < 1 || v % 2 == 0)) {
      throw new IllegalArgumentException(describe() + ": kernel_size must be a positive odd number, or a list of two. "
          + "Received: kernel_size=" + (k == null ? "null" : k.length == 1 ? k[0] : Arrays.toString(k)));
    }
    this.kernelSize = k.length == 1 ? new int[] {k[0], k[0]} : k.clone();
    this.sigma = ImageTransforms.factor(describe(), "sigma", b.sigma, 0, v -> v >= 0 && v <= 1, RANGE);
    this.valueRange = ImageTransforms.valueRange(describe(), b.valueRange, false);
  }

  /** A builder with the blur probability's range {@code factor} (one number or {@code lower, upper}). */
  public static Builder builder(double... factor) {
    return new Builder(factor);
  }

  /** {@code (batch, 3)}: {@code [apply, sigmaX, sigmaY]}, drawn in Keras's order. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TInt32> column = ImageTransforms.batchShape(tf, images, 1);
    Operand<TFloat32> probability = ImageTransforms.uniform(tf, column, factor.lower(), factor.upper(), seed(), 0);
    Operand<TFloat32> threshold = ImageTransforms.uniform(tf, column, 0, 1, seed(), 1);
    Operand<TFloat32> apply = tf.dtypes.cast(tf.math.less(threshold, probability), TFloat32.class);
    Operand<TFloat32> sigmas = tf.math.add(ImageTransforms.uniform(tf, tf.constant(new int[] {1, 2}), sigma.lower(),
        sigma.upper(), seed(), 2), tf.constant(1e-6f));
    Operand<TFloat32> rows = tf.tile(sigmas, tf.concat(List.of(Shapes.dims(tf, images, 0, 1), tf.constant(new int[] {1})),
        tf.constant(0)));
    return tf.concat(List.of(apply, rows), tf.constant(1));
  }

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    Operand<TFloat32> sigmaX = tf.slice(transformation, tf.constant(new int[] {0, 1}), tf.constant(new int[] {1, 1}));
    Operand<TFloat32> sigmaY = tf.slice(transformation, tf.constant(new int[] {0, 2}), tf.constant(new int[] {1, 1}));
    Operand<TFloat32> kx = kernel1d(tf, kernelSize[0], sigmaX);
    Operand<TFloat32> ky = kernel1d(tf, kernelSize[1], sigmaY);
    // Keras: tensordot(ky, kx, axes=0) of shape (ky, kx), reshaped to (kernel_size[0], kernel_size[1], 1, 1).
    Operand<TFloat32> outer = tf.math.mul(tf.reshape(ky, tf.constant(new int[] {-1, 1})),
        tf.reshape(kx, tf.constant(new int[] {1, -1})));
    Operand<TFloat32> blurred = depthwiseSame(tf, images, tf.reshape(outer,
        tf.constant(new int[] {kernelSize[0], kernelSize[1], 1, 1})));
    Operand<TFloat32> apply = tf.reshape(tf.slice(transformation, tf.constant(new int[] {0, 0}),
        tf.constant(new int[] {-1, 1})), tf.constant(new int[] {-1, 1, 1, 1}));
    Operand<TFloat32> chosen = tf.select(tf.broadcastTo(tf.math.greater(apply, tf.constant(0.5f)), tf.shape(images)),
        blurred, images);
    return tf.clipByValue(chosen, tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
  }

  /** The normalised 1-D Gaussian of {@code size} taps for the {@code (1, 1)} standard deviation {@code sigma}. */
  private static Operand<TFloat32> kernel1d(Ops tf, int size, Operand<TFloat32> sigma) {
    float[] offsets = new float[size];
    for (int i = 0; i < size; i++) {
      offsets[i] = i - (size - 1) / 2f;
    }
    Operand<TFloat32> scaled = tf.math.div(tf.reshape(tf.constant(offsets), tf.constant(new int[] {1, -1})), sigma);
    Operand<TFloat32> k = tf.math.exp(tf.math.mul(tf.constant(-0.5f), tf.math.square(scaled)));
    return tf.math.div(k, tf.sum(k, tf.constant(new int[] {0, 1}), Sum.keepDims(true)));
  }

  /**
   * {@code kernel} {@code (kh, kw, 1, 1)} applied to every channel of {@code images} by a depthwise convolution with
   * stride 1 and {@code "same"} zero padding, as Keras's {@code depthwise_conv(..., padding="same")}.
   */
  static Operand<TFloat32> depthwiseSame(Ops tf, Operand<TFloat32> images, Operand<TFloat32> kernel) {
    Operand<TInt32> channels = Shapes.dims(tf, images, 3, 1);
    Operand<TFloat32> tiled = tf.tile(kernel, tf.concat(List.of(tf.constant(new int[] {1, 1}), channels,
        tf.constant(new int[] {1})), tf.constant(0)));
    return tf.nn.depthwiseConv2dNative(images, tiled, List.of(1L, 1L, 1L, 1L), "SAME");
  }

  /** The range of the blur probability: {@code {lower, upper}}. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  /** The kernel sizes {@code {kx, ky}}. */
  public int[] kernelSize() {
    return kernelSize.clone();
  }

  /** The range of the standard deviations: {@code {lower, upper}}. */
  public double[] sigma() {
    return new double[] {sigma.lower(), sigma.upper()};
  }

  /** The range the output is clipped to, as given. */
  public double[] valueRange() {
    return valueRange.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("factor", List.of(factor.lower(), factor.upper()));
    c.put("kernel_size", List.of(kernelSize[0], kernelSize[1]));
    c.put("sigma", List.of(sigma.lower(), sigma.upper()));
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    return c;
  }

  /** Optional settings of {@link RandomGaussianBlur}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder.WithValueRange<Builder> {
    private final double[] factor;
    private int[] kernelSize = {3};
    private double[] sigma = {1.0};

    private Builder(double... factor) {
      this.factor = factor == null ? null : factor.clone();
    }

    /** One odd size, or {@code kx, ky}; default 3. */
    public Builder kernelSize(int... kernelSize) {
      this.kernelSize = kernelSize == null ? null : kernelSize.clone();
      return this;
    }

    /** The standard deviation's range: one number {@code s} in [0, 1] for {@code [0, s]}, or a pair; default 1. */
    public Builder sigma(double... sigma) {
      this.sigma = sigma == null ? null : sigma.clone();
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public RandomGaussianBlur build() {
      return new RandomGaussianBlur(this);
    }
  }
}
