package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;

class WeightsFileTest {

  @TempDir
  Path dir;

  private static final float[][] X = LayerChecks.randomMatrix(64, 3, 11);
  private static final float[] Y = ModelTrainingTest.labels(X);

  private static Sequential mlp() {
    return new Sequential(new InputLayer(3), new Dense(4, "tanh"), new Dense(1, "sigmoid"));
  }

  private static float[] predictions(Model m) {
    FloatNdArray p = m.predict(X);
    float[] out = new float[(int) p.size()];
    p.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false));
    return out;
  }

  private static int[] bits(float[] values) {
    int[] b = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = Float.floatToRawIntBits(values[i]);
    }
    return b;
  }

  @Test
  void freshModelOfTheSameArchitecturePredictsBitIdentically() throws IOException {
    Backend.setRandomSeed(3);
    Path file = dir.resolve("mlp.weights.bin");
    float[] expected;
    try (Sequential a = mlp()) {
      a.compile(new Adam(0.05f), "binary_crossentropy");
      a.fit(X, Y, new FitOptions().epochs(3).batchSize(16).verbose(0));
      expected = predictions(a);
      a.saveWeights(file);
    }
    Backend.clearSession(); // the fresh model in a new graph, as in a new program
    new Dense(1);
    new Dense(1); // so that the fresh model's layers get other runtime names: dense_2, dense_3
    try (Sequential b = mlp()) {
      // The fresh model's layers have other runtime names, and other initial weights.
      assertNotEquals("dense", b.layers().get(0).name());
      assertNotEquals(Arrays.toString(bits(expected)), Arrays.toString(bits(predictions(b))));
      b.loadWeights(file);
      assertArrayEquals(bits(expected), bits(predictions(b)));
    }
  }

  @Test
  void optimizerStateRoundTripsSoTrainingContinuesIdentically() throws IOException {
    Backend.setRandomSeed(4);
    Path file = dir.resolve("adam.weights.bin");
    FitOptions oneEpoch = new FitOptions().epochs(1).batchSize(16).shuffle(false).verbose(0);
    float[] continued;
    try (Sequential a = mlp()) {
      a.compile(new Adam(0.05f), "binary_crossentropy");
      a.fit(X, Y, oneEpoch);
      a.saveWeights(file);
      a.fit(X, Y, oneEpoch);
      continued = predictions(a);
    }
    WeightsFile.Contents c = WeightsFile.read(file);
    // Adam: learning_rate and iterations scalars, m and v per weight, named by structure.
    List<String> names = new ArrayList<>();
    c.optimizer().forEach(e -> names.add(e.weight()));
    assertTrue(names.contains("learning_rate"), names.toString());
    assertTrue(names.contains("dense/kernel/m"), names.toString());
    assertTrue(names.contains("dense_1/bias/v"), names.toString());
    Backend.clearSession(); // the fresh model in a new graph, as in a new program
    try (Sequential b = mlp()) {
      b.compile(new Adam(0.05f), "binary_crossentropy");
      b.fit(X, Y, new FitOptions().epochs(0).verbose(0)); // builds the training step and the optimizer slots
      b.loadWeights(file);
      b.fit(X, Y, oneEpoch);
      assertArrayEquals(bits(continued), bits(predictions(b)));
    }
  }

  @Test
  void optimizerStateIsSkippedWithKerasWarningWhenTheOptimizerHasNotTrained() throws IOException {
    Backend.setRandomSeed(5);
    Path file = dir.resolve("w.weights.bin");
    float[] expected;
    try (Sequential a = mlp()) {
      a.compile(new Adam(0.05f), "binary_crossentropy");
      a.fit(X, Y, new FitOptions().epochs(1).verbose(0));
      expected = predictions(a);
      a.saveWeights(file);
    }
    List<String> warnings = new ArrayList<>();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        warnings.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(WeightsFile.class.getName());
    log.addHandler(h);
    Backend.clearSession(); // the fresh model in a new graph, as in a new program
    try (Sequential b = mlp()) {
      b.compile(new Adam(0.05f), "binary_crossentropy");
      b.loadWeights(file);
      assertArrayEquals(bits(expected), bits(predictions(b)));
    } finally {
      log.removeHandler(h);
    }
    assertEquals(1, warnings.size());
    // Adam's learning rate + 2 slots (m, v) x 4 weights = 9 float variables in the file (the step counter is
    // stored apart, as an int64).
    // The optimizer's name is unique per session: adam, adam_1, ...
    assertTrue(warnings.get(0).matches("Skipping variable loading for optimizer 'adam(_\\d+)?', because it has 0 "
        + "variables whereas the saved optimizer has 9 variables\\. \\(.*w\\.weights\\.bin\\)"), warnings.get(0));
  }

  @Test
  void fileLayoutIsTheDocumentedOne() throws IOException {
    Path file = dir.resolve("layout.weights.bin");
    FloatNdArray v = StdArrays.ndCopyOf(new float[][] {{1f, -2f}});
    WeightsFile.write(file, new WeightsFile.Contents(List.of(new WeightsFile.Entry("dense", "kernel", v)), "", 0,
        List.of(), List.of(new WeightsFile.Scalar("lso/step_counter", 3))));
    byte[] b = Files.readAllBytes(file);
    // Expected bytes written out by hand from the format in WeightsFile's Javadoc.
    ByteBuffer e = ByteBuffer.allocate(b.length).order(ByteOrder.LITTLE_ENDIAN);
    e.put(new byte[] {'K', '4', 'J', 'W', 0x0D, 0x0A, 0x1A, 0x0A}).putInt(2).putInt(1);
    e.putInt(5).put("dense".getBytes()).putInt(6).put("kernel".getBytes());
    e.putInt(2).putLong(1).putLong(2).putFloat(1f).putFloat(-2f);
    e.putInt(0).putLong(0).putInt(0); // no optimizer: empty name, step counter 0, 0 entries
    e.putInt(1).putInt(16).put("lso/step_counter".getBytes()).putDouble(3.0); // 1 state scalar
    CRC32 crc = new CRC32();
    crc.update(e.array(), 0, e.position());
    e.putInt((int) crc.getValue());
    assertEquals(e.capacity(), e.position());
    assertArrayEquals(e.array(), b);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void overwritingReplacesTheWholeFile() throws IOException {
    Path file = dir.resolve("o.weights.bin");
    Files.write(file, new byte[100_000]);
    FloatNdArray v = NdArrays.scalarOf(3f);
    WeightsFile.write(file, new WeightsFile.Contents(List.of(new WeightsFile.Entry("a", "b", v)), "", 0, List.of()));
    WeightsFile.Contents c = WeightsFile.read(file);
    assertEquals(1, c.weights().size());
    assertEquals(Shape.scalar(), c.weights().get(0).value().shape());
    assertEquals(3f, c.weights().get(0).value().getFloat());
  }

  private Path savedMlp() throws IOException {
    Path file = dir.resolve("mlp.weights.bin");
    try (Sequential a = mlp()) {
      a.saveWeights(file);
    }
    return file;
  }

  @Test
  void truncatedFilesAreReportedWithTheFileAndWhatIsMissing() throws IOException {
    Path file = savedMlp();
    byte[] full = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.weights.bin");
    // Cut in the magic, in the header, in the names, in the float data, and just before the checksum's end.
    for (int length : new int[] {0, 5, 10, 20, 60, full.length - 1}) {
      Files.write(cut, Arrays.copyOf(full, length));
      IOException e = assertThrows(IOException.class, () -> WeightsFile.read(cut), "length " + length);
      assertTrue(e.getMessage().startsWith("Weights file " + cut + " is truncated: the file ends (after " + length
          + " bytes) while reading "), e.getMessage());
    }
    Files.write(cut, Arrays.copyOf(full, 60));
    IOException e = assertThrows(IOException.class, () -> WeightsFile.read(cut));
    assertTrue(e.getMessage().contains("the values of 'dense/kernel' (weight 1 of 4): its shape (3, 4) needs 48 bytes"),
        e.getMessage());
  }

  @Test
  void corruptFilesAreReported() throws IOException {
    Path file = savedMlp();
    byte[] full = Files.readAllBytes(file);
    Path bad = dir.resolve("bad.weights.bin");

    byte[] flipped = full.clone();
    flipped[full.length - 14] ^= 0x40; // a float of the last weight (dense_1/bias)
    Files.write(bad, flipped);
    IOException e = assertThrows(IOException.class, () -> WeightsFile.read(bad));
    assertTrue(e.getMessage().matches("Weights file .*bad\\.weights\\.bin is corrupt: checksum mismatch \\(stored "
        + "0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\): the file is corrupt"), e.getMessage());

    Files.writeString(bad, "{\"not\": \"weights\", \"but\": \"json\"}");
    e = assertThrows(IOException.class, () -> WeightsFile.read(bad));
    assertEquals("Weights file " + bad + " is corrupt: not a Keras4J weights file (the magic bytes are wrong)",
        e.getMessage());

    byte[] version = full.clone();
    version[8] = 9;
    Files.write(bad, version);
    e = assertThrows(IOException.class, () -> WeightsFile.read(bad));
    assertEquals("Weights file " + bad + " is corrupt: unsupported format version 9 (this Keras4J reads versions 1 to 2)",
        e.getMessage());

    byte[] longer = Arrays.copyOf(full, full.length + 1);
    Files.write(bad, longer);
    e = assertThrows(IOException.class, () -> WeightsFile.read(bad));
    assertEquals("Weights file " + bad + " is corrupt: unexpected bytes after the checksum", e.getMessage());

    byte[] hugeName = full.clone();
    hugeName[16] = (byte) 0xff; // the length of the first layer name
    hugeName[17] = (byte) 0xff;
    hugeName[18] = (byte) 0xff;
    Files.write(bad, hugeName);
    e = assertThrows(IOException.class, () -> WeightsFile.read(bad));
    assertTrue(e.getMessage().contains("is corrupt: invalid length"), e.getMessage());
  }

  @Test
  void missingFileAndWrongExtension() throws IOException {
    Path missing = dir.resolve("nothing.weights.bin");
    try (Sequential m = mlp()) {
      NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> m.loadWeights(missing));
      assertEquals(missing + ": weights file not found", e.getMessage());
      IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
          () -> m.saveWeights(dir.resolve("model.h5")));
      assertEquals("The filename must end in `.weights.h5` (or `.weights.bin` for Keras4J's own format). Received: "
          + "filepath=" + dir.resolve("model.h5"), e2.getMessage());
    }
  }

  @Test
  void wrongArchitecturesAreRejectedBeforeAnyWeightChanges() throws IOException {
    Path file = savedMlp();
    String where = "Cannot load weights from " + file + " into model '";

    try (Sequential wider = new Sequential(new InputLayer(3), new Dense(5, "tanh"), new Dense(1, "sigmoid"))) {
      float[] before = predictions(wider);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wider.loadWeights(file));
      assertEquals(where + wider.name() + "': weight 'dense/kernel' (layer '" + wider.layers().get(0).name()
          + "'): expected shape (3, 5), found (3, 4)", e.getMessage());
      assertArrayEquals(bits(before), bits(predictions(wider)), "nothing was loaded");
    }

    try (Sequential deeper = new Sequential(new InputLayer(3), new Dense(4, "tanh"), new Dense(4), new Dense(1))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> deeper.loadWeights(file));
      assertEquals(where + deeper.name() + "': the model has 6 weights [dense/kernel, dense/bias, dense_1/kernel, "
          + "dense_1/bias, dense_2/kernel, dense_2/bias], but the file has 4 [dense/kernel, dense/bias, dense_1/kernel, "
          + "dense_1/bias]. Build the model with the same layers as the model that saved the file", e.getMessage());
    }

    try (Sequential noBias = new Sequential(new InputLayer(3), Dense.builder(4).useBias(false).build(),
        Dense.builder(1).build(), Dense.builder(1).useBias(false).build())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noBias.loadWeights(file));
      assertTrue(e.getMessage().startsWith(where + noBias.name() + "': weight 1 of the model is 'dense_1/kernel' "
          + "(layer '"), e.getMessage());
      assertTrue(e.getMessage().endsWith(", but the file has 'dense/bias' there. Build the model with the same "
          + "layers, in the same order, as the model that saved the file"), e.getMessage());
    }
  }
}
