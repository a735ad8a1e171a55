package io.github.keras4j.layers.attention;

import static io.github.keras4j.layers.attention.AttentionTestSupport.assertClose;
import static io.github.keras4j.layers.attention.AttentionTestSupport.flat;
import static io.github.keras4j.layers.attention.AttentionTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Embedding;
import io.github.keras4j.models.Model;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Attention (Luong): outputs and weights against the maths in double loops, masks, gradients and errors. */
class AttentionTest {

  @BeforeEach
  void reset() {
    Backend.clearSession();
    Backend.setRandomSeed(5);
  }

  /** Dot scores in loops: scale * q . k, or concatWeight * sum(tanh(scale * (q + k))) for "concat". */
  static double[] scores(float[] q, float[] k, int b, int tq, int tv, int d, String mode, double scale,
      double concatWeight) {
    double[] out = new double[b * tq * tv];
    for (int bi = 0; bi < b; bi++) {
      for (int i = 0; i < tq; i++) {
        for (int j = 0; j < tv; j++) {
          double acc = 0;
          for (int f = 0; f < d; f++) {
            double qv = q[(bi * tq + i) * d + f];
            double kv = k[(bi * tv + j) * d + f];
            acc += "dot".equals(mode) ? qv * kv : Math.tanh(scale * (qv + kv));
          }
          out[(bi * tq + i) * tv + j] = "dot".equals(mode) ? scale * acc : concatWeight * acc;
        }
      }
    }
    return out;
  }

  private static void checkAgainstLoops(Attention layer, String mode, boolean causal) {
    int b = 2;
    int tq = 3;
    int tv = 4;
    KerasTensor q = Input.of(tq, 3);
    KerasTensor v = Input.of(tv, 2);
    KerasTensor k = Input.of(tv, 3);
    List<KerasTensor> outs = layer.applyWithScores(List.of(q, v, k));
    assertArrayEquals(new long[] {-1, tq, 2}, outs.get(0).shape().asArray());
    assertArrayEquals(new long[] {-1, tq, tv}, outs.get(1).shape().asArray());
    try (Model m = new Model(List.of(q, v, k), outs)) {
      // Non-trivial scalars (Keras initializes both to 1).
      List<FloatNdArray> w = m.getWeights();
      double scale = 1;
      double concatWeight = 1;
      if (layer.useScale()) {
        scale = 0.7;
        w.set(0, NdArrays.scalarOf(0.7f));
      }
      if ("concat".equals(mode)) {
        concatWeight = 1.3;
        w.set(w.size() - 1, NdArrays.scalarOf(1.3f));
      }
      m.setWeights(w);
      FloatNdArray qs = random(11, b, tq, 3);
      FloatNdArray vs = random(12, b, tv, 2);
      FloatNdArray ks = random(13, b, tv, 3);
      List<FloatNdArray> y = m.predictOutputs(List.of(qs, vs, ks), 32);
      double[] logits = scores(flat(qs), flat(ks), b, tq, tv, 3, mode, scale, concatWeight);
      double[][] expected = AttentionTestSupport.applyScores(logits, flat(vs), b, tq, tv, 2,
          causal ? AttentionTestSupport.causal(b, tq, tv) : null, null);
      assertClose(expected[0], y.get(0), 1e-5, "output");
      assertClose(expected[1], y.get(1), 1e-6, "weights");
    }
  }

  @Test
  void dotScoresMatchTheMaths() {
    checkAgainstLoops(new Attention(), "dot", false);
  }

  @Test
  void scaledDotScoresMatchTheMaths() {
    checkAgainstLoops(Attention.builder().useScale(true).build(), "dot", false);
  }

  @Test
  void concatScoresMatchTheMaths() {
    checkAgainstLoops(Attention.builder().scoreMode("concat").useScale(true).build(), "concat", false);
  }

  @Test
  void causalMaskKeepsTheFutureOut() {
    Attention layer = Attention.builder().useCausalMask(true).build();
    checkAgainstLoops(layer, "dot", true);
  }

  @Test
  void paramCounts() {
    // No weights by default; use_scale adds the scalar scale (1); "concat" adds concat_score_weight (1).
    int[] expected = {0, 1, 2};
    Attention[] layers = {new Attention(), Attention.builder().useScale(true).build(),
        Attention.builder().useScale(true).scoreMode("concat").build()};
    for (int i = 0; i < layers.length; i++) {
      KerasTensor x = Input.of(3, 4);
      try (Model m = new Model(x, layers[i].apply(List.of(x, x)))) {
        assertEquals(expected[i], m.countParams(), layers[i].name());
      }
    }
  }

