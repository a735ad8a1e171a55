package io.github.keras4j.applications;

import io.github.keras4j.models.Model;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code keras.applications.vgg19}: the VGG19 architecture (Simonyan and Zisserman, ICLR 2015) and its input
 * preprocessing.
 *
 * <p>As {@link VGG16} with 2, 2, 4, 4, 4 convolutions in the five blocks ({@code block3_conv4} ...). Default input
 * 224 x 224 x 3, minimum 32 x 32; 143,667,240 parameters with the top.
 *
 * <pre>{@code
 * Model vgg = VGG19.vgg19(new ApplicationOptions().includeTop(false).inputShape(32, 32, 3));
 * }</pre>
 */
public final class VGG19 {

  private VGG19() {}

  /**
   * Instantiates VGG19, as {@code keras.applications.VGG19(...)}; model name {@code "vgg19"}. With
   * {@code weights("imagenet")} Keras's pretrained weights are downloaded into {@code ~/.keras4j/models} (once) and
   * loaded.
   *
   * @throws IllegalArgumentException as {@link VGG16#vgg16}
   * @throws java.io.UncheckedIOException when the ImageNet weights cannot be downloaded or read
   */
  public static Model vgg19(ApplicationOptions options) {
    return ImageNetUtils.toModel(VGG16.build("VGG19", "vgg19", new int[] {2, 2, 4, 4, 4}, options),
        VGG16.imagenetWeights("vgg19", options.includeTop()));
  }

  /**
   * Decodes ImageNet predictions, as {@code vgg19.decode_predictions}; see
   * {@link ImageNetUtils#decodePredictions(FloatNdArray, int)}.
   */
  public static List<List<ImageNetUtils.Prediction>> decodePredictions(FloatNdArray preds, int top) {
    return ImageNetUtils.decodePredictions(preds, top);
  }

  /** Preprocesses RGB pixels in [0, 255] for VGG19: Keras's {@code "caffe"} mode, as {@link VGG16#preprocessInput}. */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "caffe");
  }
}
