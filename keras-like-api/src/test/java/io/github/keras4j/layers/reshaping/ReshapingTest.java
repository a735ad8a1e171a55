package io.github.keras4j.layers.reshaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Lambda;
import io.github.keras4j.models.Model;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class ReshapingTest {

  @Test
  void flattenKeepsRowMajorOrder() {
    KerasTensor in = Input.of(2, 2);
    KerasTensor out = new Flatten().apply(in);
    assertEquals("(None, 4)", Shapes.format(out.shape()));
    try (Model m = new Model(in, out)) {
      FloatNdArray y = m.predict(new float[][][] {{{1, 2}, {3, 4}}});
      for (int j = 0; j < 4; j++) {
        assertEquals(j + 1f, y.getFloat(0, j));
      }
    }
  }

  @Test
  void flattenOfSizesUnknownUntilRunTime() {
    // A slice whose size is fed at run time hides the sizes from the graph: Flatten then reshapes to (batch, -1), as
    // Keras does, instead of (-1, -1), which TensorFlow refuses.
    KerasTensor in = Input.of(2, 3);
    KerasTensor hidden = new Lambda((tf, x) -> tf.slice(x, tf.constant(new int[] {0, 0, 0}),
        tf.placeholderWithDefault(tf.constant(new int[] {-1, -1, -1}), Shape.of(3)))).apply(in);
    KerasTensor flat = new Flatten().apply(hidden);
    assertEquals("(None, None)", Shapes.format(flat.shape()));
    // predict needs a known output shape; a Lambda declares it (a Reshape would let Grappler merge the two reshapes).
    KerasTensor out = new Lambda((tf, x) -> tf.math.mul(x, tf.constant(2f)), Shape.of(6)).apply(flat);
    try (Model m = new Model(in, out)) {
      FloatNdArray y = m.predict(new float[][][] {{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}});
      assertEquals(Shape.of(2, 6), y.shape());
      for (int j = 0; j < 12; j++) {
        assertEquals(2f * (j + 1), y.getFloat(j / 6, j % 6));
      }
    }
  }

  @Test
  void reshapeInfersMinusOne() {
    KerasTensor in = Input.of(6);
    KerasTensor out = new Reshape(-1, 2).apply(in);
    assertEquals("(None, 3, 2)", Shapes.format(out.shape()));
    try (Model m = new Model(in, out)) {
      FloatNdArray y = m.predict(new float[][] {{0, 1, 2, 3, 4, 5}});
      assertEquals(5f, y.getFloat(0, 2, 1));
      assertEquals(2f, y.getFloat(0, 1, 0));
    }
  }

  @Test
  void reshapeRejectsIncompatibleSizes() {
    KerasTensor in = Input.of(7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Reshape(3, 2).apply(in));
    assertEquals(true, e.getMessage().contains("(None, 7)") && e.getMessage().contains("(3, 2)"), e.getMessage());
    // The -1 to infer is printed as given, not as an unknown size (None).
    IllegalArgumentException inferred =
        assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, 2).apply(Input.of(7)));
    assertEquals(true, inferred.getMessage().contains("target shape (-1, 2)"), inferred.getMessage());
  }

  @Test
  void passStandardLayerChecks() {
    LayerChecks.check(new Flatten(), 2, 3, 2);
    LayerChecks.check(new Reshape(2, 3), 2, 6);
  }
}
