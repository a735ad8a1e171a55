package io.github.keras4j.metrics;

import io.github.keras4j.losses.LossUtils;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Calculates the concordance correlation coefficient between labels and predictions along the last axis, Keras's
 * {@code keras.metrics.ConcordanceCorrelation}: per sample (each vector along axis -1)
 * {@code mean(2 (y_true - mean(y_pred)) (y_pred - mean(y_pred)) / (var(y_true) + var(y_pred)
 * + (mean(y_true) - mean(y_pred))^2 + 1e-7))} (population variances; centring {@code y_true} on its own mean
 * gives the same value, since the deviations of {@code y_pred} sum to 0), from -1 to 1: it measures both correlation
 * and closeness to the line {@code y_pred = y_true}. Averaged over any axes between the batch and the last; the
 * epoch's result is the weighted mean over samples (Keras's {@code MeanMetricWrapper}).
 *
 * <p>For labels and predictions of rank 1 the last axis is the batch: one coefficient per batch, counted with the
 * batch's total weight (Keras counts it once).
 *
 * <p>Defaults: {@code name="concordance_correlation"}, {@code axis=-1}. Ids in {@link Metrics#get}:
 * {@code concordance_correlation}, {@code ConcordanceCorrelation}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code CorrelationMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1, 0.5], [1, 1, 0.2]], y_pred = [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]
 * // per sample [0.97560976, 0.98765432], result 0.9816320385426076 (computed without the 1e-7; with it 0.9816317)
 * }</pre>
 *
 * <p>Java differences from Keras: only {@code axis=-1} (Keras also takes another axis or a tuple of axes); no
 * {@code dtype}.
 */
public final class ConcordanceCorrelation extends Metric {

  /** Keras's {@code backend.epsilon()}, added to the denominator. */
  private static final float EPSILON = 1e-7f;

  /** The metric named {@code concordance_correlation}. */
  public ConcordanceCorrelation() {
    this("concordance_correlation");
  }

  /** The metric with the given name. */
  public ConcordanceCorrelation(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = Correlations.sameRank(tf, yTrue, yPred);
    Operand<TFloat32> t = same.x1();
    Operand<TFloat32> p = same.x2();
    Operand<TFloat32> trueMean = Correlations.mean(tf, t);
    Operand<TFloat32> predMean = Correlations.mean(tf, p);
    Operand<TFloat32> covariance = tf.math.mul(tf.math.sub(t, predMean), tf.math.sub(p, predMean));
    Operand<TFloat32> norm = tf.math.add(tf.math.add(Correlations.variance(tf, t), Correlations.variance(tf, p)),
        tf.math.square(tf.math.sub(trueMean, predMean)));
    Operand<TFloat32> ratio = tf.math.div(tf.math.mul(tf.constant(2f), covariance),
        tf.math.add(norm, tf.constant(EPSILON)));
    return MetricUtils.samplewiseMean(tf, tf.math.mean(ratio, tf.constant(-1)));
  }

  @Override
  public ConcordanceCorrelation withName(String newName) {
    return new ConcordanceCorrelation(newName);
  }

  /** {@code name} and {@code axis} (always -1), as Keras (less {@code dtype}). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", -1);
    return config;
  }
}
