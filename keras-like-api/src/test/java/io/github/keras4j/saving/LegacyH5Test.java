package io.github.keras4j.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.core.Activation;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.pooling.GlobalAveragePooling2D;
import io.github.keras4j.layers.rnn.LSTM;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Sequential;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * {@link LegacyH5}: Keras's legacy {@code .h5} weights read through {@link Model#loadWeights}, from files written by
 * h5py in Keras 2's and Keras 3's layouts (the fixtures of {@code make_legacy_h5.py}) and by {@link LegacyH5#saveWeights};
 * Keras's layer order for a residual block; loading by name; Keras's errors and {@code skipMismatch}.
 */
class LegacyH5Test {

  @TempDir Path dir;

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(LegacyH5Test.class.getResource(name).toURI());
  }

  /** Value {@code i} of the {@code k}-th weight written by make_legacy_h5.py: (i + 1) * 0.01 * (k + 1) + 0.1 * k. */
  private static float fixture(int k, int i) {
    return (float) ((i + 1) * 0.01 * (k + 1) + 0.1 * k);
  }

  private static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.shape().size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static void assertFixture(int k, FloatNdArray actual) {
    float[] v = flat(actual);
    for (int i = 0; i < v.length; i++) {
      assertEquals(fixture(k, i), v[i], 0f, "value " + i + " of fixture weight " + k);
    }
  }

  /** Input(3) -> Dense(4) -> BatchNormalization -> Dense(2), with names of our own unless given. */
  private static Model denseBnDense(String d1, String bn, String d2, int units2) {
    return new Sequential(new InputLayer(3), Dense.builder(4).name(d1).build(),
        BatchNormalization.builder().name(bn).build(), Dense.builder(units2).name(d2).build());
  }

  @Test
  void keras2WeightsFileLoadsByOrderThroughModelLoadWeights() throws Exception {
    try (Model m = denseBnDense("first", "norm", "second", 2)) {
      m.loadWeights(resource("legacy_keras2.h5"));
      List<FloatNdArray> w = m.getWeights();
      // The script wrote the BatchNormalization group first (weights 0-3: gamma, beta, moving_mean,
      // moving_variance), then dense_1 (4-5), then dense_2 (6-7); the names here differ from the file's.
      int[] k = {4, 5, 0, 1, 2, 3, 6, 7};
      for (int i = 0; i < k.length; i++) {
        assertFixture(k[i], w.get(i));
      }
    }
  }

  @Test
  void keras3WholeModelFileWithChunkedLayerNamesAndNestedPaths() throws Exception {
    try (Model m = new Sequential(new InputLayer(5, 2), new LSTM(3), new Dense(1))) {
      m.loadWeights(resource("legacy_model.h5"));
      List<FloatNdArray> w = m.getWeights();
      assertEquals(5, w.size());
      for (int k = 0; k < 5; k++) {
        assertFixture(k, w.get(k)); // kernel, recurrent_kernel, bias, dense kernel, dense bias
      }
    }
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * The fixture model's output for one sequence, by hand from the fixture weights: Keras's LSTM (gates i, f, c, o in
   * that order, z = x kernel + h recurrent_kernel + bias), then Dense(1, sigmoid).
   */
  private static double fixtureModel(float[][] x) {
    double[] h = new double[3];
    double[] c = new double[3];
    for (float[] step : x) {
      double[] z = new double[12];
      for (int j = 0; j < 12; j++) {
        z[j] = fixture(2, j);
        for (int f = 0; f < 2; f++) {
          z[j] += step[f] * fixture(0, f * 12 + j);
        }
        for (int u = 0; u < 3; u++) {
          z[j] += h[u] * fixture(1, u * 12 + j);
        }
      }
      for (int u = 0; u < 3; u++) {
        c[u] = sigmoid(z[3 + u]) * c[u] + sigmoid(z[u]) * Math.tanh(z[6 + u]);
        h[u] = sigmoid(z[9 + u]) * Math.tanh(c[u]);
      }
    }
    double y = fixture(4, 0);
    for (int u = 0; u < 3; u++) {
      y += h[u] * fixture(3, u);
    }
    return sigmoid(y);
  }

  @Test
  void wholeModelFileLoadsWithItsConfigWeightsAndTrainingConfig() throws Exception {
    float[][][] x = new float[2][5][2];
    for (int t = 0; t < 5; t++) {
      x[0][t] = new float[] {0.1f * t, -0.2f};
      x[1][t] = new float[] {-0.3f, 0.05f * t};
    }
    try (Model m = io.github.keras4j.models.Models.load(resource("legacy_model.h5"))) {
      assertEquals("fixture", m.name());
      assertEquals(List.of("lstm", "dense"), names(m.layers()).subList(names(m.layers()).size() - 2,
          names(m.layers()).size()));
      List<FloatNdArray> w = m.getWeights();
      for (int k = 0; k < 5; k++) {
        assertFixture(k, w.get(k));
      }
      FloatNdArray y = m.predict(x);
      for (int b = 0; b < 2; b++) {
        assertEquals(fixtureModel(x[b]), y.getFloat(b, 0), 1e-6, "sample " + b);
      }
      assertTrue(m.isCompiled(), "compiled from training_config");
      assertEquals("adam", m.getOptimizer().name());
      java.util.Map<String, Double> logs = m.evaluate(x, new float[][] {{1}, {0}});
      assertTrue(logs.containsKey("loss") && logs.containsKey("accuracy"), logs.toString());
    }
    try (Model m = LegacyH5.loadModel(resource("legacy_model.h5"), null, false)) {
      assertFalse(m.isCompiled());
    }
    IOException e = assertThrows(IOException.class, () -> LegacyH5.loadModel(resource("legacy_keras2.h5")));
    assertEquals("No model config found in the file at " + resource("legacy_keras2.h5") + ".", e.getMessage());
  }

  /** A ResNet bottleneck block as Keras's {@code residual_block_v1}, with a projection shortcut. */
  private static Model residualBlock(int outFilters) {
    KerasTensor input = Input.of("input", 6, 6, 3);
    KerasTensor s = conv(input, outFilters, "b_0_conv");
    s = bn(s, "b_0_bn");
    KerasTensor y = conv(input, 2, "b_1_conv");
    y = bn(y, "b_1_bn");
    y = new Activation("relu", "b_1_relu").apply(y);
    y = conv(y, 2, "b_2_conv");
    y = bn(y, "b_2_bn");
    y = new Activation("relu", "b_2_relu").apply(y);
    y = conv(y, outFilters, "b_3_conv");
    y = bn(y, "b_3_bn");
    KerasTensor x = new Add("b_add").apply(List.of(s, y));
    x = new Activation("relu", "b_out").apply(x);
    x = new GlobalAveragePooling2D(false, "avg_pool").apply(x);
    x = Dense.builder(2).name("predictions").build().apply(x);
    return new Model(List.of(input), List.of(x), "block");
  }

  private static KerasTensor conv(KerasTensor x, int filters, String name) {
    return Conv2D.builder(filters, 1).name(name).build().apply(x);
  }

  private static KerasTensor bn(KerasTensor x, String name) {
    return BatchNormalization.builder().name(name).build().apply(x);
  }

  private static List<String> names(List<Layer> layers) {
    List<String> out = new ArrayList<>();
    layers.forEach(l -> out.add(l.name()));
    return out;
  }

  private static void randomize(Model m, long seed) {
    Random r = new Random(seed);
    List<FloatNdArray> values = new ArrayList<>();
    for (FloatNdArray w : m.getWeights()) {
      float[] v = new float[(int) w.shape().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      values.add(NdArrays.wrap(w.shape(), DataBuffers.of(v, true, false)));
    }
    m.setWeights(values);
  }

  @Test
  void kerasLayerOrderOfAResidualBlock() {
    try (Model m = residualBlock(4)) {
      // Keras's ResNet50 summary lists conv2_block1 as 1_conv, 1_bn, 1_relu, 2_conv, 2_bn, 2_relu, 0_conv, 3_conv,
      // 0_bn, 3_bn, add, out (layers by depth from the output; ties in the order a walk from the output meets them).
      assertEquals(List.of("input", "b_1_conv", "b_1_bn", "b_1_relu", "b_2_conv", "b_2_bn", "b_2_relu", "b_0_conv",
          "b_3_conv", "b_0_bn", "b_3_bn", "b_add", "b_out", "avg_pool", "predictions"),
          names(m.layers()));
    }
  }

  @Test
  void saveThenLoadRestoresEveryWeightAndWritesKerasLayout() throws IOException {
    Path file = dir.resolve("block.h5");
    List<FloatNdArray> saved;
    try (Model m = residualBlock(4)) {
      randomize(m, 1);
      saved = m.getWeights();
      LegacyH5.saveWeights(m, file);
    }
    try (HdfFile h5 = new HdfFile(file)) {
      assertEquals(List.of("b_1_conv", "b_1_bn", "b_2_conv", "b_2_bn", "b_0_conv", "b_3_conv", "b_0_bn", "b_3_bn",
          "predictions"), H5Values.strings(h5, "layer_names"));
      assertEquals(List.of("b_1_bn/gamma", "b_1_bn/beta", "b_1_bn/moving_mean", "b_1_bn/moving_variance"),
          H5Values.strings(h5.getChild("b_1_bn"), "weight_names"));
      assertArrayEquals(new long[] {1, 1, 3, 4}, h5.getDatasetByPath("b_0_conv/b_0_conv/kernel").getDimensionsAsLong());
    }
    Backend.clearSession();
    try (Model fresh = residualBlock(4)) {
      randomize(fresh, 2);
      fresh.loadWeights(file);
      List<FloatNdArray> loaded = fresh.getWeights();
      for (int i = 0; i < saved.size(); i++) {
        assertArrayEquals(flat(saved.get(i)), flat(loaded.get(i)), 0f, "weight " + i);
      }
    }
  }

  @Test
  void mismatchesGiveKerasErrorsAndChangeNothingUnlessSkipped() throws IOException {
    Path file = dir.resolve("block.h5");
    try (Model m = residualBlock(4)) {
      randomize(m, 3);
      LegacyH5.saveWeights(m, file);
    }
    Backend.clearSession();
    try (Model other = residualBlock(5)) {
      randomize(other, 4);
      List<FloatNdArray> before = other.getWeights();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadWeights(file));
      // Layers with weights in Keras order: b_1_conv #0, b_1_bn #1, b_2_conv #2, b_2_bn #3, b_0_conv #4.
      assertEquals("Shape mismatch in layer #4 (named b_0_conv) for weight b_0_conv/kernel. Weight expects shape "
          + "(1, 1, 3, 5). Received saved weight with shape (1, 1, 3, 4)", e.getMessage());
      assertArrayEquals(flat(before.get(0)), flat(other.getWeights().get(0)), 0f, "nothing loaded on failure");
      LegacyH5.loadWeights(other, file, false, true);
      List<FloatNdArray> after = other.getWeights();
      int changed = 0;
      for (int i = 0; i < after.size(); i++) {
        if (!java.util.Arrays.equals(flat(before.get(i)), flat(after.get(i)))) {
          changed++;
        }
      }
      // 26 weights; skipped for their shape: the kernels and biases of b_0_conv and b_3_conv, the 4 weights of
      // b_0_bn and of b_3_bn, and the kernel of predictions (5, 2); its bias (2,) loads: 26 - 13 = 13 change.
      assertEquals(26, after.size());
      assertEquals(13, changed);
    }
    try (Model three = denseBnDense("a", "b", "c", 2)) {
      assertFails(() -> three.loadWeights(file), "Layer count mismatch when loading weights from file. Model expected 3 "
          + "layers, found 9 saved layers.");
    }
  }

  private static void assertFails(org.junit.jupiter.api.function.Executable call, String messageStart) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
  }

  @Test
  void loadsByNameIntoTheLayersOfTheSameName() throws Exception {
    Path keras2 = resource("legacy_keras2.h5");
    try (Model m = new Sequential(new InputLayer(3), Dense.builder(4).name("dense_1").build(),
        BatchNormalization.builder().name("batch_normalization_1").build(), Dense.builder(4).name("extra").build(),
        Dense.builder(2).name("dense_2").build())) {
      List<FloatNdArray> before = m.getWeights();
      assertFails(() -> m.loadWeights(keras2), "Layer count mismatch");
      LegacyH5.loadWeights(m, keras2, true, false);
      List<FloatNdArray> w = m.getWeights();
      int[] k = {4, 5, 0, 1, 2, 3};
      for (int i = 0; i < k.length; i++) {
        assertFixture(k[i], w.get(i));
      }
      assertArrayEquals(flat(before.get(6)), flat(w.get(6)), 0f, "'extra' is not in the file");
      assertFixture(6, w.get(8));
    }
    try (Model m = new Sequential(new InputLayer(3), Dense.builder(4).useBias(false).name("dense_1").build(),
        BatchNormalization.builder().name("batch_normalization_1").build(), Dense.builder(3).name("dense_2").build())) {
      assertFails(() -> LegacyH5.loadWeights(m, keras2, true, false), "Weight count mismatch for layer #1 (named "
          + "dense_1). Layer expects 1 weight(s). Received 2 saved weight(s)");
      List<FloatNdArray> before = m.getWeights();
      LegacyH5.loadWeights(m, keras2, true, true);
      List<FloatNdArray> w = m.getWeights();
      assertArrayEquals(flat(before.get(0)), flat(w.get(0)), 0f, "dense_1 skipped: it has no bias");
      for (int i = 0; i < 4; i++) {
        assertFixture(i, w.get(1 + i));
      }
      assertArrayEquals(flat(before.get(5)), flat(w.get(5)), 0f, "dense_2's kernel skipped: (4, 3), saved (4, 2)");
      assertArrayEquals(flat(before.get(6)), flat(w.get(6)), 0f, "dense_2's bias skipped: (3,), saved (2,)");
    }
  }

  @Test
  void nestedModelWeightsAreTrainableFirstAcrossItsLayers() throws IOException {
    Sequential base = new Sequential("base", List.of(new InputLayer(3), BatchNormalization.builder().name("norm")
        .build(), Dense.builder(2).name("inner").build()));
    try (Sequential outer = new Sequential(new InputLayer(3), base.asLayer(), Dense.builder(1).name("head").build())) {
      List<String> order = new ArrayList<>();
      LegacyH5.legacyWeights(outer.getLayer("base")).forEach(w -> order.add(w.variable().name()));
      // Keras's _legacy_weights of a model: trainable_weights (gamma, beta, kernel, bias) then the moving statistics.
      assertEquals(List.of("norm/gamma", "norm/beta", "inner/kernel", "inner/bias", "norm/moving_mean",
          "norm/moving_variance"), order);
      randomize(outer, 5);
      List<FloatNdArray> saved = outer.getWeights();
      Path file = dir.resolve("nested.hdf5");
      LegacyH5.saveWeights(outer, file);
      randomize(outer, 6);
      outer.loadWeights(file);
      for (int i = 0; i < saved.size(); i++) {
        assertArrayEquals(flat(saved.get(i)), flat(outer.getWeights().get(i)), 0f, "weight " + i);
      }
    } finally {
      base.close();
    }
  }

  @Test
  void fileNamesAndBadFiles() throws IOException {
    assertTrue(LegacyH5.isLegacyH5(Path.of("model.h5")));
    assertTrue(LegacyH5.isLegacyH5(Path.of("dir", "weights.HDF5")));
    assertFalse(LegacyH5.isLegacyH5(Path.of("model.weights.h5")));
    assertFalse(LegacyH5.isLegacyH5(Path.of("model.weights.bin")));
    try (Model m = denseBnDense("a", "b", "c", 2)) {
      assertThrows(NoSuchFileException.class, () -> m.loadWeights(dir.resolve("missing.h5")));
      Path text = Files.writeString(dir.resolve("text.h5"), "not hdf5");
      IOException e = assertThrows(IOException.class, () -> m.loadWeights(text));
      assertTrue(e.getMessage().startsWith("Could not read " + text + " as an HDF5 file"), e.getMessage());
      Path other = dir.resolve("other.h5");
      try (WritableHdfFile h5 = HdfFile.write(other)) {
        h5.putDataset("data", new float[] {1, 2});
      }
      e = assertThrows(IOException.class, () -> m.loadWeights(other));
      assertTrue(e.getMessage().startsWith(other + " is not a Keras legacy HDF5 weights file"), e.getMessage());
    }
  }
}
