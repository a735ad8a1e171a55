package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.floats;
import static io.github.keras4j.layers.preprocessing.StringLookupTest.predict;
import static io.github.keras4j.layers.preprocessing.StringLookupTest.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.export.ExportOptions;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.Embedding;
import io.github.keras4j.layers.pooling.GlobalAveragePooling1D;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Expected numbers: Keras 3's docstring examples (text_vectorization.py), and tokenizations worked by hand from
 * Keras's rules (standardize, split, ngrams, index layout) in the comments.
 */
class TextVectorizationTest {

  @TempDir
  Path dir;

  @Test
  void docstringAdaptedVocabulary() {
    Backend.clearSession();
    TextVectorization layer = TextVectorization.builder().maxTokens(5000).outputSequenceLength(4).build();
    layer.adapt(new String[] {"foo bar", "bar baz", "baz bada boom"});
    // By hand from Keras's rule: bar and baz twice (baz > bar), then foo > boom > bada.
    assertArrayEquals(new String[] {"", "[UNK]", "baz", "bar", "foo", "boom", "bada"}, layer.getVocabulary());
    // Keras: [[4, 1, 3, 0], [1, 2, 0, 0]].
    assertArrayEquals(floats(4, 1, 3, 0, 1, 2, 0, 0), predict(layer, new String[][] {{"foo qux bar"}, {"qux baz"}},
        1));
  }

  @Test
  void docstringGivenVocabulary() {
    Backend.clearSession();
    TextVectorization layer = TextVectorization.builder().maxTokens(5000).outputSequenceLength(4)
        .vocabulary("earth", "wind", "and", "fire").build();
    // Keras: ['', '[UNK]', 'earth', 'wind', 'and', 'fire'].
    assertArrayEquals(new String[] {"", "[UNK]", "earth", "wind", "and", "fire"}, layer.getVocabulary());
    // By hand: "Earth, wind & FIRE" -> earth wind fire (lowercased, "," stripped; "&" is punctuation -> ""), cut at 4.
    assertArrayEquals(floats(2, 3, 5, 0, 4, 4, 4, 4), predict(layer, new String[] {"Earth, wind & FIRE",
        "and and  and and and"}));
  }

  @Test
  void standardizeModes() {
    Backend.clearSession();
    String[] vocab = {"hello,", "world!", "Hello", "World", "Hello,", "World!", "hello", "world"};
    String[][] text = {{"  Hello,\tWorld!  "}};
    // By hand: indices 2..9 follow the vocabulary; each standardization gives one pair of tokens.
    assertArrayEquals(floats(8, 9), predict(TextVectorization.builder().vocabulary(vocab).outputSequenceLength(2)
        .build(), text, 1));
    assertArrayEquals(floats(2, 3), predict(TextVectorization.builder().vocabulary(vocab).outputSequenceLength(2)
        .standardize("lower").build(), text, 1));
    assertArrayEquals(floats(4, 5), predict(TextVectorization.builder().vocabulary(vocab).outputSequenceLength(2)
        .standardize("strip_punctuation").build(), text, 1));
    assertArrayEquals(floats(6, 7), predict(TextVectorization.builder().vocabulary(vocab).outputSequenceLength(2)
        .standardize(null).build(), text, 1));
  }

  @Test
  void characterSplitAndNgrams() {
    Backend.clearSession();
    // By hand: "abé" splits into a, b, é (one Unicode character, two UTF-8 bytes); with ngrams 2, each row gives its
    // unigrams then its bigrams "a b", "b é".
    TextVectorization chars = TextVectorization.builder().split("character").standardize(null)
        .vocabulary("a", "b", "é", "a b", "b é").outputSequenceLength(6).ngrams(2).build();
    assertArrayEquals(floats(2, 3, 4, 5, 6, 0, 3, 2, 1, 0, 0, 0), predict(chars, new String[] {"abé", "ba"}));
    // Whitespace ngrams of width 2 only: "the cat sat" -> "the cat", "cat sat".
    TextVectorization bigrams = TextVectorization.builder().ngramWidths(2).vocabulary("cat sat", "the cat")
        .outputSequenceLength(3).build();
    assertArrayEquals(floats(3, 2, 0), predict(bigrams, new String[] {"The cat sat."}));
    // split none: each string is one token.
    assertArrayEquals(floats(2, 1), predict(TextVectorization.builder().split(null).vocabulary("new york").build(),
        new String[] {"New York", "Paris"}));
  }

