package io.github.keras4j.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A metric computed from a state accumulated over the epoch ({@link Precision}, {@link Recall}, {@link TruePositives}
 * and the other counts: counts; {@link AUC}, {@link PrecisionAtRecall} and the other rates at a target: counts per
 * threshold; {@link FBetaScore}: counts per class; {@link R2Score}: sums), not as a mean of per-sample values:
 * subclasses give {@link #stateSize}, {@link #batchState}, {@link #updateState(float[], int)}, {@link #result} and
 * {@link #resetState}, and have no per-sample {@link #call}.
 */
abstract sealed class EpochStateMetric extends Metric
    permits CountRatio, AUC, R2Score, ConditionCount, SensitivitySpecificityBase, FBetaScore, IoU {

  EpochStateMetric(String name) {
    super(name);
  }

  /** {@code "Metric 'tp' (TruePositives)"}, for messages. */
  String describe() {
    return "Metric '" + name() + "' (" + getClass().getSimpleName() + ")";
  }

  /**
   * Not available: the metric is computed from its state over the epoch, not as a mean of per-sample values; the
   * engine uses {@link #batchState}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public final Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    throw new UnsupportedOperationException("Metric '" + name() + "' (" + getClass().getSimpleName() + ") is "
        + "computed from its state over the epoch, not as a mean of per-sample values: it has no per-sample call()");
  }
}
