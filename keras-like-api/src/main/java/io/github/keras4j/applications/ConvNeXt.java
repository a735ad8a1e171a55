package io.github.keras4j.applications;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.core.Activation;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.normalization.LayerNormalization;
import io.github.keras4j.layers.pooling.GlobalAveragePooling2D;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.NestedModel;
import io.github.keras4j.models.Sequential;
import java.util.List;

/**
 * Keras's {@code keras.applications.convnext}: ConvNeXtTiny, ConvNeXtSmall, ConvNeXtBase, ConvNeXtLarge and
 * ConvNeXtXLarge (Liu et al., "A ConvNet for the 2020s", CVPR 2022).
 *
 * <p>The layers, named after the model's name {@code <name>} ({@code convnext_tiny} by default, so Keras's names),
 * in Keras's order:
 * <ul>
 *   <li>with {@code includePreprocessing} (the default) and 3 input channels, {@code <name>_prestem_normalization}:
 *       a {@code Normalization} by the ImageNet means {@code (0.485, 0.456, 0.406) * 255} and variances
 *       {@code ((0.229, 0.224, 0.225) * 255)^2}, so the model takes RGB pixels in [0, 255];
 *   <li>{@code <name>_stem}, a nested Sequential of {@code <name>_stem_conv} (4x4, stride 4) and
 *       {@code <name>_stem_layernorm};
 *   <li>four stages of ConvNeXt blocks {@code <name>_stage_<i>_block_<j>}: {@code _depthwise_conv} (a 7x7 Conv2D with
 *       one group per channel), {@code _layernorm}, {@code _pointwise_conv_1} (Dense, 4 x the channels),
 *       {@code _gelu}, {@code _pointwise_conv_2} (Dense), {@code _layer_scale} (a per-channel scale initialized to
 *       1e-6), {@code _identity} (a linear Activation, where a drop path rate would put a stochastic depth layer) and
 *       the sum with the block's input (an {@code Add} with a generated name, where Keras's {@code inputs + x} makes an
 *       {@code add} operation that is not one of the model's layers);
 *   <li>before stages 1 to 3, {@code <name>_downsampling_block_<i>}, a nested Sequential of
 *       {@code <name>_downsampling_layernorm_<i>} and {@code <name>_downsampling_conv_<i>} (2x2, stride 2);
 *   <li>with {@code includeTop}: {@code <name>_head_gap} (global average pooling), {@code <name>_head_layernorm} and
 *       {@code <name>_head_dense} (the classifier); without it, the optional global pooling then a
 *       {@code LayerNormalization}, both with generated names.
 * </ul>
 * Every LayerNormalization has epsilon 1e-6. Blocks per stage: 3, 3, 9, 3 (Tiny) and 3, 3, 27, 3 (the others);
 * channels 96, 192, 384, 768 (Tiny, Small), 128 ... 1024 (Base), 192 ... 1536 (Large), 256 ... 2048 (XLarge). Default
 * input 224 x 224 x 3, minimum 32 x 32. Parameters with the top: 28,589,128 (Tiny), 50,223,688 (Small), 88,591,464
 * (Base), 197,767,336 (Large), 350,196,968 (XLarge), all trainable.
 *
 * <p>Java differences: Keras's {@code include_preprocessing} is the second argument of the factories (default true)
 * rather than an option; Keras's checks of {@code weights="imagenet"} (1000 classes with the top, a model name that
 * contains the variant's) run before the model is built, where Keras checks the name after building it.
 *
 * <pre>{@code
 * Model m = ConvNeXt.convNeXtTiny(new ApplicationOptions().includeTop(false).inputShape(64, 64, 3).pooling("avg"));
 * // (None, 768), from RGB pixels in [0, 255]
 * }</pre>
 */
public final class ConvNeXt {

  /** The epsilon of every LayerNormalization of ConvNeXt. */
  static final double EPSILON = 1e-6;
  /** The ImageNet channel means of the pre-stem Normalization, in [0, 255] units. */
  static final float[] MEAN = {(float) (0.485 * 255), (float) (0.456 * 255), (float) (0.406 * 255)};
  /** The ImageNet channel variances of the pre-stem Normalization, in [0, 255] units. */
  static final float[] VARIANCE = {square(0.229 * 255), square(0.224 * 255), square(0.225 * 255)};

  private ConvNeXt() {}

  private static float square(double v) {
    return (float) (v * v);
  }

  /**
   * Instantiates ConvNeXtTiny, as {@code keras.applications.ConvNeXtTiny(...)}, with its preprocessing; model name
   * {@code "convnext_tiny"}.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J yet), a weights path
   *     that does not exist, an input shape that is not 3 values or is smaller than 32 x 32, no static input shape,
   *     a pooling other than null, "avg" or "max", or an unknown classifier activation
   */
  public static Model convNeXtTiny(ApplicationOptions options) {
    return convNeXtTiny(options, true);
  }

