package io.github.keras4j.metrics;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link Precision} and {@link Recall}: true positives over true positives plus one other count, accumulated over
 * the epoch at one threshold (Keras's {@code divide_no_nan}: 0 before any count).
 */
abstract sealed class CountRatio extends EpochStateMetric permits Precision, Recall {

  private final float threshold;
  private final Integer classId;
  private final ConfusionCounts.Kind other;
  private double truePositives;
  private double others;

  CountRatio(String name, float threshold, Integer classId, ConfusionCounts.Kind other) {
    super(name);
    if (!(threshold >= 0f && threshold <= 1f)) {
      throw new IllegalArgumentException("Threshold values must be in [0, 1]. Received: thresholds=" + threshold);
    }
    if (classId != null && classId < 0) {
      throw new IllegalArgumentException("Argument `classId` must be a class index (>= 0). Received: classId="
          + classId);
    }
    this.threshold = threshold;
    this.classId = classId;
    this.other = other;
  }

  /** Predictions above this value count as positive. */
  public float threshold() {
    return threshold;
  }

  /** The class whose column is counted, or null when every element counts. */
  public Integer classId() {
    return classId;
  }

  @Override
  public int stateSize() {
    return 2;
  }

  @Override
  public Operand<TFloat32> batchState(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    return ConfusionCounts.counts(tf, name(), yTrue, yPred, sampleWeight, new float[] {threshold}, classId,
        ConfusionCounts.Kind.TRUE_POSITIVES, other);
  }

  @Override
  public void updateState(float[] packed, int offset) {
    truePositives += packed[offset];
    others += packed[offset + 1];
  }

  /** {@code truePositives / (truePositives + other)}, 0 when both are 0. */
  @Override
  public double result() {
    double total = truePositives + others;
    return total == 0 ? 0 : truePositives / total;
  }

  @Override
  public void resetState() {
    truePositives = 0;
    others = 0;
  }

  /** {@code name}, {@code thresholds}, {@code top_k} (always null here) and {@code class_id}, as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("thresholds", threshold);
    config.put("top_k", null);
    config.put("class_id", classId);
    return config;
  }
}
