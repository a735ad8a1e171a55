package io.github.keras4j.applications;

import static io.github.keras4j.applications.InceptionBlocks.avgPool;
import static io.github.keras4j.applications.InceptionBlocks.concat;
import static io.github.keras4j.applications.InceptionBlocks.maxPool;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Activation;
import io.github.keras4j.models.Model;
import java.util.List;

/**
 * Keras's {@code keras.applications.inception_resnet_v2}: Inception-ResNet v2 (Szegedy et al., "Inception-v4,
 * Inception-ResNet and the Impact of Residual Connections on Learning", AAAI 2017) and its input preprocessing.
 *
 * <p>The stem (five {@code conv2d_bn} units, two 3x3/2 max poolings), the Inception-A module {@code mixed_5b}, ten
 * Inception-ResNet-A blocks {@code block35_1} ... {@code block35_10} (residual scale 0.17), the reduction
 * {@code mixed_6a}, twenty Inception-ResNet-B blocks {@code block17_1} ... {@code block17_20} (scale 0.1), the
 * reduction {@code mixed_7a}, ten Inception-ResNet-C blocks {@code block8_1} ... {@code block8_10} (scale 0.2; the
 * last one with scale 1 and no activation), the 1536-filter {@code conv_7b} ({@code conv_7b_bn},
 * {@code conv_7b_ac}), then {@code avg_pool} and {@code predictions}. Each block concatenates its branches
 * ({@code block35_1_mixed}), projects them back to the input's width with a biased 1x1 convolution
 * ({@code block35_1_conv}), adds them scaled to the input (Keras's {@code CustomScaleLayer}, generated names
 * {@code custom_scale_layer}, ...) and applies a ReLU ({@code block35_1_ac}). The branch units (a Conv2D without
 * bias, a BatchNormalization without {@code gamma}, a ReLU) keep Keras's generated names ({@code conv2d},
 * {@code batch_normalization}, {@code activation}, ...; call {@code Backend.clearSession()} first to get Keras's
 * exact names). Default input 299 x 299 x 3, minimum 75 x 75; 55,873,736 parameters with the top.
 *
 * <pre>{@code
 * Model m = InceptionResNetV2.inceptionResNetV2(new ApplicationOptions().includeTop(false).inputShape(75, 75, 3)
 *     .pooling("max"));                              // (None, 1536)
 * }</pre>
 */
public final class InceptionResNetV2 {

  private InceptionResNetV2() {}

  /**
   * Instantiates Inception-ResNet v2, as {@code keras.applications.InceptionResNetV2(...)}; model name
   * {@code "inception_resnet_v2"}.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J yet), a weights path
   *     that does not exist, an input shape that is not 3 values or is smaller than 75 x 75, no static input shape,
   *     or a pooling other than null, "avg" or "max"
   */
  public static Model inceptionResNetV2(ApplicationOptions options) {
    return graph(options).toModel();
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for Inception-ResNet v2, as {@code inception_resnet_v2.preprocess_input}:
   * Keras's {@code "tf"} mode, {@code x / 127.5 - 1}; see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "tf");
  }

