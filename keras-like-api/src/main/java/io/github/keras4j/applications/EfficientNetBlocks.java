package io.github.keras4j.applications;

import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.initializers.VarianceScaling;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.merging.Multiply;
import io.github.keras4j.layers.pooling.GlobalAveragePooling2D;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.layers.regularization.Dropout;
import io.github.keras4j.layers.reshaping.Reshape;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link EfficientNet} and {@link EfficientNetV2} share (package-private): Keras's initializers, the squeeze and
 * excitation, the stochastic-depth residual, the top, the stage arguments and the depth rounding.
 */
final class EfficientNetBlocks {

  /** Keras's {@code CONV_KERNEL_INITIALIZER}: {@code VarianceScaling(2.0, "fan_out", "truncated_normal")}. */
  static final Initializer CONV_KERNEL_INITIALIZER = new VarianceScaling(2.0, "fan_out", "truncated_normal");
  /** Keras's {@code DENSE_KERNEL_INITIALIZER}: {@code VarianceScaling(1/3, "fan_out", "uniform")}. */
  static final Initializer DENSE_KERNEL_INITIALIZER = new VarianceScaling(1.0 / 3.0, "fan_out", "uniform");
  /** Keras's default BatchNormalization epsilon, which both families keep. */
  static final double EPSILON = 1e-3;
  /** The rate of stochastic depth ({@code drop_connect_rate}) reached by the last block. */
  static final double DROP_CONNECT_RATE = 0.2;

  private EfficientNetBlocks() {}

  /**
   * One stage of blocks, as an entry of Keras's {@code DEFAULT_BLOCKS_ARGS} before width and depth scaling.
   *
   * @param kernelSize the depthwise (or fused) kernel size
   * @param repeats the number of blocks before depth scaling
   * @param filtersIn the input filters before width scaling
   * @param filtersOut the output filters before width scaling
   * @param expandRatio the expansion of the inverted bottleneck
   * @param strides the first block's stride
   * @param seRatio the squeeze and excitation ratio; 0 for none
   * @param fused whether the blocks are EfficientNetV2's Fused-MBConv ({@code conv_type=1})
   */
  record Stage(int kernelSize, int repeats, int filtersIn, int filtersOut, int expandRatio, int strides,
      double seRatio, boolean fused) {}

  /** Keras's {@code round_repeats}: {@code ceil(depthCoefficient * repeats)}. */
  static int roundRepeats(double depthCoefficient, int repeats) {
    return (int) Math.ceil(depthCoefficient * repeats);
  }

  /** The prefix of block {@code repeat} of stage {@code stage} (both from 0): {@code block1a_}, {@code block2b_}. */
  static String blockName(int stage, int repeat) {
    return "block" + (stage + 1) + (char) ('a' + repeat) + "_";
  }

  /**
   * Keras's check for ImageNet weights with the classifier, which needs ImageNet's 1000 classes.
   *
   * @throws IllegalArgumentException with Keras's message
   */
  static void checkImagenetClasses(ApplicationOptions o) {
    if ("imagenet".equals(o.weights()) && o.includeTop() && o.classes() != 1000) {
      throw new IllegalArgumentException("If using `weights=\"imagenet\"` with `include_top` as true, `classes` "
          + "should be 1000");
    }
  }

  /** A Conv2D with Keras's EfficientNet kernel initializer; a null activation for none. */
  static KerasTensor conv(KerasTensor x, int filters, int kernelSize, int strides, String padding, boolean useBias,
      String activation, String name) {
    return Conv2D.builder(filters, kernelSize).strides(strides).padding(padding).useBias(useBias)
        .activation(activation).kernelInitializer(CONV_KERNEL_INITIALIZER).name(name).build().apply(x);
  }

  /** A DepthwiseConv2D without bias, with Keras's EfficientNet kernel initializer. */
  static KerasTensor depthwise(KerasTensor x, int kernelSize, int strides, String padding, String name) {
    return DepthwiseConv2D.builder(kernelSize).strides(strides).padding(padding).useBias(false)
        .depthwiseInitializer(CONV_KERNEL_INITIALIZER).name(name).build().apply(x);
  }

