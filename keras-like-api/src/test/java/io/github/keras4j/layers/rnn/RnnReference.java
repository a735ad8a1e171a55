package io.github.keras4j.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Test helper: Keras 3's recurrent cells written out in plain Java (double precision), straight from the formulas
 * of keras/src/layers/rnn/simple_rnn.py, lstm.py and gru.py, plus small fixed weights and comparison helpers.
 *
 * <p>Each run returns the outputs in processing order (reversed time order when going backwards, as Keras's
 * {@code go_backwards}) and the final states.
 */
final class RnnReference {

  private RnnReference() {}

  /** Outputs {@code [batch][step][units]} in processing order and final states {@code [state][batch][units]}. */
  record Run(double[][][] outputs, double[][][] states) {

    /** The output of the last processed step, {@code [batch][units]}. */
    double[][] last() {
      double[][] out = new double[outputs.length][];
      for (int b = 0; b < outputs.length; b++) {
        out[b] = outputs[b][outputs[b].length - 1];
      }
      return out;
    }

    /** The outputs flipped back to time order (for Bidirectional's backward direction). */
    double[][][] timeOrder() {
      double[][][] out = new double[outputs.length][][];
      for (int b = 0; b < outputs.length; b++) {
        int n = outputs[b].length;
        out[b] = new double[n][];
        for (int t = 0; t < n; t++) {
          out[b][t] = outputs[b][n - 1 - t];
        }
      }
      return out;
    }
  }

