package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A preprocessing layer that rescales input values to a new range, as Keras 3's {@code keras.layers.Rescaling}:
 * {@code output = inputs * scale + offset}, the same in training and inference (scale and offset are used as
 * float32, as Keras casts them to the layer's compute dtype).
 *
 * <p>To map pixels in {@code [0, 255]} to {@code [0, 1]} use {@code scale = 1 / 255.0}; to {@code [-1, 1]} use
 * {@code scale = 1 / 127.5, offset = -1}. Input: any shape; output: the same shape. Masks pass through.
 *
 * <p>{@code scale} and {@code offset} are numbers, or per-channel arrays broadcast against the last axis (Keras
 * accepts NumPy arrays there: EfficientNet's ImageNet stem divides each RGB channel by its own factor). An array must
 * have one value or one per channel. Difference from Keras: arrays are 1-D (Keras broadcasts arrays of any rank), and
 * a length that does not broadcast is reported when the layer is applied.
 *
 * <pre>{@code
 * new Rescaling(1 / 255.0);            // [0, 255] -> [0, 1]
 * new Rescaling(1 / 127.5, -1.0);      // [0, 255] -> [-1, 1]
 * new Rescaling(new double[] {2, 3, 4}, 0, null);   // per RGB channel
 * }</pre>
 */
public class Rescaling extends Layer {

  private final double[] scale;
  private final double[] offset;
  private final boolean scalarScale;
  private final boolean scalarOffset;

  /** Multiplies the inputs by {@code scale}. */
  public Rescaling(double scale) {
    this(scale, 0.0, null);
  }

  /** Multiplies the inputs by {@code scale} and adds {@code offset}. */
  public Rescaling(double scale, double offset) {
    this(scale, offset, null);
  }

  /**
   * @param scale the factor applied to the inputs; finite
   * @param offset the value added after scaling; finite (Keras's default: 0)
   * @param name the layer's name, or null for a generated one ({@code rescaling}, ...)
   */
  public Rescaling(double scale, double offset, String name) {
    this(new double[] {scale}, true, new double[] {offset}, true, name);
  }

  /**
   * Per-channel factors and one offset, as EfficientNet's ImageNet stem.
   *
   * @param scale the factors: one value for all channels, or one per channel (the last axis); finite
   * @param offset the value added after scaling; finite
   * @param name the layer's name, or null for a generated one ({@code rescaling}, ...)
   */
  public Rescaling(double[] scale, double offset, String name) {
    this(scale, false, new double[] {offset}, true, name);
  }

  /**
   * Per-channel factors and offsets, broadcast against the last axis.
   *
   * @param scale the factors: one value for all channels, or one per channel; finite
   * @param offset the values added after scaling: one value, or one per channel; finite
   * @param name the layer's name, or null for a generated one ({@code rescaling}, ...)
   */
  public Rescaling(double[] scale, double[] offset, String name) {
    this(scale, false, offset, false, name);
  }

  private Rescaling(double[] scale, boolean scalarScale, double[] offset, boolean scalarOffset, String name) {
    super(name);
    if (scale.length == 0 || offset.length == 0 || !Arrays.stream(scale).allMatch(Double::isFinite)
        || !Arrays.stream(offset).allMatch(Double::isFinite)) {
      throw new IllegalArgumentException("Layer '" + name() + "': `scale` and `offset` must be finite numbers. "
          + "Received: scale=" + describe(scale, scalarScale) + ", offset=" + describe(offset, scalarOffset));
    }
    this.scale = scale.clone();
    this.offset = offset.clone();
    this.scalarScale = scalarScale;
    this.scalarOffset = scalarOffset;
    setSupportsMasking(true);
  }

  private static String describe(double[] values, boolean scalar) {
    return scalar ? Double.toString(values[0]) : Arrays.toString(values);
  }

  /** The input shape, after checking that per-channel arrays have one value or one per channel. */
  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long channels = inputShape.numDimensions() == 0 ? 1 : inputShape.get(inputShape.numDimensions() - 1);
    for (double[] values : List.of(scale, offset)) {
      if (values.length != 1 && (inputShape.numDimensions() == 0 || (channels >= 0 && values.length != channels))) {
        throw new IllegalArgumentException("Layer '" + name() + "': `scale` and `offset` must have one value or one "
            + "per channel (the last axis). Received: scale=" + describe(scale, scalarScale) + ", offset="
            + describe(offset, scalarOffset) + " for input shape " + format(inputShape));
      }
    }
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> scaled = tf.math.mul(inputs, constant(tf, scale, scalarScale));
    boolean noOffset = scalarOffset && offset[0] == 0;
    return noOffset ? scaled : tf.math.add(scaled, constant(tf, offset, scalarOffset));
  }

  private static Operand<TFloat32> constant(Ops tf, double[] values, boolean scalar) {
    if (scalar) {
      return tf.constant((float) values[0]);
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return tf.constant(f);
  }

  /**
   * The factor applied to the inputs.
   *
   * @throws IllegalStateException for per-channel factors (see {@link #scales()})
   */
  public double scale() {
    if (!scalarScale) {
      throw new IllegalStateException("Layer '" + name() + "' has per-channel scales " + Arrays.toString(scale)
          + ": read them with scales()");
    }
    return scale[0];
  }

  /**
   * The value added after scaling.
   *
   * @throws IllegalStateException for per-channel offsets (see {@link #offsets()})
   */
  public double offset() {
    if (!scalarOffset) {
      throw new IllegalStateException("Layer '" + name() + "' has per-channel offsets " + Arrays.toString(offset)
          + ": read them with offsets()");
    }
    return offset[0];
  }

  /** The factors: one value for a number, else one per channel (or one broadcast to all). */
  public double[] scales() {
    return scale.clone();
  }

  /** The offsets, as {@link #scales()}. */
  public double[] offsets() {
    return offset.clone();
  }

  /** {@code scale} and {@code offset}: numbers, or lists for per-channel arrays. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("scale", configValue(scale, scalarScale));
    c.put("offset", configValue(offset, scalarOffset));
    return c;
  }

  private static Object configValue(double[] values, boolean scalar) {
    if (scalar) {
      return values[0];
    }
    List<Double> out = new ArrayList<>();
    for (double v : values) {
      out.add(v);
    }
    return out;
  }
}
