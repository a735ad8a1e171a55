package io.github.keras4j.losses;

import io.github.keras4j.graph.Shapes;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Helpers shared by losses and metrics, after Keras's {@code keras.src.losses.loss} module and the
 * TensorFlow backend's {@code nn} module.
 */
public final class LossUtils {

  /** Keras's fuzz factor {@code keras.config.epsilon()}, used to clip probabilities: {@code 1e-7}. */
  public static final float EPSILON = 1e-7f;

  private LossUtils() {}

  /** Two operands brought to the same rank by {@link #squeezeOrExpandToSameRank}. */
  public record SameRank(Operand<TFloat32> x1, Operand<TFloat32> x2) {}

  /**
   * Keras's {@code squeeze_or_expand_to_same_rank}: when the static ranks differ by exactly one and the
   * longer operand's last axis has size 1, either expands the rank-1 operand to {@code (n, 1)} or squeezes
   * that last axis. Otherwise (or when a rank is unknown) both are returned unchanged.
   *
   * <p>Example: labels {@code (batch,)} and predictions {@code (batch, 1)} become {@code (batch, 1)} and
   * {@code (batch, 1)}; labels {@code (batch, t, 1)} and predictions {@code (batch, t)} become
   * {@code (batch, t)} twice.
   */
  public static SameRank squeezeOrExpandToSameRank(Ops tf, Operand<TFloat32> x1, Operand<TFloat32> x2) {
    int rank1 = rank(x1);
    int rank2 = rank(x2);
    if (rank1 < 0 || rank2 < 0 || rank1 == rank2) {
      return new SameRank(x1, x2);
    }
    if (rank1 == rank2 + 1 && x1.shape().get(rank1 - 1) == 1) {
      if (rank2 == 1) {
        x2 = tf.expandDims(x2, tf.constant(-1));
      } else {
        x1 = tf.squeeze(x1, Squeeze.axis(-1L));
      }
    } else if (rank2 == rank1 + 1 && x2.shape().get(rank2 - 1) == 1) {
      if (rank1 == 1) {
        x1 = tf.expandDims(x1, tf.constant(-1));
      } else {
        x2 = tf.squeeze(x2, Squeeze.axis(-1L));
      }
    }
    return new SameRank(x1, x2);
  }

  /** The static rank of {@code x}, or -1 when the graph does not know it. */
  public static int rank(Operand<?> x) {
    Shape shape = x.shape();
    return shape.isUnknown() ? -1 : shape.numDimensions();
  }

