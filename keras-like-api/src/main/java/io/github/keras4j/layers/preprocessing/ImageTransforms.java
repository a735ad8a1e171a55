package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.op.image.ResizeBicubic;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The shared pieces of the image layers: argument checks (interpolations, fill modes, Keras's factor conventions),
 * resizing as {@code tf.image.resize} does it, the affine transform op, and seeded uniform draws.
 */
final class ImageTransforms {

  /** Interpolations of {@link Resizing} and {@link CenterCrop}. */
  static final List<String> RESIZE_INTERPOLATIONS = List.of("bilinear", "nearest", "bicubic");
  /** Interpolations of the affine-transform layers (Keras's {@code _SUPPORTED_INTERPOLATION}). */
  static final List<String> AFFINE_INTERPOLATIONS = List.of("nearest", "bilinear");
  /** Fill modes of the affine-transform layers (Keras's {@code _SUPPORTED_FILL_MODE}). */
  static final List<String> FILL_MODES = List.of("reflect", "wrap", "constant", "nearest");

  private ImageTransforms() {}

  /** Checks that {@code value} is one of {@code allowed}, as Keras's messages say it. */
  static String oneOf(String layer, String argument, String value, List<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      throw new IllegalArgumentException(layer + ": unknown `" + argument + "` " + value + ". Expected one of "
          + allowed + ". Received: " + argument + "=" + value);
    }
    return value;
  }

  /**
   * A factor as Keras keeps it: the range {@code [lower, upper]} the draws come from, and whether it was given as one
   * number (then saved as that number) or as a pair (saved as a list).
   */
  record Factor(double lower, double upper, boolean scalar) {
    /** The saved form: the number as given, or {@code [lower, upper]}. */
    Object configValue() {
      return scalar ? (Object) upper : List.of(lower, upper);
    }
  }

  /**
   * Keras's factor conventions: a number {@code f} gives {@code [max(-|f|, minBound), |f|]}; a pair
   * {@code (a, b)} gives {@code [min(a, b), max(a, b)]}. {@code inRange} checks the number, or each end of the
   * pair; a failure is an IllegalArgumentException naming the layer, the argument and the range expected.
   *
   * @param values one number, or two
   */
  static Factor factor(String layer, String argument, double[] values, double minBound,
      java.util.function.DoublePredicate inRange, String expected) {
    if (values == null || values.length < 1 || values.length > 2 || !inRange.test(values[0])
        || !inRange.test(values[values.length - 1])) {
      throw new IllegalArgumentException(layer + ": the `" + argument + "` argument should be a number (or a list of "
          + "two numbers) in the range " + expected + ". Received: " + argument + "="
          + (values == null ? "null" : values.length == 1 ? Double.toString(values[0])
              : java.util.Arrays.toString(values)));
    }
    if (values.length == 1) {
      double a = Math.abs(values[0]);
      return new Factor(Math.max(-a, minBound), a, true);
    }
    return new Factor(Math.min(values[0], values[1]), Math.max(values[0], values[1]), false);
  }

  /**
   * A {@code valueRange} of two finite numbers; sorted when {@code sort} (RandomBrightness), else kept as given
   * (RandomContrast clips to it as given).
   */
  static double[] valueRange(String layer, double[] range, boolean sort) {
    if (range == null || range.length != 2 || !Double.isFinite(range[0]) || !Double.isFinite(range[1])) {
      throw new IllegalArgumentException(layer + ": the `value_range` argument should be a list of two numbers. "
          + "Received: value_range=" + (range == null ? "null" : java.util.Arrays.toString(range)));
    }
    return sort ? new double[] {Math.min(range[0], range[1]), Math.max(range[0], range[1])} : range.clone();
  }

  /**
   * {@code tf.image.resize(images, (height, width), method)} without antialiasing: TensorFlow's resize ops with
   * {@code half_pixel_centers=True, align_corners=False}, as Keras's TensorFlow backend.
   */
  static Operand<TFloat32> resize(Ops tf, Operand<TFloat32> images, int height, int width, String interpolation) {
    Operand<TInt32> size = tf.constant(new int[] {height, width});
    return switch (interpolation) {
      case "nearest" -> tf.image.resizeNearestNeighbor(images, size,
          ResizeNearestNeighbor.halfPixelCenters(true), ResizeNearestNeighbor.alignCorners(false));
      case "bicubic" -> tf.image.resizeBicubic(images, size, ResizeBicubic.halfPixelCenters(true),
          ResizeBicubic.alignCorners(false));
      default -> tf.image.resizeBilinear(images, size, ResizeBilinear.halfPixelCenters(true),
          ResizeBilinear.alignCorners(false));
    };
  }

  /**
   * The largest centred window of a {@code height x width} image with the aspect ratio of
   * {@code targetHeight x targetWidth}: {@code {top, left, cropHeight, cropWidth}}, computed as Keras's
   * {@code smart_resize} and {@code crop_to_aspect_ratio} do (float32 products truncated to ints).
   */
  static int[] aspectCrop(long height, long width, int targetHeight, int targetWidth) {
    int cropHeight = (int) ((float) (width * targetHeight) / targetWidth);
    cropHeight = (int) Math.max(Math.min(height, cropHeight), 1);
    int cropWidth = (int) ((float) (height * targetWidth) / targetHeight);
    cropWidth = (int) Math.max(Math.min(width, cropWidth), 1);
    int top = (int) ((float) (height - cropHeight) / 2);
    int left = (int) ((float) (width - cropWidth) / 2);
    return new int[] {top, left, cropHeight, cropWidth};
  }

  /** {@code images[:, top:top+h, left:left+w, :]}. */
  static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> images, int top, int left, int h, int w) {
    return tf.slice(images, tf.constant(new int[] {0, top, left, 0}), tf.constant(new int[] {-1, h, w, -1}));
  }

  /**
   * Keras's {@code affine_transform} on the TensorFlow backend: {@code ImageProjectiveTransformV3} maps each output
   * pixel {@code (x, y)} (column, row; pixel centres at integers) to the input point
   * {@code (a0 x + a1 y + a2, b0 x + b1 y + b2)} of its row of {@code transforms} {@code (batch, 8)}.
   * Its gradient is Python TensorFlow's, registered by the graph module's {@code ImageGradients}.
   */
  static Operand<TFloat32> affine(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transforms,
      String interpolation, String fillMode, float fillValue) {
    // A constant output size where the height and width are static keeps them in the output's static shape (which
    // Flatten after the layer needs); tf.shape's slice would leave them unknown.
    long h = images.shape().get(1);
    long w = images.shape().get(2);
    Operand<TInt32> size = h >= 0 && w >= 0 ? tf.constant(new int[] {(int) h, (int) w})
        : Shapes.dims(tf, images, 1, 2);
    return tf.image.imageProjectiveTransformV3(images, transforms, size, tf.constant(fillValue),
        interpolation.toUpperCase(Locale.ROOT), ImageProjectiveTransformV3.fillMode(fillMode.toUpperCase(Locale.ROOT)));
  }


  /** {@code [batch, trailing...]} as an int32 vector. */
  static Operand<TInt32> batchShape(Ops tf, Operand<TFloat32> images, int... trailing) {
    if (trailing.length == 0) {
      return Shapes.dims(tf, images, 0, 1);
    }
    return tf.concat(List.of(Shapes.dims(tf, images, 0, 1), tf.constant(trailing)), tf.constant(0));
  }

  /**
   * Uniform draws in {@code [low, high)} of {@code shape}, from a seeded op (the layer's seed and {@code opIndex}
   * give TensorFlow's seed pair, so seeded graphs repeat run to run; each run draws anew). Outside the gradient.
   */
  static Operand<TFloat32> uniform(Ops tf, Operand<TInt32> shape, double low, double high, long seed, int opIndex) {
    long[] opSeeds = Backend.opSeeds(seed, opIndex);
    Operand<TFloat32> u = tf.random.randomUniform(shape, TFloat32.class,
        RandomUniform.seed(opSeeds[0]).seed2(opSeeds[1]));
    Operand<TFloat32> scaled = tf.math.add(tf.math.mul(u, tf.constant((float) (high - low))), tf.constant((float) low));
    return tf.stopGradient(scaled);
  }
}
