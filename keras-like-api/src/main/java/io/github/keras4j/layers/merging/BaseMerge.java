package io.github.keras4j.layers.merging;

import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The base of the merging layers (Keras's {@code Merge} in {@code base_merge.py}): layers called on a list of
 * tensors, {@code layer.apply(List.of(a, b))}, that return one tensor. They have no weights.
 *
 * <p>For the element-wise merges ({@link Add}, {@link Subtract}, {@link Multiply}, {@link Average},
 * {@link Maximum}, {@link Minimum}) this class holds Keras's shape rules: the batch axis is set aside and the
 * remaining axes broadcast as in NumPy (aligned from the right; sizes must be equal, or one of them 1; an
 * unknown size gives an unknown size). Inputs of lower rank get size-1 axes inserted after the batch axis, so
 * {@code (None, 3)} and {@code (None, 4, 3)} merge to {@code (None, 4, 3)}. Subclasses only give
 * {@link #mergeFunction}.
 *
 * <p>Java difference: a merge layer needs at least two inputs (Keras 3 also accepts a list of one and returns
 * it unchanged).
 *
 * <p>Masks (see {@link Layer}): as Keras, the output's mask is the logical OR of the inputs' masks when every input
 * has one, and none otherwise; {@link Concatenate} and {@link Dot} have their own rules.
 */
public abstract class BaseMerge extends Layer {

  /**
   * @param name the layer's name, or null for a generated one
   */
  protected BaseMerge(String name) {
    super(name);
    setSupportsMasking(true);
  }

  /** The OR of the inputs' masks when all have one, else none (Keras's {@code Merge.compute_mask}). */
  @Override
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    if (masks.stream().anyMatch(m -> m == null)) {
      return null;
    }
    Operand<TBool> out = masks.get(0);
    for (int i = 1; i < masks.size(); i++) {
      out = tf.math.logicalOr(out, masks.get(i));
    }
    return out;
  }

  /** Merges inputs of equal rank whose shapes broadcast against each other. */
  protected abstract Operand<TFloat32> mergeFunction(Ops tf, List<Operand<TFloat32>> inputs);

  /**
   * Checks the number of inputs; by default at least 2. {@link Subtract} and {@link Dot} require exactly 2.
   *
   * @throws IllegalArgumentException naming the layer and the received shapes
   */
  protected void checkInputCount(List<Shape> inputShapes) {
    if (inputShapes.size() < 2) {
      throw new IllegalArgumentException(describe() + " should be called on a list of at least 2 inputs. Received "
          + inputs(inputShapes.size()) + ": input_shape=" + format(inputShapes));
    }
  }

  /** Requires exactly two inputs; for subclasses' {@link #checkInputCount}. */
  protected final void checkTwoInputs(List<Shape> inputShapes) {
    if (inputShapes.size() != 2) {
      throw new IllegalArgumentException(describe() + " should be called on exactly 2 inputs. Received "
          + inputs(inputShapes.size()) + ": input_shape=" + format(inputShapes));
    }
  }

  /** Merge layers take a list of inputs: the single-shape form throws from {@link #checkInputCount}. */
  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return computeOutputShape(List.of(inputShape));
  }

  /** The broadcast shape of the inputs (element-wise merges); subclasses with other rules override it. */
  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    checkInputCount(inputShapes);
    long batch = batchSize(inputShapes);
    long[] out = sampleDims(inputShapes.get(0));
    for (int i = 1; i < inputShapes.size(); i++) {
      out = broadcast(out, sampleDims(inputShapes.get(i)), inputShapes);
    }
    long[] full = new long[out.length + 1];
    full[0] = batch;
    System.arraycopy(out, 0, full, 1, out.length);
    return Shape.of(full);
  }

  /** No weights: the shapes are only validated again. */
  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    computeOutputShape(inputShapes);
  }

  /** Inserts size-1 axes after the batch axis of lower-rank inputs, then applies {@link #mergeFunction}. */
  @Override
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, boolean training) {
    int maxRank = 0;
    for (Operand<TFloat32> x : inputs) {
      maxRank = Math.max(maxRank, x.shape().numDimensions());
    }
    List<Operand<TFloat32>> sameRank = new ArrayList<>();
    for (Operand<TFloat32> x : inputs) {
      Operand<TFloat32> y = x;
      for (int r = x.shape().numDimensions(); r < maxRank; r++) {
        y = tf.expandDims(y, tf.constant(1));
      }
      sameRank.add(y);
    }
    return mergeFunction(tf, sameRank);
  }

  /** A merge layer called on one tensor: an error from {@link #checkInputCount}. */
  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    checkInputCount(List.of(inputs.shape()));
    return call(tf, List.of(inputs), training);
  }


  /** Formats a list of shapes Keras-style: {@code [(None, 3), (None, 4)]}. */
  protected static String format(List<Shape> shapes) {
    List<String> parts = new ArrayList<>();
    for (Shape s : shapes) {
      parts.add(format(s));
    }
    return "[" + String.join(", ", parts) + "]";
  }

  private static String inputs(int n) {
    return n + (n == 1 ? " input" : " inputs");
  }

  /** The common known batch size, or -1; different known batch sizes are an error. */
  protected final long batchSize(List<Shape> inputShapes) {
    long batch = Shape.UNKNOWN_SIZE;
    for (Shape s : inputShapes) {
      if (s.numDimensions() == 0) {
        throw new IllegalArgumentException(describe() + " cannot merge scalars: every input needs a batch axis. "
            + "Received: input_shape=" + format(inputShapes));
      }
      long b = s.get(0);
      if (b >= 0 && batch >= 0 && b != batch) {
        throw new IllegalArgumentException(describe() + " cannot merge tensors with different batch sizes. "
            + "Received tensors with shapes " + format(inputShapes));
      }
      if (b >= 0) {
        batch = b;
      }
    }
    return batch;
  }

  private static long[] sampleDims(Shape shape) {
    long[] all = shape.asArray();
    long[] out = new long[all.length - 1];
    System.arraycopy(all, 1, out, 0, out.length);
    return out;
  }

  /** Keras's {@code _compute_elemwise_op_output_shape}: NumPy broadcasting, None wins. */
  private long[] broadcast(long[] a, long[] b, List<Shape> all) {
    long[] longer = a.length >= b.length ? a : b;
    long[] shorter = a.length >= b.length ? b : a;
    long[] out = longer.clone();
    int offset = longer.length - shorter.length;
    for (int k = 0; k < shorter.length; k++) {
      long i = longer[offset + k];
      long j = shorter[k];
      if (i < 0 || j < 0) {
        out[offset + k] = Shape.UNKNOWN_SIZE;
      } else if (i == 1) {
        out[offset + k] = j;
      } else if (j != 1 && i != j) {
        throw new IllegalArgumentException(describe() + ": inputs have incompatible shapes. Sizes after the batch "
            + "axis must be equal or 1 (broadcasting from the last axis). Received: input_shape=" + format(all));
      }
    }
    return out;
  }
}