  @Test
  void withoutSequenceLengthPadsToTheLongestSample() {
    Backend.clearSession();
    TextVectorization layer = TextVectorization.builder().vocabulary("a", "b", "c").build();
    KerasTensor in = Input.ofStrings();
    KerasTensor ids = layer.apply(in);
    assertArrayEquals(new long[] {-1, -1}, ids.shape().asArray());
    // By hand: [[2, 3, 0], [2, 3, 4]] (padded with 0 to the longest sample, 3 tokens), counted per index 0..4.
    try (Model m = new Model(in, new CategoryEncoding(5, "count").apply(ids))) {
      assertArrayEquals(floats(1, 0, 1, 1, 0, 0, 0, 1, 1, 1), values(m.predict(new String[] {"a b", "a b c"})));
      // A batch of one 5-token sample: no padding.
      assertArrayEquals(floats(0, 2, 1, 1, 1), values(m.predict(new String[] {"a b c x y"})));
    }
  }

  @Test
  void adaptWithNgramsCountsEveryWidth() {
    Backend.clearSession();
    TextVectorization layer = TextVectorization.builder().ngrams(2).build();
    layer.adapt(new String[] {"a b a", "b a"});
    // By hand: unigrams a (3), b (2); bigrams "b a" (2), "a b" (1). Ties at 2: "b a" > "b" (longer byte string).
    assertArrayEquals(new String[] {"", "[UNK]", "a", "b a", "b", "a b"}, layer.getVocabulary());
  }

  @Test
  void encodedOutputModes() {
    Backend.clearSession();
    String[] text = {"a b a z", "c"};
    // By hand: without "int" there is no padding index: slots [UNK], a, b, c. Row 0: z (OOV) once, a twice, b once.
    assertArrayEquals(floats(1, 2, 1, 0, 0, 0, 0, 1), predict(TextVectorization.builder().vocabulary("a", "b", "c")
        .outputMode("count").build(), text));
    assertArrayEquals(floats(1, 1, 1, 0, 0, 0, 0, 1), predict(TextVectorization.builder().vocabulary("a", "b", "c")
        .outputMode("multi_hot").build(), text));
    assertArrayEquals(floats(1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0), predict(TextVectorization.builder()
        .vocabulary("a", "b", "c").outputMode("multi_hot").maxTokens(6).padToMaxTokens(true).build(), text));
    // tf_idf: OOV weighs mean(0.5, 1, 2) = 7/6; row 0 = [1 * 7/6, 2 * 0.5, 1 * 1, 0], row 1 = [0, 0, 0, 2].
    assertArrayEquals(new float[] {7f / 6, 1, 1, 0, 0, 0, 0, 2}, predict(TextVectorization.builder()
        .vocabulary("a", "b", "c").idfWeights(0.5f, 1f, 2f).outputMode("tf_idf").build(), text), 1e-6f);
  }

