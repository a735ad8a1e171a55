package io.github.keras4j.applications;

import static io.github.keras4j.applications.EfficientNetBlocks.bn;
import static io.github.keras4j.applications.EfficientNetBlocks.conv;

import io.github.keras4j.applications.EfficientNetBlocks.Stage;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.layers.reshaping.ZeroPadding2D;
import io.github.keras4j.models.Model;

/**
 * Keras's {@code keras.applications.efficientnet}: EfficientNetB0 to EfficientNetB7 (Tan and Le, "EfficientNet:
 * Rethinking Model Scaling for Convolutional Neural Networks", ICML 2019) and their (pass-through)
 * {@code preprocess_input}.
 *
 * <p>The input preprocessing is part of the model, which takes RGB pixels in {@code [0, 255]}: a {@code rescaling}
 * layer (1/255) and a {@code normalization} layer (mean, variance and count weights, loaded with ImageNet weights;
 * with random weights Keras leaves them at mean 0 and variance 1, the identity), and with ImageNet weights a
 * per-channel {@code rescaling_1}. Then the stem ({@code stem_conv_pad}, {@code stem_conv} 3x3/2, {@code stem_bn},
 * {@code stem_activation}), seven stages of MBConv blocks named {@code block1a_} ... ({@code expand_conv},
 * {@code expand_bn}, {@code expand_activation} when the block expands, {@code dwconv_pad} when strided,
 * {@code dwconv}, {@code bn}, {@code activation}, the squeeze and excitation {@code se_squeeze}, {@code se_reshape},
 * {@code se_reduce}, {@code se_expand}, {@code se_excite}, then {@code project_conv}, {@code project_bn}, and where
 * the shapes allow {@code drop} (stochastic depth, growing to 0.2) and {@code add}), then {@code top_conv},
 * {@code top_bn}, {@code top_activation}, and with the top {@code avg_pool}, {@code top_dropout} and
 * {@code predictions}. Swish activations; BatchNormalization with Keras's defaults (momentum 0.99, epsilon 1e-3);
 * Keras's variance-scaling initializers. Minimum input 32 x 32.
 *
 * <table>
 *   <caption>The variants (width and depth coefficients scale the filters and the blocks)</caption>
 *   <tr><th>Model</th><th>width</th><th>depth</th><th>default input</th><th>top dropout</th><th>parameters</th></tr>
 *   <tr><td>EfficientNetB0</td><td>1.0</td><td>1.0</td><td>224</td><td>0.2</td><td>5,330,571</td></tr>
 *   <tr><td>EfficientNetB1</td><td>1.0</td><td>1.1</td><td>240</td><td>0.2</td><td>7,856,239</td></tr>
 *   <tr><td>EfficientNetB2</td><td>1.1</td><td>1.2</td><td>260</td><td>0.3</td><td>9,177,569</td></tr>
 *   <tr><td>EfficientNetB3</td><td>1.2</td><td>1.4</td><td>300</td><td>0.3</td><td>12,320,535</td></tr>
 *   <tr><td>EfficientNetB4</td><td>1.4</td><td>1.8</td><td>380</td><td>0.4</td><td>19,466,823</td></tr>
 *   <tr><td>EfficientNetB5</td><td>1.6</td><td>2.2</td><td>456</td><td>0.4</td><td>30,562,527</td></tr>
 *   <tr><td>EfficientNetB6</td><td>1.8</td><td>2.6</td><td>528</td><td>0.5</td><td>43,265,143</td></tr>
 *   <tr><td>EfficientNetB7</td><td>2.0</td><td>3.1</td><td>600</td><td>0.5</td><td>66,658,687</td></tr>
 * </table>
 *
 * <p>Java differences: see the package documentation (weights, static input sizes); the {@code normalization}
 * layer's {@code count} weight is 2 where Keras's is 0 (Keras4J's Normalization must be adapted before use, so it is
 * adapted on data of mean 0 and variance 1, which gives Keras's initial statistics).
 *
 * <pre>{@code
 * try (Model m = EfficientNet.efficientNetB0(new ApplicationOptions().includeTop(false).inputShape(128, 128, 3)
 *     .pooling("avg"))) {
 *   m.predict(pixels);                               // (n, 1280) features of RGB pixels in [0, 255]
 * }
 * }</pre>
 */
public final class EfficientNet {

  /** Keras's {@code DEFAULT_BLOCKS_ARGS} (MBConv stages, all with identity skips and squeeze and excitation). */
  private static final Stage[] DEFAULT_BLOCKS = {
    new Stage(3, 1, 32, 16, 1, 1, 0.25, false),
    new Stage(3, 2, 16, 24, 6, 2, 0.25, false),
    new Stage(5, 2, 24, 40, 6, 2, 0.25, false),
    new Stage(3, 3, 40, 80, 6, 2, 0.25, false),
    new Stage(5, 3, 80, 112, 6, 1, 0.25, false),
    new Stage(5, 4, 112, 192, 6, 2, 0.25, false),
    new Stage(3, 1, 192, 320, 6, 1, 0.25, false),
  };

