package io.github.keras4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.training.FitOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Expected numbers: the docstring examples of Keras 3's normalization.py (their outputs pasted), means and
 * population variances of tiny matrices by hand, and otherwise {@code (x - mean) / max(sqrt(var), 1e-7)} with the
 * statistics computed in plain Java loops (double).
 */
class NormalizationTest {

  /** Keras docstring data: columns (0, 2, 0, 2), (7, 9, 7, 9), (4, 6, 4, 6). */
  private static final float[][] DOC = {{0, 7, 4}, {2, 9, 6}, {0, 7, 4}, {2, 9, 6}};

  /** By hand: column means (1.25, 0.75); deviations (-0.25, 1.75, -2.25, 0.75) and (-2.75, -0.75, 3.25, 0.25). */
  private static final float[][] X = {{1, -2}, {3, 0}, {-1, 4}, {2, 1}};
  /** Population variances of {@link #X}: 8.75 / 4 and 18.75 / 4. */
  private static final double[] X_VARIANCE = {2.1875, 4.6875};

  private static Model model(Normalization layer, long... shape) {
    KerasTensor in = Input.of(shape);
    return new Model(in, layer.apply(in));
  }

  private static void assertRow(float[] expected, FloatNdArray y, int row, double tolerance) {
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], y.getFloat(row, j), tolerance, "[" + row + "][" + j + "]");
    }
  }

  @Test
  void kerasDocstringExamples() {
    // Per-feature statistics: adapt(DOC) then layer([[0, 7, 4]]) -> [-1, -1, -1].
    Normalization perFeature = new Normalization();
    perFeature.adapt(DOC);
    assertArrayEquals(new float[] {1, 8, 5}, perFeature.mean());
    assertArrayEquals(new float[] {1, 1, 1}, perFeature.variance());
    try (Model m = model(perFeature, 3)) {
      assertRow(new float[] {-1, -1, -1}, m.predict(new float[][] {{0, 7, 4}}), 0, 1e-6);
    }
    // invert=True: the same adapt, layer([[1, 2, 3]]) -> [2, 10, 8].
    Normalization inverse = Normalization.builder().invert(true).build();
    inverse.adapt(DOC);
    try (Model m = model(inverse, 3)) {
      assertRow(new float[] {2, 10, 8}, m.predict(new float[][] {{1, 2, 3}}), 0, 1e-6);
    }
    // mean=3, variance=2: layer([[1], [2], [3]]) -> [[-1.4142135], [-0.70710677], [0]].
    try (Model m = model(new Normalization(3.0, 2.0), 1)) {
      FloatNdArray y = m.predict(new float[][] {{1}, {2}, {3}});
      assertEquals(-1.4142135f, y.getFloat(0, 0), 1e-6);
      assertEquals(-0.70710677f, y.getFloat(1, 0), 1e-6);
      assertEquals(0f, y.getFloat(2, 0), 1e-6);
    }
    // axis=None: adapt([1, 2, 3, 4, 5]) (mean 3, variance 2), layer([1, 2, 3]) -> [-1.4142135, -0.70710677, 0].
    Normalization global = Normalization.builder().axis().build();
    global.adapt(new float[] {1, 2, 3, 4, 5});
    assertArrayEquals(new float[] {3}, global.mean());
    assertArrayEquals(new float[] {2}, global.variance());
    try (Model m = model(global)) {
      FloatNdArray y = m.predict(new float[] {1, 2, 3});
      assertEquals(-1.4142135f, y.getFloat(0), 1e-6);
      assertEquals(-0.70710677f, y.getFloat(1), 1e-6);
      assertEquals(0f, y.getFloat(2), 1e-6);
    }
  }

  @Test
  void adaptComputesTheMeanAndPopulationVarianceOfATinyMatrix() {
    Normalization norm = new Normalization();
    norm.adapt(X);
    assertArrayEquals(new float[] {1.25f, 0.75f}, norm.mean());
    assertEquals(X_VARIANCE[0], norm.variance()[0], 1e-6);
    assertEquals(X_VARIANCE[1], norm.variance()[1], 1e-6);
    try (Model m = model(norm, 2)) {
      FloatNdArray y = m.predict(X);
      // The adapted data comes out with mean 0 and variance 1 per column: x[1][0] = (3 - 1.25) / sqrt(2.1875).
      assertEquals(1.75 / Math.sqrt(2.1875), y.getFloat(1, 0), 1e-6);
      assertEquals(3.25 / Math.sqrt(4.6875), y.getFloat(2, 1), 1e-6);
      // Weights in Keras's order, non-trainable; count = 4 values behind each statistic.
      assertEquals(List.of(norm.name() + "/mean", norm.name() + "/variance", norm.name() + "/count"),
          m.variables().stream().map(v -> v.name()).toList());
      assertTrue(m.trainableVariables().isEmpty());
      assertEquals(5, m.countParams());
      assertEquals(4f, m.getWeights().get(2).getFloat());
    }
  }

  @Test
  void keepsStatisticsPerIndexOfOneOrSeveralAxesOfRank3Data() {
    // (batch 2, steps 3, features 2); axis -1: over batch and steps; axis (1, 2): over the batch only.
    float[][][] x = {{{1, 2}, {3, -1}, {0, 5}}, {{-2, 4}, {1, 1}, {6, 0}}};
    double[] mean = new double[2];
    double[] var = new double[2];
    for (int f = 0; f < 2; f++) {
      for (float[][] s : x) {
        for (float[] step : s) {
          mean[f] += step[f] / 6.0;
        }
      }
      for (float[][] s : x) {
        for (float[] step : s) {
          var[f] += Math.pow(step[f] - mean[f], 2) / 6.0;
        }
      }
    }
    Normalization features = new Normalization();
    features.adapt(x);
    try (Model m = model(features, 3, 2)) {
      FloatNdArray y = m.predict(x);
      for (int b = 0; b < 2; b++) {
        for (int t = 0; t < 3; t++) {
          for (int f = 0; f < 2; f++) {
            assertEquals((x[b][t][f] - mean[f]) / Math.sqrt(var[f]), y.getFloat(b, t, f), 1e-5);
          }
        }
      }
    }
    Normalization cells = Normalization.builder().axis(1, 2).build();
    cells.adapt(x);
    float[] cellMean = cells.mean();
    float[] cellVariance = cells.variance();
    assertEquals(6, cellMean.length);
    for (int t = 0; t < 3; t++) {
      for (int f = 0; f < 2; f++) {
        double m = (x[0][t][f] + x[1][t][f]) / 2.0;
        double v = (Math.pow(x[0][t][f] - m, 2) + Math.pow(x[1][t][f] - m, 2)) / 2.0;
        assertEquals(m, cellMean[t * 2 + f], 1e-6);
        assertEquals(v, cellVariance[t * 2 + f], 1e-6);
      }
    }
  }

  @Test
  void adaptingADatasetMergesItsBatchesToTheStatisticsOfAllSamples() {
    // 10 samples in batches of 3 (the last has 1): the merged statistics equal those of the whole array.
    float[][] x = LayerChecks.randomMatrix(10, 3, 5);
    for (int i = 0; i < 10; i++) {
      x[i][1] = x[i][1] * 4 + 2;
    }
    Normalization whole = new Normalization();
    whole.adapt(x);
    Normalization batched = new Normalization();
    batched.adapt(Dataset.fromArrays(x, new float[10][1]).batch(3));
    for (int f = 0; f < 3; f++) {
      double mean = 0;
      for (float[] row : x) {
        mean += row[f] / 10.0;
      }
      double var = 0;
      for (float[] row : x) {
        var += Math.pow(row[f] - mean, 2) / 10.0;
      }
      assertEquals(mean, whole.mean()[f], 1e-6);
      assertEquals(var, whole.variance()[f], 1e-6);
      assertEquals(mean, batched.mean()[f], 1e-6);
      assertEquals(var, batched.variance()[f], 1e-6);
    }
  }

  @Test
  void givenStatisticsBroadcastOverTheLastKeptAxis() {
    try (Model m = model(new Normalization(new float[] {1, 2}, new float[] {4, 9}), 3, 2)) {
      float[][][] x = {{{3, 5}, {1, 2}, {-1, -4}}};
      FloatNdArray y = m.predict(x);
      for (int t = 0; t < 3; t++) {
        assertEquals((x[0][t][0] - 1) / 2.0, y.getFloat(0, t, 0), 1e-6);
        assertEquals((x[0][t][1] - 2) / 3.0, y.getFloat(0, t, 1), 1e-6);
      }
      assertTrue(m.variables().isEmpty(), "given statistics are constants, not weights");
    }
  }

  @Test
  void aZeroVarianceDividesByEpsilon() {
    // A constant column: variance 0, so (x - mean) / 1e-7.
    Normalization norm = new Normalization();
    norm.adapt(new float[][] {{2, 1}, {2, 3}});
    try (Model m = model(norm, 2)) {
      FloatNdArray y = m.predict(new float[][] {{2.5f, 2}});
      assertEquals(0.5 / 1e-7, y.getFloat(0, 0), 1);
      assertEquals(0f, y.getFloat(0, 1), 1e-6);
    }
  }

  @Test
  void usingTheLayerBeforeAdaptIsAnErrorAndAdaptUpdatesABuiltModel() {
    Backend.clearSession();
    Normalization norm = new Normalization();
    try (Sequential model = new Sequential(new InputLayer(2), norm, new Dense(1))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.predict(X));
      assertTrue(e.getMessage().contains("'normalization'") && e.getMessage().contains("call adapt(data)"),
          e.getMessage());
      assertNull(norm.mean(), "not adapted yet");
      // Adapting the built layer assigns the model's weights.
      norm.adapt(X);
      assertArrayEquals(new float[] {1.25f, 0.75f}, floats(model.getWeights().get(0)));
      model.compile("sgd", "mse");
      model.fit(X, new float[4][1], new FitOptions().epochs(2).batchSize(2).verbose(0));
      // Training leaves the statistics alone.
      assertArrayEquals(new float[] {1.25f, 0.75f}, norm.mean());
      assertEquals(X_VARIANCE[1], norm.variance()[1], 1e-6);
      // Adapting again after the model was traced: the next predict uses the new statistics. With mean 0 and
      // variance 1 (data +-1 in each column), the layer is the identity, so the model is the Dense layer alone.
      float[][] unit = {{1, -1}, {-1, 1}};
      norm.adapt(unit);
      List<FloatNdArray> w = model.getWeights();
      float[][] probe = {{0.5f, 2f}};
      double dense = probe[0][0] * w.get(3).getFloat(0, 0) + probe[0][1] * w.get(3).getFloat(1, 0)
          + w.get(4).getFloat(0);
      assertEquals(dense, model.predict(probe).getFloat(0, 0), 1e-5);
    }
  }

  private static float[] floats(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false));
    return out;
  }

  @Test
  void passesStandardLayerChecks() {
    // Adapted on data unlike the check's inputs, so the statistics matter for the gradients.
    Normalization norm = new Normalization();
    norm.adapt(new float[][] {{1, -2, 0.5f}, {3, 0, 1.5f}, {-1, 4, 2}});
    LayerChecks.check(norm, 4, 3);
    Normalization inverse = Normalization.builder().axis(1).invert(true).build();
    inverse.adapt(new float[][][] {{{1, 2}, {0, -1}}, {{3, 3}, {2, 2}}});
    LayerChecks.check(inverse, 3, 2, 2);
    LayerChecks.check(new Normalization(new float[] {0.5f}, new float[] {2}), 3, 2);
  }

  @Test
  void config() {
    Backend.clearSession();
    Map<String, Object> c = new Normalization().getConfig();
    assertEquals("normalization", c.get("name"));
    assertEquals(List.of(-1), c.get("axis"));
    assertEquals(false, c.get("invert"));
    assertTrue(c.containsKey("mean") && c.get("mean") == null);
    assertTrue(c.containsKey("variance") && c.get("variance") == null);
    c = Normalization.builder().axis().mean(3).variance(2).invert(true).build().getConfig();
    assertEquals(List.of(), c.get("axis"));
    assertEquals(3f, c.get("mean"));
    assertEquals(2f, c.get("variance"));
    assertEquals(true, c.get("invert"));
    c = new Normalization(new float[] {1, 2}, new float[] {4, 9}).getConfig();
    assertEquals(List.of(1f, 2f), c.get("mean"));
    assertEquals(List.of(4f, 9f), c.get("variance"));
  }

  @Test
  void rejectsBadArgumentsAndIncompatibleData() {
    Backend.clearSession();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Normalization.builder().mean(1).build());
    assertTrue(e.getMessage().contains("both `mean` and `variance` must be set") && e.getMessage().contains("mean=1.0")
        && e.getMessage().contains("variance=None"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Normalization(new float[] {1, 2}, new float[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("same shape"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Normalization.builder().axis().mean(1, 2).variance(1, 2).build());
    assertTrue(e.getMessage().contains("number of axes (0)"), e.getMessage());
    // Given statistics must broadcast against the input.
    e = assertThrows(IllegalArgumentException.class,
        () -> new Normalization(new float[] {1, 2}, new float[] {1, 2}).apply(Input.of(3)));
    assertTrue(e.getMessage().contains("of length 2") && e.getMessage().contains("(None, 3)"), e.getMessage());
    // Axis out of range, and the batch axis (rank-1 data with the default axis -1).
    e = assertThrows(IllegalArgumentException.class,
        () -> Normalization.builder().axis(2).name("norm_axis").build().apply(Input.of(3)));
    assertTrue(e.getMessage().contains("'norm_axis'") && e.getMessage().contains("axis=[2]")
        && e.getMessage().contains("(None, 3)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Normalization().adapt(new float[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("batch axis") && e.getMessage().contains("axis()"), e.getMessage());
    // Data of the wrong feature count: at once for a built layer, when the unbuilt one is
    // applied to the model's input.
    Normalization built = new Normalization();
    try (Model m = model(built, 3)) {
      assertTrue(built.isBuilt() && m.isBuilt());
      e = assertThrows(IllegalArgumentException.class, () -> built.adapt(X));
      assertTrue(e.getMessage().contains("(None, 2)") && e.getMessage().contains("incompatible"), e.getMessage());
    }
    Normalization early = new Normalization();
    early.adapt(X);
    e = assertThrows(IllegalArgumentException.class, () -> model(early, 3).close());
    assertTrue(e.getMessage().contains("(None, 2)") && e.getMessage().contains("(None, 3)"), e.getMessage());
    // adapt() on a layer with fixed statistics, and on no data.
    IllegalStateException s = assertThrows(IllegalStateException.class, () -> new Normalization(1, 2).adapt(X));
    assertTrue(s.getMessage().contains("fixed mean and variance"), s.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Normalization().adapt(new float[0][3]));
    assertTrue(e.getMessage().contains("no samples"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Normalization().adapt(new float[][] {{1, Float.NaN}}));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }
}
