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
 * A preprocessing layer that resizes images to {@code (height, width)}, as Keras 3's {@code keras.layers.Resizing}
 * on the TensorFlow backend ({@code tf.image.resize}: half-pixel centres, no corner alignment, no antialiasing).
 * The same in training and inference.
 *
 * <p>With {@code cropToAspectRatio}, the largest centred window with the target's aspect ratio is cut out first,
 * so the image is not distorted. Input: {@code (batch, height, width, channels)}, channels-last; output:
 * {@code (batch, targetHeight, targetWidth, channels)}.
 *
 * <p>Differences from Keras: interpolation is {@code "bilinear"}, {@code "nearest"} or {@code "bicubic"} (Keras also
 * has {@code "lanczos3"}, {@code "lanczos5"} and {@code "area"}); no {@code pad_to_aspect_ratio} or
 * {@code antialias}; {@code cropToAspectRatio} needs the input's height and width known when the model is built;
 * only batched channels-last images.
 *
 * <pre>{@code
 * new Resizing(64, 64);
 * Resizing.builder(32, 48).interpolation("nearest").cropToAspectRatio(true).build();
 * }</pre>
 */
public class Resizing extends Layer {

  private final int height;
  private final int width;
  private final String interpolation;
  private final boolean cropToAspectRatio;
  private long inputHeight;
  private long inputWidth;

  /** Bilinear resizing to {@code (height, width)}. */
  public Resizing(int height, int width) {
    this(builder(height, width));
  }

  private Resizing(Builder b) {
    super(b.name);
    if (b.height <= 0 || b.width <= 0) {
      throw new IllegalArgumentException(describe() + ": `height` and `width` must be positive. "
          + "Received: height=" + b.height + ", width=" + b.width);
    }
    this.height = b.height;
    this.width = b.width;
    this.interpolation = ImageTransforms.oneOf(describe(), "interpolation", b.interpolation,
        ImageTransforms.RESIZE_INTERPOLATIONS);
    this.cropToAspectRatio = b.cropToAspectRatio;
    setInputSpec(new InputSpec(null, 4, Map.of()));
  }

  /** A builder for a layer resizing to {@code (height, width)}, with Keras's defaults for the rest. */
  public static Builder builder(int height, int width) {
    return new Builder(height, width);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (cropToAspectRatio && (inputShape.get(1) < 0 || inputShape.get(2) < 0)) {
      throw new IllegalArgumentException(describe() + ": cropToAspectRatio needs the input's "
          + "height and width, but received input with shape " + Shapes.format(inputShape));
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
    Operand<TFloat32> images = inputs;
    if (cropToAspectRatio) {
      int[] box = ImageTransforms.aspectCrop(inputHeight, inputWidth, height, width);
      images = ImageTransforms.crop(tf, images, box[0], box[1], box[2], box[3]);
    }
    return ImageTransforms.resize(tf, images, height, width, interpolation);
  }

  /** The output height. */
  public int height() {
    return height;
  }

  /** The output width. */
  public int width() {
    return width;
  }

  /** The interpolation method. */
  public String interpolation() {
    return interpolation;
  }

  /** Whether the image is cropped to the target aspect ratio before resizing. */
  public boolean cropToAspectRatio() {
    return cropToAspectRatio;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("height", height);
    c.put("width", width);
    c.put("interpolation", interpolation);
    c.put("crop_to_aspect_ratio", cropToAspectRatio);
    c.put("pad_to_aspect_ratio", false);
    c.put("fill_mode", "constant");
    c.put("fill_value", 0.0);
    c.put("antialias", false);
    c.put("data_format", "channels_last");
    return c;
  }

  /** Optional settings of {@link Resizing}, with Keras's defaults. */
  public static final class Builder {
    private final int height;
    private final int width;
    private String name;
    private String interpolation = "bilinear";
    private boolean cropToAspectRatio;

    private Builder(int height, int width) {
      this.height = height;
      this.width = width;
    }

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** {@code "bilinear"} (default), {@code "nearest"} or {@code "bicubic"}. */
    public Builder interpolation(String interpolation) {
      this.interpolation = interpolation;
      return this;
    }

    /** Whether to crop the largest centred window with the target aspect ratio first; default false. */
    public Builder cropToAspectRatio(boolean cropToAspectRatio) {
      this.cropToAspectRatio = cropToAspectRatio;
      return this;
    }

    /** The layer. */
    public Resizing build() {
      return new Resizing(this);
    }
  }
}
