package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Computes the cross-entropy loss between one-hot labels and predictions.
 *
 * <p>Formula, per sample (the last axis holds the classes):
 *
 * <pre>
 * probabilities (fromLogits=false):  p = clip(y_pred / sum(y_pred, axis=-1), eps, 1 - eps)
 *                                    loss = -sum(y_true * log(p), axis=-1)
 * logits (fromLogits=true):          loss = -sum(y_true * log_softmax(y_pred), axis=-1)
 * </pre>
 *
 * with {@code eps = }{@link LossUtils#EPSILON}. When {@code labelSmoothing > 0}, labels become
 * {@code y * (1 - labelSmoothing) + labelSmoothing / numClasses}. The logits form is TensorFlow's
 * {@code SoftmaxCrossEntropyWithLogits}, applied to any rank by flattening to {@code (-1, numClasses)}.
 *
 * <p>As in Keras's TensorFlow backend, when {@code y_pred} is the output of a {@code Softmax} op the loss is
 * computed from that op's input as logits.
 *
 * <p>Use {@link SparseCategoricalCrossentropy} for integer labels.
 *
 * <p>Defaults: {@code fromLogits=false}, {@code labelSmoothing=0}, {@code name="categorical_crossentropy"}. Ids
 * in {@link Losses#get}: {@code categorical_crossentropy}, {@code CategoricalCrossentropy}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code CategoricalCrossentropyLossTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1, 0], [0, 0, 1]], y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
 * new CategoricalCrossentropy().compute(tf, yTrue, yPred, null);      // 1.177
 * new CategoricalCrossentropy().compute(tf, yTrue, yPred, weights);   // 0.814 with sample weights [0.3, 0.7]
 * }</pre>
 */
public class CategoricalCrossentropy extends LabelSmoothingCrossentropy {

  /** Categorical cross-entropy on probabilities. */
  public CategoricalCrossentropy() {
    this(false);
  }

  /** Categorical cross-entropy on probabilities, or on logits when {@code fromLogits}. */
  public CategoricalCrossentropy(boolean fromLogits) {
    this(fromLogits, 0f, "categorical_crossentropy");
  }

  /**
   * Categorical cross-entropy.
   *
   * @param fromLogits whether {@code y_pred} holds logits rather than probabilities
   * @param labelSmoothing in {@code [0, 1]}; 0 means no smoothing
   * @param name the loss's name
   */
  public CategoricalCrossentropy(boolean fromLogits, float labelSmoothing, String name) {
    super(fromLogits, labelSmoothing, name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.checkSameShape(
        name(), yTrue, yPred, ". For integer labels use SparseCategoricalCrossentropy.");
    Operand<TFloat32> y = smoothCategorical(tf, yTrue, yPred, -1);
    Operand<TFloat32> logits = LossUtils.logits(yPred, "Softmax", fromLogits);
    if (logits != null) {
      Operand<TFloat32> flat =
          tf.nn.softmaxCrossEntropyWithLogits(LossUtils.flattenToMatrix(tf, logits), LossUtils.flattenToMatrix(tf, y))
              .loss();
      return tf.reshape(flat, LossUtils.shapeWithoutLastAxis(tf, yPred));
    }
    Operand<TFloat32> normalised = tf.math.div(yPred, tf.reduceSum(yPred, tf.constant(-1), ReduceSum.keepDims(true)));
    Operand<TFloat32> p =
        tf.clipByValue(normalised, tf.constant(LossUtils.EPSILON), tf.constant(1f - LossUtils.EPSILON));
    return tf.math.neg(tf.reduceSum(tf.math.mul(y, tf.math.log(p)), tf.constant(-1)));
  }
}
