package io.github.keras4j.metrics;

/**
 * Computes the (weighted) sum of the values it is given, Keras's {@code keras.metrics.Sum}:
 * {@code result = sum(values * w)}, 0 before any update. For a running count or total in a custom training loop.
 *
 * <p>Values come from Java: {@link #updateState(double)}, {@link #updateState(float[], float[])} (one value per
 * sample), or {@link #updateState(org.tensorflow.ndarray.FloatNdArray, float[])} (an array whose axes after the
 * first are summed per sample before the weights apply).
 *
 * <p>Defaults: {@code name="sum"}. No string id: a {@code Sum} has no {@code (y_true, y_pred)} form for
 * {@code compile}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code ReductionMetricsTest}):
 *
 * <pre>{@code
 * Sum m = new Sum();
 * m.updateState(new float[] {1, 3, 5, 7});                              // result 16.0
 * Sum w = new Sum();
 * w.updateState(new float[] {1, 3, 5, 7}, new float[] {1, 1, 0, 0});  // result 4.0
 * }</pre>
 *
 * <p>Java differences from Keras: the state is kept in Java (a double); there is no {@code dtype}. The inherited
 * {@link #updateState(double, double)} adds its first argument (a precomputed weighted total) and ignores the weight.
 */
public final class Sum extends ReductionMetric {

  private double total;

  /** A sum named {@code sum}. */
  public Sum() {
    this("sum");
  }

  /** A sum with the given name. */
  public Sum(String name) {
    super(name);
  }

  @Override
  void add(double value, double weight) {
    total += value * weight;
  }

  @Override
  boolean averagesWithinSamples() {
    return false;
  }

  /** Adds {@code weightedTotal}, a precomputed {@code sum(values * w)}; the weight plays no part in a sum. */
  @Override
  public void updateState(double weightedTotal, double weight) {
    total += weightedTotal;
  }

  /** The weighted sum since the last reset. */
  @Override
  public double result() {
    return total;
  }

  @Override
  public void resetState() {
    total = 0;
  }

  @Override
  public Sum withName(String newName) {
    return new Sum(newName);
  }
}
