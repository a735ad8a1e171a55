package io.github.keras4j.layers.attention;

import static io.github.keras4j.layers.attention.AttentionTestSupport.assertClose;
import static io.github.keras4j.layers.attention.AttentionTestSupport.assertOutputAndScores;
import static io.github.keras4j.layers.attention.AttentionTestSupport.flat;
import static io.github.keras4j.layers.attention.AttentionTestSupport.flatWeights;
import static io.github.keras4j.layers.attention.AttentionTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.attention.AttentionTestSupport.MaskPattern;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * GroupedQueryAttention: outputs and scores against grouped-query attention in plain double loops ({@link #loops}),
 * from the layer's own (random) weights; causal and explicit masks; equality with MultiHeadAttention when every
 * query head has its own key/value head; gradients against finite differences, a training step, config and errors.
 */
class GroupedQueryAttentionTest {

  @BeforeEach
  void reset() {
    Backend.clearSession();
    Backend.setRandomSeed(3);
  }

  /**
   * Grouped-query attention in loops ({@link AttentionTestSupport#groupedQuery}) for this layer: q (B, T, d),
   * k (B, S, dk), v (B, S, d), head size H throughout and an output of size d; weights in the layer's order.
   */
  static double[][] loops(float[] q, float[] v, float[] k, int b, int t, int s, int d, int dk, int nq, int nkv, int h,
      List<float[]> w, boolean[][][] mask) {
    return AttentionTestSupport.groupedQuery(q, v, k, b, t, s, d, d, dk, nq, nkv, h, h, d, w, mask);
  }

  @Test
  void paramCountWeightNamesAndShapesAreKeras() {
    KerasTensor x = Input.of(5, 16);
    GroupedQueryAttention gqa = new GroupedQueryAttention(2, 4, 2);
    KerasTensor y = gqa.apply(List.of(x, x));
    assertArrayEquals(new long[] {-1, 5, 16}, y.shape().asArray());
    try (Model m = new Model(x, y)) {
      // query 16*4*2 + 4*2 = 136; key and value 16*2*2 + 2*2 = 68 each; attention_output 4*2*16 + 16 = 144.
      assertEquals(136 + 68 + 68 + 144, m.countParams());
      AttentionTestSupport.assertProjectionWeights(gqa, List.of(Shape.of(16, 4, 2), Shape.of(4, 2), Shape.of(16, 2, 2),
          Shape.of(2, 2), Shape.of(16, 2, 2), Shape.of(2, 2), Shape.of(4, 2, 16), Shape.of(16)));
    }
  }

  /** Two query heads per key/value head, a key of another size than the value, random weights and biases. */
  @Test
  void outputAndScoresMatchTheLoops() {
    int b = 2;
    int t = 3;
    int s = 4;
    KerasTensor q = Input.of(t, 5);
    KerasTensor v = Input.of(s, 5);
    KerasTensor k = Input.of(s, 3);
    GroupedQueryAttention gqa = GroupedQueryAttention.builder(3, 4, 2).build();
    List<KerasTensor> outs = gqa.applyWithScores(List.of(q, v, k));
    assertArrayEquals(new long[] {-1, 4, t, s}, outs.get(1).shape().asArray());
    try (Model m = new Model(List.of(q, v, k), outs)) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 40));
      FloatNdArray qs = random(1, b, t, 5);
      FloatNdArray vs = random(2, b, s, 5);
      FloatNdArray ks = random(3, b, s, 3);
      List<FloatNdArray> y = m.predictOutputs(List.of(qs, vs, ks), 32);
      double[][] expected = loops(flat(qs), flat(vs), flat(ks), b, t, s, 5, 3, 4, 2, 3, flatWeights(m), null);
      assertOutputAndScores(expected, y);
    }
  }

  /** Multi-query attention (one key/value head) with a causal mask: loops, and zero scores above the diagonal. */
  @Test
  void multiQueryCausalMatchesTheLoops() {
    int b = 2;
    int t = 4;
    KerasTensor x = Input.of(t, 3);
    GroupedQueryAttention gqa = GroupedQueryAttention.builder(2, 3, 1).useCausalMask(true).build();
    List<KerasTensor> outs = gqa.applyWithScores(List.of(x, x));
    try (Model m = new Model(List.of(x), outs)) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 50));
      FloatNdArray xs = random(4, b, t, 3);
      List<FloatNdArray> y = m.predictOutputs(xs, 32);
      for (int bi = 0; bi < b; bi++) {
        for (int u = 0; u < 3; u++) {
          for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
              assertEquals(0f, y.get(1).getFloat(bi, u, i, j), "score of future step " + j + " from step " + i);
            }
          }
        }
      }
      double[][] expected = loops(flat(xs), flat(xs), flat(xs), b, t, t, 3, 3, 3, 1, 2, flatWeights(m),
          AttentionTestSupport.causal(b, t, t));
      assertOutputAndScores(expected, y);
    }
  }

  /** An explicit (B, T, S) 0/1 mask as the fourth input; a fully masked row gives zero scores (Keras's Softmax). */
  @Test
  void explicitAttentionMaskMatchesTheLoops() {
    int b = 2;
    int t = 3;
    int s = 4;
    KerasTensor q = Input.of(t, 4);
    KerasTensor v = Input.of(s, 4);
    KerasTensor mask = Input.of(t, s);
    GroupedQueryAttention gqa = new GroupedQueryAttention(2, 4, 2);
    List<KerasTensor> outs = gqa.applyWithScores(List.of(q, v, v, mask));
    MaskPattern pattern = MaskPattern.of(b, t, s);
    boolean[][][] keep = pattern.keep();
    try (Model m = new Model(List.of(q, v, mask), outs)) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 60));
      FloatNdArray qs = random(5, b, t, 4);
      FloatNdArray vs = random(6, b, s, 4);
      FloatNdArray ms = pattern.array();
      List<FloatNdArray> y = m.predictOutputs(List.of(qs, vs, ms), 32);
      double[][] expected = loops(flat(qs), flat(vs), flat(vs), b, t, s, 4, 4, 4, 2, 2, flatWeights(m), keep);
      assertOutputAndScores(expected, y);
      assertEquals(0f, y.get(1).getFloat(1, 3, 2, 0), "fully masked row");
    }
  }

  /**
   * With as many key/value heads as query heads, GroupedQueryAttention is MultiHeadAttention(numHeads, keyDim =
   * headDim): the weight layouts are the same, so the same weights give the same outputs and scores.
   */
  @Test
  void equalsMultiHeadAttentionWithOneKeyValueHeadPerQueryHead() {
    KerasTensor q = Input.of(3, 6);
    KerasTensor v = Input.of(4, 6);
    KerasTensor k = Input.of(4, 5);
    List<KerasTensor> g = GroupedQueryAttention.builder(2, 3, 3).useCausalMask(true).build()
        .applyWithScores(List.of(q, v, k));
    List<KerasTensor> h = MultiHeadAttention.builder(3, 2).useCausalMask(true).build()
        .applyWithScores(List.of(q, v, k));
    try (Model m = new Model(List.of(q, v, k), List.of(g.get(0), g.get(1), h.get(0), h.get(1)))) {
      List<FloatNdArray> w = AttentionTestSupport.randomLike(m.getWeights().subList(0, 8), 90);
      List<FloatNdArray> both = new ArrayList<>(w);
      both.addAll(w);
      m.setWeights(both);
      List<FloatNdArray> y = m.predictOutputs(List.of(random(1, 2, 3, 6), random(2, 2, 4, 6), random(3, 2, 4, 5)),
          32);
      assertArrayEquals(flat(y.get(2)), flat(y.get(0)), 1e-5f, "output");
      assertArrayEquals(flat(y.get(3)), flat(y.get(1)), 1e-6f, "scores");
    }
  }

  /**
   * The standard checks for a list-input layer: inferred vs real output shape, gradients of every weight and both
   * inputs against finite differences, and one training step (AttentionTestSupport.trainingStep: every weight
   * moves except the key bias, whose gradient is exactly 0 since it shifts whole softmax rows).
   */
  @Test
  void gradientsMatchFiniteDifferencesAndTrainingMovesTheWeights() {
    KerasTensor q = Input.of(3, 4);
    KerasTensor v = Input.of(2, 4);
    GroupedQueryAttention gqa = GroupedQueryAttention.builder(2, 4, 2).build();
    try (Model m = new Model(List.of(q, v), List.of(gqa.apply(List.of(q, v))))) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 70));
      long[] real = LayerChecks.gradientCheck(m, List.of(new long[] {2, 3, 4}, new long[] {2, 2, 4}),
          List.of(LayerChecks.randomValues(24, 1), LayerChecks.randomValues(16, 2)));
      assertArrayEquals(new long[] {2, 3, 4}, real);
      AttentionTestSupport.trainingStep(m, List.of(random(1, 2, 3, 4), random(2, 2, 2, 4)));
    }
    Backend.clearSession();
    KerasTensor x = Input.of(4, 3);
    GroupedQueryAttention causal = GroupedQueryAttention.builder(2, 2, 1).useCausalMask(true).build();
    try (Model m = new Model(x, causal.apply(List.of(x, x)))) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 80));
      float[] xs = LayerChecks.randomValues(24, 7);
      LayerChecks.gradientCheck(m, new long[] {2, 4, 3}, xs);
      AttentionTestSupport.trainingStep(m, List.of(NdArrays.wrap(Shape.of(2, 4, 3), DataBuffers.of(xs, false,
          false))));
    }
  }

  /** Dropout acts in training only: the training output differs from inference, which matches the loops. */
  @Test
  void dropoutActsInTrainingOnly() {
    KerasTensor x = Input.of(4, 3);
    GroupedQueryAttention gqa = GroupedQueryAttention.builder(2, 2, 1).dropout(0.5).seed(1L).build();
    try (Model m = new Model(x, gqa.apply(List.of(x, x)))) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 20));
      FloatNdArray xs = random(9, 2, 4, 3);
      double[][] expected = loops(flat(xs), flat(xs), flat(xs), 2, 4, 4, 3, 3, 2, 1, 2, flatWeights(m), null);
      assertClose(expected[0], m.predict(xs), 1e-4, "inference output");
      var tf = m.runtime().tf();
      var training = m.call(List.of(tf.constant(xs)), true).get(0);
      try (var r = m.runtime().session().runner().fetch(training).run()) {
        float[] trained = flat((FloatNdArray) r.get(0));
        double diff = 0;
        for (int i = 0; i < trained.length; i++) {
          diff = Math.max(diff, Math.abs(trained[i] - expected[0][i]));
        }
        assertTrue(diff > 1e-3, "dropout should change the training output, max difference " + diff);
      }
    }
  }

  @Test
  void configHasKerasKeys() {
    GroupedQueryAttention gqa = GroupedQueryAttention.builder(8, 4, 2).name("gqa").dropout(0.1).seed(5L).build();
    Map<String, Object> c = gqa.getConfig();
    assertEquals(8, c.get("head_dim"));
    assertEquals(4, c.get("num_query_heads"));
    assertEquals(2, c.get("num_key_value_heads"));
    assertEquals(0.1f, c.get("dropout"));
    assertEquals(5L, c.get("seed"));
    assertEquals(false, c.get("use_gate"));
    assertTrue(c.containsKey("sliding_window") && !c.containsKey("use_causal_mask"), c.toString());
  }

  @Test
  void badArgumentsAndInputsAreRejected() {
    IllegalArgumentException divisible = assertThrows(IllegalArgumentException.class,
        () -> GroupedQueryAttention.builder(2, 4, 3).name("gqa").build());
    assertTrue(divisible.getMessage().contains("'gqa'") && divisible.getMessage().contains("num_query_heads=4, "
        + "num_key_value_heads=3"), divisible.getMessage());
    Backend.clearSession();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GroupedQueryAttention(0, 2, 1)).getMessage()
        .contains("head_dim=0"));
    Backend.clearSession();
    GroupedQueryAttention gqa = GroupedQueryAttention.builder(2, 2, 1).name("gqa").build();
    KerasTensor x = Input.of(4, 3);
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> gqa.apply(x));
    assertTrue(one.getMessage().contains("'gqa'") && one.getMessage().contains("[query, value]"), one.getMessage());
    IllegalArgumentException last = assertThrows(IllegalArgumentException.class,
        () -> gqa.apply(List.of(x, Input.of(5, 6))));
    assertTrue(last.getMessage().contains("but are 3, 6") && last.getMessage().contains("(None, 5, 6)"),
        last.getMessage());
    IllegalArgumentException keyValue = assertThrows(IllegalArgumentException.class,
        () -> gqa.apply(List.of(x, Input.of(5, 3), Input.of(6, 3))));
    assertTrue(keyValue.getMessage().contains("value_shape=(None, 5, 3) and key_shape=(None, 6, 3)"),
        keyValue.getMessage());
  }
}
