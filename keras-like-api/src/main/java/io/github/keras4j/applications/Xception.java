package io.github.keras4j.applications;

import static io.github.keras4j.applications.Blocks.act;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.SeparableConv2D;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.pooling.MaxPooling2D;
import io.github.keras4j.models.Model;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code keras.applications.xception}: Xception (Chollet, "Xception: Deep Learning with Depthwise Separable
 * Convolutions", CVPR 2017) and its input preprocessing.
 *
 * <p>The entry flow ({@code block1_conv1}, {@code block1_conv2}, then blocks 2 to 4 of separable convolutions
 * {@code blockN_sepconv1}/{@code _sepconv2} with a strided 1x1 convolution shortcut and {@code blockN_pool}), the
 * middle flow (blocks 5 to 12: three 728-filter separable convolutions added to their input) and the exit flow
 * (block 13, {@code block14_sepconv1} of 1536 and {@code block14_sepconv2} of 2048 filters), then {@code avg_pool}
 * and {@code predictions}. The shortcut convolutions, their BatchNormalizations and the sums keep Keras's generated
 * names ({@code conv2d}, {@code batch_normalization}, {@code add}, ...). Default input 299 x 299 x 3, minimum
 * 71 x 71; 22,910,480 parameters with the top.
 *
 * <pre>{@code
 * Model m = Xception.xception(new ApplicationOptions().includeTop(false).inputShape(71, 71, 3).pooling("avg"));
 * }</pre>
 */
public final class Xception {

  private Xception() {}

  /**
   * Instantiates Xception, as {@code keras.applications.Xception(...)}; model name {@code "xception"}. With
   * {@code weights("imagenet")} Keras's pretrained weights are downloaded into {@code ~/.keras4j/models} (once) and
   * loaded.
   *
   * @throws IllegalArgumentException for a weights path that does not exist, an input shape that is not 3 values or
   *     is smaller than 71 x 71, no static input shape, a pooling other than null, "avg" or "max", or with ImageNet
   *     weights and the top, classes other than 1000 or an input shape other than (299, 299, 3)
   * @throws java.io.UncheckedIOException when the ImageNet weights cannot be downloaded or read
   */
  public static Model xception(ApplicationOptions options) {
    return ImageNetUtils.toModel(graph(options), imagenetWeights(options.includeTop()));
  }

  /**
   * Decodes ImageNet predictions, as {@code xception.decode_predictions}; see
   * {@link ImageNetUtils#decodePredictions(FloatNdArray, int)}.
   */
  public static List<List<ImageNetUtils.Prediction>> decodePredictions(FloatNdArray preds, int top) {
    return ImageNetUtils.decodePredictions(preds, top);
  }

  /** Keras's pretrained weights file of Xception: {@code WEIGHTS_PATH} or {@code WEIGHTS_PATH_NO_TOP} and its hash. */
  static ImageNetUtils.ImageNetWeights imagenetWeights(boolean includeTop) {
    String file = "xception_weights_tf_dim_ordering_tf_kernels" + (includeTop ? "" : "_notop") + ".h5";
    return new ImageNetUtils.ImageNetWeights(file, ImageNetUtils.WEIGHTS_BASE + "xception/" + file,
        includeTop ? "0a58e3b7378bc2990ea3b43d5981f1f6" : "b0042744bf5b25fce3cb969f33bebb97");
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for Xception, as {@code xception.preprocess_input}: Keras's {@code "tf"}
   * mode, {@code x / 127.5 - 1}; see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "tf");
  }

  /** The layer graph of Xception. */
  static LayerGraph graph(ApplicationOptions o) {
    ImageNetUtils.checkCommon("Xception", o, false, false, false);
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), 299, 71, o.includeTop(), o.weights());
    KerasTensor input = ImageNetUtils.imageInput("Xception", o, shape, 299);
    KerasTensor x = Conv2D.builder(32, 3).strides(2).useBias(false).name("block1_conv1").build().apply(input);
    x = bn(x, "block1_conv1_bn");
    x = act(x, "relu", "block1_conv1_act");
    x = Conv2D.builder(64, 3).useBias(false).name("block1_conv2").build().apply(x);
    x = bn(x, "block1_conv2_bn");
    x = act(x, "relu", "block1_conv2_act");
    x = entryBlock(x, 128, 128, "block2", false);
    x = entryBlock(x, 256, 256, "block3", true);
    x = entryBlock(x, 728, 728, "block4", true);
    for (int i = 0; i < 8; i++) {
      KerasTensor residual = x;
      String prefix = "block" + (i + 5);
      for (int s = 1; s <= 3; s++) {
        x = act(x, "relu", prefix + "_sepconv" + s + "_act");
        x = sepConv(x, 728, prefix + "_sepconv" + s);
        x = bn(x, prefix + "_sepconv" + s + "_bn");
      }
      x = new Add().apply(List.of(x, residual));
    }
    x = entryBlock(x, 728, 1024, "block13", true);
    x = sepConv(x, 1536, "block14_sepconv1");
    x = bn(x, "block14_sepconv1_bn");
    x = act(x, "relu", "block14_sepconv1_act");
    x = sepConv(x, 2048, "block14_sepconv2");
    x = bn(x, "block14_sepconv2_bn");
    x = act(x, "relu", "block14_sepconv2_act");
    if (o.includeTop()) {
      x = ImageNetUtils.pool(x, "avg", "avg_pool", null);
      x = ImageNetUtils.classifier(x, o);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), null, null);
    }
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : "xception", o);
  }

  /**
   * A downsampling block: (ReLU,) separable conv of {@code filters1}, BN, ReLU, separable conv of {@code filters2},
   * BN, 3x3/2 max pooling, plus a strided 1x1 convolution shortcut. Block 2 has no ReLU before its first separable
   * convolution and names its only ReLU {@code block2_sepconv2_act}, as Keras.
   */
  private static KerasTensor entryBlock(KerasTensor x, int filters1, int filters2, String name, boolean firstRelu) {
    KerasTensor residual = Conv2D.builder(filters2, 1).strides(2).padding("same").useBias(false).build().apply(x);
    residual = BatchNormalization.builder().build().apply(residual);
    if (firstRelu) {
      x = act(x, "relu", name + "_sepconv1_act");
    }
    x = sepConv(x, filters1, name + "_sepconv1");
    x = bn(x, name + "_sepconv1_bn");
    x = act(x, "relu", name + "_sepconv2_act");
    x = sepConv(x, filters2, name + "_sepconv2");
    x = bn(x, name + "_sepconv2_bn");
    x = new MaxPooling2D(new int[] {3}, new int[] {2}, "same", name + "_pool").apply(x);
    return new Add().apply(List.of(x, residual));
  }

  private static KerasTensor sepConv(KerasTensor x, int filters, String name) {
    return SeparableConv2D.builder(filters, 3).padding("same").useBias(false).name(name).build().apply(x);
  }

  private static KerasTensor bn(KerasTensor x, String name) {
    return BatchNormalization.builder().name(name).build().apply(x);
  }
}