  /** Keras's {@code IMAGENET_STDDEV_RGB}. */
  private static final double[] IMAGENET_STDDEV_RGB = {0.229, 0.224, 0.225};
  private static final double MOMENTUM = 0.99;
  /** Keras passes {@code "swish"}, which it serializes as {@code "silu"}, the same function. */
  private static final String ACTIVATION = "silu";

  /** A variant's coefficients, as the arguments Keras's {@code EfficientNetBx} functions pass on. */
  private record Variant(String architecture, double width, double depth, int defaultSize, double dropoutRate) {}

  private EfficientNet() {}

  /**
   * Instantiates EfficientNetB0, as {@code keras.applications.EfficientNetB0(...)}; model name
   * {@code "efficientnetb0"}, default input 224 x 224 x 3.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J yet), a weights path
   *     that does not exist, an input shape that is not 3 values or is smaller than 32 x 32, an unknown size with
   *     {@code includeTop}, a pooling other than null, "avg" or "max", or an argument only MobileNet takes
   */
  public static Model efficientNetB0(ApplicationOptions options) {
    return graph("efficientnetb0", options).toModel();
  }

  /** Instantiates EfficientNetB1 (default input 240); errors as {@link #efficientNetB0}. */
  public static Model efficientNetB1(ApplicationOptions options) {
    return graph("efficientnetb1", options).toModel();
  }

  /** Instantiates EfficientNetB2 (default input 260); errors as {@link #efficientNetB0}. */
  public static Model efficientNetB2(ApplicationOptions options) {
    return graph("efficientnetb2", options).toModel();
  }

  /** Instantiates EfficientNetB3 (default input 300); errors as {@link #efficientNetB0}. */
  public static Model efficientNetB3(ApplicationOptions options) {
    return graph("efficientnetb3", options).toModel();
  }

  /** Instantiates EfficientNetB4 (default input 380); errors as {@link #efficientNetB0}. */
  public static Model efficientNetB4(ApplicationOptions options) {
    return graph("efficientnetb4", options).toModel();
  }

  /** Instantiates EfficientNetB5 (default input 456); errors as {@link #efficientNetB0}. */
  public static Model efficientNetB5(ApplicationOptions options) {
    return graph("efficientnetb5", options).toModel();
  }

  /** Instantiates EfficientNetB6 (default input 528); errors as {@link #efficientNetB0}. */
  public static Model efficientNetB6(ApplicationOptions options) {
    return graph("efficientnetb6", options).toModel();
  }

  /** Instantiates EfficientNetB7 (default input 600); errors as {@link #efficientNetB0}. */
  public static Model efficientNetB7(ApplicationOptions options) {
    return graph("efficientnetb7", options).toModel();
  }

  /**
   * Keras's {@code efficientnet.preprocess_input}: a pass-through kept for compatibility, since the models rescale
   * and normalize their inputs themselves (they take RGB pixels in {@code [0, 255]}).
   *
   * @return {@code x} itself, unchanged, as Keras returns its argument
   */
  public static float[] preprocessInput(float[] x) {
    return x;
  }

  /** The layer graph of {@code "efficientnetb0"} ... {@code "efficientnetb7"}. */
  static LayerGraph graph(String kerasName, ApplicationOptions o) {
    return graph(kerasName, o, "imagenet".equals(o.weights()));
  }

