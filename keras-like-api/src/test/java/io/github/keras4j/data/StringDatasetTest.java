package io.github.keras4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.Embedding;
import io.github.keras4j.layers.pooling.GlobalAveragePooling1D;
import io.github.keras4j.layers.preprocessing.TextVectorization;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Datasets of strings: batching, shuffling, prefetching, and fit/evaluate of an {@code Input.ofStrings} model. */
class StringDatasetTest {

  /** Sample i: the string "s{i}" with target i, so pairs can be checked after shuffling. */
  private static String[] texts(int n) {
    String[] x = new String[n];
    for (int i = 0; i < n; i++) {
      x[i] = "s" + i;
    }
    return x;
  }

  private static float[] ids(int n) {
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = i;
    }
    return y;
  }

  /** The sample ids of one pass, batch by batch, checking each string against its target. */
  private static List<List<Integer>> pass(Dataset d, int epoch) {
    List<List<Integer>> out = new ArrayList<>();
    try (Dataset.Pass p = d.open(epoch)) {
      while (p.hasNext()) {
        Dataset.Batch b = p.next();
        assertTrue(b.x().isStrings());
        assertArrayEquals(new long[] {b.size()}, b.x().shape());
        List<Integer> batch = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
          int id = Math.round(b.y().get(i, 0));
          assertEquals("s" + id, b.x().strings()[i]);
          batch.add(id);
        }
        out.add(batch);
      }
    }
    return out;
  }

  @Test
  void stringBatchesKeepPairsThroughShuffleAndPrefetch() {
    Dataset plain = Dataset.fromStrings(texts(10), ids(10)).batch(4);
    assertEquals(Dataset.STRING, plain.dtype());
    assertEquals(KerasTensor.STRING, plain.dtype());
    assertEquals(KerasTensor.FLOAT32, Dataset.fromArrays(new float[][] {{1}}, new float[] {1}).dtype());
    assertArrayEquals(new long[0], plain.xShape());
    assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9)), pass(plain, 0));

    Dataset shuffled = Dataset.fromStrings(texts(10), ids(10)).shuffle(10, 5).batch(3);
    List<List<Integer>> e0 = pass(shuffled, 0);
    List<Integer> flat = new ArrayList<>();
    e0.forEach(flat::addAll);
    assertEquals(10, flat.size());
    assertEquals(10, flat.stream().distinct().count());
    assertFalse(flat.equals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), "a full-size buffer shuffles: " + flat);
    // Same seed and epoch: the same order, with or without a prefetching thread.
    assertEquals(e0, pass(shuffled.prefetch(2), 0));
    assertFalse(e0.equals(pass(shuffled, 1)), "a new order each epoch");
  }

  @Test
  void stringRowsAndCustomSourcesAndCollectInputs() {
    Dataset rows = Dataset.fromStrings(new String[][] {{"a", "b"}, {"c", "d"}, {"e", "f"}},
        new float[][] {{1, 0}, {0, 1}, {1, 1}}).batch(2);
    assertArrayEquals(new long[] {2}, rows.xShape());
    try (Dataset.Pass p = rows.open(0)) {
      Dataset.Batch b = p.next();
      assertArrayEquals(new long[] {2, 2}, b.x().shape());
      assertArrayEquals(new String[] {"a", "b", "c", "d"}, b.x().strings());
      assertArrayEquals(new float[] {1, 0, 0, 1}, b.y().values());
    }
    ArrayData all = rows.collectInputs();
    assertArrayEquals(new long[] {3, 2}, all.shape());
    assertArrayEquals(new String[] {"a", "b", "c", "d", "e", "f"}, all.strings());

    Dataset custom = Dataset.fromStringSamples("custom", new long[0], null,
        () -> List.of(new Dataset.StringSample(new String[] {"x"}, null),
            new Dataset.StringSample(new String[] {"y"}, null)).iterator());
    assertFalse(custom.hasTargets());
    assertThrows(IllegalStateException.class, custom::yShape);
    try (Dataset.Pass p = custom.open(0)) {
      Dataset.Batch b = p.next();
      assertNull(b.y());
      assertArrayEquals(new String[] {"x", "y"}, b.x().strings());
    }
  }

  @Test
  void badStringDataIsRejected() {
    UnsupportedOperationException arrays = assertThrows(UnsupportedOperationException.class,
        () -> Dataset.fromArrays(new String[] {"a"}, new float[] {1}));
    assertTrue(arrays.getMessage().contains("Dataset.fromStrings"), arrays.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Dataset.fromStrings(new String[] {"a", "b"}, new float[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.fromStrings(new String[] {"a"}, new String[] {"not a target"}));
    assertThrows(IllegalArgumentException.class, () -> Dataset.fromStrings(new String[] {"a", null}, ids(2)));
    Dataset wrongSize = Dataset.fromStringSamples("bad", new long[] {2}, new long[0],
        () -> List.of(new Dataset.StringSample(new String[] {"only one"}, new float[] {0})).iterator());
    try (Dataset.Pass p = wrongSize.open(0)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::next);
      assertTrue(e.getMessage().contains("'bad'") && e.getMessage().contains("(2,)"), e.getMessage());
    }
    Dataset nullString = Dataset.fromStringSamples("nulls", new long[0], new long[0],
        () -> List.of(new Dataset.StringSample(new String[] {null}, new float[] {0})).iterator());
    try (Dataset.Pass p = nullString.open(0)) {
      assertThrows(IllegalArgumentException.class, p::next);
    }
  }

  /** 48 two-word reviews, alternately positive (even i) and negative. */
  private static String[] reviews(List<Float> labels) {
    String[] good = {"great", "fine", "lovely", "superb"};
    String[] bad = {"awful", "poor", "dreadful", "grim"};
    String[] filler = {"the", "film", "was", "quite"};
    SplittableRandom r = new SplittableRandom(11);
    String[] x = new String[48];
    for (int i = 0; i < x.length; i++) {
      boolean positive = i % 2 == 0;
      x[i] = filler[r.nextInt(4)] + " " + (positive ? good : bad)[r.nextInt(4)] + " " + filler[r.nextInt(4)];
      labels.add(positive ? 1f : 0f);
    }
    return x;
  }

  @Test
  void aStringModelTrainsFromAShuffledBatchedPrefetchedDataset() {
    Backend.clearSession();
    Backend.setRandomSeed(5);
    List<Float> labelList = new ArrayList<>();
    String[] x = reviews(labelList);
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labelList.get(i);
    }
    Dataset train = Dataset.fromStrings(x, y).shuffle(48, 3).batch(8).prefetch(2);
    TextVectorization vectorizer = TextVectorization.builder().maxTokens(20).outputSequenceLength(3).build();
    vectorizer.adapt(train.collectInputs());
    KerasTensor text = Input.ofStrings();
    KerasTensor h = new GlobalAveragePooling1D().apply(new Embedding(20, 8).apply(vectorizer.apply(text)));
    try (Model model = new Model(text, new Dense(1, "sigmoid").apply(h))) {
      model.compile(new Adam(0.05f), "binary_crossentropy", "accuracy");
      History history = model.fit(train, new FitOptions().epochs(10).verbose(0)
          .validationData(Dataset.fromStrings(x, y).batch(16), null));
      List<Double> loss = history.get("loss");
      assertEquals(10, loss.size());
      assertEquals(10, history.get("val_loss").size());
      assertTrue(loss.get(9) < 0.5 * loss.get(0), "loss " + loss);
      // The same samples given as a dataset (batches of 8, unshuffled order irrelevant) and as arrays (batches of
      // 32): the loss and accuracy are means over all 48 samples, equal up to float rounding.
      Map<String, Double> fromDataset = model.evaluate(Dataset.fromStrings(x, y).shuffle(48, 1).batch(8));
      Map<String, Double> fromArrays = model.evaluate(x, y);
      assertEquals(fromArrays.get("loss"), fromDataset.get("loss"), 1e-5);
      assertEquals(fromArrays.get("accuracy"), fromDataset.get("accuracy"), 1e-9);
      assertEquals(1.0, fromArrays.get("accuracy"), 1e-9);
    }
  }

  @Test
  void aDatasetOfTheWrongDtypeIsRefusedNamingTheInput() {
    Backend.clearSession();
    TextVectorization vectorizer = TextVectorization.builder().vocabulary("a", "b").outputMode("multi_hot").build();
    KerasTensor text = Input.ofStrings("review");
    try (Model strings = new Model(text, new Dense(1).apply(vectorizer.apply(text)))) {
      strings.compile(new Adam(0.01f), "mse");
      Dataset floats = Dataset.fromArrays(new float[][] {{1}, {2}}, new float[] {1, 2});
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> strings.fit(floats, new FitOptions().verbose(0)));
      assertTrue(e.getMessage().contains("'review'") && e.getMessage().contains("expects dtype string")
          && e.getMessage().contains("dtype float32") && e.getMessage().contains("Dataset.fromStrings"),
          e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> strings.evaluate(floats));
      Dataset unlabeled = Dataset.fromStringSamples("unlabeled", new long[0], null,
          () -> List.<Dataset.StringSample>of().iterator());
      IllegalArgumentException noTargets = assertThrows(IllegalArgumentException.class,
          () -> strings.evaluate(unlabeled));
      assertTrue(noTargets.getMessage().contains("no targets"), noTargets.getMessage());
    }
    KerasTensor numbers = Input.of("numbers", 1);
    try (Model floats = new Model(numbers, new Dense(1).apply(numbers))) {
      floats.compile(new Adam(0.01f), "mse");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> floats.evaluate(Dataset.fromStrings(new String[] {"a"}, new float[] {1})));
      assertTrue(e.getMessage().contains("'numbers'") && e.getMessage().contains("expects dtype float32")
          && e.getMessage().contains("dtype string") && e.getMessage().contains("Input.ofStrings"), e.getMessage());
    }
  }
}
