package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The reference for the RandAugment and AugMix tests: one step of a policy rebuilt from standalone layers, made in
 * the test the way Keras 3's rand_augment.py and aug_mix.py make theirs, each fed the draws the policy's
 * transformation holds (in the column layout its class comment documents), and the per-image choice done in plain
 * Java: image {@code n} takes the output of the layer its index names, or stays as it is for an index past the last
 * (AugMix's "nothing").
 */
final class PolicyReference {

  private final List<String> keys;
  private final double lo;
  private final double hi;
  private final double[] range;
  private final String interpolation;

  /**
   * @param keys the policy's layers in its order
   * @param factor the policy's factor {@code (lower, upper)}
   * @param range the value range
   */
  PolicyReference(List<String> keys, double[] factor, double[] range, String interpolation) {
    this.keys = keys;
    this.lo = factor[0];
    this.hi = factor[1];
    this.range = range;
    this.interpolation = interpolation;
  }

  /** The number of draws per image of the layers, in order: the widths the class comments document. */
  int[] widths() {
    int[] w = new int[keys.size()];
    for (int k = 0; k < w.length; k++) {
      w[k] = switch (keys.get(k)) {
        case "random_shear", "random_translation", "solarization" -> 2;
        case "auto_contrast", "equalization" -> 0;
        default -> 1;
      };
    }
    return w;
  }

  /** The sum of {@link #widths()}. */
  int drawWidth() {
    int s = 0;
    for (int w : widths()) {
      s += w;
    }
    return s;
  }

  /**
   * One step on the batch {@code x}: image {@code n} becomes layer {@code index[n]} of the whole batch (its draws
   * read from row {@code n} of {@code t}, a {@code (batch, columns)} transformation, from column {@code firstDraw} on).
   */
  Images step(Images x, int[] index, float[] t, int firstDraw) {
    int[] widths = widths();
    int rowLength = t.length / x.b();
    List<float[]> outputs = new ArrayList<>();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> xs = tf.constant(Shape.of(x.b(), x.h(), x.w(), x.c()), DataBuffers.of(x.data(), true, false));
      List<Operand<TFloat32>> ys = new ArrayList<>();
      int offset = firstDraw;
      for (int k = 0; k < keys.size(); k++) {
        float[] cols = new float[x.b() * widths[k]];
        for (int n = 0; n < x.b(); n++) {
          for (int j = 0; j < widths[k]; j++) {
            cols[n * widths[k] + j] = t[n * rowLength + offset + j];
          }
        }
        ys.add(apply(tf, keys.get(k), xs, cols, x.b(), widths[k]));
        offset += widths[k];
      }
      Session.Runner r = s.runner();
      ys.forEach(r::fetch);
      try (Result res = r.run()) {
        for (int k = 0; k < ys.size(); k++) {
          outputs.add(ImageReference.floats((TFloat32) res.get(k)));
        }
      }
    }
    int size = x.h() * x.w() * x.c();
    float[] out = x.data().clone();
    for (int n = 0; n < x.b(); n++) {
      if (index[n] < keys.size()) {
        System.arraycopy(outputs.get(index[n]), n * size, out, n * size, size);
      }
    }
    return new Images(out, x.b(), x.h(), x.w(), x.c());
  }

  private Operand<TFloat32> apply(Ops tf, String key, Operand<TFloat32> x, float[] cols, int b, int width) {
    double a = range[0];
    double z = range[1];
    Shape affine = Shape.of(b, width);
    Shape color = Shape.of(b, 1, 1, width);
    return switch (key) {
      case "random_shear" -> RandomShear.builder().xFactor(lo, hi).yFactor(lo, hi).interpolation(interpolation)
          .build().transformImages(tf, x, tf.constant(affine, DataBuffers.of(cols, true, false)));
      case "random_translation" -> RandomTranslation.builder(0, 0).heightFactor(lo, hi).widthFactor(lo, hi)
          .interpolation(interpolation).build()
          .transformImages(tf, x, tf.constant(affine, DataBuffers.of(cols, true, false)));
      case "random_rotation" -> RandomRotation.builder(lo, hi).interpolation(interpolation).build()
          .transformImages(tf, x, tf.constant(affine, DataBuffers.of(cols, true, false)));
      case "random_brightness" -> RandomBrightness.builder(lo, hi).valueRange(a, z).build()
          .transformImages(tf, x, tf.constant(color, DataBuffers.of(cols, true, false)));
      case "random_color_degeneration" -> RandomColorDegeneration.builder(lo, hi).valueRange(a, z).build()
          .transformImages(tf, x, tf.constant(color, DataBuffers.of(cols, true, false)));
      case "random_contrast" -> RandomContrast.builder(lo, hi).valueRange(a, z).build()
          .transformImages(tf, x, tf.constant(color, DataBuffers.of(cols, true, false)));
      case "random_sharpness" -> RandomSharpness.builder(lo, hi).valueRange(a, z).build()
          .transformImages(tf, x, tf.constant(color, DataBuffers.of(cols, true, false)));
      // Keras: RandomPosterization(factor=max(1, int(8 * factor[1]))).
      case "random_posterization" -> RandomPosterization.builder(Math.max(1, (int) (8 * hi))).valueRange(a, z)
          .build().transformImages(tf, x, tf.constant(color, DataBuffers.of(cols, true, false)));
      case "solarization" -> Solarization.builder().additionFactor(lo, hi).thresholdFactor(lo, hi).valueRange(a, z)
          .build().transformImages(tf, x, tf.constant(color, DataBuffers.of(cols, true, false)));
      case "auto_contrast" -> new AutoContrast(a, z, null).call(tf, x, true);
      case "equalization" -> new Equalization(a, z, 256, null).call(tf, x, true);
      default -> throw new IllegalArgumentException(key);
    };
  }
}
