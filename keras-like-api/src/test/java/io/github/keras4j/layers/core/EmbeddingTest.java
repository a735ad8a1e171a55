package io.github.keras4j.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.training.FitOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Embedding: expected outputs are rows of a matrix set by the test; gradients are sums of upstream values. */
class EmbeddingTest {

  /** Row i = (10 i, 10 i + 1, 10 i + 2). */
  private static float[][] table(int rows) {
    float[][] t = new float[rows][3];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < 3; j++) {
        t[i][j] = 10 * i + j;
      }
    }
    return t;
  }

  @Test
  void looksUpRowsOfFloatIndices() {
    KerasTensor in = Input.of(3);
    Embedding emb = new Embedding(5, 3);
    try (Model model = new Model(in, emb.apply(in))) {
      model.setWeights(List.of(StdArrays.ndCopyOf(table(5))));
      float[][] ids = {{0f, 4f, 2f}, {1f, 1f, 2f}};
      FloatNdArray y = model.predict(ids);
      assertEquals(List.of(2L, 3L, 3L), List.of(y.shape().get(0), y.shape().get(1), y.shape().get(2)));
      int[][] rows = {{0, 4, 2}, {1, 1, 2}};
      for (int b = 0; b < 2; b++) {
        for (int t = 0; t < 3; t++) {
          for (int j = 0; j < 3; j++) {
            assertEquals(10f * rows[b][t] + j, y.getFloat(b, t, j), "sample " + b + " step " + t);
          }
        }
      }
    }
  }

  @Test
  void onlyLookedUpRowsGetAGradient() {
    KerasTensor in = Input.of(3);
    Embedding emb = new Embedding(5, 3);
    try (Model model = new Model(in, emb.apply(in))) {
      model.setWeights(List.of(StdArrays.ndCopyOf(table(5))));
      GraphRuntime rt = model.runtime();
      Ops tf = rt.tf();
      float[][] ids = {{0f, 4f, 4f}};
      Operand<TFloat32> y = model.call(tf.constant(ids), false);
      // loss = sum(C * y) with C[t][j] = t + 1 + j / 10: d loss / d row = sum of C over the steps using that row.
      float[][][] c = new float[1][3][3];
      for (int t = 0; t < 3; t++) {
        for (int j = 0; j < 3; j++) {
          c[0][t][j] = t + 1 + j / 10f;
        }
      }
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, tf.constant(c)), tf.constant(new int[] {0, 1, 2}));
      Operand<TFloat32> grad = rt.gradients(loss, List.of(emb.embeddings())).get(0);
      try (Result r = rt.session().runner().fetch(grad).run()) {
        TFloat32 g = (TFloat32) r.get(0);
        for (int j = 0; j < 3; j++) {
          assertEquals(c[0][0][j], g.getFloat(0, j), 1e-6, "row 0, used at step 0");
          assertEquals(c[0][1][j] + c[0][2][j], g.getFloat(4, j), 1e-6, "row 4, used at steps 1 and 2");
          for (int row = 1; row <= 3; row++) {
            assertEquals(0f, g.getFloat(row, j), "row " + row + " is not looked up");
          }
        }
      }
      // One SGD step moves rows 0 and 4 only.
      model.compile(new SGD(0.1f), "mse");
      model.trainOnBatch(ids, new float[1][3][3]);
      float[][] before = table(5);
      FloatNdArray after = model.getWeights().get(0);
      for (int row = 0; row < 5; row++) {
        boolean moved = false;
        for (int j = 0; j < 3; j++) {
          moved |= after.getFloat(row, j) != before[row][j];
        }
        assertEquals(row == 0 || row == 4, moved, "row " + row);
      }
    }
  }

  /** fit, evaluate and predict check the indices a model input hands to the layer before running the graph. */
  @Test
  void modelInputsOutOfRangeOrFractionalAreRefusedBeforeTheRun() {
    KerasTensor in = Input.of(2);
    Embedding emb = new Embedding(5, 3);
    try (Model model = new Model(in, emb.apply(in))) {
      IllegalArgumentException high =
          assertThrows(IllegalArgumentException.class, () -> model.predict(new float[][] {{1f, 0f}, {1f, 5f}}));
      assertEquals("Input 0 of layer 'embedding' must hold whole indices in [0, 5); found 5 at row 1 of 'x'",
          high.getMessage());
      IllegalArgumentException negative =
          assertThrows(IllegalArgumentException.class, () -> model.predict(new float[][] {{-1f, 0f}}));
      assertTrue(negative.getMessage().endsWith("found -1 at row 0 of 'x'"), negative.getMessage());
      model.compile(new SGD(0.1f), "mse");
      IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
          () -> model.fit(new float[][] {{2.7f, 0f}}, new float[1][2][3], new FitOptions().verbose(0)));
      assertTrue(fraction.getMessage().endsWith("found 2.7 at row 0 of 'x'"), fraction.getMessage());
      // The bounds themselves are valid.
      assertEquals(3, model.predict(new float[][] {{0f, 4f}}).shape().get(2));
    }
  }

  /**
   * Called on a graph tensor (inside a Step), the layer behaves as Keras's: the float indices are cast to int32
   * (2.7 is row 2), and on the CPU an index out of range fails the run with TensorFlow's message.
   */
  @Test
  void inTheGraphIndicesAreTruncatedAndCheckedByTensorFlow() {
    KerasTensor in = Input.of(2);
    Embedding emb = new Embedding(5, 3);
    try (Model model = new Model(in, emb.apply(in))) {
      model.setWeights(List.of(StdArrays.ndCopyOf(table(5))));
      GraphRuntime rt = model.runtime();
      Ops tf = rt.tf();
      Operand<TFloat32> truncated = model.call(tf.constant(new float[][] {{2.7f, 4f}}), false);
      try (Result r = rt.session().runner().fetch(truncated).run()) {
        assertEquals(20f, ((TFloat32) r.get(0)).getFloat(0, 0, 0), "2.7 looks up row 2");
      }
      Operand<TFloat32> high = model.call(tf.constant(new float[][] {{1f, 5f}}), false);
      TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class,
          () -> rt.session().runner().fetch(high).run().close());
      assertTrue(e.getMessage().contains("5 is not in [0, 5)"), e.getMessage());
    }
  }

  @Test
  void countsParamsAndShapesLikeKeras() {
    Backend.clearSession();
    KerasTensor in = Input.of(10);
    Embedding emb = new Embedding(1000, 64);
    KerasTensor out = emb.apply(in);
    assertEquals("(None, 10, 64)", io.github.keras4j.graph.Shapes.format(out.shape()));
    try (Model model = new Model(in, out)) {
      assertEquals(64_000, model.countParams());
      assertEquals("embedding/embeddings", emb.embeddings().name());
      // Keras's default initializer: uniform on [-0.05, 0.05].
      FloatNdArray w = model.getWeights().get(0);
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (int i = 0; i < 1000; i++) {
        for (int j = 0; j < 64; j++) {
          min = Math.min(min, w.getFloat(i, j));
          max = Math.max(max, w.getFloat(i, j));
        }
      }
      assertTrue(min >= -0.05f && min < -0.049f && max < 0.05f && max > 0.049f, min + " " + max);
    }
    Map<String, Object> c = emb.getConfig();
    assertEquals(1000, c.get("input_dim"));
    assertEquals(64, c.get("output_dim"));
    assertEquals(false, c.get("mask_zero"));
  }

  @Test
  void passesTheStandardLayerChecks() {
    // LayerChecks.check feeds random floats, which a model now refuses as ids: the same checks on whole ids, each of
    // the 4 rows looked up. Ids are not differentiable (a step of +-h crosses an integer and the int32 cast
    // truncates), so the finite-difference check covers the weights only, as for the inputs a mask is computed from.
    KerasTensor in = Input.of(5);
    Embedding emb = new Embedding(4, 3);
    try (Model model = new Model(in, emb.apply(in))) {
      float[] ids = {0, 1, 2, 3, 1, 3, 3, 0, 2, 2};
      FloatNdArray xs = NdArrays.wrap(Shape.of(2, 5), DataBuffers.of(ids, false, false));
      FloatNdArray y = model.predict(xs);
      assertArrayEquals(new long[] {2, 5, 3}, y.shape().asArray());
      assertEquals(emb.name(), emb.getConfig().get("name"));
      LayerChecks.gradientCheck(model, List.of(new long[] {2, 5}), List.of(ids), false);
      LayerChecks.trainingStep(model, xs, y);
    }
  }

  @Test
  void rejectsBadArguments() {
    IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 4));
    assertTrue(dim.getMessage().contains("input_dim=0"), dim.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Embedding(4, -1));
    Embedding uniform = Embedding.builder(4, 2).embeddingsInitializer("uniform").embeddingsConstraint("unit_norm")
        .embeddingsRegularizer("l2").maskZero(false).build();
    assertEquals("RandomUniform", ((Map<?, ?>) uniform.getConfig().get("embeddings_initializer")).get("class_name"));
    assertEquals(Map.of("class_name", "L2", "config", Map.of("l2", 0.01f)), uniform.getConfig().get("embeddings_regularizer"));
  }
}
