package io.github.keras4j.layers.reshaping;

import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.Arrays;
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
    return repeatedShape(inputShape, new int[] {size});
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return repeat(tf, inputs, new int[] {size});
  }

  /** The shape after repeating axes {@code 1..n} by {@code size}; unknown sizes stay unknown. */
  static Shape repeatedShape(Shape inputShape, int[] size) {
    long[] out = inputShape.asArray().clone();
    for (int i = 0; i < size.length; i++) {
      if (out[i + 1] >= 0) {
        out[i + 1] *= size[i];
      }
    }
    return Shape.of(out);
  }

  /**
   * Repeats each position of axes {@code 1..n} of a {@code (batch, d1, ..., dn, channels)} tensor in place,
   * {@code size[i]} times along axis {@code i + 1}: a unit axis after each of them, tiled by {@code size}, then
   * merged back (sizes read at run time). Shared by the 1-D and 3-D upsampling layers.
   */
  static Operand<TFloat32> repeat(Ops tf, Operand<TFloat32> inputs, int[] size) {
    int n = size.length;
    Operand<TFloat32> x = inputs;
    int[] multiples = new int[2 * n + 2];
    int[] factors = new int[n + 2];
    Arrays.fill(multiples, 1);
    Arrays.fill(factors, 1);
    for (int i = 0; i < n; i++) {
      x = tf.expandDims(x, tf.constant(2 * i + 2));
      multiples[2 * i + 2] = size[i];
      factors[i + 1] = size[i];
    }
    Operand<TInt32> target = tf.math.mul(tf.shape(inputs), tf.constant(factors));
    return tf.reshape(tf.tile(x, tf.constant(multiples)), target);
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
