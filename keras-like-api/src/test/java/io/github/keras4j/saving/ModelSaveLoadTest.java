package io.github.keras4j.saving;

import static io.github.keras4j.saving.LayerRoundTripTest.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.regularization.Dropout;
import io.github.keras4j.layers.rnn.GRUCell;
import io.github.keras4j.layers.rnn.LSTMCell;
import io.github.keras4j.layers.rnn.RNN;
import io.github.keras4j.layers.rnn.StackedRNNCells;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.RMSprop;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import io.github.keras4j.training.FitOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code model.save} and {@code Models.load}: a loaded model, in a fresh session or a fresh JVM, predicts
 * bit-identically, and a compiled one takes the same next training step.
 */
class ModelSaveLoadTest {

  @TempDir
  Path dir;

  /** Uniform values in [-1, 1) of shape (rows, cols), from a fixed seed. */
  static FloatNdArray random(int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return NdArrays.wrap(Shape.of(rows, cols), DataBuffers.of(v, false, false));
  }

  private static Sequential mlp() {
    return new Sequential(new InputLayer(4), new Dense(8, "relu"), new Dense(3, "softmax"));
  }

  @Test
  void sequentialPredictsBitIdenticallyInAFreshSession() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(1);
    Path file = dir.resolve("mlp.keras");
    FloatNdArray x = random(16, 4, 2);
    int[] expected;
    List<String> names = new ArrayList<>();
    try (Sequential a = mlp()) {
      expected = bits(a.predict(x));
      a.layers().forEach(l -> names.add(l.name()));
      a.save(file);
    }
    Backend.clearSession(); // as a new program: nothing of the saved model is left in this session
    Backend.setRandomSeed(99); // other initial weights, which loading must replace
    try (Model b = Models.load(file)) {
      assertInstanceOf(Sequential.class, b);
      assertEquals("sequential", b.name());
      List<String> loaded = new ArrayList<>();
      b.layers().forEach(l -> loaded.add(l.name()));
      assertEquals(names, loaded);
      assertEquals(8, ((Dense) b.layers().get(0)).units());
      assertFalse(b.isCompiled(), "saved uncompiled, loaded uncompiled");
      assertArrayEquals(expected, bits(b.predict(x)));
    }
  }

  @Test
  void functionalMultiInputModelWithTwoHeadsRoundTrips() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(2);
    Path file = dir.resolve("two_heads.keras");
    FloatNdArray xa = random(10, 3, 3);
    FloatNdArray xb = random(10, 2, 4);
    List<int[]> expected = new ArrayList<>();
    try (Model a = twoHeads()) {
      for (FloatNdArray y : a.predictOutputs(List.of(xa, xb), 32)) {
        expected.add(bits(y));
      }
      a.save(file);
    }
    Backend.clearSession();
    try (Model b = Models.load(file)) {
      assertEquals("two_heads", b.name());
      assertEquals(List.of("left", "right"), List.of(b.inputs().get(0).layer().name(), b.inputs().get(1).layer().name()));
      assertEquals(List.of("score", "label"), List.of(b.outputs().get(0).layer().name(),
          b.outputs().get(1).layer().name()));
      List<FloatNdArray> out = b.predictOutputs(List.of(xa, xb), 32);
      assertEquals(2, out.size());
      assertArrayEquals(expected.get(0), bits(out.get(0)));
      assertArrayEquals(expected.get(1), bits(out.get(1)));
    }
  }

  private static Model twoHeads() {
    KerasTensor left = Input.of("left", 3);
    KerasTensor right = Input.of("right", 2);
    Dense shared = new Dense(6, "tanh");
    // A shared layer called twice: two inbound nodes of one layer.
    KerasTensor merged = new Concatenate().apply(List.of(shared.apply(new Dense(6).apply(left)),
        shared.apply(new Dense(6).apply(right))));
    KerasTensor hidden = new Dense(8, "relu").apply(merged);
    KerasTensor score = Dense.builder(1).name("score").build().apply(hidden);
    KerasTensor label = Dense.builder(2).activation("softmax").name("label").build().apply(hidden);
    return new Model(List.of(left, right), List.of(score, label), "two_heads");
  }

  @Test
  void dropoutAndBatchNormalizationRoundTripWithTheirMovingStatistics() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    Path file = dir.resolve("bn.keras");
    FloatNdArray x = random(64, 4, 5);
    FloatNdArray y = random(64, 2, 6);
    int[] expected;
    List<int[]> moving = new ArrayList<>();
    try (Sequential a = new Sequential(new InputLayer(4), new Dense(8), new BatchNormalization(), new Dropout(0.5),
        new Dense(2))) {
      a.compile("adam", "mse");
      a.fit(x, y, new FitOptions().epochs(2).batchSize(16).verbose(0)); // moves the moving statistics
      BatchNormalization bn = (BatchNormalization) a.layers().get(1);
      for (GraphVariable v : List.of(bn.movingMean(), bn.movingVariance())) {
        moving.add(bits(a.runtime().read(List.of(v)).get(0)));
      }
      expected = bits(a.predict(x));
      a.save(file);
    }
    // Training moved them away from their initial zeros and ones.
    assertNotEquals(0, moving.get(0)[0]);
    assertNotEquals(Float.floatToRawIntBits(1f), moving.get(1)[0]);
    Backend.clearSession();
    try (Model b = Models.load(file)) {
      BatchNormalization bn = (BatchNormalization) b.layers().get(1);
      assertArrayEquals(moving.get(0), bits(b.runtime().read(List.of(bn.movingMean())).get(0)));
      assertArrayEquals(moving.get(1), bits(b.runtime().read(List.of(bn.movingVariance())).get(0)));
      assertEquals(0.5f, ((Dropout) b.layers().get(2)).rate());
      // Inference: batch statistics and dropout off, so the outputs are the saved model's.
      assertArrayEquals(expected, bits(b.predict(x)));
    }
  }

  @Test
  void sequentialBuiltFromItsFirstDataSavesItsGeneratedInput() throws IOException {
    Backend.clearSession();
    Path file = dir.resolve("deferred.keras");
    FloatNdArray x = random(4, 3, 12);
    int[] expected;
    try (Sequential a = new Sequential(new Dense(2, "tanh"))) {
      expected = bits(a.predict(x)); // builds the model for inputs (None, 3)
      a.save(file);
    }
    try (Model b = Models.load(file)) {
      assertEquals(List.of(-1L, 3L), java.util.Arrays.stream(b.inputs().get(0).shape().asArray()).boxed().toList());
      assertArrayEquals(expected, bits(b.predict(x)));
    }
  }

  @Test
  void recurrentStatesWrappersAndTimeDistributedRoundTrip() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(8);
    Path file = dir.resolve("rnn.keras");
    FloatNdArray x = NdArrays.wrap(Shape.of(2, 5, 3), DataBuffers.of(floats(30, 13), false, false));
    List<int[]> expected = new ArrayList<>();
    KerasTensor in = Input.of(5, 3);
    List<KerasTensor> lstm = io.github.keras4j.layers.rnn.LSTM.builder(4).returnSequences(true).returnState(true)
        .build().applyWithState(in);
    KerasTensor bi = new io.github.keras4j.layers.rnn.Bidirectional(new io.github.keras4j.layers.rnn.GRU(2))
        .apply(lstm.get(0));
    KerasTensor td = new io.github.keras4j.layers.rnn.TimeDistributed(new Dense(2)).apply(lstm.get(0));
    try (Model a = new Model(List.of(in), List.of(bi, td, lstm.get(1), lstm.get(2)))) {
      for (FloatNdArray y : a.predictOutputs(x, 32)) {
        expected.add(bits(y));
      }
      a.save(file);
    }
    Backend.clearSession();
    try (Model b = Models.load(file)) {
      List<FloatNdArray> out = b.predictOutputs(x, 32);
      assertEquals(4, out.size());
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(expected.get(i), bits(out.get(i)), "output " + i);
      }
    }
  }

  @Test
  void cellRnnStatesRoundTrip() throws IOException {
    // An RNN over stacked cells returns its output and the 3 states (LSTM h and c, GRU h); all 4 reload.
    Backend.clearSession();
    Backend.setRandomSeed(9);
    Path file = dir.resolve("cells.keras");
    FloatNdArray x = NdArrays.wrap(Shape.of(2, 4, 3), DataBuffers.of(floats(24, 17), false, false));
    List<int[]> expected = new ArrayList<>();
    KerasTensor in = Input.of(4, 3);
    List<KerasTensor> rnn = RNN.builder(new StackedRNNCells(new LSTMCell(3), new GRUCell(2)))
        .returnState(true).build().applyWithState(in);
    assertEquals(4, rnn.size());
    try (Model a = new Model(List.of(in), rnn)) {
      for (FloatNdArray y : a.predictOutputs(x, 32)) {
        expected.add(bits(y));
      }
      a.save(file);
    }
    Backend.clearSession();
    try (Model b = Models.load(file)) {
      List<FloatNdArray> out = b.predictOutputs(x, 32);
      assertEquals(4, out.size());
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(expected.get(i), bits(out.get(i)), "output " + i);
      }
    }
  }

  private static float[] floats(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  @Test
  void loadingTwiceInOneSessionGivesIndependentModels() throws IOException {
    Backend.clearSession();
    Path file = dir.resolve("twice.keras");
    FloatNdArray x = random(8, 4, 14);
    int[] expected;
    try (Sequential a = mlp()) {
      a.compile("sgd", "mse");
      expected = bits(a.predict(x));
      a.save(file);
      // Loaded next to the model that saved it, and twice: same names, one graph.
      try (Model b = Models.load(file); Model c = Models.load(file)) {
        assertArrayEquals(expected, bits(b.predict(x)));
        assertArrayEquals(expected, bits(c.predict(x)));
        b.trainOnBatch(x, random(8, 3, 15));
        assertNotEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(bits(b.predict(x))));
        assertArrayEquals(expected, bits(c.predict(x)), "training b leaves c alone");
        assertArrayEquals(expected, bits(a.predict(x)), "and the original");
      }
    }
  }

  static Stream<Supplier<Optimizer>> optimizers() {
    return Stream.of(() -> new Adam(0.01f), () -> new RMSprop(new ExponentialDecay(0.02, 2, 0.5), 0.8f, 0.5f, 1e-6f,
        true), () -> new SGD(0.05f, 0.9f, true).clipnorm(0.5f));
  }

  /**
   * Train A 3 steps, save, load into B (fresh session), then one more step on both: the weights are identical, so the
   * optimizer's slots, learning rate (or schedule position) and step counter were all restored.
   */
  @ParameterizedTest
  @MethodSource("optimizers")
  void compiledModelTakesTheSameNextTrainingStep(Supplier<Optimizer> optimizer) throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(4);
    Path file = dir.resolve("compiled.keras");
    FloatNdArray x = random(32, 4, 7);
    FloatNdArray y = random(32, 3, 8);
    try (Sequential a = new Sequential(new InputLayer(4), new Dense(8, "tanh"), new Dense(3))) {
      a.compile(new CompileOptions().optimizer(optimizer.get()).loss("mse").metrics("mae"));
      for (int i = 0; i < 3; i++) {
        a.trainOnBatch(x, y);
      }
      a.save(file);
      Backend.clearSession(); // B lives in a graph of its own
      try (Model b = Models.load(file)) {
        assertTrue(b.isCompiled());
        assertEquals(a.getOptimizer().getClass(), b.getOptimizer().getClass());
        assertEquals(a.getOptimizer().getConfig().get("learning_rate"), b.getOptimizer().getConfig().get(
            "learning_rate"));
        assertEquals(3, b.getOptimizer().iterations());
        Map<String, Double> logsA = a.trainOnBatch(x, y);
        Map<String, Double> logsB = b.trainOnBatch(x, y);
        assertEquals(logsA, logsB, "loss and mae of the 4th step");
        assertEquals(4, b.getOptimizer().iterations());
        List<FloatNdArray> wa = a.getWeights();
        List<FloatNdArray> wb = b.getWeights();
        for (int i = 0; i < wa.size(); i++) {
          assertArrayEquals(bits(wa.get(i)), bits(wb.get(i)), "weight " + i + " after the 4th step");
        }
      }
    }
  }

  // ------------------------------------------------------------------ custom layers

  /** A layer of the test's own: multiplies its input by a trainable per-feature scale initialised to {@code factor}. */
  public static final class Scale extends Layer {
    private final double factor;
    private GraphVariable scale;

    /** A scale layer. */
    public Scale(double factor, String name) {
      super(name);
      this.factor = factor;
    }

    @Override
    protected void build(Ops tf, Shape inputShape) {
      scale = addWeight("scale", Shape.of(inputShape.get(inputShape.numDimensions() - 1)), new Constant(factor), true);
    }

    @Override
    protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
      return tf.math.mul(inputs, scale.value());
    }

    @Override
    public Map<String, Object> getConfig() {
      Map<String, Object> c = super.getConfig();
      c.put("factor", factor);
      return c;
    }

    /** Keras's {@code from_config}. */
    public static Scale fromConfig(Config config) {
      return new Scale(config.getDouble("factor"), config.name());
    }
  }

  @Test
  void customLayerLoadsOnlyWhenRegistered() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(6);
    Path file = dir.resolve("custom.keras");
    FloatNdArray x = random(5, 3, 10);
    int[] expected;
    try (Sequential a = new Sequential(new InputLayer(3), new Dense(4), new Scale(1.5, "scale"), new Dense(2))) {
      a.compile("sgd", "mse");
      a.trainOnBatch(x, random(5, 2, 11)); // the scale weight moves away from 1.5
      expected = bits(a.predict(x));
      a.save(file);
    }
    Backend.clearSession();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Unknown layer class 'Scale' (layer 'scale')"), e.getMessage());
    assertTrue(e.getMessage().contains("new CustomObjects().layer(\"Scale\""), e.getMessage());
    // Keras's custom_objects form: the class, with its static fromConfig.
    try (Model b = Models.load(file, Map.of("Scale", Scale.class))) {
      assertInstanceOf(Scale.class, b.layers().get(1));
      assertArrayEquals(expected, bits(b.predict(x)));
      assertTrue(b.isCompiled());
    }
    // A factory.
    try (Model b = Models.load(file, new CustomObjects().layer("Scale", c -> new Scale(c.getDouble("factor"),
        c.name())))) {
      assertArrayEquals(expected, bits(b.predict(x)));
    }
  }

  @Test
  void customClassWithoutFromConfigIsRejectedWhenRegistered() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CustomObjects.of(Map.of("Dense", Dense.class)));
    assertTrue(e.getMessage().contains("fromConfig(Config)"), e.getMessage());
  }

  @Test
  void functionLossIsSavedByNameAndNeedsRegistration() throws IOException {
    Backend.clearSession();
    Path file = dir.resolve("loss.keras");
    Loss l1 = Loss.of("my_l1", (tf, yTrue, yPred) -> tf.math.abs(tf.math.sub(yTrue, yPred)));
    try (Sequential a = new Sequential(new InputLayer(2), new Dense(1))) {
      a.compile(new Adam(), l1);
      a.save(file);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.load(file));
    assertTrue(e.getMessage().contains("Unknown loss 'my_l1'") && e.getMessage().contains("compile=false"),
        e.getMessage());
    try (Model b = Models.load(file, null, false)) {
      assertFalse(b.isCompiled());
    }
    try (Model b = Models.load(file, new CustomObjects().loss("my_l1", c -> l1))) {
      assertTrue(b.isCompiled());
    }
  }

  @Test
  void configJsonHasKerasForm() throws IOException {
    Backend.clearSession();
    Path file = dir.resolve("form.keras");
    try (Model a = twoHeads()) {
      a.compile(new CompileOptions().optimizer(new Adam(0.002f)).losses(List.of(
          io.github.keras4j.losses.Losses.get("mse"), io.github.keras4j.losses.Losses.get("categorical_crossentropy")))
          .lossWeights(List.of(1.0, 0.5)).metrics("mae"));
      a.save(file);
    }
    try (ModelArchive.Reader archive = ModelArchive.open(file)) {
      assertTrue(archive.has("metadata.json") && archive.has("model.weights.h5"));
      Map<String, Object> config = Json.parseObject(archive.text("config.json"), "config.json");
      assertEquals("Functional", config.get("class_name"));
      Map<?, ?> body = (Map<?, ?>) config.get("config");
      assertEquals(List.of(List.of("left", 0L, 0L), List.of("right", 0L, 0L)), body.get("input_layers"));
      assertEquals(List.of(List.of("score", 0L, 0L), List.of("label", 0L, 0L)), body.get("output_layers"));
      Map<?, ?> shared = null;
      for (Object layer : (List<?>) body.get("layers")) {
        if (((Map<?, ?>) layer).get("name").equals("dense")) {
          shared = (Map<?, ?>) layer;
        }
      }
      // The shared Dense has two inbound nodes, each one tensor from its own branch.
      List<?> nodes = (List<?>) shared.get("inbound_nodes");
      assertEquals(2, nodes.size());
      Map<?, ?> tensor = (Map<?, ?>) ((List<?>) ((Map<?, ?>) nodes.get(1)).get("args")).get(0);
      assertEquals("__keras_tensor__", tensor.get("class_name"));
      assertEquals(List.of("dense_2", 0L, 0L), ((Map<?, ?>) tensor.get("config")).get("keras_history"));
      Map<?, ?> compile = (Map<?, ?>) config.get("compile_config");
      Map<?, ?> optimizer = (Map<?, ?>) compile.get("optimizer");
      assertEquals("Adam", optimizer.get("class_name"));
      assertEquals(0.002, ((Map<?, ?>) optimizer.get("config")).get("learning_rate"));
      assertEquals(List.of(1.0, 0.5), compile.get("loss_weights"));
      assertEquals(List.of("mae"), compile.get("metrics"));
      assertEquals(2, ((List<?>) compile.get("loss")).size());
      Map<String, Object> metadata = Json.parseObject(archive.text("metadata.json"), "metadata.json");
      assertEquals(1L, metadata.get("format_version"));
    }
    Backend.clearSession();
    try (Model b = Models.load(file)) {
      assertTrue(b.isCompiled());
      assertNull(b.getOptimizer().runtimeOrNull(), "never trained: no optimizer state to restore");
    }
  }

  @Test
  void configuredMetricsOfEveryFamilyComeBackFromTheCompileConfig() throws IOException {
    // Metrics whose settings are more than a name: they must be rebuilt with those settings, and give the same
    // values on the same data.
    Backend.clearSession();
    Backend.setRandomSeed(4);
    Path file = dir.resolve("metrics.keras");
    FloatNdArray x = random(12, 4, 6);
    float[][] y = new float[12][3];
    for (int i = 0; i < 12; i++) {
      y[i][i % 3] = 1;
    }
    Map<String, Double> expected;
    try (Sequential a = new Sequential(new InputLayer(4), new Dense(3, "softmax"))) {
      a.compile(new CompileOptions().optimizer(new Adam()).loss("categorical_crossentropy").metrics(
          new io.github.keras4j.metrics.F1Score("f1", "macro", 0.4f),
          new io.github.keras4j.metrics.OneHotMeanIoU("iou", 3, 1, false, -1),
          new io.github.keras4j.metrics.TruePositives("tp", 0.3f),
          new io.github.keras4j.metrics.RecallAtPrecision("rap", 0.5f, 50, 2)));
      expected = a.evaluate(x, y, 12, 0);
      a.save(file);
    }
    Backend.clearSession();
    try (Model b = Models.load(file)) {
      Map<String, Double> back = b.evaluate(x, y, 12, 0);
      assertEquals(expected.keySet(), back.keySet());
      for (String k : expected.keySet()) {
        assertEquals(expected.get(k), back.get(k), 1e-6, k);
      }
    }
  }
}
