package io.github.keras4j.losses;

import static io.github.keras4j.losses.LossTestSupport.assertArrayClose;
import static io.github.keras4j.losses.LossTestSupport.compute;
import static io.github.keras4j.losses.LossTestSupport.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

class CircleLossTest {

  // keras/src/losses/losses_test.py, CircleTest.
  private static final float[] LABELS = {1, 1, 2, 2, 3};
  private static final float[][] EMBEDDINGS = {
      {0.70014004f, -0.42008403f, 0.14002801f, 0.56011203f},
      {0.17609018f, 0.70436073f, -0.52827054f, 0.44022545f},
      {-0.34050261f, 0.25537696f, -0.68100522f, 0.59587957f},
      {0.32163376f, -0.75047877f, 0.53605627f, -0.21442251f},
      {0.51261459f, -0.34174306f, 0.17087153f, 0.76892189f}};
  private static final float[] REF_LABELS = {1, 1, 2, 2, 3, 4};
  private static final float[][] REF_EMBEDDINGS = {
      {0.40824829f, -0.54433105f, 0.27216553f, 0.68041382f},
      {0.76376261f, 0.10910895f, -0.54554473f, 0.32732684f},
      {-0.74420841f, 0.24806947f, 0.49613894f, -0.3721042f},
      {0.52981294f, -0.13245324f, 0.79471941f, -0.26490647f},
      {0.54554473f, -0.32732684f, 0.10910895f, 0.76376261f},
      {-0.27216553f, 0.68041382f, 0.40824829f, -0.54433105f}};

