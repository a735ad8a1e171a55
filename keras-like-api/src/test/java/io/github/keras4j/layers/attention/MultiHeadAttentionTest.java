package io.github.keras4j.layers.attention;

import static io.github.keras4j.layers.attention.AttentionTestSupport.assertOutputAndScores;
import static io.github.keras4j.layers.attention.AttentionTestSupport.flat;
import static io.github.keras4j.layers.attention.AttentionTestSupport.flatWeights;
import static io.github.keras4j.layers.attention.AttentionTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.attention.AttentionTestSupport.MaskPattern;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.MaskedOperand;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.Embedding;
import io.github.keras4j.layers.pooling.GlobalAveragePooling1D;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;

/**
 * MultiHeadAttention: outputs and scores against the attention maths in double loops
 * ({@link AttentionTestSupport#multiHead}) from the layer's own weights, masks, gradients, training and errors.
 */
class MultiHeadAttentionTest {

  @BeforeEach
  void reset() {
    Backend.clearSession();
    Backend.setRandomSeed(3);
  }

  @Test
  void paramCountWeightNamesAndShapesAreKeras() {
    KerasTensor x = Input.of(5, 16);
    MultiHeadAttention mha = new MultiHeadAttention(2, 2);
    try (Model m = new Model(x, mha.apply(List.of(x, x)))) {
      // query/key/value: kernel 16*2*2 = 64 + bias 2*2 = 4, three times = 204; attention_output: kernel
      // 2*2*16 = 64 + bias 16 = 80; total 284 (Keras's summary of MultiHeadAttention(2, 2) on (None, 5, 16)).
      assertEquals(284, mha.countParams());
      assertEquals(284, m.countParams());
      AttentionTestSupport.assertProjectionWeights(mha, List.of(Shape.of(16, 2, 2), Shape.of(2, 2), Shape.of(16, 2, 2),
          Shape.of(2, 2), Shape.of(16, 2, 2), Shape.of(2, 2), Shape.of(2, 2, 16), Shape.of(16)));
    }
    // valueDim 3, outputShape 4, no bias, on query dim 5 and value dim 6, key dim 7:
    // 5*2*2 + 7*2*2 + 6*2*3 + 2*3*4 = 20 + 28 + 36 + 24 = 108.
    KerasTensor q = Input.of(3, 5);
    KerasTensor v = Input.of(4, 6);
    KerasTensor k = Input.of(4, 7);
    MultiHeadAttention other = MultiHeadAttention.builder(2, 2).valueDim(3).outputShape(4).useBias(false).build();
    KerasTensor y = other.apply(List.of(q, v, k));
    assertArrayEquals(new long[] {-1, 3, 4}, y.shape().asArray());
    try (Model m = new Model(List.of(q, v, k), List.of(y))) {
      assertEquals(108, m.countParams());
    }
  }

