package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.floats;
import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.predict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Expected numbers: Keras 3's docstring examples (integer_lookup.py), and vocabularies and idf weights worked out by
 * hand from Keras's rules (index_lookup.py) in the comments.
 */
class IntegerLookupTest {

  @TempDir
  Path dir;

  private static final long[] VOCAB = {12, 36, 1138, 42};

  private static float[] output(FloatNdArray y) {
    float[] v = new float[(int) y.size()];
    y.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  @Test
  void docstringKnownVocabulary() {
    Backend.clearSession();
    // Keras: [[12, 1138, 42], [42, 1000, 36]] -> [[1, 3, 4], [4, 0, 2]].
    assertArrayEquals(floats(1, 3, 4, 4, 0, 2), predict(IntegerLookup.builder().vocabulary(VOCAB).build(),
        floats(12, 1138, 42, 42, 1000, 36), 3));
  }

  @Test
  void docstringAdaptedVocabulary() {
    Backend.clearSession();
    IntegerLookup layer = new IntegerLookup();
    layer.adapt(new float[][] {{12, 1138, 42}, {42, 1000, 36}});
    // Keras: get_vocabulary() == [-1, 42, 1138, 1000, 36, 12] (42 occurs twice; ties by the larger token).
    assertArrayEquals(new long[] {-1, 42, 1138, 1000, 36, 12}, layer.getVocabulary());
    assertArrayEquals(new long[] {42, 1138, 1000, 36, 12}, layer.getVocabulary(false));
    assertEquals(6, layer.vocabularySize());
    // Keras: [[5, 2, 1], [1, 3, 4]].
    assertArrayEquals(floats(5, 2, 1, 1, 3, 4), predict(layer, floats(12, 1138, 42, 42, 1000, 36), 3));
  }

  @Test
  void docstringMultipleOovIndices() {
    Backend.clearSession();
    // Keras: [[12, 1138, 42], [37, 1000, 36]] with 2 OOV indices -> [[2, 4, 5], [1, 0, 3]] (37 % 2 = 1, 1000 % 2 = 0).
    assertArrayEquals(floats(2, 4, 5, 1, 0, 3), predict(IntegerLookup.builder().vocabulary(VOCAB).numOovIndices(2)
        .build(), floats(12, 1138, 42, 37, 1000, 36), 3));
    // Keras: floormod maps [100, 300, 700, 1100, 1700, 2000] with 4 OOV indices and vocabulary [10, 20, 30] to 0.
    assertArrayEquals(floats(0, 0, 0, 0, 0, 0), predict(IntegerLookup.builder().vocabulary(10, 20, 30)
        .numOovIndices(4).build(), floats(100, 300, 700, 1100, 1700, 2000), 1));
  }

  @Test
  void docstringEncodedOutputs() {
    Backend.clearSession();
    // Keras one_hot of [12, 36, 1138, 42, 7]: rows 1, 2, 3, 4, 0 of the 5x5 identity.
    assertArrayEquals(floats(0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0),
        predict(IntegerLookup.builder().vocabulary(VOCAB).outputMode("one_hot").build(),
            floats(12, 36, 1138, 42, 7), 1));
    float[] data = floats(12, 1138, 42, 42, 42, 7, 36, 7);
    // Keras multi_hot: [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]; count: [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]].
    assertArrayEquals(floats(0, 1, 0, 1, 1, 1, 0, 1, 0, 1),
        predict(IntegerLookup.builder().vocabulary(VOCAB).outputMode("multi_hot").build(), data, 4));
    assertArrayEquals(floats(0, 1, 0, 1, 2, 2, 0, 1, 0, 1),
        predict(IntegerLookup.builder().vocabulary(VOCAB).outputMode("count").build(), data, 4));
    // Keras tf_idf, OOV weight the mean 0.5: [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]].
    assertArrayEquals(new float[] {0, 0.25f, 0, 0.6f, 0.8f, 1.0f, 0, 0.75f, 0, 0.4f},
        predict(IntegerLookup.builder().vocabulary(VOCAB).idfWeights(0.25f, 0.75f, 0.6f, 0.4f).outputMode("tf_idf")
            .build(), data, 4), 1e-6f);
    // With the OOV token's weight given at the front: [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]].
    assertArrayEquals(new float[] {0, 0.25f, 0, 0.6f, 0.8f, 1.8f, 0, 0.75f, 0, 0.4f},
        predict(IntegerLookup.builder().vocabulary(-1, 12, 36, 1138, 42).idfWeights(0.9f, 0.25f, 0.75f, 0.6f, 0.4f)
            .outputMode("tf_idf").build(), data, 4), 1e-6f);
  }

  @Test
  void docstringInverseLookup() {
    Backend.clearSession();
    // Keras: [[1, 3, 4], [4, 0, 2]] -> [[12, 1138, 42], [42, -1, 36]].
    assertArrayEquals(floats(12, 1138, 42, 42, -1, 36), predict(IntegerLookup.builder().vocabulary(VOCAB)
        .invert(true).build(), floats(1, 3, 4, 4, 0, 2), 3));
    // Forward then inverse with the forward layer's vocabulary: 1000 comes back as -1.
    IntegerLookup forward = IntegerLookup.builder().vocabulary(VOCAB).build();
    IntegerLookup inverse = IntegerLookup.builder().vocabulary(forward.getVocabulary()).invert(true).build();
    float[] ids = predict(forward, floats(12, 1138, 42, 42, 1000, 36), 3);
    assertArrayEquals(floats(12, 1138, 42, 42, -1, 36), predict(inverse, ids, 3));
  }

  @Test
  void maskToken() {
    Backend.clearSession();
    // Mask 0 takes index 0, OOV index 1, tokens from 2: [0, 12, 7, 42] -> [0, 2, 1, 5].
    assertArrayEquals(floats(0, 2, 1, 5), predict(IntegerLookup.builder().vocabulary(VOCAB).maskToken(0L).build(),
        floats(0, 12, 7, 42), 4));
    // multi_hot drops the mask (no index): slots OOV, 12, 36, 1138, 42.
    assertArrayEquals(floats(1, 1, 0, 0, 1), predict(IntegerLookup.builder().vocabulary(VOCAB).maskToken(0L)
        .outputMode("multi_hot").build(), floats(0, 12, 7, 42), 4));
    // Inverse with a mask: 0 -> the mask token, 1 (OOV) -> -1, 2 -> 12.
    IntegerLookup inv = IntegerLookup.builder().vocabulary(VOCAB).maskToken(0L).invert(true).build();
    assertArrayEquals(new long[] {0, -1, 12, 36, 1138, 42}, inv.getVocabulary());
    assertArrayEquals(floats(0, -1, 12, 42), predict(inv, floats(0, 1, 2, 5), 4));
  }

  @Test
  void adaptedTfIdfAndMaxTokens() {
    Backend.clearSession();
    IntegerLookup layer = IntegerLookup.builder().outputMode("tf_idf").maxTokens(3).build();
    layer.adapt(new float[][] {{5, 5, 9}, {9, 7, 7}, {5, 1, 1}});
    // Counts: 5 x3, 9 x2, 7 x2, 1 x2; max_tokens 3 = 1 OOV + 2 tokens: [5, 9] (9 beats 7 and 1 on the tie).
    assertArrayEquals(new long[] {-1, 5, 9}, layer.getVocabulary());
    // idf = log(1 + 3 / (1 + documents)): 5 in 2 rows -> log(2), 9 in 2 rows -> log(2); OOV slot: their mean.
    float w = (float) Math.log(2);
    // Row [5, 5, 9]: counts (0, 2, 1); row [9, 7, 7]: (2, 0, 1).
    assertArrayEquals(new float[] {0, 2 * w, w, 2 * w, 0, w}, predict(layer, floats(5, 5, 9, 9, 7, 7), 3), 1e-6f);
  }

  @Test
  void adaptOnADatasetCountsEveryBatch() {
    Backend.clearSession();
    float[][] x = {{3}, {3}, {4}, {3}, {8}, {4}};
    IntegerLookup layer = new IntegerLookup();
    layer.adapt(Dataset.fromArrays(x, new float[6][1]).batch(4));
    // 3 x3, 4 x2, 8 x1.
    assertArrayEquals(new long[] {-1, 3, 4, 8}, layer.getVocabulary());
  }

  @Test
  void vocabularySurvivesSaveAndLoad() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(4);
    IntegerLookup lookup = IntegerLookup.builder().outputMode("count").name("ids").build();
    lookup.adapt(new float[][] {{12, 1138, 42}, {42, 1000, 36}});
    IntegerLookup given = IntegerLookup.builder().vocabulary(7, 8).build();
    float[][] x = {{42, 12, 12}, {5, 1000, 36}};
    Path file = dir.resolve("lookup.keras");
    float[] expected;
    float[] expectedGiven;
    try (Sequential m = new Sequential(new InputLayer(3), lookup, new Dense(2));
        Sequential g = new Sequential(new InputLayer(2), given)) {
      expected = output(m.predict(x));
      expectedGiven = output(g.predict(new float[][] {{8, 9}}));
      m.save(file);
      g.save(dir.resolve("given.keras"));
    }
    assertArrayEquals(floats(2, 0), expectedGiven);
    Backend.clearSession();
    try (Model m = Models.load(file); Model g = Models.load(dir.resolve("given.keras"))) {
      IntegerLookup loaded = assertInstanceOf(IntegerLookup.class, m.layers().get(0));
      assertArrayEquals(new long[] {-1, 42, 1138, 1000, 36, 12}, loaded.getVocabulary());
      assertArrayEquals(expected, output(m.predict(x)));
      assertArrayEquals(expectedGiven, output(g.predict(new float[][] {{8, 9}})));
    }
  }

