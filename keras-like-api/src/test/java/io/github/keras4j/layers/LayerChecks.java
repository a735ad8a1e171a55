package io.github.keras4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The standard layer checks: output shape inference against the real output, config keys, and gradients of
 * {@code sum(C * layer(x))} with respect to every weight and the input against central finite differences.
 */
public final class LayerChecks {

  private LayerChecks() {}

  /** Random inputs in [-1, 1) of shape (batch, dims...). */
  public static float[] randomValues(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  /** Random inputs in [-1, 1) as {@code rows} rows of {@code cols} values: {@link #randomValues}, row by row. */
  public static float[][] randomMatrix(int rows, int cols, long seed) {
    float[] v = randomValues(rows * cols, seed);
    float[][] x = new float[rows][];
    for (int i = 0; i < rows; i++) {
      x[i] = Arrays.copyOfRange(v, i * cols, (i + 1) * cols);
    }
    return x;
  }

  /** Runs every standard check on a fresh layer applied to inputs of shape (batch, sampleShape...). */
  public static void check(Layer layer, int batch, long... sampleShape) {
    KerasTensor in = Input.of(sampleShape);
    KerasTensor out = layer.apply(in);
    try (Model model = new Model(in, out)) {
      long size = batch;
      for (long d : sampleShape) {
        size *= d;
      }
      long[] full = new long[sampleShape.length + 1];
      full[0] = batch;
      System.arraycopy(sampleShape, 0, full, 1, sampleShape.length);
      float[] x = randomValues((int) size, 7);
      FloatNdArray xs = NdArrays.wrap(Shape.of(full), DataBuffers.of(x, false, false));
      FloatNdArray y = model.predict(xs);
      // Shape inference agrees with the real output.
      long[] inferred = out.shape().asArray().clone();
      inferred[0] = batch;
      assertArrayEquals(inferred, y.shape().asArray(), "computeOutputShape vs real output of " + layer.name());
      // Config names the layer.
      assertEquals(layer.name(), layer.getConfig().get("name"));
      gradientCheck(model, full, x);
      trainingStep(model, xs, y);
    }
  }

  /**
   * One SGD step on an MSE loss towards shifted targets: the loss is finite and every trainable weight moves
   * (a layer whose weights do not reach the loss, or whose gradient is lost, fails here).
   */
  public static void trainingStep(Model model, FloatNdArray xs, FloatNdArray y) {
    List<FloatNdArray> before = model.getWeights();
    float[] target = new float[(int) y.size()];
    y.copyTo(DataBuffers.of(target, false, false));
    for (int i = 0; i < target.length; i++) {
      target[i] += 1f;
    }
    model.compile("sgd", "mse");
    double loss = model.trainOnBatch(xs, NdArrays.wrap(y.shape(), DataBuffers.of(target, false, false))).get("loss");
    org.junit.jupiter.api.Assertions.assertTrue(Double.isFinite(loss) && loss > 0, "training loss " + loss);
    List<FloatNdArray> after = model.getWeights();
    List<GraphVariable> all = model.variables();
    List<GraphVariable> trainable = model.trainableVariables();
    for (int k = 0; k < all.size(); k++) {
      if (trainable.contains(all.get(k))) {
        org.junit.jupiter.api.Assertions.assertNotEquals(before.get(k), after.get(k),
            "trainable weight " + all.get(k).name() + " did not change in one training step");
      }
    }
  }

  /**
   * Checks d/dθ sum(C * model(x)) for every weight θ and for the input against central differences
   * (float32: h = 1e-2, tolerance 2e-3 absolute + 2e-2 relative).
   */
  public static void gradientCheck(Model model, long[] inputShape, float[] x) {
    gradientCheck(model, List.of(inputShape), List.of(x));
  }

  /**
   * The multi-input form of {@link #gradientCheck(Model, long[], float[])}: d/dθ sum(C * model(x1, ...)) for
   * every weight θ and every input xi.
   *
   * @return the shape of the model's (first) output, as computed
   */
  public static long[] gradientCheck(Model model, List<long[]> inputShapes, List<float[]> inputs) {
    return gradientCheck(model, inputShapes, inputs, true);
  }

  /**
   * As {@link #gradientCheck(Model, List, List)}; with {@code checkInputs=false} only the weights are checked, for
   * inputs the model is not differentiable in (ids, or values that a mask is computed from: a step of +-h would
   * flip the mask).
   */
  public static long[] gradientCheck(Model model, List<long[]> inputShapes, List<float[]> inputs,
      boolean checkInputs) {
    GraphRuntime rt = model.runtime();
    Ops tf = rt.tf();
    // Inputs enter as variables so that their gradients come from the same machinery as the weights'.
    List<GraphVariable> inputVars = new ArrayList<>();
    List<Operand<TFloat32>> inputValues = new ArrayList<>();
    long stamp = System.nanoTime();
    for (int i = 0; i < inputs.size(); i++) {
      Shape shape = Shape.of(inputShapes.get(i));
      float[] x = inputs.get(i);
      GraphVariable v = rt.newVariable("grad_check_input_" + i + "_" + stamp, "x", shape,
          o -> o.constant(shape, DataBuffers.of(x, true, false)), false);
      inputVars.add(v);
      inputValues.add(v.value());
    }
    Operand<TFloat32> y = model.call(inputValues, false).get(0);
    long[] ys;
    try (Result r = rt.session().runner().fetch(y).run()) {
      ys = r.get(0).shape().asArray();
    }
    float[] c = randomValues((int) Shape.of(ys).size(), 11);
    Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, tf.constant(Shape.of(ys), DataBuffers.of(c, true, false))),
        tf.range(tf.constant(0), tf.rank(y), tf.constant(1)));
    List<GraphVariable> wrt = new ArrayList<>(model.variables());
    wrt.addAll(inputVars);
    List<Operand<TFloat32>> grads = rt.gradients(loss, wrt);
    List<float[]> analytic = new ArrayList<>();
    var runner = rt.session().runner();
    grads.forEach(runner::fetch);
    try (Result r = runner.run()) {
      for (int i = 0; i < grads.size(); i++) {
        TFloat32 t = (TFloat32) r.get(i);
        float[] g = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(g);
        analytic.add(g);
      }
    }
    List<FloatNdArray> values = rt.read(wrt);
    double h = 1e-2;
    int checked = checkInputs ? wrt.size() : model.variables().size();
    for (int k = 0; k < checked; k++) {
      GraphVariable v = wrt.get(k);
      float[] base = new float[(int) v.size()];
      values.get(k).copyTo(DataBuffers.of(base, false, false));
      int stride = Math.max(1, base.length / 12);
      for (int i = 0; i < base.length; i += stride) {
        float[] plus = base.clone();
        plus[i] += h;
        float[] minus = base.clone();
        minus[i] -= h;
        double lp = evalLoss(rt, loss, v, plus);
        double lm = evalLoss(rt, loss, v, minus);
        rt.assign(List.of(v), List.of(NdArrays.wrap(v.shape(), DataBuffers.of(base, false, false))));
        double numeric = (lp - lm) / (2 * h);
        double a = analytic.get(k)[i];
        assertEquals(numeric, a, 2e-3 + 2e-2 * Math.abs(numeric),
            "d loss / d " + v.name() + "[" + i + "] of model " + model.name());
      }
    }
    return ys;
  }

  private static double evalLoss(GraphRuntime rt, Operand<TFloat32> loss, GraphVariable v, float[] value) {
    rt.assign(List.of(v), List.of(NdArrays.wrap(v.shape(), DataBuffers.of(value, false, false))));
    try (Result r = rt.session().runner().fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }
}