  /** Small deterministic weights in [-0.5, 0.5]: {@code w[i][j] = ((i * 7 + j * 3 + salt) % 11 - 5) / 10}. */
  static float[][] weights(int rows, int cols, int salt) {
    float[][] w = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        w[i][j] = ((i * 7 + j * 3 + salt) % 11 - 5) / 10f;
      }
    }
    return w;
  }

  /** A small deterministic bias, {@code b[j] = ((j * 5 + salt) % 7 - 3) / 10}. */
  static float[] bias(int n, int salt) {
    float[] b = new float[n];
    for (int j = 0; j < n; j++) {
      b[j] = ((j * 5 + salt) % 7 - 3) / 10f;
    }
    return b;
  }

  /** Inputs {@code [batch][time][features]}: {@code sin(1 + b * 1.3 + t * 0.7 + f * 0.9)}. */
  static float[][][] inputs(int batch, int time, int features) {
    float[][][] x = new float[batch][time][features];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        for (int f = 0; f < features; f++) {
          x[b][t][f] = (float) Math.sin(1 + b * 1.3 + t * 0.7 + f * 0.9);
        }
      }
    }
    return x;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** {@code v . m[:, from:from+n]} for a row vector v. */
  private static double[] dot(double[] v, float[][] m, int from, int n) {
    double[] out = new double[n];
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = 0; i < v.length; i++) {
        s += v[i] * m[i][from + j];
      }
      out[j] = s;
    }
    return out;
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static int timeIndex(int step, int time, boolean backwards) {
    return backwards ? time - 1 - step : step;
  }

  /** SimpleRNN: {@code h = tanh(x . K + b + h_prev . R)}. */
  static Run simpleRnn(float[][][] x, float[][] k, float[][] r, float[] bias, boolean backwards) {
    return simpleRnn(x, k, r, bias, backwards, null);
  }

  /** As {@link #simpleRnn(float[][][], float[][], float[][], float[], boolean)} from {@code init} {@code [1][batch][u]}. */
  static Run simpleRnn(float[][][] x, float[][] k, float[][] r, float[] bias, boolean backwards, float[][][] init) {
    int batch = x.length;
    int time = x[0].length;
    int u = r.length;
    double[][][] outs = new double[batch][time][];
    double[][][] states = new double[1][batch][];
    for (int b = 0; b < batch; b++) {
      double[] h = init == null ? new double[u] : toDouble(init[0][b]);
      for (int s = 0; s < time; s++) {
        double[] xt = toDouble(x[b][timeIndex(s, time, backwards)]);
        double[] a = dot(xt, k, 0, u);
        double[] rec = dot(h, r, 0, u);
        double[] hn = new double[u];
        for (int j = 0; j < u; j++) {
          hn[j] = Math.tanh(a[j] + (bias == null ? 0 : bias[j]) + rec[j]);
        }
        h = hn;
        outs[b][s] = h;
      }
      states[0][b] = h;
    }
    return new Run(outs, states);
  }

  /**
   * LSTM with gates in Keras's order i, f, c, o: {@code z = x . K + h . R + b};
   * {@code i = σ(z_i), f = σ(z_f), c = f * c + i * tanh(z_c), o = σ(z_o), h = o * tanh(c)}.
   */
  static Run lstm(float[][][] x, float[][] k, float[][] r, float[] bias, boolean backwards) {
    return lstm(x, k, r, bias, backwards, null);
  }

  /** As {@link #lstm(float[][][], float[][], float[][], float[], boolean)} from {@code init = [h, c]}, each {@code [batch][u]}. */
  static Run lstm(float[][][] x, float[][] k, float[][] r, float[] bias, boolean backwards, float[][][] init) {
    int batch = x.length;
    int time = x[0].length;
    int u = r.length;
    double[][][] outs = new double[batch][time][];
    double[][][] states = new double[2][batch][];
    for (int b = 0; b < batch; b++) {
      double[] h = init == null ? new double[u] : toDouble(init[0][b]);
      double[] c = init == null ? new double[u] : toDouble(init[1][b]);
      for (int s = 0; s < time; s++) {
        double[] xt = toDouble(x[b][timeIndex(s, time, backwards)]);
        double[] zx = dot(xt, k, 0, 4 * u);
        double[] zh = dot(h, r, 0, 4 * u);
        double[] hn = new double[u];
        double[] cn = new double[u];
        for (int j = 0; j < u; j++) {
          double[] z = new double[4];
          for (int g = 0; g < 4; g++) {
            z[g] = zx[g * u + j] + zh[g * u + j] + (bias == null ? 0 : bias[g * u + j]);
          }
          double i = sigmoid(z[0]);
          double f = sigmoid(z[1]);
          cn[j] = f * c[j] + i * Math.tanh(z[2]);
          double o = sigmoid(z[3]);
          hn[j] = o * Math.tanh(cn[j]);
        }
        h = hn;
        c = cn;
        outs[b][s] = h;
      }
      states[0][b] = h;
      states[1][b] = c;
    }
    return new Run(outs, states);
  }

  /**
   * GRU with gates in Keras's order z, r, h. {@code resetAfter}: {@code bias} is (2, 3u), row 0 input bias, row 1
   * recurrent bias, and {@code hh = tanh(x_h + r * (h . R_h + b_rec_h))}; otherwise {@code bias} has one row and
   * {@code hh = tanh(x_h + (r * h) . R_h)}. Then {@code h = z * h + (1 - z) * hh}.
   */
  static Run gru(float[][][] x, float[][] k, float[][] r, float[][] bias, boolean resetAfter, boolean backwards) {
    return gru(x, k, r, bias, resetAfter, backwards, null);
  }

  /** As {@link #gru(float[][][], float[][], float[][], float[][], boolean, boolean)} from {@code init} {@code [1][batch][u]}. */
  static Run gru(float[][][] x, float[][] k, float[][] r, float[][] bias, boolean resetAfter, boolean backwards,
      float[][][] init) {
    int batch = x.length;
    int time = x[0].length;
    int u = r.length;
    double[][][] outs = new double[batch][time][];
    double[][][] states = new double[1][batch][];
    float[] bIn = bias == null ? new float[3 * u] : bias[0];
    float[] bRec = bias == null || !resetAfter ? new float[3 * u] : bias[1];
    for (int b = 0; b < batch; b++) {
      double[] h = init == null ? new double[u] : toDouble(init[0][b]);
      for (int s = 0; s < time; s++) {
        double[] xt = toDouble(x[b][timeIndex(s, time, backwards)]);
        double[] xp = dot(xt, k, 0, 3 * u);
        double[] hp = dot(h, r, 0, 3 * u);
        double[] z = new double[u];
        double[] rr = new double[u];
        for (int j = 0; j < u; j++) {
          z[j] = sigmoid(xp[j] + bIn[j] + hp[j] + bRec[j]);
          rr[j] = sigmoid(xp[u + j] + bIn[u + j] + hp[u + j] + bRec[u + j]);
        }
        double[] recH;
        if (resetAfter) {
          recH = new double[u];
          for (int j = 0; j < u; j++) {
            recH[j] = rr[j] * (hp[2 * u + j] + bRec[2 * u + j]);
          }
        } else {
          double[] rh = new double[u];
          for (int j = 0; j < u; j++) {
            rh[j] = rr[j] * h[j];
          }
          recH = dot(rh, r, 2 * u, u);
        }
        double[] hn = new double[u];
        for (int j = 0; j < u; j++) {
          double hh = Math.tanh(xp[2 * u + j] + bIn[2 * u + j] + recH[j]);
          hn[j] = z[j] * h[j] + (1 - z[j]) * hh;
        }
        h = hn;
        outs[b][s] = h;
      }
      states[0][b] = h;
    }
    return new Run(outs, states);
  }

  /** Asserts a (batch, units) array matches. */
  static void assertClose(double[][] expected, FloatNdArray actual, double tol, String what) {
    assertEquals(expected.length, actual.shape().get(0), what + " batch");
    assertEquals(expected[0].length, actual.shape().get(1), what + " units");
    for (int b = 0; b < expected.length; b++) {
      for (int j = 0; j < expected[b].length; j++) {
        assertEquals(expected[b][j], actual.getFloat(b, j), tol, what + "[" + b + "][" + j + "]");
      }
    }
  }

  /** Asserts a (batch, time, units) array matches. */
  static void assertClose(double[][][] expected, FloatNdArray actual, double tol, String what) {
    assertEquals(expected.length, actual.shape().get(0), what + " batch");
    assertEquals(expected[0].length, actual.shape().get(1), what + " time");
    assertEquals(expected[0][0].length, actual.shape().get(2), what + " units");
    for (int b = 0; b < expected.length; b++) {
      for (int t = 0; t < expected[b].length; t++) {
        for (int j = 0; j < expected[b][t].length; j++) {
          assertEquals(expected[b][t][j], actual.getFloat(b, t, j), tol, what + "[" + b + "][" + t + "][" + j + "]");
        }
      }
    }
  }

  /** The model's weights from Java arrays (2-D or 1-D float arrays), in order. */
  static List<FloatNdArray> nd(Object... arrays) {
    List<FloatNdArray> out = new ArrayList<>();
    for (Object a : arrays) {
      if (a instanceof float[][] m) {
        out.add(StdArrays.ndCopyOf(m));
      } else if (a instanceof float[] v) {
        out.add(StdArrays.ndCopyOf(v));
      } else {
        throw new IllegalArgumentException("Unsupported weight " + a);
      }
    }
    return out;
  }

  /** Runs the model's training trace (dropout on) on {@code x} once per fetch; each run draws new masks. */
  static List<FloatNdArray> runTraining(Model model, float[][][] x, int runs) {
    GraphRuntime rt = model.runtime();
    FloatNdArray xs = StdArrays.ndCopyOf(x);
    float[] flat = new float[(int) xs.size()];
    xs.copyTo(DataBuffers.of(flat, false, false));
    Operand<TFloat32> in = rt.tf().constant(xs.shape(), DataBuffers.of(flat, true, false));
    Operand<TFloat32> y = model.call(in, true);
    List<FloatNdArray> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      try (Result r = rt.session().runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        FloatNdArray copy = NdArrays.ofFloats(Shape.of(t.shape().asArray()));
        t.copyTo(copy);
        out.add(copy);
      }
    }
    return out;
  }
}
