package io.github.keras4j.layers.convolutional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Expected values for the convolution and pooling tests, computed the slow way: direct loops over the output
 * positions and the kernel taps, written from the definitions (cross-correlation; TensorFlow's "SAME" padding
 * puts {@code floor(total / 2)} zeros before and the rest after), independent of the layers' TensorFlow ops.
 * All arrays are flat, row-major, channels-last.
 */
public final class ConvReference {

  private ConvReference() {}

  /** A flat array and its shape. */
  public record Tensor(float[] data, int... shape) {
    /** The flat index of a multi-index. */
    public int index(int... at) {
      int i = 0;
      for (int a = 0; a < shape.length; a++) {
        i = i * shape[a] + at[a];
      }
      return i;
    }

    public float get(int... at) {
      return data[index(at)];
    }
  }

  /** Output size and zeros before, for one axis: {@code {outSize, padBefore}} ("SAME" as TensorFlow). */
  public static int[] axis(int n, int k, int s, int d, boolean same) {
    int span = (k - 1) * d + 1;
    if (!same) {
      return new int[] {(n - span) / s + 1, 0};
    }
    int out = (n + s - 1) / s;
    int total = Math.max((out - 1) * s + span - n, 0);
    return new int[] {out, total / 2};
  }

  /**
   * 2-D cross-correlation: {@code y[b,i,j,f] = sum x[b, i*sh - ph + u*dh, j*sw - pw + v*dw, c] * k[u,v,c,f]},
   * out-of-range input positions reading 0.
   */
  public static Tensor conv2d(Tensor x, Tensor k, int[] strides, int[] dilation, boolean same) {
    int b = x.shape[0];
    int h = x.shape[1];
    int w = x.shape[2];
    int c = x.shape[3];
    int kh = k.shape[0];
    int kw = k.shape[1];
    int f = k.shape[3];
    int[] ah = axis(h, kh, strides[0], dilation[0], same);
    int[] aw = axis(w, kw, strides[1], dilation[1], same);
    Tensor y = new Tensor(new float[b * ah[0] * aw[0] * f], b, ah[0], aw[0], f);
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < ah[0]; i++) {
        for (int j = 0; j < aw[0]; j++) {
          for (int o = 0; o < f; o++) {
            double sum = 0;
            for (int u = 0; u < kh; u++) {
              for (int v = 0; v < kw; v++) {
                int r = i * strides[0] - ah[1] + u * dilation[0];
                int q = j * strides[1] - aw[1] + v * dilation[1];
                if (r < 0 || r >= h || q < 0 || q >= w) {
                  continue;
                }
                for (int ci = 0; ci < c; ci++) {
                  sum += x.get(n, r, q, ci) * k.get(u, v, ci, o);
                }
              }
            }
            y.data[y.index(n, i, j, o)] = (float) sum;
          }
        }
      }
    }
    return y;
  }

  /**
   * Depthwise: {@code y[b,i,j,c*m+t] = sum x[b, i*sh - ph + u*dh, j*sw - pw + v*dw, c] * k[u,v,c,t]}.
   */
  public static Tensor depthwise(Tensor x, Tensor k, int[] strides, int[] dilation, boolean same) {
    int b = x.shape[0];
    int h = x.shape[1];
    int w = x.shape[2];
    int c = x.shape[3];
    int kh = k.shape[0];
    int kw = k.shape[1];
    int m = k.shape[3];
    int[] ah = axis(h, kh, strides[0], dilation[0], same);
    int[] aw = axis(w, kw, strides[1], dilation[1], same);
    Tensor y = new Tensor(new float[b * ah[0] * aw[0] * c * m], b, ah[0], aw[0], c * m);
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < ah[0]; i++) {
        for (int j = 0; j < aw[0]; j++) {
          for (int ci = 0; ci < c; ci++) {
            for (int t = 0; t < m; t++) {
              double sum = 0;
              for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                  int r = i * strides[0] - ah[1] + u * dilation[0];
                  int q = j * strides[1] - aw[1] + v * dilation[1];
                  if (r >= 0 && r < h && q >= 0 && q < w) {
                    sum += x.get(n, r, q, ci) * k.get(u, v, ci, t);
                  }
                }
              }
              y.data[y.index(n, i, j, ci * m + t)] = (float) sum;
            }
          }
        }
      }
    }
    return y;
  }

  /**
   * Transposed convolution as a scatter: every input pixel {@code x[b,i,j,c]} adds {@code x * k[u,v,f,c]} to
   * output {@code (i*sh - ph + u*dh, j*sw - pw + v*dw, f)}, where {@code ph, pw} are the zeros that a forward
   * convolution from the output size {@code (oh, ow)} back to the input size would put before.
   */
  public static Tensor convTranspose(Tensor x, Tensor k, int oh, int ow, int[] strides, int[] dilation,
      boolean same) {
    int b = x.shape[0];
    int h = x.shape[1];
    int w = x.shape[2];
    int c = x.shape[3];
    int kh = k.shape[0];
    int kw = k.shape[1];
    int f = k.shape[2];
    int ph = 0;
    int pw = 0;
    if (same) {
      ph = Math.max((h - 1) * strides[0] + (kh - 1) * dilation[0] + 1 - oh, 0) / 2;
      pw = Math.max((w - 1) * strides[1] + (kw - 1) * dilation[1] + 1 - ow, 0) / 2;
    }
    Tensor y = new Tensor(new float[b * oh * ow * f], b, oh, ow, f);
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          for (int u = 0; u < kh; u++) {
            for (int v = 0; v < kw; v++) {
              int r = i * strides[0] - ph + u * dilation[0];
              int q = j * strides[1] - pw + v * dilation[1];
              if (r < 0 || r >= oh || q < 0 || q >= ow) {
                continue;
              }
              for (int o = 0; o < f; o++) {
                for (int ci = 0; ci < c; ci++) {
                  y.data[y.index(n, r, q, o)] += x.get(n, i, j, ci) * k.get(u, v, o, ci);
                }
              }
            }
          }
        }
      }
    }
    return y;
  }

  /** Every multi-index of a box of the given sizes, last axis fastest. */
  public static List<int[]> positions(int... sizes) {
    List<int[]> out = new ArrayList<>();
    int total = 1;
    for (int s : sizes) {
      total *= s;
    }
    for (int flat = 0; flat < total; flat++) {
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

  /**
   * Cross-correlation over any number {@code r} of spatial axes (1-D, 3-D): {@code y[b, o..., f] = sum over taps u
   * and channels c of x[b, o*s - p + u*d, c] * k[u..., c, f]}, out-of-range input positions reading 0.
   */
  public static Tensor convNd(Tensor x, Tensor k, int[] strides, int[] dilation, boolean same) {
    int r = x.shape.length - 2;
    int c = x.shape[r + 1];
    int f = k.shape[r + 1];
    int[] taps = Arrays.copyOf(k.shape, r);
    int[] outSize = new int[r];
    int[] pad = new int[r];
    for (int i = 0; i < r; i++) {
      int[] a = axis(x.shape[i + 1], taps[i], strides[i], dilation[i], same);
      outSize[i] = a[0];
      pad[i] = a[1];
    }
    int[] yShape = withBatchAndChannels(x.shape[0], outSize, f);
    Tensor y = new Tensor(new float[product(yShape)], yShape);
    for (int n = 0; n < x.shape[0]; n++) {
      for (int[] o : positions(outSize)) {
        for (int fo = 0; fo < f; fo++) {
          double sum = 0;
          for (int[] u : positions(taps)) {
            int[] in = new int[r];
            boolean inside = true;
            for (int i = 0; i < r; i++) {
              in[i] = o[i] * strides[i] - pad[i] + u[i] * dilation[i];
              inside &= in[i] >= 0 && in[i] < x.shape[i + 1];
            }
            for (int ci = 0; inside && ci < c; ci++) {
              sum += x.get(concat(n, in, ci)) * k.get(concat(u, ci, fo));
            }
          }
          y.data[y.index(concat(n, o, fo))] = (float) sum;
        }
      }
    }
    return y;
  }

  /**
   * Transposed convolution over any number of spatial axes, as a scatter: every input position
   * {@code x[b, i..., c]} adds {@code x * k[u..., f, c]} to output {@code (i*s - p + u*d, f)}, where {@code p} is
   * what a forward convolution from {@code outSize} back to the input size would pad before ("SAME") or 0.
   */
  public static Tensor convTransposeNd(Tensor x, Tensor k, int[] outSize, int[] strides, int[] dilation,
      boolean same) {
    int r = x.shape.length - 2;
    int c = x.shape[r + 1];
    int f = k.shape[r];
    int[] taps = Arrays.copyOf(k.shape, r);
    int[] pad = new int[r];
    for (int i = 0; same && i < r; i++) {
      pad[i] = Math.max((x.shape[i + 1] - 1) * strides[i] + (taps[i] - 1) * dilation[i] + 1 - outSize[i], 0) / 2;
    }
    int[] yShape = withBatchAndChannels(x.shape[0], outSize, f);
    Tensor y = new Tensor(new float[product(yShape)], yShape);
    for (int n = 0; n < x.shape[0]; n++) {
      for (int[] i : positions(Arrays.copyOfRange(x.shape, 1, r + 1))) {
        for (int[] u : positions(taps)) {
          int[] o = new int[r];
          boolean inside = true;
          for (int a = 0; a < r; a++) {
            o[a] = i[a] * strides[a] - pad[a] + u[a] * dilation[a];
            inside &= o[a] >= 0 && o[a] < outSize[a];
          }
          for (int fo = 0; inside && fo < f; fo++) {
            for (int ci = 0; ci < c; ci++) {
              y.data[y.index(concat(n, o, fo))] += x.get(concat(n, i, ci)) * k.get(concat(u, fo, ci));
            }
          }
        }
      }
    }
    return y;
  }

  /** {@code (first, middle..., last)}. */
  public static int[] concat(int first, int[] middle, int last) {
    int[] out = new int[middle.length + 2];
    out[0] = first;
    System.arraycopy(middle, 0, out, 1, middle.length);
    out[middle.length + 1] = last;
    return out;
  }

  private static int[] concat(int[] head, int a, int b) {
    int[] out = Arrays.copyOf(head, head.length + 2);
    out[head.length] = a;
    out[head.length + 1] = b;
    return out;
  }

  private static int[] withBatchAndChannels(int batch, int[] spatial, int channels) {
    return concat(batch, spatial, channels);
  }

  /** The number of elements of a shape. */
  public static int product(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** Adds {@code bias[last index]} to every element, in place; returns {@code y}. */
  public static Tensor addBias(Tensor y, float[] bias) {
    for (int i = 0; i < y.data.length; i++) {
      y.data[i] += bias[i % bias.length];
    }
    return y;
  }

  /** Random values in [-1, 1) as a tensor of the given shape. */
  public static Tensor random(long seed, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return new Tensor(io.github.keras4j.layers.LayerChecks.randomValues(n, seed), shape);
  }

  /**
   * Runs {@code layer} alone in a model on {@code x} (shape (batch, sample...)) with the given weights, in the
   * layer's creation order, and returns the output.
   */
  public static Tensor predict(Layer layer, Tensor x, Tensor... weights) {
    long[] sample = new long[x.shape.length - 1];
    for (int i = 1; i < x.shape.length; i++) {
      sample[i - 1] = x.shape[i];
    }
    KerasTensor in = Input.of(sample);
    try (Model model = new Model(in, layer.apply(in))) {
      if (weights.length > 0) {
        List<FloatNdArray> values = new ArrayList<>();
        List<FloatNdArray> current = model.getWeights();
        assertEquals(current.size(), weights.length, "number of weights of " + layer.name());
        for (int i = 0; i < weights.length; i++) {
          assertArrayEquals(current.get(i).shape().asArray(), toLongs(weights[i].shape),
              "shape of weight " + i + " of " + layer.name());
          values.add(NdArrays.wrap(Shape.of(toLongs(weights[i].shape)), DataBuffers.of(weights[i].data, true, false)));
        }
        model.setWeights(values);
      }
      FloatNdArray y = model.predict(NdArrays.wrap(Shape.of(toLongs(x.shape)), DataBuffers.of(x.data, true, false)));
      float[] out = new float[(int) y.size()];
      y.copyTo(DataBuffers.of(out, false, false));
      long[] s = y.shape().asArray();
      int[] shape = new int[s.length];
      for (int i = 0; i < s.length; i++) {
        shape[i] = (int) s[i];
      }
      return new Tensor(out, shape);
    }
  }

  /** Asserts equal shapes and values within {@code tolerance}. */
  public static void assertClose(Tensor expected, Tensor actual, double tolerance) {
    assertArrayEquals(expected.shape, actual.shape, "shape");
    for (int i = 0; i < expected.data.length; i++) {
      assertEquals(expected.data[i], actual.data[i], tolerance, "element " + i);
    }
  }

  private static long[] toLongs(int[] shape) {
    long[] out = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = shape[i];
    }
    return out;
  }
}
