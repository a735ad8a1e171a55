package io.github.keras4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.preprocessing.TextVectorization;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDatasetsTest {

  @TempDir
  Path dir;

  private Path write(String relative, String text) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** Every batch of one pass: texts and targets (flattened), in order. */
  private record Read(List<String> texts, List<float[]> targets, List<long[]> targetShapes) {}

  private static Read read(Dataset d) {
    List<String> texts = new ArrayList<>();
    List<float[]> targets = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    try (Dataset.Pass p = d.open(0)) {
      while (p.hasNext()) {
        Dataset.Batch b = p.next();
        texts.addAll(List.of(b.x().strings()));
        if (b.y() != null) {
          targets.add(b.y().values());
          shapes.add(b.y().shape());
        }
      }
    }
    return new Read(texts, targets, shapes);
  }

  private static TextDatasets.Options quiet() {
    return new TextDatasets.Options().verbose(false);
  }

  @Test
  void classFoldersGiveLabelsInAlphanumericOrderAndFilesInWalkOrder() throws IOException {
    write("neg/b.txt", "bad film");
    write("neg/a.TXT", "awful");
    write("neg/sub/c.txt", "dreadful");
    write("neg/notes.md", "not a text file");
    write("pos/x.txt", "great");
    write(".hidden/z.txt", "hidden class folder");
    write("root.txt", "outside every class");
    Dataset d = TextDatasets.textDatasetFromDirectory(dir, quiet().shuffle(false).batchSize(3));
    assertEquals(List.of("neg", "pos"), d.classNames());
    assertEquals(Dataset.STRING, d.dtype());
    assertArrayEquals(new long[0], d.xShape());
    Read r = read(d);
    // os.walk order: neg's own files by name (a.TXT before b.txt), then neg/sub, then pos.
    assertEquals(List.of("awful", "bad film", "dreadful", "great"), r.texts());
    assertArrayEquals(new float[] {0, 0, 0}, r.targets().get(0));
    assertArrayEquals(new float[] {1}, r.targets().get(1));
    assertArrayEquals(new long[] {3}, r.targetShapes().get(0));

    // Explicit class order: pos becomes class 0 and comes first; a subset of the folders may be given.
    Read swapped = read(TextDatasets.textDatasetFromDirectory(dir, quiet().shuffle(false).classNames("pos", "neg")));
    assertEquals(List.of("great", "awful", "bad film", "dreadful"), swapped.texts());
    assertArrayEquals(new float[] {0, 1, 1, 1}, swapped.targets().get(0));
    assertEquals(List.of("great"), read(TextDatasets.textDatasetFromDirectory(dir,
        quiet().shuffle(false).classNames("pos"))).texts());
  }

  @Test
  void labelModesEncodeTheClassIndex() throws IOException {
    write("a/1.txt", "one");
    write("b/2.txt", "two");
    write("c/3.txt", "three");
    Read categorical = read(TextDatasets.textDatasetFromDirectory(dir, quiet().shuffle(false)
        .labelMode("categorical")));
    assertArrayEquals(new long[] {3, 3}, categorical.targetShapes().get(0));
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, categorical.targets().get(0));

    Dataset none = TextDatasets.textDatasetFromDirectory(dir, quiet().shuffle(false).labelMode(null));
    assertFalse(none.hasTargets());
    assertEquals(List.of(), none.classNames());
    assertTrue(read(none).targets().isEmpty());
    assertArrayEquals(new String[] {"one", "two", "three"}, none.collectInputs().strings());

    Files.delete(dir.resolve("c/3.txt"));
    Files.delete(dir.resolve("c"));
    Read binary = read(TextDatasets.textDatasetFromDirectory(dir, quiet().shuffle(false).labelMode("binary")));
    assertArrayEquals(new long[] {2, 1}, binary.targetShapes().get(0));
    assertArrayEquals(new float[] {0, 1}, binary.targets().get(0));

    // Explicit labels, one per file in path order (the folders are ignored); class names are the sorted labels.
    Dataset explicit = TextDatasets.textDatasetFromDirectory(dir, quiet().shuffle(false).labels(7, 3));
    assertEquals(List.of("3", "7"), explicit.classNames());
    assertArrayEquals(new float[] {7, 3}, read(explicit).targets().get(0));
  }

  @Test
  void aSeededSplitIsKerassAndDisjoint() throws IOException {
    for (int i = 0; i < 5; i++) {
      write("neg/n" + i + ".txt", "n" + i);
      write("pos/p" + i + ".txt", "p" + i);
    }
    TextDatasets.Options options = quiet().validationSplit(0.3).seed(42).batchSize(4);
    List<Dataset> both = TextDatasets.textDatasetsFromDirectory(dir, options.subset("both"));
    Read train = read(both.get(0));
    Read val = read(both.get(1));
    assertEquals(7, train.texts().size());
    assertEquals(3, val.texts().size());
    Set<String> all = new HashSet<>(train.texts());
    all.addAll(val.texts());
    assertEquals(10, all.size());
    // Keras with seed 42: np.random.RandomState(42).shuffle(sorted paths) puts neg/n4, neg/n3, pos/p1 last (the
    // validation files), unshuffled afterwards in "both" mode.
    assertEquals(List.of("n4", "n3", "p1"), val.texts());
    assertEquals(1f, val.targets().get(0)[2]);
    assertEquals(List.of("neg", "pos"), both.get(1).classNames());
    // One subset at a time: the same files (the training set shuffled again per epoch by its buffer).
    Dataset trainOnly = TextDatasets.textDatasetFromDirectory(dir, options.subset("training"));
    assertEquals(new HashSet<>(train.texts()), new HashSet<>(read(trainOnly).texts()));
    assertEquals(new HashSet<>(val.texts()), new HashSet<>(read(TextDatasets.textDatasetFromDirectory(dir,
        options.subset("validation"))).texts()));
    // Texts and labels stay paired through both shuffles: label 1 exactly for the "p" texts.
    Read t = read(trainOnly);
    float[] labels = new float[7];
    int k = 0;
    for (float[] batch : t.targets()) {
      for (float v : batch) {
        labels[k++] = v;
      }
    }
    for (int i = 0; i < 7; i++) {
      assertEquals(t.texts().get(i).startsWith("p") ? 1f : 0f, labels[i], t.texts().get(i));
    }
    // Another seed, another split.
    assertNotEquals(val.texts(), read(TextDatasets.textDatasetsFromDirectory(dir, quiet().validationSplit(0.3)
        .seed(7).subset("both")).get(1)).texts());
  }

  @Test
  void maxLengthTruncatesUtf8BytesWithoutCuttingACharacter() throws IOException {
    write("c/a.txt", "hello world");
    write("c/b.txt", "h\u00e9llo"); // é is two bytes in UTF-8
    Function<Integer, List<String>> texts = n -> read(TextDatasets.textDatasetFromDirectory(dir,
        quiet().shuffle(false).maxLength(n))).texts();
    // "h\u00e9llo" is h (1 byte), \u00e9 (2 bytes), l, l, o: 6 bytes.
    assertEquals(List.of("hello", "h\u00e9ll"), texts.apply(5));
    assertEquals(List.of("hel", "h\u00e9"), texts.apply(3));
    assertEquals(List.of("he", "h"), texts.apply(2)); // the cut falls inside \u00e9: it is dropped
    assertEquals(List.of("hello world", "h\u00e9llo"), texts.apply(100));
    assertEquals(List.of("", ""), texts.apply(0));
  }

  @Test
  void linksToDirectoriesAreWalkedOnlyWithFollowLinks() throws IOException {
    write("c/own.txt", "own");
    Path elsewhere = Files.createTempDirectory(dir, "elsewhere");
    Files.writeString(elsewhere.resolve("linked.txt"), "linked");
    try {
      Files.createSymbolicLink(dir.resolve("c/link"), elsewhere);
    } catch (UnsupportedOperationException | IOException e) {
      Assumptions.abort("symbolic links are not supported here: " + e);
    }
    TextDatasets.Options o = quiet().shuffle(false).classNames("c");
    assertEquals(List.of("own"), read(TextDatasets.textDatasetFromDirectory(dir, o)).texts());
    assertEquals(List.of("own", "linked"), read(TextDatasets.textDatasetFromDirectory(dir, o.followLinks(true)))
        .texts());
  }

  @Test
  void aModelTrainsOnTheDirectory() throws IOException {
    String[] good = {"great", "fine", "lovely"};
    String[] bad = {"awful", "poor", "grim"};
    for (int i = 0; i < 12; i++) {
      write("neg/" + i + ".txt", "a " + bad[i % 3] + " film");
      write("pos/" + i + ".txt", "a " + good[i % 3] + " film");
    }
    Backend.clearSession();
    Backend.setRandomSeed(2);
    List<Dataset> both = TextDatasets.textDatasetsFromDirectory(dir, quiet().labelMode("binary").batchSize(8)
        .validationSplit(0.25).seed(3).subset("both"));
    TextVectorization v = TextVectorization.builder().outputMode("multi_hot").build();
    v.adapt(both.get(0).collectInputs());
    KerasTensor text = Input.ofStrings();
    try (Model model = new Model(text, new Dense(1, "sigmoid").apply(v.apply(text)))) {
      model.compile(new Adam(0.1f), "binary_crossentropy", "accuracy");
      History h = model.fit(both.get(0), new FitOptions().epochs(8).verbose(0).validationData(both.get(1), null));
      List<Double> loss = h.get("loss");
      assertTrue(loss.get(7) < 0.5 * loss.get(0), "loss " + loss);
      assertEquals(1.0, h.get("val_accuracy").get(7), 1e-9);
    }
  }

  @Test
  void badArgumentsAreRejectedAsKerasDoes() throws IOException {
    write("a/1.txt", "one");
    write("b/2.txt", "two");
    write("c/3.txt", "three");
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().labelMode("sparse")));
    assertTrue(mode.getMessage().contains("labelMode=sparse"), mode.getMessage());
    IllegalArgumentException binary = assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().labelMode("binary")));
    assertTrue(binary.getMessage().contains("exactly 2") && binary.getMessage().contains("[a, b, c]"),
        binary.getMessage());
    IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().classNames("a", "z")));
    assertTrue(names.getMessage().contains("[a, b, c]") && names.getMessage().contains("[a, z]"), names.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().validationSplit(0.2).seed(1)));
    assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().subset("training")));
    IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().validationSplit(0.2).subset("training")));
    assertTrue(seed.getMessage().contains("seed"), seed.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().validationSplit(1.5).subset("training").seed(1)));
    assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().validationSplit(0.5).subset("test").seed(1)));
    assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().validationSplit(0.5).subset("both").seed(1)));
    assertThrows(IllegalArgumentException.class, () -> TextDatasets.textDatasetsFromDirectory(dir, quiet()));
    assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().labels(0, 1).classNames("a")));
    assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().labelMode(null).classNames("a")));
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().labels(0, 1)));
    assertTrue(count.getMessage().contains("len(labels) is 2 while we found 3 files"), count.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TextDatasets.textDatasetFromDirectory(dir, quiet().batchSize(0)));
    assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir, quiet().seed(-1L)));
    // A validation split too small to leave a validation file.
    IllegalArgumentException noVal = assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetsFromDirectory(dir, quiet().validationSplit(0.1).seed(1).subset("both")));
    assertTrue(noVal.getMessage().startsWith("No validation text files"), noVal.getMessage());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> TextDatasets.textDatasetFromDirectory(empty, quiet()));
    assertTrue(none.getMessage().contains("No text files found in directory"), none.getMessage());
    assertThrows(UncheckedIOException.class,
        () -> TextDatasets.textDatasetFromDirectory(dir.resolve("missing"), quiet()));
  }
}