  /** The layer graph of Inception-ResNet v2. */
  static LayerGraph graph(ApplicationOptions o) {
    ImageNetUtils.checkCommon("InceptionResNetV2", o, false, false, false);
    InceptionBlocks.checkImageNetClasses(o,
        "If using `weights=\"imagenet\"` with `include_top=True`, `classes` should be 1000. ");
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), 299, 75, o.includeTop());
    KerasTensor input = ImageNetUtils.imageInput("InceptionResNetV2", o, shape, 299);

    // Stem block: 35 x 35 x 192
    KerasTensor x = conv(input, 32, 3, 2, "valid");
    x = conv(x, 32, 3, 1, "valid");
    x = conv(x, 64, 3);
    x = maxPool(x);
    x = conv(x, 80, 1, 1, "valid");
    x = conv(x, 192, 3, 1, "valid");
    x = maxPool(x);

    // Mixed 5b (Inception-A block): 35 x 35 x 320
    KerasTensor branch0 = conv(x, 96, 1);
    KerasTensor branch1 = conv(x, 48, 1);
    branch1 = conv(branch1, 64, 5);
    KerasTensor branch2 = conv(x, 64, 1);
    branch2 = conv(branch2, 96, 3);
    branch2 = conv(branch2, 96, 3);
    KerasTensor branchPool = avgPool(x);
    branchPool = conv(branchPool, 64, 1);
    x = concat("mixed_5b", List.of(branch0, branch1, branch2, branchPool));

    // 10x block35 (Inception-ResNet-A block): 35 x 35 x 320
    for (int i = 1; i <= 10; i++) {
      x = block(x, 0.17, "block35", i, "relu");
    }

    // Mixed 6a (Reduction-A block): 17 x 17 x 1088
    branch0 = conv(x, 384, 3, 2, "valid");
    branch1 = conv(x, 256, 1);
    branch1 = conv(branch1, 256, 3);
    branch1 = conv(branch1, 384, 3, 2, "valid");
    x = concat("mixed_6a", List.of(branch0, branch1, maxPool(x)));

    // 20x block17 (Inception-ResNet-B block): 17 x 17 x 1088
    for (int i = 1; i <= 20; i++) {
      x = block(x, 0.1, "block17", i, "relu");
    }

    // Mixed 7a (Reduction-B block): 8 x 8 x 2080
    branch0 = conv(x, 256, 1);
    branch0 = conv(branch0, 384, 3, 2, "valid");
    branch1 = conv(x, 256, 1);
    branch1 = conv(branch1, 288, 3, 2, "valid");
    branch2 = conv(x, 256, 1);
    branch2 = conv(branch2, 288, 3);
    branch2 = conv(branch2, 320, 3, 2, "valid");
    x = concat("mixed_7a", List.of(branch0, branch1, branch2, maxPool(x)));

    // 10x block8 (Inception-ResNet-C block): 8 x 8 x 2080, the last one linear
    for (int i = 1; i <= 9; i++) {
      x = block(x, 0.2, "block8", i, "relu");
    }
    x = block(x, 1.0, "block8", 10, null);

    // Final convolution block: 8 x 8 x 1536
    x = InceptionBlocks.conv2dBn(x, 1536, 1, 1, 1, "same", false, "relu", "conv_7b", "conv_7b_bn", "conv_7b_ac");

    if (o.includeTop()) {
      x = ImageNetUtils.pool(x, "avg", "avg_pool", null);
      x = ImageNetUtils.classifier(x, o);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), null, null);
    }
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : "inception_resnet_v2", o);
  }

  /**
   * Keras's {@code inception_resnet_block}: the branches of {@code blockType} ("block35", "block17" or "block8"),
   * concatenated ({@code <block>_mixed}), projected to the input's channels by a biased 1x1 convolution
   * ({@code <block>_conv}), added to the input times {@code scale}, and the activation ({@code <block>_ac}) unless
   * null.
   */
  static KerasTensor block(KerasTensor x, double scale, String blockType, int blockIdx, String activation) {
    List<KerasTensor> branches = switch (blockType) {
      case "block35" -> {
        KerasTensor branch0 = conv(x, 32, 1);
        KerasTensor branch1 = conv(x, 32, 1);
        branch1 = conv(branch1, 32, 3);
        KerasTensor branch2 = conv(x, 32, 1);
        branch2 = conv(branch2, 48, 3);
        branch2 = conv(branch2, 64, 3);
        yield List.of(branch0, branch1, branch2);
      }
      case "block17" -> {
        KerasTensor branch0 = conv(x, 192, 1);
        KerasTensor branch1 = conv(x, 128, 1);
        branch1 = convRect(branch1, 160, 1, 7);
        branch1 = convRect(branch1, 192, 7, 1);
        yield List.of(branch0, branch1);
      }
      case "block8" -> {
        KerasTensor branch0 = conv(x, 192, 1);
        KerasTensor branch1 = conv(x, 192, 1);
        branch1 = convRect(branch1, 224, 1, 3);
        branch1 = convRect(branch1, 256, 3, 1);
        yield List.of(branch0, branch1);
      }
      default -> throw new IllegalArgumentException("Unknown Inception-ResNet block type. Expects \"block35\", "
          + "\"block17\" or \"block8\", but got: " + blockType);
    };
    String blockName = blockType + "_" + blockIdx;
    KerasTensor mixed = concat(blockName + "_mixed", branches);
    KerasTensor up = InceptionBlocks.conv2dBn(mixed, (int) Blocks.channels(x), 1, 1, 1, "same", true, null,
        blockName + "_conv", null, null);
    x = new CustomScaleLayer(scale, null).apply(List.of(x, up));
    return activation == null ? x : new Activation(activation, blockName + "_ac").apply(x);
  }

  /** Keras's {@code conv2d_bn(x, filters, kernel_size)}: "same" padding, stride 1, unnamed. */
  private static KerasTensor conv(KerasTensor x, int filters, int kernelSize) {
    return conv(x, filters, kernelSize, 1, "same");
  }

  /** Keras's {@code conv2d_bn(x, filters, kernel_size, strides, padding)}, unnamed, with a ReLU. */
  private static KerasTensor conv(KerasTensor x, int filters, int kernelSize, int strides, String padding) {
    return InceptionBlocks.conv2dBn(x, filters, kernelSize, kernelSize, strides, padding, false, "relu", null, null,
        null);
  }

  /** Keras's {@code conv2d_bn(x, filters, [rows, cols])}. */
  private static KerasTensor convRect(KerasTensor x, int filters, int rows, int cols) {
    return InceptionBlocks.conv2dBn(x, filters, rows, cols, 1, "same", false, "relu", null, null, null);
  }
}
