package io.github.keras4j.applications;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.core.Activation;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.pooling.AveragePooling2D;
import io.github.keras4j.layers.pooling.MaxPooling2D;
import java.util.List;

/** What InceptionV3 and InceptionResNetV2 share (package-private); MobileNetV3 shares the classes check. */
final class InceptionBlocks {

  private InceptionBlocks() {}

  /**
   * The {@code conv2d_bn} of Keras's Inception modules: a {@code rows x cols} Conv2D, then (without a bias) a
   * BatchNormalization without {@code gamma} ({@code scale=False}, Keras's defaults otherwise), then (unless
   * {@code activation} is null) an Activation. Null names give the layers generated names, as in Keras.
   */
  static KerasTensor conv2dBn(KerasTensor x, int filters, int rows, int cols, int strides, String padding,
      boolean useBias, String activation, String convName, String bnName, String activationName) {
    x = Conv2D.builder(filters, rows, cols).strides(strides).padding(padding).useBias(useBias).name(convName).build()
        .apply(x);
    if (!useBias) {
      x = BatchNormalization.builder().scale(false).name(bnName).build().apply(x);
    }
    return activation == null ? x : new Activation(activation, activationName).apply(x);
  }

  /** The grid reduction pooling of both: {@code MaxPooling2D(3, strides=2)}, "valid" padding, unnamed. */
  static KerasTensor maxPool(KerasTensor x) {
    return new MaxPooling2D(new int[] {3}, new int[] {2}, "valid", null).apply(x);
  }

  /** The pooling branch of both: {@code AveragePooling2D(3, strides=1, padding="same")}, unnamed. */
  static KerasTensor avgPool(KerasTensor x) {
    return new AveragePooling2D(new int[] {3}, new int[] {1}, "same", null).apply(x);
  }

  /** The concatenation of the branches on the channel axis (Keras's {@code axis=3}); null for a generated name. */
  static KerasTensor concat(String name, List<KerasTensor> branches) {
    return new Concatenate(3, name).apply(branches);
  }

  /**
   * Keras's check, once {@code weights="imagenet"} is accepted, that the ImageNet classifier keeps its 1000 classes;
   * {@code message} is the architecture's own wording, followed by {@code "Received classes=<classes>"}.
   */
  static void checkImageNetClasses(ApplicationOptions o, String message) {
    if ("imagenet".equals(o.weights()) && o.includeTop() && o.classes() != 1000) {
      throw new IllegalArgumentException(message + "Received classes=" + o.classes());
    }
  }
}
