package io.github.keras4j.metrics;

import static io.github.keras4j.metrics.MetricTestSupport.accumulate;
import static io.github.keras4j.metrics.MetricTestSupport.accumulated;
import static io.github.keras4j.metrics.MetricTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.saving.TrainingSerialization;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * PearsonCorrelation and ConcordanceCorrelation: Keras 3's docstring examples
 * ({@code keras/src/metrics/correlation_metrics.py}), the coefficients computed in plain Java loops (means, population
 * variances) on sequences with sample weights, accumulation over batches, fit and evaluate, saved configs and ids.
 */
class CorrelationMetricsTest {

  private static final float[][] Y = {{0, 1, 0.5f}, {1, 1, 0.2f}};
  private static final float[][] P = {{0.1f, 0.9f, 0.5f}, {1, 0.9f, 0.2f}};

  @Test
  void pearsonMatchesTheKerasDocstring() {
    // Keras: pearson_correlation per sample [1., 0.99339927]; PearsonCorrelation().result() 0.9966996338993913.
    assertArrayEquals(new float[] {1f, 0.99339927f}, values(new PearsonCorrelation(), Y, P), 1e-6f);
    assertEquals(0.9966996338993913, accumulated(new PearsonCorrelation(), Y, P, null), 1e-6);
  }

  @Test
  void concordanceMatchesTheKerasDocstring() {
    // Keras: concordance_correlation per sample [0.97560976, 0.98765432], ConcordanceCorrelation().result()
    // 0.9816320385426076. Those figures were printed before Keras added backend.epsilon() (1e-7) to the denominator,
    // which moves the second by 3.6e-7 (0.9876540 in plain double arithmetic below): inside 1e-6.
    assertArrayEquals(new float[] {0.97560976f, 0.98765432f}, values(new ConcordanceCorrelation(), Y, P), 1e-6f);
    assertEquals(0.9816320385426076, accumulated(new ConcordanceCorrelation(), Y, P, null), 1e-6);
    assertEquals(concordance(toDouble(Y[1]), toDouble(P[1])), values(new ConcordanceCorrelation(), Y, P)[1], 1e-6);
  }

