package io.github.keras4j.applications;

import static io.github.keras4j.applications.InceptionBlocks.avgPool;
import static io.github.keras4j.applications.InceptionBlocks.concat;
import static io.github.keras4j.applications.InceptionBlocks.maxPool;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.models.Model;
import java.util.List;

/**
 * Keras's {@code keras.applications.inception_v3}: Inception V3 (Szegedy et al., "Rethinking the Inception
 * Architecture for Computer Vision", CVPR 2016) and its input preprocessing.
 *
 * <p>The stem (five {@code conv2d_bn} units and two 3x3/2 max poolings), three 35 x 35 modules {@code mixed0} ...
 * {@code mixed2}, the grid reduction {@code mixed3}, four 17 x 17 modules of factorized 7x7 convolutions
 * {@code mixed4} ... {@code mixed7}, the reduction {@code mixed8} and two 8 x 8 modules {@code mixed9},
 * {@code mixed10} (with their inner {@code mixed9_0}, {@code mixed9_1}), then {@code avg_pool} and
 * {@code predictions}. Each {@code conv2d_bn} unit is a Conv2D without bias, a BatchNormalization without
 * {@code gamma} ({@code scale=False}) and a ReLU Activation; as in Keras they and the poolings keep their generated
 * names ({@code conv2d}, {@code batch_normalization}, {@code activation}, {@code conv2d_1}, ..., so call
 * {@code Backend.clearSession()} first to get Keras's exact names). Default input 299 x 299 x 3, minimum 75 x 75;
 * 23,851,784 parameters with the top.
 *
 * <pre>{@code
 * Model m = InceptionV3.inceptionV3(new ApplicationOptions().includeTop(false).inputShape(75, 75, 3)
 *     .pooling("avg"));                              // (None, 2048)
 * }</pre>
 */
public final class InceptionV3 {

  private InceptionV3() {}

