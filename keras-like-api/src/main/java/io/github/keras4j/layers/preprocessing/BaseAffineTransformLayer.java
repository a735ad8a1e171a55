package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.graph.Shapes;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The base of the random geometric augmentations ({@link RandomTranslation}, {@link RandomRotation},
 * {@link RandomZoom}): each draws per-image parameters, turns them into an affine matrix and resamples the image
 * with TensorFlow's {@code ImageProjectiveTransformV3}, as Keras's TensorFlow backend does. For an output pixel at
 * column {@code x}, row {@code y} (pixel centres at integers), a row {@code [a0, a1, a2, b0, b1, b2, 0, 0]} of the
 * matrix reads the input at {@code (a0 x + a1 y + a2, b0 x + b1 y + b2)}.
 *
 * <p>Points outside the image are filled by {@code fillMode}: {@code "reflect"} (Keras's default;
 * {@code d c b a | a b c d | d c b a}, reflecting about the edge of the last pixel), {@code "constant"}
 * ({@code fillValue}), {@code "wrap"} ({@code a b c d | a b c d | a b c d}) or {@code "nearest"}
 * ({@code a a a a | a b c d | d d d d}). {@code interpolation} is {@code "bilinear"} (default) or
 * {@code "nearest"}.
 *
 * <p>In training, gradients flow back through these layers to the layers before them, as in Keras on TensorFlow:
 * the transform op's gradient is Python TensorFlow's (the upstream gradient resampled with the inverted transforms),
 * registered by the graph module's {@code ImageGradients}; like TensorFlow's, it is the exact transpose of the
 * resampling only for whole-pixel moves with constant fill, an approximation for bilinear resampling. In inference
 * these layers are the identity.
 */
public abstract class BaseAffineTransformLayer extends BaseImagePreprocessingLayer {

  private final String fillMode;
  private final String interpolation;
  private final float fillValue;

  /** Reads and checks the shared settings of {@code b}. */
  protected BaseAffineTransformLayer(Builder<?> b) {
    super(b.seed, b.name);
    String owner = describe();
    this.fillMode = ImageTransforms.oneOf(owner, "fill_mode", b.fillMode, ImageTransforms.FILL_MODES);
    this.interpolation = ImageTransforms.oneOf(owner, "interpolation", b.interpolation,
        ImageTransforms.AFFINE_INTERPOLATIONS);
    this.fillValue = (float) b.fillValue;
  }


  /**
   * The affine matrices {@code (batch, 8)} of {@code transformation} for {@code images}, in the layout of the class
   * comment.
   */
  protected abstract Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation);

  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    return ImageTransforms.affine(tf, images, matrix(tf, images, transformation), interpolation, fillMode,
        fillValue);
  }

  /** The size of axis {@code axis} of {@code images} as a float32 vector of one element. */
  static Operand<TFloat32> dim(Ops tf, Operand<TFloat32> images, int axis) {
    return tf.dtypes.cast(Shapes.dims(tf, images, axis, 1), TFloat32.class);
  }

  /** The fill mode. */
  public String fillMode() {
    return fillMode;
  }

  /** The interpolation. */
  public String interpolation() {
    return interpolation;
  }

  /** The value of points outside the image with {@code fillMode="constant"}. */
  public float fillValue() {
    return fillValue;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("fill_mode", fillMode);
    c.put("interpolation", interpolation);
    c.put("fill_value", (double) fillValue);
    return c;
  }

  /**
   * The settings the geometric augmentations share, with Keras's defaults.
   *
   * @param <B> the concrete builder
   */
  public abstract static class Builder<B extends Builder<B>> {
    private String name;
    private Long seed;
    private String fillMode = "reflect";
    private String interpolation = "bilinear";
    private double fillValue;

    /** Constructor for subclasses. */
    protected Builder() {}

    /** This builder, typed as the concrete builder. */
    protected abstract B self();

    /** The layer's name. */
    public B name(String name) {
      this.name = name;
      return self();
    }

    /** The draws' seed; by default one from the global seed sequence. */
    public B seed(long seed) {
      this.seed = seed;
      return self();
    }

    /** {@code "reflect"} (default), {@code "constant"}, {@code "wrap"} or {@code "nearest"}. */
    public B fillMode(String fillMode) {
      this.fillMode = fillMode;
      return self();
    }

    /** {@code "bilinear"} (default) or {@code "nearest"}. */
    public B interpolation(String interpolation) {
      this.interpolation = interpolation;
      return self();
    }

    /** The value outside the image with {@code fillMode("constant")}; default 0. */
    public B fillValue(double fillValue) {
      this.fillValue = fillValue;
      return self();
    }
  }
}
