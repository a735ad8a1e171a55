package io.github.keras4j.layers.preprocessing;

import java.util.Arrays;

/**
 * The approximate quantile summaries behind {@link Discretization#adapt}, step for step as Keras 3's
 * {@code discretization.py} computes them ({@code summarize}, {@code merge_summaries}, {@code compress_summary},
 * {@code get_bin_boundaries}), with numpy's float32 and float64 steps kept: a summary is a sorted list of values with
 * a weight (a count of the data it stands for) each.
 *
 * @param values the summary's values, ascending (float32, as Keras keeps them)
 * @param weights the weight of each value (float32)
 */
record QuantileSummary(float[] values, float[] weights) {

  /** The empty summary Keras starts from ({@code np.array([[], []])}). */
  static QuantileSummary empty() {
    return new QuantileSummary(new float[0], new float[0]);
  }

  /** The number of values. */
  int size() {
    return values.length;
  }

  /**
   * Keras's {@code summarize}: the data sorted, then every {@code step}-th value from {@code step - 1} on, each with
   * weight {@code step}, where {@code step = max(n * epsilon, 1)} (every value when the data is small).
   */
  static QuantileSummary summarize(float[] data, double epsilon) {
    float[] sorted = data.clone();
    Arrays.sort(sorted);
    double numBuckets = 1.0 / epsilon;
    double increment = sorted.length / numBuckets;
    double step = Math.max(increment, 1);
    int start = (int) (step - 1);
    int stride = (int) step;
    int count = sorted.length <= start ? 0 : (sorted.length - 1 - start) / stride + 1;
    float[] values = new float[count];
    float[] weights = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = sorted[start + i * stride];
      weights[i] = (float) step;
    }
    return new QuantileSummary(values, weights);
  }

  /** Keras's {@code merge_summaries(this, other, epsilon)}: both summaries' entries sorted by value, compressed. */
  QuantileSummary merge(QuantileSummary other, double epsilon) {
    int n = size() + other.size();
    Integer[] order = new Integer[n];
    float[] v = new float[n];
    float[] w = new float[n];
    System.arraycopy(values, 0, v, 0, size());
    System.arraycopy(other.values, 0, v, size(), other.size());
    System.arraycopy(weights, 0, w, 0, size());
    System.arraycopy(other.weights, 0, w, size(), other.size());
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // A stable sort; numpy's default argsort is not stable, which can only reorder equal values.
    Arrays.sort(order, (a, b) -> Float.compare(v[a], v[b]));
    float[] sv = new float[n];
    float[] sw = new float[n];
    for (int i = 0; i < n; i++) {
      sv[i] = v[order[i]];
      sw[i] = w[order[i]];
    }
    return new QuantileSummary(sv, sw).compress(epsilon);
  }

  /**
   * Keras's {@code compress_summary}: unchanged when {@code size * epsilon < 1}; otherwise the values and cumulative
   * weights interpolated at the cumulative fractions {@code epsilon + np.arange(0, 1, epsilon)}.
   */
  QuantileSummary compress(double epsilon) {
    if (size() * epsilon < 1) {
      return this;
    }
    int n = (int) Math.ceil(1.0 / epsilon); // len(np.arange(0.0, 1.0, epsilon))
    float[] cumulative = new float[size()];
    float total = 0;
    for (int i = 0; i < size(); i++) {
      total += weights[i];
      cumulative[i] = total;
    }
    double[] fractions = new double[size()];
    double[] cumulativeD = new double[size()];
    double[] valuesD = new double[size()];
    for (int i = 0; i < size(); i++) {
      fractions[i] = cumulative[i] / cumulative[size() - 1]; // float32 division, as numpy on float32 arrays
      cumulativeD[i] = cumulative[i];
      valuesD[i] = values[i];
    }
    float[] newValues = new float[n];
    float[] newWeights = new float[n];
    double previous = 0;
    for (int i = 0; i < n; i++) {
      double percent = epsilon + i * epsilon;
      newValues[i] = (float) interp(percent, fractions, valuesD);
      double c = interp(percent, fractions, cumulativeD);
      newWeights[i] = (float) (c - previous);
      previous = c;
    }
    return new QuantileSummary(newValues, newWeights);
  }

  /**
   * Keras's {@code get_bin_boundaries}: the summary compressed to {@code 1 / numBins} and its last value dropped
   * (so {@code numBins - 1} boundaries, fewer when the summary holds fewer than {@code numBins} values).
   */
  float[] binBoundaries(int numBins) {
    float[] v = compress(1.0 / numBins).values;
    return Arrays.copyOf(v, Math.max(0, v.length - 1));
  }

  /** {@code np.interp(x, xp, fp)}: clamped at both ends, linear between the neighbours of {@code x}. */
  static double interp(double x, double[] xp, double[] fp) {
    int n = xp.length;
    if (x < xp[0]) {
      return fp[0];
    }
    if (x >= xp[n - 1]) {
      return fp[n - 1];
    }
    int lo = 0;
    int hi = n - 1; // xp[lo] <= x < xp[hi]
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (xp[mid] <= x) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    if (xp[lo] == x) {
      return fp[lo];
    }
    double slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
    return slope * (x - xp[lo]) + fp[lo];
  }
}
