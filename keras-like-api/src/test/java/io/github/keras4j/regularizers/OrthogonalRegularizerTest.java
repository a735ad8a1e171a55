package io.github.keras4j.regularizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import io.github.keras4j.saving.Json;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * OrthogonalRegularizer against Keras's formula (regularizers.py, and the expected value of its
 * {@code test_orthogonal_regularizer}: {@code factor * 0.5 * sum|offdiag(x_hat x_hat^T)| / (n (n - 1) / 2)} with
 * unit rows {@code x_hat}), worked by hand for small matrices and in plain Java doubles by {@link #reference}.
 */
class OrthogonalRegularizerTest {

  /** Keras's formula in doubles: normalise the rows (columns), sum |dot products| of distinct pairs. */
  static double reference(double[][] x, double factor, String mode) {
    boolean rows = mode.equals("rows");
    int n = rows ? x.length : x[0].length;
    int m = rows ? x[0].length : x.length;
    double[][] v = new double[n][m];
    for (int i = 0; i < n; i++) {
      double sq = 0;
      for (int k = 0; k < m; k++) {
        v[i][k] = rows ? x[i][k] : x[k][i];
        sq += v[i][k] * v[i][k];
      }
      double inv = 1 / Math.sqrt(Math.max(sq, 1e-14));
      for (int k = 0; k < m; k++) {
        v[i][k] *= inv;
      }
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          double dot = 0;
          for (int k = 0; k < m; k++) {
            dot += v[i][k] * v[j][k];
          }
          sum += Math.abs(dot);
        }
      }
    }
    return factor * 0.5 * sum / (n * (n - 1) / 2.0);
  }

  static double[][] random(int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[rows][cols];
    for (double[] row : x) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return x;
  }

  static float[][] floats(double[][] x) {
    float[][] f = new float[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        f[i][j] = (float) x[i][j];
      }
    }
    return f;
  }

  static double penalty(Regularizer r, double[][] x) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      try (Result result = s.runner().fetch(r.call(tf, tf.constant(floats(x)))).run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  @Test
  void handWorkedPenalties() {
    // Rows e1, (e1 + e2) / sqrt 2, e3 / 1: the only non-zero product is 1/sqrt 2, counted twice; 3 pairs.
    // 0.1 * 0.5 * 2 / sqrt(2) / 3 = 0.1 * sqrt(2) / 6. The columns (1, 1, 0)/sqrt 2, e2, e3 give the same.
    double[][] x = {{1, 0, 0}, {1, 1, 0}, {0, 0, 2}};
    assertEquals(0.1 * Math.sqrt(2) / 6, penalty(new OrthogonalRegularizer(0.1, "rows"), x), 1e-7);
    assertEquals(0.1 * Math.sqrt(2) / 6, penalty(new OrthogonalRegularizer(0.1, "columns"), x), 1e-7);
    // Orthogonal rows (scaled identity and a sign flip) cost nothing.
    assertEquals(0.0, penalty(new OrthogonalRegularizer(1.0, "rows"), new double[][] {{3, 0}, {0, -2}}), 1e-7);
    // Parallel rows: |cos| = 1 for the single pair, so the penalty is the factor itself (default 0.01).
    assertEquals(0.01, penalty(new OrthogonalRegularizer(), new double[][] {{1, 2}, {-2, -4}}), 1e-8);
  }

  @Test
  void matchesTheFormulaOnRectangularMatricesInBothModes() {
    // 4 x 5: the rows mode compares 4 vectors of 5, the columns mode 5 vectors of 4 (different numbers).
    double[][] x = random(4, 5, 3);
    double rows = reference(x, 0.1, "rows");
    double columns = reference(x, 0.1, "columns");
    assertTrue(Math.abs(rows - columns) > 1e-3, rows + " vs " + columns);
    assertEquals(rows, penalty(new OrthogonalRegularizer(0.1, "rows"), x), 1e-6);
    assertEquals(columns, penalty(new OrthogonalRegularizer(0.1, "columns"), x), 1e-6);
  }

  @Test
  void zeroRowsStayFinite() {
    // normalize clamps the squared norm at 1e-14: a zero row normalises to zeros, so it adds nothing.
    double[][] x = {{0, 0, 0}, {1, 2, 0}, {2, 1, 0}};
    // Rows 1 and 2: cos = 4 / 5; 3 pairs: 0.5 * 2 * 0.8 / 3.
    assertEquals(0.8 / 3, penalty(new OrthogonalRegularizer(1.0, "rows"), x), 1e-6);
  }

  @Test
  void gradientMatchesCentralDifferencesOfTheFormula() {
    double[][] x = random(3, 4, 8);
    for (String mode : List.of("rows", "columns")) {
      float[][] grad;
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3, 4)));
        Operand<TFloat32> p = new OrthogonalRegularizer(0.5, mode).call(tf, in);
        Operand<?> dx = tf.gradients(p, List.of(in)).dy(0);
        try (TFloat32 feed = TFloat32.tensorOf(StdArrays.ndCopyOf(floats(x)));
            Result r = s.runner().feed(in, feed).fetch(dx).run()) {
          grad = StdArrays.array2dCopyOf((TFloat32) r.get(0));
        }
      }
      double h = 1e-5;
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 4; j++) {
          double[][] plus = copy(x);
          plus[i][j] += h;
          double[][] minus = copy(x);
          minus[i][j] -= h;
          double numeric = (reference(plus, 0.5, mode) - reference(minus, 0.5, mode)) / (2 * h);
          assertEquals(numeric, grad[i][j], 1e-4 + 1e-3 * Math.abs(numeric), mode + " d/dx[" + i + "][" + j + "]");
        }
      }
    }
  }

  private static double[][] copy(double[][] x) {
    double[][] c = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      c[i] = x[i].clone();
    }
    return c;
  }

  @Test
  void worksWhenTheComparedSizeIsKnownOnlyAtRunTime() {
    // An activity regularizer sees (None, units): the rows mode then counts the rows at run time.
    double[][] x = random(4, 3, 5);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      Operand<TFloat32> p = new OrthogonalRegularizer(0.2, "rows").call(tf, in);
      try (TFloat32 feed = TFloat32.tensorOf(StdArrays.ndCopyOf(floats(x)));
          Result r = s.runner().feed(in, feed).fetch(p).run()) {
        assertEquals(reference(x, 0.2, "rows"), ((TFloat32) r.get(0)).getFloat(), 1e-6);
      }
    }
  }

  @Test
  void addsItsPenaltyToTheLossOfALayer() {
    // Dense kernel [[1, 0], [1, 1]] (no bias) with OrthogonalRegularizer(0.1, "rows"): rows e1 and (e1 + e2)/sqrt 2,
    // one pair of cosine 1/sqrt 2, penalty 0.1 / sqrt 2. Input 0 and target 0 make the mse 0, so the loss is the
    // penalty alone.
    Backend.clearSession();
    KerasTensor in = Input.of(2);
    Dense dense = Dense.builder(2).useBias(false).kernelRegularizer(new OrthogonalRegularizer(0.1, "rows")).build();
    try (Model model = new Model(in, dense.apply(in))) {
      model.setWeights(List.of(StdArrays.ndCopyOf(new float[][] {{1f, 0f}, {1f, 1f}})));
      model.compile("sgd", "mse");
      double loss = model.evaluate(new float[4][2], new float[4][2]).get("loss");
      assertEquals(0.1 / Math.sqrt(2), loss, 1e-6);
    }
  }

  @Test
  void idsAndConfigRoundTripAsKeras() {
    assertEquals(OrthogonalRegularizer.class, Regularizers.get("orthogonal_regularizer").getClass());
    assertEquals(OrthogonalRegularizer.class, Regularizers.get("OrthogonalRegularizer").getClass());
    assertEquals(Map.of("factor", 0.01f, "mode", "rows"), Regularizers.get("orthogonal_regularizer").getConfig());
    // Keras's test_orthogonal_regularizer_get_config: factor 0.01, columns, through the saved form.
    OrthogonalRegularizer r = new OrthogonalRegularizer(0.01, "columns");
    Map<String, Object> saved = Regularizers.serialize(r);
    assertEquals("OrthogonalRegularizer", saved.get("class_name"));
    Regularizer back = Regularizers.deserialize(Json.parse(Json.write(saved), "test"));
    assertEquals(OrthogonalRegularizer.class, back.getClass());
    assertEquals(r.getConfig(), back.getConfig());
    // Missing keys take Keras's defaults.
    Regularizer defaults = Regularizers.deserialize(Map.of("class_name", "OrthogonalRegularizer", "config", Map.of()));
    assertEquals(Map.of("factor", 0.01f, "mode", "rows"), defaults.getConfig());
  }

  @Test
  void rejectsBadArgumentsWithKerasMessages() {
    // Keras's test_orthogonal_regularizer_mode_validation and _input_rank_validation messages.
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> new OrthogonalRegularizer(0.01, "invalid_mode"));
    assertTrue(mode.getMessage().endsWith("Invalid value for argument `mode`. Expected one of {\"rows\", "
        + "\"columns\"}. Received: mode=invalid_mode"), mode.getMessage());
    IllegalArgumentException factor = assertThrows(IllegalArgumentException.class,
        () -> new OrthogonalRegularizer(-1, "rows"));
    assertTrue(factor.getMessage().contains("non-negative") && factor.getMessage().contains("factor=-1.0"),
        factor.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new OrthogonalRegularizer(Double.NaN, "rows"));
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
          () -> new OrthogonalRegularizer(0.1, "rows").call(tf, tf.zeros(tf.constant(new int[] {4, 4, 4}),
              TFloat32.class)));
      assertEquals("Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=(4, 4, 4)",
          rank.getMessage());
      IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
          () -> new OrthogonalRegularizer(0.1, "columns").call(tf, tf.constant(new float[][] {{1f}, {2f}})));
      assertTrue(single.getMessage().contains("inputs.shape=(2, 1)"), single.getMessage());
    }
    IllegalArgumentException badMode = assertThrows(IllegalArgumentException.class, () -> Regularizers.deserialize(
        Map.of("class_name", "OrthogonalRegularizer", "config", Map.of("mode", 3))));
    assertTrue(badMode.getMessage().contains("mode=3"), badMode.getMessage());
  }
}
