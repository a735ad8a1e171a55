package io.github.keras4j.metrics;

/**
 * Computes the (weighted) mean of the values it is given, Keras's {@code keras.metrics.Mean}: for a running loss or
 * any other number in a custom training loop. {@code result = sum(values * w) / sum(w)}, 0 before any update.
 *
 * <p>Values come from Java: {@link #updateState(double)}, {@link #updateState(float[], float[])} (one value per
 * sample), or {@link #updateState(org.tensorflow.ndarray.FloatNdArray, float[])} (an array whose axes after the
 * first are averaged per sample, as Keras's {@code reduce_to_samplewise_values}).
 *
 * <p>Defaults: {@code name="mean"}. No string id: a {@code Mean} has no {@code (y_true, y_pred)} form for
 * {@code compile}; to average a function of {@code (y_true, y_pred)} use {@link Metric#of}, Keras's
 * {@code MeanMetricWrapper}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code ReductionMetricsTest}):
 *
 * <pre>{@code
 * Mean m = new Mean();
 * m.updateState(new float[] {1, 3, 5, 7});                              // result 4.0
 * m.resetState();
 * m.updateState(new float[] {1, 3, 5, 7}, new float[] {1, 1, 0, 0});  // result 2.0
 * }</pre>
 *
 * <p>Java differences from Keras: the state is kept in Java (doubles), not in graph variables; there is no
 * {@code dtype}. The inherited {@link #updateState(double, double)} adds a precomputed weighted total and weight
 * ({@code sum(values * w)}, {@code sum(w)}), not a value and its weight.
 */
public final class Mean extends ReductionMetric {

  /** A mean named {@code mean}. */
  public Mean() {
    this("mean");
  }

  /** A mean with the given name, such as {@code loss}. */
  public Mean(String name) {
    super(name);
  }

  @Override
  void add(double value, double weight) {
    updateState(value * weight, weight);
  }

  @Override
  boolean averagesWithinSamples() {
    return true;
  }

  @Override
  public Mean withName(String newName) {
    return new Mean(newName);
  }
}
