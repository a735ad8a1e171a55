package io.github.keras4j.applications;

import static io.github.keras4j.applications.Blocks.act;
import static io.github.keras4j.applications.Blocks.bn;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.SeparableConv2D;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.layers.pooling.AveragePooling2D;
import io.github.keras4j.layers.pooling.MaxPooling2D;
import io.github.keras4j.layers.reshaping.Cropping2D;
import io.github.keras4j.layers.reshaping.ZeroPadding2D;
import io.github.keras4j.models.Model;
import java.util.List;

/**
 * Keras's {@code keras.applications.nasnet}: NASNetMobile and NASNetLarge (Zoph et al., "Learning Transferable
 * Architectures for Scalable Image Recognition", CVPR 2018) and their input preprocessing.
 *
 * <p>The stem ({@code stem_conv1}, 3x3/2 without bias, {@code stem_bn1}), two reduction cells {@code stem_1} and
 * {@code stem_2}, then three groups of {@code N} normal cells separated by the reduction cells {@code reduce_N} and
 * {@code reduce_2N} (cell ids {@code 0} ... {@code 3N}), then a ReLU, and with {@code includeTop} a global average
 * pooling and {@code predictions}. Every cell first adjusts its previous input {@code p} to the current one
 * ({@code adjust_relu_1_<id>}, {@code adjust_avg_pool_1_<id>}, {@code adjust_conv_1_<id>}, {@code adjust_avg_pool_2_<id>},
 * {@code adjust_conv_2_<id>}, {@code adjust_bn_<id>} after a size change; {@code adjust_conv_projection_<id>} and
 * {@code adjust_bn_<id>} after a change of channels), projects its input ({@code normal_conv_1_<id>} or
 * {@code reduction_conv_1_<id>} and its BatchNormalization), and sums pairs of branches: separable convolution
 * blocks ({@code separable_conv_1_<branch>_<id>}, {@code separable_conv_1_bn_...}, {@code separable_conv_2_...},
 * {@code separable_conv_2_bn_...}, with {@code separable_conv_1_pad_...} before a stride of 2), average and max
 * poolings ({@code normal_left3_<id>}, {@code reduction_left2_<id>}, ...) and sums ({@code normal_add_1_<id>},
 * {@code reduction_add3_<id>}, ...), concatenated into {@code normal_concat_<id>} or {@code reduction_concat_<id>}.
 * The ReLUs, the zero padding and cropping of the adjustment, its concatenation and one sum per reduction cell keep
 * Keras's generated names ({@code activation_12}, {@code zero_padding2d}, {@code cropping2d}, {@code concatenate},
 * {@code add}). Convolutions are initialized {@code he_normal}; BatchNormalization momentum 0.9997, epsilon 1e-3.
 *
 * <ul>
 *   <li>NASNetMobile: NASNet (4 @ 1056), stem of 32 filters, default input 224 x 224 x 3 (also without the top),
 *       5,326,716 parameters with the top (5,289,978 trainable);
 *   <li>NASNetLarge: NASNet (6 @ 4032), stem of 96 filters, default input 331 x 331 x 3, 88,949,818 parameters with
 *       the top (88,753,150 trainable).
 * </ul>
 * Minimum input 32 x 32.
 *
 * <pre>{@code
 * Model m = NASNet.nasNetMobile(new ApplicationOptions().includeTop(false).pooling("avg")); // (None, 1056)
 * }</pre>
 */
public final class NASNet {

  private static final double MOMENTUM = 0.9997;
  private static final double EPSILON = 1e-3;

  private NASNet() {}

  /**
   * Instantiates NASNetMobile, as {@code keras.applications.NASNetMobile(...)}; model name {@code "nasnet_mobile"}.
   * Without the top and without an input shape, the input is 224 x 224 x 3, as Keras.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J yet), a weights path
   *     that does not exist, an input shape that is not 3 values or is smaller than 32 x 32, a pooling other than
   *     null, "avg" or "max", or an unknown classifier activation
   */
  public static Model nasNetMobile(ApplicationOptions options) {
    return graph("nasnet_mobile", options).toModel();
  }

  /**
   * Instantiates NASNetLarge, as {@code keras.applications.NASNetLarge(...)}; model name {@code "nasnet_large"}.
   * Errors as {@link #nasNetMobile}, and without the top an input shape (or tensor) is needed.
   */
  public static Model nasNetLarge(ApplicationOptions options) {
    return graph("nasnet_large", options).toModel();
  }

