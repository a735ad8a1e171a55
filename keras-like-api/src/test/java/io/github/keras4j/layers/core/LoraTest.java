package io.github.keras4j.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.LayerRegistry;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * LoRA of {@link Dense}, {@link EinsumDense} and {@link Embedding}, against Keras 3's rules (keras/src/layers/core):
 * weights and their trainability, the effective weight {@code W + (alpha / rank) * A @ B} computed here in plain
 * Java loops, gradients, training with a frozen kernel, config keys, saving (merged) and loading (zeroed matrices),
 * and the errors.
 */
class LoraTest {

  @TempDir
  Path dir;

  // ------------------------------------------------------------------ weights

  @Test
  void enablingAddsTwoTrainableMatricesAndFreezesTheKernel() {
    KerasTensor in = Input.of(4);
    Dense dense = new Dense(3);
    try (Model model = new Model(in, dense.apply(in))) {
      assertEquals(2, model.trainableVariables().size()); // kernel, bias
      dense.enableLora(2);
      // By hand: kernel (4,3) = 12 frozen; bias 3 + lora_kernel_a (4,2) = 8 + lora_kernel_b (2,3) = 6 -> 17 trainable.
      List<String> names = dense.weights().stream().map(Layer.Weight::name).toList();
      assertEquals(List.of("kernel", "bias", "lora_kernel_a", "lora_kernel_b"), names);
      assertEquals(List.of(false, true, true, true), dense.weights().stream().map(Layer.Weight::trainable).toList());
      List<GraphVariable> trainable = model.trainableVariables();
      assertEquals(List.of(dense.bias(), dense.loraKernelA(), dense.loraKernelB()), trainable);
      assertEquals(17, trainable.stream().mapToLong(GraphVariable::size).sum());
      assertEquals(29, dense.countParams());
      assertArrayEquals(new long[] {4, 2}, dense.loraKernelA().shape().asArray());
      assertArrayEquals(new long[] {2, 3}, dense.loraKernelB().shape().asArray());
      assertTrue(dense.loraEnabled());
      assertEquals(2, dense.loraRank());
      assertEquals(2.0, dense.loraAlpha()); // Keras: lora_alpha defaults to the rank
    }
  }

  @Test
  void einsumDenseAndEmbeddingMatricesHaveKerasShapes() {
    KerasTensor in = Input.of(2, 4);
    EinsumDense einsum = EinsumDense.builder("abc,cde->abde", null, 5, 3).biasAxes("e").build();
    KerasTensor ids = Input.of(6);
    Embedding embedding = new Embedding(10, 7);
    try (Model m1 = new Model(in, einsum.apply(in)); Model m2 = new Model(ids, embedding.apply(ids))) {
      einsum.enableLora(2);
      embedding.enableLora(3);
      // Keras: a = kernel.shape[:-1] + (rank,), b = (rank, kernel.shape[-1]); kernel (4, 5, 3).
      assertArrayEquals(new long[] {4, 5, 2}, einsum.loraKernelA().shape().asArray());
      assertArrayEquals(new long[] {2, 3}, einsum.loraKernelB().shape().asArray());
      // By hand: bias 3 + a 40 + b 6 trainable; kernel 60 frozen.
      assertEquals(List.of(einsum.bias(), einsum.loraKernelA(), einsum.loraKernelB()), m1.trainableVariables());
      assertEquals(109, einsum.countParams());
      // Embedding: a (inputDim, rank), b (rank, outputDim); only the matrices train (70 frozen, 30 + 21 trainable).
      assertEquals(List.of("embeddings", "lora_embeddings_a", "lora_embeddings_b"),
          embedding.weights().stream().map(Layer.Weight::name).toList());
      assertEquals(List.of(embedding.loraEmbeddingsA(), embedding.loraEmbeddingsB()), m2.trainableVariables());
      assertEquals(51, m2.trainableVariables().stream().mapToLong(GraphVariable::size).sum());
      assertArrayEquals(new long[] {10, 3}, embedding.loraEmbeddingsA().shape().asArray());
      assertArrayEquals(new long[] {3, 7}, embedding.loraEmbeddingsB().shape().asArray());
    }
  }

  @Test
  void builderRankEnablesLoraAtBuild() {
    KerasTensor in = Input.of(4);
    Dense dense = Dense.builder(3).loraRank(2).loraAlpha(6.0).build();
    assertFalse(dense.loraEnabled());
    assertEquals(2, dense.loraRank());
    try (Model model = new Model(in, dense.apply(in))) {
      assertTrue(dense.loraEnabled());
      assertEquals(6.0, dense.loraAlpha()); // kept (Keras's Dense.build drops it: see the class comment)
      assertEquals(3, model.trainableVariables().size());
    }
  }

