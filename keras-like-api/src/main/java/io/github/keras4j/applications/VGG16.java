package io.github.keras4j.applications;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.pooling.MaxPooling2D;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.models.Model;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code keras.applications.vgg16}: the VGG16 architecture (Simonyan and Zisserman, "Very Deep
 * Convolutional Networks for Large-Scale Image Recognition", ICLR 2015) and its input preprocessing.
 *
 * <p>Five blocks of 3x3 "same" ReLU convolutions ({@code block1_conv1} ... {@code block5_conv3}: 2, 2, 3, 3, 3
 * convolutions of 64, 128, 256, 512, 512 filters), each followed by a 2x2 max pooling ({@code block1_pool} ...),
 * then with {@code includeTop} {@code flatten}, {@code fc1} and {@code fc2} (Dense 4096, ReLU) and
 * {@code predictions}. Default input 224 x 224 x 3, minimum 32 x 32; 138,357,544 parameters with the top.
 *
 * <pre>{@code
 * try (Model vgg = VGG16.vgg16(new ApplicationOptions().includeTop(false).inputShape(64, 64, 3).pooling("max"))) {
 *   // (None, 512) features
 * }
 * }</pre>
 */
public final class VGG16 {

  private VGG16() {}

  /**
   * Instantiates VGG16, as {@code keras.applications.VGG16(...)}; model name {@code "vgg16"}. With
   * {@code weights("imagenet")} Keras's pretrained weights are downloaded into {@code ~/.keras4j/models} (once) and
   * loaded.
   *
   * @throws IllegalArgumentException for a weights path that does not exist, an input shape that is not 3 values or
   *     is smaller than 32 x 32, an unknown size with {@code includeTop}, a pooling other than null, "avg" or "max",
   *     or with ImageNet weights and the top, classes other than 1000 or an input shape other than (224, 224, 3)
   * @throws java.io.UncheckedIOException when the ImageNet weights cannot be downloaded or read
   */
  public static Model vgg16(ApplicationOptions options) {
    return ImageNetUtils.toModel(build("VGG16", "vgg16", new int[] {2, 2, 3, 3, 3}, options),
        imagenetWeights("vgg16", options.includeTop()));
  }

  /**
   * Decodes ImageNet predictions, as {@code vgg16.decode_predictions}; see
   * {@link ImageNetUtils#decodePredictions(FloatNdArray, int)}.
   */
  public static List<List<ImageNetUtils.Prediction>> decodePredictions(FloatNdArray preds, int top) {
    return ImageNetUtils.decodePredictions(preds, top);
  }

  /**
   * Keras's pretrained weights file of {@code "vgg16"} or {@code "vgg19"}: {@code WEIGHTS_PATH} or
   * {@code WEIGHTS_PATH_NO_TOP} and its hash.
   */
  static ImageNetUtils.ImageNetWeights imagenetWeights(String kerasName, boolean includeTop) {
    String file = kerasName + "_weights_tf_dim_ordering_tf_kernels" + (includeTop ? "" : "_notop") + ".h5";
    String hash = switch (kerasName) {
      case "vgg16" -> includeTop ? "64373286793e3c8b2b4e3219cbf3544b" : "6d6bbae143d832006294945121d1f1fc";
      case "vgg19" -> includeTop ? "cbe5617147190e668d6c5d5026f83318" : "253f8cb515780f3b799900260a226db6";
      default -> throw new IllegalArgumentException("Unknown VGG: " + kerasName);
    };
    return new ImageNetUtils.ImageNetWeights(file, ImageNetUtils.WEIGHTS_BASE + kerasName + "/" + file, hash);
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for VGG16, as {@code vgg16.preprocess_input}: Keras's {@code "caffe"} mode
   * (RGB to BGR, minus the ImageNet channel means); see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "caffe");
  }

  /** The VGG graph with {@code convs[b]} convolutions in block {@code b + 1}; shared with {@link VGG19}. */
  static LayerGraph build(String architecture, String defaultName, int[] convs, ApplicationOptions o) {
    ImageNetUtils.checkCommon(architecture, o, false, false, false);
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), 224, 32, o.includeTop(), o.weights());
    KerasTensor input = ImageNetUtils.imageInput(architecture, o, shape, 224);
    int[] filters = {64, 128, 256, 512, 512};
    KerasTensor x = input;
    for (int b = 0; b < convs.length; b++) {
      for (int c = 1; c <= convs[b]; c++) {
        x = Conv2D.builder(filters[b], 3).activation("relu").padding("same")
            .name("block" + (b + 1) + "_conv" + c).build().apply(x);
      }
      x = new MaxPooling2D(new int[] {2}, new int[] {2}, "valid", "block" + (b + 1) + "_pool").apply(x);
    }
    if (o.includeTop()) {
      x = new Flatten("flatten").apply(x);
      x = Dense.builder(4096).activation("relu").name("fc1").build().apply(x);
      x = Dense.builder(4096).activation("relu").name("fc2").build().apply(x);
      x = ImageNetUtils.classifier(x, o);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), null, null);
    }
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : defaultName, o);
  }
}
