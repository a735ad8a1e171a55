package io.github.keras4j.metrics;

import io.github.keras4j.losses.LossUtils;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Calculates the Pearson correlation coefficient between labels and predictions along the last axis, Keras's
 * {@code keras.metrics.PearsonCorrelation}: per sample (each vector along axis -1)
 * {@code mean(z(y_true) * z(y_pred))} with {@code z(x) = (x - mean(x)) / std(x)} (the population standard
 * deviation), from -1 to 1; averaged over any axes between the batch and the last, and the epoch's result is the
 * weighted mean over samples (Keras's {@code MeanMetricWrapper}).
 *
 * <p>Each sample needs several values along the last axis: with outputs {@code (batch, 1)} the standard deviation is
 * 0 and the value NaN, as in Keras. For labels and predictions of rank 1 the last axis is the batch: one correlation
 * per batch, counted with the batch's total weight (Keras counts it once).
 *
 * <p>Defaults: {@code name="pearson_correlation"}, {@code axis=-1}. Ids in {@link Metrics#get}:
 * {@code pearson_correlation}, {@code PearsonCorrelation}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code CorrelationMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1, 0.5], [1, 1, 0.2]], y_pred = [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]
 * // per sample [1, 0.99339927], result 0.9966996338993913
 * }</pre>
 *
 * <p>Java differences from Keras: only {@code axis=-1} (Keras also takes another axis or a tuple of axes); no
 * {@code dtype}.
 */
public final class PearsonCorrelation extends Metric {

  /** The metric named {@code pearson_correlation}. */
  public PearsonCorrelation() {
    this("pearson_correlation");
  }

  /** The metric with the given name. */
  public PearsonCorrelation(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = Correlations.sameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = Correlations.standardized(tf, Correlations.centered(tf, same.x1()));
    Operand<TFloat32> p = Correlations.standardized(tf, Correlations.centered(tf, same.x2()));
    return MetricUtils.samplewiseMean(tf, tf.math.mean(tf.math.mul(t, p), tf.constant(-1)));
  }

  @Override
  public PearsonCorrelation withName(String newName) {
    return new PearsonCorrelation(newName);
  }

  /** {@code name} and {@code axis} (always -1), as Keras (less {@code dtype}). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", -1);
    return config;
  }
}
