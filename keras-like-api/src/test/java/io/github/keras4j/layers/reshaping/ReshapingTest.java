package io.github.keras4j.layers.reshaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.models.Model;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

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
