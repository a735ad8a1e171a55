package io.github.keras4j.metrics;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.losses.LossUtils;
import io.github.keras4j.saving.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Computes the Intersection-Over-Union metric for specific target classes, Keras's {@code keras.metrics.IoU}.
 *
 * <p>Formula: per class {@code iou = true_positives / (true_positives + false_positives + false_negatives)}, from a
 * {@code numClasses x numClasses} confusion matrix (rows: true class, columns: predicted class) accumulated over the
 * epoch, weighted by the sample weights; the result is the mean of the IoUs of {@code targetClassIds}, leaving out
 * the classes that never occurred as a label or a prediction (as Keras: their denominator is 0). With one target
 * class it is that class's IoU. It is a common metric for semantic segmentation.
 *
 * <p>Labels and predictions are class indices fed as floats ({@code sparseYTrue}, {@code sparseYPred} true, the
 * default; a float is truncated to its integer part, as Keras's cast to int), or scores along {@code axis} whose
 * argmax is the class ({@code false}). Every element counts: a segmentation map {@code (batch, h, w)} adds
 * {@code h * w} entries per sample, each weighted by its sample's weight. Entries whose label or prediction is
 * outside {@code [0, numClasses)}, or whose label is {@code ignoreClass} (often -1 or 255, a "void" class), are
 * left out, as in Keras 3.
 *
 * <p>Defaults: {@code name="io_u"} (Keras's automatic name of the class), {@code ignoreClass=null},
 * {@code sparseYTrue=true}, {@code sparseYPred=true}, {@code axis=-1}. No string id: construct it (Keras's
 * {@code IoU()} needs {@code num_classes} too).
 *
 * <p>Example (Keras 3's docstring, checked in {@code IoUMetricsTest}):
 *
 * <pre>{@code
 * IoU m = new IoU(2, new int[] {0});
 * // y_true = [0, 0, 1, 1], y_pred = [0, 1, 0, 1]: cm = [[1, 1], [1, 1]], iou = [1/3, 1/3], result 0.33333334
 * // with sample weights [0.3, 0.3, 0.3, 0.1]: cm = [[0.3, 0.3], [0.3, 0.1]], result 0.33333334
 * }</pre>
 *
 * <p>Java differences from Keras: the confusion matrix adds up float weights (Keras 3 defaults {@code dtype} to
 * {@code "int"}, which truncates fractional weights, with a warning; its docstring examples assume floats); there is
 * no {@code dtype}. Sample weights are per sample (shape {@code (batch,)}, as fit gives them) and spread over the
 * sample's elements; weights shaped like the labels are used as they are. The accumulated matrix is available as
 * {@link #totalConfusionMatrix()}.
 */
public sealed class IoU extends EpochStateMetric permits MeanIoU, BinaryIoU, OneHotIoU {

  /** Keras's {@code backend.epsilon()}, added to the denominators of {@link #result}. */
  private static final double EPSILON = 1e-7;

  private final int numClasses;
  private final int[] targetClassIds;
  private final Integer ignoreClass;
  private final boolean sparseYTrue;
  private final boolean sparseYPred;
  private final int axis;
  private final double[] totalCm;

  /**
   * The IoU of {@code targetClassIds}, named {@code io_u}, for class indices as labels and predictions.
   *
   * @param numClasses the number of classes, at least 1
   * @param targetClassIds the classes whose IoUs are averaged, each in {@code [0, numClasses)}
   */
  public IoU(int numClasses, int[] targetClassIds) {
    this("io_u", numClasses, targetClassIds, null, true, true, -1);
  }

  /**
   * An IoU metric.
   *
   * @param name the name in logs
   * @param numClasses the number of classes, at least 1
   * @param targetClassIds the classes whose IoUs are averaged, each in {@code [0, numClasses)}
   * @param ignoreClass a label left out of the counts, or null to count every class
   * @param sparseYTrue whether labels are class indices (true) or scores whose argmax along {@code axis} is the class
   * @param sparseYPred whether predictions are class indices (true) or scores whose argmax along {@code axis} is the
   *     class
   * @param axis the axis of the scores, for {@code sparseYTrue} or {@code sparseYPred} false
   */
  public IoU(String name, int numClasses, int[] targetClassIds, Integer ignoreClass, boolean sparseYTrue,
      boolean sparseYPred, int axis) {
    super(name);
    if (numClasses < 1) {
      throw new IllegalArgumentException(describe() + ": argument `numClasses` must be at least 1. Received: "
          + "numClasses=" + numClasses);
    }
    if (targetClassIds == null || targetClassIds.length == 0) {
      throw new IllegalArgumentException(describe() + ": argument `targetClassIds` must name at least one class. "
          + "Received: targetClassIds=" + Arrays.toString(targetClassIds));
    }
    for (int id : targetClassIds) {
      if (id < 0 || id >= numClasses) {
        throw new IllegalArgumentException(describe() + ": target class id " + id + " is out of range, which is [0, "
            + numClasses + "). Received: targetClassIds=" + Arrays.toString(targetClassIds));
      }
    }
    this.numClasses = numClasses;
    this.targetClassIds = targetClassIds.clone();
    this.ignoreClass = ignoreClass;
    this.sparseYTrue = sparseYTrue;
    this.sparseYPred = sparseYPred;
    this.axis = axis;
    this.totalCm = new double[numClasses * numClasses];
  }

  /**
   * An IoU from its saved config (Keras's keys: {@code name}, {@code num_classes}, {@code target_class_ids},
   * {@code ignore_class}, {@code sparse_y_true}, {@code sparse_y_pred}, {@code axis}).
   */
  public static IoU fromConfig(Map<String, Object> config) {
    Config c = new Config(config, "IoU", null);
    return new IoU(c.getString("name", "io_u"), c.getInt("num_classes"), c.getInts("target_class_ids"),
        ignoreClass(c), c.getBoolean("sparse_y_true", true), c.getBoolean("sparse_y_pred", true),
        c.getInt("axis", -1));
  }

  /** The {@code ignore_class} entry of a config, or null. */
  static Integer ignoreClass(Config c) {
    return c.has("ignore_class") ? c.getInt("ignore_class") : null;
  }

  /** {@code "Metric 'io_u' (IoU)"}, for messages. */
  final String describe() {
    return "Metric '" + name() + "' (" + getClass().getSimpleName() + ")";
  }

  /** The number of classes. */
  public int numClasses() {
    return numClasses;
  }

  /** The classes whose IoUs are averaged (a copy). */
  public int[] targetClassIds() {
    return targetClassIds.clone();
  }

  /** The label left out of the counts, or null. */
  public Integer ignoreClass() {
    return ignoreClass;
  }

  /** Whether labels are class indices. */
  public boolean sparseYTrue() {
    return sparseYTrue;
  }

  /** Whether predictions are class indices. */
  public boolean sparseYPred() {
    return sparseYPred;
  }

  /** The axis of the scores whose argmax is the class. */
  public int axis() {
    return axis;
  }

  /** {@code numClasses * numClasses}: the batch's confusion matrix, row by row. */
  @Override
  public int stateSize() {
    return numClasses * numClasses;
  }

  /**
   * The batch's weighted confusion matrix, flattened row by row ({@code [true * numClasses + predicted]}), as Keras's
   * {@code _IoUBase.update_state}.
   *
   * @throws IllegalArgumentException when labels and predictions do not have the same number of elements per sample,
   *     or {@code axis} is not an axis of scores
   */
  @Override
  public Operand<TFloat32> batchState(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    Operand<TInt32> labels = sparseYTrue ? tf.dtypes.cast(tf.stopGradient(yTrue), TInt32.class)
        : argmax(tf, "y_true", yTrue);
    Operand<TInt32> predictions = predictedClasses(tf, tf.stopGradient(yPred));
    checkSameSize(labels.shape(), predictions.shape(), yTrue.shape(), yPred.shape());
    Operand<TFloat32> weights = elementWeights(tf, sampleWeight, tf.dtypes.cast(labels, TFloat32.class));
    Operand<TInt32> flat = tf.constant(new int[] {-1});
    Operand<TInt32> t = tf.reshape(labels, flat);
    Operand<TInt32> p = tf.reshape(predictions, flat);
    Operand<TFloat32> w = tf.reshape(weights, flat);
    Operand<TInt32> classes = tf.constant(numClasses);
    Operand<TInt32> zero = tf.constant(0);
    Operand<TBool> valid = tf.math.logicalAnd(
        tf.math.logicalAnd(tf.math.greaterEqual(t, zero), tf.math.less(t, classes)),
        tf.math.logicalAnd(tf.math.greaterEqual(p, zero), tf.math.less(p, classes)));
    if (ignoreClass != null) {
      valid = tf.math.logicalAnd(valid, tf.math.notEqual(t, tf.constant(ignoreClass)));
    }
    Operand<TInt32> zeros = tf.zerosLike(t);
    Operand<TInt32> cell = tf.math.add(tf.math.mul(tf.select(valid, t, zeros), classes), tf.select(valid, p, zeros));
    Operand<TFloat32> kept = tf.select(valid, w, tf.zerosLike(w));
    return tf.math.unsortedSegmentSum(kept, cell, tf.constant(numClasses * numClasses));
  }

  /** The predicted classes: the predictions as integers, or their argmax along {@code axis}. */
  Operand<TInt32> predictedClasses(Ops tf, Operand<TFloat32> yPred) {
    return sparseYPred ? tf.dtypes.cast(yPred, TInt32.class) : argmax(tf, "y_pred", yPred);
  }

  private Operand<TInt32> argmax(Ops tf, String what, Operand<TFloat32> scores) {
    int rank = LossUtils.rank(scores);
    if (rank >= 0 && (axis >= rank || axis < -rank)) {
      throw new IllegalArgumentException(describe() + ": argument `axis`=" + axis + " is not an axis of " + what
          + " of shape " + Shapes.format(scores.shape()) + " (the argmax of the scores along `axis` is the class)");
    }
    return tf.dtypes.cast(tf.math.argMax(tf.stopGradient(scores), tf.constant(axis)), TInt32.class);
  }

  /** Checks that labels and predictions, as classes, have as many elements per sample (when the shapes say). */
  private void checkSameSize(Shape labels, Shape predictions, Shape yTrue, Shape yPred) {
    long a = elementsPerSample(labels);
    long b = elementsPerSample(predictions);
    if (a >= 0 && b >= 0 && a != b) {
      throw new IllegalArgumentException(describe() + " compares one label with one prediction, so they need as many "
          + "classes per sample: y_true.shape=" + Shapes.format(yTrue) + " gives " + a + " and y_pred.shape="
          + Shapes.format(yPred) + " gives " + b + (sparseYTrue && sparseYPred ? " (for scores, set sparseYTrue "
          + "or sparseYPred to false, or use OneHotIoU or OneHotMeanIoU)" : ""));
    }
  }

  /** The number of elements after the batch axis, or -1 when unknown. */
  private static long elementsPerSample(Shape shape) {
    if (shape.isUnknown()) {
      return -1;
    }
    long n = 1;
    for (int i = 1; i < shape.numDimensions(); i++) {
      if (shape.get(i) < 0) {
        return -1;
      }
      n *= shape.get(i);
    }
    return n;
  }

  /** Per-sample weights spread over each sample's elements; weights of the labels' rank used as they are. */
  private static Operand<TFloat32> elementWeights(Ops tf, Operand<TFloat32> sampleWeight, Operand<TFloat32> labels) {
    int rank = LossUtils.rank(sampleWeight);
    if (rank > 1 && rank == LossUtils.rank(labels)) {
      return tf.math.mul(tf.onesLike(labels), sampleWeight);
    }
    return MetricUtils.weightsLike(tf, sampleWeight, labels);
  }

  @Override
  public void updateState(float[] packed, int offset) {
    for (int i = 0; i < totalCm.length; i++) {
      totalCm[i] += packed[offset + i];
    }
  }

  /**
   * The mean IoU of the target classes that occurred, as Keras: for each, {@code tp / (row + column - tp + 1e-7)}
   * (0 for a class whose denominator is 0), summed and divided by {@code validClasses + 1e-7}; 0 before any update.
   */
  @Override
  public double result() {
    double sum = 0;
    int valid = 0;
    for (int c : targetClassIds) {
      double truePositives = totalCm[c * numClasses + c];
      double denominator = -truePositives;
      for (int k = 0; k < numClasses; k++) {
        denominator += totalCm[c * numClasses + k] + totalCm[k * numClasses + c];
      }
      if (denominator > 1e-9) {
        valid++;
        sum += truePositives / (denominator + EPSILON);
      }
    }
    return sum / (valid + EPSILON);
  }

  /** The confusion matrix accumulated since the last reset (rows: true class, columns: predicted class), a copy. */
  public double[][] totalConfusionMatrix() {
    double[][] out = new double[numClasses][numClasses];
    for (int i = 0; i < numClasses; i++) {
      System.arraycopy(totalCm, i * numClasses, out[i], 0, numClasses);
    }
    return out;
  }

  @Override
  public void resetState() {
    Arrays.fill(totalCm, 0);
  }

  @Override
  public IoU withName(String newName) {
    return new IoU(newName, numClasses, targetClassIds, ignoreClass, sparseYTrue, sparseYPred, axis);
  }

  /**
   * {@code name}, {@code num_classes}, {@code target_class_ids}, {@code ignore_class}, {@code sparse_y_true},
   * {@code sparse_y_pred} and {@code axis}, as Keras (less {@code dtype}).
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("num_classes", numClasses);
    config.put("target_class_ids", ids(targetClassIds));
    config.put("ignore_class", ignoreClass);
    config.put("sparse_y_true", sparseYTrue);
    config.put("sparse_y_pred", sparseYPred);
    config.put("axis", axis);
    return config;
  }

  /** The ids as a list, as Keras writes {@code target_class_ids}. */
  static List<Integer> ids(int[] ids) {
    List<Integer> out = new ArrayList<>();
    for (int id : ids) {
      out.add(id);
    }
    return out;
  }

  /** {@code [0, 1, ..., numClasses - 1]}: every class, as MeanIoU's targets. */
  static int[] allClasses(int numClasses) {
    int[] ids = new int[Math.max(numClasses, 0)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    return ids;
  }
}
