package io.github.keras4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Applies fed gradients, different at every step, to fresh variables through a Keras-level optimizer, reading the
 * variables after each step; and the comparison of those values with a reference computed in doubles.
 */
final class FedSteps {

  private FedSteps() {}

  /**
   * Variables named {@code names[i]} (such as {@code "dense/kernel"}) starting at {@code initial[i]}; step {@code k}
   * applies the gradients {@code gradients[k][i]}. Returns the values after each step: {@code out[k][i][j]}.
   */
  static float[][][] run(Optimizer optimizer, String[] names, float[][] initial, float[][][] gradients) {
    Shape[] shapes = new Shape[names.length];
    for (int i = 0; i < names.length; i++) {
      shapes[i] = Shape.of(initial[i].length);
    }
    return run(optimizer, names, shapes, initial, gradients);
  }

  /**
   * As {@link #run(Optimizer, String[], float[][], float[][][])}, for variables of any shape: {@code initial[i]} and
   * {@code gradients[k][i]} hold the elements of variable {@code i} in row-major order.
   */
  static float[][][] run(
      Optimizer optimizer, String[] names, Shape[] shapes, float[][] initial, float[][][] gradients) {
    try (GraphRuntime rt = new GraphRuntime()) {
      List<GraphVariable> vars = new ArrayList<>();
      List<Placeholder<TFloat32>> feeds = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        int slash = names[i].indexOf('/');
        Shape shape = shapes[i];
        float[] init = initial[i];
        vars.add(rt.newVariable(names[i].substring(0, slash), names[i].substring(slash + 1), shape,
            o -> o.reshape(o.constant(init), o.constant(shape.asArray())), true));
        feeds.add(rt.tf().placeholder(TFloat32.class, Placeholder.shape(shape)));
      }
      Op step = optimizer.applyGradients(rt, vars, new ArrayList<Operand<TFloat32>>(feeds), List.of());
      float[][][] out = new float[gradients.length][names.length][];
      List<TFloat32> tensors = new ArrayList<>();
      try {
        for (int k = 0; k < gradients.length; k++) {
          var runner = rt.session().runner().addTarget(step);
          for (int i = 0; i < names.length; i++) {
            TFloat32 t = TFloat32.tensorOf(shapes[i], DataBuffers.of(gradients[k][i], true, false));
            tensors.add(t);
            runner.feed(feeds.get(i), t);
          }
          runner.run().close();
          var values = rt.read(vars);
          for (int i = 0; i < names.length; i++) {
            out[k][i] = new float[initial[i].length];
            values.get(i).copyTo(DataBuffers.of(out[k][i], false, false));
          }
        }
      } finally {
        tensors.forEach(TFloat32::close);
      }
      return out;
    }
  }

  /** One variable {@code w/v}: the values after each step, {@code out[k][j]}. */
  static float[][] run(Optimizer optimizer, float[] initial, float[][] gradients) {
    return run(optimizer, Shape.of(initial.length), initial, gradients);
  }

  /** One variable {@code w/v} of {@code shape}: the values after each step, {@code out[k][j]} in row-major order. */
  static float[][] run(Optimizer optimizer, Shape shape, float[] initial, float[][] gradients) {
    float[][][] wrapped = new float[gradients.length][][];
    for (int k = 0; k < gradients.length; k++) {
      wrapped[k] = new float[][] {gradients[k]};
    }
    float[][][] all = run(optimizer, new String[] {"w/v"}, new Shape[] {shape}, new float[][] {initial}, wrapped);
    float[][] out = new float[all.length][];
    for (int k = 0; k < all.length; k++) {
      out[k] = all[k][0];
    }
    return out;
  }

  /**
   * The variables an optimizer creates (name without its own scope {@code <optimizer>/}, then shape), after one step
   * on a variable {@code name} (such as {@code "dense/kernel"}) of {@code shape} with a gradient of ones.
   */
  static Map<String, Shape> optimizerVariables(Optimizer optimizer, String name, Shape shape) {
    try (GraphRuntime rt = new GraphRuntime()) {
      int slash = name.indexOf('/');
      GraphVariable w = rt.newVariable(name.substring(0, slash), name.substring(slash + 1), shape,
          o -> o.fill(o.constant(shape.asArray()), o.constant(1f)), true);
      Op step = optimizer.applyGradients(
          rt, List.of(w), List.of(rt.tf().fill(rt.tf().constant(shape.asArray()), rt.tf().constant(1f))), List.of());
      rt.session().runner().addTarget(step).run().close();
      Map<String, Shape> out = new TreeMap<>();
      String prefix = optimizer.name() + "/";
      for (GraphVariable v : rt.variables()) {
        if (v.name().startsWith(prefix)) {
          out.put(v.name().substring(prefix.length()), v.shape());
        }
      }
      return out;
    }
  }

  /**
   * Asserts {@code actual[k][j]} equals {@code expected[k][j]} to float32 accuracy: within {@code 1e-6 * (1 + |x|)}
   * (a few ulps of the values, far below the size of one step in the tests).
   */
  static void assertClose(double[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length, "steps");
    for (int k = 0; k < expected.length; k++) {
      for (int j = 0; j < expected[k].length; j++) {
        double e = expected[k][j];
        assertEquals(e, actual[k][j], 1e-6 * (1 + Math.abs(e)), "element " + j + " after step " + (k + 1));
      }
    }
  }
}