  /**
   * The layer graph, with or without the extra {@code rescaling_1} Keras adds before loading ImageNet weights
   * (tests build it without the weights).
   */
  static LayerGraph graph(String kerasName, ApplicationOptions o, boolean imagenetStem) {
    Variant v = switch (kerasName) {
      case "efficientnetb0" -> new Variant("EfficientNetB0", 1.0, 1.0, 224, 0.2);
      case "efficientnetb1" -> new Variant("EfficientNetB1", 1.0, 1.1, 240, 0.2);
      case "efficientnetb2" -> new Variant("EfficientNetB2", 1.1, 1.2, 260, 0.3);
      case "efficientnetb3" -> new Variant("EfficientNetB3", 1.2, 1.4, 300, 0.3);
      case "efficientnetb4" -> new Variant("EfficientNetB4", 1.4, 1.8, 380, 0.4);
      case "efficientnetb5" -> new Variant("EfficientNetB5", 1.6, 2.2, 456, 0.4);
      case "efficientnetb6" -> new Variant("EfficientNetB6", 1.8, 2.6, 528, 0.5);
      case "efficientnetb7" -> new Variant("EfficientNetB7", 2.0, 3.1, 600, 0.5);
      default -> throw new IllegalArgumentException("Unknown EfficientNet: " + kerasName);
    };
    ImageNetUtils.checkCommon(v.architecture(), o, false, false, false);
    EfficientNetBlocks.checkImagenetClasses(o);
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), v.defaultSize(), 32, o.includeTop());
    KerasTensor input = ImageNetUtils.imageInput(v.architecture(), o, shape, v.defaultSize());

    KerasTensor x = new Rescaling(1.0 / 255.0).apply(input);
    x = EfficientNetBlocks.unadaptedNormalization(x);
    if (imagenetStem) {
      // Keras: the original implementation divides by the variance, so the standard deviations are divided once
      // more by sqrt(stddev) (https://github.com/tensorflow/tensorflow/issues/49930).
      double[] scale = new double[IMAGENET_STDDEV_RGB.length];
      for (int c = 0; c < scale.length; c++) {
        scale[c] = 1.0 / Math.sqrt(IMAGENET_STDDEV_RGB[c]);
      }
      x = new Rescaling(scale, 0.0, null).apply(x);
    }
    x = new ZeroPadding2D(ImageNetUtils.correctPad(x, 3), "stem_conv_pad").apply(x);
    x = conv(x, roundFilters(32, v.width()), 3, 2, "valid", false, null, "stem_conv");
    x = bn(x, MOMENTUM, "stem_bn");
    x = Blocks.act(x, ACTIVATION, "stem_activation");

    int blocks = 0;
    for (Stage s : DEFAULT_BLOCKS) {
      blocks += EfficientNetBlocks.roundRepeats(v.depth(), s.repeats());
    }
    int b = 0;
    for (int i = 0; i < DEFAULT_BLOCKS.length; i++) {
      Stage s = DEFAULT_BLOCKS[i];
      int filtersIn = roundFilters(s.filtersIn(), v.width());
      int filtersOut = roundFilters(s.filtersOut(), v.width());
      int repeats = EfficientNetBlocks.roundRepeats(v.depth(), s.repeats());
      for (int j = 0; j < repeats; j++) {
        // The first block of a stage takes its stride and filter change; the others keep the size.
        x = block(x, EfficientNetBlocks.DROP_CONNECT_RATE * b / blocks, EfficientNetBlocks.blockName(i, j),
            j == 0 ? filtersIn : filtersOut, filtersOut, s.kernelSize(), j == 0 ? s.strides() : 1, s.expandRatio(),
            s.seRatio());
        b++;
      }
    }
    x = EfficientNetBlocks.top(x, roundFilters(1280, v.width()), MOMENTUM, ACTIVATION, v.dropoutRate(), o);
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : kerasName, o);
  }

  /**
   * Keras's {@code round_filters}: {@code filters * widthCoefficient} rounded to a multiple of 8 as MobileNetV2's
   * {@code _make_divisible} (at least 8, one more multiple if rounding lost more than 10%).
   */
  static int roundFilters(int filters, double widthCoefficient) {
    return MobileNetV2.makeDivisible(filters * widthCoefficient, 8);
  }

  /** Keras's {@code block}: the MBConv inverted residual block with squeeze and excitation. */
  private static KerasTensor block(KerasTensor inputs, double dropRate, String name, int filtersIn, int filtersOut,
      int kernelSize, int strides, int expandRatio, double seRatio) {
    int filters = filtersIn * expandRatio;
    KerasTensor x = inputs;
    if (expandRatio != 1) {
      x = conv(x, filters, 1, 1, "same", false, null, name + "expand_conv");
      x = bn(x, MOMENTUM, name + "expand_bn");
      x = Blocks.act(x, ACTIVATION, name + "expand_activation");
    }
    String padding = "same";
    if (strides == 2) {
      x = new ZeroPadding2D(ImageNetUtils.correctPad(x, kernelSize), name + "dwconv_pad").apply(x);
      padding = "valid";
    }
    x = EfficientNetBlocks.depthwise(x, kernelSize, strides, padding, name + "dwconv");
    x = bn(x, MOMENTUM, name + "bn");
    x = Blocks.act(x, ACTIVATION, name + "activation");
    if (seRatio > 0 && seRatio <= 1) {
      x = EfficientNetBlocks.squeezeExcite(x, filtersIn, seRatio, ACTIVATION, name);
    }
    x = conv(x, filtersOut, 1, 1, "same", false, null, name + "project_conv");
    x = bn(x, MOMENTUM, name + "project_bn");
    if (strides == 1 && filtersIn == filtersOut) {
      x = EfficientNetBlocks.residual(x, inputs, dropRate, name);
    }
    return x;
  }
}
