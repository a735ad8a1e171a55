package io.github.keras4j.metrics;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.losses.LossUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code update_confusion_matrix_variables} in the graph: the weighted counts of true positives, false
 * positives, true negatives and false negatives of one batch at each threshold, for {@link Precision},
 * {@link Recall}, {@link AUC}, the counts ({@link TruePositives}, ...) and the metrics at a fixed rate
 * ({@link PrecisionAtRecall}, ...). A label counts as positive when it is not 0; a prediction when it is above the
 * threshold. Every element of the output counts (the axes after the batch are flattened), weighted by its
 * sample's weight.
 */
final class ConfusionCounts {

  /** A count of the confusion matrix. */
  enum Kind { TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES }

  private ConfusionCounts() {}

  /**
   * Keras's {@code assert_thresholds_range}: a copy of {@code thresholds}, each of which must be in [0, 1].
   *
   * @param owner the metric, for messages ({@code "Metric 'tp' (TruePositives)"})
   * @throws IllegalArgumentException naming the metric and the values out of range, or for no threshold
   */
  static float[] checkThresholds(String owner, float... thresholds) {
    if (thresholds == null || thresholds.length == 0) {
      throw new IllegalArgumentException(owner + ": argument `thresholds` needs at least one value. Received: "
          + "thresholds=" + Arrays.toString(thresholds));
    }
    List<Float> invalid = new ArrayList<>();
    for (float t : thresholds) {
      if (!(t >= 0f && t <= 1f)) {
        invalid.add(t);
      }
    }
    if (!invalid.isEmpty()) {
      throw new IllegalArgumentException(owner + ": threshold values must be in [0, 1]. Received: thresholds="
          + Arrays.toString(thresholds) + " (out of range: " + invalid + ")");
    }
    return thresholds.clone();
  }

  /**
   * The batch's counts: for each kind in order, one count per threshold, as one vector of
   * {@code kinds.length * thresholds.length} numbers.
   *
   * @param owner the metric's name, for messages
   * @param classId the class whose column of the last axis is counted, or null for all elements
   */
  static Operand<TFloat32> counts(Ops tf, String owner, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight, float[] thresholds, Integer classId, Kind... kinds) {
    Operand<TFloat32> labels = tf.stopGradient(yTrue);
    Operand<TFloat32> preds = tf.stopGradient(yPred);
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, labels, preds);
    labels = same.x1();
    preds = same.x2();
    if (!Shapes.compatible(labels.shape(), preds.shape())) {
      throw new IllegalArgumentException("Metric '" + owner + "' counts labels against predictions element by "
          + "element, so they need one shape: labels " + Shapes.format(yTrue.shape()) + ", predictions "
          + Shapes.format(yPred.shape()) + " (for class indices against class scores, one-hot the labels)");
    }
    // The sample weights over every element of the sample, before a class column is taken.
    Operand<TFloat32> w = MetricUtils.weightsLike(tf, sampleWeight, preds);
    if (classId != null) {
      Shape shape = preds.shape();
      long classes = shape.numDimensions() < 2 ? -1 : shape.get(shape.numDimensions() - 1);
      if (shape.numDimensions() < 2 || (classes >= 0 && classId >= classes)) {
        throw new IllegalArgumentException("Metric '" + owner + "': classId=" + classId + " is not a class of "
            + "predictions of shape " + Shapes.format(shape));
      }
      labels = tf.gather(labels, tf.constant(classId), tf.constant(-1));
      preds = tf.gather(preds, tf.constant(classId), tf.constant(-1));
      w = tf.gather(w, tf.constant(classId), tf.constant(-1));
    }
    Operand<TInt32> flat = tf.constant(new int[] {1, -1});
    // (1, N) rows against (T, 1) thresholds.
    Operand<TFloat32> positive = tf.dtypes.cast(tf.math.notEqual(tf.reshape(labels, flat), tf.constant(0f)),
        TFloat32.class);
    Operand<TFloat32> negative = tf.math.sub(tf.constant(1f), positive);
    Operand<TFloat32> weights = tf.reshape(w, flat);
    Operand<TFloat32> above = tf.dtypes.cast(tf.math.greater(tf.reshape(preds, flat),
        tf.constant(Shape.of(thresholds.length, 1), DataBuffers.of(thresholds, true, false))), TFloat32.class);
    Operand<TFloat32> below = tf.math.sub(tf.constant(1f), above);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Kind kind : kinds) {
      Operand<TFloat32> hits = switch (kind) {
        case TRUE_POSITIVES -> tf.math.mul(above, positive);
        case FALSE_POSITIVES -> tf.math.mul(above, negative);
        case TRUE_NEGATIVES -> tf.math.mul(below, negative);
        case FALSE_NEGATIVES -> tf.math.mul(below, positive);
      };
      out.add(tf.reduceSum(tf.math.mul(hits, weights), tf.constant(1)));
    }
    return out.size() == 1 ? out.get(0) : tf.concat(out, tf.constant(0));
  }

  /**
   * The running per-threshold totals of all four counts, in the order of {@link #KINDS}, for the metrics that keep
   * them over an epoch ({@link AUC} and the rates at a target).
   */
  static final class Totals {
    /** The four counts, in the order the packed batch state holds them. */
    static final Kind[] KINDS = {Kind.TRUE_POSITIVES, Kind.FALSE_POSITIVES, Kind.TRUE_NEGATIVES,
        Kind.FALSE_NEGATIVES};

    final double[] tp;
    final double[] fp;
    final double[] tn;
    final double[] fn;

    Totals(int thresholds) {
      tp = new double[thresholds];
      fp = new double[thresholds];
      tn = new double[thresholds];
      fn = new double[thresholds];
    }

    /** Adds one batch's counts, packed as {@link #counts} returns them for {@link #KINDS}, from {@code offset}. */
    void add(float[] packed, int offset) {
      int t = tp.length;
      for (int i = 0; i < t; i++) {
        tp[i] += packed[offset + i];
        fp[i] += packed[offset + t + i];
        tn[i] += packed[offset + 2 * t + i];
        fn[i] += packed[offset + 3 * t + i];
      }
    }

    void reset() {
      Arrays.fill(tp, 0);
      Arrays.fill(fp, 0);
      Arrays.fill(tn, 0);
      Arrays.fill(fn, 0);
    }
  }
}
