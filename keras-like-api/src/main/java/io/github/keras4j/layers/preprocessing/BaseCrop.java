package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link CenterCrop} and {@link RandomCrop} share: the target {@code (height, width)}, channels-last image
 * batches {@code (batch, inputHeight, inputWidth, channels)} whose height and width are known when the model is
 * built, the output shape {@code (batch, height, width, channels)}, and Keras's {@code smart_resize} for inputs that
 * cannot simply be cropped.
 */
public abstract class BaseCrop extends Layer {

  private final int height;
  private final int width;
  private long inputHeight;
  private long inputWidth;

  BaseCrop(int height, int width, String name) {
    super(name);
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(describe() + ": `height` and `width` must be positive. Received: height="
          + height + ", width=" + width);
    }
    this.height = height;
    this.width = width;
    setInputSpec(new InputSpec(null, 4, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.get(1) < 0 || inputShape.get(2) < 0) {
      throw new IllegalArgumentException(describe() + ": the input's height and width must be known, but received "
          + "input with shape " + Shapes.format(inputShape));
    }
    return Shape.of(inputShape.get(0), height, width, inputShape.get(3));
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    inputHeight = inputShape.get(1);
    inputWidth = inputShape.get(2);
  }

  /** The input's height, after build. */
  final long inputHeight() {
    return inputHeight;
  }

  /** The input's width, after build. */
  final long inputWidth() {
    return inputWidth;
  }

  /**
   * Keras's {@code smart_resize}: the largest centred window of the input with the target's aspect ratio, resized
   * bilinearly to {@code (height, width)} (only cropped when it already has that size).
   */
  final Operand<TFloat32> smartResize(Ops tf, Operand<TFloat32> inputs) {
    int[] box = ImageTransforms.aspectCrop(inputHeight, inputWidth, height, width);
    Operand<TFloat32> cropped = ImageTransforms.crop(tf, inputs, box[0], box[1], box[2], box[3]);
    if (box[2] == height && box[3] == width) {
      return cropped;
    }
    return ImageTransforms.resize(tf, cropped, height, width, "bilinear");
  }

  /** The output height. */
  public int height() {
    return height;
  }

  /** The output width. */
  public int width() {
    return width;
  }

  /** {@code height}, {@code width} and {@code data_format} (always channels-last). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("height", height);
    c.put("width", width);
    c.put("data_format", "channels_last");
    return c;
  }
}
