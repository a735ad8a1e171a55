package io.github.keras4j.applications;

import static io.github.keras4j.applications.EfficientNetBlocks.bn;
import static io.github.keras4j.applications.EfficientNetBlocks.conv;

import io.github.keras4j.applications.EfficientNetBlocks.Stage;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.models.Model;

/**
 * Keras's {@code keras.applications.efficientnet_v2}: EfficientNetV2B0 to B3 and EfficientNetV2S, M and L (Tan and
 * Le, "EfficientNetV2: Smaller Models and Faster Training", ICML 2021) and their (pass-through)
 * {@code preprocess_input}.
 *
 * <p>With {@code includePreprocessing} (the default) the model takes RGB pixels in {@code [0, 255]}: the B variants
 * start with a {@code rescaling} (1/255) and a {@code normalization} by ImageNet's mean (0.485, 0.456, 0.406) and
 * variance (0.229², 0.224², 0.225²) (constants, no weights; for 3-channel inputs only), S, M and L (and B inputs of
 * other channel counts) with a {@code rescaling} to {@code x / 128 - 1}. Without it the model takes values in
 * {@code [-1, 1]}. Then the stem ({@code stem_conv} 3x3/2 "same", {@code stem_bn}, {@code stem_activation}), stages
 * of Fused-MBConv blocks ({@code block1a_expand_conv} kxk, {@code _expand_bn}, {@code _expand_activation} when the
 * block expands, {@code _project_conv}, {@code _project_bn}, and {@code _project_activation} when it does not) and
 * of MBConv blocks ({@code _expand_conv} 1x1, {@code _expand_bn}, {@code _expand_activation}, {@code _dwconv2},
 * {@code _bn}, {@code _activation}, the squeeze and excitation {@code _se_squeeze} ... {@code _se_excite},
 * {@code _project_conv}, {@code _project_bn}), each with {@code _drop} (stochastic depth) and {@code _add} where the
 * shapes allow; then {@code top_conv}, {@code top_bn}, {@code top_activation}, and with the top {@code avg_pool},
 * {@code top_dropout} (0.2) and {@code predictions}. Swish activations; BatchNormalization momentum 0.9, epsilon
 * 1e-3; Keras's variance-scaling initializers. Minimum input 32 x 32.
 *
 * <table>
 *   <caption>The variants</caption>
 *   <tr><th>Model</th><th>name</th><th>width</th><th>depth</th><th>default input</th><th>parameters</th></tr>
 *   <tr><td>EfficientNetV2B0</td><td>efficientnetv2-b0</td><td>1.0</td><td>1.0</td><td>224</td><td>7,200,312</td></tr>
 *   <tr><td>EfficientNetV2B1</td><td>efficientnetv2-b1</td><td>1.0</td><td>1.1</td><td>240</td><td>8,212,124</td></tr>
 *   <tr><td>EfficientNetV2B2</td><td>efficientnetv2-b2</td><td>1.1</td><td>1.2</td><td>260</td><td>10,178,374</td>
 *   </tr>
 *   <tr><td>EfficientNetV2B3</td><td>efficientnetv2-b3</td><td>1.2</td><td>1.4</td><td>300</td><td>14,467,622</td>
 *   </tr>
 *   <tr><td>EfficientNetV2S</td><td>efficientnetv2-s</td><td>1.0</td><td>1.0</td><td>384</td><td>21,612,360</td></tr>
 *   <tr><td>EfficientNetV2M</td><td>efficientnetv2-m</td><td>1.0</td><td>1.0</td><td>480</td><td>54,431,388</td></tr>
 *   <tr><td>EfficientNetV2L</td><td>efficientnetv2-l</td><td>1.0</td><td>1.0</td><td>480</td><td>119,027,848</td>
 *   </tr>
 * </table>
 *
 * <p>Java differences: {@code include_preprocessing} is the second argument of each factory, as
 * {@link ApplicationOptions} holds the arguments the architectures share; the architecture and its preprocessing
 * follow the variant, where Keras looks its blocks up by the model's {@code name} (so in Keras a custom name fails
 * with a {@code KeyError}, and only names whose last {@code -} part starts with "b" get the B preprocessing). See
 * also the package documentation (weights, static input sizes).
 *
 * <pre>{@code
 * try (Model m = EfficientNetV2.efficientNetV2B0(new ApplicationOptions().includeTop(false)
 *     .inputShape(128, 128, 3).pooling("avg"))) {
 *   m.predict(pixels);                               // (n, 1280) features of RGB pixels in [0, 255]
 * }
 * }</pre>
 */