  /**
   * Instantiates Inception V3, as {@code keras.applications.InceptionV3(...)}; model name {@code "inception_v3"}.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J yet), a weights path
   *     that does not exist, an input shape that is not 3 values or is smaller than 75 x 75, no static input shape,
   *     or a pooling other than null, "avg" or "max"
   */
  public static Model inceptionV3(ApplicationOptions options) {
    return graph(options).toModel();
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for Inception V3, as {@code inception_v3.preprocess_input}: Keras's
   * {@code "tf"} mode, {@code x / 127.5 - 1}; see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "tf");
  }

  /** The layer graph of Inception V3. */
  static LayerGraph graph(ApplicationOptions o) {
    ImageNetUtils.checkCommon("InceptionV3", o, false, false, false);
    InceptionBlocks.checkImageNetClasses(o,
        "If using `weights=\"imagenet\"` with `include_top=True`, `classes` should be 1000. ");
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), 299, 75, o.includeTop());
    KerasTensor input = ImageNetUtils.imageInput("InceptionV3", o, shape, 299);

    KerasTensor x = conv(input, 32, 3, 3, 2, "valid");
    x = conv(x, 32, 3, 3, 1, "valid");
    x = conv(x, 64, 3, 3, 1, "same");
    x = maxPool(x);
    x = conv(x, 80, 1, 1, 1, "valid");
    x = conv(x, 192, 3, 3, 1, "valid");
    x = maxPool(x);

    // mixed 0, 1, 2: 35 x 35 x 256, 288, 288
    for (int i = 0; i < 3; i++) {
      KerasTensor branch1x1 = conv(x, 64, 1, 1);
      KerasTensor branch5x5 = conv(x, 48, 1, 1);
      branch5x5 = conv(branch5x5, 64, 5, 5);
      KerasTensor branch3x3dbl = conv(x, 64, 1, 1);
      branch3x3dbl = conv(branch3x3dbl, 96, 3, 3);
      branch3x3dbl = conv(branch3x3dbl, 96, 3, 3);
      KerasTensor branchPool = conv(avgPool(x), i == 0 ? 32 : 64, 1, 1);
      x = concat("mixed" + i, List.of(branch1x1, branch5x5, branch3x3dbl, branchPool));
    }

    // mixed 3: 17 x 17 x 768
    KerasTensor branch3x3 = conv(x, 384, 3, 3, 2, "valid");
    KerasTensor branch3x3dbl = conv(x, 64, 1, 1);
    branch3x3dbl = conv(branch3x3dbl, 96, 3, 3);
    branch3x3dbl = conv(branch3x3dbl, 96, 3, 3, 2, "valid");
    x = concat("mixed3", List.of(branch3x3, branch3x3dbl, maxPool(x)));

    // mixed 4, 5, 6, 7: 17 x 17 x 768, with 128, 160, 160, 192 filters inside the 7x7 branches
    int[] widths = {128, 160, 160, 192};
    for (int i = 0; i < 4; i++) {
      int w = widths[i];
      KerasTensor branch1x1 = conv(x, 192, 1, 1);
      KerasTensor branch7x7 = conv(x, w, 1, 1);
      branch7x7 = conv(branch7x7, w, 1, 7);
      branch7x7 = conv(branch7x7, 192, 7, 1);
      KerasTensor branch7x7dbl = conv(x, w, 1, 1);
      branch7x7dbl = conv(branch7x7dbl, w, 7, 1);
      branch7x7dbl = conv(branch7x7dbl, w, 1, 7);
      branch7x7dbl = conv(branch7x7dbl, w, 7, 1);
      branch7x7dbl = conv(branch7x7dbl, 192, 1, 7);
      KerasTensor branchPool = conv(avgPool(x), 192, 1, 1);
      x = concat("mixed" + (4 + i), List.of(branch1x1, branch7x7, branch7x7dbl, branchPool));
    }

    // mixed 8: 8 x 8 x 1280
    branch3x3 = conv(x, 192, 1, 1);
    branch3x3 = conv(branch3x3, 320, 3, 3, 2, "valid");
    KerasTensor branch7x7x3 = conv(x, 192, 1, 1);
    branch7x7x3 = conv(branch7x7x3, 192, 1, 7);
    branch7x7x3 = conv(branch7x7x3, 192, 7, 1);
    branch7x7x3 = conv(branch7x7x3, 192, 3, 3, 2, "valid");
    x = concat("mixed8", List.of(branch3x3, branch7x7x3, maxPool(x)));

    // mixed 9, 10: 8 x 8 x 2048
    for (int i = 0; i < 2; i++) {
      KerasTensor branch1x1 = conv(x, 320, 1, 1);
      branch3x3 = conv(x, 384, 1, 1);
      KerasTensor branch3x3a = conv(branch3x3, 384, 1, 3);
      KerasTensor branch3x3b = conv(branch3x3, 384, 3, 1);
      branch3x3 = concat("mixed9_" + i, List.of(branch3x3a, branch3x3b));
      branch3x3dbl = conv(x, 448, 1, 1);
      branch3x3dbl = conv(branch3x3dbl, 384, 3, 3);
      KerasTensor branch3x3dblA = conv(branch3x3dbl, 384, 1, 3);
      KerasTensor branch3x3dblB = conv(branch3x3dbl, 384, 3, 1);
      branch3x3dbl = concat(null, List.of(branch3x3dblA, branch3x3dblB));
      KerasTensor branchPool = conv(avgPool(x), 192, 1, 1);
      x = concat("mixed" + (9 + i), List.of(branch1x1, branch3x3, branch3x3dbl, branchPool));
    }

    if (o.includeTop()) {
      x = ImageNetUtils.pool(x, "avg", "avg_pool", null);
      x = ImageNetUtils.classifier(x, o);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), null, null);
    }
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : "inception_v3", o);
  }

  /** Keras's {@code conv2d_bn} with "same" padding and stride 1. */
  private static KerasTensor conv(KerasTensor x, int filters, int rows, int cols) {
    return conv(x, filters, rows, cols, 1, "same");
  }

  /** Keras's {@code conv2d_bn(x, filters, num_row, num_col, padding, strides)}, unnamed as InceptionV3 uses it. */
  private static KerasTensor conv(KerasTensor x, int filters, int rows, int cols, int strides, String padding) {
    return InceptionBlocks.conv2dBn(x, filters, rows, cols, strides, padding, false, "relu", null, null, null);
  }
}
