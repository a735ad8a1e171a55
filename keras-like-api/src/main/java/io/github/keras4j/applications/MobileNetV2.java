package io.github.keras4j.applications;

import static io.github.keras4j.applications.Blocks.bn;
import static io.github.keras4j.applications.Blocks.relu6;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.reshaping.ZeroPadding2D;
import io.github.keras4j.models.Model;
import java.util.List;
import java.util.Locale;

/**
 * Keras's {@code keras.applications.mobilenet_v2}: MobileNetV2 (Sandler et al., "MobileNetV2: Inverted Residuals
 * and Linear Bottlenecks", CVPR 2018) and its input preprocessing.
 *
 * <p>{@code Conv1} (3x3/2), {@code bn_Conv1}, {@code Conv1_relu}, 17 inverted residual blocks
 * ({@code expanded_conv_depthwise} ..., then {@code block_1_expand}, {@code block_1_expand_BN},
 * {@code block_1_expand_relu}, {@code block_1_pad}, {@code block_1_depthwise}, {@code _depthwise_BN},
 * {@code _depthwise_relu}, {@code _project}, {@code _project_BN} and {@code _add} where the shapes allow), then
 * {@code Conv_1} (1280 filters, more for {@code alpha > 1}), {@code Conv_1_bn}, {@code out_relu}, and with
 * {@code includeTop} a global average pooling and {@code predictions}. BatchNormalization epsilon 1e-3, momentum
 * 0.999 as Keras. Model name {@code mobilenetv2_<alpha %.2f>_<rows>}. Default input 224 x 224 x 3 (96, 128, 160 or
 * 192 square inputs keep their size), minimum 32 x 32; 3,538,984 parameters with the top at {@code alpha=1}.
 *
 * <pre>{@code
 * Model m = MobileNetV2.mobileNetV2(new ApplicationOptions().alpha(0.35).includeTop(false).inputShape(96, 96, 3)
 *     .pooling("avg"));                             // (None, 1280)
 * }</pre>
 */
public final class MobileNetV2 {

  private static final double EPSILON = 1e-3;
  private static final double MOMENTUM = 0.999;

  private MobileNetV2() {}

  /**
   * Instantiates MobileNetV2, as {@code keras.applications.MobileNetV2(...)}, with {@code alpha} from the options.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J), a weights path that
   *     does not exist, an input shape that is not 3 values or is smaller than 32 x 32, an unknown size with
   *     {@code includeTop}, a pooling other than null, "avg" or "max", {@code alpha <= 0}, or an input tensor whose
   *     width differs from {@code inputShape}'s
   */
  public static Model mobileNetV2(ApplicationOptions options) {
    return graph(options).toModel();
  }

  /** The layer graph of MobileNetV2. */
  static LayerGraph graph(ApplicationOptions o) {
    ImageNetUtils.checkCommon("MobileNetV2", o, true, false, false);
    double alpha = o.alpha();
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("MobileNetV2: `alpha` should be a positive width multiplier. Received: "
          + "alpha=" + alpha);
    }
    long[] given = o.inputShape();
    KerasTensor tensor = o.inputTensor();
    if (given != null && tensor != null && given.length >= 2 && tensor.shape().get(2) != given[1]) {
      throw new IllegalArgumentException("input_tensor.shape[2] must equal input_shape[1]; Received "
          + "`input_tensor.shape=" + Shapes.format(tensor.shape()) + "`, `input_shape=" + Shapes.format(given) + "`");
    }
    long rows;
    long cols;
    if (given != null && given.length == 3) {
      rows = given[0];
      cols = given[1];
    } else if (tensor != null && tensor.shape().numDimensions() == 4) {
      rows = tensor.shape().get(1);
      cols = tensor.shape().get(2);
    } else {
      rows = -1;
      cols = -2;
    }
    int defaultSize = rows == cols && (rows == 96 || rows == 128 || rows == 160 || rows == 192 || rows == 224)
        ? (int) rows : 224;
    long[] shape = ImageNetUtils.obtainInputShape(given, defaultSize, 32, o.includeTop());
    KerasTensor input = ImageNetUtils.imageInput("MobileNetV2", o, shape, defaultSize);

