package io.github.keras4j.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the cross-entropy loss between true labels (0 or 1) and predicted labels.
 *
 * <p>Formula, element-wise then averaged over the last axis:
 *
 * <pre>
 * probabilities (fromLogits=false):  p = clip(y_pred, eps, 1 - eps)
 *                                    -(y * log(p) + (1 - y) * log(1 - p))
 * logits (fromLogits=true):          max(x, 0) - x * y + log(1 + exp(-|x|))     (x = y_pred)
 * loss = mean(elements, axis=-1)
 * </pre>
 *
 * with {@code eps = }{@link LossUtils#EPSILON} and, when {@code labelSmoothing > 0}, labels smoothed towards
 * 0.5: {@code y * (1 - labelSmoothing) + 0.5 * labelSmoothing}. The logits form is the numerically stable one
 * of {@code tf.nn.sigmoid_cross_entropy_with_logits}.
 *
 * <p>As in Keras's TensorFlow backend, when {@code y_pred} is the output of a {@code Sigmoid} op the loss is
 * computed from that op's input as logits (no clipping, gradients stay alive when the sigmoid saturates).
 *
 * <p>{@code y_true} and {@code y_pred} must have the same shape, such as {@code (batch, 1)}.
 *
 * <p>Defaults: {@code fromLogits=false}, {@code labelSmoothing=0}, {@code name="binary_crossentropy"}. Ids in
 * {@link Losses#get}: {@code binary_crossentropy}, {@code BinaryCrossentropy}, {@code bce}, {@code BCE}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code BinaryCrossentropyLossTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1], [0, 0]], y_pred = [[-18.6, 0.51], [2.94, -12.8]] (logits)
 * new BinaryCrossentropy(true).compute(tf, yTrue, yPred, null);      // 0.8654
 * new BinaryCrossentropy(true).compute(tf, yTrue, yPred, weights);   // 0.243 with sample weights [0.8, 0.2]
 * }</pre>
 */
public class BinaryCrossentropy extends LabelSmoothingCrossentropy {

  /** Binary cross-entropy on probabilities. */
  public BinaryCrossentropy() {
    this(false);
  }

  /** Binary cross-entropy on probabilities, or on logits when {@code fromLogits}. */
  public BinaryCrossentropy(boolean fromLogits) {
    this(fromLogits, 0f, "binary_crossentropy");
  }

  /**
   * Binary cross-entropy.
   *
   * @param fromLogits whether {@code y_pred} holds logits rather than probabilities
   * @param labelSmoothing in {@code [0, 1]}; 0 means no smoothing
   * @param name the loss's name
   */
  public BinaryCrossentropy(boolean fromLogits, float labelSmoothing, String name) {
    super(fromLogits, labelSmoothing, name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.checkSameShape(name(), yTrue, yPred, "");
    return LossUtils.meanOverLastAxis(tf, elements(tf, smoothBinary(tf, yTrue), yPred, fromLogits));
  }

  /**
   * The element-wise binary cross-entropy of Keras's TensorFlow backend ({@code ops.binary_crossentropy}), before
   * any mean: from logits when {@code fromLogits} or when {@code yPred} is the output of a {@code Sigmoid} op (then
   * from that op's input), else from probabilities clipped to {@code [eps, 1 - eps]}.
   *
   * @param y the (already smoothed) labels, of the shape of {@code yPred}
   */
  static Operand<TFloat32> elements(Ops tf, Operand<TFloat32> y, Operand<TFloat32> yPred, boolean fromLogits) {
    Operand<TFloat32> logits = LossUtils.logits(yPred, "Sigmoid", fromLogits);
    if (logits != null) {
      return sigmoidCrossEntropyWithLogits(tf, y, logits);
    }
    Operand<TFloat32> p = tf.clipByValue(yPred, tf.constant(LossUtils.EPSILON), tf.constant(1f - LossUtils.EPSILON));
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> positive = tf.math.mul(y, tf.math.log(p));
    Operand<TFloat32> negative = tf.math.mul(tf.math.sub(one, y), tf.math.log(tf.math.sub(one, p)));
    return tf.math.neg(tf.math.add(positive, negative));
  }

  /** {@code max(x, 0) - x * z + log(1 + exp(-|x|))}, built from ops that all have registered gradients. */
  static Operand<TFloat32> sigmoidCrossEntropyWithLogits(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits) {
    Operand<TFloat32> relu = tf.math.maximum(logits, tf.constant(0f));
    Operand<TFloat32> softplusNegAbs = tf.math.softplus(tf.math.neg(tf.math.abs(logits)));
    return tf.math.add(tf.math.sub(relu, tf.math.mul(logits, labels)), softplusNegAbs);
  }
}
