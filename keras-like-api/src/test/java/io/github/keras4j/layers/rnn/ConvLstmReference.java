package io.github.keras4j.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Test helper: Keras 3's {@code ConvLSTMCell} (keras/src/layers/rnn/conv_lstm.py) written out in plain Java loops,
 * in double precision, over any number of spatial axes: for each time step, each output position and each filter,
 * the four gates {@code i, f, c, o} (Keras's order along the kernels' last axis) sum the input taps
 * ({@code x[o * s - p + u * d]}, TensorFlow's "SAME" padding: {@code floor(total / 2)} zeros before) times the kernel
 * plus the bias plus the recurrent taps (stride 1, "SAME") of the previous {@code h}, then
 * {@code c = f c_prev + i tanh(z_c)} and {@code h = o tanh(c)} with sigmoid gates. A masked step keeps the states and
 * repeats the previous output. All arrays are flat, row-major, channels-last.
 */
final class ConvLstmReference {

  private ConvLstmReference() {}

  /**
   * The settings of a run.
   *
   * @param spatial the input's spatial sizes
   * @param channels the input channels
   * @param filters the filters
   * @param kernelSize the window, one value per spatial axis
   * @param strides the input convolution's strides
   * @param dilation the input convolution's dilation
   * @param same whether the input convolution pads "SAME" (else "VALID")
   * @param backwards whether steps run from last to first
   */
  record Settings(int[] spatial, int channels, int filters, int[] kernelSize, int[] strides, int[] dilation,
      boolean same, boolean backwards) {

    /** The output's spatial sizes: {@code floor((n - span) / s) + 1} ("VALID"), {@code ceil(n / s)} ("SAME"). */
    int[] outSize() {
      int[] out = new int[spatial.length];
      for (int a = 0; a < spatial.length; a++) {
        int span = (kernelSize[a] - 1) * dilation[a] + 1;
        out[a] = same ? (spatial[a] + strides[a] - 1) / strides[a] : (spatial[a] - span) / strides[a] + 1;
      }
      return out;
    }
  }

  /**
   * The outputs {@code [batch][step][position * filters + filter]} in processing order and the final states
   * {@code h}, {@code c} {@code [batch][position * filters + filter]}.
   */
  record Run(double[][][] outputs, double[][] h, double[][] c) {}

  /**
   * Runs the recurrence.
   *
   * @param x the inputs {@code (batch, time, spatial..., channels)}
   * @param batch the batch size
   * @param time the number of steps
   * @param kernel {@code (kernelSize..., channels, 4 filters)}
   * @param recurrent {@code (kernelSize..., filters, 4 filters)}
   * @param bias {@code (4 filters)} or null
   * @param mask {@code [batch][time]}, false for a skipped step; null for none
   */
  static Run run(Settings s, float[] x, int batch, int time, float[] kernel, float[] recurrent, float[] bias,
      boolean[][] mask) {
    return run(s, x, batch, time, kernel, recurrent, bias, mask, null, null);
  }

  /**
   * As {@link #run(Settings, float[], int, int, float[], float[], float[], boolean[][])}, from the initial states
   * {@code h0}, {@code c0} {@code (batch, outSize..., filters)} (flat), or zeros for null.
   */
  static Run run(Settings s, float[] x, int batch, int time, float[] kernel, float[] recurrent, float[] bias,
      boolean[][] mask, float[] h0, float[] c0) {
    int f = s.filters();
    int[] out = s.outSize();
    int positions = product(out);
    int stepSize = product(s.spatial()) * s.channels();
    int[] ones = new int[out.length];
    Arrays.fill(ones, 1);
    double[][][] outputs = new double[batch][time][];
    double[][] hs = new double[batch][];
    double[][] cs = new double[batch][];
    for (int b = 0; b < batch; b++) {
      double[] h = new double[positions * f];
      double[] c = new double[positions * f];
      if (h0 != null) {
        for (int i = 0; i < h.length; i++) {
          h[i] = h0[b * h.length + i];
          c[i] = c0[b * c.length + i];
        }
      }
      for (int step = 0; step < time; step++) {
        int t = s.backwards() ? time - 1 - step : step;
        if (mask != null && !mask[b][t]) {
          outputs[b][step] = h;
          continue;
        }
        double[] xt = new double[stepSize];
        for (int i = 0; i < stepSize; i++) {
          xt[i] = x[(b * time + t) * stepSize + i];
        }
        double[] zx = conv(xt, s.spatial(), s.channels(), kernel, s.kernelSize(), 4 * f, s.strides(), s.dilation(),
            s.same(), out);
        double[] zh = conv(h, out, f, recurrent, s.kernelSize(), 4 * f, ones, ones, true, out);
        double[] hn = new double[positions * f];
        double[] cn = new double[positions * f];
        for (int p = 0; p < positions; p++) {
          for (int j = 0; j < f; j++) {
            double[] z = new double[4];
            for (int g = 0; g < 4; g++) {
              int col = g * f + j;
              z[g] = zx[p * 4 * f + col] + zh[p * 4 * f + col] + (bias == null ? 0 : bias[col]);
            }
            double i = sigmoid(z[0]);
            double fg = sigmoid(z[1]);
            cn[p * f + j] = fg * c[p * f + j] + i * Math.tanh(z[2]);
            double o = sigmoid(z[3]);
            hn[p * f + j] = o * Math.tanh(cn[p * f + j]);
          }
        }
        h = hn;
        c = cn;
        outputs[b][step] = h;
      }
      hs[b] = h;
      cs[b] = c;
    }
    return new Run(outputs, hs, cs);
  }

  /**
   * One sample's cross-correlation: {@code y[o, k] = sum over taps u and channels ci of x[o * s - p + u * d, ci] *
   * w[u, ci, k]}, out-of-range positions reading 0.
   */
  private static double[] conv(double[] x, int[] inSize, int inChannels, float[] w, int[] taps, int outChannels,
      int[] strides, int[] dilation, boolean same, int[] outSize) {
    int r = inSize.length;
    int[] pad = new int[r];
    for (int a = 0; a < r; a++) {
      int span = (taps[a] - 1) * dilation[a] + 1;
      pad[a] = same ? Math.max((outSize[a] - 1) * strides[a] + span - inSize[a], 0) / 2 : 0;
    }
    List<int[]> outPositions = positions(outSize);
    List<int[]> tapPositions = positions(taps);
    double[] y = new double[outPositions.size() * outChannels];
    for (int po = 0; po < outPositions.size(); po++) {
      int[] o = outPositions.get(po);
      for (int pu = 0; pu < tapPositions.size(); pu++) {
        int[] u = tapPositions.get(pu);
        int in = 0;
        boolean inside = true;
        for (int a = 0; a < r; a++) {
          int at = o[a] * strides[a] - pad[a] + u[a] * dilation[a];
          inside &= at >= 0 && at < inSize[a];
          in = in * inSize[a] + at;
        }
        if (!inside) {
          continue;
        }
        for (int ci = 0; ci < inChannels; ci++) {
          double v = x[in * inChannels + ci];
          for (int k = 0; k < outChannels; k++) {
            y[po * outChannels + k] += v * w[(pu * inChannels + ci) * outChannels + k];
          }
        }
      }
    }
    return y;
  }

  /** Every multi-index of a box, last axis fastest. */
  private static List<int[]> positions(int[] sizes) {
    List<int[]> out = new ArrayList<>();
    for (int flat = 0; flat < product(sizes); flat++) {
      int[] at = new int[sizes.length];
      int rest = flat;
      for (int a = sizes.length - 1; a >= 0; a--) {
        at[a] = rest % sizes[a];
        rest /= sizes[a];
      }
      out.add(at);
    }
    return out;
  }

  static int product(int... values) {
    int p = 1;
    for (int v : values) {
      p *= v;
    }
    return p;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** Small deterministic values in [-scale/2, scale/2]: {@code ((i * 7 + salt) % 11 - 5) / 10 * scale}. */
  static float[] values(int n, int salt, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = ((i * 7 + salt) % 11 - 5) / 10f * scale;
    }
    return v;
  }

  /** A flat array as an NdArray of the given shape. */
  static FloatNdArray nd(float[] data, long... shape) {
    return NdArrays.wrap(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  /** Asserts that {@code actual} has shape {@code (batch, rest...)} and its values, row-major, are {@code expected}. */
  static void assertClose(double[] expected, FloatNdArray actual, double tol, String what) {
    float[] got = new float[(int) actual.size()];
    actual.copyTo(DataBuffers.of(got, false, false));
    assertEquals(expected.length, got.length, what + ": size");
    for (int i = 0; i < got.length; i++) {
      assertEquals(expected[i], got[i], tol, what + " [" + i + "]");
    }
  }

  /** The last processed step of every sample, flattened: {@code (batch, positions * filters)}. */
  static double[] last(Run run) {
    return flatten(run.h());
  }

  /** Every step of every sample in processing order, flattened: {@code (batch, time, positions * filters)}. */
  static double[] sequence(Run run) {
    List<double[]> rows = new ArrayList<>();
    for (double[][] sample : run.outputs()) {
      rows.addAll(List.of(sample));
    }
    return flatten(rows.toArray(new double[0][]));
  }

  static double[] flatten(double[][] rows) {
    int n = 0;
    for (double[] r : rows) {
      n += r.length;
    }
    double[] out = new double[n];
    int at = 0;
    for (double[] r : rows) {
      System.arraycopy(r, 0, out, at, r.length);
      at += r.length;
    }
    return out;
  }
}