  /**
   * ConvNeXtTiny with or without its preprocessing ({@code include_preprocessing}): without it the model takes
   * inputs already normalized. Errors as {@link #convNeXtTiny(ApplicationOptions)}.
   */
  public static Model convNeXtTiny(ApplicationOptions options, boolean includePreprocessing) {
    return graph("convnext_tiny", options, includePreprocessing).toModel();
  }

  /** Instantiates ConvNeXtSmall, as {@code keras.applications.ConvNeXtSmall(...)}; see {@link #convNeXtTiny}. */
  public static Model convNeXtSmall(ApplicationOptions options) {
    return convNeXtSmall(options, true);
  }

  /** ConvNeXtSmall with or without its preprocessing; see {@link #convNeXtTiny(ApplicationOptions, boolean)}. */
  public static Model convNeXtSmall(ApplicationOptions options, boolean includePreprocessing) {
    return graph("convnext_small", options, includePreprocessing).toModel();
  }

  /** Instantiates ConvNeXtBase, as {@code keras.applications.ConvNeXtBase(...)}; see {@link #convNeXtTiny}. */
  public static Model convNeXtBase(ApplicationOptions options) {
    return convNeXtBase(options, true);
  }

  /** ConvNeXtBase with or without its preprocessing; see {@link #convNeXtTiny(ApplicationOptions, boolean)}. */
  public static Model convNeXtBase(ApplicationOptions options, boolean includePreprocessing) {
    return graph("convnext_base", options, includePreprocessing).toModel();
  }

  /** Instantiates ConvNeXtLarge, as {@code keras.applications.ConvNeXtLarge(...)}; see {@link #convNeXtTiny}. */
  public static Model convNeXtLarge(ApplicationOptions options) {
    return convNeXtLarge(options, true);
  }

  /** ConvNeXtLarge with or without its preprocessing; see {@link #convNeXtTiny(ApplicationOptions, boolean)}. */
  public static Model convNeXtLarge(ApplicationOptions options, boolean includePreprocessing) {
    return graph("convnext_large", options, includePreprocessing).toModel();
  }

  /** Instantiates ConvNeXtXLarge, as {@code keras.applications.ConvNeXtXLarge(...)}; see {@link #convNeXtTiny}. */
  public static Model convNeXtXLarge(ApplicationOptions options) {
    return convNeXtXLarge(options, true);
  }

  /** ConvNeXtXLarge with or without its preprocessing; see {@link #convNeXtTiny(ApplicationOptions, boolean)}. */
  public static Model convNeXtXLarge(ApplicationOptions options, boolean includePreprocessing) {
    return graph("convnext_xlarge", options, includePreprocessing).toModel();
  }

  /**
   * Keras's {@code convnext.preprocess_input}, a placeholder: the models normalize their inputs themselves (see
   * {@code includePreprocessing}), so this returns {@code x} itself, unchanged, as Keras returns its argument.
   */
  public static float[] preprocessInput(float[] x) {
    return x;
  }

  /**
   * The layer graph of a variant by its Keras weights name ({@code "convnext_tiny"}, {@code "convnext_small"},
   * {@code "convnext_base"}, {@code "convnext_large"}, {@code "convnext_xlarge"}).
   */
  static LayerGraph graph(String variant, ApplicationOptions o, boolean includePreprocessing) {
    int[] deep = {3, 3, 27, 3};
    return switch (variant) {
      case "convnext_tiny" -> build("ConvNeXtTiny", variant, new int[] {3, 3, 9, 3}, dims(96), 0.0, 1e-6, 224, o,
          includePreprocessing);
      case "convnext_small" -> build("ConvNeXtSmall", variant, deep, dims(96), 0.0, 1e-6, 224, o,
          includePreprocessing);
      case "convnext_base" -> build("ConvNeXtBase", variant, deep, dims(128), 0.0, 1e-6, 224, o,
          includePreprocessing);
      case "convnext_large" -> build("ConvNeXtLarge", variant, deep, dims(192), 0.0, 1e-6, 224, o,
          includePreprocessing);
      case "convnext_xlarge" -> build("ConvNeXtXLarge", variant, deep, dims(256), 0.0, 1e-6, 224, o,
          includePreprocessing);
      default -> throw new IllegalArgumentException("Unknown ConvNeXt variant: " + variant);
    };
  }

  /** The four stages' channels, doubling from {@code first}. */
  private static int[] dims(int first) {
    return new int[] {first, 2 * first, 4 * first, 8 * first};
  }

