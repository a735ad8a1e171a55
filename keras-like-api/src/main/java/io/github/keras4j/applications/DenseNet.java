package io.github.keras4j.applications;

import static io.github.keras4j.applications.Blocks.RESNET_EPSILON;
import static io.github.keras4j.applications.Blocks.act;
import static io.github.keras4j.applications.Blocks.bn;
import static io.github.keras4j.applications.Blocks.conv;
import static io.github.keras4j.applications.Blocks.pad;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.layers.pooling.AveragePooling2D;
import io.github.keras4j.layers.pooling.MaxPooling2D;
import io.github.keras4j.models.Model;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code keras.applications.densenet}: DenseNet121, DenseNet169 and DenseNet201 (Huang et al., "Densely
 * Connected Convolutional Networks", CVPR 2017) and their input preprocessing.
 *
 * <p>The stem (zero padding, {@code conv1_conv} 7x7/2 without bias, {@code conv1_bn}, {@code conv1_relu}, zero
 * padding, {@code pool1} 3x3/2), four dense blocks {@code conv2} ... {@code conv5} of conv blocks
 * ({@code conv2_block1_0_bn}, {@code _0_relu}, {@code _1_conv} 1x1 of 128, {@code _1_bn}, {@code _1_relu},
 * {@code _2_conv} 3x3 of 32, {@code _concat}) separated by transitions {@code pool2} ... {@code pool4}
 * ({@code _bn}, {@code _relu}, {@code _conv} halving the channels, {@code _pool} 2x2 average), then {@code bn},
 * {@code relu}, {@code avg_pool} and {@code predictions}. Conv blocks per dense block: 6, 12, 24, 16
 * (DenseNet121); 6, 12, 32, 32 (DenseNet169); 6, 12, 48, 32 (DenseNet201). BatchNormalization epsilon 1.001e-5.
 * Default input 224 x 224 x 3, minimum 32 x 32.
 *
 * <pre>{@code
 * try (Model m = DenseNet.denseNet121(new ApplicationOptions())) {
 *   m.countParams();                                 // 8,062,504
 * }
 * }</pre>
 */
public final class DenseNet {

  private DenseNet() {}

  /**
   * Instantiates DenseNet121, as {@code keras.applications.DenseNet121(...)}; model name {@code "densenet121"}. With
   * {@code weights("imagenet")} Keras's pretrained weights are downloaded into {@code ~/.keras4j/models} (once) and
   * loaded.
   *
   * @throws IllegalArgumentException for a weights path that does not exist, an input shape that is not 3 values or
   *     is smaller than 32 x 32, an unknown size with {@code includeTop}, a pooling other than null, "avg" or "max",
   *     or with ImageNet weights and the top, classes other than 1000 or an input shape other than (224, 224, 3)
   * @throws java.io.UncheckedIOException when the ImageNet weights cannot be downloaded or read
   */
  public static Model denseNet121(ApplicationOptions options) {
    return model("densenet121", options);
  }

  /**
   * Instantiates DenseNet169, as {@code keras.applications.DenseNet169(...)}; weights and errors as
   * {@link #denseNet121}.
   */
  public static Model denseNet169(ApplicationOptions options) {
    return model("densenet169", options);
  }

  /**
   * Instantiates DenseNet201, as {@code keras.applications.DenseNet201(...)}; weights and errors as
   * {@link #denseNet121}.
   */
  public static Model denseNet201(ApplicationOptions options) {
    return model("densenet201", options);
  }

  /**
   * Decodes ImageNet predictions, as {@code densenet.decode_predictions}; see
   * {@link ImageNetUtils#decodePredictions(FloatNdArray, int)}.
   */
  public static List<List<ImageNetUtils.Prediction>> decodePredictions(FloatNdArray preds, int top) {
    return ImageNetUtils.decodePredictions(preds, top);
  }

  private static Model model(String kerasName, ApplicationOptions options) {
    return ImageNetUtils.toModel(graph(kerasName, options), imagenetWeights(kerasName, options.includeTop()));
  }

  /** Keras's pretrained weights file of {@code "densenet121"}, {@code "densenet169"} or {@code "densenet201"}. */
  static ImageNetUtils.ImageNetWeights imagenetWeights(String kerasName, boolean includeTop) {
    String[] hashes = switch (kerasName) {
      case "densenet121" -> new String[] {"9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"};
      case "densenet169" -> new String[] {"d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"};
      case "densenet201" -> new String[] {"1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"};
      default -> throw new IllegalArgumentException("Unknown DenseNet: " + kerasName);
    };
    String file = kerasName + "_weights_tf_dim_ordering_tf_kernels" + (includeTop ? "" : "_notop") + ".h5";
    return new ImageNetUtils.ImageNetWeights(file, ImageNetUtils.WEIGHTS_BASE + "densenet/" + file,
        hashes[includeTop ? 0 : 1]);
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for DenseNet, as {@code densenet.preprocess_input}: Keras's {@code "torch"}
   * mode, {@code (x / 255 - mean) / std} per channel; see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "torch");
  }

  /** The layer graph of {@code "densenet121"}, {@code "densenet169"} or {@code "densenet201"}. */
  static LayerGraph graph(String kerasName, ApplicationOptions o) {
    return switch (kerasName) {
      case "densenet121" -> build("DenseNet121", kerasName, new int[] {6, 12, 24, 16}, o);
      case "densenet169" -> build("DenseNet169", kerasName, new int[] {6, 12, 32, 32}, o);
      case "densenet201" -> build("DenseNet201", kerasName, new int[] {6, 12, 48, 32}, o);
      default -> throw new IllegalArgumentException("Unknown DenseNet: " + kerasName);
    };
  }

  private static LayerGraph build(String architecture, String defaultName, int[] blocks, ApplicationOptions o) {
    ImageNetUtils.checkCommon(architecture, o, false, false, false);
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), 224, 32, o.includeTop(), o.weights());
    KerasTensor input = ImageNetUtils.imageInput(architecture, o, shape, 224);
    KerasTensor x = pad(input, 3, 3, 3, 3, null);
    x = conv(x, 64, 7, 2, "valid", false, "conv1_conv");
    x = bn(x, RESNET_EPSILON, "conv1_bn");
    x = act(x, "relu", "conv1_relu");
    x = pad(x, 1, 1, 1, 1, null);
    x = new MaxPooling2D(new int[] {3}, new int[] {2}, "valid", "pool1").apply(x);
    for (int b = 0; b < 4; b++) {
      x = denseBlock(x, blocks[b], "conv" + (b + 2));
      if (b < 3) {
        x = transitionBlock(x, 0.5, "pool" + (b + 2));
      }
    }
    x = bn(x, RESNET_EPSILON, "bn");
    x = act(x, "relu", "relu");
    if (o.includeTop()) {
      x = ImageNetUtils.pool(x, "avg", "avg_pool", null);
      x = ImageNetUtils.classifier(x, o);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), "avg_pool", "max_pool");
    }
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : defaultName, o);
  }

  /** Keras's {@code dense_block}: {@code blocks} conv blocks of growth rate 32. */
  private static KerasTensor denseBlock(KerasTensor x, int blocks, String name) {
    for (int i = 0; i < blocks; i++) {
      x = convBlock(x, 32, name + "_block" + (i + 1));
    }
    return x;
  }

  /** Keras's {@code transition_block}: BN, ReLU, a 1x1 convolution to {@code reduction} of the channels, 2x2 pool. */
  private static KerasTensor transitionBlock(KerasTensor x, double reduction, String name) {
    x = bn(x, RESNET_EPSILON, name + "_bn");
    x = act(x, "relu", name + "_relu");
    x = conv(x, (int) (Blocks.channels(x) * reduction), 1, 1, "valid", false, name + "_conv");
    return new AveragePooling2D(new int[] {2}, new int[] {2}, "valid", name + "_pool").apply(x);
  }

  /** Keras's {@code conv_block}: BN, ReLU, 1x1 conv (4 x growth), BN, ReLU, 3x3 conv (growth), concatenated on. */
  private static KerasTensor convBlock(KerasTensor x, int growthRate, String name) {
    KerasTensor x1 = bn(x, RESNET_EPSILON, name + "_0_bn");
    x1 = act(x1, "relu", name + "_0_relu");
    x1 = conv(x1, 4 * growthRate, 1, 1, "valid", false, name + "_1_conv");
    x1 = bn(x1, RESNET_EPSILON, name + "_1_bn");
    x1 = act(x1, "relu", name + "_1_relu");
    x1 = conv(x1, growthRate, 3, 1, "same", false, name + "_2_conv");
    return new Concatenate(3, name + "_concat").apply(List.of(x, x1));
  }
}