  /** The mean over the last axis, Keras's {@code ops.mean(x, axis=-1)}. */
  public static Operand<TFloat32> meanOverLastAxis(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(-1));
  }

  /**
   * Keras's {@code ops.normalize(x, axis=-1)} (order 2): {@code x * rsqrt(maximum(sum(x^2, axis=-1), epsilon^2))},
   * so a zero vector stays zero.
   */
  static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> squares = tf.reduceSum(tf.math.square(x), tf.constant(-1), ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squares, tf.constant(EPSILON * EPSILON))));
  }

  /**
   * Keras's hinge margins {@code maximum(1 - y_true * y_pred, 0)}, for {@link Hinge} and {@link SquaredHinge}; when
   * every label of the batch is 0 or 1 they first become -1 and 1 ({@code 2 y - 1}, Keras's
   * {@code convert_binary_labels_to_hinge}), otherwise they are used as they are (already -1 and 1).
   */
  static Operand<TFloat32> hingeMargins(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TBool> zeroOrOne = tf.math.logicalOr(tf.math.equal(yTrue, tf.constant(0f)),
        tf.math.equal(yTrue, tf.constant(1f)));
    Operand<TBool> binary = tf.reduceAll(zeroOrOne, Shapes.allAxes(tf, yTrue));
    Operand<TFloat32> converted = tf.math.sub(tf.math.mul(tf.constant(2f), yTrue), tf.constant(1f));
    Operand<TFloat32> signs = tf.select(binary, converted, yTrue);
    return tf.math.maximum(tf.math.sub(tf.constant(1f), tf.math.mul(signs, yPred)), tf.constant(0f));
  }

  /**
   * The dynamic shape of {@code x} without its last axis, as a vector (the shape of per-sample values
   * of a cross-entropy).
   */
  static Operand<TInt32> shapeWithoutLastAxis(Ops tf, Operand<TFloat32> x) {
    return tf.stridedSlice(tf.shape(x), Indices.sliceTo(-1));
  }

  /** Reshapes {@code x} to {@code (-1, lastDim)} so that the 2-D cross-entropy kernels accept any rank. */
  static Operand<TFloat32> flattenToMatrix(Ops tf, Operand<TFloat32> x) {
    Operand<TInt32> lastDim = tf.stridedSlice(tf.shape(x), Indices.sliceFrom(-1));
    return tf.reshape(x, tf.concat(List.of(tf.constant(new int[] {-1}), lastDim), tf.constant(0)));
  }

  /**
   * The pre-activation input of {@code output} when {@code output} is produced by a graph op of type
   * {@code opType} ({@code "Softmax"} or {@code "Sigmoid"}), else null.
   *
   * <p>This is what Keras's TensorFlow backend does in {@code _get_logits}: a cross-entropy applied to the
   * output of a softmax (or sigmoid) op is computed from that op's input as logits, which avoids the
   * clipping at {@link #EPSILON} and keeps gradients alive for saturated outputs. Keras does it whatever
   * {@code from_logits} says (with {@code from_logits=True} it warns that the input is not logits).
   */
  static Operand<TFloat32> logitsBehind(Operand<TFloat32> output, String opType) {
    Operation op = output.op();
    if (op instanceof GraphOperation graphOp && opType.equals(graphOp.type()) && graphOp.numInputs() == 1) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> input = (Operand<TFloat32>) graphOp.input(0);
      return input;
    }
    return null;
  }

  /**
   * The logits a cross-entropy works from: the input of the {@code opType} op behind {@code yPred} (see
   * {@link #logitsBehind}), else {@code yPred} itself when {@code fromLogits}, else null (probabilities).
   */
  static Operand<TFloat32> logits(Operand<TFloat32> yPred, String opType, boolean fromLogits) {
    Operand<TFloat32> logits = logitsBehind(yPred, opType);
    return logits == null && fromLogits ? yPred : logits;
  }

  /**
   * Checks that {@code yTrue} and {@code yPred} have the same static rank and compatible static sizes, as
   * Keras's TensorFlow backend does for binary and categorical cross-entropy.
   *
   * @param hint appended to the error message, such as a suggestion of another loss
   */
  static void checkSameShape(String lossName, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, String hint) {
    Shape t = yTrue.shape();
    Shape p = yPred.shape();
    if (!Shapes.compatible(t, p)) {
      throw new IllegalArgumentException(
          "Arguments `target` and `output` of loss '" + lossName + "' must have the same shape. Received: "
              + "target.shape=" + Shapes.format(t) + ", output.shape=" + Shapes.format(p) + hint);
    }
  }

  /**
   * Checks that {@code axis} names an axis of {@code x} when its rank is known ({@code -rank <= axis < rank}), and
   * returns it unchanged (TensorFlow takes negative axes as Python does).
   *
   * @throws IllegalArgumentException naming the loss, the axis and the shape
   */
  static int checkAxis(String lossName, int axis, Operand<TFloat32> x) {
    int rank = rank(x);
    if (rank >= 0 && (axis < -rank || axis >= rank)) {
      throw new IllegalArgumentException("Argument `axis` of loss '" + lossName + "' must be in [" + -rank + ", "
          + rank + ") for y_pred of shape " + Shapes.format(x.shape()) + ". Received: axis=" + axis);
    }
    return axis;
  }

  /**
   * The axes to reduce, as a vector: every axis of {@code x} when {@code axes} is null (Keras's
   * {@code axis=None}), else {@code axes}, each checked by {@link #checkAxis} and refused when repeated.
   */
  static Operand<TInt32> checkAxes(Ops tf, String lossName, int[] axes, Operand<TFloat32> x) {
    if (axes == null) {
      return Shapes.allAxes(tf, x);
    }
    int rank = rank(x);
    for (int i = 0; i < axes.length; i++) {
      checkAxis(lossName, axes[i], x);
      for (int j = 0; j < i && rank >= 0; j++) {
        if (Math.floorMod(axes[i], rank) == Math.floorMod(axes[j], rank)) {
          throw new IllegalArgumentException("Argument `axis` of loss '" + lossName + "' names axis "
              + Math.floorMod(axes[i], rank) + " twice. Received: axis=" + Arrays.toString(axes));
        }
      }
    }
    return tf.constant(axes);
  }

  /**
   * The softmax of {@code x} along {@code axis}: TensorFlow's {@code Softmax} op for the last axis, else
   * {@code exp(x - max) / sum(exp(x - max))} along {@code axis}.
   */
  static Operand<TFloat32> softmax(Ops tf, Operand<TFloat32> x, int axis) {
    int rank = rank(x);
    if (axis == -1 || (rank >= 0 && axis == rank - 1)) {
      return tf.nn.softmax(x);
    }
    Operand<TInt32> a = tf.constant(axis);
    Operand<TFloat32> max = tf.stopGradient(tf.reduceMax(x, a, ReduceMax.keepDims(true)));
    Operand<TFloat32> e = tf.math.exp(tf.math.sub(x, max));
    return tf.math.div(e, tf.reduceSum(e, a, ReduceSum.keepDims(true)));
  }

  /**
   * {@code log(sum(exp(x), axis))}, computed as {@code m + log(sum(exp(x - m), axis))} with {@code m} the maximum
   * (held constant for the gradient, which is then the softmax along {@code axis}). {@code x} must be finite.
   */
  static Operand<TFloat32> logSumExp(Ops tf, Operand<TFloat32> x, int axis) {
    Operand<TInt32> a = tf.constant(axis);
    Operand<TFloat32> max = tf.stopGradient(tf.reduceMax(x, a, ReduceMax.keepDims(true)));
    Operand<TFloat32> sum = tf.reduceSum(tf.math.exp(tf.math.sub(x, max)), a);
    return tf.math.add(tf.math.log(sum), tf.squeeze(max, Squeeze.axis((long) axis)));
  }

  /** The kind of classification target, as Keras infers it from shapes. */
  public enum TargetKind {
    /** {@code y_pred} has a last axis of size 1. */
    BINARY,
    /** Integer labels: {@code y_true} has a lower rank, or a last axis of 1 against several classes. */
    SPARSE_CATEGORICAL,
    /** One-hot labels. */
    CATEGORICAL
  }

  /**
   * Keras 3's {@code is_binary_or_sparse_categorical} ({@code keras/src/trainers/compile_utils.py}), which
   * resolves {@code "accuracy"}/{@code "acc"} metrics and {@code "crossentropy"}/{@code "ce"} losses from the
   * static shapes of {@code y_true} and {@code y_pred}, checked in this order:
   *
   * <ol>
   *   <li>binary when {@code y_pred.shape[-1] == 1};
   *   <li>sparse categorical when {@code rank(y_true) < rank(y_pred)}, or {@code y_true.shape[-1] == 1} and
   *       {@code y_pred.shape[-1] > 1};
   *   <li>categorical otherwise.
   * </ol>
   *
   * The loss plays no part in Keras 3 (Keras 2.2/2.3 also looked at it). An unknown last size (-1, Python's
   * {@code None}) is neither 1 nor greater than 1.
   *
   * @throws IllegalArgumentException when a rank is unknown or 0
   */
  public static TargetKind targetKind(Shape yTrueShape, Shape yPredShape) {
    if (yTrueShape == null || yPredShape == null || yTrueShape.isUnknown() || yPredShape.isUnknown()
        || yTrueShape.numDimensions() == 0 || yPredShape.numDimensions() == 0) {
      throw new IllegalArgumentException(
          "Choosing between binary, categorical and sparse categorical needs y_true and y_pred of known rank "
              + "at least 1. Received: y_true.shape=" + Shapes.format(yTrueShape) + ", y_pred.shape="
              + Shapes.format(yPredShape));
    }
    int trueRank = yTrueShape.numDimensions();
    int predRank = yPredShape.numDimensions();
    long trueLast = yTrueShape.get(trueRank - 1);
    long predLast = yPredShape.get(predRank - 1);
    if (predLast == 1) {
      return TargetKind.BINARY;
    }
    if (trueRank < predRank || (trueLast == 1 && predLast > 1)) {
      return TargetKind.SPARSE_CATEGORICAL;
    }
    return TargetKind.CATEGORICAL;
  }
}
