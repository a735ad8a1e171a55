package io.github.keras4j.applications;

import static io.github.keras4j.applications.Blocks.pad;
import static io.github.keras4j.applications.Blocks.relu6;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
import io.github.keras4j.layers.core.Activation;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.pooling.GlobalAveragePooling2D;
import io.github.keras4j.layers.regularization.Dropout;
import io.github.keras4j.layers.reshaping.Reshape;
import io.github.keras4j.models.Model;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code keras.applications.mobilenet}: MobileNet (Howard et al., "MobileNets: Efficient Convolutional
 * Neural Networks for Mobile Vision Applications", 2017) and its input preprocessing.
 *
 * <p>{@code conv1} (3x3/2, {@code int(32 alpha)} filters), {@code conv1_bn}, {@code conv1_relu} (ReLU 6), then 13
 * depthwise-separable blocks {@code conv_dw_i}/{@code conv_dw_i_bn}/{@code conv_dw_i_relu},
 * {@code conv_pw_i}/{@code conv_pw_i_bn}/{@code conv_pw_i_relu} ({@code conv_pad_i} before the strided ones), and
 * with {@code includeTop} a kept-dims global average pooling, {@code dropout}, the 1x1 convolution
 * {@code conv_preds}, {@code reshape_2} and the {@code predictions} activation. {@code alpha} scales every width,
 * {@code depthMultiplier} the depthwise convolutions. Model name {@code mobilenet_<alpha %.2f>_<rows>}. Default input
 * 224 x 224 x 3 (128, 160 or 192 square inputs keep their size), minimum 32 x 32; 4,253,864 parameters with the top
 * at {@code alpha=1}.
 *
 * <pre>{@code
 * Model m = MobileNet.mobileNet(new ApplicationOptions().alpha(0.25).includeTop(false).inputShape(128, 128, 3));
 * }</pre>
 */
public final class MobileNet {

  private MobileNet() {}

  /**
   * Instantiates MobileNet, as {@code keras.applications.MobileNet(...)}, with {@code alpha}, {@code depthMultiplier}
   * and {@code dropout} from the options. With {@code weights("imagenet")} Keras's pretrained weights for the
   * {@code alpha} and input size ({@code mobilenet_1_0_224_tf.h5}, ...) are downloaded into {@code ~/.keras4j/models}
   * (once) and loaded; they exist for {@code alpha} 0.25, 0.5, 0.75 and 1.0 and square inputs of 128, 160, 192 or 224
   * pixels, other sizes using the 224 ones (with Keras's warning).
   *
   * @throws IllegalArgumentException for a weights path that does not exist, an input shape that is not 3 values or
   *     is smaller than 32 x 32, an unknown size with {@code includeTop}, a pooling other than null, "avg" or "max",
   *     {@code alpha <= 0}, or with ImageNet weights an {@code alpha} without weights, a {@code depthMultiplier}
   *     other than 1, and with the top classes other than 1000 or an input shape other than the default
   * @throws java.io.UncheckedIOException when the ImageNet weights cannot be downloaded or read
   */
  public static Model mobileNet(ApplicationOptions options) {
    LayerGraph graph = graph(options);
    return ImageNetUtils.toModel(graph, "imagenet".equals(options.weights())
        ? imagenetWeights(options.alpha(), imagenetRows(inputShape(options), false), options.includeTop()) : null);
  }

  /** The layer graph of MobileNet. */
  static LayerGraph graph(ApplicationOptions o) {
    ImageNetUtils.checkCommon("MobileNet", o, true, true, true);
    double alpha = o.alpha();
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("MobileNet: `alpha` should be a positive width multiplier. Received: alpha="
          + alpha);
    }
    long[] shape = inputShape(o);
    long rows = shape[0];
    int dm = o.depthMultiplier();
    if ("imagenet".equals(o.weights())) {
      if (dm != 1) {
        throw new IllegalArgumentException("If imagenet weights are being loaded, depth multiplier must be 1.  "
            + "Received depth_multiplier=" + dm);
      }
      if (alpha != 0.25 && alpha != 0.5 && alpha != 0.75 && alpha != 1.0) {
        throw new IllegalArgumentException("If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, "
            + "`0.75` or `1.0` only.  Received alpha=" + alpha);
      }
      rows = imagenetRows(shape, true);
    }
    KerasTensor input = ImageNetUtils.imageInput("MobileNet", o, shape, defaultSize(o.inputShape()));
    KerasTensor x = Conv2D.builder((int) (32 * alpha), 3).padding("same").useBias(false).strides(2).name("conv1")
        .build().apply(input);
    x = BatchNormalization.builder().name("conv1_bn").build().apply(x);
    x = relu6(x, "conv1_relu");
    int[] filters = {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    int[] strides = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
    for (int i = 0; i < filters.length; i++) {
      x = depthwiseConvBlock(x, filters[i], alpha, dm, strides[i], i + 1);
    }
    if (o.includeTop()) {
      int classes = o.classes();
      x = new GlobalAveragePooling2D(true).apply(x);
      x = new Dropout(o.dropout(), null, "dropout").apply(x);
      x = Conv2D.builder(classes, 1).padding("same").name("conv_preds").build().apply(x);
      x = new Reshape("reshape_2", classes).apply(x);
      x = new Activation(o.classifierActivation(), "predictions").apply(x);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), null, null);
    }
    String name = o.name() != null ? o.name()
        : String.format(Locale.ROOT, "mobilenet_%.2f_%s", alpha, rows < 0 ? "None" : Long.toString(rows));
    return ImageNetUtils.graph(input, x, name, o);
  }

  /** Keras's default size: a square input of 128, 160, 192 or 224 pixels keeps its size, anything else 224. */
  private static int defaultSize(long[] given) {
    if (given != null && given.length == 3 && given[0] == given[1]
        && (given[0] == 128 || given[0] == 160 || given[0] == 192 || given[0] == 224)) {
      return (int) given[0];
    }
    return 224;
  }

  /** The checked input shape (Keras's {@code obtain_input_shape} with MobileNet's default size). */
  private static long[] inputShape(ApplicationOptions o) {
    return ImageNetUtils.obtainInputShape(o.inputShape(), defaultSize(o.inputShape()), 32, o.includeTop(),
        o.weights());
  }

  /**
   * The input size of the ImageNet weights to load: the input's when square and one of 128, 160, 192 or 224, else
   * 224 (with Keras's warning when {@code warn}).
   */
  static long imagenetRows(long[] shape, boolean warn) {
    long rows = shape[0];
    if (rows != shape[1] || (rows != 128 && rows != 160 && rows != 192 && rows != 224)) {
      if (warn) {
        System.getLogger(MobileNet.class.getName()).log(System.Logger.Level.WARNING, "`input_shape` is undefined or "
            + "non-square, or `rows` is not in [128, 160, 192, 224]. Weights for input shape (224, 224) will be "
            + "loaded as the default.");
      }
      return 224;
    }
    return rows;
  }

  /**
   * Keras's pretrained MobileNet weights file for {@code alpha} (0.25, 0.5, 0.75 or 1.0) and input size {@code rows}:
   * {@code mobilenet_<alpha 1_0, 7_5, 5_0 or 2_5>_<rows>_tf.h5}, {@code ..._tf_no_top.h5} without the top; Keras
   * checks no hash.
   */
  static ImageNetUtils.ImageNetWeights imagenetWeights(double alpha, long rows, boolean includeTop) {
    String alphaText = alpha == 1.0 ? "1_0" : alpha == 0.75 ? "7_5" : alpha == 0.5 ? "5_0" : "2_5";
    String file = "mobilenet_" + alphaText + "_" + rows + (includeTop ? "_tf.h5" : "_tf_no_top.h5");
    return new ImageNetUtils.ImageNetWeights(file, ImageNetUtils.WEIGHTS_BASE + "mobilenet/" + file, null);
  }

  /**
   * Decodes ImageNet predictions, as {@code mobilenet.decode_predictions}; see
   * {@link ImageNetUtils#decodePredictions(FloatNdArray, int)}.
   */
  public static List<List<ImageNetUtils.Prediction>> decodePredictions(FloatNdArray preds, int top) {
    return ImageNetUtils.decodePredictions(preds, top);
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for MobileNet, as {@code mobilenet.preprocess_input}: Keras's {@code "tf"}
   * mode, {@code x / 127.5 - 1}; see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "tf");
  }

  /** Keras's {@code _depthwise_conv_block}: a 3x3 depthwise convolution and a 1x1 pointwise one, each BN + ReLU 6. */
  private static KerasTensor depthwiseConvBlock(KerasTensor inputs, int pointwiseFilters, double alpha,
      int depthMultiplier, int stride, int blockId) {
    KerasTensor x = stride == 1 ? inputs : pad(inputs, 0, 1, 0, 1, "conv_pad_" + blockId);
    x = DepthwiseConv2D.builder(3).padding(stride == 1 ? "same" : "valid").depthMultiplier(depthMultiplier)
        .strides(stride).useBias(false).name("conv_dw_" + blockId).build().apply(x);
    x = BatchNormalization.builder().name("conv_dw_" + blockId + "_bn").build().apply(x);
    x = relu6(x, "conv_dw_" + blockId + "_relu");
    x = Conv2D.builder((int) (pointwiseFilters * alpha), 1).padding("same").useBias(false).strides(1)
        .name("conv_pw_" + blockId).build().apply(x);
    x = BatchNormalization.builder().name("conv_pw_" + blockId + "_bn").build().apply(x);
    return relu6(x, "conv_pw_" + blockId + "_relu");
  }
}
