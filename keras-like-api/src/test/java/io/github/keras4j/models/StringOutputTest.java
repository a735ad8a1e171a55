package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.export.ExportOptions;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.preprocessing.StringLookup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * {@link Model#predictStrings}: a model whose output is a string tensor (an inverting {@link StringLookup}), the
 * refusals of predict and predictStrings, and the SavedModel export of a string output. Expected strings are read off
 * the vocabulary by hand: the inverse of index i is entry i of {@code getVocabulary()} (mask token, OOV token, then the
 * tokens), and any index outside it is the OOV token, as Keras's inverse table's default value.
 */
class StringOutputTest {

  @TempDir
  Path dir;

  /** Vocabulary ["", "[UNK]", "a", "b", "c"]: 0 is the mask token "", 1 the OOV token, a=2, b=3, c=4. */
  private static StringLookup inverseWithMask(String name) {
    return StringLookup.builder().vocabulary("a", "b", "c").maskToken("").invert(true).name(name).build();
  }

  @Test
  void invertedLookupPredictsStrings() {
    Backend.clearSession();
    KerasTensor ids = Input.of(4);
    StringLookup inverse = inverseWithMask("inverse");
    assertArrayEquals(new String[] {"", "[UNK]", "a", "b", "c"}, inverse.getVocabulary());
    try (Model m = new Model(ids, inverse.apply(ids))) {
      assertEquals(KerasTensor.STRING, m.outputs().get(0).dtype());
      // 0 -> mask "", 1 -> OOV slot "[UNK]", 2..4 -> a, b, c; 7 and -1 are outside the vocabulary -> "[UNK]".
      String[][] got = m.predictStrings(new float[][] {{2, 0, 1, 4}, {7, -1, 3, 2}, {4, 4, 0, 3}}, 2);
      assertArrayEquals(new String[][] {{"a", "", "[UNK]", "c"}, {"[UNK]", "[UNK]", "b", "a"}, {"c", "c", "", "b"}},
          got);
    }
  }

  @Test
  void rankOneStringOutputAndStringsInStringsOut() {
    Backend.clearSession();
    // Rank-1 output (batch,): one-string rows, and predictStringArray keeps the shape (3,).
    KerasTensor ids = Input.of();
    try (Model m = new Model(ids, StringLookup.builder().vocabulary("x", "y").invert(true).build().apply(ids))) {
      // Vocabulary ["[UNK]", "x", "y"]: 2 -> y, 0 -> [UNK], 1 -> x.
      assertArrayEquals(new String[][] {{"y"}, {"[UNK]"}, {"x"}}, m.predictStrings(new float[] {2, 0, 1}));
      NdArray<String> array = m.predictStringArray(new float[] {2, 0, 1}, 32);
      assertEquals(Shape.of(3), array.shape());
      assertEquals("y", array.getObject(0));
    }
    // Strings in, strings out: lookup then inverse maps every known token to itself and an unknown one to [UNK].
    Backend.clearSession();
    KerasTensor text = Input.ofStrings(3);
    KerasTensor index = StringLookup.builder().vocabulary("a", "b", "c").build().apply(text);
    try (Model m = new Model(text, StringLookup.builder().vocabulary("a", "b", "c").invert(true).build()
        .apply(index))) {
      assertArrayEquals(new String[][] {{"c", "[UNK]", "a"}}, m.predictStrings(new String[][] {{"c", "zz", "a"}}));
    }
  }

  @Test
  void predictRefusesAStringOutputAndPredictStringsANumericOne() {
    Backend.clearSession();
    KerasTensor ids = Input.of(2);
    try (Model m = new Model(ids, inverseWithMask("words").apply(ids))) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> m.predict(new float[][] {{1, 2}}));
      assertTrue(e.getMessage().contains("predict(): output 0 of model '" + m.name() + "' (layer 'words') has dtype "
          + "string") && e.getMessage().contains("predictStrings(x)"), e.getMessage());
      assertThrows(UnsupportedOperationException.class, () -> m.predictOutputs(new float[][] {{1, 2}}, 32));
      m.compile("sgd", "mse");
      UnsupportedOperationException fit = assertThrows(UnsupportedOperationException.class,
          () -> m.fit(new float[][] {{1, 2}}, new float[][] {{1, 2}}));
      assertTrue(fit.getMessage().contains("fit(): output 0") && fit.getMessage().contains("dtype string"),
          fit.getMessage());
    }
    Backend.clearSession();
    KerasTensor x = Input.of(2);
    try (Model m = new Model(x, new Dense(1, null).apply(x))) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> m.predictStrings(new float[][] {{1, 2}}));
      assertTrue(e.getMessage().contains("has dtype float32") && e.getMessage().contains("Call predict()"),
          e.getMessage());
    }
  }

  @Test
  void exportedStringOutputReloadsWithTheSameStrings() throws IOException {
    Backend.clearSession();
    KerasTensor ids = Input.of("ids", 4);
    float[][] data = {{2, 0, 1, 4}, {7, -1, 3, 2}};
    String[][] expected;
    Path saved = dir.resolve("inverse");
    try (Model m = new Model(ids, inverseWithMask("words").apply(ids))) {
      expected = m.predictStrings(data);
      m.export(saved, new ExportOptions().verbose(false));
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(saved.toString(), "serve");
        TFloat32 feed = TFloat32.tensorOf(StdArrays.ndCopyOf(data))) {
      assertEquals(DataType.DT_STRING,
          bundle.function("serving_default").signature().getOutputs().get("words").dataType);
      try (Result r = bundle.function("serving_default").call(Map.of("ids", feed))) {
        TString out = (TString) r.get("words").orElseThrow();
        assertEquals(Shape.of(2, 4), out.shape());
        String[][] got = new String[2][4];
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 4; j++) {
            got[i][j] = out.getObject(i, j);
          }
        }
        assertArrayEquals(new String[][] {{"a", "", "[UNK]", "c"}, {"[UNK]", "[UNK]", "b", "a"}}, expected);
        assertArrayEquals(expected, got);
      }
    }
  }
}
