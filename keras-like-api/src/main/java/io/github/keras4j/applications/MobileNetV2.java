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
import org.tensorflow.ndarray.FloatNdArray;

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
   * Instantiates MobileNetV2, as {@code keras.applications.MobileNetV2(...)}, with {@code alpha} from the options. With
   * {@code weights("imagenet")} Keras's pretrained weights for the {@code alpha} and input size
   * ({@code mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5}, ...) are downloaded into
   * {@code ~/.keras4j/models} (once) and loaded; they exist for {@code alpha} 0.35, 0.5, 0.75, 1.0, 1.3 and 1.4 and
   * square inputs of 96, 128, 160, 192 or 224 pixels, other sizes using the 224 ones (with Keras's warning).
   *
   * @throws IllegalArgumentException for a weights path that does not exist, an input shape that is not 3 values or
   *     is smaller than 32 x 32, an unknown size with {@code includeTop}, a pooling other than null, "avg" or "max",
   *     {@code alpha <= 0}, an input tensor whose width differs from {@code inputShape}'s, or with ImageNet weights an
   *     {@code alpha} without weights, and with the top classes other than 1000 or an input shape other than the
   *     default
   * @throws java.io.UncheckedIOException when the ImageNet weights cannot be downloaded or read
   */
  public static Model mobileNetV2(ApplicationOptions options) {
    LayerGraph graph = graph(options);
    return ImageNetUtils.toModel(graph, "imagenet".equals(options.weights())
        ? imagenetWeights(options.alpha(), imagenetRows(inputShape(options), false), options.includeTop()) : null);
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
    int defaultSize = defaultSize(o);
    long[] shape = inputShape(o);
    long rows = shape[0];
    if ("imagenet".equals(o.weights())) {
      if (alpha != 0.35 && alpha != 0.5 && alpha != 0.75 && alpha != 1.0 && alpha != 1.3 && alpha != 1.4) {
        throw new IllegalArgumentException("If imagenet weights are being loaded, alpha must be one of `0.35`, "
            + "`0.50`, `0.75`, `1.0`, `1.3` or `1.4` only; Received `alpha=" + alpha + "`");
      }
      rows = imagenetRows(shape, true);
    }
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
        : String.format(Locale.ROOT, "mobilenetv2_%.2f_%s", alpha, rows < 0 ? "None" : Long.toString(rows));
    return ImageNetUtils.graph(input, x, name, o);
  }

  /**
   * Keras's default size: the rows of the input shape (or else of the input tensor) when square and one of 96, 128,
   * 160, 192 or 224, else 224.
   */
  private static int defaultSize(ApplicationOptions o) {
    long[] given = o.inputShape();
    KerasTensor tensor = o.inputTensor();
    long rows;
    long cols;
    if (given != null && given.length == 3) {
      rows = given[0];
      cols = given[1];
    } else if (given == null && tensor != null && tensor.shape().numDimensions() == 4) {
      rows = tensor.shape().get(1);
      cols = tensor.shape().get(2);
    } else {
      return 224;
    }
    return rows == cols && (rows == 96 || rows == 128 || rows == 160 || rows == 192 || rows == 224) ? (int) rows : 224;
  }

  /** The checked input shape (Keras's {@code obtain_input_shape} with MobileNetV2's default size). */
  private static long[] inputShape(ApplicationOptions o) {
    return ImageNetUtils.obtainInputShape(o.inputShape(), defaultSize(o), 32, o.includeTop(), o.weights());
  }

  /**
   * The input size of the ImageNet weights to load: the input's when square and one of 96, 128, 160, 192 or 224,
   * else 224 (with Keras's warning when {@code warn}).
   */
  static long imagenetRows(long[] shape, boolean warn) {
    long rows = shape[0];
    if (rows != shape[1] || (rows != 96 && rows != 128 && rows != 160 && rows != 192 && rows != 224)) {
      if (warn) {
        System.getLogger(MobileNetV2.class.getName()).log(System.Logger.Level.WARNING, "`input_shape` is undefined "
            + "or non-square, or `rows` is not in [96, 128, 160, 192, 224]. Weights for input shape (224, 224) will "
            + "be loaded as the default.");
      }
      return 224;
    }
    return rows;
  }

  /**
   * Keras's pretrained MobileNetV2 weights file for {@code alpha} and input size {@code rows}:
   * {@code mobilenet_v2_weights_tf_dim_ordering_tf_kernels_<alpha as Python's float()>_<rows>.h5}, with
   * {@code _no_top} before {@code .h5} without the top; Keras checks no hash.
   */
  static ImageNetUtils.ImageNetWeights imagenetWeights(double alpha, long rows, boolean includeTop) {
    String file = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_" + alpha + "_" + rows
        + (includeTop ? ".h5" : "_no_top.h5");
    return new ImageNetUtils.ImageNetWeights(file, ImageNetUtils.WEIGHTS_BASE + "mobilenet_v2/" + file, null);
  }

  /**
   * Decodes ImageNet predictions, as {@code mobilenet_v2.decode_predictions}; see
   * {@link ImageNetUtils#decodePredictions(FloatNdArray, int)}.
   */
  public static List<List<ImageNetUtils.Prediction>> decodePredictions(FloatNdArray preds, int top) {
    return ImageNetUtils.decodePredictions(preds, top);
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