  @Test
  void sequencesMatchJavaLoopsWithSampleWeights() {
    // (3 samples, 4 steps, 5 values): one coefficient per step along the last axis, averaged over the steps of a
    // sample, then the weighted mean over samples.
    Random random = new Random(11);
    float[][][] y = new float[3][4][5];
    float[][][] p = new float[3][4][5];
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 4; t++) {
        for (int k = 0; k < 5; k++) {
          y[b][t][k] = (float) random.nextGaussian();
          p[b][t][k] = y[b][t][k] * (b + 1) * 0.5f + (float) random.nextGaussian() * 0.7f + 0.3f * t;
        }
      }
    }
    float[] w = {0.2f, 1f, 3f};
    double[] pearson = new double[3];
    double[] concordance = new double[3];
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 4; t++) {
        pearson[b] += pearson(toDouble(y[b][t]), toDouble(p[b][t])) / 4;
        concordance[b] += concordance(toDouble(y[b][t]), toDouble(p[b][t])) / 4;
      }
    }
    assertArrayEquals(toFloat(pearson), values(new PearsonCorrelation(), y, p), 1e-5f);
    assertArrayEquals(toFloat(concordance), values(new ConcordanceCorrelation(), y, p), 1e-5f);
    assertEquals(weightedMean(pearson, w), accumulated(new PearsonCorrelation(), y, p, w), 1e-5);
    assertEquals(weightedMean(concordance, w), accumulated(new ConcordanceCorrelation(), y, p, w), 1e-5);
    // Two batches (samples 0-1, then 2) add up to the same weighted mean; reset clears it.
    ConcordanceCorrelation m = new ConcordanceCorrelation();
    accumulate(m, new float[][][] {y[0], y[1]}, new float[][][] {p[0], p[1]}, new float[] {w[0], w[1]});
    accumulate(m, new float[][][] {y[2]}, new float[][][] {p[2]}, new float[] {w[2]});
    assertEquals(weightedMean(concordance, w), m.result(), 1e-5);
    m.resetState();
    assertEquals(0.0, m.result());
  }

  @Test
  void concordanceIsOneOnlyOnTheIdentityLineWhilePearsonIgnoresScaleAndShift() {
    float[][] y = {{1, 2, 3, 4}};
    float[][] shifted = {{3, 5, 7, 9}};
    assertEquals(1.0, accumulated(new PearsonCorrelation(), y, shifted, null), 1e-6);
    assertEquals(concordance(toDouble(y[0]), toDouble(shifted[0])),
        accumulated(new ConcordanceCorrelation(), y, shifted, null), 1e-6);
    assertTrue(accumulated(new ConcordanceCorrelation(), y, shifted, null) < 0.5);
    assertEquals(1.0, accumulated(new ConcordanceCorrelation(), y, y, null), 1e-6);
    assertEquals(-1.0, accumulated(new PearsonCorrelation(), y, new float[][] {{4, 3, 2, 1}}, null), 1e-6);
  }

  @Test
  void fitAndEvaluateReportTheCoefficients() {
    Backend.clearSession();
    Random random = new Random(5);
    float[][] x = new float[12][2];
    float[][] y = new float[12][3];
    for (int i = 0; i < x.length; i++) {
      x[i][0] = (float) random.nextGaussian();
      x[i][1] = (float) random.nextGaussian();
      y[i] = new float[] {x[i][0], x[i][1], x[i][0] - x[i][1]};
    }
    try (Sequential model = new Sequential(new InputLayer(2), new Dense(3))) {
      model.compile(new CompileOptions().optimizer("sgd").loss("mse")
          .metrics(new PearsonCorrelation(), "concordance_correlation"));
      History h = model.fit(x, y, new FitOptions().epochs(2).batchSize(5).verbose(0));
      assertEquals(2, h.get("pearson_correlation").size());
      assertEquals(2, h.get("concordance_correlation").size());
      Map<String, Double> logs = model.evaluate(x, y, 5, 0);
      FloatNdArray out = model.predict(x);
      double[] pearson = new double[x.length];
      double[] concordance = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        double[] row = {out.getFloat(i, 0), out.getFloat(i, 1), out.getFloat(i, 2)};
        pearson[i] = pearson(toDouble(y[i]), row);
        concordance[i] = concordance(toDouble(y[i]), row);
      }
      assertEquals(weightedMean(pearson, null), logs.get("pearson_correlation"), 1e-5);
      assertEquals(weightedMean(concordance, null), logs.get("concordance_correlation"), 1e-5);
    }
  }

  @Test
  void configsAndIdsFollowKeras() {
    assertEquals(Map.of("name", "pearson_correlation", "axis", -1), new PearsonCorrelation().getConfig());
    assertEquals(Map.of("name", "ccc", "axis", -1), new ConcordanceCorrelation("ccc").getConfig());
    for (Metric m : List.of(new PearsonCorrelation("pcc"), new ConcordanceCorrelation("ccc"))) {
      Metric back = assertInstanceOf(m.getClass(), TrainingSerialization.deserializeMetric(
          TrainingSerialization.serializeMetric(m), null));
      assertEquals(m.getConfig(), back.getConfig());
      assertEquals(m.getClass(), m.withName("y_pcc").getClass());
    }
    assertEquals("pearson_correlation", assertInstanceOf(PearsonCorrelation.class,
        Metrics.get("pearson_correlation")).name());
    assertInstanceOf(PearsonCorrelation.class, Metrics.get("PearsonCorrelation"));
    assertInstanceOf(ConcordanceCorrelation.class, Metrics.get("concordance_correlation"));
    assertInstanceOf(ConcordanceCorrelation.class, Metrics.get("ConcordanceCorrelation"));
  }

  /** Pearson's r of two vectors: the mean product of their z-scores (population standard deviations). */
  private static double pearson(double[] a, double[] b) {
    double ma = mean(a);
    double mb = mean(b);
    double sa = Math.sqrt(variance(a));
    double sb = Math.sqrt(variance(b));
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - ma) / sa * (b[i] - mb) / sb;
    }
    return sum / a.length;
  }

  /** Lin's concordance coefficient as Keras writes it: 2 cov / (var_a + var_b + (mean_a - mean_b)^2 + 1e-7). */
  private static double concordance(double[] a, double[] b) {
    double ma = mean(a);
    double mb = mean(b);
    double covariance = 0;
    for (int i = 0; i < a.length; i++) {
      covariance += (a[i] - ma) * (b[i] - mb) / a.length;
    }
    return 2 * covariance / (variance(a) + variance(b) + (ma - mb) * (ma - mb) + 1e-7);
  }

  private static double mean(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s / a.length;
  }

  private static double variance(double[] a) {
    double m = mean(a);
    double s = 0;
    for (double v : a) {
      s += (v - m) * (v - m);
    }
    return s / a.length;
  }

  private static double weightedMean(double[] values, float[] w) {
    double total = 0;
    double weight = 0;
    for (int i = 0; i < values.length; i++) {
      double wi = w == null ? 1 : w[i];
      total += values[i] * wi;
      weight += wi;
    }
    return total / weight;
  }

  private static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  private static float[] toFloat(double[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) x[i];
    }
    return out;
  }
}
