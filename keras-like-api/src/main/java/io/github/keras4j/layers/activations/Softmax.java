package io.github.keras4j.layers.activations;

import io.github.keras4j.layers.Layer;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Softmax layer, as Keras 3's {@code keras.layers.Softmax}: {@code exp(x) / sum(exp(x))} along {@code axis}
 * (default -1). With several axes the normalization runs over all of them at once:
 * {@code exp(x - logsumexp(x, axes))}. Output shape = input shape.
 *
 * <p>With a mask (see {@link Layer}), as Keras: the mask must broadcast against the inputs aligned from the last
 * axis (each mask size 1 or equal to the input's); masked positions enter the softmax as -1e9 and leave it as 0, so a
 * row whose positions are all masked gives zeros, not a uniform distribution. The mask passes on to the output.
 *
 * <pre>{@code
 * new Softmax();        // last axis
 * new Softmax(1, 2);    // over axes 1 and 2 together
 * }</pre>
 */
public class Softmax extends Layer {

  private final int[] axis;

  /** Softmax over the last axis. */
  public Softmax() {
    this(-1);
  }

  /** Softmax over the given axis or axes (negative counts from the end). */
  public Softmax(int... axis) {
    this(null, axis);
  }

  /**
   * @param name the layer's name, or null for a generated one
   * @param axis the axis or axes to normalize over
   */
  public Softmax(String name, int... axis) {
    super(name);
    if (axis.length == 0) {
      throw new IllegalArgumentException("Softmax: give at least one axis. Received: axis=[]");
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
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, boolean training) {
    if (mask == null) {
      return call(tf, inputs, training);
    }
    Shape ms = mask.shape();
    Shape xs = inputs.shape();
    boolean broadcastable = ms.numDimensions() <= xs.numDimensions();
    for (int i = 1; broadcastable && i <= ms.numDimensions(); i++) {
      long m = ms.get(ms.numDimensions() - i);
      long x = xs.get(xs.numDimensions() - i);
      broadcastable = m < 0 || x < 0 || m == 1 || m == x;
    }
    if (!broadcastable) {
      throw new IllegalArgumentException("Layer '" + name() + "': the mask must be broadcastable to the inputs: "
          + "each mask dimension, aligned from the last, must be 1 or match the input's. Received: inputs.shape="
          + format(xs) + ", mask.shape=" + format(ms));
    }
    // where(mask, x, -1e9) and where(mask, softmax, 0), as 0/1 arithmetic (m * x + (m - 1) * 1e9).
    Operand<TFloat32> m = tf.dtypes.cast(mask, TFloat32.class);
    Operand<TFloat32> filled = tf.math.add(tf.math.mul(inputs, m), tf.math.mul(tf.math.sub(m, tf.constant(1f)),
        tf.constant(1e9f)));
    return tf.math.mul(call(tf, filled, training), m);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    int rank = inputs.shape().numDimensions();
    int[] axes = resolveAxes(axis, inputs.shape());
    if (axes.length == 1) {
      int a = axes[0];
      if (a == rank - 1) {
        return tf.nn.softmax(inputs);
      }
      // The Softmax op works on the last axis: swap `a` with it and back (as tf.nn.softmax(x, axis) does).
      int[] perm = new int[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = i;
      }
      perm[a] = rank - 1;
      perm[rank - 1] = a;
      return tf.linalg.transpose(tf.nn.softmax(tf.linalg.transpose(inputs, tf.constant(perm))), tf.constant(perm));
    }
    // exp(x - logsumexp(x)), the log-sum-exp shifted by the (gradient-free) maximum for stability.
    Operand<TInt32> reduce = tf.constant(axes);
    Operand<TFloat32> max = tf.stopGradient(tf.reduceMax(inputs, reduce, ReduceMax.keepDims(true)));
    Operand<TFloat32> shifted = tf.math.sub(inputs, max);
    Operand<TFloat32> logSum = tf.math.log(tf.reduceSum(tf.math.exp(shifted), reduce, ReduceSum.keepDims(true)));
    return tf.math.exp(tf.math.sub(shifted, logSum));
  }

  /** The normalized axes, as given. */
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
