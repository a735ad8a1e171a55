package io.github.keras4j.layers.normalization;

import io.github.keras4j.layers.Layer;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Scales each sample to unit L2 norm over {@code axis}, as Keras 3's {@code keras.layers.UnitNormalization}:
 * {@code x * rsqrt(max(sum(x^2 over axis), 1e-24))} (Keras's {@code ops.normalize(order=2, epsilon=1e-12)}, which
 * clamps the squared norm at {@code epsilon^2} so an all-zero vector stays zero with a finite gradient). No weights;
 * input and output have the same shape. Masks pass through.
 *
 * <pre>{@code
 * new UnitNormalization();            // each row of (None, 8) gets norm 1
 * new UnitNormalization(1, 2);        // each sample of (None, 4, 3), over both axes
 * }</pre>
 */
public class UnitNormalization extends Layer {

  /** Keras's epsilon for this layer; the squared norm is clamped at its square. */
  private static final float EPSILON = 1e-12f;

  private final int[] axis;

  /** Normalizes over the last axis. */
  public UnitNormalization() {
    this(new int[] {-1}, null);
  }

  /** Normalizes over the given axes (negative axes count from the end). */
  public UnitNormalization(int... axis) {
    this(axis, null);
  }

  /**
   * @param axis the axes to normalize over, at least one; negative ones count from the end
   * @param name the layer's name, or null for a generated one ({@code unit_normalization}, ...)
   */
  public UnitNormalization(int[] axis, String name) {
    super(name);
    if (axis == null || axis.length == 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': invalid value for `axis` argument: expected an int "
          + "or a list of ints. Received: axis=" + (axis == null ? "null" : "[]"));
    }
    this.axis = axis.clone();
    setSupportsMasking(true);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    resolveAxes(axis, inputShape);
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> squareSum = tf.reduceSum(tf.math.square(inputs), tf.constant(resolveAxes(axis, inputs.shape())),
        ReduceSum.keepDims(true));
    Operand<TFloat32> inverseNorm = tf.math.rsqrt(tf.math.maximum(squareSum, tf.constant(EPSILON * EPSILON)));
    return tf.math.mul(inputs, inverseNorm);
  }

  /** The axes normalized over, as given. */
  public int[] axis() {
    return axis.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", axis.length == 1 ? (Object) axis[0] : Arrays.stream(axis).boxed().toList());
    return c;
  }
}
