package io.github.keras4j.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing, truncated, corrupt or mismatched model file gives an exception naming the file and what is wrong;
 * a model that could not be loaded again is refused when saving, leaving no file behind.
 */
class ModelFileFaultsTest {

  @TempDir
  Path dir;

  private Path good;

  private static Sequential mlp(int hidden) {
    return new Sequential(new InputLayer(3), new Dense(hidden, "relu"), new Dense(2));
  }

  @BeforeEach
  void saveAModel() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(1);
    good = dir.resolve("good.keras");
    try (Sequential m = mlp(64)) {
      m.save(good);
    }
  }

  /** The archive's entries, in order. */
  private static Map<String, byte[]> entries(Path zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
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

  /** Writes a zip of the given entries: a well-formed archive with whatever contents the test wants. */
  private static Path pack(Path file, Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    Files.write(file, bytes.toByteArray());
    return file;
  }

  private static <T extends Throwable> T assertMessage(Class<T> type, Path file, ThrowingRunnable load,
      String... parts) {
    T e = assertThrows(type, load::run);
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
    return e;
  }

  /** A load call. */
  @FunctionalInterface
  interface ThrowingRunnable {
    /** Runs it. */
    void run() throws Exception;
  }

  @Test
  void theGoodFileLoads() throws IOException {
    try (Model m = Models.load(good)) {
      assertEquals(2, m.layers().size());
    }
  }

  @Test
  void missingFileAndFolder() {
    Path missing = dir.resolve("nothing.keras");
    assertMessage(NoSuchFileException.class, missing, () -> Models.load(missing));
    Path noFolder = dir.resolve("no/such/folder/m.keras");
    try (Sequential m = mlp(2)) {
      NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> m.save(noFolder));
      assertTrue(e.getMessage().contains(noFolder.getParent().toString()) && e.getMessage().contains("does not exist"),
          e.getMessage());
    }
    assertMessage(java.io.IOException.class, dir, () -> Models.load(dir), "is a folder");
  }

  @Test
  void truncatedFile() throws IOException {
    byte[] bytes = Files.readAllBytes(good);
    for (int length : new int[] {0, 10, bytes.length / 2, bytes.length - 1}) {
      Path cut = Files.write(dir.resolve("cut" + length + ".keras"), Arrays.copyOf(bytes, length));
      assertMessage(IOException.class, cut, () -> Models.load(cut), "not a complete Keras4J model file");
    }
  }

  @Test
  void corruptBytesInTheWeights() throws IOException {
    byte[] bytes = Files.readAllBytes(good);
    // The weights are most of the file (64 x 3 + 64 x 2 floats, barely compressible): flip bytes in its middle.
    for (int offset : new int[] {bytes.length / 2, bytes.length / 3, (int) (bytes.length * 0.7)}) {
      byte[] bad = bytes.clone();
      bad[offset] ^= 0x5A;
      Path file = Files.write(dir.resolve("flip" + offset + ".keras"), bad);
      assertMessage(IOException.class, file, () -> Models.load(file), "corrupt");
    }
    // A well-formed archive whose HDF5 weights were changed before zipping: the superblock's checksum. (HDF5, as
    // Keras writes it, has no checksum over the data itself; the archive's CRC-32 covers it.)
    Map<String, byte[]> entries = entries(good);
    byte[] weights = entries.get("model.weights.h5");
    weights[30] ^= 1;
    Path file = pack(dir.resolve("bad_weights.keras"), entries);
    assertMessage(IOException.class, file, () -> Models.load(file), "Weights entry 'model.weights.h5'",
        "not a readable HDF5 file");
    // Not HDF5 at all.
    entries.put("model.weights.h5", "hello".getBytes(StandardCharsets.UTF_8));
    Path text = pack(dir.resolve("text_weights.keras"), entries);
    assertMessage(IOException.class, text, () -> Models.load(text), "Weights entry 'model.weights.h5'",
        "is not an HDF5 file");
  }

  @Test
  void notAModelFile() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.keras"), "hello");
    assertMessage(IOException.class, text, () -> Models.load(text), "not a complete Keras4J model file");
    Map<String, byte[]> entries = entries(good);
    entries.remove("model.weights.h5");
    Path noWeights = pack(dir.resolve("no_weights.keras"), entries);
    assertMessage(IOException.class, noWeights, () -> Models.load(noWeights), "has no entry 'model.weights.h5'");
  }

  @Test
  void invalidConfigJson() throws IOException {
    Map<String, byte[]> entries = entries(good);
    byte[] config = entries.get("config.json");
    entries.put("config.json", Arrays.copyOf(config, config.length / 2));
    Path file = pack(dir.resolve("half_config.keras"), entries);
    assertMessage(IOException.class, file, () -> Models.load(file), "is corrupt", "Invalid JSON in entry "
        + "'config.json'");
  }

  @Test
  void weightsOfAnotherArchitecture() throws IOException {
    Path other = dir.resolve("other.keras");
    try (Sequential m = mlp(5)) {
      m.save(other);
    }
    Map<String, byte[]> entries = entries(good);
    entries.put("model.weights.h5", entries(other).get("model.weights.h5"));
    Path file = pack(dir.resolve("mixed.keras"), entries);
    assertMessage(IllegalArgumentException.class, file, () -> Models.load(file),
        "layer dense: expected kernel (3, 64), file has (3, 5) (layers/dense/vars/0");
    // The same check through loadWeights: a weights file for other shapes.
    Path weights = dir.resolve("five.weights.bin");
    try (Sequential five = mlp(5); Sequential wide = mlp(64)) {
      five.saveWeights(weights);
      assertMessage(IllegalArgumentException.class, weights, () -> wide.loadWeights(weights),
          "weight 'dense/kernel'", "expected shape (3, 64), found (3, 5)");
      // And in Keras's format.
      Path h5 = dir.resolve("five.weights.h5");
      five.saveWeights(h5);
      assertMessage(IllegalArgumentException.class, h5, () -> wide.loadWeights(h5),
          "layer dense: expected kernel (3, 64), file has (3, 5)");
    }
  }

  @Test
  void unknownClassNamesSayHowToRegister() throws IOException {
    Map<String, byte[]> entries = entries(good);
    String config = new String(entries.get("config.json"), StandardCharsets.UTF_8);
    entries.put("config.json", config.replaceFirst("\"GlorotUniform\"", "\"FancyInit\"")
        .getBytes(StandardCharsets.UTF_8));
    Path file = pack(dir.resolve("fancy_init.keras"), entries);
    assertMessage(IllegalArgumentException.class, file, () -> Models.load(file), "layer 'dense' (Dense)",
        "kernel_initializer", "Unknown initializer class 'FancyInit'");
    entries.put("config.json", config.replaceFirst("\"Dense\"", "\"Densest\"").getBytes(StandardCharsets.UTF_8));
    Path layer = pack(dir.resolve("densest.keras"), entries);
    assertMessage(IllegalArgumentException.class, layer, () -> Models.load(layer), "Unknown layer class 'Densest'",
        "CustomObjects().layer(\"Densest\"");
  }

  @Test
  void newerFormatVersionIsRefused() throws IOException {
    Map<String, byte[]> entries = entries(good);
    entries.put("metadata.json", "{\"format_version\": 7}".getBytes(StandardCharsets.UTF_8));
    Path file = pack(dir.resolve("future.keras"), entries);
    assertMessage(IOException.class, file, () -> Models.load(file), "format version 7");
  }

  @Test
  void modelsThatCouldNotBeLoadedAreRefusedAndLeaveNoFile() throws IOException {
    byte[] before = Files.readAllBytes(good);
    try (Sequential fn = new Sequential(new InputLayer(3), Dense.builder(2).activation((tf, x) -> x).build())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fn.save(good));
      assertTrue(e.getMessage().contains("(Dense) has its activation given as a Java function"),
          e.getMessage());
    }
    try (Sequential lambda = new Sequential(new InputLayer(3), Dense.builder(2)
        .kernelRegularizer((tf, x) -> tf.reduceSum(x, tf.constant(new int[] {0, 1}))).build())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lambda.save(good));
      assertTrue(e.getMessage().contains("its kernel_regularizer is an instance of")
          && e.getMessage().contains("lambda"), e.getMessage());
    }
    try (Sequential m = mlp(2)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.save(dir.resolve("m.h5")));
      assertTrue(e.getMessage().contains("must end in `.keras`"), e.getMessage());
    }
    // The existing file is untouched, and no temporary file is left.
    assertArrayEquals(before, Files.readAllBytes(good));
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertEquals(List.of("good.keras"), names);
    }
    assertFalse(Files.exists(dir.resolve("m.h5")));
  }
}
