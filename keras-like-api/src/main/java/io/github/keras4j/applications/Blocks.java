package io.github.keras4j.applications;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.activations.ReLU;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.core.Activation;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.reshaping.ZeroPadding2D;

/** Short forms of the layer calls the architectures repeat (package-private). */
final class Blocks {

  /** The BatchNormalization epsilon of ResNet and DenseNet. */
  static final double RESNET_EPSILON = 1.001e-5;

  private Blocks() {}

  /** A Conv2D with a square kernel, Keras's default initializers and no activation. */
  static KerasTensor conv(KerasTensor x, int filters, int kernelSize, int strides, String padding, boolean useBias,
      String name) {
    return Conv2D.builder(filters, kernelSize).strides(strides).padding(padding).useBias(useBias).name(name).build()
        .apply(x);
  }

  /** A BatchNormalization over the channels with Keras's momentum 0.99. */
  static KerasTensor bn(KerasTensor x, double epsilon, String name) {
    return BatchNormalization.builder().epsilon(epsilon).name(name).build().apply(x);
  }

  /** A BatchNormalization over the channels. */
  static KerasTensor bn(KerasTensor x, double epsilon, double momentum, String name) {
    return BatchNormalization.builder().epsilon(epsilon).momentum(momentum).name(name).build().apply(x);
  }

  /** An Activation layer. */
  static KerasTensor act(KerasTensor x, String activation, String name) {
    return new Activation(activation, name).apply(x);
  }

  /** {@code ReLU(6.0)}, MobileNet's activation. */
  static KerasTensor relu6(KerasTensor x, String name) {
    return new ReLU(6.0, 0, 0, name).apply(x);
  }

  /** A ZeroPadding2D of {@code ((top, bottom), (left, right))}; a null name for a generated one. */
  static KerasTensor pad(KerasTensor x, int top, int bottom, int left, int right, String name) {
    return new ZeroPadding2D(new int[][] {{top, bottom}, {left, right}}, name).apply(x);
  }

  /** The number of channels (the last axis) of {@code x}. */
  static long channels(KerasTensor x) {
    return x.shape().get(x.shape().numDimensions() - 1);
  }
}
