package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.layers.preprocessing.StringLookup;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * A model on string inputs used as a layer of another model ({@link NestedModel}): the nested layer takes the inner
 * model's input and output dtypes, the outer model trains through it on {@code String[][]} data, saves and loads with
 * the same predictions, and mismatched dtypes fail when the layer is applied.
 */
class NestedStringModelTest {

  @TempDir
  Path dir;

  /**
   * {@code encoder}: two tokens per sample, a multi-hot StringLookup over {@code [UNK], a, b, c} (4 slots), then
   * Dense(3, tanh) named "hidden".
   */
  private static Model encoder() {
    KerasTensor text = Input.ofStrings("tokens", 2);
    KerasTensor hot = StringLookup.builder().vocabulary("a", "b", "c").outputMode("multi_hot").name("lookup").build()
        .apply(text);
    KerasTensor hidden = Dense.builder(3).activation("tanh").name("hidden").build().apply(hot);
    return new Model(List.of(text), List.of(hidden), "encoder");
  }

  /** Eight samples; the target is 1 when the sample holds an "a" (the OOV token "z" never counts). */
  private static final String[][] X = {{"a", "b"}, {"b", "c"}, {"c", "a"}, {"z", "b"}, {"a", "z"}, {"c", "c"},
      {"b", "a"}, {"z", "z"}};
  private static final float[][] Y = {{1}, {0}, {1}, {0}, {1}, {0}, {1}, {0}};

  private static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Test
  void dtypesPropagateThroughTheNestedModel() {
    Backend.clearSession();
    try (Model inner = encoder()) {
      NestedModel layer = inner.asLayer();
      assertEquals(KerasTensor.STRING, layer.inputDtype());
      assertEquals(KerasTensor.STRING, layer.inputDtype(0));
      assertEquals(KerasTensor.FLOAT32, layer.outputDtype());
      KerasTensor text = Input.ofStrings(2);
      KerasTensor features = inner.apply(text);
      assertEquals(KerasTensor.FLOAT32, features.dtype());
      try (Model outer = new Model(text, new Dense(1).apply(features))) {
        assertEquals(KerasTensor.STRING, outer.inputs().get(0).dtype());
        assertEquals("(None, 1)", Shapes.format(outer.outputs().get(0).shape()));
      }
    }
    // A Sequential starting with the nested model takes its string input (as Keras, the built model gives the shape).
    Backend.clearSession();
    try (Model inner = encoder(); Sequential stacked = new Sequential(inner.asLayer(), new Dense(1))) {
      assertEquals(KerasTensor.STRING, stacked.inputs().get(0).dtype());
      assertEquals(X.length, stacked.predict(X).shape().get(0));
    }
    // An inner model ending in an inverting StringLookup gives the nested layer a string output.
    Backend.clearSession();
    KerasTensor ids = Input.of(2);
    try (Model words = new Model(ids, StringLookup.builder().vocabulary("a", "b").invert(true).build().apply(ids))) {
      KerasTensor outerIds = Input.of(2);
      KerasTensor strings = words.apply(outerIds);
      assertEquals(KerasTensor.STRING, strings.dtype());
      try (Model outer = new Model(outerIds, strings)) {
        // Vocabulary [UNK], a, b: 2 -> b, 1 -> a, 5 -> [UNK].
        assertArrayEquals(new String[][] {{"b", "a"}, {"[UNK]", "b"}}, outer.predictStrings(new float[][] {{2, 1},
            {5, 2}}));
      }
    }
  }

