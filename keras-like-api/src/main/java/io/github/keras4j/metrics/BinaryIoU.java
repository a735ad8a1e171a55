package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Computes the Intersection-Over-Union of classes 0 and/or 1 of a binary task, Keras's
 * {@code keras.metrics.BinaryIoU}: a prediction at or above {@code threshold} is class 1, below it class 0; labels
 * are 0 or 1. Then the IoUs of {@code targetClassIds} ({@code [0]}, {@code [1]} or {@code [0, 1]}) are averaged as
 * in {@link IoU}. With {@code threshold=0} on logits the classes are those of the probabilities at 0.5.
 *
 * <p>Defaults: {@code targetClassIds=[0, 1]}, {@code threshold=0.5}, {@code name="binary_io_u"} (Keras's automatic
 * name of the class). Ids in {@link Metrics#get}: {@code binary_io_u}, {@code BinaryIoU}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code IoUMetricsTest}):
 *
 * <pre>{@code
 * BinaryIoU m = new BinaryIoU(new int[] {0, 1}, 0.3f);
 * // y_true = [0, 1, 0, 1], y_pred = [0.1, 0.2, 0.4, 0.7]: 0.33333334
 * // with sample weights [0.2, 0.3, 0.4, 0.1]: cm = [[0.2, 0.4], [0.3, 0.1]], (0.2/0.9 + 0.1/0.8) / 2 = 0.17361112
 * }</pre>
 *
 * <p>See {@link IoU} for the differences from Keras. Note that the threshold is inclusive here, as in Keras, unlike
 * {@link BinaryAccuracy}'s.
 */
public final class BinaryIoU extends IoU {

  private final float threshold;

  /** The mean IoU of classes 0 and 1 at threshold 0.5, named {@code binary_io_u}. */
  public BinaryIoU() {
    this("binary_io_u");
  }

  /** The mean IoU of classes 0 and 1 at threshold 0.5, with the given name. */
  public BinaryIoU(String name) {
    this(name, new int[] {0, 1}, 0.5f);
  }

  /**
   * A binary IoU named {@code binary_io_u}.
   *
   * @param targetClassIds {@code [0]}, {@code [1]} or {@code [0, 1]}
   * @param threshold predictions at or above it are class 1
   */
  public BinaryIoU(int[] targetClassIds, float threshold) {
    this("binary_io_u", targetClassIds, threshold);
  }

  /**
   * A binary IoU.
   *
   * @param name the name in logs
   * @param targetClassIds {@code [0]}, {@code [1]} or {@code [0, 1]}
   * @param threshold predictions at or above it are class 1
   */
  public BinaryIoU(String name, int[] targetClassIds, float threshold) {
    super(name, 2, targetClassIds, null, true, true, -1);
    if (Float.isNaN(threshold)) {
      throw new IllegalArgumentException(describe() + ": argument `threshold` must be a number. Received: "
          + "threshold=NaN");
    }
    this.threshold = threshold;
  }

  /**
   * A binary IoU from its saved config (Keras's keys: {@code name}, {@code target_class_ids}, {@code threshold}).
   */
  public static BinaryIoU fromConfig(Map<String, Object> config) {
    Config c = new Config(config, "BinaryIoU", null);
    return new BinaryIoU(c.getString("name", "binary_io_u"),
        c.has("target_class_ids") ? c.getInts("target_class_ids") : new int[] {0, 1}, c.getFloat("threshold", 0.5f));
  }

  /** Predictions at or above this value are class 1. */
  public float threshold() {
    return threshold;
  }

  /** 1 where the prediction is at or above the threshold, else 0. */
  @Override
  Operand<TInt32> predictedClasses(Ops tf, Operand<TFloat32> yPred) {
    return tf.dtypes.cast(tf.math.greaterEqual(yPred, tf.constant(threshold)), TInt32.class);
  }

  @Override
  public BinaryIoU withName(String newName) {
    return new BinaryIoU(newName, targetClassIds(), threshold);
  }

  /** {@code name}, {@code target_class_ids} and {@code threshold}, as Keras (less {@code dtype}). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new java.util.LinkedHashMap<>();
    config.put("name", name());
    config.put("target_class_ids", ids(targetClassIds()));
    config.put("threshold", threshold);
    return config;
  }
}
