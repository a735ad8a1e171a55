package io.github.keras4j.metrics;

import io.github.keras4j.losses.Loss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link MeanAbsoluteError} and {@link MeanSquaredError} share: a metric whose per-sample values are those
 * of a loss's {@link Loss#call} (no gradient flows into the metric), averaged over any axes after the batch axis.
 * The epoch's result is then the metric's weighted mean, not the loss's reduction.
 */
abstract class LossMetric extends Metric {

  private final Loss loss;

  /**
   * Stores the loss.
   *
   * @param name the name in logs
   * @param loss gives the per-sample values
   */
  LossMetric(String name, Loss loss) {
    super(name);
    this.loss = loss;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return MetricUtils.samplewiseMean(tf, loss.call(tf, tf.stopGradient(yTrue), tf.stopGradient(yPred)));
  }
}
