package io.github.keras4j.layers.reshaping;

import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Repeats each step of sequences {@code size} times along the time axis, as Keras 3's
 * {@code keras.layers.UpSampling1D} ({@code ops.repeat(x, size, axis=1)}): steps {@code a, b} become
 * {@code a, a, b, b} for {@code size=2}.
 *
 * <p>Input shape {@code (batch, steps, features)}; output shape {@code (batch, steps * size, features)}. Default as
 * Keras: {@code size=2}.
 *
 * <pre>{@code
 * new UpSampling1D();                      // (None, 10, 4) -> (None, 20, 4)
 * new UpSampling1D(3);                     // (None, 10, 4) -> (None, 30, 4)
 * }</pre>
 */
public class UpSampling1D extends Layer {

  private final int size;

  /** Repeats each step twice. */
  public UpSampling1D() {
    this(2);
  }

  /** Repeats each step {@code size} times. */
  public UpSampling1D(int size) {
    this(size, null);
  }

  /**
   * @param size the upsampling factor, positive
   * @param name the layer's name, or null for a generated one ({@code up_sampling1d}, ...)
   */
  public UpSampling1D(int size, String name) {
    super(name);
    if (size <= 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': argument `size` should be a positive integer. "
          + "Received: size=" + size);
    }
    this.size = size;
    setInputSpec(new InputSpec(null, 3, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long steps = inputShape.get(1);
    return Shape.of(inputShape.get(0), steps < 0 ? steps : steps * size, inputShape.get(2));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    // (b, t, f) -> (b, t, 1, f) -> tiled (b, t, size, f) -> (b, t * size, f): each step repeated in place.
    Operand<TFloat32> tiled = tf.tile(tf.expandDims(inputs, tf.constant(2)), tf.constant(new int[] {1, 1, size, 1}));
    Operand<TInt32> shape = tf.shape(inputs);
    Operand<TInt32> target = tf.math.mul(shape, tf.constant(new int[] {1, size, 1}));
    return tf.reshape(tiled, target);
  }

  /** The upsampling factor. */
  public int size() {
    return size;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("size", size);
    return c;
  }
}
