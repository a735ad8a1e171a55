package io.github.keras4j.applications;

import io.github.keras4j.layers.Layer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's module-private {@code inception_resnet_v2.CustomScaleLayer} (package-private here too): the residual sum
 * of an Inception-ResNet block, {@code inputs[0] + inputs[1] * scale}, where {@code inputs[0]} is the block's input
 * (the shortcut) and {@code inputs[1]} the output of its 1x1 "up" convolution. Two inputs of the same shape; the
 * output has that shape. No weights. Config: {@code scale}.
 *
 * <p>Java difference: the two shapes are checked when the layer is applied (Keras would fail in the addition).
 */
final class CustomScaleLayer extends Layer {

  private final double scale;

  /**
   * @param scale the factor of the residual branch
   * @param name the layer's name, or null for a generated one ({@code custom_scale_layer}, ...)
   */
  CustomScaleLayer(double scale, String name) {
    super(name);
    this.scale = scale;
  }

  /** The factor of the residual branch. */
  double scale() {
    return scale;
  }

  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    if (inputShapes.size() != 2
        || !Arrays.equals(inputShapes.get(0).asArray(), inputShapes.get(1).asArray())) {
      StringBuilder shapes = new StringBuilder();
      for (Shape s : inputShapes) {
        shapes.append(shapes.length() == 0 ? "" : ", ").append(format(s));
      }
      throw new IllegalArgumentException(describe() + " expects two inputs of the same shape, [shortcut, residual]. "
          + "Received: input shapes [" + shapes + "]");
    }
    return inputShapes.get(0);
  }

  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    // No weights.
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, boolean training) {
    return tf.math.add(inputs.get(0), tf.math.mul(inputs.get(1), tf.constant((float) scale)));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("scale", scale);
    return c;
  }
}
