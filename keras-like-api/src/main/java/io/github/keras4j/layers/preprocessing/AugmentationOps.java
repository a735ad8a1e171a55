package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.preprocessing.ImageTransforms.Factor;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The augmentations {@link RandAugment} and {@link AugMix} choose from, made as Keras 3 makes them from the policy's
 * {@code factor} {@code (lower, upper)}, {@code valueRange} and {@code interpolation}: {@link RandomShear} (both
 * factors), {@link RandomTranslation} (both factors), {@link RandomRotation}, {@link RandomBrightness},
 * {@link RandomColorDegeneration}, {@link RandomContrast}, {@link RandomSharpness} (each with the factor),
 * {@link RandomPosterization} ({@code max(1, int(8 * upper))} bits), {@link Solarization} (the factor as addition and
 * threshold factor), and the draw-free {@link AutoContrast} and {@link Equalization} (256 bins).
 *
 * <p>One set draws once per image for each of its random layers: {@link #draw} returns the draws of all of them,
 * flattened to {@code (batch, drawWidth())} in the order of the set, and {@link #choose} applies, per image, the
 * layer an index names with its own draws. The layers' seeds are consecutive from the seed given, their names the
 * policy's name with the key (and a slot) appended, so that making a policy does not move the generated names of
 * other layers.
 *
 * <p>A graph cannot branch per image, so {@link #choose} computes every layer of the set on the whole batch and keeps,
 * per image, the output its index names: one step costs about as much as all the layers together.
 */
final class AugmentationOps {

  /** The keys of the layers, Keras's attribute names. */
  static final String SHEAR = "random_shear";
  static final String TRANSLATION = "random_translation";
  static final String ROTATION = "random_rotation";
  static final String BRIGHTNESS = "random_brightness";
  static final String COLOR_DEGENERATION = "random_color_degeneration";
  static final String CONTRAST = "random_contrast";
  static final String SHARPNESS = "random_sharpness";
  static final String POSTERIZATION = "random_posterization";
  static final String SOLARIZATION = "solarization";
  static final String AUTO_CONTRAST = "auto_contrast";
  static final String EQUALIZATION = "equalization";

  /**
   * One layer of the set.
   *
   * @param key its Keras attribute name
   * @param layer the layer
   * @param width the number of draws per image its transformation holds (0: no draws)
   * @param offset the first column of its draws in {@link #draw}'s output
   */
  private record Op(String key, Layer layer, int width, int offset) {}

  private final List<Op> ops = new ArrayList<>();
  private final int drawWidth;

  /**
   * Makes the layers {@code keys} in that order.
   *
   * @param keys the layers, by the keys above
   * @param valueRange the images' value range {@code (low, high)}
   * @param factor the policy's factor range
   * @param interpolation of the geometric layers
   * @param seed the first layer's seed; the next ones count up from it
   * @param namePrefix the start of the layers' names
   * @param nameSuffix the end of the layers' names (empty, or {@code "_k"} for slot {@code k})
   */
  AugmentationOps(List<String> keys, double[] valueRange, Factor factor, String interpolation, long seed,
      String namePrefix, String nameSuffix) {
    int offset = 0;
    for (int k = 0; k < keys.size(); k++) {
      String key = keys.get(k);
      Layer layer = make(key, valueRange, factor.lower(), factor.upper(), interpolation, seed + k,
          namePrefix + "_" + key + nameSuffix);
      int width = switch (key) {
        case SHEAR, TRANSLATION, SOLARIZATION -> 2;
        case AUTO_CONTRAST, EQUALIZATION -> 0;
        default -> 1;
      };
      ops.add(new Op(key, layer, width, offset));
      offset += width;
    }
    this.drawWidth = offset;
  }

  private static Layer make(String key, double[] range, double lo, double hi, String interpolation, long seed,
      String name) {
    double a = range[0];
    double b = range[1];
    return switch (key) {
      case SHEAR -> RandomShear.builder().xFactor(lo, hi).yFactor(lo, hi).interpolation(interpolation).seed(seed)
          .name(name).build();
      case TRANSLATION -> RandomTranslation.builder(0, 0).heightFactor(lo, hi).widthFactor(lo, hi)
          .interpolation(interpolation).seed(seed).name(name).build();
      case ROTATION -> RandomRotation.builder(lo, hi).interpolation(interpolation).seed(seed).name(name).build();
      case BRIGHTNESS -> RandomBrightness.builder(lo, hi).valueRange(a, b).seed(seed).name(name).build();
      case COLOR_DEGENERATION -> RandomColorDegeneration.builder(lo, hi).valueRange(a, b).seed(seed).name(name)
          .build();
      case CONTRAST -> RandomContrast.builder(lo, hi).valueRange(a, b).seed(seed).name(name).build();
      case SHARPNESS -> RandomSharpness.builder(lo, hi).valueRange(a, b).seed(seed).name(name).build();
      case POSTERIZATION -> RandomPosterization.builder(Math.max(1, (int) (8 * hi))).valueRange(a, b).seed(seed)
          .name(name).build();
      case SOLARIZATION -> Solarization.builder().additionFactor(lo, hi).thresholdFactor(lo, hi).valueRange(a, b)
          .seed(seed).name(name).build();
      case AUTO_CONTRAST -> new AutoContrast(a, b, name);
      case EQUALIZATION -> new Equalization(a, b, 256, name);
      default -> throw new IllegalArgumentException("unknown augmentation " + key);
    };
  }

  /**
   * A policy's {@code value_range}: two finite numbers, increasing (the augmentations divide by its width).
   */
  static double[] valueRange(String layer, double[] range) {
    double[] r = ImageTransforms.valueRange(layer, range, false);
    if (!(r[0] < r[1])) {
      throw new IllegalArgumentException(layer + ": the `value_range` argument should be two increasing numbers "
          + "(low, high). Received: value_range=" + java.util.Arrays.toString(range));
    }
    return r;
  }

  /** A policy's {@code factor}, Keras's bounds {@code [0, 1]}: a number {@code f} gives {@code (0, f)}. */
  static Factor factor(String layer, double[] values) {
    return ImageTransforms.factor(layer, "factor", values, 0, v -> v >= 0 && v <= 1, "[0, 1]");
  }

  /**
   * {@code (batch, count)} whole numbers drawn uniformly from {@code 0 .. n - 1} (as floats), independently per
   * image and column, from the seeded uniform op {@code opIndex} ({@code floor} of a draw in {@code [0, n)}; a float32
   * draw that rounds up to {@code n} is taken as {@code n - 1}). Outside the gradient.
   */
  static Operand<TFloat32> indices(Ops tf, Operand<TFloat32> images, int count, int n, long seed, int opIndex) {
    Operand<TFloat32> u = ImageTransforms.uniform(tf, ImageTransforms.batchShape(tf, images, count), 0, n, seed,
        opIndex);
    return tf.math.minimum(tf.math.floor(u), tf.constant((float) (n - 1)));
  }

  /** The number of layers. */
  int size() {
    return ops.size();
  }

  /** The number of draws per image of {@link #draw}. */
  int drawWidth() {
    return drawWidth;
  }

  /** Checks {@code inputShape} against every layer (channel counts), as their own {@code computeOutputShape}. */
  void checkInputShape(Shape inputShape) {
    for (Op op : ops) {
      op.layer().computeOutputShape(inputShape);
    }
  }

  /** Every random layer's transformation for {@code images}, flattened: {@code (batch, drawWidth())}. */
  Operand<TFloat32> draw(Ops tf, Operand<TFloat32> images) {
    List<Operand<TFloat32>> draws = new ArrayList<>();
    for (Op op : ops) {
      if (op.width() > 0) {
        Operand<TFloat32> t = ((BaseImagePreprocessingLayer) op.layer()).getRandomTransformation(tf, images);
        long perImage = t.shape().isUnknown() ? -1 : 1;
        for (int d = 1; d < t.shape().numDimensions(); d++) {
          long n = t.shape().get(d);
          perImage = n < 0 || perImage < 0 ? -1 : perImage * n;
        }
        if (perImage >= 0 && perImage != op.width()) {
          throw new IllegalStateException(op.key() + ": a transformation of shape " + t.shape() + ", expected "
              + op.width() + " values per image");
        }
        draws.add(tf.reshape(t, tf.constant(new int[] {-1, op.width()})));
      }
    }
    return tf.concat(draws, tf.constant(1));
  }

  /**
   * Per image, the layer {@code index} names applied to {@code images} with its draws; an index outside
   * {@code [0, size())} keeps the image (AugMix's "no operation").
   *
   * @param index {@code (batch, 1)}: whole numbers, as floats
   * @param draws a transformation holding {@link #draw}'s columns from column {@code offset} on
   */
  Operand<TFloat32> choose(Ops tf, Operand<TFloat32> images, Operand<TFloat32> index, Operand<TFloat32> draws,
      int offset) {
    Operand<TFloat32> perImage = tf.reshape(index, tf.constant(new int[] {-1, 1, 1, 1}));
    Operand<TFloat32> out = images;
    for (int k = 0; k < ops.size(); k++) {
      Operand<TFloat32> applied = apply(tf, ops.get(k), images, draws, offset);
      out = tf.select(tf.math.equal(perImage, tf.constant((float) k)), applied, out);
    }
    return out;
  }

  private static Operand<TFloat32> apply(Ops tf, Op op, Operand<TFloat32> images, Operand<TFloat32> draws,
      int offset) {
    if (op.layer() instanceof AutoContrast a) {
      return a.call(tf, images, true);
    }
    if (op.layer() instanceof Equalization e) {
      return e.call(tf, images, true);
    }
    Operand<TFloat32> columns = tf.slice(draws, tf.constant(new int[] {0, offset + op.offset()}),
        tf.constant(new int[] {-1, op.width()}));
    int[] shape = op.layer() instanceof BaseAffineTransformLayer ? new int[] {-1, op.width()}
        : new int[] {-1, 1, 1, op.width()};
    BaseImagePreprocessingLayer layer = (BaseImagePreprocessingLayer) op.layer();
    return layer.transformImages(tf, images, tf.reshape(columns, tf.constant(shape)));
  }
}
