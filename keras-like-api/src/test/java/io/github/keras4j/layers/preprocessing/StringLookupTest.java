package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Expected numbers: Keras 3's docstring examples (string_lookup.py), and cases worked by hand from Keras's rules
 * (index_lookup.py) in the comments.
 */
class StringLookupTest {

  @TempDir
  Path dir;

  private static final String[] VOCAB = {"a", "b", "c", "d"};
  private static final String[][] DATA = {{"a", "c", "d"}, {"d", "z", "b"}};
  private static final String[][] DATA4 = {{"a", "c", "d", "d"}, {"d", "z", "b", "z"}};

  static float[] values(FloatNdArray y) {
    float[] v = new float[(int) y.size()];
    y.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  /** The layer applied in a model to a string input of shape (n,) fed {@code x}. */
  static float[] predict(Layer layer, Object x, long... shape) {
    KerasTensor in = Input.ofStrings(shape);
    try (Model m = new Model(in, layer.apply(in))) {
      return values(m.predict(x));
    }
  }

  @Test
  void docstringKnownVocabulary() {
    Backend.clearSession();
    // Keras: [[1, 3, 4], [4, 0, 2]].
    assertArrayEquals(floats(1, 3, 4, 4, 0, 2), predict(StringLookup.builder().vocabulary(VOCAB).build(), DATA, 3));
  }

  @Test
  void docstringAdaptedVocabulary() {
    Backend.clearSession();
    StringLookup layer = new StringLookup();
    layer.adapt(DATA);
    // Keras: ['[UNK]', 'd', 'z', 'c', 'b', 'a'] ("d" twice; ties by inverse sort order), then [[5, 3, 1], [1, 2, 4]].
    assertArrayEquals(new String[] {"[UNK]", "d", "z", "c", "b", "a"}, layer.getVocabulary());
    assertArrayEquals(new String[] {"d", "z", "c", "b", "a"}, layer.getVocabulary(false));
    assertEquals(6, layer.vocabularySize());
    assertArrayEquals(floats(5, 3, 1, 1, 2, 4), predict(layer, DATA, 3));
  }

  @Test
  void adaptBreaksTiesByUtf8Bytes() {
    Backend.clearSession();
    StringLookup layer = new StringLookup();
    // By hand: all counts 1, so the tokens run from the largest UTF-8 byte string down: "é" (0xC3 0xA9) > "z" > "Z".
    // (Java's String order agrees here; it would not for characters above U+FFFF against U+E000-U+FFFF.)
    layer.adapt(new String[] {"Z", "é", "z"});
    assertArrayEquals(new String[] {"[UNK]", "é", "z", "Z"}, layer.getVocabulary());
    assertTrue(TokenCounts.compareUtf8("\uFFFD", "\uD83D\uDE00") < 0, "U+FFFD sorts before U+1F600 in UTF-8");
  }

  @Test
  void docstringMultipleOovIndices() {
    Backend.clearSession();
    // Keras: [["a", "c", "d"], ["m", "z", "b"]] with 2 OOV indices -> [[2, 4, 5], [0, 1, 3]] ("m" and "z" hashed by
    // FarmHash64 modulo 2, TensorFlow's StringToHashBucketFast).
    assertArrayEquals(floats(2, 4, 5, 0, 1, 3), predict(StringLookup.builder().vocabulary(VOCAB).numOovIndices(2)
        .build(), new String[][] {{"a", "c", "d"}, {"m", "z", "b"}}, 3));
  }

  @Test
  void docstringEncodedOutputs() {
    Backend.clearSession();
    // Keras one_hot of ["a", "b", "c", "d", "z"]: rows 1, 2, 3, 4, 0 of the 5x5 identity.
    float[] oneHot = predict(StringLookup.builder().vocabulary(VOCAB).outputMode("one_hot").build(),
        new String[] {"a", "b", "c", "d", "z"});
    int[] hot = {1, 2, 3, 4, 0};
    for (int r = 0; r < 5; r++) {
      for (int c = 0; c < 5; c++) {
        assertEquals(c == hot[r] ? 1f : 0f, oneHot[r * 5 + c]);
      }
    }
    // Keras multi_hot: [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]; count: [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]].
    assertArrayEquals(floats(0, 1, 0, 1, 1, 1, 0, 1, 0, 1), predict(StringLookup.builder().vocabulary(VOCAB)
        .outputMode("multi_hot").build(), DATA4, 4));
    assertArrayEquals(floats(0, 1, 0, 1, 2, 2, 0, 1, 0, 1), predict(StringLookup.builder().vocabulary(VOCAB)
        .outputMode("count").build(), DATA4, 4));
  }

  @Test
  void docstringTfIdf() {
    Backend.clearSession();
    // Keras: [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]]: the OOV slot weighs mean(0.25, 0.75, 0.6, 0.4) = 0.5.
    assertArrayEquals(new float[] {0, 0.25f, 0, 0.6f, 0.8f, 1.0f, 0, 0.75f, 0, 0.4f}, predict(StringLookup.builder()
        .vocabulary(VOCAB).idfWeights(0.25f, 0.75f, 0.6f, 0.4f).outputMode("tf_idf").build(), DATA4, 4), 1e-6f);
    // Keras, with the OOV token's weight given: [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]].
    assertArrayEquals(new float[] {0, 0.25f, 0, 0.6f, 0.8f, 1.8f, 0, 0.75f, 0, 0.4f}, predict(StringLookup.builder()
        .vocabulary("[UNK]", "a", "b", "c", "d").idfWeights(0.9f, 0.25f, 0.75f, 0.6f, 0.4f).outputMode("tf_idf")
        .build(), DATA4, 4), 1e-6f);
  }

  @Test
  void adaptedTfIdfWeights() {
    Backend.clearSession();
    StringLookup layer = StringLookup.builder().outputMode("tf_idf").build();
    layer.adapt(DATA);
    // By hand: 2 documents; "d" in both: log(1 + 2/3); the others in one: log(1 + 2/2) = log 2. OOV: their mean.
    float d = (float) Math.log(1 + 2.0 / 3);
    float once = (float) Math.log(2);
    float mean = (d + 4 * once) / 5;
    assertArrayEquals(new float[] {mean, d, once, once, once, once}, layer.idfWeights(), 1e-6f);
    // Row 0 = a, c, d: slots d (1), c (3), a (5).
    float[] out = predict(layer, DATA, 3);
    assertArrayEquals(new float[] {0, d, 0, once, 0, once}, java.util.Arrays.copyOf(out, 6), 1e-6f);
  }

  @Test
  void maskTokenTakesIndexZero() {
    Backend.clearSession();
    StringLookup layer = StringLookup.builder().vocabulary("a", "b").maskToken("").build();
    // By hand: "" -> 0 (mask), "a" -> 2, "z" -> 1 (OOV), "b" -> 3.
    assertArrayEquals(new String[] {"", "[UNK]", "a", "b"}, layer.getVocabulary());
    assertArrayEquals(floats(0, 2, 1, 3), predict(layer, new String[][] {{"", "a", "z", "b"}}, 4));
    // multi_hot drops the mask: slots [UNK], a, b.
    assertArrayEquals(floats(1, 1, 1), predict(StringLookup.builder().vocabulary("a", "b").maskToken("")
        .outputMode("multi_hot").build(), new String[][] {{"", "a", "z", "b"}}, 4));
  }

  @Test
  void invertMapsIndicesBackInsideAModel() {
    Backend.clearSession();
    // Keras: forward [[1, 3, 4], [4, 0, 2]], inverted [["a", "c", "d"], ["d", "[UNK]", "b"]]. A third lookup with
    // another vocabulary turns those strings back into numbers the model can return: b=1, d=2, a=3, c=4, [UNK]=0.
    StringLookup inverse = StringLookup.builder().vocabulary(VOCAB).invert(true).build();
    KerasTensor in = Input.ofStrings(3);
    KerasTensor ids = StringLookup.builder().vocabulary(VOCAB).build().apply(in);
    KerasTensor strings = inverse.apply(ids);
    assertEquals(KerasTensor.STRING, strings.dtype());
    KerasTensor again = StringLookup.builder().vocabulary("b", "d", "a", "c").build().apply(strings);
    try (Model m = new Model(in, again)) {
      assertArrayEquals(floats(3, 4, 2, 2, 0, 1), values(m.predict(DATA)));
    }
    // A model whose output is strings cannot return it through predict.
    Backend.clearSession();
    KerasTensor in2 = Input.ofStrings(3);
    StringLookup inverse2 = StringLookup.builder().vocabulary(VOCAB).invert(true).name("inverse").build();
    try (Model m = new Model(in2, inverse2.apply(StringLookup.builder().vocabulary(VOCAB).build().apply(in2)))) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> m.predict(DATA));
      assertTrue(e.getMessage().contains("dtype string") && e.getMessage().contains("'inverse'"), e.getMessage());
    }
  }

  @Test
  void noOovIndicesFailsOnUnknownTokens() {
    Backend.clearSession();
    StringLookup layer = StringLookup.builder().vocabulary(VOCAB).numOovIndices(0).build();
    KerasTensor in = Input.ofStrings(3);
    try (Model m = new Model(in, layer.apply(in))) {
      assertArrayEquals(floats(0, 2, 3), values(m.predict(new String[][] {{"a", "c", "d"}})));
      RuntimeException e = assertThrows(RuntimeException.class, () -> m.predict(DATA));
      assertTrue(String.valueOf(e.getMessage()).contains("num_oov_indices"), e.getMessage());
    }
  }

  @Test
  void clearErrors() {
    Backend.clearSession();
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> StringLookup.builder().outputMode("tfidf").build());
    assertTrue(mode.getMessage().contains("output_mode") && mode.getMessage().contains("tfidf"), mode.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StringLookup.builder().vocabulary("a", "b", "a").build());
    assertThrows(IllegalArgumentException.class, () -> StringLookup.builder().outputMode("tf_idf").vocabulary("a")
        .build());
    IllegalStateException given = assertThrows(IllegalStateException.class,
        () -> StringLookup.builder().vocabulary(VOCAB).build().adapt(DATA));
    assertTrue(given.getMessage().contains("static vocabulary"), given.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new StringLookup().adapt(new float[][] {{1, 2}}));
    // A numeric model input into StringLookup, and a string input into Dense.
    IllegalArgumentException numeric = assertThrows(IllegalArgumentException.class,
        () -> StringLookup.builder().vocabulary(VOCAB).build().apply(Input.of(3)));
    assertTrue(numeric.getMessage().contains("Input.ofStrings"), numeric.getMessage());
    Dense dense = new Dense(2);
    IllegalArgumentException strings = assertThrows(IllegalArgumentException.class,
        () -> dense.apply(Input.ofStrings(3)));
    assertTrue(strings.getMessage().contains(dense.name()) && strings.getMessage().contains("dtype string"),
        strings.getMessage());
  }

  @Test
  void stringDataIntoNumericInputsAndBack() {
    Backend.clearSession();
    KerasTensor text = Input.ofStrings(3);
    try (Model m = new Model(text, StringLookup.builder().vocabulary(VOCAB).build().apply(text))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.predict(new float[][] {{1, 2, 3}}));
      assertTrue(e.getMessage().contains("dtype string") && e.getMessage().contains("String array"), e.getMessage());
    }
    KerasTensor numbers = Input.of(3);
    try (Model m = new Model(numbers, new Dense(1).apply(numbers))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(DATA));
      assertTrue(e.getMessage().contains("holds strings") && e.getMessage().contains("Input.ofStrings"),
          e.getMessage());
    }
  }

  @Test
  void savedModelKeepsAnAdaptedVocabulary() throws IOException {
    Backend.clearSession();
    StringLookup layer = StringLookup.builder().maxTokens(4).outputMode("count").build();
    layer.adapt(DATA);
    // By hand: max 4 indices = [UNK] + the 3 most frequent: d (2), then z, c (ties, larger first).
    assertArrayEquals(new String[] {"[UNK]", "d", "z", "c"}, layer.getVocabulary());
    KerasTensor in = Input.ofStrings(3);
    Path file = dir.resolve("lookup.keras");
    float[] before;
    try (Model m = new Model(in, layer.apply(in))) {
      before = values(m.predict(DATA));
      m.save(file);
    }
    Backend.clearSession();
    try (Model m = Models.load(file)) {
      StringLookup loaded = assertInstanceOf(StringLookup.class, m.layers().get(1));
      assertArrayEquals(new String[] {"[UNK]", "d", "z", "c"}, loaded.getVocabulary());
      assertArrayEquals(before, values(m.predict(DATA)));
      assertEquals(List.of("d", "z", "c"), loaded.getConfig().get("vocabulary"));
    }
    // By hand: row 0 = a (OOV), c, d -> [1, 1, 0, 1]; row 1 = d, z, b (OOV) -> [1, 1, 1, 0].
    assertArrayEquals(floats(1, 1, 0, 1, 1, 1, 1, 0), before);
  }
}
