package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.attention.MultiHeadAttention;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.pooling.GlobalAveragePooling1D;
import io.github.keras4j.layers.regularization.Dropout;
import io.github.keras4j.layers.rnn.Bidirectional;
import io.github.keras4j.layers.rnn.ConvLSTM2D;
import io.github.keras4j.layers.rnn.GRU;
import io.github.keras4j.layers.rnn.LSTM;
import io.github.keras4j.layers.rnn.LSTMCell;
import io.github.keras4j.layers.rnn.RNN;
import io.github.keras4j.layers.rnn.SimpleRNN;
import io.github.keras4j.layers.rnn.StackedRNNCells;
import io.github.keras4j.layers.rnn.TimeDistributed;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.LossScaleOptimizer;
import io.github.keras4j.optimizers.MultiOptimizer;
import io.github.keras4j.optimizers.Nadam;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.OptimizerMap;
import io.github.keras4j.optimizers.RMSprop;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.saving.H5Reader;
import io.github.keras4j.saving.ModelArchive;
import io.github.keras4j.training.FitOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Keras 3's {@code .weights.h5} layout: files written by Python Keras (the fixtures of
 * {@code reference/keras-h5/make_fixtures.py}, whose numbers {@link #values} recomputes) load with every value, files
 * Keras4J writes have Keras's layout and load back, nested layers use Keras's attribute names, and every mismatch is a
 * clear error.
 */
class H5WeightsFileTest {

  @TempDir
  Path dir;

  private static final float[][] X = LayerChecks.randomMatrix(16, 3, 21);
  private static final float[][] Y2 = LayerChecks.randomMatrix(16, 2, 22);

  @BeforeEach
  void freshSession() {
    Backend.clearSession();
    Backend.setRandomSeed(7);
  }

  // ------------------------------------------------------------------ helpers

  /** The fixtures' numbers (make_fixtures.py's values): ((7 k + seed) mod 13 - 6) / 20, row-major. */
  private static float[] values(int n, int seed) {
    float[] out = new float[n];
    for (int k = 0; k < n; k++) {
      out[k] = (float) ((((7L * k + seed) % 13) - 6) / 20.0);
    }
    return out;
  }

  private static float[] abs(float[] v) {
    float[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.abs(out[i]);
    }
    return out;
  }

  private static float[] floats(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static int[] bits(float[] values) {
    int[] b = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = Float.floatToRawIntBits(values[i]);
    }
    return b;
  }

  /** Gives every weight of the model small random values (LoRA matrices included, so the adaptation matters). */
  private static void setRandom(Model model, long seed) {
    List<FloatNdArray> values = new ArrayList<>();
    for (GraphVariable v : model.variables()) {
      float[] r = LayerChecks.randomValues((int) v.size(), seed++);
      values.add(NdArrays.wrap(v.shape(), DataBuffers.of(r, false, false)));
    }
    model.setWeights(values);
  }

  private static Path fixture(String name) {
    try {
      return Path.of(H5WeightsFileTest.class.getResource("keras_h5/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The optimizer slot {@code <optimizer>/<weight>/<slot>} of the model's runtime. */
  private static float[] slot(Model m, GraphVariable weight, String slot) {
    String name = m.getOptimizer().name() + "/" + weight.name() + "/" + slot;
    for (GraphVariable v : m.runtime().variables()) {
      if (v.name().equals(name)) {
        return floats(m.runtime().read(List.of(v)).get(0));
      }
    }
    throw new AssertionError("no optimizer variable " + name);
  }

  private static Sequential mlp() {
    return new Sequential(new InputLayer(3), new Dense(4, "relu"), new Dense(2));
  }

  /** relu(x W1 + b1) W2 + b2 in plain loops, with the fixture's weights (seeds 1 to 4). */
  private static float[] mlpByHand(float[][] x) {
    float[] w1 = values(12, 1);
    float[] b1 = values(4, 2);
    float[] w2 = values(8, 3);
    float[] b2 = values(2, 4);
    float[] out = new float[x.length * 2];
    for (int r = 0; r < x.length; r++) {
      double[] h = new double[4];
      for (int j = 0; j < 4; j++) {
        double s = b1[j];
        for (int i = 0; i < 3; i++) {
          s += x[r][i] * w1[i * 4 + j];
        }
        h[j] = Math.max(s, 0);
      }
      for (int k = 0; k < 2; k++) {
        double s = b2[k];
        for (int j = 0; j < 4; j++) {
          s += h[j] * w2[j * 2 + k];
        }
        out[r * 2 + k] = (float) s;
      }
    }
    return out;
  }

  private static void assertClose(float[] expected, float[] actual, float tolerance) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, "element " + i);
    }
  }

  private static <T extends Throwable> T assertMessage(Class<T> type, Runnable r, String... parts) {
    T e = assertThrows(type, r::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
    return e;
  }

  /** A load call as a Runnable. */
  private interface IoAction {
    void run() throws IOException;
  }

  private static Runnable io(IoAction a) {
    return () -> {
      try {
        a.run();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  // ------------------------------------------------------------------ files written by Keras

  @Test
  void keras310FileLoadsEveryWeightAndTheAdamState() throws IOException {
    try (Sequential m = mlp()) {
      m.compile(new Adam(0.05f), "mse");
      m.fit(X, Y2, new FitOptions().epochs(0).verbose(0)); // builds the optimizer's state, as Keras's build
      m.loadWeights(fixture("mlp_keras310.weights.h5"));
      List<FloatNdArray> w = m.getWeights();
      assertArrayEquals(values(12, 1), floats(w.get(0)));
      assertEquals(Shape.of(3, 4), w.get(0).shape());
      assertArrayEquals(values(4, 2), floats(w.get(1)));
      assertArrayEquals(values(8, 3), floats(w.get(2)));
      assertArrayEquals(values(2, 4), floats(w.get(3)));
      // Predictions from the maths in plain loops (float64 accumulation).
      assertClose(mlpByHand(X), floats(m.predict(X)), 1e-6f);
      // Adam's state: iterations 5, learning rate 0.01, then m and v per variable (make_fixtures.py's seeds 10..17).
      Optimizer adam = m.getOptimizer();
      assertEquals(5, adam.iterations());
      assertEquals(0.01f, adam.getLearningRate());
      List<GraphVariable> vars = m.variables();
      assertArrayEquals(values(12, 10), slot(m, vars.get(0), "m"));
      assertArrayEquals(abs(values(12, 11)), slot(m, vars.get(0), "v"));
      assertArrayEquals(values(4, 12), slot(m, vars.get(1), "m"));
      assertArrayEquals(abs(values(2, 17)), slot(m, vars.get(3), "v"));
      // The file's metrics group is ignored; training goes on from the loaded state.
      m.fit(X, Y2, new FitOptions().epochs(1).batchSize(16).verbose(0));
      assertEquals(6, adam.iterations());
    }
  }

  @Test
  void keras310ModelFileLoadsCompiledWithItsOptimizerState() throws IOException {
    try (Model m = Models.load(fixture("mlp_keras310.keras"))) {
      assertEquals("sequential_3", m.name());
      assertEquals(List.of("dense_4", "dense_5"), m.layers().stream().map(l -> l.name()).toList());
      assertClose(mlpByHand(X), floats(m.predict(X)), 1e-6f);
      assertEquals(5, m.getOptimizer().iterations());
      assertEquals(0.01f, m.getOptimizer().getLearningRate());
      assertArrayEquals(values(8, 14), slot(m, m.variables().get(2), "m"));
    }
  }

  @Test
  void keras34FileWithoutNameAttributesLoadsTheLstmCell() throws IOException {
    try (Sequential m = new Sequential(new InputLayer(3, 2), new LSTM(2), new Dropout(0.5), new Dense(1))) {
      m.compile(new SGD(0.5f, 0.9f), "mse");
      float[][][] x = {{{0.1f, -0.2f}, {0.3f, 0.4f}, {-0.5f, 0.6f}}, {{1f, 0f}, {0f, 1f}, {-1f, -1f}}};
      m.fit(x, new float[][] {{0f}, {1f}}, new FitOptions().epochs(0).verbose(0));
      m.loadWeights(fixture("lstm_keras34.weights.h5"));
      // Keras's LSTM by hand: gates i, f, c, o; kernel (2, 8), recurrent kernel (2, 8), bias (8).
      float[] k = values(16, 5);
      float[] r = values(16, 6);
      float[] b = values(8, 7);
      float[] dk = values(2, 8);
      float[] db = values(1, 9);
      float[] expected = new float[2];
      for (int s = 0; s < 2; s++) {
        double[] h = new double[2];
        double[] c = new double[2];
        for (float[] step : x[s]) {
          double[] z = new double[8];
          for (int j = 0; j < 8; j++) {
            z[j] = b[j] + step[0] * k[j] + step[1] * k[8 + j] + h[0] * r[j] + h[1] * r[8 + j];
          }
          for (int u = 0; u < 2; u++) {
            double i = 1 / (1 + Math.exp(-z[u]));
            double f = 1 / (1 + Math.exp(-z[2 + u]));
            double g = Math.tanh(z[4 + u]);
            double o = 1 / (1 + Math.exp(-z[6 + u]));
            c[u] = f * c[u] + i * g;
            h[u] = o * Math.tanh(c[u]);
          }
        }
        expected[s] = (float) (db[0] + h[0] * dk[0] + h[1] * dk[1]);
      }
      assertClose(expected, floats(m.predict(x)), 1e-6f);
      // SGD's momentum state: iterations 3, learning rate 0.1, one momentum per variable (seeds 20..24).
      assertEquals(3, m.getOptimizer().iterations());
      assertEquals(0.1f, m.getOptimizer().getLearningRate());
      assertArrayEquals(values(16, 21), slot(m, m.variables().get(1), "momentum"));
      assertArrayEquals(values(1, 24), slot(m, m.variables().get(4), "momentum"));
    }
  }

  @Test
  void keras215BackslashGroupNamesLoad() throws IOException {
    try (Sequential m = new Sequential(new InputLayer(3), new Dense(2), new Dense(1))) {
      m.loadWeights(fixture("keras215_backslash.weights.h5")); // uncompiled: the optimizer group is not read
      List<FloatNdArray> w = m.getWeights();
      assertArrayEquals(values(6, 30), floats(w.get(0)));
      assertArrayEquals(values(2, 31), floats(w.get(1)));
      assertArrayEquals(values(2, 32), floats(w.get(2)));
      assertArrayEquals(values(1, 33), floats(w.get(3)));
    }
  }

  // ------------------------------------------------------------------ files written by Keras4J

  @Test
  void fileHasKerasLayout() throws IOException {
    Path file = dir.resolve("mlp.weights.h5");
    try (Sequential m = mlp()) {
      m.compile(new Adam(0.05f), "mse");
      m.fit(X, Y2, new FitOptions().epochs(1).batchSize(8).verbose(0));
      m.saveWeights(file);
      try (H5Reader h5 = H5Reader.open(file, "test file")) {
        assertEquals(List.of("vars", "layers", "optimizer"), h5.members(""));
        assertEquals(m.name(), h5.attribute("vars", "name"));
        assertEquals(List.of(), h5.members("vars"));
        assertEquals(List.of("dense", "dense_1"), h5.members("layers"));
        assertEquals(m.layers().get(1).name(), h5.attribute("layers/dense_1/vars", "name"));
        assertEquals(Shape.of(3, 4), h5.shape("layers/dense/vars/0"));
        assertEquals(Shape.of(2), h5.shape("layers/dense_1/vars/1"));
        assertEquals("float32", h5.dtype("layers/dense/vars/0"));
        // Adam: iterations (int64), learning rate, then m and v interleaved per variable.
        assertEquals(10, h5.members("optimizer/vars").size());
        assertEquals(m.getOptimizer().name(), h5.attribute("optimizer/vars", "name"));
        assertEquals("int64", h5.dtype("optimizer/vars/0"));
        assertEquals(2, h5.integer("optimizer/vars/0"));
        assertEquals(Shape.scalar(), h5.shape("optimizer/vars/1"));
        assertEquals(0.05f, h5.floats("optimizer/vars/1").getFloat());
        assertEquals(Shape.of(3, 4), h5.shape("optimizer/vars/2"));
        assertEquals(Shape.of(3, 4), h5.shape("optimizer/vars/3"));
        assertEquals(Shape.of(4), h5.shape("optimizer/vars/4"));
        assertArrayEquals(slot(m, m.variables().get(0), "v"), floats(h5.floats("optimizer/vars/3")));
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
    // A functional model lists its input layer, as Keras's Functional.layers does.
    KerasTensor in = Input.of(3);
    try (Model f = new Model(in, new Dense(2).apply(in))) {
      Path functional = dir.resolve("functional.weights.h5");
      f.saveWeights(functional);
      try (H5Reader h5 = H5Reader.open(functional, "test file")) {
        assertEquals(List.of("input_layer", "dense"), h5.members("layers"));
        assertEquals(List.of(), h5.members("layers/input_layer/vars"));
        assertTrue(!h5.isGroup("optimizer"), "no optimizer group without compile");
      }
    }
  }

  @Test
  void roundTripContinuesTrainingIdentically() throws IOException {
    Path file = dir.resolve("adam.weights.h5");
    FitOptions oneEpoch = new FitOptions().epochs(1).batchSize(8).shuffle(false).verbose(0);
    float[] saved;
    float[] continued;
    long iterations;
    try (Sequential a = mlp()) {
      a.compile(new Adam(0.05f), "mse");
      a.fit(X, Y2, oneEpoch);
      saved = floats(a.predict(X));
      iterations = a.getOptimizer().iterations();
      a.saveWeights(file);
      a.fit(X, Y2, oneEpoch);
      continued = floats(a.predict(X));
    }
    Backend.clearSession(); // a fresh graph, as in a new program; its layers get other runtime names
    new Dense(1);
    try (Sequential b = mlp()) {
      assertNotEquals("dense", b.layers().get(0).name());
      b.compile(new Adam(0.05f), "mse");
      b.fit(X, Y2, new FitOptions().epochs(0).verbose(0));
      b.loadWeights(file);
      assertArrayEquals(bits(saved), bits(floats(b.predict(X))));
      assertEquals(iterations, b.getOptimizer().iterations());
      b.fit(X, Y2, oneEpoch);
      assertArrayEquals(bits(continued), bits(floats(b.predict(X))));
    }
  }

  @Test
  void optimizersStoreTheirVariablesInKerasOrder() throws IOException {
    record Case(Supplier<Optimizer> optimizer, List<Shape> shapes) {}
    Shape k = Shape.of(3, 2);
    Shape b = Shape.of(2);
    Shape s = Shape.scalar();
    List<Case> cases = List.of(
        new Case(() -> new SGD(0.1f), List.of(s, s)),
        new Case(() -> new SGD(0.1f, 0.9f), List.of(s, s, k, b)),
        new Case(() -> new Adam(0.01f, 0.9f, 0.999f, 1e-7f, true), List.of(s, s, k, k, b, b, k, b)), // v_hat last
        new Case(() -> new RMSprop(0.01f), List.of(s, s, k, b)), // no momentum slot when momentum = 0
        new Case(() -> new RMSprop(0.01f, 0.9f, 0.5f, 1e-7f, true), List.of(s, s, k, b, k, b, k, b)),
        new Case(() -> new Nadam(0.01f), List.of(s, s, k, k, b, b, s)), // u_product after the slots
        new Case(() -> new LossScaleOptimizer(new Adam(0.01f)), List.of(s, s, s, s, s, s, k, k, b, b)),
        // The wrapper's iterations and (zero) learning rate, then Adam's (the kernel), then SGD's (the bias).
        new Case(() -> new MultiOptimizer(new OptimizerMap(new SGD(0.1f), Map.of(".*kernel", new Adam(0.01f)))),
            List.of(s, s, s, s, k, k, s, s)));
    int n = 0;
    for (Case c : cases) {
      Path file = dir.resolve("opt" + n++ + ".weights.h5");
      float[] trained;
      try (Sequential m = new Sequential(new InputLayer(3), new Dense(2))) {
        m.compile(c.optimizer().get(), "mse");
        m.fit(X, Y2, new FitOptions().epochs(1).batchSize(8).shuffle(false).verbose(0));
        m.saveWeights(file);
        m.fit(X, Y2, new FitOptions().epochs(1).batchSize(8).shuffle(false).verbose(0));
        trained = floats(m.predict(X));
        String opt = m.getOptimizer().getClass().getSimpleName();
        try (H5Reader h5 = H5Reader.open(file, "test file")) {
          List<Shape> shapes = new ArrayList<>();
          for (int i = 0; i < h5.members("optimizer/vars").size(); i++) {
            shapes.add(h5.shape("optimizer/vars/" + i));
          }
          assertEquals(c.shapes(), shapes, opt);
          assertEquals("int64", h5.dtype("optimizer/vars/0"), opt);
          if (m.getOptimizer() instanceof LossScaleOptimizer) {
            assertEquals("int64", h5.dtype("optimizer/vars/2"), "step_counter");
            assertEquals(List.of("0", "1", "2", "3", "4", "5"), h5.members("optimizer/inner_optimizer/vars"));
          }
          if (m.getOptimizer() instanceof MultiOptimizer) {
            assertEquals(List.of("adam", "sgd"), h5.members("optimizer/optimizers"));
            assertEquals(List.of("0", "1", "2", "3"), h5.members("optimizer/optimizers/adam/vars"));
          }
        }
      }
      // And the state loads back: training continues as it did.
      try (Sequential m = new Sequential(new InputLayer(3), new Dense(2))) {
        m.compile(c.optimizer().get(), "mse");
        m.fit(X, Y2, new FitOptions().epochs(0).verbose(0));
        m.loadWeights(file);
        m.fit(X, Y2, new FitOptions().epochs(1).batchSize(8).shuffle(false).verbose(0));
        assertArrayEquals(bits(trained), bits(floats(m.predict(X))), m.getOptimizer().getClass().getSimpleName());
      }
    }
  }

  /** Bidirectional(LSTM), MultiHeadAttention, TimeDistributed(Dense) and a nested Sequential in one model. */
  private static Model nestedModel() {
    KerasTensor in = Input.of(5, 3);
    KerasTensor x = new Bidirectional(LSTM.builder(2).returnSequences(true).build()).apply(in);
    x = new MultiHeadAttention(2, 2).apply(List.of(x, x));
    x = new TimeDistributed(new Dense(3)).apply(x);
    x = new GlobalAveragePooling1D().apply(x);
    Sequential head = new Sequential(new InputLayer(3), new Dense(2));
    return new Model(in, head.apply(x));
  }

  @Test
  void nestedLayersUseKerasAttributeNames() throws IOException {
    Path file = dir.resolve("nested.weights.h5");
    float[][][] x = new float[2][5][3];
    float[] flat = LayerChecks.randomValues(30, 5);
    for (int i = 0; i < 30; i++) {
      x[i / 15][(i / 3) % 5][i % 3] = flat[i];
    }
    float[] expected;
    try (Model m = nestedModel()) {
      setRandom(m, 9);
      expected = floats(m.predict(x));
      m.saveWeights(file);
    }
    try (H5Reader h5 = H5Reader.open(file, "test file")) {
      assertEquals(List.of("input_layer", "bidirectional", "multi_head_attention", "time_distributed",
          "global_average_pooling1d", "sequential"), h5.members("layers"));
      assertEquals(List.of(), h5.members("layers/bidirectional/vars"));
      for (String direction : List.of("forward_layer", "backward_layer")) {
        String cell = "layers/bidirectional/" + direction + "/cell/vars/";
        assertEquals(Shape.of(3, 8), h5.shape(cell + "0"));
        assertEquals(Shape.of(2, 8), h5.shape(cell + "1"));
        assertEquals(Shape.of(8), h5.shape(cell + "2"));
        assertEquals("lstm_cell", h5.attribute(cell.substring(0, cell.length() - 1), "name"));
      }
      assertTrue(h5.attribute("layers/bidirectional/forward_layer/vars", "name").startsWith("forward_lstm"));
      String mha = "layers/multi_head_attention/";
      // As Keras 3.15.1 writes a MultiHeadAttention: its public projection properties, then _dropout_layer, _softmax.
      assertEquals(List.of("vars", "key_dense", "output_dense", "query_dense", "value_dense", "_dropout_layer",
          "_softmax"), h5.members(mha.substring(0, mha.length() - 1)));
      assertEquals(Shape.of(4, 2, 2), h5.shape(mha + "query_dense/vars/0"));
      assertEquals(Shape.of(2, 2), h5.shape(mha + "query_dense/vars/1"));
      assertEquals(Shape.of(2, 2, 4), h5.shape(mha + "output_dense/vars/0"));
      assertEquals("attention_output", h5.attribute(mha + "output_dense/vars", "name"));
      assertEquals(List.of(), h5.members(mha + "_softmax/vars"));
      assertEquals(Shape.of(4, 3), h5.shape("layers/time_distributed/layer/vars/0"));
      assertEquals(Shape.of(3, 2), h5.shape("layers/sequential/layers/dense/vars/0"));
      assertEquals(List.of(), h5.members("layers/sequential/vars"));
    }
    Backend.clearSession();
    try (Model fresh = nestedModel()) {
      fresh.loadWeights(file);
      assertArrayEquals(bits(expected), bits(floats(fresh.predict(x))));
    }
  }

  @Test
  void recurrentLayersStoreTheirCellsAsKerasNamesThem() throws IOException {
    Path file = dir.resolve("rnn.weights.h5");
    KerasTensor in = Input.of(4, 3);
    KerasTensor x = SimpleRNN.builder(2).returnSequences(true).build().apply(in);
    x = GRU.builder(2).returnSequences(true).build().apply(x);
    x = RNN.builder(new StackedRNNCells(List.of(new LSTMCell(2), new LSTMCell(3)), null)).returnSequences(true)
        .build().apply(x);
    x = new RNN(new LSTMCell(2)).apply(x);
    KerasTensor frames = Input.of(2, 5, 5, 1);
    KerasTensor y = new ConvLSTM2D(2, 3).apply(frames);
    try (Model m = new Model(List.of(in, frames), List.of(x, y))) {
      m.saveWeights(file);
    }
    try (H5Reader h5 = H5Reader.open(file, "test file")) {
      // Keras: SimpleRNN, GRU, LSTM and ConvLSTM keep their weights in a cell of a fixed name.
      assertEquals("simple_rnn_cell", h5.attribute("layers/simple_rnn/cell/vars", "name"));
      assertEquals(Shape.of(3, 2), h5.shape("layers/simple_rnn/cell/vars/0"));
      assertEquals("gru_cell", h5.attribute("layers/gru/cell/vars", "name"));
      assertEquals(Shape.of(2, 6), h5.shape("layers/gru/cell/vars/1"));
      assertEquals("conv_lstm_cell", h5.attribute("layers/conv_lstm2d/cell/vars", "name"));
      assertEquals(Shape.of(3, 3, 1, 8), h5.shape("layers/conv_lstm2d/cell/vars/0"));
      // RNN(cells): a StackedRNNCells cell, whose list attribute `cells` holds the cells by class name.
      assertEquals(List.of("lstm_cell", "lstm_cell_1"), h5.members("layers/rnn/cell/cells"));
      assertEquals(Shape.of(2, 12), h5.shape("layers/rnn/cell/cells/lstm_cell_1/vars/0"));
      assertEquals(Shape.of(3, 8), h5.shape("layers/rnn_1/cell/vars/0"));
      assertEquals(List.of(), h5.members("layers/rnn_1/vars"));
    }
  }

  @Test
  void loraKernelIsSavedMergedAndLoadsIntoAPlainLayer() throws IOException {
    Path loraFile = dir.resolve("lora.weights.h5");
    float[] predicted;
    try (Sequential lora = mlp()) {
      ((Dense) lora.layers().get(0)).enableLora(2);
      setRandom(lora, 4); // nonzero LoRA matrices, so the merge matters
      predicted = floats(lora.predict(X));
      lora.saveWeights(loraFile);
      try (H5Reader h5 = H5Reader.open(loraFile, "test file")) {
        assertEquals(List.of("0", "1"), h5.members("layers/dense/vars"), "kernel and bias, no LoRA matrices");
      }
      try (Sequential plain = mlp()) {
        plain.loadWeights(loraFile);
        assertClose(predicted, floats(plain.predict(X)), 1e-6f);
        Path plainFile = dir.resolve("plain.weights.h5");
        plain.saveWeights(plainFile);
        // And back: the merged kernel into the LoRA layer, its matrices zeroed (Keras's load_own_variables).
        lora.loadWeights(plainFile);
        List<FloatNdArray> w = lora.getWeights();
        for (int i = 2; i <= 3; i++) {
          for (float v : floats(w.get(i))) {
            assertEquals(0f, v, "LoRA matrix " + i);
          }
        }
        assertClose(predicted, floats(lora.predict(X)), 1e-6f);
      }
    }
  }

  // ------------------------------------------------------------------ .keras files

  private static Map<String, byte[]> entries(Path zip) throws IOException {
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        try (InputStream in = z.getInputStream(entry)) {
          out.put(entry.getName(), in.readAllBytes());
        }
      }
    }
    return out;
  }

  private static Path pack(Path file, Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return Files.write(file, bytes.toByteArray());
  }

  @Test
  void modelFilesHoldKerasWeightsAndEarlierKeras4jFilesStillLoad() throws IOException {
    Path file = dir.resolve("m.keras");
    float[] expected;
    try (Sequential m = mlp()) {
      m.compile(new Adam(0.05f), "mse");
      m.fit(X, Y2, new FitOptions().epochs(1).batchSize(8).verbose(0));
      expected = floats(m.predict(X));
      m.save(file);
      Map<String, byte[]> entries = entries(file);
      assertEquals(List.of(ModelArchive.METADATA, ModelArchive.CONFIG, "model.weights.h5"),
          new ArrayList<>(entries.keySet()));
      // An archive as Keras4J wrote it before HDF5: the binary weights entry.
      ByteArrayOutputStream legacy = new ByteArrayOutputStream();
      WeightsFile.write(legacy, WeightsFile.snapshot(m));
      entries.remove("model.weights.h5");
      entries.put(ModelArchive.LEGACY_WEIGHTS, legacy.toByteArray());
      pack(dir.resolve("legacy.keras"), entries);
    }
    Backend.clearSession();
    try (Model loaded = Models.load(file); Model old = Models.load(dir.resolve("legacy.keras"))) {
      assertArrayEquals(bits(expected), bits(floats(loaded.predict(X))));
      assertArrayEquals(bits(expected), bits(floats(old.predict(X))));
      assertEquals(2, loaded.getOptimizer().iterations());
      assertEquals(2, old.getOptimizer().iterations());
    }
  }

  // ------------------------------------------------------------------ errors

  @Test
  void errorsNameTheFileThePathAndTheLayer() throws IOException {
    Path two = dir.resolve("two.weights.h5");
    Path three = dir.resolve("three.weights.h5");
    Path narrow = dir.resolve("narrow.weights.h5");
    Path noBias = dir.resolve("nobias.weights.h5");
    try (Sequential a = new Sequential(new InputLayer(3), new Dense(4), new Dense(2));
        Sequential b = new Sequential(new InputLayer(3), new Dense(4), new Dense(2), new Dense(1));
        Sequential c = new Sequential(new InputLayer(3), new Dense(5), new Dense(2));
        Sequential d = new Sequential(new InputLayer(3), Dense.builder(4).useBias(false).build(), new Dense(2))) {
      a.saveWeights(two);
      b.saveWeights(three);
      c.saveWeights(narrow);
      d.saveWeights(noBias);
      String dense2 = b.layers().get(2).name();
      assertMessage(IllegalArgumentException.class, io(() -> b.loadWeights(two)), two.toString(),
          "the file has no group layers/dense_2/vars for layer dense_2 ('" + dense2 + "', Dense)",
          "kernel (2, 1), bias (1,)");
      assertMessage(IllegalArgumentException.class, io(() -> a.loadWeights(three)),
          "the file has weights for layers this model does not have: [layers/dense_2]");
      float[] before = floats(a.getWeights().get(0));
      assertMessage(IllegalArgumentException.class, io(() -> a.loadWeights(narrow)),
          "layer dense: expected kernel (3, 4), file has (3, 5) (layers/dense/vars/0; the model's layer ('"
              + a.layers().get(0).name() + "', Dense))");
      assertMessage(IllegalArgumentException.class, io(() -> a.loadWeights(noBias)),
          "layer dense ('" + a.layers().get(0).name() + "', Dense): expected 2 variables (kernel (3, 4), bias (4,)), "
              + "the file has 1 in layers/dense/vars");
      assertArrayEquals(before, floats(a.getWeights().get(0)), "nothing changes when a check fails");
    }
    try (Sequential m = mlp()) {
      Path f64 = fixture("float64.weights.h5");
      assertMessage(IllegalArgumentException.class, io(() -> m.loadWeights(f64)),
          "dataset layers/dense/vars/0 is float64; Keras4J loads float32 weights");
      Path text = Files.writeString(dir.resolve("text.weights.h5"), "not hdf5");
      IOException notHdf5 = assertThrows(IOException.class, () -> m.loadWeights(text));
      assertTrue(notHdf5.getMessage().contains(text + " is not an HDF5 file"), notHdf5.getMessage());
      Path cut = dir.resolve("cut.weights.h5");
      m.saveWeights(dir.resolve("whole.weights.h5"));
      byte[] whole = Files.readAllBytes(dir.resolve("whole.weights.h5"));
      Files.write(cut, java.util.Arrays.copyOf(whole, 200));
      IOException truncated = assertThrows(IOException.class, () -> m.loadWeights(cut));
      assertTrue(truncated.getMessage().contains("not a readable HDF5 file"), truncated.getMessage());
      IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
          () -> m.saveWeights(dir.resolve("model.h5")));
      assertTrue(name.getMessage().startsWith("The filename must end in `.weights.h5`"), name.getMessage());
    }
  }
}
