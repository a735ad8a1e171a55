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
import java.util.function.UnaryOperator;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code keras.applications.resnet}: ResNet50, ResNet101 and ResNet152 (He et al., "Deep Residual Learning
 * for Image Recognition", CVPR 2015) and their input preprocessing.
 *
 * <p>The stem ({@code conv1_pad}, {@code conv1_conv} 7x7/2, {@code conv1_bn}, {@code conv1_relu}, {@code pool1_pad},
 * {@code pool1_pool} 3x3/2), four stacks {@code conv2} ... {@code conv5} of bottleneck blocks
 * ({@code conv2_block1_1_conv}, {@code _1_bn}, {@code _1_relu}, {@code _2_...}, {@code _3_...}, the projection
 * shortcut {@code _0_conv}/{@code _0_bn} in each stack's first block, {@code _add}, {@code _out}) with 64, 128, 256,
 * 512 bottleneck filters, then {@code avg_pool} and {@code predictions}. Blocks per stack: 3, 4, 6, 3 (ResNet50);
 * 3, 4, 23, 3 (ResNet101); 3, 8, 36, 3 (ResNet152). BatchNormalization epsilon 1.001e-5 as Keras. Default input
 * 224 x 224 x 3, minimum 32 x 32.
 *
 * <pre>{@code
 * try (Model resnet = ResNet.resNet50(new ApplicationOptions())) {
 *   resnet.countParams();                            // 25,636,712
 * }
 * }</pre>
 */
public final class ResNet {

  private ResNet() {}

  /**
   * Instantiates ResNet50, as {@code keras.applications.ResNet50(...)}; model name {@code "resnet50"}. With
   * {@code weights("imagenet")} Keras's pretrained weights are downloaded into {@code ~/.keras4j/models} (once) and
   * loaded.
   *
   * @throws IllegalArgumentException for a weights path that does not exist, an input shape that is not 3 values or
   *     is smaller than 32 x 32, an unknown size with {@code includeTop}, a pooling other than null, "avg" or "max",
   *     or with ImageNet weights and the top, classes other than 1000 or an input shape other than (224, 224, 3)
   * @throws java.io.UncheckedIOException when the ImageNet weights cannot be downloaded or read
   */
  public static Model resNet50(ApplicationOptions options) {
    return model("resnet50", options);
  }

  /** Instantiates ResNet101, as {@code keras.applications.ResNet101(...)}; weights and errors as {@link #resNet50}. */
  public static Model resNet101(ApplicationOptions options) {
    return model("resnet101", options);
  }

  /** Instantiates ResNet152, as {@code keras.applications.ResNet152(...)}; weights and errors as {@link #resNet50}. */
  public static Model resNet152(ApplicationOptions options) {
    return model("resnet152", options);
  }

  /**
   * Decodes ImageNet predictions, as {@code resnet.decode_predictions}; see
   * {@link ImageNetUtils#decodePredictions(FloatNdArray, int)}.
   */
  public static List<List<ImageNetUtils.Prediction>> decodePredictions(FloatNdArray preds, int top) {
    return ImageNetUtils.decodePredictions(preds, top);
  }

  private static Model model(String kerasName, ApplicationOptions options) {
    return ImageNetUtils.toModel(graph(kerasName, options), imagenetWeights(kerasName, options.includeTop()));
  }

  /**
   * Keras's pretrained weights file of a ResNet or ResNetV2 ({@code "resnet50"} ... {@code "resnet152v2"}): its
   * {@code BASE_WEIGHTS_PATH}, file name and {@code WEIGHTS_HASHES} entry.
   */
  static ImageNetUtils.ImageNetWeights imagenetWeights(String kerasName, boolean includeTop) {
    String[] hashes = switch (kerasName) {
      case "resnet50" -> new String[] {"2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"};
      case "resnet101" -> new String[] {"f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"};
      case "resnet152" -> new String[] {"100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"};
      case "resnet50v2" -> new String[] {"3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"};
      case "resnet101v2" -> new String[] {"6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"};
      case "resnet152v2" -> new String[] {"a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"};
      default -> throw new IllegalArgumentException("Unknown ResNet: " + kerasName);
    };
    String file = kerasName + "_weights_tf_dim_ordering_tf_kernels" + (includeTop ? "" : "_notop") + ".h5";
    return new ImageNetUtils.ImageNetWeights(file, ImageNetUtils.WEIGHTS_BASE + "resnet/" + file,
        hashes[includeTop ? 0 : 1]);
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for ResNet, as {@code resnet.preprocess_input}: Keras's {@code "caffe"} mode
   * (RGB to BGR, minus the ImageNet channel means); see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "caffe");
  }

  /** The layer graph of {@code "resnet50"}, {@code "resnet101"} or {@code "resnet152"}. */
  static LayerGraph graph(String kerasName, ApplicationOptions o) {
    return switch (kerasName) {
      case "resnet50" -> v1("ResNet50", kerasName, new int[] {3, 4, 6, 3}, o);
      case "resnet101" -> v1("ResNet101", kerasName, new int[] {3, 4, 23, 3}, o);
      case "resnet152" -> v1("ResNet152", kerasName, new int[] {3, 8, 36, 3}, o);
      default -> throw new IllegalArgumentException("Unknown ResNet: " + kerasName);
    };
  }

  private static LayerGraph v1(String architecture, String defaultName, int[] blocks, ApplicationOptions o) {
    return build(architecture, defaultName, false, true, x -> {
      x = stackV1(x, 64, blocks[0], 1, "conv2");
      x = stackV1(x, 128, blocks[1], 2, "conv3");
      x = stackV1(x, 256, blocks[2], 2, "conv4");
      return stackV1(x, 512, blocks[3], 2, "conv5");
    }, o);
  }

  /**
   * Keras's {@code ResNet(stack_fn, preact, use_bias, ...)}: the stem, the stacks, the post-activation of ResNetV2
   * ({@code preact}) and the top; shared with {@link ResNetV2}.
   */
  static LayerGraph build(String architecture, String defaultName, boolean preact, boolean useBias,
      UnaryOperator<KerasTensor> stacks, ApplicationOptions o) {
    ImageNetUtils.checkCommon(architecture, o, false, false, false);
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), 224, 32, o.includeTop(), o.weights());
    KerasTensor input = ImageNetUtils.imageInput(architecture, o, shape, 224);
    KerasTensor x = pad(input, 3, 3, 3, 3, "conv1_pad");
    x = conv(x, 64, 7, 2, "valid", useBias, "conv1_conv");
    if (!preact) {
      x = bn(x, RESNET_EPSILON, "conv1_bn");
      x = act(x, "relu", "conv1_relu");
    }
    x = pad(x, 1, 1, 1, 1, "pool1_pad");
    x = new MaxPooling2D(new int[] {3}, new int[] {2}, "valid", "pool1_pool").apply(x);
    x = stacks.apply(x);
    if (preact) {
      x = bn(x, RESNET_EPSILON, "post_bn");
      x = act(x, "relu", "post_relu");
    }
    if (o.includeTop()) {
      x = ImageNetUtils.pool(x, "avg", "avg_pool", null);
      x = ImageNetUtils.classifier(x, o);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), "avg_pool", "max_pool");
    }
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : defaultName, o);
  }

  /** Keras's {@code stack_residual_blocks_v1}: a projection block, then identity blocks. */
  static KerasTensor stackV1(KerasTensor x, int filters, int blocks, int stride1, String name) {
    x = blockV1(x, filters, stride1, true, name + "_block1");
    for (int i = 2; i <= blocks; i++) {
      x = blockV1(x, filters, 1, false, name + "_block" + i);
    }
    return x;
  }

  /** Keras's {@code residual_block_v1}: 1x1, 3x3, 1x1 (4 x filters) convolutions added to the shortcut. */
  static KerasTensor blockV1(KerasTensor x, int filters, int stride, boolean convShortcut, String name) {
    KerasTensor shortcut = x;
    if (convShortcut) {
      shortcut = conv(x, 4 * filters, 1, stride, "valid", true, name + "_0_conv");
      shortcut = bn(shortcut, RESNET_EPSILON, name + "_0_bn");
    }
    KerasTensor y = conv(x, filters, 1, stride, "valid", true, name + "_1_conv");
    y = bn(y, RESNET_EPSILON, name + "_1_bn");
    y = act(y, "relu", name + "_1_relu");
    y = conv(y, filters, 3, 1, "same", true, name + "_2_conv");
    y = bn(y, RESNET_EPSILON, name + "_2_bn");
    y = act(y, "relu", name + "_2_relu");
    y = conv(y, 4 * filters, 1, 1, "valid", true, name + "_3_conv");
    y = bn(y, RESNET_EPSILON, name + "_3_bn");
    y = new Add(name + "_add").apply(List.of(shortcut, y));
    return act(y, "relu", name + "_out");
  }
}