  /**
   * Keras's {@code ConvNeXt(...)}: the architecture for any stage depths and channels.
   *
   * @param architecture the name in messages ({@code "ConvNeXtTiny"})
   * @param weightsName the variant's weights name ({@code "convnext_tiny"}), also the default model name
   * @param dropPathRate the stochastic depth rate of the last block, rising linearly from 0 at the first (0: none)
   * @param layerScaleInitValue the initial layer scale, or null for no LayerScale
   */
  static LayerGraph build(String architecture, String weightsName, int[] depths, int[] projectionDims,
      double dropPathRate, Double layerScaleInitValue, int defaultSize, ApplicationOptions o,
      boolean includePreprocessing) {
    ImageNetUtils.checkCommon(architecture, o, false, false, false);
    String name = o.name() != null ? o.name() : weightsName;
    checkImagenet(o, weightsName, name);
    long[] shape = ImageNetUtils.obtainInputShape(o.inputShape(), defaultSize, 32, o.includeTop());
    KerasTensor input = ImageNetUtils.imageInput(architecture, o, shape, defaultSize);
    KerasTensor x = input;
    if (includePreprocessing && shape[2] == 3) {
      x = Normalization.builder().mean(MEAN).variance(VARIANCE).name(name + "_prestem_normalization").build()
          .apply(x);
    }
    int total = 0;
    for (int d : depths) {
      total += d;
    }
    int cur = 0;
    for (int i = 0; i < 4; i++) {
      if (i == 0) {
        x = nested(name + "_stem", x,
            Conv2D.builder(projectionDims[0], 4).strides(4).name(name + "_stem_conv").build(),
            layerNorm(name + "_stem_layernorm"));
      } else {
        x = nested(name + "_downsampling_block_" + (i - 1), x,
            layerNorm(name + "_downsampling_layernorm_" + (i - 1)),
            Conv2D.builder(projectionDims[i], 2).strides(2).name(name + "_downsampling_conv_" + (i - 1)).build());
      }
      for (int j = 0; j < depths[i]; j++) {
        // np.linspace(0, drop_path_rate, sum(depths))[cur + j]
        double rate = total == 1 ? 0.0 : dropPathRate * (cur + j) / (total - 1);
        x = block(x, projectionDims[i], rate, layerScaleInitValue, name + "_stage_" + i + "_block_" + j);
      }
      cur += depths[i];
    }
    if (o.includeTop()) {
      x = new GlobalAveragePooling2D(false, name + "_head_gap").apply(x);
      x = layerNorm(name + "_head_layernorm").apply(x);
      x = Dense.builder(o.classes()).activation(o.classifierActivation()).name(name + "_head_dense").build().apply(x);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), null, null);
      x = layerNorm(null).apply(x);
    }
    return ImageNetUtils.graph(input, x, name, o);
  }

  /**
   * Keras's checks of {@code weights="imagenet"}: 1000 classes with the top, and a model name containing the
   * variant's weights name (the layer names, and so the weights file's, follow the model name).
   */
  static void checkImagenet(ApplicationOptions o, String weightsName, String name) {
    if (!"imagenet".equals(o.weights())) {
      return;
    }
    if (o.includeTop() && o.classes() != 1000) {
      throw new IllegalArgumentException("If using `weights=\"imagenet\"` with `include_top=True`, `classes` should "
          + "be 1000. Received classes=" + o.classes());
    }
    if (!name.contains(weightsName)) {
      String variant = weightsName.substring(weightsName.indexOf("convnext_") + "convnext_".length());
      throw new IllegalArgumentException("Model name \"" + name + "\" does not match weights variant \"" + weightsName
          + "\". When using imagenet weights, model name must contain the weights variant (e.g., \"convnext_"
          + variant + "\").");
    }
  }

  /** Keras's {@code ConvNeXtBlock}: depthwise 7x7, LayerNorm, inverted bottleneck, layer scale, residual sum. */
  private static KerasTensor block(KerasTensor inputs, int projectionDim, double dropPathRate,
      Double layerScaleInitValue, String name) {
    KerasTensor x = Conv2D.builder(projectionDim, 7).padding("same").groups(projectionDim)
        .name(name + "_depthwise_conv").build().apply(inputs);
    x = layerNorm(name + "_layernorm").apply(x);
    x = Dense.builder(4 * projectionDim).name(name + "_pointwise_conv_1").build().apply(x);
    x = new Activation("gelu", name + "_gelu").apply(x);
    x = Dense.builder(projectionDim).name(name + "_pointwise_conv_2").build().apply(x);
    if (layerScaleInitValue != null) {
      x = new LayerScale(layerScaleInitValue, projectionDim, name + "_layer_scale").apply(x);
    }
    Layer last = dropPathRate != 0
        ? new StochasticDepth(dropPathRate, name + "_stochastic_depth")
        : new Activation("linear", name + "_identity");
    return new Add().apply(List.of(inputs, last.apply(x)));
  }

  /** A LayerNormalization over the channels with ConvNeXt's epsilon; a null name for a generated one. */
  private static LayerNormalization layerNorm(String name) {
    return LayerNormalization.builder().epsilon(EPSILON).name(name).build();
  }

  /**
   * A Sequential of two layers named {@code name}, applied to {@code x} as one layer of the model (Keras's stem and
   * downsampling blocks are nested Sequential models). The outer model closes it.
   */
  private static KerasTensor nested(String name, KerasTensor x, Layer first, Layer second) {
    return NestedModel.owning(new Sequential(name, List.of(first, second))).apply(x);
  }
}
