package io.github.keras4j.metrics;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.losses.LossUtils;
import io.github.keras4j.saving.Config;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The F-beta score of multi-class or multi-label predictions, Keras's {@code keras.metrics.FBetaScore}: per class,
 * the weighted harmonic mean of precision and recall
 * {@code (1 + beta^2) * precision * recall / (beta^2 * precision + recall)}, from the weighted counts of true
 * positives, false positives and false negatives accumulated over the epoch (not a mean of per-batch scores).
 * Predictions above {@code threshold} count as 1; with no threshold, the largest prediction of each row (all of them
 * on ties, none when it is 0) counts as 1. Labels are used as numbers (0 or 1). As Keras, each division adds
 * {@code epsilon = 1e-7} to its denominator.
 *
 * <p>Averaging over the classes: {@code average=null} one score per class; {@code "micro"} one score from the counts
 * summed over the classes; {@code "macro"} the mean of the class scores; {@code "weighted"} their mean weighted by
 * each class's support (the weighted number of its positive labels).
 *
 * <p>Inputs are {@code (batch, classes)} with the number of classes known (labels {@code (batch,)} against
 * predictions {@code (batch, 1)} are expanded). Defaults: {@code average=null}, {@code beta=1},
 * {@code threshold=null}, {@code name="fbeta_score"}. Ids in {@link Metrics#get}: {@code f_beta_score},
 * {@code FBetaScore}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code FScoreMetricsTest}):
 *
 * <pre>{@code
 * // beta 2, threshold 0.5, y_true = [[1, 1, 1], [1, 0, 0], [1, 1, 0]],
 * // y_pred = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]: [0.3846154, 0.90909094, 0.8333334]
 * }</pre>
 *
 * <p>Java differences from Keras: {@link #results()} gives Keras's {@code result()} (one score per class for
 * {@code average=null}); {@link #result()}, the number History logs, is their mean in that case (the macro
 * average), where Keras logs the vector. Sample weights are per sample (Keras also takes one weight per element).
 */
public sealed class FBetaScore extends EpochStateMetric permits F1Score {

  private static final double EPSILON = 1e-7;

  private final String average;
  private final float beta;
  private final Float threshold;
  private int classes = -1;
  private double[] tp;
  private double[] fp;
  private double[] fn;
  private double[] support;

  /** The F-beta score named {@code fbeta_score}: beta 1, one score per class, the largest prediction as positive. */
  public FBetaScore() {
    this("fbeta_score");
  }

  /** The F-beta score with the given name: beta 1, one score per class, the largest prediction as positive. */
  public FBetaScore(String name) {
    this(name, null, 1f, null);
  }

