package io.github.keras4j.losses;

import io.github.keras4j.graph.Shapes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code keras.losses.CategoricalGeneralizedCrossEntropy}: the Generalized Cross Entropy loss (Zhang and
 * Sabuncu, 2018, "Generalized Cross Entropy Loss for Training Deep Neural Networks with Noisy Labels") between integer
 * labels and predicted class probabilities, a loss robust to noisy labels.
 *
 * <p>Formula, per sample with label {@code k} (the last axis of {@code y_pred} holds the classes), as Keras 3's
 * {@code categorical_generalized_cross_entropy}:
 *
 * <pre>
 * p    = y_pred[k]                 the predicted probability of the true class (no clipping)
 * loss = (1 - p^q) / q
 * </pre>
 *
 * then Keras's {@code "sum_over_batch_size"} reduction (see {@link Loss#compute}). As {@code q} goes to 0 the loss
 * tends to the cross-entropy {@code -log(p)}; at {@code q = 1} it is {@code 1 - p}, the mean absolute error of the
 * one-hot labels (up to a factor).
 *
 * <p>Input: {@code y_true} holds class indices fed as floats (cast to integers inside, so 1.7 is class 1, as Keras's
 * cast), of shape {@code y_pred.shape[:-1]}, such as {@code (batch,)} for predictions {@code (batch, numClasses)} or
 * {@code (batch, h, w)} for per-pixel predictions {@code (batch, h, w, numClasses)}; a last axis of size 1 is
 * squeezed first. Output of {@link #call}: {@code y_pred.shape[:-1]}. Java differs from Keras in squeezing that
 * axis: Keras's function would broadcast labels {@code (batch, 1)} against {@code (batch, numClasses)} into a
 * {@code (batch, batch)} loss. A label outside {@code [0, numClasses)} selects no class ({@code p = 0}, loss
 * {@code 1 / q}), as Keras's one-hot does; {@code fit} does not check the labels as it does for
 * {@link SparseCategoricalCrossentropy}. As in Keras, a prediction {@code p = 0} for the true class has an infinite
 * gradient ({@code q * p^(q - 1)}).
 *
 * <p>Defaults: {@code q=0.5}, {@code name="categorical_generalized_cross_entropy"}. Ids in {@link Losses#get}:
 * {@code categorical_generalized_cross_entropy}, {@code CategoricalGeneralizedCrossEntropy}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code CategoricalGeneralizedCrossEntropyLossTest}):
 *
 * <pre>{@code
 * // y_true = [0, 1, 0, 1], y_pred = [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]]
 * new CategoricalGeneralizedCrossEntropy().compute(tf, yTrue, yPred, null);   // 0.3599
 * }</pre>
 */
public class CategoricalGeneralizedCrossEntropy extends Loss {

  private final float q;

  /** The loss with Keras's defaults: {@code q=0.5}. */
  public CategoricalGeneralizedCrossEntropy() {
    this(0.5f);
  }

  /** The loss with noise parameter {@code q}, named {@code categorical_generalized_cross_entropy}. */
  public CategoricalGeneralizedCrossEntropy(float q) {
    this(q, "categorical_generalized_cross_entropy");
  }

  /**
   * The Generalized Cross Entropy loss.
   *
   * @param q the noise parameter, in the open interval (0, 1): towards 0 the loss behaves like cross-entropy, towards
   *     1 like mean absolute error
   * @param name the loss's name
   * @throws IllegalArgumentException if {@code q} is not in (0, 1) (Keras's {@code ValueError})
   */
  public CategoricalGeneralizedCrossEntropy(float q, String name) {
    super(name);
    if (!(q > 0 && q < 1)) {
      throw new IllegalArgumentException("Argument `q` of CategoricalGeneralizedCrossEntropy must be in the interval "
          + "(0, 1). Received: q=" + q);
    }
    this.q = q;
  }

  /** The noise parameter. */
  public float q() {
    return q;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    // Labels never need a gradient; the stop also keeps the float-to-int cast off every gradient path.
    Operand<TFloat32> labels = squeezeLabels(tf, tf.stopGradient(yTrue), yPred);
    Operand<TInt32> numClasses =
        tf.reshape(tf.stridedSlice(tf.shape(yPred), Indices.sliceFrom(-1)), tf.constant(new int[0]));
    Operand<TFloat32> oneHot =
        tf.oneHot(tf.dtypes.cast(labels, TInt32.class), numClasses, tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> p = tf.reduceSum(tf.math.mul(yPred, oneHot), tf.constant(-1));
    Operand<TFloat32> qValue = tf.constant(q);
    return tf.math.div(tf.math.sub(tf.constant(1f), tf.math.pow(p, qValue)), qValue);
  }

  /** False: the targets are one class index per sample, {@code y_pred.shape[:-1]}, not one-hot rows. */
  @Override
  public boolean targetsShapedLikePredictions() {
    return false;
  }

  /** Labels with the rank of {@code y_pred} and a last axis of 1 are squeezed; the shape must then fit. */
  private Operand<TFloat32> squeezeLabels(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> yPred) {
    Shape t = labels.shape();
    Shape p = yPred.shape();
    if (t.isUnknown() || p.isUnknown()) {
      return labels;
    }
    int rank = t.numDimensions();
    if (rank == p.numDimensions() && rank > 0 && t.get(rank - 1) == 1) {
      labels = tf.squeeze(labels, Squeeze.axis(-1L));
      rank--;
    }
    boolean ok = rank == p.numDimensions() - 1;
    for (int i = 0; ok && i < rank; i++) {
      ok = t.get(i) < 0 || p.get(i) < 0 || t.get(i) == p.get(i);
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "Loss '" + name() + "' expects integer labels of shape y_pred.shape[:-1] (or with a last axis of 1). "
              + "Received: y_true.shape=" + Shapes.format(t) + ", y_pred.shape=" + Shapes.format(p));
    }
    return labels;
  }

  /** Keras's config keys: name, q. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name());
    config.put("q", q);
    return config;
  }

  /**
   * The loss a config describes, as Keras's {@code from_config}: missing keys take Keras's defaults.
   *
   * @throws IllegalArgumentException for a bad entry, a {@code q} outside (0, 1) or a reduction other than
   *     {@code "sum_over_batch_size"}
   */
  public static CategoricalGeneralizedCrossEntropy fromConfig(Map<String, Object> config) {
    LossConfig c = new LossConfig("CategoricalGeneralizedCrossEntropy", config);
    return new CategoricalGeneralizedCrossEntropy(
        c.getFloat("q", 0.5f), c.name("categorical_generalized_cross_entropy"));
  }
}
