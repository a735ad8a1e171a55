package io.github.keras4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class GraphRuntimeTest {

  @Test
  void formatsShapesLikeKeras() {
    assertEquals("(None, 784)", Shapes.format(Shape.of(-1, 784)));
    assertEquals("(3,)", Shapes.format(Shape.of(3)));
    assertEquals("()", Shapes.format(Shape.scalar()));
    assertEquals("(None, 28, 28)", Shapes.format(Shapes.withBatch(28, 28)));
  }

  @Test
  void shapesAreCompatibleWhereTheirKnownSizesAgree() {
    assertTrue(Shapes.compatible(Shape.of(-1, 784), Shape.of(32, 784)));
    assertTrue(Shapes.compatible(Shape.of(-1, -1, 3), Shape.of(8, 50, 3)));
    assertTrue(Shapes.compatible(Shape.of(-1, 4), Shape.unknown()));
    assertFalse(Shapes.compatible(Shape.of(-1, 784), Shape.of(32, 785)));
    assertFalse(Shapes.compatible(Shape.of(-1, 784), Shape.of(32, 28, 28)));
    assertFalse(Shapes.compatible(Shape.of(2, 3), Shape.of(4, 3)), "a known batch size must agree too");
  }

  @Test
  void variablesGetDeterministicScopedNamesAndInitialValues() {
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable k = rt.newVariable("dense", "kernel", Shape.of(2, 3), tf -> tf.fill(tf.constant(new int[] {2, 3}), tf.constant(1.5f)), true);
      GraphVariable k1 = rt.newVariable("dense_1", "kernel", Shape.of(1), tf -> tf.constant(new float[] {2f}), false);
      assertEquals("dense/kernel", k.name());
      assertEquals("dense_1/kernel", k1.name());
      try (Result r = rt.session().runner().fetch(k.value()).run()) {
        assertEquals(1.5f, ((TFloat32) r.get(0)).getFloat(1, 2));
      }
    }
  }

  @Test
  void gradientOfQuadraticForExplicitVariableList() {
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      GraphVariable w = rt.newVariable("w", "v", Shape.of(2), o -> o.constant(new float[] {1f, -2f}), true);
      GraphVariable unused = rt.newVariable("u", "v", Shape.of(1), o -> o.constant(new float[] {3f}), true);
      // loss = sum(w^2 * c), d/dw = 2*c*w
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(tf.math.mul(w.value(), w.value()), tf.constant(new float[] {3f, 5f})), tf.constant(0));
      List<Operand<TFloat32>> g = rt.gradients(loss, List.of(w, unused));
      try (Result r = rt.session().runner().fetch(g.get(0)).fetch(g.get(1)).run()) {
        TFloat32 gw = (TFloat32) r.get(0);
        assertEquals(6f, gw.getFloat(0), 1e-6);
        assertEquals(-20f, gw.getFloat(1), 1e-6);
        assertEquals(0f, ((TFloat32) r.get(1)).getFloat(0));
      }
    }
  }

  @Test
  void variableBehindStopGradientGetsZeroGradient() {
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      GraphVariable v = rt.newVariable("v", "v", Shape.of(2), o -> o.constant(new float[] {1f, -2f}), true);
      GraphVariable w = rt.newVariable("w", "v", Shape.of(2), o -> o.constant(new float[] {3f, 4f}), true);
      // loss = sum(stopGradient(v) * w): d/dv = 0 (v is an ancestor, but only through StopGradient), d/dw = v
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(tf.stopGradient(v.value()), w.value()), tf.constant(0));
      List<Operand<TFloat32>> g = rt.gradients(loss, List.of(v, w));
      try (Result r = rt.session().runner().fetch(g.get(0)).fetch(g.get(1)).run()) {
        assertEquals(0f, ((TFloat32) r.get(0)).getFloat(1));
        assertEquals(-2f, ((TFloat32) r.get(1)).getFloat(1));
      }
    }
  }

  @Test
  void onesLikeAndZerosLikeAreConstantsForGradients() {
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      GraphVariable w = rt.newVariable("w", "v", Shape.of(2), o -> o.constant(new float[] {1f, -2f}), true);
      // loss = sum(w * onesLike(w) * 3 + zerosLike(w)): d/dw = 3 (the *Like ops contribute nothing)
      Operand<TFloat32> loss = tf.reduceSum(tf.math.add(tf.math.mul(tf.math.mul(w.value(), tf.onesLike(w.value())),
          tf.constant(3f)), tf.zerosLike(w.value())), tf.constant(0));
      Operand<TFloat32> grad = rt.gradients(loss, List.of(w)).get(0);
      try (Result r = rt.session().runner().fetch(grad).run()) {
        assertEquals(3f, ((TFloat32) r.get(0)).getFloat(0), 1e-6);
        assertEquals(3f, ((TFloat32) r.get(0)).getFloat(1), 1e-6);
      }
    }
  }

  @Test
  void sparseSoftmaxCrossEntropyGradientMatchesFiniteDifferences() {
    float[][] logits = {{0.5f, -1f, 2f}, {0.1f, 0.2f, -0.3f}};
    int[] labels = {2, 0};
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      GraphVariable x = rt.newVariable("x", "v", Shape.of(2, 3), o -> o.constant(logits), true);
      Operand<TFloat32> loss = tf.reduceSum(
          tf.nn.sparseSoftmaxCrossEntropyWithLogits(x.value(), tf.constant(labels)).loss(), tf.constant(0));
      Operand<TFloat32> grad = rt.gradients(loss, List.of(x)).get(0);
      try (Result r = rt.session().runner().fetch(grad).run()) {
        TFloat32 g = (TFloat32) r.get(0);
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 3; j++) {
            double h = 1e-3;
            double numeric = (xent(logits, labels, i, j, h) - xent(logits, labels, i, j, -h)) / (2 * h);
            assertEquals(numeric, g.getFloat(i, j), 1e-4, "d loss / d logits[" + i + "][" + j + "]");
          }
        }
      }
    }
  }

  /** Sum over rows of -log softmax(row)[label], computed in double with logits[i][j] moved by h. */
  private static double xent(float[][] logits, int[] labels, int pi, int pj, double h) {
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      double[] z = new double[logits[i].length];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < z.length; j++) {
        z[j] = logits[i][j] + (i == pi && j == pj ? h : 0);
        max = Math.max(max, z[j]);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      total += -(z[labels[i]] - max - Math.log(sum));
    }
    return total;
  }

  @Test
  void closedRuntimeRejectsUse() {
    GraphRuntime rt = new GraphRuntime();
    rt.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, rt::tf);
    assertEquals("This graph runtime has been closed", e.getMessage());
  }

  @SuppressWarnings("unused")
  private static TInt32 unusedType() {
    return null;
  }
}
