package io.github.keras4j.layers.attention;

import static io.github.keras4j.layers.attention.AttentionTestSupport.assertClose;
import static io.github.keras4j.layers.attention.AttentionTestSupport.flat;
import static io.github.keras4j.layers.attention.AttentionTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.models.Model;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/** AdditiveAttention (Bahdanau): outputs against sum(scale * tanh(q + k)) in loops, gradients, config, errors. */
class AdditiveAttentionTest {

  @BeforeEach
  void reset() {
    Backend.clearSession();
    Backend.setRandomSeed(9);
  }

  /** scores[b][i][j] = sum_f scale[f] * tanh(q[b][i][f] + k[b][j][f]) (scale null: 1). */
  static double[] scores(float[] q, float[] k, float[] scale, int b, int tq, int tv, int d) {
    double[] out = new double[b * tq * tv];
    for (int bi = 0; bi < b; bi++) {
      for (int i = 0; i < tq; i++) {
        for (int j = 0; j < tv; j++) {
          double acc = 0;
          for (int f = 0; f < d; f++) {
            acc += (scale == null ? 1 : scale[f]) * Math.tanh(q[(bi * tq + i) * d + f] + k[(bi * tv + j) * d + f]);
          }
          out[(bi * tq + i) * tv + j] = acc;
        }
      }
    }
    return out;
  }

  @Test
  void scoresMatchTheMathsWithAndWithoutScale() {
    for (boolean useScale : new boolean[] {true, false}) {
      KerasTensor q = Input.of(3, 4);
      KerasTensor v = Input.of(5, 2);
      KerasTensor k = Input.of(5, 4);
      AdditiveAttention layer = AdditiveAttention.builder().useScale(useScale).useCausalMask(useScale).build();
      List<KerasTensor> outs = layer.applyWithScores(List.of(q, v, k));
      try (Model m = new Model(List.of(q, v, k), outs)) {
        // The scale vector has the query's last size, 4 parameters (glorot_uniform); none without useScale.
        assertEquals(useScale ? 4 : 0, m.countParams());
        float[] scale = useScale ? flat(m.getWeights().get(0)) : null;
        FloatNdArray qs = random(1, 2, 3, 4);
        FloatNdArray vs = random(2, 2, 5, 2);
        FloatNdArray ks = random(3, 2, 5, 4);
        List<FloatNdArray> y = m.predictOutputs(List.of(qs, vs, ks), 32);
        double[][] expected = AttentionTestSupport.applyScores(scores(flat(qs), flat(ks), scale, 2, 3, 5, 4),
            flat(vs), 2, 3, 5, 2, useScale ? AttentionTestSupport.causal(2, 3, 5) : null, null);
        assertClose(expected[0], y.get(0), 1e-5, "output, useScale=" + useScale);
        assertClose(expected[1], y.get(1), 1e-6, "weights, useScale=" + useScale);
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    AttentionTestSupport.checkGradientsAndTraining(new AdditiveAttention(), 5, 6);
  }

  @Test
  void configHasKerasKeysWithoutScoreMode() {
    AdditiveAttention layer = AdditiveAttention.builder().dropout(0.25).seed(4L).build();
    var c = layer.getConfig();
    assertEquals(true, c.get("use_scale"));
    assertEquals(0.25f, c.get("dropout"));
    assertEquals(4L, c.get("seed"));
    assertFalse(c.containsKey("score_mode"));
    assertFalse(c.containsKey("use_causal_mask"));
  }

  @Test
  void mismatchedQueryAndKeyAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AdditiveAttention().apply(List.of(Input.of(3, 4), Input.of(5, 2))));
    assertTrue(e.getMessage().contains("AdditiveAttention") && e.getMessage().contains("(None, 5, 2)"),
        e.getMessage());
  }
}
