package io.github.keras4j.metrics;

import io.github.keras4j.losses.LossUtils;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Calculates how often predictions match binary labels.
 *
 * <p>Formula: per element {@code y_true == (y_pred > threshold)}, averaged over every axis after the batch
 * axis; the epoch's result is the weighted mean over samples. {@code y_pred} may be probabilities, or logits
 * with {@code threshold=0}.
 *
 * <p>Defaults: {@code name="binary_accuracy"}, {@code threshold=0.5}. Ids in {@link Metrics#get}:
 * {@code binary_accuracy}, {@code BinaryAccuracy}; {@code accuracy} resolves to it when {@code y_pred}'s last
 * axis has size 1.
 *
 * <p>Example (Keras 3's docstring, checked in {@code BinaryAccuracyMetricTest}):
 *
 * <pre>{@code
 * // y_true = [[1], [1], [0], [0]], y_pred = [[0.98], [1], [0], [0.6]]
 * // result 0.75; with sample weights [1, 0, 0, 1]: 0.5
 * }</pre>
 */
public class BinaryAccuracy extends Metric {

  private final float threshold;

  /** A binary accuracy named {@code binary_accuracy} with threshold 0.5. */
  public BinaryAccuracy() {
    this("binary_accuracy");
  }

  /** A binary accuracy with the given name and threshold 0.5. */
  public BinaryAccuracy(String name) {
    this(name, 0.5f);
  }

  /**
   * A binary accuracy.
   *
   * @param name the name in logs
   * @param threshold a prediction above it counts as 1
   */
  public BinaryAccuracy(String name, float threshold) {
    super(name);
    if (Float.isNaN(threshold)) {
      throw new IllegalArgumentException("Argument `threshold` must be a number. Received: threshold=NaN");
    }
    this.threshold = threshold;
  }

  /** Predictions above this value count as 1. */
  public float threshold() {
    return threshold;
  }

  /** {@code name} and {@code threshold}, as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("threshold", threshold);
    return config;
  }

  @Override
  public BinaryAccuracy withName(String newName) {
    return new BinaryAccuracy(newName, threshold);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same =
        LossUtils.squeezeOrExpandToSameRank(tf, tf.stopGradient(yTrue), tf.stopGradient(yPred));
    Operand<TFloat32> predicted =
        tf.dtypes.cast(tf.math.greater(same.x2(), tf.constant(threshold)), TFloat32.class);
    return MetricUtils.samplewiseMean(tf, MetricUtils.matches(tf, same.x1(), predicted));
  }
}
