package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.export.ExportOptions;
import io.github.keras4j.export.Predictor;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.Embedding;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.saving.ModelConfig;
import io.github.keras4j.training.FitOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * A model used as a layer of another ({@link Model#asLayer()}, {@link Model#apply}, {@link Sequential#add(Model)}):
 * the outputs are the composition worked out by hand from the weights, gradients pass through it (finite
 * differences), the weights are shared and can be frozen, and saving keeps the nesting.
 */
class NestedModelTest {

  @TempDir
  Path dir;

  /** {@code base}: 3 inputs, Dense(4, tanh) named "hidden"; 3*4+4 = 16 weights. */
  private static Sequential base() {
    return new Sequential("base", List.of(new InputLayer(3), Dense.builder(4).activation("tanh").name("hidden")
        .build()));
  }

  private static float[][] x() {
    return LayerChecks.randomMatrix(6, 3, 21);
  }

  private static float[][] y(int rows, int cols) {
    return LayerChecks.randomMatrix(rows, cols, 22);
  }

  /** {@code act(x W + b)} row by row, in double precision. */
  private static double[][] dense(double[][] x, FloatNdArray kernel, FloatNdArray bias, boolean tanh) {
    int in = (int) kernel.shape().get(0);
    int out = (int) kernel.shape().get(1);
    double[][] y = new double[x.length][out];
    for (int r = 0; r < x.length; r++) {
      for (int j = 0; j < out; j++) {
        double s = bias.getFloat(j);
        for (int i = 0; i < in; i++) {
          s += x[r][i] * kernel.getFloat(i, j);
        }
        y[r][j] = tanh ? Math.tanh(s) : s;
      }
    }
    return y;
  }

  private static double[][] toDouble(float[][] x) {
    double[][] out = new double[x.length][];
    for (int r = 0; r < x.length; r++) {
      out[r] = new double[x[r].length];
      for (int i = 0; i < x[r].length; i++) {
        out[r][i] = x[r][i];
      }
    }
    return out;
  }

  private static void assertRowsEqual(double[][] expected, FloatNdArray actual, int columnOffset) {
    for (int r = 0; r < expected.length; r++) {
      for (int j = 0; j < expected[r].length; j++) {
        assertEquals(expected[r][j], actual.getFloat(r, columnOffset + j), 1e-5, "row " + r + ", column " + j);
      }
    }
  }

  private static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Test
  void headOnABaseComputesTheComposition() {
    Backend.clearSession();
    Backend.setRandomSeed(1);
    try (Sequential base = base()) {
      try (Sequential classifier = new Sequential(base.asLayer(), new Dense(2))) {
        assertEquals(2, classifier.layers().size());
        NestedModel nested = assertInstanceOf(NestedModel.class, classifier.getLayer("base"));
        assertSame(base, nested.model());
        assertSame(nested, base.asLayer(), "one layer per model");
        // 16 weights in the base, 4*2+2 = 10 in the head.
        assertEquals(26, classifier.countParams());
        assertEquals(4, classifier.variables().size());

        float[][] x = x();
        FloatNdArray predicted = classifier.predict(x);
        List<FloatNdArray> w = classifier.getWeights();
        double[][] expected = dense(dense(toDouble(x), w.get(0), w.get(1), true), w.get(2), w.get(3), false);
        assertRowsEqual(expected, predicted, 0);
        // The base predicts with the same weights: they are shared, not copied.
        assertRowsEqual(dense(toDouble(x), w.get(0), w.get(1), true), base.predict(x), 0);
      }
      // Closing the outer model leaves the base (its caller's) open.
      assertEquals(4, base.predict(x()).shape().get(1));
    }
  }

  @Test
  void gradientsPassThroughTheNestedModel() {
    Backend.clearSession();
    Backend.setRandomSeed(2);
    try (Sequential base = base()) {
      // Gradients of every weight and the input against central differences, and one SGD step that moves every
      // trainable weight, with the base applied as a layer of a functional model.
      LayerChecks.check(base.asLayer(), 5, 3);
    }
  }

  @Test
  void trainingTheOuterModelTrainsTheSharedWeights() {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    try (Sequential base = base(); Sequential classifier = new Sequential(base.asLayer(), new Dense(2))) {
      List<FloatNdArray> before = base.getWeights();
      classifier.compile(new SGD(0.1f), "mse");
      classifier.fit(x(), y(6, 2), new FitOptions().epochs(2).batchSize(3).verbose(0));
      List<FloatNdArray> after = base.getWeights();
      assertNotEquals(before.get(0), after.get(0));
      assertNotEquals(before.get(1), after.get(1));
      assertEquals(classifier.getWeights().subList(0, 2), after);
    }
  }

  @Test
  void aFrozenBaseKeepsItsWeightsAndTheSummaryCountsThemAsNonTrainable() {
    Backend.clearSession();
    Backend.setRandomSeed(4);
    try (Sequential base = base(); Sequential classifier = new Sequential("classifier", List.of())) {
      classifier.add(base);
      classifier.add(new Dense(2));
      base.setTrainable(false);
      assertFalse(classifier.getLayer("base").isTrainable());
      assertEquals(2, classifier.trainableVariables().size());
      List<FloatNdArray> before = classifier.getWeights();
      classifier.compile(new SGD(0.1f), "mse");
      classifier.fit(x(), y(6, 2), new FitOptions().epochs(2).batchSize(3).verbose(0));
      List<FloatNdArray> after = classifier.getWeights();
      assertArrayEquals(flat(before.get(0)), flat(after.get(0)));
      assertArrayEquals(flat(before.get(1)), flat(after.get(1)));
      assertNotEquals(before.get(2), after.get(2));

      List<String> lines = new ArrayList<>();
      classifier.summary(lines::add);
      assertTrue(lines.get(4).startsWith("│ base (Sequential) "), lines.get(4));
      assertTrue(lines.get(4).contains("(None, 4)") && lines.get(4).endsWith("16 │"), lines.get(4));
      // 16 frozen + 10 trainable; 4 bytes each.
      assertEquals(" Total params: 26 (104.00 B)", lines.get(lines.size() - 3));
      assertEquals(" Trainable params: 10 (40.00 B)", lines.get(lines.size() - 2));
      assertEquals(" Non-trainable params: 16 (64.00 B)", lines.get(lines.size() - 1));

      // Freezing through the layer is the same switch; unfreezing through it too.
      classifier.getLayer("base").setTrainable(true);
      assertTrue(base.isTrainable());
      assertEquals(4, classifier.trainableVariables().size());
    }
  }

  @Test
  void oneEncoderAppliedToTwoInputsSharesItsWeights() {
    Backend.clearSession();
    Backend.setRandomSeed(5);
    KerasTensor in = Input.of(3);
    Dense proj = new Dense(2);
    try (Model encoder = new Model(List.of(in), List.of(proj.apply(in)), "encoder")) {
      KerasTensor a = Input.of("a", 3);
      KerasTensor b = Input.of("b", 3);
      KerasTensor both = new Concatenate().apply(List.of(encoder.apply(a), encoder.apply(b)));
      try (Model pair = new Model(List.of(a, b), List.of(both))) {
        assertEquals(8, pair.countParams(), "3*2+2 weights, once");
        float[][] xa = x();
        float[][] xb = y(6, 3);
        FloatNdArray out = pair.predict(List.of(xa, xb));
        List<FloatNdArray> w = encoder.getWeights();
        assertRowsEqual(dense(toDouble(xa), w.get(0), w.get(1), false), out, 0);
        assertRowsEqual(dense(toDouble(xb), w.get(0), w.get(1), false), out, 2);
        List<String> lines = new ArrayList<>();
        pair.summary(lines::add);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("│ encoder (Functional)") && l.contains("a[0][0], b[0][0]")),
            String.join("\n", lines));
      }
    }
  }

  @Test
  void aSavedNestedModelLoadsWithItsNestingFrozenFlagsAndWeights() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(6);
    Path file = dir.resolve("classifier.keras");
    float[][] x = x();
    float[] saved;
    try (Sequential base = base(); Sequential classifier = new Sequential(base.asLayer(), new Dense(2))) {
      classifier.compile(new SGD(0.1f), "mse");
      classifier.fit(x, y(6, 2), new FitOptions().epochs(1).batchSize(3).verbose(0));
      base.setTrainable(false);
      saved = flat(classifier.predict(x));
      classifier.save(file);
    }
    Backend.clearSession();
    NestedModel nested;
    try (Model loaded = Models.load(file)) {
      assertArrayEquals(saved, flat(loaded.predict(x)));
      nested = assertInstanceOf(NestedModel.class, loaded.getLayer("base"));
      Model inner = nested.model();
      assertInstanceOf(Sequential.class, inner);
      assertEquals("hidden", inner.layers().get(0).name());
      assertFalse(nested.isTrainable());
      assertEquals(2, loaded.trainableVariables().size());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> layers = (List<Map<String, Object>>)
          ((Map<String, Object>) ModelConfig.serialize(loaded).get("config")).get("layers");
      assertEquals("Sequential", layers.get(1).get("class_name"));
    }
    // The loaded outer model owned the rebuilt base, and closed it with itself.
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> nested.model().predict(x));
    assertEquals("Model 'base' has been closed", closed.getMessage());
  }

  @Test
  void anExportedNestedModelServesTheSamePredictions() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(9);
    float[][] x = x();
    try (Sequential base = base(); Sequential classifier = new Sequential(base.asLayer(), new Dense(2))) {
      classifier.export(dir.resolve("served"), new ExportOptions().verbose(false));
      try (Predictor served = Predictor.load(dir.resolve("served"))) {
        assertArrayEquals(flat(classifier.predict(x)), flat(served.predict(x)), 1e-6f);
      }
    }
  }

  @Test
  void weightsFilesNameNestedWeightsUnderTheModel() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(7);
    Path file = dir.resolve("nested.weights.bin");
    float[][] x = x();
    float[] saved;
    try (Sequential base = base(); Sequential classifier = new Sequential(base.asLayer(), new Dense(2))) {
      saved = flat(classifier.predict(x));
      classifier.saveWeights(file);
    }
    // A fresh model of the same architecture (other runtime names) loads them.
    try (Sequential base = base(); Sequential classifier = new Sequential(base.asLayer(), new Dense(2))) {
      classifier.loadWeights(file);
      assertArrayEquals(saved, flat(classifier.predict(x)));
    }
    // The same weights without the nesting do not fit: the paths differ.
    try (Sequential flatModel = new Sequential(new InputLayer(3), new Dense(4, "tanh"), new Dense(2))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> flatModel.loadWeights(file));
      assertTrue(e.getMessage().contains("'sequential/dense/kernel'"), e.getMessage());
    }
  }

  @Test
  void badUsesAreRefusedWithTheModelNamed() {
    Backend.clearSession();
    try (Sequential base = base()) {
      IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
          () -> base.apply(Input.of(5)));
      assertEquals("Input 0 of layer 'base' is incompatible with the layer: expected shape=(None, 3), found "
          + "shape=(None, 5)", shape.getMessage());

      IllegalArgumentException self = assertThrows(IllegalArgumentException.class, () -> base.add(base));
      assertEquals("Sequential model 'base' cannot be a layer of itself", self.getMessage());

    }
    // A cycle through another model: outer holds loop, then loop is given outer.
    try (Sequential loop = new Sequential("loop", List.of(new InputLayer(3), new Dense(3)));
        Sequential outer = new Sequential("outer", List.of(loop.asLayer()))) {
      IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class, () -> loop.add(outer));
      assertEquals("Model 'outer' cannot be a layer of itself (directly or through a model nested in it)",
          cycle.getMessage());
    }

    KerasTensor in = Input.of(2);
    try (Model twoOutputs = new Model(List.of(in), List.of(new Dense(1).apply(in), new Dense(1).apply(in)), "two")) {
      IllegalArgumentException many = assertThrows(IllegalArgumentException.class, twoOutputs::asLayer);
      assertEquals("Model 'two' has 2 outputs; only a model with one output can be used as a layer of another model",
          many.getMessage());
    }

    try (Sequential old = base()) {
      Backend.clearSession();
      IllegalArgumentException graphs = assertThrows(IllegalArgumentException.class,
          () -> new Sequential(new InputLayer(3), old.asLayer()).close());
      assertTrue(graphs.getMessage().startsWith("Model 'base' was built in another graph"), graphs.getMessage());
    }
  }

  @Test
  void indicesForAnEmbeddingInsideANestedModelAreChecked() {
    Backend.clearSession();
    try (Sequential encoder = new Sequential("encoder", List.of(new InputLayer(2), new Embedding(5, 3),
            new Flatten()));
        Sequential model = new Sequential(encoder.asLayer(), new Dense(1))) {
      // Row 1 holds 5, one past the last of the 5 rows (TensorFlow's CPU gather fails without the row, a GPU's
      // returns zeros).
      float[][] ids = {{0, 4}, {5, 1}};
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(ids));
      assertEquals("Input 0 of layer 'embedding' must hold whole indices in [0, 5); found 5 at row 1 of 'x'",
          e.getMessage());
      assertEquals(Shape.of(2, 1), model.predict(new float[][] {{0, 4}, {3, 1}}).shape());
    }
  }

  @Test
  void aDeferredSequentialIsBuiltWhenTheOuterModelIsBuilt() {
    Backend.clearSession();
    Backend.setRandomSeed(8);
    try (Sequential base = new Sequential(new Dense(4, "tanh"));
        Sequential classifier = new Sequential(new InputLayer(3), base.asLayer(), new Dense(1))) {
      assertTrue(base.isBuilt());
      assertArrayEquals(new long[] {-1, 3}, base.inputs().get(0).shape().asArray());
      assertEquals(4 * 3 + 4 + 4 + 1, classifier.countParams());
      FloatNdArray y = classifier.predict(NdArrays.ofFloats(Shape.of(2, 3)));
      assertEquals(Shape.of(2, 1), y.shape());
    }
  }
}
