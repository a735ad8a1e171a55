package io.github.keras4j.metrics;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code SensitivitySpecificityBase}: the epoch's weighted counts of true and false positives and negatives
 * at {@code numThresholds} thresholds, then the best value of one rate among the thresholds where another rate
 * reaches a target ({@link SensitivityAtSpecificity}, {@link SpecificityAtSensitivity}, {@link PrecisionAtRecall},
 * {@link RecallAtPrecision}); 0 when no threshold reaches it.
 *
 * <p>The thresholds are {@code i / (numThresholds - 1)} for {@code i = 0 .. numThresholds - 1} (just 0.5 when
 * {@code numThresholds} is 1); predictions are clipped to [0, 1] first, as Keras's evenly spaced thresholds do. A
 * label is positive when it is not 0, a prediction when it is above the threshold; every element of the output
 * counts, or with {@code classId} only that column of the last axis.
 */
abstract sealed class SensitivitySpecificityBase extends EpochStateMetric
    permits SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision {

  /** A rate of the confusion matrix at each threshold. */
  enum Rate { SENSITIVITY, SPECIFICITY, PRECISION }

  private final String valueName;
  private final float value;
  private final int numThresholds;
  private final Integer classId;
  private final Rate constrained;
  private final Rate dependent;
  private final float[] thresholds;
  private final ConfusionCounts.Totals totals;

  /**
   * @param valueName Keras's name of the target argument ({@code "recall"}, ...), for the config and messages
   * @param value the target, in [0, 1]
   * @param constrained the rate that must reach {@code value}
   * @param dependent the rate maximised over the thresholds where it does
   */
  SensitivitySpecificityBase(String name, String valueName, float value, int numThresholds, Integer classId,
      Rate constrained, Rate dependent) {
    super(name);
    String owner = describe();
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException(owner + ": argument `" + valueName + "` must be in the range [0, 1]. "
          + "Received: " + valueName + "=" + value);
    }
    if (numThresholds <= 0) {
      throw new IllegalArgumentException(owner + ": argument `num_thresholds` must be an integer > 0. Received: "
          + "num_thresholds=" + numThresholds);
    }
    if (classId != null && classId < 0) {
      throw new IllegalArgumentException(owner + ": argument `class_id` must be a class index (>= 0). Received: "
          + "class_id=" + classId);
    }
    this.valueName = valueName;
    this.value = value;
    this.numThresholds = numThresholds;
    this.classId = classId;
    this.constrained = constrained;
    this.dependent = dependent;
    this.thresholds = new float[numThresholds];
    if (numThresholds == 1) {
      thresholds[0] = 0.5f;
    } else {
      for (int i = 0; i < numThresholds; i++) {
        thresholds[i] = (float) (i * 1.0 / (numThresholds - 1));
      }
    }
    this.totals = new ConfusionCounts.Totals(numThresholds);
  }

  /** The target of the constrained rate. */
  float value() {
    return value;
  }

  /** The number of thresholds. */
  public int numThresholds() {
    return numThresholds;
  }

  /** The class whose column is counted, or null when every element counts. */
  public Integer classId() {
    return classId;
  }

  /** The thresholds, ascending. */
  public float[] thresholds() {
    return thresholds.clone();
  }

  @Override
  public int stateSize() {
    return 4 * numThresholds;
  }

  @Override
  public Operand<TFloat32> batchState(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    Operand<TFloat32> p = numThresholds == 1 ? yPred
        : tf.clipByValue(yPred, tf.constant(0f), tf.constant(1f));
    return ConfusionCounts.counts(tf, name(), yTrue, p, sampleWeight, thresholds, classId,
        ConfusionCounts.Totals.KINDS);
  }

  @Override
  public void updateState(float[] packed, int offset) {
    totals.add(packed, offset);
  }

  /**
   * The largest value of the dependent rate among the thresholds where the constrained rate is at least the
   * target, 0 when there is none (Keras's {@code _find_max_under_constraint}); rates with a zero denominator are 0.
   */
  @Override
  public double result() {
    double best = 0;
    for (int i = 0; i < numThresholds; i++) {
      if (rate(constrained, i) >= value) {
        best = Math.max(best, rate(dependent, i));
      }
    }
    return best;
  }

  private double rate(Rate rate, int i) {
    return switch (rate) {
      case SENSITIVITY -> ratio(totals.tp[i], totals.tp[i] + totals.fn[i]);
      case SPECIFICITY -> ratio(totals.tn[i], totals.tn[i] + totals.fp[i]);
      case PRECISION -> ratio(totals.tp[i], totals.tp[i] + totals.fp[i]);
    };
  }

  /** Keras's {@code divide_no_nan}, in float as Keras computes it: 0 where the denominator is 0. */
  private static double ratio(double a, double b) {
    return b == 0 ? 0 : (float) (a / b);
  }

  @Override
  public void resetState() {
    totals.reset();
  }

  /** {@code name}, {@code class_id}, {@code num_thresholds} and the target ({@code recall}, ...), as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("class_id", classId);
    config.put("num_thresholds", numThresholds);
    config.put(valueName, value);
    return config;
  }
}
