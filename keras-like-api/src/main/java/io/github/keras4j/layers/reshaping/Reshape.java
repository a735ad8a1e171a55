package io.github.keras4j.layers.reshaping;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Layer;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Reshapes each sample to {@code targetShape} (batch axis kept); one dimension may be -1 and is inferred.
 *
 * <pre>{@code new Reshape(28, 28, 1)  // (None, 784) -> (None, 28, 28, 1)}</pre>
 */
public class Reshape extends Layer {

  private final long[] targetShape;

  /** Reshapes each sample to {@code targetShape}; one dimension may be -1. */
  public Reshape(long... targetShape) {
    this(null, targetShape);
  }

  /**
   * A named Reshape.
   *
   * @param name the layer's name, or null for a generated one
   * @param targetShape the per-sample shape; one dimension may be -1
   */
  public Reshape(String name, long... targetShape) {
    super(name);
    int unknown = 0;
    for (long d : targetShape) {
      if (d == -1) {
        unknown++;
      } else if (d <= 0) {
        throw new IllegalArgumentException("Reshape: every dimension of targetShape must be positive or -1. "
            + "Received: targetShape=" + Arrays.toString(targetShape));
      }
    }
    if (unknown > 1) {
      throw new IllegalArgumentException("Reshape: at most one dimension of targetShape can be -1. Received: targetShape="
          + Arrays.toString(targetShape));
    }
    this.targetShape = targetShape.clone();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long in = 1;
    boolean known = true;
    for (int i = 1; i < inputShape.numDimensions(); i++) {
      known &= inputShape.get(i) >= 0;
      in *= inputShape.get(i);
    }
    long known2 = 1;
    int unknownAt = -1;
    for (int i = 0; i < targetShape.length; i++) {
      if (targetShape[i] == -1) {
        unknownAt = i;
      } else {
        known2 *= targetShape[i];
      }
    }
    long[] out = new long[targetShape.length + 1];
    out[0] = inputShape.get(0);
    System.arraycopy(targetShape, 0, out, 1, targetShape.length);
    if (known) {
      if (unknownAt >= 0) {
        if (in % known2 != 0) {
          throw incompatible(inputShape);
        }
        out[unknownAt + 1] = in / known2;
      } else if (in != known2) {
        throw incompatible(inputShape);
      }
    }
    return Shape.of(out);
  }

  private IllegalArgumentException incompatible(Shape inputShape) {
    return new IllegalArgumentException("Layer '" + name() + "': the total size of the input shape "
        + format(inputShape) + " does not match the target shape " + Shapes.formatAsGiven(targetShape)
        + " (batch axis excluded)");
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    long[] dims = new long[targetShape.length + 1];
    dims[0] = -1;
    long[] out = computeOutputShape(inputs.shape()).asArray();
    System.arraycopy(out, 1, dims, 1, targetShape.length);
    return tf.reshape(inputs, tf.constant(dims));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("target_shape", Arrays.stream(targetShape).boxed().toList());
    return c;
  }
}