public final class EfficientNetV2 {

  private static final double MOMENTUM = 0.9;
  /** Keras passes {@code "swish"}, which it serializes as {@code "silu"}, the same function. */
  private static final String ACTIVATION = "silu";
  private static final double DROPOUT_RATE = 0.2;
  private static final int DEPTH_DIVISOR = 8;
  private static final int MIN_DEPTH = 8;

  /** Keras's {@code DEFAULT_BLOCKS_ARGS["efficientnetv2-b0"]}, shared by B0 to B3 (scaled by their coefficients). */
  private static final Stage[] BLOCKS_B = {
    new Stage(3, 1, 32, 16, 1, 1, 0, true),
    new Stage(3, 2, 16, 32, 4, 2, 0, true),
    new Stage(3, 2, 32, 48, 4, 2, 0, true),
    new Stage(3, 3, 48, 96, 4, 2, 0.25, false),
    new Stage(3, 5, 96, 112, 6, 1, 0.25, false),
    new Stage(3, 8, 112, 192, 6, 2, 0.25, false),
  };

  /** Keras's {@code DEFAULT_BLOCKS_ARGS["efficientnetv2-s"]}. */
  private static final Stage[] BLOCKS_S = {
    new Stage(3, 2, 24, 24, 1, 1, 0, true),
    new Stage(3, 4, 24, 48, 4, 2, 0, true),
    new Stage(3, 4, 48, 64, 4, 2, 0, true),
    new Stage(3, 6, 64, 128, 4, 2, 0.25, false),
    new Stage(3, 9, 128, 160, 6, 1, 0.25, false),
    new Stage(3, 15, 160, 256, 6, 2, 0.25, false),
  };

  /** Keras's {@code DEFAULT_BLOCKS_ARGS["efficientnetv2-m"]}. */
  private static final Stage[] BLOCKS_M = {
    new Stage(3, 3, 24, 24, 1, 1, 0, true),
    new Stage(3, 5, 24, 48, 4, 2, 0, true),
    new Stage(3, 5, 48, 80, 4, 2, 0, true),
    new Stage(3, 7, 80, 160, 4, 2, 0.25, false),
    new Stage(3, 14, 160, 176, 6, 1, 0.25, false),
    new Stage(3, 18, 176, 304, 6, 2, 0.25, false),
    new Stage(3, 5, 304, 512, 6, 1, 0.25, false),
  };

  /** Keras's {@code DEFAULT_BLOCKS_ARGS["efficientnetv2-l"]}. */
  private static final Stage[] BLOCKS_L = {
    new Stage(3, 4, 32, 32, 1, 1, 0, true),
    new Stage(3, 7, 32, 64, 4, 2, 0, true),
    new Stage(3, 7, 64, 96, 4, 2, 0, true),
    new Stage(3, 10, 96, 192, 4, 2, 0.25, false),
    new Stage(3, 19, 192, 224, 6, 1, 0.25, false),
    new Stage(3, 25, 224, 384, 6, 2, 0.25, false),
    new Stage(3, 7, 384, 640, 6, 1, 0.25, false),
  };

  /** ImageNet's RGB means and variances, for the B variants' preprocessing. */
  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_VARIANCE = {(float) (0.229 * 0.229), (float) (0.224 * 0.224),
      (float) (0.225 * 0.225)};

  /** A variant: its coefficients, default size, stages, and whether it is a B variant (V1-style preprocessing). */
  private record Variant(String architecture, double width, double depth, int defaultSize, Stage[] stages,
      boolean bVariant) {}

  private EfficientNetV2() {}

