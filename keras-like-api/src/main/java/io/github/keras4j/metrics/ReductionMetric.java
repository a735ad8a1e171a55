package io.github.keras4j.metrics;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link Mean} and {@link Sum} share: updates from Java values with optional per-sample weights, as Keras's
 * {@code update_state(values, sample_weight)} with its {@code reduce_to_samplewise_values}. A value of rank 0 is one
 * sample; an array's first axis runs over samples and the axes after it are reduced per sample (averaged for
 * {@link Mean}, summed for {@link Sum}) before the weights apply.
 */
abstract sealed class ReductionMetric extends Metric permits Mean, Sum {

  ReductionMetric(String name) {
    super(name);
  }

  /** Adds one sample's value (already reduced over its own axes) with its weight. */
  abstract void add(double value, double weight);

  /** Whether the axes after the first are averaged (true) or summed (false). */
  abstract boolean averagesWithinSamples();

  /** Adds one value of weight 1. */
  public void updateState(double value) {
    add(value, 1);
  }

  /** Adds each value as a sample of weight 1. */
  public void updateState(float[] values) {
    updateState(values, null);
  }

  /**
   * Adds each value as a sample with its weight.
   *
   * @param sampleWeight one weight per value, or null for weights of 1
   * @throws IllegalArgumentException when the lengths differ
   */
  public void updateState(float[] values, float[] sampleWeight) {
    checkWeights(values.length, sampleWeight);
    for (int i = 0; i < values.length; i++) {
      add(values[i], sampleWeight == null ? 1 : sampleWeight[i]);
    }
  }

  /** Adds {@code values} (rank 0: one sample; else one sample per index of axis 0) with weights of 1. */
  public void updateState(FloatNdArray values) {
    updateState(values, null);
  }

  /**
   * Adds {@code values}: rank 0 is one sample; otherwise each index of axis 0 is a sample whose elements are reduced
   * to one value (averaged by {@link Mean}, summed by {@link Sum}), then weighted.
   *
   * @param sampleWeight one weight per sample, or null for weights of 1
   * @throws IllegalArgumentException when the number of weights is not the number of samples
   */
  public void updateState(FloatNdArray values, float[] sampleWeight) {
    if (values.rank() == 0) {
      checkWeights(1, sampleWeight);
      add(values.getFloat(), sampleWeight == null ? 1 : sampleWeight[0]);
      return;
    }
    long samples = values.shape().get(0);
    checkWeights(samples, sampleWeight);
    for (long i = 0; i < samples; i++) {
      double[] sum = {0};
      long[] count = {0};
      values.get(i).scalars().forEach(s -> {
        sum[0] += s.getFloat();
        count[0]++;
      });
      double value = averagesWithinSamples() ? (count[0] == 0 ? Double.NaN : sum[0] / count[0]) : sum[0];
      add(value, sampleWeight == null ? 1 : sampleWeight[(int) i]);
    }
  }

  private void checkWeights(long samples, float[] sampleWeight) {
    if (sampleWeight != null && sampleWeight.length != samples) {
      throw new IllegalArgumentException("Metric '" + name() + "' (" + getClass().getSimpleName() + "): "
          + "`sampleWeight` needs one weight per sample: " + samples + " samples, received " + sampleWeight.length
          + " weights");
    }
  }

  /**
   * Not available: this metric reduces the values given to its {@code updateState} methods, not a function of labels
   * and predictions, so it cannot be given to {@code compile} (Keras's {@code Mean} cannot either).
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public final Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    throw new UnsupportedOperationException("Metric '" + name() + "' (" + getClass().getSimpleName() + ") reduces "
        + "the values given to its updateState(...) methods (in a custom training loop); it has no (y_true, y_pred) "
        + "form for compile. To average a function of (y_true, y_pred), use Metric.of(name, fn), Keras's "
        + "MeanMetricWrapper");
  }
}