  @Test
  void modelLearnsFromRawStrings() {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    String[] good = {"great", "fine", "lovely", "superb", "nice"};
    String[] bad = {"awful", "poor", "dreadful", "bad", "grim"};
    String[] filler = {"the", "film", "was", "really", "quite", "a"};
    SplittableRandom r = new SplittableRandom(11);
    int n = 64;
    String[][] x = new String[n][1];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      boolean positive = i % 2 == 0;
      String[] words = positive ? good : bad;
      x[i][0] = filler[r.nextInt(filler.length)] + " " + words[r.nextInt(5)].toUpperCase() + ", "
          + filler[r.nextInt(filler.length)] + " " + words[r.nextInt(5)] + "!";
      y[i] = positive ? 1 : 0;
    }
    TextVectorization vectorizer = TextVectorization.builder().maxTokens(30).outputSequenceLength(6).build();
    vectorizer.adapt(x);
    KerasTensor text = Input.ofStrings(1);
    KerasTensor ids = vectorizer.apply(text);
    KerasTensor h = new GlobalAveragePooling1D().apply(new Embedding(30, 8).apply(ids));
    try (Model model = new Model(text, new Dense(1, "sigmoid").apply(h))) {
      model.compile(new Adam(0.05f), "binary_crossentropy");
      // Shuffled batches and a validation split: string rows are gathered and sliced like numbers.
      History history = model.fit(x, y, new FitOptions().epochs(15).batchSize(16).validationSplit(0.25).verbose(0));
      assertEquals(15, history.get("val_loss").size());
      List<Double> loss = history.get("loss");
      assertTrue(loss.get(loss.size() - 1) < 0.5 * loss.get(0), "loss " + loss);
      float[] p = values(model.predict(new String[][] {{"a really superb film"}, {"quite dreadful, really"}}));
      assertTrue(p[0] > 0.5 && p[1] < 0.5, java.util.Arrays.toString(p));
      double evaluated = model.evaluate(x, y).get("loss");
      assertEquals(loss.get(loss.size() - 1), evaluated, 0.2);
    }
  }

  @Test
  void sequentialWithAStringInputLayer() {
    Backend.clearSession();
    TextVectorization layer = TextVectorization.builder().vocabulary("a", "b").outputMode("multi_hot").build();
    try (Sequential m = new Sequential(new InputLayer("text", KerasTensor.STRING), layer)) {
      // By hand: slots [UNK], a, b.
      assertArrayEquals(floats(0, 1, 1, 1, 0, 1), values(m.predict(new String[] {"b a", "B? z!"})));
      assertThrows(UnsupportedOperationException.class,
          () -> io.github.keras4j.data.Dataset.fromArrays(new String[] {"a"}, new float[] {1}));
    }
  }

  @Test
  void savedModelKeepsTheAdaptedLayer() throws IOException {
    Backend.clearSession();
    TextVectorization layer = TextVectorization.builder().ngrams(2).outputMode("tf_idf").maxTokens(6).build();
    String[] data = {"a b a", "b a", "c"};
    layer.adapt(data);
    KerasTensor in = Input.ofStrings();
    Path file = dir.resolve("text.keras");
    float[] before;
    try (Model m = new Model(in, layer.apply(in))) {
      before = values(m.predict(data));
      m.save(file);
    }
    Backend.clearSession();
    try (Model m = Models.load(file)) {
      TextVectorization loaded = assertInstanceOf(TextVectorization.class, m.layers().get(1));
      assertArrayEquals(layer.getVocabulary(), loaded.getVocabulary());
      assertEquals(layer.getConfig(), loaded.getConfig());
      assertArrayEquals(before, values(m.predict(data)));
      assertThrows(IllegalStateException.class, () -> loaded.adapt(data));
    }
    // By hand: 3 documents; [UNK] + 5 tokens: "b a" (2), "a" (3 total, in 2 docs) ... first slots: [UNK], a.
    assertEquals("a", layer.getVocabulary()[1]);
    assertEquals(3 * 6, before.length);
  }

  @Test
  void exportedSavedModelTakesStrings() throws IOException {
    Backend.clearSession();
    TextVectorization layer = TextVectorization.builder().outputMode("count").build();
    String[] data = {"the cat sat", "The dog, the cat."};
    layer.adapt(data);
    KerasTensor in = Input.ofStrings("text");
    Path saved = dir.resolve("exported");
    float[] expected;
    try (Model m = new Model(in, new Dense(2).apply(layer.apply(in)))) {
      expected = values(m.predict(data));
      m.export(saved, new ExportOptions().verbose(false));
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(saved.toString(), "serve");
        TString feed = TString.vectorOf(data)) {
      try (Result r = bundle.function("serving_default").call(Map.of("text", feed))) {
        TFloat32 out = (TFloat32) r.get(0);
        float[] got = new float[(int) out.size()];
        out.asRawTensor().data().asFloats().read(got);
        assertArrayEquals(expected, got);
      }
    }
  }

  @Test
  void clearErrors() {
    Backend.clearSession();
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> TextVectorization.builder().outputMode("one_hot").build());
    assertTrue(mode.getMessage().contains("output_mode") && mode.getMessage().contains("one_hot"), mode.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TextVectorization.builder().standardize("upper").build());
    assertThrows(IllegalArgumentException.class, () -> TextVectorization.builder().split("comma").build());
    assertThrows(IllegalArgumentException.class, () -> TextVectorization.builder().outputMode("count")
        .outputSequenceLength(3).build());
    TextVectorization layer = TextVectorization.builder().vocabulary("a").build();
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> layer.apply(Input.ofStrings(2)));
    assertTrue(rank.getMessage().contains("(None, 2)"), rank.getMessage());
    IllegalArgumentException numeric = assertThrows(IllegalArgumentException.class, () -> layer.apply(Input.of(1)));
    assertTrue(numeric.getMessage().contains(layer.name()) && numeric.getMessage().contains("Input.ofStrings"),
        numeric.getMessage());
    IllegalStateException none = assertThrows(IllegalStateException.class, () -> {
      KerasTensor in = Input.ofStrings();
      try (Model m = new Model(in, new TextVectorization().apply(in))) {
        m.predict(new String[] {"x"});
      }
    });
    assertTrue(none.getMessage().contains("vocabulary"), none.getMessage());
  }
}