  /**
   * Preprocesses RGB pixels in [0, 255] for NASNet, as {@code nasnet.preprocess_input}: Keras's {@code "tf"} mode,
   * {@code x / 127.5 - 1}; see {@link ImageNetUtils#preprocessInput(float[], String)}.
   */
  public static float[] preprocessInput(float[] x) {
    return ImageNetUtils.preprocessInput(x, "tf");
  }

  /** The layer graph of {@code "nasnet_mobile"} or {@code "nasnet_large"}. */
  static LayerGraph graph(String kerasName, ApplicationOptions o) {
    return switch (kerasName) {
      case "nasnet_mobile" -> {
        ApplicationOptions options = o;
        if (!o.includeTop() && o.inputShape() == null) {
          o.checkExtraArguments("NASNetMobile", false, false, false); // before the copy drops them
          options = copyWithInputShape(o, 224, 224, 3);
        }
        yield build("NASNetMobile", kerasName, options, 1056, 4, 32, false, 2, 224);
      }
      case "nasnet_large" -> build("NASNetLarge", kerasName, o, 4032, 6, 96, true, 2, 331);
      default -> throw new IllegalArgumentException("Unknown NASNet: " + kerasName);
    };
  }

  /**
   * The options with another input shape (ApplicationOptions is mutable; the caller's stay as they were), without
   * the MobileNet-only arguments, which NASNet refuses.
   */
  private static ApplicationOptions copyWithInputShape(ApplicationOptions o, long... inputShape) {
    return new ApplicationOptions().includeTop(o.includeTop()).weights(o.weights()).inputTensor(o.inputTensor())
        .inputShape(inputShape).pooling(o.pooling()).classes(o.classes())
        .classifierActivation(o.classifierActivation()).name(o.name());
  }