  /** A BatchNormalization with Keras's default epsilon. */
  static KerasTensor bn(KerasTensor x, double momentum, String name) {
    return Blocks.bn(x, EPSILON, momentum, name);
  }

  /**
   * Keras's squeeze and excitation: {@code se_squeeze} (global average), {@code se_reshape} to (1, 1, filters),
   * {@code se_reduce} (1x1 to {@code max(1, int(filtersIn * seRatio))}, the block's activation), {@code se_expand}
   * (1x1 back to {@code filters}, sigmoid) and {@code se_excite}, the product with {@code x}.
   */
  static KerasTensor squeezeExcite(KerasTensor x, int filtersIn, double seRatio, String activation, String prefix) {
    int filters = (int) Blocks.channels(x);
    int filtersSe = Math.max(1, (int) (filtersIn * seRatio));
    KerasTensor se = new GlobalAveragePooling2D(false, prefix + "se_squeeze").apply(x);
    se = new Reshape(prefix + "se_reshape", 1, 1, filters).apply(se);
    se = conv(se, filtersSe, 1, 1, "same", true, activation, prefix + "se_reduce");
    se = conv(se, filters, 1, 1, "same", true, "sigmoid", prefix + "se_expand");
    return new Multiply(prefix + "se_excite").apply(List.of(x, se));
  }

  /**
   * The identity shortcut: {@code drop} (stochastic depth: Dropout of {@code dropRate} with one draw per sample,
   * Keras's {@code noise_shape=(None, 1, 1, 1)}) when the rate is positive, then {@code add} of {@code x} and the
   * block's {@code inputs}.
   */
  static KerasTensor residual(KerasTensor x, KerasTensor inputs, double dropRate, String prefix) {
    if (dropRate > 0) {
      x = new Dropout(dropRate, new long[] {-1, 1, 1, 1}, null, prefix + "drop").apply(x);
    }
    return new Add(prefix + "add").apply(List.of(x, inputs));
  }

  /**
   * The top both families share: {@code top_conv} (1x1, no bias), {@code top_bn}, {@code top_activation}, then with
   * {@code includeTop} {@code avg_pool}, {@code top_dropout} (when {@code dropoutRate > 0}) and the
   * {@code predictions} Dense (Keras's EfficientNet kernel initializer), or else the optional pooling
   * ({@code avg_pool} or {@code max_pool}).
   */
  static KerasTensor top(KerasTensor x, int filters, double momentum, String activation, double dropoutRate,
      ApplicationOptions o) {
    x = conv(x, filters, 1, 1, "same", false, null, "top_conv");
    x = bn(x, momentum, "top_bn");
    x = Blocks.act(x, activation, "top_activation");
    if (!o.includeTop()) {
      return ImageNetUtils.pool(x, o.pooling(), "avg_pool", "max_pool");
    }
    x = ImageNetUtils.pool(x, "avg", "avg_pool", null);
    if (dropoutRate > 0) {
      x = new Dropout(dropoutRate, null, "top_dropout").apply(x);
    }
    return Dense.builder(o.classes()).activation(o.classifierActivation()).kernelInitializer(DENSE_KERNEL_INITIALIZER)
        .name("predictions").build().apply(x);
  }

  /**
   * Keras's {@code Normalization(axis=3)} as EfficientNet creates it, without statistics: Keras 3 then normalizes
   * with its initial weights, mean 0 and variance 1 (the identity) until ImageNet weights are loaded into them.
   * Keras4J's Normalization refuses to run before {@code adapt}, so the layer is adapted here on the values -1 and 1
   * of every channel, whose mean is exactly 0 and population variance exactly 1. Java difference: its {@code count}
   * weight is 2, where Keras's is 0.
   */
  static KerasTensor unadaptedNormalization(KerasTensor x) {
    int channels = (int) Blocks.channels(x);
    float[][][][] plusMinusOne = new float[2][1][1][channels];
    Arrays.fill(plusMinusOne[0][0][0], -1f);
    Arrays.fill(plusMinusOne[1][0][0], 1f);
    Normalization normalization = Normalization.builder().axis(3).build();
    normalization.adapt(plusMinusOne);
    return normalization.apply(x);
  }
}