  /** The layer against the loops, with query, value and key of different sizes and random weights and biases. */
  @Test
  void outputAndScoresMatchTheMathsWithSeparateKey() {
    int b = 2;
    int t = 3;
    int s = 4;
    KerasTensor q = Input.of(t, 5);
    KerasTensor v = Input.of(s, 3);
    KerasTensor k = Input.of(s, 4);
    MultiHeadAttention mha = MultiHeadAttention.builder(2, 3).valueDim(2).outputShape(6).build();
    List<KerasTensor> outs = mha.applyWithScores(List.of(q, v, k));
    assertArrayEquals(new long[] {-1, 2, t, s}, outs.get(1).shape().asArray());
    try (Model m = new Model(List.of(q, v, k), outs)) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 40));
      FloatNdArray qs = random(1, b, t, 5);
      FloatNdArray vs = random(2, b, s, 3);
      FloatNdArray ks = random(3, b, s, 4);
      List<FloatNdArray> y = m.predictOutputs(List.of(qs, vs, ks), 32);
      double[][] expected = AttentionTestSupport.multiHead(flat(qs), flat(vs), flat(ks), b, t, s, 5, 3, 4, 2, 3, 2, 6,
          flatWeights(m), null);
      assertOutputAndScores(expected, y);
    }
  }

  /** Causal self-attention: scores vanish above the diagonal, rows sum to 1, and values match the loops. */
  @Test
  void causalMaskZeroesFutureScores() {
    int b = 2;
    int t = 4;
    KerasTensor x = Input.of(t, 3);
    MultiHeadAttention mha = MultiHeadAttention.builder(2, 2).useCausalMask(true).build();
    List<KerasTensor> outs = mha.applyWithScores(List.of(x, x));
    try (Model m = new Model(List.of(x), outs)) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 50));
      FloatNdArray xs = random(4, b, t, 3);
      List<FloatNdArray> y = m.predictOutputs(xs, 32);
      FloatNdArray scores = y.get(1);
      for (int bi = 0; bi < b; bi++) {
        for (int n = 0; n < 2; n++) {
          for (int i = 0; i < t; i++) {
            double sum = 0;
            for (int j = 0; j < t; j++) {
              float p = scores.getFloat(bi, n, i, j);
              if (j > i) {
                assertEquals(0f, p, "score of future step " + j + " from step " + i);
              }
              sum += p;
            }
            assertEquals(1.0, sum, 1e-5, "row sum");
          }
        }
      }
      // Step 0 attends to itself only.
      assertEquals(1f, scores.getFloat(0, 0, 0, 0), 1e-6);
      double[][] expected = AttentionTestSupport.multiHead(flat(xs), flat(xs), flat(xs), b, t, t, 3, 3, 3, 2, 2, 2, 3,
          flatWeights(m), AttentionTestSupport.causal(b, t, t));
      assertOutputAndScores(expected, y);
    }
  }

  /** An explicit (B, T, S) 0/1 mask as the fourth input: zero scores where 0, rows sum to 1; a zero row gives 0s. */
  @Test
  void explicitAttentionMaskAsFourthInput() {
    int b = 2;
    int t = 3;
    int s = 4;
    KerasTensor q = Input.of(t, 3);
    KerasTensor v = Input.of(s, 3);
    KerasTensor mask = Input.of(t, s);
    MultiHeadAttention mha = new MultiHeadAttention(2, 2);
    List<KerasTensor> outs = mha.applyWithScores(List.of(q, v, v, mask));
    // A fixed pattern; sample 1, query step 2 attends to nothing.
    MaskPattern pattern = MaskPattern.of(b, t, s);
    boolean[][][] keep = pattern.keep();
    try (Model m = new Model(List.of(q, v, mask), outs)) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 60));
      FloatNdArray qs = random(5, b, t, 3);
      FloatNdArray vs = random(6, b, s, 3);
      FloatNdArray ms = pattern.array();
      List<FloatNdArray> y = m.predictOutputs(List.of(qs, vs, ms), 32);
      for (int bi = 0; bi < b; bi++) {
        for (int i = 0; i < t; i++) {
          double sum = 0;
          for (int j = 0; j < s; j++) {
            float p = y.get(1).getFloat(bi, 1, i, j);
            if (!keep[bi][i][j]) {
              assertEquals(0f, p);
            }
            sum += p;
          }
          // Keras's Softmax with a mask: a fully masked row is all zeros, not uniform.
          assertEquals(bi == 1 && i == 2 ? 0.0 : 1.0, sum, 1e-5, "row sum of sample " + bi + " step " + i);
        }
      }
      double[][] expected = AttentionTestSupport.multiHead(flat(qs), flat(vs), flat(vs), b, t, s, 3, 3, 3, 2, 2, 2, 3,
          flatWeights(m), keep);
      assertOutputAndScores(expected, y);
    }
  }

  /**
   * Embedding(maskZero) masks: padded value steps get zero scores, padded query steps attend to nothing, and the
   * output carries the query's mask (Keras's _compute_attention_mask and compute_mask).
   */
  @Test
  void embeddingMasksJoinTheAttentionMask() {
    KerasTensor ids = Input.of(4);
    KerasTensor e = Embedding.builder(6, 3).maskZero(true).build().apply(ids);
    MultiHeadAttention mha = new MultiHeadAttention(1, 2);
    List<KerasTensor> outs = mha.applyWithScores(List.of(e, e));
    float[][] idValues = {{3, 1, 0, 0}, {2, 5, 4, 0}};
    try (Model m = new Model(List.of(ids), outs)) {
      List<FloatNdArray> y = m.predictOutputs(NdArrays.wrap(Shape.of(2, 4),
          DataBuffers.of(new float[] {3, 1, 0, 0, 2, 5, 4, 0}, false, false)), 32);
      boolean[][][] keep = new boolean[2][4][4];
      for (int bi = 0; bi < 2; bi++) {
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            keep[bi][i][j] = idValues[bi][i] != 0 && idValues[bi][j] != 0;
            if (!keep[bi][i][j]) {
              assertEquals(0f, y.get(1).getFloat(bi, 0, i, j), "score " + bi + "," + i + "," + j);
            }
          }
        }
      }
      // The loops on the embedded inputs (rows of the embedding table) with the mask above.
      List<float[]> w = flatWeights(m);
      float[] table = w.get(0);
      float[] x = new float[2 * 4 * 3];
      for (int bi = 0; bi < 2; bi++) {
        for (int i = 0; i < 4; i++) {
          System.arraycopy(table, (int) idValues[bi][i] * 3, x, (bi * 4 + i) * 3, 3);
        }
      }
      double[][] expected = AttentionTestSupport.multiHead(x, x, x, 2, 4, 4, 3, 3, 3, 1, 2, 2, 3, w.subList(1, 9),
          keep);
      assertOutputAndScores(expected, y);
      // The output's mask is the query's.
      Ops tf = m.runtime().tf();
      MaskedOperand out = m.callWithMasks(List.of(tf.constant(idValues)), false).get(0);
      assertTrue(out.mask() != null, "the output should carry the query's mask");
      try (Result r = m.runtime().session().runner().fetch(out.mask()).run()) {
        TBool mask = (TBool) r.get(0);
        for (int bi = 0; bi < 2; bi++) {
          for (int i = 0; i < 4; i++) {
            assertEquals(idValues[bi][i] != 0, mask.getBoolean(bi, i));
          }
        }
      }
    }
  }

  /** Gradients of every weight and both inputs against finite differences (cross-attention), and a training step. */
  @Test
  void gradientsMatchFiniteDifferences() {
    KerasTensor q = Input.of(3, 4);
    KerasTensor v = Input.of(2, 3);
    MultiHeadAttention mha = MultiHeadAttention.builder(2, 2).valueDim(3).build();
    try (Model m = new Model(List.of(q, v), List.of(mha.apply(List.of(q, v))))) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 70));
      long[] real = LayerChecks.gradientCheck(m, List.of(new long[] {2, 3, 4}, new long[] {2, 2, 3}),
          List.of(LayerChecks.randomValues(24, 1), LayerChecks.randomValues(12, 2)));
      assertArrayEquals(new long[] {2, 3, 4}, real);
      AttentionTestSupport.trainingStep(m, List.of(random(1, 2, 3, 4), random(2, 2, 2, 3)));
    }
  }

  /** The standard single-input checks on causal self-attention (x attends to x): shapes, gradients, one step. */
  @Test
  void causalSelfAttentionPassesTheLayerChecks() {
    KerasTensor x = Input.of(4, 3);
    MultiHeadAttention mha = MultiHeadAttention.builder(2, 2).useCausalMask(true).build();
    try (Model m = new Model(x, mha.apply(List.of(x, x)))) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 80));
      float[] xs = LayerChecks.randomValues(24, 7);
      LayerChecks.gradientCheck(m, new long[] {2, 4, 3}, xs);
      AttentionTestSupport.trainingStep(m, List.of(NdArrays.wrap(Shape.of(2, 4, 3), DataBuffers.of(xs, false, false))));
    }
  }

  /**
   * A self-attention model learns a task that needs attention: the target of each sequence is its value at the
   * step whose first feature is largest; Adam(0.01) for 100 steps must cut the loss by more than half.
   */
  @Test
  void selfAttentionModelTrains() {
    int n = 64;
    int t = 5;
    float[] x = LayerChecks.randomValues(n * t * 2, 21);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < t; j++) {
        if (x[(i * t + j) * 2] > x[(i * t + best) * 2]) {
          best = j;
        }
      }
      y[i] = x[(i * t + best) * 2 + 1];
    }
    KerasTensor in = Input.of(t, 2);
    KerasTensor h = new Dense(8, "tanh").apply(in);
    KerasTensor a = MultiHeadAttention.builder(2, 4).build().apply(List.of(h, h));
    KerasTensor out = new Dense(1).apply(new GlobalAveragePooling1D().apply(a));
    try (Model m = new Model(in, out)) {
      FloatNdArray xs = NdArrays.wrap(Shape.of(n, t, 2), DataBuffers.of(x, false, false));
      FloatNdArray ys = NdArrays.wrap(Shape.of(n, 1), DataBuffers.of(y, false, false));
      m.compile(new Adam(0.01f), "mse");
      double first = m.evaluate(xs, ys).get("loss");
      m.fit(xs, ys, new FitOptions().epochs(100).batchSize(n).verbose(0));
      double last = m.evaluate(xs, ys).get("loss");
      assertTrue(last < 0.5 * first, "loss should fall by more than half: " + first + " -> " + last);
    }
  }

  // ---------------------------------------------------------------- errors

  @Test
  void badInputsAreRejectedWithClearMessages() {
    KerasTensor x = Input.of(4, 3);
    MultiHeadAttention mha = MultiHeadAttention.builder(2, 2).name("mha").build();
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> mha.apply(x));
    assertTrue(one.getMessage().contains("'mha'") && one.getMessage().contains("[query, value]"), one.getMessage());
    IllegalArgumentException five = assertThrows(IllegalArgumentException.class,
        () -> mha.apply(List.of(x, x, x, Input.of(4, 4), x)));
    assertTrue(five.getMessage().contains("Received 5 input(s)"), five.getMessage());
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> mha.apply(List.of(Input.of(3), x)));
    assertTrue(rank.getMessage().contains("`query` must have rank 3") && rank.getMessage().contains("(None, 3)"),
        rank.getMessage());
    IllegalArgumentException keyValue = assertThrows(IllegalArgumentException.class,
        () -> mha.apply(List.of(x, Input.of(5, 3), Input.of(6, 3))));
    assertTrue(keyValue.getMessage().contains("value_shape=(None, 5, 3) and key_shape=(None, 6, 3)"),
        keyValue.getMessage());
    IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
        () -> mha.apply(List.of(x, Input.of(5, 3), Input.of(5, 3), Input.of(4, 4))));
    assertTrue(mask.getMessage().contains("(None, 4, 5)") && mask.getMessage().contains("(None, 4, 4)"),
        mask.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(0, 2)).getMessage()
        .contains("num_heads=0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MultiHeadAttention.builder(2, 2).attentionAxes(2))
        .getMessage().contains("attention_axes=[2]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MultiHeadAttention.builder(2, 2).dropout(1.0)
        .build()).getMessage().contains("dropout=1.0"));
  }
}