  /**
   * Instantiates EfficientNetV2B0 with its preprocessing, as {@code keras.applications.EfficientNetV2B0(...)};
   * model name {@code "efficientnetv2-b0"}, default input 224 x 224 x 3.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J yet), a weights path
   *     that does not exist, an input shape that is not 3 values or is smaller than 32 x 32, an unknown size with
   *     {@code includeTop}, a pooling other than null, "avg" or "max", or an argument only MobileNet takes
   */
  public static Model efficientNetV2B0(ApplicationOptions options) {
    return efficientNetV2B0(options, true);
  }

  /**
   * Instantiates EfficientNetV2B0, as {@code keras.applications.EfficientNetV2B0(...,
   * include_preprocessing=includePreprocessing)}; errors as {@link #efficientNetV2B0(ApplicationOptions)}.
   *
   * @param includePreprocessing whether the model rescales and normalizes pixels in {@code [0, 255]} itself (Keras's
   *     default, true); false for a model that takes values in {@code [-1, 1]}
   */
  public static Model efficientNetV2B0(ApplicationOptions options, boolean includePreprocessing) {
    return graph("efficientnetv2-b0", options, includePreprocessing).toModel();
  }

  /** Instantiates EfficientNetV2B1 (default input 240) with its preprocessing; see {@link #efficientNetV2B0}. */
  public static Model efficientNetV2B1(ApplicationOptions options) {
    return efficientNetV2B1(options, true);
  }

  /** Instantiates EfficientNetV2B1; see {@link #efficientNetV2B0(ApplicationOptions, boolean)}. */
  public static Model efficientNetV2B1(ApplicationOptions options, boolean includePreprocessing) {
    return graph("efficientnetv2-b1", options, includePreprocessing).toModel();
  }

  /** Instantiates EfficientNetV2B2 (default input 260) with its preprocessing; see {@link #efficientNetV2B0}. */
  public static Model efficientNetV2B2(ApplicationOptions options) {
    return efficientNetV2B2(options, true);
  }

  /** Instantiates EfficientNetV2B2; see {@link #efficientNetV2B0(ApplicationOptions, boolean)}. */
  public static Model efficientNetV2B2(ApplicationOptions options, boolean includePreprocessing) {
    return graph("efficientnetv2-b2", options, includePreprocessing).toModel();
  }

  /** Instantiates EfficientNetV2B3 (default input 300) with its preprocessing; see {@link #efficientNetV2B0}. */
  public static Model efficientNetV2B3(ApplicationOptions options) {
    return efficientNetV2B3(options, true);
  }

  /** Instantiates EfficientNetV2B3; see {@link #efficientNetV2B0(ApplicationOptions, boolean)}. */
  public static Model efficientNetV2B3(ApplicationOptions options, boolean includePreprocessing) {
    return graph("efficientnetv2-b3", options, includePreprocessing).toModel();
  }

  /** Instantiates EfficientNetV2S (default input 384) with its preprocessing; see {@link #efficientNetV2B0}. */
  public static Model efficientNetV2S(ApplicationOptions options) {
    return efficientNetV2S(options, true);
  }

  /** Instantiates EfficientNetV2S; see {@link #efficientNetV2B0(ApplicationOptions, boolean)}. */
  public static Model efficientNetV2S(ApplicationOptions options, boolean includePreprocessing) {
    return graph("efficientnetv2-s", options, includePreprocessing).toModel();
  }

  /** Instantiates EfficientNetV2M (default input 480) with its preprocessing; see {@link #efficientNetV2B0}. */
  public static Model efficientNetV2M(ApplicationOptions options) {
    return efficientNetV2M(options, true);
  }

  /** Instantiates EfficientNetV2M; see {@link #efficientNetV2B0(ApplicationOptions, boolean)}. */
  public static Model efficientNetV2M(ApplicationOptions options, boolean includePreprocessing) {
    return graph("efficientnetv2-m", options, includePreprocessing).toModel();
  }

  /** Instantiates EfficientNetV2L (default input 480) with its preprocessing; see {@link #efficientNetV2B0}. */
  public static Model efficientNetV2L(ApplicationOptions options) {
    return efficientNetV2L(options, true);
  }