  /**
   * Keras's {@code NASNet(...)}: NASNet-A ({@code numBlocks} @ {@code penultimateFilters}).
   *
   * @param architecture the name in messages ({@code "NASNetMobile"})
   * @param defaultName the model's default name
   * @param penultimateFilters the filters of the last cells (a multiple of {@code 24 * filterMultiplier^2})
   * @param numBlocks the normal cells between reductions
   * @param stemBlockFilters the stem convolution's filters
   * @param skipReduction whether the cells after a reduction keep the reduction's previous input as {@code p}
   * @param filterMultiplier the widening of the filters at each reduction
   */
  static LayerGraph build(String architecture, String defaultName, ApplicationOptions o, int penultimateFilters,
      int numBlocks, int stemBlockFilters, boolean skipReduction, int filterMultiplier, int defaultSize) {
    ImageNetUtils.checkCommon(architecture, o, false, false, false);
    checkImagenet(o);
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), defaultSize, 32, o.includeTop());
    KerasTensor input = ImageNetUtils.imageInput(architecture, o, shape, defaultSize);
    if (penultimateFilters % (24 * filterMultiplier * filterMultiplier) != 0) {
      throw new IllegalArgumentException("For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * "
          + "(`filter_multiplier` ** 2). Current value: " + penultimateFilters);
    }
    int filters = penultimateFilters / 24;
    KerasTensor x = conv(input, stemBlockFilters, 3, 2, "valid", "stem_conv1");
    x = bn(x, EPSILON, MOMENTUM, "stem_bn1");

    KerasTensor[] xp = reductionCell(x, null, filters / (filterMultiplier * filterMultiplier), "stem_1");
    xp = reductionCell(xp[0], xp[1], filters / filterMultiplier, "stem_2");
    for (int i = 0; i < numBlocks; i++) {
      xp = normalCell(xp[0], xp[1], filters, Integer.toString(i));
    }
    KerasTensor p = xp[1];
    xp = reductionCell(xp[0], p, filters * filterMultiplier, "reduce_" + numBlocks);
    p = skipReduction ? p : xp[1];
    x = xp[0];
    for (int i = 0; i < numBlocks; i++) {
      xp = normalCell(x, p, filters * filterMultiplier, Integer.toString(numBlocks + i + 1));
      x = xp[0];
      p = xp[1];
    }
    xp = reductionCell(x, p, filters * filterMultiplier * filterMultiplier, "reduce_" + 2 * numBlocks);
    p = skipReduction ? p : xp[1];
    x = xp[0];
    for (int i = 0; i < numBlocks; i++) {
      xp = normalCell(x, p, filters * filterMultiplier * filterMultiplier, Integer.toString(2 * numBlocks + i + 1));
      x = xp[0];
      p = xp[1];
    }
    x = relu(x, null);
    if (o.includeTop()) {
      x = ImageNetUtils.pool(x, "avg", null, null);
      x = ImageNetUtils.classifier(x, o);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), null, null);
    }
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : defaultName, o);
  }

  /** Keras's check of {@code weights="imagenet"}: 1000 classes with the top. */
  static void checkImagenet(ApplicationOptions o) {
    if ("imagenet".equals(o.weights()) && o.includeTop() && o.classes() != 1000) {
      throw new IllegalArgumentException("If using `weights` as `\"imagenet\"` with `include_top` as true, `classes` "
          + "should be 1000");
    }
  }

  // ---------------------------------------------------------------- cells

  /**
   * Keras's {@code _normal_a_cell}: five sums of two branches each on the projected input {@code h} and the adjusted
   * previous input {@code p}, concatenated with {@code p}; returns {@code {output, ip}}.
   */
  private static KerasTensor[] normalCell(KerasTensor ip, KerasTensor p, int filters, String id) {
    p = adjustBlock(p, ip, filters, id);
    KerasTensor h = relu(ip, null);
    h = conv(h, filters, 1, 1, "same", "normal_conv_1_" + id);
    h = bn(h, EPSILON, MOMENTUM, "normal_bn_1_" + id);

    KerasTensor x11 = separableConvBlock(h, filters, 5, 1, "normal_left1_" + id);
    KerasTensor x12 = separableConvBlock(p, filters, 3, 1, "normal_right1_" + id);
    KerasTensor x1 = add("normal_add_1_" + id, x11, x12);

    KerasTensor x21 = separableConvBlock(p, filters, 5, 1, "normal_left2_" + id);
    KerasTensor x22 = separableConvBlock(p, filters, 3, 1, "normal_right2_" + id);
    KerasTensor x2 = add("normal_add_2_" + id, x21, x22);

    KerasTensor x3 = avgPool(h, 3, 1, "same", "normal_left3_" + id);
    x3 = add("normal_add_3_" + id, x3, p);

    KerasTensor x41 = avgPool(p, 3, 1, "same", "normal_left4_" + id);
    KerasTensor x42 = avgPool(p, 3, 1, "same", "normal_right4_" + id);
    KerasTensor x4 = add("normal_add_4_" + id, x41, x42);

    KerasTensor x5 = separableConvBlock(h, filters, 3, 1, "normal_left5_" + id);
    x5 = add("normal_add_5_" + id, x5, h);

    KerasTensor x = new Concatenate(-1, "normal_concat_" + id).apply(List.of(p, x1, x2, x3, x4, x5));
    return new KerasTensor[] {x, ip};
  }

  /**
   * Keras's {@code _reduction_a_cell}: strided separable and pooling branches halving the size, summed in pairs and
   * concatenated; returns {@code {output, ip}}.
   */
  private static KerasTensor[] reductionCell(KerasTensor ip, KerasTensor p, int filters, String id) {
    p = adjustBlock(p, ip, filters, id);
    KerasTensor h = relu(ip, null);
    h = conv(h, filters, 1, 1, "same", "reduction_conv_1_" + id);
    h = bn(h, EPSILON, MOMENTUM, "reduction_bn_1_" + id);
    KerasTensor h3 = new ZeroPadding2D(ImageNetUtils.correctPad(h, 3), "reduction_pad_1_" + id).apply(h);

    KerasTensor x11 = separableConvBlock(h, filters, 5, 2, "reduction_left1_" + id);
    KerasTensor x12 = separableConvBlock(p, filters, 7, 2, "reduction_right1_" + id);
    KerasTensor x1 = add("reduction_add_1_" + id, x11, x12);

    KerasTensor x21 = maxPool(h3, "reduction_left2_" + id);
    KerasTensor x22 = separableConvBlock(p, filters, 7, 2, "reduction_right2_" + id);
    KerasTensor x2 = add("reduction_add_2_" + id, x21, x22);

    KerasTensor x31 = avgPool(h3, 3, 2, "valid", "reduction_left3_" + id);
    KerasTensor x32 = separableConvBlock(p, filters, 5, 2, "reduction_right3_" + id);
    KerasTensor x3 = add("reduction_add3_" + id, x31, x32);

    KerasTensor x4 = avgPool(x1, 3, 1, "same", "reduction_left4_" + id);
    x4 = add(null, x2, x4);

    KerasTensor x51 = separableConvBlock(x1, filters, 3, 1, "reduction_left4_" + id);
    KerasTensor x52 = maxPool(h3, "reduction_right5_" + id);
    KerasTensor x5 = add("reduction_add4_" + id, x51, x52);

    KerasTensor x = new Concatenate(-1, "reduction_concat_" + id).apply(List.of(x2, x3, x4, x5));
    return new KerasTensor[] {x, ip};
  }

  /**
   * Keras's {@code _adjust_block}: {@code p} made to match {@code ip}: {@code ip} itself when there is no
   * {@code p}; after a halving of the size, two strided 1x1 average poolings (the second shifted by one pixel) each
   * projected to {@code filters / 2} channels and concatenated; after a change of channels, a 1x1 projection.
   */
  private static KerasTensor adjustBlock(KerasTensor p, KerasTensor ip, int filters, String id) {
    if (p == null) {
      return ip;
    }
    if (p.shape().get(2) != ip.shape().get(2)) {
      p = relu(p, "adjust_relu_1_" + id);
      KerasTensor p1 = avgPool(p, 1, 2, "valid", "adjust_avg_pool_1_" + id);
      p1 = conv(p1, filters / 2, 1, 1, "same", "adjust_conv_1_" + id);
      KerasTensor p2 = new ZeroPadding2D(new int[][] {{0, 1}, {0, 1}}).apply(p);
      p2 = new Cropping2D(new int[][] {{1, 0}, {1, 0}}).apply(p2);
      p2 = avgPool(p2, 1, 2, "valid", "adjust_avg_pool_2_" + id);
      p2 = conv(p2, filters / 2, 1, 1, "same", "adjust_conv_2_" + id);
      p = new Concatenate(-1).apply(List.of(p1, p2));
      return bn(p, EPSILON, MOMENTUM, "adjust_bn_" + id);
    }
    if (Blocks.channels(p) != filters) {
      p = relu(p, null);
      p = conv(p, filters, 1, 1, "same", "adjust_conv_projection_" + id);
      return bn(p, EPSILON, MOMENTUM, "adjust_bn_" + id);
    }
    return p;
  }

  /**
   * Keras's {@code _separable_conv_block}: twice ReLU, separable convolution (no bias), BatchNormalization; the first
   * strided after Keras's {@code correct_pad} zero padding.
   */
  private static KerasTensor separableConvBlock(KerasTensor ip, int filters, int kernelSize, int strides,
      String id) {
    KerasTensor x = relu(ip, null);
    String padding = "same";
    if (strides == 2) {
      x = new ZeroPadding2D(ImageNetUtils.correctPad(x, kernelSize), "separable_conv_1_pad_" + id).apply(x);
      padding = "valid";
    }
    x = SeparableConv2D.builder(filters, kernelSize).strides(strides).padding(padding).useBias(false)
        .name("separable_conv_1_" + id).build().apply(x);
    x = bn(x, EPSILON, MOMENTUM, "separable_conv_1_bn_" + id);
    x = relu(x, null);
    x = SeparableConv2D.builder(filters, kernelSize).padding("same").useBias(false).name("separable_conv_2_" + id)
        .build().apply(x);
    return bn(x, EPSILON, MOMENTUM, "separable_conv_2_bn_" + id);
  }

  // ---------------------------------------------------------------- layers

  /** A Conv2D without bias, initialized {@code he_normal}, as all of NASNet's. */
  private static KerasTensor conv(KerasTensor x, int filters, int kernelSize, int strides, String padding,
      String name) {
    return Conv2D.builder(filters, kernelSize).strides(strides).padding(padding).useBias(false)
        .kernelInitializer("he_normal").name(name).build().apply(x);
  }

  /** A ReLU Activation layer; a null name for a generated {@code activation_<n>}. */
  private static KerasTensor relu(KerasTensor x, String name) {
    return act(x, "relu", name);
  }

  private static KerasTensor avgPool(KerasTensor x, int poolSize, int strides, String padding, String name) {
    return new AveragePooling2D(new int[] {poolSize}, new int[] {strides}, padding, name).apply(x);
  }

  /** The 3x3/2 "valid" max pooling of the reduction cells. */
  private static KerasTensor maxPool(KerasTensor x, String name) {
    return new MaxPooling2D(new int[] {3}, new int[] {2}, "valid", name).apply(x);
  }

  /** An Add of {@code a} and {@code b}, in that order; a null name for a generated {@code add_<n>}. */
  private static KerasTensor add(String name, KerasTensor a, KerasTensor b) {
    return new Add(name).apply(List.of(a, b));
  }
}
