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
 * A preprocessing layer that crops the central {@code (height, width)} window of images, as Keras 3's
 * {@code keras.layers.CenterCrop}; the same in training and inference. The window starts at
 * {@code ((inputHeight - height) / 2, (inputWidth - width) / 2)} (rounded down). When the input is smaller than the
 * target on either axis, the image is instead resized to the target as Keras's {@code smart_resize} does: the
 * largest centred window with the target's aspect ratio, resized bilinearly.
 *
 * <p>Input: {@code (batch, height, width, channels)}, channels-last; output: {@code (batch, height, width,
 * channels)} with the target height and width.
 *
 * <p>Differences from Keras: the input's height and width must be known when the model is built; only batched
 * channels-last images.
 *
 * <pre>{@code new CenterCrop(24, 24)}</pre>
 */
public class CenterCrop extends Layer {

  private final int height;
  private final int width;
  private long inputHeight;
  private long inputWidth;

  /** Crops the central {@code (height, width)} window. */
  public CenterCrop(int height, int width) {
    this(height, width, null);
  }

  /**
   * @param height the output height, positive
   * @param width the output width, positive
   * @param name the layer's name, or null for a generated one
   */
  public CenterCrop(int height, int width, String name) {
    super(name);
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(describe() + ": `height` and `width` must be "
          + "positive. Received: height=" + height + ", width=" + width);
    }
    this.height = height;
    this.width = width;
    setInputSpec(new InputSpec(null, 4, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.get(1) < 0 || inputShape.get(2) < 0) {
      throw new IllegalArgumentException(describe() + ": the input's height and width must be "
          + "known, but received input with shape " + Shapes.format(inputShape));
    }
    return Shape.of(inputShape.get(0), height, width, inputShape.get(3));
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    inputHeight = inputShape.get(1);
    inputWidth = inputShape.get(2);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    long dh = inputHeight - height;
    long dw = inputWidth - width;
    if (dh >= 0 && dw >= 0) {
      return ImageTransforms.crop(tf, inputs, (int) (dh / 2), (int) (dw / 2), height, width);
    }
    int[] box = ImageTransforms.aspectCrop(inputHeight, inputWidth, height, width);
    Operand<TFloat32> cropped = ImageTransforms.crop(tf, inputs, box[0], box[1], box[2], box[3]);
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

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("height", height);
    c.put("width", width);
    c.put("data_format", "channels_last");
    return c;
  }
}
