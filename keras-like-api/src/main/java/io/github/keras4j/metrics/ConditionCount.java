package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code _ConfusionMatrixConditionCount}: the weighted count of one cell of the confusion matrix
 * ({@link TruePositives}, {@link FalsePositives}, {@link TrueNegatives}, {@link FalseNegatives}) over the epoch, at
 * one or several thresholds. A label is positive when it is not 0, a prediction when it is above the threshold;
 * every element of the output counts, weighted by its sample's weight.
 *
 * <p>{@link #results()} gives one count per threshold, as Keras's {@code result()}. {@link #result()}, the number
 * that History logs, is that count for one threshold and the mean of the counts for several (Keras logs the
 * vector).
 */
abstract sealed class ConditionCount extends EpochStateMetric
    permits TruePositives, FalsePositives, TrueNegatives, FalseNegatives {

  private final ConfusionCounts.Kind kind;
  private final float[] thresholds;
  private final double[] counts;

  ConditionCount(String name, ConfusionCounts.Kind kind, float... thresholds) {
    super(name);
    this.kind = kind;
    this.thresholds = ConfusionCounts.checkThresholds(describe(), thresholds);
    this.counts = new double[this.thresholds.length];
  }

  /** The thresholds, as given: predictions above one count as positive at it. */
  public float[] thresholds() {
    return thresholds.clone();
  }

  @Override
  public int stateSize() {
    return thresholds.length;
  }

  @Override
  public Operand<TFloat32> batchState(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    return ConfusionCounts.counts(tf, name(), yTrue, yPred, sampleWeight, thresholds, null, kind);
  }

  @Override
  public void updateState(float[] packed, int offset) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += packed[offset + i];
    }
  }

  /** The weighted count at each threshold, in the order of {@link #thresholds()} (Keras's {@code result()}). */
  public double[] results() {
    return counts.clone();
  }

  /** The count at the one threshold; with several, the mean of the counts (see {@link #results()}). */
  @Override
  public double result() {
    return Arrays.stream(counts).sum() / counts.length;
  }

  @Override
  public void resetState() {
    Arrays.fill(counts, 0);
  }

  /** {@code name} and {@code thresholds} (one number, or a list for several), as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("thresholds", thresholdsConfig(thresholds));
    return config;
  }

  /** One threshold as a number, several as a list, as Keras saves {@code thresholds}. */
  static Object thresholdsConfig(float[] thresholds) {
    if (thresholds.length == 1) {
      return thresholds[0];
    }
    List<Float> list = new ArrayList<>();
    for (float t : thresholds) {
      list.add(t);
    }
    return list;
  }

  /** The {@code thresholds} of a saved config: one number or a list; 0.5 when absent or null (Keras's None). */
  static float[] thresholdsOf(Config config) {
    if (!config.has("thresholds")) {
      return new float[] {0.5f};
    }
    double[] values = config.getDoubles("thresholds");
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
