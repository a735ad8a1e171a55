package io.github.keras4j.applications;

import static io.github.keras4j.applications.Blocks.RESNET_EPSILON;
import static io.github.keras4j.applications.Blocks.act;
import static io.github.keras4j.applications.Blocks.bn;
import static io.github.keras4j.applications.Blocks.conv;
import static io.github.keras4j.applications.Blocks.pad;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.pooling.MaxPooling2D;
import io.github.keras4j.models.Model;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code keras.applications.resnet_v2}: ResNet50V2, ResNet101V2 and ResNet152V2 (He et al., "Identity
 * Mappings in Deep Residual Networks", ECCV 2016) and their input preprocessing.
 *
 * <p>Pre-activation blocks ({@code conv2_block1_preact_bn}, {@code _preact_relu}, {@code _1_conv} without bias,
 * {@code _2_pad}, {@code _2_conv} 3x3 carrying the stack's stride in its last block, {@code _3_conv},
 * {@code _out}), the stem of {@link ResNet} without its BatchNormalization, and {@code post_bn}/{@code post_relu}
 * before the top. Blocks per stack as {@link ResNet}. Default input 224 x 224 x 3, minimum 32 x 32.
 *
 * <pre>{@code
 * Model m = ResNetV2.resNet50V2(new ApplicationOptions().includeTop(false).inputShape(64, 64, 3).pooling("avg"));
 * }</pre>
 */
public final class ResNetV2 {

  private ResNetV2() {}

  /**
   * Instantiates ResNet50V2, as {@code keras.applications.ResNet50V2(...)}; model name {@code "resnet50v2"}. With
   * {@code weights("imagenet")} Keras's pretrained weights are downloaded into {@code ~/.keras4j/models} (once) and
   * loaded.
   *
   * @throws IllegalArgumentException as {@link ResNet#resNet50}
   * @throws java.io.UncheckedIOException when the ImageNet weights cannot be downloaded or read
   */
  public static Model resNet50V2(ApplicationOptions options) {
    return model("resnet50v2", options);
  }

  /**
   * Instantiates ResNet101V2, as {@code keras.applications.ResNet101V2(...)}; weights and errors as
   * {@link #resNet50V2}.
   */
  public static Model resNet101V2(ApplicationOptions options) {
    return model("resnet101v2", options);
  }

  /**
   * Instantiates ResNet152V2, as {@code keras.applications.ResNet152V2(...)}; weights and errors as
   * {@link #resNet50V2}.
   */
  public static Model resNet152V2(ApplicationOptions options) {
    return model("resnet152v2", options);
  }

  /**
   * Decodes ImageNet predictions, as {@code resnet_v2.decode_predictions}; see
   * {@link ImageNetUtils#decodePredictions(FloatNdArray, int)}.
   */
  public static List<List<ImageNetUtils.Prediction>> decodePredictions(FloatNdArray preds, int top) {
    return ImageNetUtils.decodePredictions(preds, top);
  }

  private static Model model(String kerasName, ApplicationOptions options) {
    return ImageNetUtils.toModel(graph(kerasName, options), ResNet.imagenetWeights(kerasName, options.includeTop()));
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for ResNetV2, as {@code resnet_v2.preprocess_input}: Keras's {@code "tf"}
   * mode, {@code x / 127.5 - 1}; see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "tf");
  }

  /** The layer graph of {@code "resnet50v2"}, {@code "resnet101v2"} or {@code "resnet152v2"}. */
  static LayerGraph graph(String kerasName, ApplicationOptions o) {
    return switch (kerasName) {
      case "resnet50v2" -> v2("ResNet50V2", kerasName, new int[] {3, 4, 6, 3}, o);
      case "resnet101v2" -> v2("ResNet101V2", kerasName, new int[] {3, 4, 23, 3}, o);
      case "resnet152v2" -> v2("ResNet152V2", kerasName, new int[] {3, 8, 36, 3}, o);
      default -> throw new IllegalArgumentException("Unknown ResNetV2: " + kerasName);
    };
  }

  private static LayerGraph v2(String architecture, String defaultName, int[] blocks, ApplicationOptions o) {
    return ResNet.build(architecture, defaultName, true, true, x -> {
      x = stackV2(x, 64, blocks[0], 2, "conv2");
      x = stackV2(x, 128, blocks[1], 2, "conv3");
      x = stackV2(x, 256, blocks[2], 2, "conv4");
      return stackV2(x, 512, blocks[3], 1, "conv5");
    }, o);
  }

  /**
   * Keras's {@code stack_residual_blocks_v2}: a projection block, identity blocks, and a last block with stride
   * {@code stride1}.
   */
  static KerasTensor stackV2(KerasTensor x, int filters, int blocks, int stride1, String name) {
    x = blockV2(x, filters, 1, true, name + "_block1");
    for (int i = 2; i < blocks; i++) {
      x = blockV2(x, filters, 1, false, name + "_block" + i);
    }
    return blockV2(x, filters, stride1, false, name + "_block" + blocks);
  }

  /** Keras's {@code residual_block_v2}: pre-activation, then 1x1, 3x3 (strided), 1x1 convolutions. */
  static KerasTensor blockV2(KerasTensor x, int filters, int stride, boolean convShortcut, String name) {
    KerasTensor preact = bn(x, RESNET_EPSILON, name + "_preact_bn");
    preact = act(preact, "relu", name + "_preact_relu");
    KerasTensor shortcut;
    if (convShortcut) {
      shortcut = conv(preact, 4 * filters, 1, stride, "valid", true, name + "_0_conv");
    } else {
      shortcut = stride > 1 ? new MaxPooling2D(new int[] {1}, new int[] {stride}, "valid", null).apply(x) : x;
    }
    KerasTensor y = conv(preact, filters, 1, 1, "valid", false, name + "_1_conv");
    y = bn(y, RESNET_EPSILON, name + "_1_bn");
    y = act(y, "relu", name + "_1_relu");
    y = pad(y, 1, 1, 1, 1, name + "_2_pad");
    y = conv(y, filters, 3, stride, "valid", false, name + "_2_conv");
    y = bn(y, RESNET_EPSILON, name + "_2_bn");
    y = act(y, "relu", name + "_2_relu");
    y = conv(y, 4 * filters, 1, 1, "valid", true, name + "_3_conv");
    return new Add(name + "_out").apply(List.of(shortcut, y));
  }
}
