package io.github.keras4j.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.LayerRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * TernaryDense against Keras 3's ternary_dense.py rule (kernel_ternary = sign(k) * (|k| > t), t = threshold or
 * 0.5 mean|k|; output = beta * x kernel_ternary + bias with beta = mean|k| only for the default threshold), with the
 * numbers of Keras's ternary_dense_test.py where it has some and otherwise computed in plain Java doubles by
 * {@link #reference}.
 */
class TernaryDenseTest {

  /** Keras's forward pass in doubles (linear activation). */
  static double[][] reference(double[][] x, double[][] k, double[] bias, Double threshold) {
    double beta = meanAbs(k);
    double[][] kt = ternary(k, threshold);
    double[][] y = new double[x.length][k[0].length];
    for (int n = 0; n < x.length; n++) {
      for (int j = 0; j < k[0].length; j++) {
        double s = 0;
        for (int i = 0; i < k.length; i++) {
          s += x[n][i] * kt[i][j];
        }
        y[n][j] = (threshold == null ? beta * s : s) + (bias == null ? 0 : bias[j]);
      }
    }
    return y;
  }

  static double meanAbs(double[][] k) {
    double s = 0;
    for (double[] row : k) {
      for (double v : row) {
        s += Math.abs(v);
      }
    }
    return s / (k.length * k[0].length);
  }

  static double[][] ternary(double[][] k, Double threshold) {
    double t = threshold != null ? threshold : 0.5 * meanAbs(k);
    double[][] kt = new double[k.length][k[0].length];
    for (int i = 0; i < k.length; i++) {
      for (int j = 0; j < k[0].length; j++) {
        kt[i][j] = Math.abs(k[i][j]) > t ? Math.signum(k[i][j]) : 0;
      }
    }
    return kt;
  }

  static double[][] matrix(int rows, int cols, long seed) {
    float[][] f = LayerChecks.randomMatrix(rows, cols, seed);
    double[][] d = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        d[i][j] = f[i][j];
      }
    }
    return d;
  }

  static float[][] floats(double[][] d) {
    float[][] f = new float[d.length][d[0].length];
    for (int i = 0; i < d.length; i++) {
      for (int j = 0; j < d[0].length; j++) {
        f[i][j] = (float) d[i][j];
      }
    }
    return f;
  }

  static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** A model of the layer with the given kernel (and bias). */
  static Model model(TernaryDense layer, double[][] kernel, double[] bias, long... sampleShape) {
    KerasTensor in = Input.of(sampleShape);
    Model m = new Model(in, layer.apply(in));
    List<FloatNdArray> weights = new ArrayList<>();
    weights.add(StdArrays.ndCopyOf(floats(kernel)));
    if (bias != null) {
      weights.add(StdArrays.ndCopyOf(floats(bias)));
    }
    m.setWeights(weights);
    return m;
  }

  @Test
  void forwardMatchesKerasHandNumbers() {
    // Keras's test_forward_matches_manual: kernel [[1, -1], [0, 1]], threshold 0.5, no bias, x [[2, 3]] ->
    // [[2 * 1 + 3 * 0, 2 * -1 + 3 * 1]] = [[2, 1]].
    try (Model m = model(TernaryDense.builder(2).useBias(false).threshold(0.5).build(),
        new double[][] {{1, -1}, {0, 1}}, null, 2)) {
      assertArrayEquals(new float[] {2f, 1f}, StdArrays.array2dCopyOf(m.predict(new float[][] {{2f, 3f}}))[0], 1e-6f);
    }
    // Keras's test_beta_scaling_applied_when_threshold_none: kernel [[0.5, -0.5], [0.5, 0.5]]: t = 0.25, all
    // |w| > t so k_ternary = [[1, -1], [1, 1]]; beta = 0.5; x [[1, 1]] -> [[2, 0]] * 0.5 = [[1, 0]].
    try (Model m = model(TernaryDense.builder(2).useBias(false).build(), new double[][] {{0.5, -0.5}, {0.5, 0.5}},
        null, 2)) {
      assertArrayEquals(new float[] {1f, 0f}, StdArrays.array2dCopyOf(m.predict(new float[][] {{1f, 1f}}))[0], 1e-6f);
    }
  }

  @Test
  void forwardMatchesTheRuleOnRandomWeights() {
    double[][] k = matrix(4, 3, 1);
    double[] bias = {0.1, -0.2, 0.3};
    double[][] x = matrix(5, 4, 2);
    for (Double threshold : new Double[] {null, 0.3, 0.0}) {
      Backend.clearSession();
      TernaryDense layer = TernaryDense.builder(3).threshold(threshold).build();
      try (Model m = model(layer, k, bias, 4)) {
        float[][] y = StdArrays.array2dCopyOf(m.predict(floats(x)));
        double[][] expected = reference(x, k, bias, threshold);
        for (int n = 0; n < 5; n++) {
          assertArrayEquals(floats(expected[n]), y[n], 1e-5f, "threshold " + threshold + " row " + n);
        }
        // The exported kernel is the same rule; beta is mean|k| or 1.
        assertArrayEquals(floats(ternary(k, threshold)), layer.ternaryKernel());
        assertEquals(threshold == null ? meanAbs(k) : 1.0, layer.beta(), 1e-6);
      }
    }
  }

  @Test
  void thresholdExtremesAsKeras() {
    // Keras's test_threshold_zero_no_zeros: threshold 0 maps every (non-zero) glorot weight to +-1.
    Backend.clearSession();
    Backend.setRandomSeed(3);
    TernaryDense zero = TernaryDense.builder(16).threshold(0.0).build();
    KerasTensor in = Input.of(8);
    try (Model m = new Model(in, zero.apply(in))) {
      assertEquals(8 * 16 + 16, m.countParams());
      for (float[] row : zero.ternaryKernel()) {
        for (float v : row) {
          assertEquals(1f, Math.abs(v), 0f);
        }
      }
    }
    // Keras's test_threshold_large_all_zeros: threshold 1e9 gives a zero kernel, so the output is the bias (0).
    Backend.clearSession();
    TernaryDense large = TernaryDense.builder(4).threshold(1e9).build();
    KerasTensor in2 = Input.of(4);
    try (Model m = new Model(in2, large.apply(in2))) {
      assertArrayEquals(new float[4], StdArrays.array2dCopyOf(m.predict(new float[][] {{1, 1, 1, 1}}))[0], 1e-6f);
    }
  }

  @Test
  void appliesAlongTheLastAxisOfRank3Inputs() {
    // Keras's test_nd_input: (2, 5, 8) -> (2, 5, 16); each position equals the rank-2 rule on its row.
    Backend.clearSession();
    double[][] k = matrix(8, 16, 4);
    double[] bias = new double[16];
    bias[3] = 0.5;
    double[][] rows = matrix(10, 8, 5);
    float[][][] x = new float[2][5][];
    for (int n = 0; n < 10; n++) {
      x[n / 5][n % 5] = floats(rows[n]);
    }
    TernaryDense layer = new TernaryDense(16);
    KerasTensor in = Input.of(5, 8);
    KerasTensor out = layer.apply(in);
    assertArrayEquals(new long[] {-1, 5, 16}, out.shape().asArray());
    try (Model m = new Model(in, out)) {
      m.setWeights(List.of(StdArrays.ndCopyOf(floats(k)), StdArrays.ndCopyOf(floats(bias))));
      FloatNdArray y = m.predict(x);
      assertArrayEquals(new long[] {2, 5, 16}, y.shape().asArray());
      double[][] expected = reference(rows, k, bias, null);
      for (int n = 0; n < 10; n++) {
        for (int j = 0; j < 16; j++) {
          assertEquals(expected[n][j], y.getFloat(n / 5, n % 5, j), 1e-5, "[" + n + "][" + j + "]");
        }
      }
    }
    assertArrayEquals(new long[] {-1, 3, 10}, new TernaryDense(10).computeOutputShape(Shape.of(-1, 3, 5)).asArray());
  }

  /**
   * The straight-through gradient of {@code L = sum(C * y)}, {@code y = beta x Kt + b}, against its analytic form:
   * {@code dL/dK = beta x^T C + sign(K) / K.size * sum(C * (x Kt))} (the second term from {@code beta = mean|K|}; only
   * {@code x^T C} with a fixed threshold), {@code dL/db = sum_n C}, {@code dL/dx = beta C Kt^T}. Finite differences
   * cannot check it: the forward value is piecewise constant in {@code K} (a small step leaves {@code Kt} unchanged,
   * or jumps across a threshold), so they measure the true derivative ({@code 0} for the ternary part, or a spike),
   * not the STE's surrogate gradient; they still hold for {@code b} and {@code x}, in which the layer is affine.
   */
  @Test
  void straightThroughGradientMatchesTheAnalyticForm() {
    double[][] k = matrix(4, 3, 6);
    double[] bias = {0.2, 0.0, -0.1};
    double[][] x = matrix(5, 4, 7);
    double[][] c = matrix(5, 3, 8);
    for (Double threshold : new Double[] {null, 0.25}) {
      Backend.clearSession();
      TernaryDense layer = TernaryDense.builder(3).threshold(threshold).build();
      try (Model m = model(layer, k, bias, 4)) {
        GraphRuntime rt = m.runtime();
        Ops tf = rt.tf();
        Shape xShape = Shape.of(5, 4);
        float[] xFlat = floats(flatten(x));
        GraphVariable xv = rt.newVariable("ste_input_" + (threshold == null ? "beta" : "fixed"), "x", xShape,
            o -> o.constant(xShape, DataBuffers.of(xFlat, true, false)), false);
        Operand<TFloat32> y = m.call(List.of(xv.value()), false).get(0);
        Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, tf.constant(floats(c))), tf.constant(new int[] {0, 1}));
        List<Operand<TFloat32>> grads = rt.gradients(loss, List.of(layer.kernel(), layer.bias(), xv));
        float[][] dK;
        float[] dB;
        float[][] dX;
        try (Result r = rt.session().runner().fetch(grads.get(0)).fetch(grads.get(1)).fetch(grads.get(2)).run()) {
          dK = StdArrays.array2dCopyOf((TFloat32) r.get(0));
          dB = StdArrays.array1dCopyOf((TFloat32) r.get(1));
          dX = StdArrays.array2dCopyOf((TFloat32) r.get(2));
        }
        double[][] kt = ternary(k, threshold);
        double beta = threshold == null ? meanAbs(k) : 1;
        // sum(C * (x Kt)) = dL/dbeta
        double dBeta = 0;
        for (int n = 0; n < 5; n++) {
          for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int i = 0; i < 4; i++) {
              s += x[n][i] * kt[i][j];
            }
            dBeta += c[n][j] * s;
          }
        }
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 3; j++) {
            double xtc = 0;
            for (int n = 0; n < 5; n++) {
              xtc += x[n][i] * c[n][j];
            }
            double expected = beta * xtc + (threshold == null ? Math.signum(k[i][j]) / 12 * dBeta : 0);
            assertEquals(expected, dK[i][j], 1e-5, "threshold " + threshold + " dL/dK[" + i + "][" + j + "]");
          }
        }
        for (int j = 0; j < 3; j++) {
          double expected = 0;
          for (int n = 0; n < 5; n++) {
            expected += c[n][j];
          }
          assertEquals(expected, dB[j], 1e-5, "dL/db[" + j + "]");
        }
        for (int n = 0; n < 5; n++) {
          for (int i = 0; i < 4; i++) {
            double expected = 0;
            for (int j = 0; j < 3; j++) {
              expected += beta * c[n][j] * kt[i][j];
            }
            assertEquals(expected, dX[n][i], 1e-5, "threshold " + threshold + " dL/dx[" + n + "][" + i + "]");
          }
        }
      }
    }
  }

  private static double[] flatten(double[][] a) {
    double[] out = new double[a.length * a[0].length];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
    }
    return out;
  }

  @Test
  void shapeConfigAndOneTrainingStep() {
    // The standard checks but the finite-difference gradient one (see above): the shape inference agrees with the
    // real output, and one SGD step moves every weight (the float kernel through the STE).
    Backend.clearSession();
    for (TernaryDense layer : List.of(new TernaryDense(4, "tanh"),
        TernaryDense.builder(2).threshold(0.1).useBias(false).build())) {
      KerasTensor in = Input.of(3, 5);
      KerasTensor out = layer.apply(in);
      try (Model m = new Model(in, out)) {
        FloatNdArray xs = NdArrays.wrap(Shape.of(2, 3, 5), DataBuffers.of(LayerChecks.randomValues(30, 7), false,
            false));
        FloatNdArray y = m.predict(xs);
        long[] inferred = out.shape().asArray().clone();
        inferred[0] = 2;
        assertArrayEquals(inferred, y.shape().asArray());
        assertEquals(layer.name(), layer.getConfig().get("name"));
        LayerChecks.trainingStep(m, xs, y);
      }
    }
  }

  @Test
  void learnsATernaryTeacher() {
    // y = 0.5 * x W* with W* in {-1, 0, 1}: the STE trains the float kernel until its ternary form is W* and
    // beta = mean|kernel| is 0.5.
    Backend.clearSession();
    Backend.setRandomSeed(11);
    double[][] teacher = {{1, 0}, {-1, 1}, {0, -1}, {1, 1}, {0, 0}, {-1, 0}};
    double[][] x = matrix(64, 6, 12);
    double[][] target = new double[64][2];
    for (int n = 0; n < 64; n++) {
      for (int j = 0; j < 2; j++) {
        for (int i = 0; i < 6; i++) {
          target[n][j] += 0.5 * x[n][i] * teacher[i][j];
        }
      }
    }
    TernaryDense layer = TernaryDense.builder(2).useBias(false).build();
    KerasTensor in = Input.of(6);
    try (Model m = new Model(in, layer.apply(in))) {
      m.compile(new Adam(0.01f, 0.9f, 0.999f, 1e-7f), "mse");
      double first = m.trainOnBatch(floats(x), floats(target)).get("loss");
      double last = first;
      for (int step = 0; step < 300; step++) {
        last = m.trainOnBatch(floats(x), floats(target)).get("loss");
      }
      // Seen: 0.75 -> 2.4e-9 with the teacher's kernel recovered exactly and beta = 0.50005.
      assertTrue(last < 1e-3 * first, "loss " + first + " -> " + last);
      float[][] recovered = layer.ternaryKernel();
      for (int i = 0; i < 6; i++) {
        assertArrayEquals(floats(teacher[i]), recovered[i], "ternary kernel row " + i);
      }
      assertEquals(0.5, layer.beta(), 1e-2);
    }
  }

  @Test
  void configRoundTripsAsKeras() {
    // Keras's test_get_config_roundtrip: TernaryDense(32, threshold=0.01, activation="relu", use_bias=False).
    Backend.clearSession();
    TernaryDense layer = TernaryDense.builder(32).threshold(0.01).activation("relu").useBias(false).build();
    Map<String, Object> config = layer.getConfig();
    assertEquals(32, config.get("units"));
    assertEquals(0.01, (Double) config.get("threshold"), 0);
    assertEquals(false, config.get("use_bias"));
    assertEquals("relu", config.get("activation"));
    TernaryDense copy = (TernaryDense) LayerRegistry.deserialize(
        Json.parse(Json.write(LayerRegistry.serialize(layer)), "test"), null);
    assertEquals(32, copy.units());
    assertEquals(0.01, copy.threshold(), 0);
    assertEquals(config, copy.getConfig());
    assertNull(new TernaryDense(3).getConfig().get("threshold"));
    assertTrue(new TernaryDense(3).getConfig().containsKey("threshold"));
  }

  @Test
  void rejectsBadArgumentsAndQuantizedConfigs() {
    // Keras's test_invalid_units and test_invalid_threshold.
    for (int units : new int[] {0, -4}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TernaryDense(units));
      assertTrue(e.getMessage().contains("positive integer") && e.getMessage().contains("units=" + units),
          e.getMessage());
    }
    for (double t : new double[] {-0.1, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TernaryDense.builder(4).threshold(t).build());
      assertTrue(e.getMessage().contains("non-negative") && e.getMessage().contains("threshold=" + t),
          e.getMessage());
    }
    assertThrows(IllegalStateException.class, () -> new TernaryDense(2).ternaryKernel());
    Backend.clearSession();
    KerasTensor a = Input.of(4);
    TernaryDense d = new TernaryDense(2);
    try (Model m = new Model(a, d.apply(a))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.apply(Input.of(5)));
      assertTrue(e.getMessage().contains("expected axis -1 of input shape to have value 4")
          && e.getMessage().contains("(None, 5)"), e.getMessage());
      assertEquals(4 * 2 + 2, m.countParams());
    }
    // A Keras layer saved after quantize("ternary") carries a TernaryDTypePolicy and a packed kernel.
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", "ternary_dense");
    config.put("units", 4);
    config.put("dtype", Map.of("class_name", "TernaryDTypePolicy", "config", Map.of("name", "ternary_from_float32")));
    IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
        () -> LayerRegistry.deserialize(Map.of("class_name", "TernaryDense", "config", config), null));
    assertTrue(q.getMessage().contains("quantized TernaryDense"), q.getMessage());
  }
}