  @Test
  void noOovIndicesFailsTheRunOnUnknownTokens() {
    Backend.clearSession();
    IntegerLookup strict = IntegerLookup.builder().vocabulary(VOCAB).numOovIndices(0).name("strict").build();
    assertArrayEquals(floats(0, 3), predict(strict, floats(12, 42), 2));
    Backend.clearSession();
    IntegerLookup again = IntegerLookup.builder().vocabulary(VOCAB).numOovIndices(0).name("strict2").build();
    RuntimeException e = assertThrows(RuntimeException.class, () -> predict(again, floats(12, 5), 2));
    assertTrue(String.valueOf(e.getMessage()).contains("num_oov_indices=0"), e.getMessage());
  }

  @Test
  void configAndErrors() {
    Backend.clearSession();
    Map<String, Object> c = IntegerLookup.builder().vocabulary(VOCAB).maskToken(0L).name("l").build().getConfig();
    assertEquals(List.of(12L, 36L, 1138L, 42L), c.get("vocabulary"));
    assertEquals(6, c.get("vocabulary_size"));
    assertEquals(0L, c.get("mask_token"));
    assertEquals(-1L, c.get("oov_token"));
    assertEquals("int", c.get("output_mode"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IntegerLookup.builder().vocabulary(1, 2, 1).name("rep").build());
    assertTrue(e.getMessage().contains("'rep'") && e.getMessage().contains("[1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> IntegerLookup.builder().invert(true).outputMode("count").name("inv").build());
    assertTrue(e.getMessage().contains("'inv'") && e.getMessage().contains("output_mode=count"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> IntegerLookup.builder().numOovIndices(-1).name("oov").build());
    assertTrue(e.getMessage().contains("'oov'") && e.getMessage().contains("num_oov_indices=-1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> IntegerLookup.builder().vocabulary(1, 2).outputMode("tf_idf").name("idf").build());
    assertTrue(e.getMessage().contains("'idf'") && e.getMessage().contains("idf_weights"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> IntegerLookup.builder().vocabulary(1, 2, 3).maxTokens(3).name("max").build());
    assertTrue(e.getMessage().contains("'max'") && e.getMessage().contains("`max_tokens` is 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> IntegerLookup.builder().vocabulary(1, 0).maskToken(0L).name("mask").build());
    assertTrue(e.getMessage().contains("'mask'") && e.getMessage().contains("mask_token=0"), e.getMessage());
    IllegalStateException s = assertThrows(IllegalStateException.class,
        () -> IntegerLookup.builder().outputMode("multi_hot").name("early").build().apply(Input.of(3)));
    assertTrue(s.getMessage().contains("'early'") && s.getMessage().contains("adapt"), s.getMessage());
    s = assertThrows(IllegalStateException.class,
        () -> IntegerLookup.builder().vocabulary(1, 2).name("fixed").build().adapt(new float[] {1}));
    assertTrue(s.getMessage().contains("'fixed'"), s.getMessage());
  }
}
