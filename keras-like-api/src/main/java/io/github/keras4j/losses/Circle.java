package io.github.keras4j.losses;

import io.github.keras4j.graph.Shapes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Computes the Circle loss (Sun et al., 2020) between integer labels and L2-normalised embeddings: a metric-learning
 * loss that pulls embeddings of the same class together and pushes the others apart, weighting each pair by how far
 * it is from its optimum.
 *
 * <p>Formula, per sample {@code i} of the batch, as Keras 3's {@code circle} with the batch as its own reference:
 *
 * <pre>
 * d[i][j]  = max(1 - y_pred[i] . y_pred[j], 0)                      cosine distances
 * P, N     = pairs of equal / different labels (P without i == j when removeDiagonal)
 * ap       = max(margin + d, 0) on P        an = max(1 + margin - d, 0) on N
 * p_loss   = logsumexp_{j in P} (-gamma * ap * (margin - d))
 * n_loss   = logsumexp_{j in N} ( gamma * an * (1 - margin - d))
 * loss[i]  = softplus(p_loss + n_loss)
 * </pre>
 *
 * A sample without a positive (or negative) pair has an empty sum, {@code logsumexp = -inf} and a loss of 0; as in
 * Keras, {@link #compute} then masks every zero loss out of the mean ({@code sum(loss * w) / count(loss > 0)}).
 *
 * <p>Input: {@code y_true} holds integer class labels fed as floats, shape {@code (batch,)} or {@code (batch, 1)};
 * {@code y_pred} the embeddings {@code (batch, dim)}, which the model should L2-normalise (a
 * {@code UnitNormalization} layer after a linear {@code Dense}). Output of {@link #call}: {@code (batch,)}.
 *
 * <p>Defaults: {@code gamma=80}, {@code margin=0.4}, {@code removeDiagonal=true}, {@code name="circle"}. Ids in
 * {@link Losses#get}: {@code circle}, {@code Circle}. Java differs from Keras in having no reference labels and
 * embeddings other than the batch itself (the class has none in Keras either), and in writing the empty sums as
 * {@code -1e30} rather than {@code -inf}, so that gradients stay finite; the values are the same.
 *
 * <p>Example (Keras 3's tests, checked in {@code CircleLossTest}): five 4-dimensional unit embeddings with labels
 * {@code [1, 1, 2, 2, 3]} give 188.3883 with the defaults, 652.7617 with {@code gamma=256, margin=0.25}.
 */
public class Circle extends Loss {

  /** Stands for {@code -inf} in the masked log-sum-exps: finite, so no gradient meets {@code inf - inf}. */
  private static final float NEGATIVE_INFINITY = -1e30f;

  private final float gamma;
  private final float margin;
  private final boolean removeDiagonal;

  /** A Circle loss with Keras's defaults. */
  public Circle() {
    this(80f, 0.4f);
  }

  /** A Circle loss removing self-similarities, named {@code circle}. */
  public Circle(float gamma, float margin) {
    this(gamma, margin, true, "circle");
  }

  /**
   * A Circle loss.
   *
   * @param gamma the scale of the similarity scores, finite and positive
   * @param margin the relaxation factor, finite
   * @param removeDiagonal whether a sample is not its own positive pair
   * @param name the loss's name
   * @throws IllegalArgumentException for a non-positive or non-finite gamma, or a non-finite margin
   */
  public Circle(float gamma, float margin, boolean removeDiagonal, String name) {
    super(name);
    if (!(gamma > 0) || Float.isInfinite(gamma)) {
      throw new IllegalArgumentException(
          "Argument `gamma` of Circle must be a finite number > 0. Received: gamma=" + gamma);
    }
    if (!Float.isFinite(margin)) {
      throw new IllegalArgumentException("Argument `margin` of Circle must be finite. Received: margin=" + margin);
    }
    this.gamma = gamma;
    this.margin = margin;
    this.removeDiagonal = removeDiagonal;
  }

  /** The scale of the similarity scores. */
  public float gamma() {
    return gamma;
  }

  /** The relaxation factor. */
  public float margin() {
    return margin;
  }

  /** Whether a sample is not its own positive pair. */
  public boolean removeDiagonal() {
    return removeDiagonal;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    Operand<TInt32> labels = labels(tf, yTrue, yPred);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> m = tf.constant(margin);
    Operand<TFloat32> g = tf.constant(gamma);
    Operand<TFloat32> similarity = tf.linalg.matMul(yPred, yPred, MatMul.transposeB(true));
    Operand<TFloat32> distance = tf.math.maximum(tf.math.sub(one, similarity), zero);
    Operand<TBool> positive = tf.math.equal(labels, tf.linalg.transpose(labels, tf.constant(new int[] {1, 0})));
    Operand<TBool> negative = tf.math.logicalNot(positive);
    if (removeDiagonal) {
      Operand<TInt32> index = tf.range(tf.constant(0), tf.size(labels), tf.constant(1));
      Operand<TBool> diagonal =
          tf.math.equal(tf.expandDims(index, tf.constant(1)), tf.expandDims(index, tf.constant(0)));
      positive = tf.math.logicalAnd(positive, tf.math.logicalNot(diagonal));
    }
    Operand<TFloat32> positiveWeights =
        tf.math.maximum(tf.math.mul(tf.math.add(m, distance), tf.dtypes.cast(positive, TFloat32.class)), zero);
    Operand<TFloat32> negativeWeights = tf.math.maximum(
        tf.math.mul(tf.math.sub(tf.math.add(one, m), distance), tf.dtypes.cast(negative, TFloat32.class)), zero);
    Operand<TFloat32> positiveScores =
        tf.math.neg(tf.math.mul(tf.math.mul(g, positiveWeights), tf.math.sub(m, distance)));
    Operand<TFloat32> negativeScores =
        tf.math.mul(tf.math.mul(g, negativeWeights), tf.math.sub(tf.math.sub(one, m), distance));
    Operand<TFloat32> empty = tf.constant(NEGATIVE_INFINITY);
    Operand<TFloat32> positiveLoss = LossUtils.logSumExp(tf, tf.select(positive, positiveScores, empty), 1);
    Operand<TFloat32> negativeLoss = LossUtils.logSumExp(tf, tf.select(negative, negativeScores, empty), 1);
    return tf.math.softplus(tf.math.add(positiveLoss, negativeLoss));
  }

  /** False: the targets are one label per sample, {@code (batch,)} or {@code (batch, 1)}, for embeddings. */
  @Override
  public boolean targetsShapedLikePredictions() {
    return false;
  }

  /** The labels as a column {@code (batch, 1)} of integers, after checking both shapes. */
  private Operand<TInt32> labels(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    int trueRank = LossUtils.rank(yTrue);
    int predRank = LossUtils.rank(yPred);
    boolean labelsOk = trueRank < 0 || trueRank == 1 || (trueRank == 2 && yTrue.shape().get(1) == 1);
    if (!labelsOk || (predRank >= 0 && predRank != 2)
        || (trueRank >= 1 && predRank == 2 && !Shapes.compatible(yTrue.shape().get(0), yPred.shape().get(0)))) {
      throw new IllegalArgumentException("Loss '" + name() + "' expects integer labels y_true of shape (batch,) or "
          + "(batch, 1) and embeddings y_pred of shape (batch, dim). Received: y_true.shape="
          + Shapes.format(yTrue.shape()) + ", y_pred.shape=" + Shapes.format(yPred.shape()));
    }
    // Labels never need a gradient; Keras casts them to int32 (so 1.7 is class 1).
    Operand<TFloat32> column = tf.reshape(tf.stopGradient(yTrue), tf.constant(new int[] {-1, 1}));
    return tf.dtypes.cast(column, TInt32.class);
  }

  /**
   * The reduced loss: as {@link Loss#compute(Ops, Operand, Operand, Operand, Operand)}, with the samples whose loss
   * is 0 (no positive or no negative pair) masked out, as Keras's {@code set_keras_mask(loss, loss > 0)}.
   */
  @Override
  public Operand<TFloat32> compute(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight, Operand<TBool> mask) {
    Operand<TFloat32> values = call(tf, yTrue, yPred);
    Operand<TBool> valid = tf.math.greater(values, tf.constant(0f));
    return reduceWeighted(tf, values, sampleWeight, mask == null ? valid : tf.math.logicalAnd(mask, valid));
  }

  /** Keras's config keys: name, gamma, margin, remove_diagonal. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name());
    config.put("gamma", gamma);
    config.put("margin", margin);
    config.put("remove_diagonal", removeDiagonal);
    return config;
  }

  /**
   * The loss a config describes, as Keras's {@code from_config}: missing keys take Keras's defaults.
   *
   * @throws IllegalArgumentException for a bad entry or a reduction other than {@code "sum_over_batch_size"}
   */
  public static Circle fromConfig(Map<String, Object> config) {
    LossConfig c = new LossConfig("Circle", config);
    return new Circle(c.getFloat("gamma", 80f), c.getFloat("margin", 0.4f), c.getBoolean("remove_diagonal", true),
        c.name("circle"));
  }
}