  /**
   * An F-beta score.
   *
   * @param name the name in logs
   * @param average null (one score per class), {@code "micro"}, {@code "macro"} or {@code "weighted"}
   * @param beta the weight of recall against precision, above 0
   * @param threshold predictions above it count as positive, in (0, 1]; null for the largest of each row
   */
  public FBetaScore(String name, String average, float beta, Float threshold) {
    super(name);
    String owner = describe();
    if (average != null && !List.of("micro", "macro", "weighted").contains(average)) {
      throw new IllegalArgumentException(owner + ": invalid `average` argument value. Expected one of: "
          + "{null, \"micro\", \"macro\", \"weighted\"}. Received: average=" + average);
    }
    if (!(beta > 0f) || Float.isInfinite(beta)) {
      throw new IllegalArgumentException(owner + ": invalid `beta` argument value. It should be > 0. Received: "
          + "beta=" + beta);
    }
    if (threshold != null && !(threshold > 0f && threshold <= 1f)) {
      throw new IllegalArgumentException(owner + ": invalid `threshold` argument value. It should verify "
          + "0 < threshold <= 1. Received: threshold=" + threshold);
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  /** The averaging over the classes: null, {@code "micro"}, {@code "macro"} or {@code "weighted"}. */
  public String average() {
    return average;
  }

  /** The weight of recall against precision. */
  public float beta() {
    return beta;
  }

  /** The threshold above which a prediction is positive, or null for the largest prediction of each row. */
  public Float threshold() {
    return threshold;
  }

  /** Rebuilds the metric from {@link #getConfig()} (Keras's {@code from_config}). */
  public static FBetaScore fromConfig(Config config) {
    return new FBetaScore(config.getString("name", "fbeta_score"), config.getString("average", null),
        (float) config.getDouble("beta", 1.0), thresholdOf(config));
  }

  /** The saved {@code threshold}, or null. */
  static Float thresholdOf(Config config) {
    Double t = config.getDoubleOrNull("threshold");
    return t == null ? null : t.floatValue();
  }

  /**
   * {@code 4 * classes}: per class the weighted counts of true positives, false positives and false negatives, and
   * the weighted support.
   *
   * @throws IllegalStateException before {@link #batchState} has seen the number of classes
   */
  @Override
  public int stateSize() {
    if (classes < 0) {
      throw new IllegalStateException(describe() + ": the number of classes is "
          + "known once batchState() has been traced");
    }
    return 4 * classes;
  }

  @Override
  public Operand<TFloat32> batchState(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, tf.stopGradient(yTrue),
        tf.stopGradient(yPred));
    Operand<TFloat32> y = same.x1();
    Operand<TFloat32> p = same.x2();
    Shape shape = p.shape();
    String owner = describe();
    if (shape.numDimensions() != 2 || y.shape().numDimensions() != 2) {
      throw new IllegalArgumentException(owner + " expects 2D inputs with shape (batch_size, output_dim). Received "
          + "input shapes: y_pred.shape=" + Shapes.format(yPred.shape()) + " and y_true.shape="
          + Shapes.format(yTrue.shape()));
    }
    if (shape.get(1) < 0) {
      throw new IllegalArgumentException(owner + " expects 2D inputs with shape (batch_size, output_dim), with "
          + "output_dim fully defined (not None). Received input shapes: y_pred.shape=" + Shapes.format(yPred.shape())
          + " and y_true.shape=" + Shapes.format(yTrue.shape()));
    }
    if (!Shapes.compatible(y.shape(), shape)) {
      throw new IllegalArgumentException(owner + " needs labels and predictions of one shape. Received input "
          + "shapes: y_pred.shape=" + Shapes.format(yPred.shape()) + " and y_true.shape="
          + Shapes.format(yTrue.shape()));
    }
    int c = (int) shape.get(1);
    if (classes >= 0 && classes != c) {
      throw new IllegalArgumentException(owner + " was used with " + classes + " classes and now with " + c
          + ": use one metric per output");
    }
    classes = c;
    allocate();
    Operand<TFloat32> positive;
    if (threshold == null) {
      Operand<TFloat32> max = tf.reduceMax(p, tf.constant(-1), ReduceMax.keepDims(true));
      positive = tf.dtypes.cast(tf.math.logicalAnd(tf.math.greaterEqual(p, max),
          tf.math.greater(tf.math.abs(p), tf.constant(1e-9f))), TFloat32.class);
    } else {
      positive = tf.dtypes.cast(tf.math.greater(p, tf.constant(threshold)), TFloat32.class);
    }
    Operand<TFloat32> w = MetricUtils.weightsLike(tf, sampleWeight, y);
    Operand<TFloat32> wy = tf.math.mul(y, w);
    Operand<TInt32> rows = tf.constant(0);
    Operand<TFloat32> one = tf.constant(1f);
    return tf.concat(List.of(tf.reduceSum(tf.math.mul(positive, wy), rows),
        tf.reduceSum(tf.math.mul(tf.math.mul(positive, tf.math.sub(one, y)), w), rows),
        tf.reduceSum(tf.math.mul(tf.math.sub(one, positive), wy), rows),
        tf.reduceSum(wy, rows)), tf.constant(0));
  }

  private void allocate() {
    if (tp == null) {
      tp = new double[classes];
      fp = new double[classes];
      fn = new double[classes];
      support = new double[classes];
    }
  }

  @Override
  public void updateState(float[] packed, int offset) {
    for (int j = 0; j < classes; j++) {
      tp[j] += packed[offset + j];
      fp[j] += packed[offset + classes + j];
      fn[j] += packed[offset + 2 * classes + j];
      support[j] += packed[offset + 3 * classes + j];
    }
  }

  /**
   * Keras's {@code result()}: one score per class for {@code average=null}, else one averaged score; empty before
   * any batch has been traced.
   */
  public double[] results() {
    if (classes < 0) {
      return new double[0];
    }
    if ("micro".equals(average)) {
      return new double[] {score(Arrays.stream(tp).sum(), Arrays.stream(fp).sum(), Arrays.stream(fn).sum())};
    }
    double[] scores = new double[classes];
    for (int j = 0; j < classes; j++) {
      scores[j] = score(tp[j], fp[j], fn[j]);
    }
    if ("weighted".equals(average)) {
      double total = Arrays.stream(support).sum();
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        sum += scores[j] * support[j] / (total + EPSILON);
      }
      return new double[] {sum};
    }
    return average == null ? scores : new double[] {Arrays.stream(scores).average().orElse(0)};
  }

  /** The averaged score; for {@code average=null} the mean of the class scores (see {@link #results()}). */
  @Override
  public double result() {
    return Arrays.stream(results()).average().orElse(0);
  }

  private double score(double truePositives, double falsePositives, double falseNegatives) {
    double precision = truePositives / (truePositives + falsePositives + EPSILON);
    double recall = truePositives / (truePositives + falseNegatives + EPSILON);
    double b2 = (double) beta * beta;
    return (1 + b2) * precision * recall / (b2 * precision + recall + EPSILON);
  }

  @Override
  public void resetState() {
    if (tp != null) {
      Arrays.fill(tp, 0);
      Arrays.fill(fp, 0);
      Arrays.fill(fn, 0);
      Arrays.fill(support, 0);
    }
  }

  @Override
  public FBetaScore withName(String newName) {
    return new FBetaScore(newName, average, beta, threshold);
  }

  /** {@code name}, {@code average}, {@code beta} and {@code threshold}, as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("average", average);
    config.put("beta", beta);
    config.put("threshold", threshold);
    return config;
  }
}