  /** Keras 3's {@code circle} in double, per sample, written from its formula (empty sums are -inf, loss 0). */
  static double[] circle(double[] labels, double[][] e, double gamma, double margin, boolean removeDiagonal) {
    int n = labels.length;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double pSum = 0;
      double nSum = 0;
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int k = 0; k < e[i].length; k++) {
          dot += e[i][k] * e[j][k];
        }
        double d = Math.max(1 - dot, 0);
        boolean same = (int) labels[i] == (int) labels[j];
        if (same && !(removeDiagonal && i == j)) {
          double ap = Math.max(margin + d, 0);
          pSum += Math.exp(-gamma * ap * (margin - d));
        } else if (!same) {
          double an = Math.max(1 + margin - d, 0);
          nSum += Math.exp(gamma * an * (1 - margin - d));
        }
      }
      double z = Math.log(pSum) + Math.log(nSum);
      out[i] = z == Double.NEGATIVE_INFINITY ? 0 : Math.log1p(Math.exp(z));
    }
    return out;
  }

  /** The mean over the samples whose loss is above 0, weighted: Keras's masked "sum_over_batch_size". */
  static double maskedMean(double[] values, double[] weights) {
    double total = 0;
    int valid = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] > 0) {
        total += values[i] * (weights == null ? 1 : weights[i]);
        valid++;
      }
    }
    return total / valid;
  }

  @Test
  void matchesKeras3Tests() {
    // CircleTest.test_correctness: 188.3883 (defaults), 652.7617 (gamma=256, margin=0.25); the sample of class 3 has
    // no positive pair, loss 0, and is masked out of the mean.
    assertEquals(188.3883, compute(new Circle(), LABELS, EMBEDDINGS, null), 1e-3);
    assertEquals(652.7617, compute(new Circle(256, 0.25f), LABELS, EMBEDDINGS, null), 3e-3);
    // test_correctness_weighted: 244.91918 with sample weights [2, 2, 1, 1, 0.5].
    assertEquals(244.91918, compute(new Circle(), LABELS, EMBEDDINGS, new float[] {2, 2, 1, 1, 0.5f}), 1e-3);
    // test_no_reduction and test_sum_reduction, on the reference embeddings.
    float[] values = LossTestSupport.call(new Circle(), REF_LABELS, REF_EMBEDDINGS);
    assertArrayClose(new double[] {82.9116, 36.7942, 92.4590, 52.6798, 0.0, 0.0}, values, 1e-3);
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    assertEquals(264.845, sum, 1e-3);
  }

  @Test
  void matchesTheFormulaWithAndWithoutTheDiagonal() {
    double[] labels = toDouble(LABELS);
    double[][] e = toDouble(EMBEDDINGS);
    assertArrayClose(circle(labels, e, 80, 0.4, true), LossTestSupport.call(new Circle(), LABELS, EMBEDDINGS), 1e-3);
    Circle keepDiagonal = new Circle(32, 0.3f, false, "c");
    double[] expected = circle(labels, e, 32, 0.3, false);
    assertArrayClose(expected, LossTestSupport.call(keepDiagonal, LABELS, EMBEDDINGS), 1e-4);
    assertTrue(expected[4] > 0, "with the diagonal, class 3's sample is its own positive pair");
    float[] w = {0.5f, 1, 2, 1, 3};
    assertEquals(maskedMean(expected, toDouble(w)), compute(keepDiagonal, LABELS, EMBEDDINGS, w), 1e-4);
    // Labels (batch, 1) as (batch,).
    float[][] column = {{1}, {1}, {2}, {2}, {3}};
    assertArrayClose(expected, LossTestSupport.call(keepDiagonal, column, EMBEDDINGS), 1e-4);
  }

  @Test
  void aPredictionMaskCombinesWithTheLossOwnMask() {
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      Operand<TBool> mask = tf.constant(new boolean[] {true, false, true, true, true});
      Operand<TFloat32> value = new Circle().compute(tf, tf.constant(LABELS), tf.constant(EMBEDDINGS), null, mask);
      double[] v = circle(toDouble(LABELS), toDouble(EMBEDDINGS), 80, 0.4, true);
      // Sample 1 masked by the prediction mask, sample 4 by its zero loss.
      assertEquals((v[0] + v[2] + v[3]) / 3, LossTestSupport.fetchScalar(rt, value), 1e-3);
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    // A small gamma keeps the values near 1 so that float32 gradients can be compared closely; the embeddings are not
    // unit vectors, which the formula does not need.
    float[] labels = {0, 0, 1, 1, 2};
    float[][] e = {{0.9f, 0.1f, 0.3f}, {0.5f, 0.6f, -0.2f}, {-0.3f, 0.8f, 0.4f}, {0.2f, 0.7f, 0.6f},
        {0.4f, -0.5f, 0.7f}};
    float[] w = {1, 2, 0.5f, 1, 1};
    LossTestSupport.checkGradient(new Circle(2, 0.25f), labels, e, w,
        x -> maskedMean(circle(toDouble(labels), x, 2, 0.25, true), toDouble(w)));
  }

  @Test
  void trainsByStringId() {
    // Seen: 26.9 after the first step, 0.024 after 25.
    assertTrue(LossTraining.lossFalls("circle", LossTraining.Task.EMBEDDING));
  }

  @Test
  void fitsEmbeddingsFromOneLabelPerSample() {
    // fit() takes Circle's (batch, 1) labels for (batch, 4) embeddings: the two classes' embeddings separate.
    io.github.keras4j.backend.Backend.clearSession();
    io.github.keras4j.backend.Backend.setRandomSeed(2);
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    float[][] x = new float[32][3];
    float[][] y = new float[32][1];
    for (int i = 0; i < 32; i++) {
      y[i][0] = i % 2;
      for (int j = 0; j < 3; j++) {
        x[i][j] = (float) (r.nextGaussian() * 0.5 + (i % 2 == 0 ? 1 : -1));
      }
    }
    try (io.github.keras4j.models.Sequential m = new io.github.keras4j.models.Sequential(
        new io.github.keras4j.layers.InputLayer(3), new io.github.keras4j.layers.core.Dense(4),
        new io.github.keras4j.layers.normalization.UnitNormalization())) {
      m.compile(new io.github.keras4j.optimizers.Adam(0.02f), new Circle(8, 0.25f));
      double before = betweenClassCosine(m.predict(x));
      java.util.List<Double> loss = m.fit(x, y, new io.github.keras4j.training.FitOptions().epochs(15).batchSize(16)
          .verbose(0)).get("loss");
      double after = betweenClassCosine(m.predict(x));
      // With gamma 8 and margin 0.25 the loss of perfectly separated classes is still about 3.5 per sample (a
      // negative pair at cosine -1 keeps exp(0) in the sum), so the check is on the embeddings: classes move apart.
      assertTrue(loss.get(loss.size() - 1) < loss.get(0), loss.toString());
      assertTrue(after < before - 0.03 && after < -0.95, "mean cosine between classes " + before + " -> " + after);
    }
  }

  /** The mean cosine between the unit embeddings of samples of different classes (even and odd rows). */
  private static double betweenClassCosine(org.tensorflow.ndarray.FloatNdArray e) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < 32; i += 2) {
      for (int j = 1; j < 32; j += 2) {
        double dot = 0;
        for (int k = 0; k < 4; k++) {
          dot += e.getFloat(i, k) * e.getFloat(j, k);
        }
        sum += dot;
        n++;
      }
    }
    return sum / n;
  }

  @Test
  void rejectsBadArgumentsAndShapesNamingTheLoss() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Circle(0, 0.4f));
    assertEquals("Argument `gamma` of Circle must be a finite number > 0. Received: gamma=0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Circle(80, Float.NaN));
    assertEquals("Argument `margin` of Circle must be finite. Received: margin=NaN", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> compute(new Circle(), new float[] {1, 2, 3}, EMBEDDINGS, null));
    assertEquals("Loss 'circle' expects integer labels y_true of shape (batch,) or (batch, 1) and embeddings y_pred "
        + "of shape (batch, dim). Received: y_true.shape=(3,), y_pred.shape=(5, 4)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> compute(new Circle(), new float[][] {{1, 2}, {3, 4}}, new float[][] {{1, 0}, {0, 1}}, null));
    assertTrue(e.getMessage().contains("y_true.shape=(2, 2)"), e.getMessage());
  }

  @Test
  void configRoundTripsWithKerasKeys() {
    Circle loss = new Circle(64, 0.25f, false, "mycircle");
    assertEquals(Map.of("name", "mycircle", "gamma", 64f, "margin", 0.25f, "remove_diagonal", false),
        loss.getConfig());
    for (Circle c : List.of(loss, new Circle())) {
      assertEquals(c.getConfig(), Circle.fromConfig(c.getConfig()).getConfig());
      assertEquals(c.getConfig(), LossTraining.throughSavedForm(c).getConfig());
    }
    assertEquals(new Circle().getConfig(), Losses.get("Circle").getConfig());
    assertEquals("circle", Losses.get("circle").name());
  }
}