  @Test
  void mismatchedDtypesFailWhenTheNestedModelIsApplied() {
    Backend.clearSession();
    try (Model inner = encoder()) {
      // Numbers into the string input.
      IllegalArgumentException numbers = assertThrows(IllegalArgumentException.class,
          () -> inner.apply(Input.of(2)));
      assertTrue(numbers.getMessage().contains("Input 0 of") && numbers.getMessage().contains("'encoder'")
          && numbers.getMessage().contains("has dtype float32") && numbers.getMessage().contains("string inputs")
          && numbers.getMessage().contains("Input.ofStrings"), numbers.getMessage());
      // The nested model's numeric output into a string layer.
      KerasTensor text = Input.ofStrings(2);
      KerasTensor features = inner.apply(text);
      IllegalArgumentException lookup = assertThrows(IllegalArgumentException.class,
          () -> StringLookup.builder().vocabulary("a").build().apply(features));
      assertTrue(lookup.getMessage().contains("has dtype float32"), lookup.getMessage());
      // Strings past the nested model into a numeric layer.
      IllegalArgumentException dense = assertThrows(IllegalArgumentException.class, () -> new Dense(1).apply(text));
      assertTrue(dense.getMessage().contains("has dtype string") && dense.getMessage().contains("StringLookup"),
          dense.getMessage());
    }
    // A model with a string input and a numeric one checks each input against its own dtype.
    Backend.clearSession();
    KerasTensor words = Input.ofStrings("words", 1);
    KerasTensor counts = Input.of("counts", 2);
    KerasTensor joined = new Concatenate().apply(List.of(StringLookup.builder().vocabulary("a", "b")
        .outputMode("one_hot").build().apply(words), counts));
    try (Model mixed = new Model(List.of(words, counts), List.of(joined), "mixed")) {
      assertEquals(KerasTensor.STRING, mixed.asLayer().inputDtype(0));
      assertEquals(KerasTensor.FLOAT32, mixed.asLayer().inputDtype(1));
      KerasTensor w = Input.ofStrings(1);
      KerasTensor c = Input.of(2);
      assertEquals(5, mixed.apply(List.of(w, c)).shape().get(1));
      IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
          () -> mixed.apply(List.of(c, w)));
      assertTrue(swapped.getMessage().contains("Input 0 of") && swapped.getMessage().contains("'mixed'"),
          swapped.getMessage());
    }
  }

  @Test
  void anOuterModelTrainsThroughTheNestedStringModelAndSavesAndLoads() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(11);
    Path file = dir.resolve("outer.keras");
    float[] before;
    float[] saved;
    try (Model inner = encoder()) {
      KerasTensor text = Input.ofStrings("text", 2);
      KerasTensor out = Dense.builder(1).activation("sigmoid").name("head").build().apply(inner.apply(text));
      try (Model outer = new Model(List.of(text), List.of(out), "outer")) {
        before = flat(inner.getWeights().get(0));
        outer.compile(new SGD(0.5f), "binary_crossentropy");
        History h = outer.fit(X, Y, new FitOptions().epochs(30).batchSize(4).shuffle(false).verbose(0));
        List<Double> loss = h.history().get("loss");
        assertTrue(loss.get(loss.size() - 1) < 0.7 * loss.get(0), "loss " + loss.get(0) + " -> "
            + loss.get(loss.size() - 1));
        // The nested model's own Dense trained (it shares the outer model's weights).
        float[] after = flat(inner.getWeights().get(0));
        assertTrue(!java.util.Arrays.equals(before, after), "the inner kernel did not change");
        saved = flat(outer.predict(X));
        // The inner model predicts with the trained weights too: sigmoid(features . kernel + bias) of the head,
        // computed here in double, is the outer model's prediction.
        float[] features = flat(inner.predict(X));
        // Weights in layer order: the encoder's kernel (4, 3) and bias (3,), then the head's kernel (3, 1), bias (1,).
        List<FloatNdArray> weights = outer.getWeights();
        assertEquals(4, weights.size());
        float[] head = flat(weights.get(2));
        float bias = flat(weights.get(3))[0];
        for (int r = 0; r < X.length; r++) {
          double z = bias;
          for (int j = 0; j < 3; j++) {
            z += features[r * 3 + j] * head[j];
          }
          assertEquals(1 / (1 + Math.exp(-z)), saved[r], 1e-5);
        }
        outer.save(file);
      }
    }
    Backend.clearSession();
    try (Model loaded = Models.load(file)) {
      assertEquals(KerasTensor.STRING, loaded.inputs().get(0).dtype());
      NestedModel nested = assertInstanceOf(NestedModel.class, loaded.getLayer("encoder"));
      assertEquals(KerasTensor.STRING, nested.model().inputs().get(0).dtype());
      assertArrayEquals(saved, flat(loaded.predict(X)));
      // Compiled as saved: the loaded model trains on strings too.
      loaded.fit(X, Y, new FitOptions().epochs(1).batchSize(8).verbose(0));
    }
  }
}