  /** Instantiates EfficientNetV2L; see {@link #efficientNetV2B0(ApplicationOptions, boolean)}. */
  public static Model efficientNetV2L(ApplicationOptions options, boolean includePreprocessing) {
    return graph("efficientnetv2-l", options, includePreprocessing).toModel();
  }

  /**
   * Keras's {@code efficientnet_v2.preprocess_input}: a pass-through kept for compatibility, since the models
   * preprocess their inputs themselves ({@code includePreprocessing}).
   *
   * @return {@code x} itself, unchanged, as Keras returns its argument
   */
  public static float[] preprocessInput(float[] x) {
    return x;
  }

  /** The layer graph of {@code "efficientnetv2-b0"} ... {@code "efficientnetv2-l"}. */
  static LayerGraph graph(String kerasName, ApplicationOptions o, boolean includePreprocessing) {
    Variant v = switch (kerasName) {
      case "efficientnetv2-b0" -> new Variant("EfficientNetV2B0", 1.0, 1.0, 224, BLOCKS_B, true);
      case "efficientnetv2-b1" -> new Variant("EfficientNetV2B1", 1.0, 1.1, 240, BLOCKS_B, true);
      case "efficientnetv2-b2" -> new Variant("EfficientNetV2B2", 1.1, 1.2, 260, BLOCKS_B, true);
      case "efficientnetv2-b3" -> new Variant("EfficientNetV2B3", 1.2, 1.4, 300, BLOCKS_B, true);
      case "efficientnetv2-s" -> new Variant("EfficientNetV2S", 1.0, 1.0, 384, BLOCKS_S, false);
      case "efficientnetv2-m" -> new Variant("EfficientNetV2M", 1.0, 1.0, 480, BLOCKS_M, false);
      case "efficientnetv2-l" -> new Variant("EfficientNetV2L", 1.0, 1.0, 480, BLOCKS_L, false);
      default -> throw new IllegalArgumentException("Unknown EfficientNetV2: " + kerasName);
    };
    ImageNetUtils.checkCommon(v.architecture(), o, false, false, false);
    EfficientNetBlocks.checkImagenetClasses(o);
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), v.defaultSize(), 32, o.includeTop());
    KerasTensor input = ImageNetUtils.imageInput(v.architecture(), o, shape, v.defaultSize());

    KerasTensor x = input;
    if (includePreprocessing) {
      if (v.bVariant() && shape[2] == 3) {
        x = new Rescaling(1.0 / 255).apply(x);
        x = Normalization.builder().axis(3).mean(IMAGENET_MEAN).variance(IMAGENET_VARIANCE).build().apply(x);
      } else {
        x = new Rescaling(1.0 / 128.0, -1).apply(x);
      }
    }
    Stage[] stages = v.stages();
    x = conv(x, roundFilters(stages[0].filtersIn(), v.width()), 3, 2, "same", false, null, "stem_conv");
    x = bn(x, MOMENTUM, "stem_bn");
    x = Blocks.act(x, ACTIVATION, "stem_activation");

    // Keras divides by the number of blocks before depth scaling, so the deeper variants' last blocks pass 0.2.
    int blocks = 0;
    for (Stage s : stages) {
      blocks += s.repeats();
    }
    int b = 0;
    for (int i = 0; i < stages.length; i++) {
      Stage s = stages[i];
      int filtersIn = roundFilters(s.filtersIn(), v.width());
      int filtersOut = roundFilters(s.filtersOut(), v.width());
      int repeats = EfficientNetBlocks.roundRepeats(v.depth(), s.repeats());
      for (int j = 0; j < repeats; j++) {
        double dropRate = EfficientNetBlocks.DROP_CONNECT_RATE * b / blocks;
        String name = EfficientNetBlocks.blockName(i, j);
        int in = j == 0 ? filtersIn : filtersOut;
        int strides = j == 0 ? s.strides() : 1;
        x = s.fused()
            ? fusedMbConvBlock(x, in, filtersOut, s.expandRatio(), s.kernelSize(), strides, s.seRatio(), dropRate, name)
            : mbConvBlock(x, in, filtersOut, s.expandRatio(), s.kernelSize(), strides, s.seRatio(), dropRate, name);
        b++;
      }
    }
    x = EfficientNetBlocks.top(x, roundFilters(1280, v.width()), MOMENTUM, ACTIVATION, DROPOUT_RATE, o);
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : kerasName, o);
  }

  /**
   * Keras's EfficientNetV2 {@code round_filters}: {@code filters * widthCoefficient} rounded to the nearest multiple
   * of 8, at least 8 (without EfficientNet's 10% correction).
   */
  static int roundFilters(int filters, double widthCoefficient) {
    double scaled = filters * widthCoefficient;
    return Math.max(MIN_DEPTH, (int) (scaled + DEPTH_DIVISOR / 2.0) / DEPTH_DIVISOR * DEPTH_DIVISOR);
  }

  /** Keras's {@code MBConvBlock}: expand (1x1), depthwise, squeeze and excitation, project (1x1), residual. */
  private static KerasTensor mbConvBlock(KerasTensor inputs, int filtersIn, int filtersOut, int expandRatio,
      int kernelSize, int strides, double seRatio, double dropRate, String name) {
    KerasTensor x = inputs;
    if (expandRatio != 1) {
      x = conv(x, filtersIn * expandRatio, 1, 1, "same", false, null, name + "expand_conv");
      x = bn(x, MOMENTUM, name + "expand_bn");
      x = Blocks.act(x, ACTIVATION, name + "expand_activation");
    }
    x = EfficientNetBlocks.depthwise(x, kernelSize, strides, "same", name + "dwconv2");
    x = bn(x, MOMENTUM, name + "bn");
    x = Blocks.act(x, ACTIVATION, name + "activation");
    x = squeezeExciteAndProject(x, filtersIn, filtersOut, 1, 1, seRatio, name);
    return residual(x, inputs, filtersIn, filtersOut, strides, dropRate, name);
  }

  /**
   * Keras's {@code FusedMBConvBlock}: the expansion and the depthwise convolution fused into one kxk convolution
   * ({@code expand_conv}), then squeeze and excitation, {@code project_conv} (1x1; or, when the block does not
   * expand, the block's only convolution: kxk with the stride, followed by {@code project_activation}), residual.
   */
  private static KerasTensor fusedMbConvBlock(KerasTensor inputs, int filtersIn, int filtersOut, int expandRatio,
      int kernelSize, int strides, double seRatio, double dropRate, String name) {
    KerasTensor x = inputs;
    boolean expands = expandRatio != 1;
    if (expands) {
      x = conv(x, filtersIn * expandRatio, kernelSize, strides, "same", false, null, name + "expand_conv");
      x = bn(x, MOMENTUM, name + "expand_bn");
      x = Blocks.act(x, ACTIVATION, name + "expand_activation");
    }
    x = squeezeExciteAndProject(x, filtersIn, filtersOut, expands ? 1 : kernelSize, expands ? 1 : strides, seRatio,
        name);
    if (!expands) {
      x = Blocks.act(x, ACTIVATION, name + "project_activation");
    }
    return residual(x, inputs, filtersIn, filtersOut, strides, dropRate, name);
  }

  /** The optional squeeze and excitation, then {@code project_conv} and {@code project_bn}. */
  private static KerasTensor squeezeExciteAndProject(KerasTensor x, int filtersIn, int filtersOut, int kernelSize,
      int strides, double seRatio, String name) {
    if (seRatio > 0 && seRatio <= 1) {
      x = EfficientNetBlocks.squeezeExcite(x, filtersIn, seRatio, ACTIVATION, name);
    }
    x = conv(x, filtersOut, kernelSize, strides, "same", false, null, name + "project_conv");
    return bn(x, MOMENTUM, name + "project_bn");
  }

  /** The residual when the block keeps the size: stochastic depth ({@code drop}) when the rate is positive, add. */
  private static KerasTensor residual(KerasTensor x, KerasTensor inputs, int filtersIn, int filtersOut, int strides,
      double dropRate, String name) {
    return strides == 1 && filtersIn == filtersOut ? EfficientNetBlocks.residual(x, inputs, dropRate, name) : x;
  }
}
