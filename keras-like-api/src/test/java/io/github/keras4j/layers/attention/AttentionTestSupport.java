package io.github.keras4j.layers.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Helpers of the attention tests: random tensors, flat copies, the checks several tests share (weights, outputs and
 * scores, an explicit mask, gradients and a training step), and the attention maths in plain double loops (the
 * independent reference the layers' outputs are compared with).
 */
final class AttentionTestSupport {

  private AttentionTestSupport() {}

  /** A tensor of {@code shape} with values in [-1, 1) from {@link LayerChecks#randomValues}. */
  static FloatNdArray random(long seed, long... shape) {
    return NdArrays.wrap(Shape.of(shape), DataBuffers.of(LayerChecks.randomValues((int) Shape.of(shape).size(), seed),
        false, false));
  }

  /** The values of {@code a}, row-major. */
  static float[] flat(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  /** A model's weights, each flattened, in the model's order (the references' weight list). */
  static List<float[]> flatWeights(Model m) {
    List<float[]> out = new ArrayList<>();
    m.getWeights().forEach(w -> out.add(flat(w)));
    return out;
  }

  /** Random weights of the same shapes as {@code weights} (so that biases are not all zero). */
  static List<FloatNdArray> randomLike(List<FloatNdArray> weights, long seed) {
    List<FloatNdArray> out = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      out.add(random(seed + i, weights.get(i).shape().asArray()));
    }
    return out;
  }

  /** Asserts equal values (row-major) to {@code tol}. */
  static void assertClose(double[] expected, FloatNdArray actual, double tol, String what) {
    float[] a = flat(actual);
    assertEquals(expected.length, a.length, what + ": number of values");
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], tol, what + " [" + i + "]");
    }
  }

  /**
   * Asserts a MultiHeadAttention-style model's outputs {@code [output, scores]} against the loops' {@code expected}:
   * the output to 1e-4, the scores to 1e-5.
   */
  static void assertOutputAndScores(double[][] expected, List<FloatNdArray> y) {
    assertClose(expected[0], y.get(0), 1e-4, "output");
    assertClose(expected[1], y.get(1), 1e-5, "scores");
  }

  /**
   * Asserts the weights of MultiHeadAttention or GroupedQueryAttention: Keras's names and order (query, key, value,
   * attention_output, each kernel then bias) and the given shapes.
   */
  static void assertProjectionWeights(Layer layer, List<Shape> expectedShapes) {
    List<String> names = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    for (Layer.Weight w : layer.weights()) {
      names.add(w.name());
      shapes.add(w.variable().shape());
    }
    assertEquals(List.of("query_kernel", "query_bias", "key_kernel", "key_bias", "value_kernel", "value_bias",
        "attention_output_kernel", "attention_output_bias"), names);
    assertEquals(expectedShapes, shapes);
  }

  /**
   * A fixed (B, T, S) 0/1 attention mask for the explicit-mask tests: an entry is 0 where its flat index {@code i}
   * has {@code i % 3 == 1}, and sample 1's query step 2 attends to nothing.
   *
   * @param values the mask, row-major
   * @param keep the same as booleans, {@code keep[b][t][s]}
   */
  record MaskPattern(float[] values, boolean[][][] keep) {

    /** The pattern for {@code b} samples, {@code t} query steps and {@code s} value steps. */
    static MaskPattern of(int b, int t, int s) {
      float[] values = new float[b * t * s];
      boolean[][][] keep = new boolean[b][t][s];
      for (int i = 0; i < values.length; i++) {
        boolean allowed = (i % 3 != 1) && !(i / s == t + 2);
        values[i] = allowed ? 1f : 0f;
        keep[i / (t * s)][(i / s) % t][i % s] = allowed;
      }
      return new MaskPattern(values, keep);
    }

    /** The mask as a (B, T, S) array, the model's fourth input. */
    FloatNdArray array() {
      return NdArrays.wrap(Shape.of(keep.length, keep[0].length, keep[0][0].length),
          DataBuffers.of(values, false, false));
    }
  }

  /**
   * Finite-difference gradients of every weight and both inputs of {@code layer} on a query {@code (2, 3, 2)} and a
   * value {@code (2, 4, 2)} from {@link LayerChecks#randomValues} seeds {@code querySeed} and {@code valueSeed}, then
   * one training step ({@link #trainingStep}).
   */
  static void checkGradientsAndTraining(Layer layer, long querySeed, long valueSeed) {
    KerasTensor q = Input.of(3, 2);
    KerasTensor v = Input.of(4, 2);
    try (Model m = new Model(List.of(q, v), List.of(layer.apply(List.of(q, v))))) {
      LayerChecks.gradientCheck(m, List.of(new long[] {2, 3, 2}, new long[] {2, 4, 2}),
          List.of(LayerChecks.randomValues(12, querySeed), LayerChecks.randomValues(16, valueSeed)));
      trainingStep(m, List.of(random(1, 2, 3, 2), random(2, 2, 4, 2)));
    }
  }

  /**
   * One SGD step towards shifted targets: the loss is finite and every weight moves, except the key bias: it adds
   * {@code q . bk} to every score of a softmax row, which the softmax ignores, so its gradient is exactly 0 (in
   * Keras too).
   */
  static void trainingStep(Model m, List<FloatNdArray> xs) {
    FloatNdArray y = m.predict(xs.size() == 1 ? xs.get(0) : xs);
    List<FloatNdArray> before = m.getWeights();
    float[] target = flat(y);
    for (int i = 0; i < target.length; i++) {
      target[i] += 1f;
    }
    m.compile("sgd", "mse");
    double loss = m.trainOnBatch(xs.size() == 1 ? xs.get(0) : xs, NdArrays.wrap(y.shape(), DataBuffers.of(target, false, false))).get("loss");
    assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
    List<FloatNdArray> after = m.getWeights();
    for (int i = 0; i < before.size(); i++) {
      String name = m.variables().get(i).name();
      boolean moved = !before.get(i).equals(after.get(i));
      assertEquals(!name.endsWith("key_bias"), moved, "weight " + name + " moved: " + moved);
    }
  }

  /**
   * Keras's masked softmax over the last axis of {@code logits[rows][cols]}, in place: masked entries become -1e9
   * before the softmax and 0 after it when {@code zeroMasked} (Keras's Softmax layer, used by MultiHeadAttention),
   * or get {@code logit - 1e9} and keep their softmax value otherwise (Keras's Attention._apply_scores).
   */
  static void softmaxRow(double[] logits, boolean[] keep, boolean zeroMasked) {
    double max = Double.NEGATIVE_INFINITY;
    double[] x = new double[logits.length];
    for (int j = 0; j < x.length; j++) {
      boolean k = keep == null || keep[j];
      x[j] = k ? logits[j] : (zeroMasked ? -1e9 : logits[j] - 1e9);
      max = Math.max(max, x[j]);
    }
    double sum = 0;
    for (int j = 0; j < x.length; j++) {
      x[j] = Math.exp(x[j] - max);
      sum += x[j];
    }
    for (int j = 0; j < x.length; j++) {
      logits[j] = zeroMasked && keep != null && !keep[j] ? 0 : x[j] / sum;
    }
  }

  /**
   * Multi-head attention in loops. Shapes: q (B, T, dq), v (B, S, dv), k (B, S, dk); kernels wq (dq, N, H),
   * wk (dk, N, H), wv (dv, N, Hv), wo (N, Hv, O); biases bq (N, H), bk (N, H), bv (N, Hv), bo (O) (null: none);
   * mask[b][t][s] true where attention is allowed (null: all). Returns {output (B, T, O), scores (B, N, T, S)}.
   */
  static double[][] multiHead(float[] q, float[] v, float[] k, int b, int t, int s, int dq, int dv, int dk, int n,
      int h, int hv, int o, List<float[]> w, boolean[][][] mask) {
    return groupedQuery(q, v, k, b, t, s, dq, dv, dk, n, n, h, hv, o, w, mask);
  }

  /**
   * Grouped-query attention in loops, from the paper / Keras's docstring: {@link #multiHead} with {@code nkv} key
   * and value heads (wk (dk, V, H), wv (dv, V, Hv), bk (V, H), bv (V, Hv)), query head {@code u} using key/value
   * head {@code u / (N / V)} (Keras's ops.repeat on the heads axis). Scores are softmax(q.k / sqrt(H)) over S with
   * Keras's masked softmax; {@code nkv == n} is multi-head attention.
   */
  static double[][] groupedQuery(float[] q, float[] v, float[] k, int b, int t, int s, int dq, int dv, int dk, int n,
      int nkv, int h, int hv, int o, List<float[]> w, boolean[][][] mask) {
    int repeats = n / nkv;
    float[] wq = w.get(0);
    float[] bq = w.get(1);
    float[] wk = w.get(2);
    float[] bk = w.get(3);
    float[] wv = w.get(4);
    float[] bv = w.get(5);
    float[] wo = w.get(6);
    float[] bo = w.get(7);
    double[] out = new double[b * t * o];
    double[] scores = new double[b * n * t * s];
    for (int bi = 0; bi < b; bi++) {
      // Projections.
      double[][][] qp = new double[t][n][h];
      double[][][] kp = new double[s][nkv][h];
      double[][][] vp = new double[s][nkv][hv];
      for (int ti = 0; ti < t; ti++) {
        for (int ni = 0; ni < n; ni++) {
          for (int hi = 0; hi < h; hi++) {
            double acc = bq[ni * h + hi];
            for (int d = 0; d < dq; d++) {
              acc += q[(bi * t + ti) * dq + d] * wq[(d * n + ni) * h + hi];
            }
            qp[ti][ni][hi] = acc;
          }
        }
      }
      for (int si = 0; si < s; si++) {
        for (int g = 0; g < nkv; g++) {
          for (int hi = 0; hi < h; hi++) {
            double acc = bk[g * h + hi];
            for (int d = 0; d < dk; d++) {
              acc += k[(bi * s + si) * dk + d] * wk[(d * nkv + g) * h + hi];
            }
            kp[si][g][hi] = acc;
          }
          for (int hi = 0; hi < hv; hi++) {
            double acc = bv[g * hv + hi];
            for (int d = 0; d < dv; d++) {
              acc += v[(bi * s + si) * dv + d] * wv[(d * nkv + g) * hv + hi];
            }
            vp[si][g][hi] = acc;
          }
        }
      }
      double[][][] context = new double[t][n][hv];
      for (int ni = 0; ni < n; ni++) {
        int g = ni / repeats;
        for (int ti = 0; ti < t; ti++) {
          double[] row = new double[s];
          for (int si = 0; si < s; si++) {
            double dot = 0;
            for (int hi = 0; hi < h; hi++) {
              dot += qp[ti][ni][hi] * kp[si][g][hi];
            }
            row[si] = dot / Math.sqrt(h);
          }
          softmaxRow(row, mask == null ? null : mask[bi][ti], true);
          for (int si = 0; si < s; si++) {
            scores[((bi * n + ni) * t + ti) * s + si] = row[si];
            for (int hi = 0; hi < hv; hi++) {
              context[ti][ni][hi] += row[si] * vp[si][g][hi];
            }
          }
        }
      }
      for (int ti = 0; ti < t; ti++) {
        for (int oi = 0; oi < o; oi++) {
          double acc = bo[oi];
          for (int ni = 0; ni < n; ni++) {
            for (int hi = 0; hi < hv; hi++) {
              acc += context[ti][ni][hi] * wo[(ni * hv + hi) * o + oi];
            }
          }
          out[(bi * t + ti) * o + oi] = acc;
        }
      }
    }
    return new double[][] {out, scores};
  }

  /**
   * Attention / AdditiveAttention in loops, from given scores {@code logits (B, Tq, Tv)}: Keras's
   * {@code _apply_scores} (masked logits - 1e9, softmax) then the weighted sum of v (B, Tv, dv), and rows of padded
   * query steps set to 0. keep[b][i][j]: attention allowed (null: all); queryKeep[b][i] (null: all). Returns
   * {output (B, Tq, dv), weights (B, Tq, Tv)}.
   */
  static double[][] applyScores(double[] logits, float[] v, int b, int tq, int tv, int dv, boolean[][][] keep,
      boolean[][] queryKeep) {
    double[] out = new double[b * tq * dv];
    double[] weights = new double[b * tq * tv];
    for (int bi = 0; bi < b; bi++) {
      for (int i = 0; i < tq; i++) {
        double[] row = new double[tv];
        System.arraycopy(logits, (bi * tq + i) * tv, row, 0, tv);
        softmaxRow(row, keep == null ? null : keep[bi][i], false);
        System.arraycopy(row, 0, weights, (bi * tq + i) * tv, tv);
        boolean real = queryKeep == null || queryKeep[bi][i];
        for (int d = 0; d < dv; d++) {
          double acc = 0;
          for (int j = 0; j < tv; j++) {
            acc += row[j] * v[(bi * tv + j) * dv + d];
          }
          out[(bi * tq + i) * dv + d] = real ? acc : 0;
        }
      }
    }
    return new double[][] {out, weights};
  }

  /** Lower-triangular (causal) permissions for B samples: [b][i][j] = j <= i. */
  static boolean[][][] causal(int b, int t, int s) {
    boolean[][][] m = new boolean[b][t][s];
    for (int bi = 0; bi < b; bi++) {
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < s; j++) {
          m[bi][i][j] = j <= i;
        }
      }
    }
    return m;
  }
}