  /**
   * Embedding(maskZero): padded value steps get weight 0 (up to e^-1e9), padded query steps output 0, as Keras's
   * value and query masks; the loops apply the same masks.
   */
  @Test
  void embeddingMasksHideValuesAndZeroQueries() {
    KerasTensor ids = Input.of(4);
    KerasTensor e = Embedding.builder(6, 3).maskZero(true).build().apply(ids);
    List<KerasTensor> outs = new Attention().applyWithScores(List.of(e, e));
    float[][] idValues = {{3, 1, 0, 0}, {2, 5, 4, 0}};
    try (Model m = new Model(List.of(ids), outs)) {
      List<FloatNdArray> y = m.predictOutputs(NdArrays.wrap(Shape.of(2, 4),
          DataBuffers.of(new float[] {3, 1, 0, 0, 2, 5, 4, 0}, false, false)), 32);
      float[] table = flat(m.getWeights().get(0));
      float[] x = new float[2 * 4 * 3];
      boolean[][][] keep = new boolean[2][4][4];
      boolean[][] queryKeep = new boolean[2][4];
      for (int bi = 0; bi < 2; bi++) {
        for (int i = 0; i < 4; i++) {
          System.arraycopy(table, (int) idValues[bi][i] * 3, x, (bi * 4 + i) * 3, 3);
          queryKeep[bi][i] = idValues[bi][i] != 0;
          for (int j = 0; j < 4; j++) {
            keep[bi][i][j] = idValues[bi][j] != 0;
            if (!keep[bi][i][j]) {
              assertEquals(0f, y.get(1).getFloat(bi, i, j), 1e-30, "weight of a padded value step");
            }
          }
        }
      }
      double[][] expected = AttentionTestSupport.applyScores(scores(x, x, 2, 4, 4, 3, "dot", 1, 1), x, 2, 4, 4, 3,
          keep, queryKeep);
      assertClose(expected[0], y.get(0), 1e-5, "output");
      assertClose(expected[1], y.get(1), 1e-6, "weights");
      assertEquals(0f, y.get(0).getFloat(0, 3, 1), "output of a padded query step");
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    for (Attention layer : List.of(Attention.builder().useScale(true).build(),
        Attention.builder().useScale(true).scoreMode("concat").useCausalMask(true).build())) {
      AttentionTestSupport.checkGradientsAndTraining(layer, 3, 4);
    }
  }

  @Test
  void dropoutOnlyInTraining() {
    // Inference ignores dropout: the same output as without it (weights are the same: none).
    KerasTensor x = Input.of(3, 2);
    Attention dropping = Attention.builder().dropout(0.5).seed(1L).build();
    try (Model a = new Model(x, dropping.apply(List.of(x, x)));
        Model b = new Model(x, new Attention().apply(List.of(x, x)))) {
      FloatNdArray xs = random(3, 2, 3, 2);
      assertArrayEquals(flat(b.predict(xs)), flat(a.predict(xs)));
    }
  }

  @Test
  void badInputsAreRejectedWithClearMessages() {
    KerasTensor x = Input.of(4, 3);
    Attention layer = Attention.builder().name("att").build();
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> layer.apply(x));
    assertTrue(one.getMessage().contains("'att'") && one.getMessage().contains("Received length: 1"),
        one.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> layer.apply(List.of(x, x, x, x))).getMessage()
        .contains("Received length: 4"));
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> layer.apply(List.of(x, Input.of(2, 2, 3))));
    assertTrue(rank.getMessage().contains("`value` must have rank 3") && rank.getMessage().contains("(None, 2, 2, 3)"),
        rank.getMessage());
    IllegalArgumentException keyValue = assertThrows(IllegalArgumentException.class,
        () -> layer.apply(List.of(x, Input.of(5, 3), Input.of(6, 3))));
    assertTrue(keyValue.getMessage().contains("value_shape=(None, 5, 3) and key_shape=(None, 6, 3)"),
        keyValue.getMessage());
    IllegalArgumentException dims = assertThrows(IllegalArgumentException.class,
        () -> layer.apply(List.of(x, Input.of(5, 2))));
    assertTrue(dims.getMessage().contains("query_shape=(None, 4, 3) and key_shape=(None, 5, 2)"), dims.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Attention.builder().scoreMode("sum").build())
        .getMessage().contains("score_mode=sum"));
  }
}
