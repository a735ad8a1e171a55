package io.github.keras4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.TrainingSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Muon against keras/src/optimizers/muon.py, written out in plain Java doubles in {@link #reference}, and against the
 * figures of Keras's own keras/src/optimizers/muon_test.py.
 */
class MuonTest {

  /**
   * The variables of the formula tests: a tall and a wide matrix (Muon; the tall one is transposed for the
   * Newton-Schulz iterations), a bias (rank 1: AdamW), a matrix excluded by name ({@code excludeLayers("output")})
   * and an embedding table (AdamW with {@code excludeEmbeddings}).
   */
  private static final String[] NAMES = {
      "dense/kernel", "dense/bias", "hidden/kernel", "output/kernel", "embedding/embeddings"};

  private static final int[][] SHAPES = {{3, 2}, {2}, {2, 4}, {2, 2}, {4, 2}};

  /** Whether Keras's _should_use_adamw holds for each of {@link #NAMES} with excludeLayers("output"). */
  private static final boolean[] ADAM = {false, true, false, true, true};

  private static final float[][] INITIAL = new float[NAMES.length][];

  /** Gradients of steps 1-3 for each variable, of both signs, changing from step to step. */
  private static final float[][][] GRADIENTS = new float[3][NAMES.length][];

  static {
    for (int i = 0; i < NAMES.length; i++) {
      INITIAL[i] = LayerChecks.randomValues(size(SHAPES[i]), 10 + i);
      for (int k = 0; k < 3; k++) {
        GRADIENTS[k][i] = LayerChecks.randomValues(size(SHAPES[i]), 100 + 10 * k + i);
      }
    }
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private static Shape[] shapes() {
    Shape[] out = new Shape[SHAPES.length];
    for (int i = 0; i < SHAPES.length; i++) {
      long[] dims = new long[SHAPES[i].length];
      for (int j = 0; j < dims.length; j++) {
        dims[j] = SHAPES[i][j];
      }
      out[i] = Shape.of(dims);
    }
    return out;
  }

  /** The reference's settings: Keras's arguments as doubles, null for Python's None. */
  private record Settings(double[] lr, Double weightDecay, Double adamWeightDecay, double adamBeta1,
      double adamBeta2, double epsilon, double a, double b, double c, double adamLrRatio, double momentum,
      int nsSteps, boolean nesterov, Double rmsRate) {

    /** Keras's defaults with the given learning rates. */
    static Settings defaults(double[] lr) {
      return new Settings(lr, 0.004, 0.004, 0.9, 0.999, 1e-7, 3.4445, -4.7750, 2.0315, 1, 0.95, 5, true, 0.2);
    }
  }

  /**
   * keras/src/optimizers/muon.py: for each step, Muon._apply_weight_decay (weight_decay for Muon's variables,
   * adam_weight_decay for the others, each with the plain learning rate), then update_step: _adamw_update_step with
   * lr * adam_lr_ratio for {@code adam[i]}, else _muon_update_step (m += g + m * (momentum - 1); nesterov
   * g + momentum * m; zeropower_via_newtonschulz5; lr_adjust). Returns {@code out[k][i][j]}.
   */
  private static double[][][] reference(Settings s, boolean[] adam, int[][] shapes, float[][] initial,
      float[][][] grads) {
    int n = initial.length;
    double[][] w = new double[n][];
    double[][] m = new double[n][];
    double[][] v = new double[n][];
    for (int i = 0; i < n; i++) {
      w[i] = new double[initial[i].length];
      for (int j = 0; j < w[i].length; j++) {
        w[i][j] = initial[i][j];
      }
      m[i] = new double[w[i].length];
      v[i] = new double[w[i].length];
    }
    double[][][] out = new double[grads.length][n][];
    for (int k = 0; k < grads.length; k++) {
      double lr = s.lr()[k];
      for (int i = 0; i < n; i++) {
        Double rate = adam[i] ? s.adamWeightDecay() : s.weightDecay();
        if (rate != null) {
          for (int j = 0; j < w[i].length; j++) {
            w[i][j] -= w[i][j] * rate * lr;
          }
        }
      }
      for (int i = 0; i < n; i++) {
        float[] g = grads[k][i];
        if (adam[i]) {
          int t = k + 1;
          double lrA = lr * s.adamLrRatio();
          double alpha = lrA * Math.sqrt(1 - Math.pow(s.adamBeta2(), t)) / (1 - Math.pow(s.adamBeta1(), t));
          for (int j = 0; j < g.length; j++) {
            m[i][j] += (g[j] - m[i][j]) * (1 - s.adamBeta1());
            v[i][j] += (g[j] * (double) g[j] - v[i][j]) * (1 - s.adamBeta2());
            w[i][j] -= m[i][j] * alpha / (Math.sqrt(v[i][j]) + s.epsilon());
          }
        } else {
          int rows = shapes[i][0];
          int cols = shapes[i][1];
          double[][] u = new double[rows][cols];
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              int j = r * cols + c;
              m[i][j] = m[i][j] * s.momentum() + g[j];
              u[r][c] = s.nesterov() ? g[j] + s.momentum() * m[i][j] : m[i][j];
            }
          }
          double[][] o = newtonSchulz(u, s.nsSteps(), s.a(), s.b(), s.c());
          double scale = s.rmsRate() == null ? 1 : Math.sqrt(Math.max(rows, cols)) * s.rmsRate();
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              w[i][r * cols + c] -= lr * o[r][c] * scale;
            }
          }
        }
        out[k][i] = w[i].clone();
      }
    }
    return out;
  }

  /**
   * keras/src/optimizers/muon.py zeropower_via_newtonschulz5: a tall matrix is transposed, divided by its Frobenius
   * norm + 1e-7, then {@code steps} times A = X X^T, B = b A + c A A, X = a X + B X; transposed back.
   */
  static double[][] newtonSchulz(double[][] g, int steps, double a, double b, double c) {
    boolean tall = g.length > g[0].length;
    double[][] x = tall ? transpose(g) : g;
    double norm = 0;
    for (double[] row : x) {
      for (double e : row) {
        norm += e * e;
      }
    }
    norm = Math.sqrt(norm) + 1e-7;
    double[][] y = new double[x.length][x[0].length];
    for (int r = 0; r < x.length; r++) {
      for (int col = 0; col < x[0].length; col++) {
        y[r][col] = x[r][col] / norm;
      }
    }
    for (int step = 0; step < steps; step++) {
      double[][] gram = multiply(y, transpose(y));
      double[][] gram2 = multiply(gram, gram);
      double[][] poly = new double[gram.length][gram.length];
      for (int r = 0; r < gram.length; r++) {
        for (int col = 0; col < gram.length; col++) {
          poly[r][col] = b * gram[r][col] + c * gram2[r][col];
        }
      }
      double[][] py = multiply(poly, y);
      for (int r = 0; r < y.length; r++) {
        for (int col = 0; col < y[0].length; col++) {
          y[r][col] = a * y[r][col] + py[r][col];
        }
      }
    }
    return tall ? transpose(y) : y;
  }

  private static double[][] transpose(double[][] x) {
    double[][] t = new double[x[0].length][x.length];
    for (int r = 0; r < x.length; r++) {
      for (int c = 0; c < x[0].length; c++) {
        t[c][r] = x[r][c];
      }
    }
    return t;
  }

  private static double[][] multiply(double[][] p, double[][] q) {
    double[][] out = new double[p.length][q[0].length];
    for (int r = 0; r < p.length; r++) {
      for (int c = 0; c < q[0].length; c++) {
        double sum = 0;
        for (int k = 0; k < q.length; k++) {
          sum += p[r][k] * q[k][c];
        }
        out[r][c] = sum;
      }
    }
    return out;
  }

  /** Asserts every value after every step within {@code tolerance * (1 + |expected|)}. */
  static void assertClose(double[][][] expected, float[][][] actual, double tolerance) {
    for (int k = 0; k < expected.length; k++) {
      for (int i = 0; i < expected[k].length; i++) {
        for (int j = 0; j < expected[k][i].length; j++) {
          double e = expected[k][i][j];
          assertEquals(e, actual[k][i][j], tolerance * (1 + Math.abs(e)),
              "variable " + i + " element " + j + " after step " + (k + 1));
        }
      }
    }
  }

  private static double[] constant(double lr) {
    return new double[] {lr, lr, lr};
  }

  @Test
  void defaultsAndConfigAreKeras() {
    Muon muon = new Muon();
    assertTrue(muon.name().startsWith("muon"), muon.name());
    Map<String, Object> config = muon.getConfig();
    assertEquals(List.of("name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
        "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps",
        "adam_beta_1", "adam_beta_2", "epsilon", "exclude_layers", "muon_a", "muon_b", "muon_c", "adam_lr_ratio",
        "momentum", "ns_steps", "nesterov", "exclude_embeddings", "adam_weight_decay", "rms_rate"),
        List.copyOf(config.keySet()));
    assertEquals(0.001f, config.get("learning_rate"));
    assertEquals(0.004f, config.get("weight_decay"));
    assertEquals(0.9f, config.get("adam_beta_1"));
    assertEquals(0.999f, config.get("adam_beta_2"));
    assertEquals(1e-7f, config.get("epsilon"));
    assertEquals(List.of(), config.get("exclude_layers"));
    assertEquals(3.4445f, config.get("muon_a"));
    assertEquals(-4.7750f, config.get("muon_b"));
    assertEquals(2.0315f, config.get("muon_c"));
    assertEquals(1f, config.get("adam_lr_ratio"));
    assertEquals(0.95f, config.get("momentum"));
    assertEquals(5, config.get("ns_steps"));
    assertEquals(true, config.get("nesterov"));
    assertEquals(true, config.get("exclude_embeddings"));
    assertEquals(0.004f, config.get("adam_weight_decay"));
    assertEquals(0.2f, config.get("rms_rate"));
  }

  @Test
  void threeStepsFollowKerasFormulaOnBothPaths() {
    // Muon's defaults (weight decay 0.004 on both paths, Nesterov, rms_rate 0.2), a larger rate to see the decay.
    float[][][] w = FedSteps.run(Muon.builder().learningRate(0.1f).excludeLayers("output").build(), NAMES,
        shapes(), INITIAL, GRADIENTS);
    assertClose(reference(Settings.defaults(constant(0.1)), ADAM, SHAPES, INITIAL, GRADIENTS), w, 2e-6);
  }

  @Test
  void threeStepsWithOtherSettingsFollowKerasFormula() {
    // Every setting away from its default, a schedule (0.2, 0.1, 0.05) and no decay of Muon's variables.
    Muon muon = Muon.builder().learningRate(new ExponentialDecay(0.2, 1, 0.5)).weightDecay(null)
        .adamWeightDecay(0.05f).adamBeta1(0.8f).adamBeta2(0.99f).epsilon(1e-3f).excludeLayers("out", "nothing")
        .muonCoefficients(2f, -1.5f, 0.5f).adamLrRatio(0.5f).momentum(0.9f).nsSteps(3).nesterov(false)
        .rmsRate(null).build();
    float[][][] w = FedSteps.run(muon, NAMES, shapes(), INITIAL, GRADIENTS);
    Settings s = new Settings(new double[] {0.2, 0.1, 0.05}, null, 0.05, 0.8f, 0.99f, 1e-3f, 2, -1.5, 0.5, 0.5,
        0.9f, 3, false, null);
    assertClose(reference(s, ADAM, SHAPES, INITIAL, GRADIENTS), w, 2e-6);
  }

  @Test
  void embeddingsTakeMuonsStepWhenNotExcluded() {
    Muon muon = Muon.builder().learningRate(0.1f).excludeEmbeddings(false).rmsRate(0.5f).build();
    float[][][] w = FedSteps.run(muon, NAMES, shapes(), INITIAL, GRADIENTS);
    boolean[] adam = {false, true, false, false, false};
    Settings s = new Settings(constant(0.1), 0.004, 0.004, 0.9, 0.999, 1e-7, 3.4445, -4.7750, 2.0315, 1, 0.95, 5,
        true, 0.5);
    assertClose(reference(s, adam, SHAPES, INITIAL, GRADIENTS), w, 2e-6);
  }

  @Test
  void newtonSchulzMatchesKerasTest() {
    // keras/src/optimizers/muon_test.py test_Newton_Schulz: zeropower_via_newtonschulz5 of [[0.2499, 0.9105],
    // [0.2655, 0.8824]] in 5 steps is [[-0.4422, 0.6457], [0.7285, 0.2968]] to 1e-3. One Muon step from zero weights
    // with lr 1, no rms scaling and no decay moves by minus that (the Nesterov direction 1.95 g has the same image,
    // up to the 1e-7 added to the norm).
    Muon muon = Muon.builder().learningRate(1f).rmsRate(null).weightDecay(null).build();
    float[][] w = FedSteps.run(muon, Shape.of(2, 2), new float[4],
        new float[][] {{0.2499f, 0.9105f, 0.2655f, 0.8824f}});
    assertArrayEquals(new float[] {0.4422f, -0.6457f, -0.7285f, -0.2968f}, w[0], 1e-3f);
  }

  @Test
  void singleStepsMatchKerasTests() {
    // keras/src/optimizers/muon_test.py test_muon_single_step: Muon(learning_rate=0.5, weight_decay=0), variable
    // [[1, 2], [3, 4]], gradient [[1, 6], [7, 2]]: [[0.988775, 1.887053], [2.873428, 3.97035]] to 1e-2.
    float[][] w = FedSteps.run(Muon.builder().learningRate(0.5f).weightDecay(0f).build(), Shape.of(2, 2),
        new float[] {1f, 2f, 3f, 4f}, new float[][] {{1f, 6f, 7f, 2f}});
    assertArrayEquals(new float[] {0.988775f, 1.887053f, 2.873428f, 3.97035f}, w[0], 1e-2f);
    // test_adamw_single_step: a rank-1 variable [1, 2, 3, 4], gradient [1, 6, 7, 2], learning rate 0.5 given to
    // update_step (which skips weight decay, so none here): [0.5, 1.5, 2.5, 3.5] to 1e-4.
    float[][] v = FedSteps.run(Muon.builder().learningRate(0.5f).adamWeightDecay(null).build(),
        new float[] {1f, 2f, 3f, 4f}, new float[][] {{1f, 6f, 7f, 2f}});
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, v[0], 1e-4f);
  }

  @Test
  void weightDecayMatchesKerasTests() {
    // keras/src/optimizers/muon_test.py test_muon_weight_decay and test_adamw_weight_decay: learning rate 1 and a
    // decay of 0.01 give w - 0.01 w, through weight_decay for a matrix and adam_weight_decay for a scalar. A zero
    // gradient makes both steps zero (Newton-Schulz of 0 is 0, Adam's m is 0).
    float[][] matrix = FedSteps.run(Muon.builder().learningRate(1f).weightDecay(0.01f).build(), Shape.of(2, 2),
        new float[] {1f, 2f, 3f, 4f}, new float[][] {{0f, 0f, 0f, 0f}});
    assertArrayEquals(new float[] {0.99f, 1.98f, 2.97f, 3.96f}, matrix[0], 1e-6f);
    float[][] scalar = FedSteps.run(Muon.builder().learningRate(1f).adamWeightDecay(0.01f).build(), Shape.scalar(),
        new float[] {2f}, new float[][] {{0f}});
    assertArrayEquals(new float[] {1.98f}, scalar[0], 1e-6f);
    // Excluded from weight decay: not decayed on either path.
    Supplier<Optimizer> excluded = () -> Muon.builder().learningRate(1f).weightDecay(0.01f).adamWeightDecay(0.01f)
        .build().excludeFromWeightDecay("w/");
    assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, FedSteps.run(excluded.get(), Shape.of(2, 2),
        new float[] {1f, 2f, 3f, 4f}, new float[][] {{0f, 0f, 0f, 0f}})[0], 0f);
    assertArrayEquals(new float[] {2f}, FedSteps.run(excluded.get(), Shape.scalar(), new float[] {2f},
        new float[][] {{0f}})[0], 0f);
  }

  @Test
  void choosesAdamWAsKeras() {
    // keras/src/optimizers/muon_test.py test_should_use_adamw, with Keras4J's variable names.
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable matrix = rt.newVariable("variable", "v", Shape.of(2, 2), o -> o.zeros(
          o.constant(new long[] {2, 2}), TFloat32.class), true);
      GraphVariable embeddings = rt.newVariable("Embedding_1", "embeddings", Shape.of(2, 2), o -> o.zeros(
          o.constant(new long[] {2, 2}), TFloat32.class), true);
      GraphVariable kernel = rt.newVariable("dense", "kernel", Shape.of(2, 2), o -> o.zeros(
          o.constant(new long[] {2, 2}), TFloat32.class), true);
      GraphVariable kernel3 = rt.newVariable("conv", "kernel", Shape.of(2, 2, 2), o -> o.zeros(
          o.constant(new long[] {2, 2, 2}), TFloat32.class), true);
      Muon excluding = Muon.builder().excludeLayers("var").build();
      assertTrue(excluding.usesAdamW(matrix));
      assertTrue(excluding.usesAdamW(embeddings), "embedding, any case");
      Muon muon = new Muon();
      assertFalse(muon.usesAdamW(matrix));
      assertFalse(muon.usesAdamW(kernel));
      assertTrue(muon.usesAdamW(kernel3), "rank 3");
      assertFalse(Muon.builder().excludeEmbeddings(false).build().usesAdamW(embeddings));
      assertTrue(Muon.builder().excludeLayers("^dense/").build().usesAdamW(kernel), "regular expressions");
    }
  }

  @Test
  void slotsAreKeras() {
    // Keras's build: a momentum for every variable, a velocity only for the AdamW ones (and the learning rate).
    assertEquals(Map.of("learning_rate", Shape.scalar(), "w/v/momentum", Shape.of(4), "w/v/velocity", Shape.of(4)),
        FedSteps.optimizerVariables(new Muon(), "w/v", Shape.of(4)));
    assertEquals(Map.of("learning_rate", Shape.scalar(), "dense/kernel/momentum", Shape.of(3, 4)),
        FedSteps.optimizerVariables(new Muon(), "dense/kernel", Shape.of(3, 4)));
  }

  @Test
  void lookupByName() {
    assertTrue(Optimizers.get("muon") instanceof Muon);
    assertTrue(Optimizers.get("Muon") instanceof Muon);
    assertEquals(0.001f, Optimizers.get("muon").getLearningRate());
  }

  @Test
  void rejectsBadSettings() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Muon.builder().momentum(1f).build());
    assertTrue(e.getMessage().matches("Optimizer 'muon(_\\d+)?': momentum must be in \\[0, 1\\)\\. "
        + "Received: momentum=1\\.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Muon.builder().nsSteps(-1).build());
    assertTrue(e.getMessage().endsWith("nsSteps must be an integer >= 0. Received: nsSteps=-1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Muon.builder().rmsRate(0f).build());
    assertTrue(e.getMessage().endsWith("rmsRate must be a positive finite number or null (no scaling). "
        + "Received: rmsRate=0.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Muon.builder().adamBeta2(1f).build());
    assertTrue(e.getMessage().endsWith("adamBeta2 must be in [0, 1). Received: adamBeta2=1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Muon.builder().adamWeightDecay(-1f).build());
    assertTrue(e.getMessage().endsWith("adamWeightDecay must be a finite number >= 0 or null. "
        + "Received: adamWeightDecay=-1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Muon.builder().weightDecay(Float.NaN).build());
    assertTrue(e.getMessage().contains("weightDecay must be a finite number >= 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Muon.builder().excludeLayers("out(").build());
    assertTrue(e.getMessage().contains("excludeLayers must be regular expressions"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Muon(-0.1f));
    assertTrue(e.getMessage().contains("learningRate must be a positive finite number"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Muon.builder().muonCoefficients(Float.NaN, 1f, 1f).build());
    assertTrue(e.getMessage().endsWith("muonA must be a finite number. Received: muonA=NaN"), e.getMessage());
    assertNull(Muon.builder().rmsRate(null).build().getRmsRate());
  }

  @Test
  void muonConfigWithEverySettingRoundTrips() {
    Muon muon = Muon.builder().learningRate(0.5f).epsilon(1e-5f).adamBeta1(0.8f).adamBeta2(0.95f)
        .adamWeightDecay(null).excludeLayers("last", "head\\d").excludeEmbeddings(false)
        .muonCoefficients(3f, -4f, 2f).adamLrRatio(0.1f).momentum(0.9f).nsSteps(6).nesterov(false).rmsRate(0.3f)
        .build();
    muon.clipnorm(1f);
    Object saved = Json.parse(Json.write(TrainingSerialization.serializeOptimizer(muon)), "test");
    Muon back = (Muon) TrainingSerialization.deserializeOptimizer(saved, null);
    Map<String, Object> expected = new LinkedHashMap<>(muon.getConfig());
    Map<String, Object> actual = new LinkedHashMap<>(back.getConfig());
    expected.remove("name"); // Keras4J names optimizers itself (muon, muon_1, ...)
    actual.remove("name");
    assertEquals(expected, actual);
    assertEquals(List.of("last", "head\\d"), back.getExcludeLayers());
    assertNull(back.getAdamWeightDecay());
    // Keras's Muon(learning_rate=0.5, epsilon=1e-5) of muon_test.py test_config, as a Keras config would hold it.
    Map<String, Object> keras = new LinkedHashMap<>();
    keras.put("class_name", "Muon");
    keras.put("config", Map.of("name", "muon", "learning_rate", 0.5, "epsilon", 1e-5, "exclude_layers", List.of()));
    Muon fromKeras = (Muon) TrainingSerialization.deserializeOptimizer(keras, null);
    assertEquals(0.5f, fromKeras.getLearningRate());
    assertEquals(1e-5f, fromKeras.getEpsilon());
    assertEquals(0.004f, fromKeras.getWeightDecay());
    assertEquals(0.2f, fromKeras.getRmsRate());
  }
}
