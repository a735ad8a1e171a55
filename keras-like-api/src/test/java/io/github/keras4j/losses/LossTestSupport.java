package io.github.keras4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Runs losses in a graph and checks them against plain double arithmetic. The metrics' tests run their
 * per-sample values through {@link #values} too.
 */
public final class LossTestSupport {

  private LossTestSupport() {}

  /** A constant from a float[], float[][] or float[][][]. */
  static Operand<TFloat32> constant(Ops tf, Object values) {
    if (values instanceof float[] v) {
      return tf.constant(v);
    }
    if (values instanceof float[][] v) {
      return tf.constant(v);
    }
    if (values instanceof float[][][] v) {
      return tf.constant(v);
    }
    throw new IllegalArgumentException("Unsupported test data " + values);
  }

  /** {@code loss.compute(yTrue, yPred, sampleWeight)} evaluated in a fresh graph. */
  static float compute(Loss loss, Object yTrue, Object yPred, Object sampleWeight) {
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      Operand<TFloat32> w = sampleWeight == null ? null : constant(tf, sampleWeight);
      Operand<TFloat32> value = loss.compute(tf, constant(tf, yTrue), constant(tf, yPred), w);
      return fetchScalar(rt, value);
    }
  }

  /** {@code loss.call(yTrue, yPred)} (per-sample values) evaluated in a fresh graph. */
  static float[] call(Loss loss, Object yTrue, Object yPred) {
    return values(loss::call, yTrue, yPred);
  }

  /**
   * {@code fn(yTrue, yPred)} evaluated in a fresh graph, {@code yTrue} and {@code yPred} given as float[],
   * float[][] or float[][][]; every element in row-major order.
   */
  public static float[] values(LossFunction fn, Object yTrue, Object yPred) {
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      Operand<TFloat32> values = fn.call(tf, constant(tf, yTrue), constant(tf, yPred));
      try (Result r = rt.session().runner().fetch(values).run()) {
        return flatten((TFloat32) r.get(0));
      }
    }
  }

  /** Every element of {@code t} in row-major order (a scalar gives one element). */
  static float[] flatten(TFloat32 t) {
    float[] out = new float[(int) t.size()];
    int[] next = {0};
    t.scalars().forEach(s -> out[next[0]++] = s.getFloat());
    return out;
  }

  static float fetchScalar(GraphRuntime rt, Operand<TFloat32> value) {
    try (Result r = rt.session().runner().fetch(value).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** Keras's "sum_over_batch_size" in double: {@code sum(values * w) / values.length}. */
  static double sumOverBatchSize(double[] values, double[] weights) {
    double total = 0;
    for (int i = 0; i < values.length; i++) {
      total += values[i] * (weights == null ? 1 : weights[i]);
    }
    return total / values.length;
  }

  static double[][] toDouble(float[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j];
      }
    }
    return out;
  }

  static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  /**
   * {@code loss.compute(yTrue, softmax(x), null)} for the logits {@code x = [[30, -30, 0]]}, a variable, and its
   * gradient d loss / d x[0][1], as {@code {loss, gradient}}: with the Softmax op's input taken as logits the
   * loss is {@code -log softmax(x)[k]}, not the clipped probabilities' value.
   */
  static float[] lossAndGradientThroughSoftmax(Loss loss, Object yTrue) {
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      GraphVariable x = rt.newVariable("x", "v", Shape.of(1, 3), o -> o.constant(new float[][] {{30f, -30f, 0f}}), true);
      Operand<TFloat32> value = loss.compute(tf, constant(tf, yTrue), tf.nn.softmax(x.value()), null);
      Operand<TFloat32> grad = rt.gradients(value, List.of(x)).get(0);
      try (Result r = rt.session().runner().fetch(value).fetch(grad).run()) {
        return new float[] {((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(0, 1)};
      }
    }
  }

  /**
   * Checks d loss.compute(yTrue, yPred, w) / d yPred, taken by TensorFlow's gradient registry with yPred a
   * variable, against central finite differences of {@code reference} (the reduced loss in double).
   */
  static void checkGradient(
      Loss loss, Object yTrue, float[][] yPred, float[] sampleWeight, ToDoubleFunction<double[][]> reference) {
    float[][] tfGradient;
    float tfValue;
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      GraphVariable p = rt.newVariable("y_pred", "v", Shape.of(yPred.length, yPred[0].length), o -> o.constant(yPred), true);
      Operand<TFloat32> w = sampleWeight == null ? null : tf.constant(sampleWeight);
      Operand<TFloat32> value = loss.compute(tf, constant(tf, yTrue), p.value(), w);
      Operand<TFloat32> grad = rt.gradients(value, List.of(p)).get(0);
      try (Result r = rt.session().runner().fetch(value).fetch(grad).run()) {
        tfValue = ((TFloat32) r.get(0)).getFloat();
        TFloat32 g = (TFloat32) r.get(1);
        tfGradient = new float[yPred.length][yPred[0].length];
        for (int i = 0; i < yPred.length; i++) {
          for (int j = 0; j < yPred[0].length; j++) {
            tfGradient[i][j] = g.getFloat(i, j);
          }
        }
      }
    }
    double[][] x = toDouble(yPred);
    assertEquals(reference.applyAsDouble(x), tfValue, 1e-5 + 1e-5 * Math.abs(tfValue), loss.name() + " value");
    double h = 1e-4;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        double saved = x[i][j];
        x[i][j] = saved + h;
        double up = reference.applyAsDouble(x);
        x[i][j] = saved - h;
        double down = reference.applyAsDouble(x);
        x[i][j] = saved;
        double numeric = (up - down) / (2 * h);
        assertEquals(numeric, tfGradient[i][j], 1e-4 + 1e-4 * Math.abs(numeric),
            loss.name() + ": d loss / d y_pred[" + i + "][" + j + "]");
      }
    }
  }

  // Reference per-sample losses in double, written from the formulas in Keras's docs.

  static double[] mse(double[][] t, double[][] p) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < t[i].length; j++) {
        out[i] += (t[i][j] - p[i][j]) * (t[i][j] - p[i][j]) / t[i].length;
      }
    }
    return out;
  }

  static double[] mae(double[][] t, double[][] p) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < t[i].length; j++) {
        out[i] += Math.abs(t[i][j] - p[i][j]) / t[i].length;
      }
    }
    return out;
  }

  static double[] huber(double[][] t, double[][] p, double delta) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < t[i].length; j++) {
        double e = Math.abs(p[i][j] - t[i][j]);
        out[i] += (e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta) / t[i].length;
      }
    }
    return out;
  }

  static final double EPS = 1e-7;

  static double clip(double p) {
    return Math.min(Math.max(p, EPS), 1 - EPS);
  }

  static double[] bce(double[][] t, double[][] p) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < t[i].length; j++) {
        double q = clip(p[i][j]);
        out[i] += -(t[i][j] * Math.log(q) + (1 - t[i][j]) * Math.log(1 - q)) / t[i].length;
      }
    }
    return out;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** -(z log sigmoid(x) + (1 - z) log(1 - sigmoid(x))), written directly (no clipping). */
  static double[] bceLogits(double[][] t, double[][] x) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < t[i].length; j++) {
        double s = sigmoid(x[i][j]);
        out[i] += -(t[i][j] * Math.log(s) + (1 - t[i][j]) * Math.log(1 - s)) / t[i].length;
      }
    }
    return out;
  }

  static double[] cce(double[][] t, double[][] p) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      double sum = 0;
      for (double v : p[i]) {
        sum += v;
      }
      for (int j = 0; j < t[i].length; j++) {
        out[i] -= t[i][j] * Math.log(clip(p[i][j] / sum));
      }
    }
    return out;
  }

  static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] out = new double[z.length];
    for (int j = 0; j < z.length; j++) {
      out[j] = Math.exp(z[j] - max);
      sum += out[j];
    }
    for (int j = 0; j < z.length; j++) {
      out[j] /= sum;
    }
    return out;
  }

  /** Softmax of each row of {@code x}, computed in double and rounded to float. */
  static float[][] softmaxRows(float[][] x) {
    float[][] p = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      double[] s = softmax(toDouble(x[i]));
      p[i] = new float[s.length];
      for (int j = 0; j < s.length; j++) {
        p[i][j] = (float) s[j];
      }
    }
    return p;
  }

  static double[] cceLogits(double[][] t, double[][] x) {
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      double[] s = softmax(x[i]);
      for (int j = 0; j < t[i].length; j++) {
        out[i] -= t[i][j] * Math.log(s[j]);
      }
    }
    return out;
  }

  /** Keras's TF backend: sparse softmax cross-entropy of log(clip(p)), i.e. -log(clip(p)[k] / sum(clip(p))). */
  static double[] scce(double[] labels, double[][] p) {
    double[] out = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      double sum = 0;
      for (double v : p[i]) {
        sum += clip(v);
      }
      out[i] = -Math.log(clip(p[i][(int) labels[i]]) / sum);
    }
    return out;
  }

  static double[] scceLogits(double[] labels, double[][] x) {
    double[] out = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = -Math.log(softmax(x[i])[(int) labels[i]]);
    }
    return out;
  }

  static void assertArrayClose(double[] expected, float[] actual, double tolerance) {
    assertEquals(expected.length, actual.length, "length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, "element " + i);
    }
  }
}
