package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
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
 * <p>Difference from Keras: {@code scale} and {@code offset} are numbers; Keras also accepts per-channel arrays.
 *
 * <pre>{@code
 * new Rescaling(1 / 255.0);            // [0, 255] -> [0, 1]
 * new Rescaling(1 / 127.5, -1.0);      // [0, 255] -> [-1, 1]
 * }</pre>
 */
public class Rescaling extends Layer {

  private final double scale;
  private final double offset;

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
    super(name);
    if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
      throw new IllegalArgumentException("Layer '" + name() + "': `scale` and `offset` must be finite numbers. "
          + "Received: scale=" + scale + ", offset=" + offset);
    }
    this.scale = scale;
    this.offset = offset;
    setSupportsMasking(true);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> scaled = tf.math.mul(inputs, tf.constant((float) scale));
    return offset == 0 ? scaled : tf.math.add(scaled, tf.constant((float) offset));
  }

  /** The factor applied to the inputs. */
  public double scale() {
    return scale;
  }

  /** The value added after scaling. */
  public double offset() {
    return offset;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("scale", scale);
    c.put("offset", offset);
    return c;
  }
}