  // ------------------------------------------------------------------ values

  @Test
  void outputIsUnchangedRightAfterEnabling() {
    KerasTensor in = Input.of(4);
    Dense dense = new Dense(3, "tanh");
    try (Model model = new Model(in, dense.apply(in))) {
      float[][] x = LayerChecks.randomMatrix(5, 4, 3);
      float[] before = floats(model.predict(x));
      dense.enableLora(2);
      model.compile("sgd", "mse"); // as Keras: compile again after enable_lora (it also drops the traced predict)
      // b is zeros, so W + s * A @ 0 = W exactly, whatever A's he_uniform values are.
      assertArrayEquals(before, floats(model.predict(x)));
      assertNotEquals(0f, maxAbs(floats(model.getWeights().get(2))), "lora_kernel_a is he_uniform, not zeros");
      assertEquals(0f, maxAbs(floats(model.getWeights().get(3))), "lora_kernel_b starts at zeros");
    }
  }

  @Test
  void denseComputesWithTheScaledAdaptation() {
    KerasTensor in = Input.of(3);
    Dense dense = Dense.builder(2).loraRank(2).loraAlpha(3.0).build();
    try (Model model = new Model(in, dense.apply(in))) {
      float[][] w = {{1f, -2f}, {0.5f, 0f}, {-1f, 3f}};
      float[] bias = {0.25f, -0.5f};
      float[][] a = {{0.1f, -0.3f}, {0.2f, 0.4f}, {-0.5f, 0.6f}};
      float[][] b = {{1f, 2f}, {-1f, 0.5f}};
      model.setWeights(List.of(StdArrays.ndCopyOf(w), StdArrays.ndCopyOf(bias), StdArrays.ndCopyOf(a),
          StdArrays.ndCopyOf(b)));
      float[][] x = {{1f, 2f, 3f}, {-1f, 0.5f, 2f}};
      FloatNdArray y = model.predict(x);
      // Keras: y = x @ (W + (alpha / rank) * A @ B) + bias, scale 3 / 2 = 1.5; here in plain loops.
      float[][] eff = effective(w, a, b, 1.5f);
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          double expected = bias[j];
          for (int k = 0; k < 3; k++) {
            expected += x[i][k] * eff[k][j];
          }
          assertEquals(expected, y.getFloat(i, j), 1e-5, "y[" + i + "][" + j + "]");
        }
      }
    }
  }

  @Test
  void einsumDenseComputesWithTheScaledAdaptationOfA3dKernel() {
    KerasTensor in = Input.of(2, 4);
    EinsumDense layer = EinsumDense.builder("abc,cde->abde", null, 2, 3).loraRank(2).loraAlpha(1.0).build();
    try (Model model = new Model(in, layer.apply(in))) {
      float[] w = LayerChecks.randomValues(4 * 2 * 3, 21);
      float[] a = LayerChecks.randomValues(4 * 2 * 2, 22);
      float[] b = LayerChecks.randomValues(2 * 3, 23);
      model.setWeights(List.of(nd(w, 4, 2, 3), nd(a, 4, 2, 2), nd(b, 2, 3)));
      float[] x = LayerChecks.randomValues(2 * 2 * 4, 24);
      FloatNdArray y = model.predict(nd(x, 2, 2, 4));
      // Keras: kernel + (1 / 2) * matmul(a, b), a (c, d, r) times b (r, e) -> (c, d, e); then the einsum.
      for (int p = 0; p < 2; p++) {
        for (int q = 0; q < 2; q++) {
          for (int d = 0; d < 2; d++) {
            for (int e = 0; e < 3; e++) {
              double expected = 0;
              for (int c = 0; c < 4; c++) {
                double delta = 0;
                for (int r = 0; r < 2; r++) {
                  delta += a[(c * 2 + d) * 2 + r] * b[r * 3 + e];
                }
                expected += x[(p * 2 + q) * 4 + c] * (w[(c * 2 + d) * 3 + e] + 0.5 * delta);
              }
              assertEquals(expected, y.getFloat(p, q, d, e), 1e-5, "y[" + p + "," + q + "," + d + "," + e + "]");
            }
          }
        }
      }
    }
  }

  @Test
  void embeddingLooksUpRowsOfTheAdaptedTable() {
    KerasTensor in = Input.of(3);
    Embedding layer = Embedding.builder(4, 2).loraRank(1).loraAlpha(2.0).build();
    try (Model model = new Model(in, layer.apply(in))) {
      float[][] e = {{0f, 1f}, {2f, 3f}, {4f, 5f}, {6f, 7f}};
      float[][] a = {{1f}, {-1f}, {0.5f}, {0f}};
      float[][] b = {{0.25f, -0.5f}};
      model.setWeights(List.of(StdArrays.ndCopyOf(e), StdArrays.ndCopyOf(a), StdArrays.ndCopyOf(b)));
      FloatNdArray y = model.predict(new float[][] {{2f, 0f, 1f}});
      // By hand, scale 2 / 1 = 2: row 2 = [4, 5] + 2 * 0.5 * [0.25, -0.5] = [4.25, 4.5]; row 0 = [0.5, 0];
      // row 1 = [2, 3] + 2 * -1 * [0.25, -0.5] = [1.5, 4].
      float[][] expected = {{4.25f, 4.5f}, {0.5f, 0f}, {1.5f, 4f}};
      for (int t = 0; t < 3; t++) {
        for (int j = 0; j < 2; j++) {
          assertEquals(expected[t][j], y.getFloat(0, t, j), 1e-6, "y[0][" + t + "][" + j + "]");
        }
      }
    }
  }

  // ------------------------------------------------------------------ gradients and training

  @Test
  void gradientsMatchFiniteDifferences() {
    KerasTensor in = Input.of(3);
    Dense dense = Dense.builder(2).loraRank(2).loraAlpha(3.0).activation("tanh").build();
    try (Model model = new Model(in, dense.apply(in))) {
      setRandom(model, 31);
      LayerChecks.gradientCheck(model, new long[] {4, 3}, LayerChecks.randomValues(12, 32));
    }
    KerasTensor in2 = Input.of(2, 4);
    EinsumDense einsum = EinsumDense.builder("abc,cde->abde", null, 2, 3).biasAxes("e").loraRank(2).build();
    try (Model model = new Model(in2, einsum.apply(in2))) {
      setRandom(model, 33);
      LayerChecks.gradientCheck(model, new long[] {2, 2, 4}, LayerChecks.randomValues(16, 34));
    }
    KerasTensor ids = Input.of(3);
    Embedding embedding = Embedding.builder(5, 2).loraRank(2).build();
    try (Model model = new Model(ids, embedding.apply(ids))) {
      setRandom(model, 35);
      // Indices are not differentiable: only the weights (embeddings, a, b) are checked.
      LayerChecks.gradientCheck(model, List.of(new long[] {2, 3}), List.of(new float[] {0, 4, 2, 1, 1, 3}), false);
    }
  }

  @Test
  void trainingLowersTheLossAndLeavesTheKernelBitIdentical() {
    Backend.setRandomSeed(5);
    KerasTensor in = Input.of(3);
    Dense dense = new Dense(2);
    try (Model model = new Model(in, dense.apply(in))) {
      float[][] x = LayerChecks.randomMatrix(16, 3, 41);
      float[][] y = new float[16][2];
      for (int i = 0; i < 16; i++) { // a target the frozen random kernel does not fit
        y[i][0] = x[i][0] - 2 * x[i][1];
        y[i][1] = 0.5f * x[i][2] + x[i][0];
      }
      dense.enableLora(2);
      model.compile(new SGD(0.1f), "mse");
      float[] kernelBefore = floats(model.getWeights().get(0));
      float[] biasBefore = floats(model.getWeights().get(1));
      History h = model.fit(x, y, new FitOptions().epochs(20).batchSize(16).verbose(0));
      List<Double> loss = h.get("loss");
      assertTrue(loss.get(loss.size() - 1) < 0.5 * loss.get(0), "loss " + loss);
      assertArrayEquals(kernelBefore, floats(model.getWeights().get(0)), "the frozen kernel moved");
      assertFalse(java.util.Arrays.equals(biasBefore, floats(model.getWeights().get(1))), "bias did not train");
      assertNotEquals(0f, maxAbs(floats(model.getWeights().get(3))), "lora_kernel_b did not train");
    }
  }

  // ------------------------------------------------------------------ config

  @Test
  void configHasLoraKeysOnlyWhenSetAndRoundTrips() {
    assertFalse(new Dense(3).getConfig().containsKey("lora_rank"));
    assertFalse(new Dense(3).getConfig().containsKey("lora_alpha"));
    assertFalse(Dense.builder(3).loraAlpha(4.0).build().getConfig().containsKey("lora_alpha")); // Keras: no rank
    Map<String, Object> c = Dense.builder(3).loraRank(2).loraAlpha(4.0).build().getConfig();
    assertEquals(2, c.get("lora_rank"));
    assertEquals(4, c.get("lora_alpha")); // a whole alpha is written as an integer, as Keras's
    assertEquals(2.5, Dense.builder(3).loraRank(2).loraAlpha(2.5).build().getConfig().get("lora_alpha"));
    Map<String, Object> d = Dense.builder(3).loraRank(4).build().getConfig();
    assertEquals(4, d.get("lora_alpha")); // Keras: lora_alpha = lora_rank when not given

    List<Layer> layers = List.of(Dense.builder(3).loraRank(2).loraAlpha(2.5).build(),
        EinsumDense.builder("ab,bc->ac", 4).loraRank(3).build(),
        Embedding.builder(10, 4).loraRank(2).loraAlpha(8.0).build());
    for (Layer layer : layers) {
      String json = Json.write(LayerRegistry.serialize(layer));
      Layer copy = LayerRegistry.deserialize(Json.parse(json, "test"), null);
      assertEquals(layer.getConfig(), copy.getConfig(), layer.className());
    }
    Dense copy = (Dense) LayerRegistry.deserialize(Json.parse(
        Json.write(LayerRegistry.serialize(Dense.builder(3).loraRank(2).loraAlpha(2.5).build())), "test"), null);
    assertEquals(2, copy.loraRank());
    assertEquals(2.5, copy.loraAlpha());
  }

  @Test
  void enablingOnABuiltLayerAddsTheKeys() {
    KerasTensor in = Input.of(4);
    Embedding layer = new Embedding(5, 3);
    try (Model model = new Model(in, layer.apply(in))) {
      assertEquals(15, model.countParams()); // the 5 x 3 table
      assertFalse(layer.getConfig().containsKey("lora_rank"));
      layer.enableLora(2, 5.0, null, null);
      assertEquals(2, layer.getConfig().get("lora_rank"));
      assertEquals(5, layer.getConfig().get("lora_alpha"));
    }
  }

  // ------------------------------------------------------------------ saving

  @Test
  void kerasFileMergesTheAdaptationAndLoadsWithZeroMatrices() throws Exception {
    KerasTensor in = Input.of(3);
    Dense dense = Dense.builder(2).loraRank(2).loraAlpha(3.0).build();
    float[][] x = LayerChecks.randomMatrix(4, 3, 51);
    try (Model model = new Model(in, dense.apply(in))) {
      setRandom(model, 52);
      float[] predicted = floats(model.predict(x));
      List<FloatNdArray> w = model.getWeights();
      // The merged kernel, W + 1.5 * A @ B, in plain loops.
      float[][] merged = effective(matrix(w.get(0)), matrix(w.get(2)), matrix(w.get(3)), 1.5f);
      Path file = dir.resolve("lora.keras");
      model.save(file);
      try (Model loaded = Models.load(file)) {
        Dense copy = (Dense) loaded.layers().get(1);
        assertTrue(copy.loraEnabled());
        assertEquals(2, copy.loraRank());
        assertEquals(3.0, copy.loraAlpha());
        List<FloatNdArray> lw = loaded.getWeights();
        float[] kernel = floats(lw.get(0));
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 2; j++) {
            assertEquals(merged[i][j], kernel[i * 2 + j], 1e-6, "merged kernel[" + i + "][" + j + "]");
          }
        }
        assertArrayEquals(floats(w.get(1)), floats(lw.get(1)), "bias");
        // Keras's load_own_variables zeros the LoRA matrices.
        assertEquals(0f, maxAbs(floats(lw.get(2))));
        assertEquals(0f, maxAbs(floats(lw.get(3))));
        assertArrayEquals(predicted, floats(loaded.predict(x)), "predictions after the round trip");
      }
    }
  }

  @Test
  void weightsFilesOfLoraAndPlainLayersLoadIntoEachOther() throws Exception {
    KerasTensor in = Input.of(3);
    Path loraFile = dir.resolve("lora.weights.bin");
    float[] predicted;
    try (Model model = new Model(in, Embedding.builder(6, 2).loraRank(2).build().apply(in))) {
      setRandom(model, 62);
      float[][] ids = {{0, 5, 2}, {1, 1, 4}, {3, 2, 0}, {5, 4, 3}};
      predicted = floats(model.predict(ids));
      model.saveWeights(loraFile);
      // The file has the merged table only (Keras's save_own_variables); into a layer without LoRA it loads as is.
      KerasTensor in2 = Input.of(3);
      try (Model plain = new Model(in2, new Embedding(6, 2).apply(in2))) {
        plain.loadWeights(loraFile);
        assertEquals(1, plain.getWeights().size());
        assertArrayEquals(predicted, floats(plain.predict(ids)), 1e-6f);
        Path plainFile = dir.resolve("plain.weights.bin");
        plain.saveWeights(plainFile);
        // And a plain file into a layer with LoRA: the table, with zeroed matrices.
        model.loadWeights(plainFile);
        assertEquals(0f, maxAbs(floats(model.getWeights().get(1))));
        assertEquals(0f, maxAbs(floats(model.getWeights().get(2))));
        assertArrayEquals(predicted, floats(model.predict(ids)), 1e-6f);
      }
    }
  }

  // ------------------------------------------------------------------ errors

  @Test
  void errorsAreKeras() {
    Dense unbuilt = Dense.builder(3).name("lora_unbuilt").build();
    IllegalStateException notBuilt = assertThrows(IllegalStateException.class, () -> unbuilt.enableLora(2));
    assertTrue(notBuilt.getMessage().contains("'lora_unbuilt'") && notBuilt.getMessage().contains("isn't yet built"),
        notBuilt.getMessage());

    KerasTensor in = Input.of(4);
    Dense dense = Dense.builder(3).name("lora_twice").build();
    EinsumDense einsum = EinsumDense.builder("ab,bc->ac", 2).name("lora_rank_zero").build();
    try (Model model = new Model(in, einsum.apply(dense.apply(in)))) {
      assertTrue(model.isBuilt());
      IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> einsum.enableLora(0));
      assertTrue(zero.getMessage().contains("'lora_rank_zero'") && zero.getMessage().contains("lora_rank=0"),
          zero.getMessage());
      assertThrows(IllegalArgumentException.class, () -> einsum.enableLora(-1));
      assertFalse(einsum.loraEnabled());
      dense.enableLora(2);
      IllegalStateException twice = assertThrows(IllegalStateException.class, () -> dense.enableLora(2));
      assertTrue(twice.getMessage().contains("'lora_twice'") && twice.getMessage().contains("already enabled"),
          twice.getMessage());
      assertEquals(4, dense.weights().size()); // the failed second call added nothing
    }

    IllegalArgumentException builderRank = assertThrows(IllegalArgumentException.class,
        () -> Embedding.builder(5, 2).loraRank(0).build());
    assertTrue(builderRank.getMessage().contains("lora_rank=0"), builderRank.getMessage());
    IllegalArgumentException constrained = assertThrows(IllegalArgumentException.class,
        () -> Dense.builder(3).kernelConstraint("max_norm").loraRank(2).build());
    assertTrue(constrained.getMessage().contains("kernel_constraint"), constrained.getMessage());

    KerasTensor ids = Input.of(2);
    Embedding withConstraint = Embedding.builder(5, 2).embeddingsConstraint("unit_norm").build();
    try (Model model = new Model(ids, withConstraint.apply(ids))) {
      assertEquals(10, model.countParams()); // the 5 x 2 table
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> withConstraint.enableLora(1));
      assertTrue(e.getMessage().contains("embeddings_constraint"), e.getMessage());
    }
  }

  // ------------------------------------------------------------------ helpers

  /** {@code w + s * a @ b} in plain loops. */
  private static float[][] effective(float[][] w, float[][] a, float[][] b, float s) {
    float[][] out = new float[w.length][w[0].length];
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w[0].length; j++) {
        double delta = 0;
        for (int r = 0; r < b.length; r++) {
          delta += a[i][r] * b[r][j];
        }
        out[i][j] = (float) (w[i][j] + s * delta);
      }
    }
    return out;
  }

  /** Gives every weight of the model small random values (b included, so the adaptation is not zero). */
  private static void setRandom(Model model, long seed) {
    List<FloatNdArray> values = new java.util.ArrayList<>();
    for (GraphVariable v : model.variables()) {
      float[] r = LayerChecks.randomValues((int) v.size(), seed++);
      values.add(NdArrays.wrap(v.shape(), DataBuffers.of(r, false, false)));
    }
    model.setWeights(values);
  }

  private static FloatNdArray nd(float[] values, long... shape) {
    return NdArrays.wrap(Shape.of(shape), DataBuffers.of(values, false, false));
  }

  private static float[] floats(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static float[][] matrix(FloatNdArray a) {
    float[][] out = new float[(int) a.shape().get(0)][(int) a.shape().get(1)];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < out[0].length; j++) {
        out[i][j] = a.getFloat(i, j);
      }
    }
    return out;
  }

  private static float maxAbs(float[] values) {
    float m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