    int firstBlockFilters = makeDivisible(32 * alpha, 8);
    KerasTensor x = Conv2D.builder(firstBlockFilters, 3).strides(2).padding("same").useBias(false).name("Conv1")
        .build().apply(input);
    x = bn(x, EPSILON, MOMENTUM, "bn_Conv1");
    x = relu6(x, "Conv1_relu");
    int[] filters = {16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160, 320};
    int[] strides = {1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1};
    for (int i = 0; i < filters.length; i++) {
      x = invertedResBlock(x, i == 0 ? 1 : 6, strides[i], alpha, filters[i], i);
    }
    int lastBlockFilters = alpha > 1.0 ? makeDivisible(1280 * alpha, 8) : 1280;
    x = Conv2D.builder(lastBlockFilters, 1).useBias(false).name("Conv_1").build().apply(x);
    x = bn(x, EPSILON, MOMENTUM, "Conv_1_bn");
    x = relu6(x, "out_relu");
    if (o.includeTop()) {
      x = ImageNetUtils.pool(x, "avg", null, null);
      x = ImageNetUtils.classifier(x, o);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), null, null);
    }
    String name = o.name() != null ? o.name()
        : String.format(Locale.ROOT, "mobilenetv2_%.2f_%s", alpha, shape[0] < 0 ? "None" : Long.toString(shape[0]));
    return ImageNetUtils.graph(input, x, name, o);
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for MobileNetV2, as {@code mobilenet_v2.preprocess_input}: Keras's
   * {@code "tf"} mode, {@code x / 127.5 - 1}; see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "tf");
  }

  /**
   * Keras's {@code _make_divisible}: {@code v} rounded to the nearest multiple of {@code divisor} (at least
   * {@code divisor}), and one multiple more if rounding lost more than 10%.
   */
  static int makeDivisible(double v, int divisor) {
    int newV = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
    if (newV < 0.9 * v) {
      newV += divisor;
    }
    return newV;
  }

  /** Keras's {@code _inverted_res_block}: expand (1x1), depthwise 3x3, project (1x1), and the residual sum. */
  private static KerasTensor invertedResBlock(KerasTensor inputs, int expansion, int stride, double alpha,
      int filters, int blockId) {
    long inChannels = Blocks.channels(inputs);
    int pointwiseFilters = makeDivisible((int) (filters * alpha), 8);
    KerasTensor x = inputs;
    String prefix = "block_" + blockId + "_";
    if (blockId != 0) {
      x = Conv2D.builder((int) (expansion * inChannels), 1).padding("same").useBias(false).name(prefix + "expand")
          .build().apply(x);
      x = bn(x, EPSILON, MOMENTUM, prefix + "expand_BN");
      x = relu6(x, prefix + "expand_relu");
    } else {
      prefix = "expanded_conv_";
    }
    if (stride == 2) {
      x = new ZeroPadding2D(ImageNetUtils.correctPad(x, 3), prefix + "pad").apply(x);
    }
    x = DepthwiseConv2D.builder(3).strides(stride).useBias(false).padding(stride == 1 ? "same" : "valid")
        .name(prefix + "depthwise").build().apply(x);
    x = bn(x, EPSILON, MOMENTUM, prefix + "depthwise_BN");
    x = relu6(x, prefix + "depthwise_relu");
    x = Conv2D.builder(pointwiseFilters, 1).padding("same").useBias(false).name(prefix + "project").build().apply(x);
    x = bn(x, EPSILON, MOMENTUM, prefix + "project_BN");
    if (inChannels == pointwiseFilters && stride == 1) {
      return new Add(prefix + "add").apply(List.of(inputs, x));
    }
    return x;
  }
}
