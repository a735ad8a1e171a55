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
import java.util.Locale;

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
   * and {@code dropout} from the options.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J), a weights path that
   *     does not exist, an input shape that is not 3 values or is smaller than 32 x 32, an unknown size with
   *     {@code includeTop}, a pooling other than null, "avg" or "max", or {@code alpha <= 0}
   */
  public static Model mobileNet(ApplicationOptions options) {
    return graph(options).toModel();
  }

  /** The layer graph of MobileNet. */
  static LayerGraph graph(ApplicationOptions o) {
    ImageNetUtils.checkCommon("MobileNet", o, true, true, true);
    double alpha = o.alpha();
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("MobileNet: `alpha` should be a positive width multiplier. Received: alpha="
          + alpha);
    }
    long[] given = o.inputShape();
    int defaultSize = 224;
    if (given != null && given.length == 3 && given[0] == given[1]
        && (given[0] == 128 || given[0] == 160 || given[0] == 192 || given[0] == 224)) {
      defaultSize = (int) given[0];
    }
    long[] shape = ImageNetUtils.obtainInputShape(given, defaultSize, 32, o.includeTop());
    long rows = shape[0];
    KerasTensor input = ImageNetUtils.imageInput("MobileNet", o, shape, defaultSize);
    int dm = o.depthMultiplier();
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
