package io.github.keras4j.layers.normalization;

import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected numbers: the L2 normalization of Keras 3's {@code ops.normalize(order=2, epsilon=1e-12)} in plain Java
 * (double): {@code x / sqrt(max(sum(x^2), 1e-24))} over the normalized axes.
 */
class UnitNormalizationTest {

  @Test
  void normalizesRowsAsKerasDocstring() {
    // Keras docstring: UnitNormalization()(np.arange(6).reshape(2, 3)); row 0 = (0, 1, 2) / sqrt(5),
    // row 1 = (3, 4, 5) / sqrt(50); each row's squares sum to 1.
    Tensor y = predict(new UnitNormalization(), new Tensor(new float[] {0, 1, 2, 3, 4, 5}, 2, 3));
    double[] expected = {0, 1 / Math.sqrt(5), 2 / Math.sqrt(5), 3 / Math.sqrt(50), 4 / Math.sqrt(50),
        5 / Math.sqrt(50)};
    for (int i = 0; i < 6; i++) {
      assertEquals(expected[i], y.data()[i], 1e-6, "element " + i);
    }
  }

  @Test
  void normalizesOverSeveralAxesAndKeepsZeroVectorsZero() {
    // (batch 2, 3, 2) over axes {1, 2}: one norm per sample; sample 1 is all zeros and stays zero (the clamp).
    Tensor x = random(3, 2, 3, 2);
    for (int i = 6; i < 12; i++) {
      x.data()[i] = 0f;
    }
    Tensor y = predict(new UnitNormalization(1, 2), x);
    double squares = 0;
    for (int i = 0; i < 6; i++) {
      squares += x.data()[i] * (double) x.data()[i];
    }
    for (int i = 0; i < 6; i++) {
      assertEquals(x.data()[i] / Math.sqrt(squares), y.data()[i], 1e-6, "element " + i);
      assertEquals(0f, y.data()[i + 6], "zero sample, element " + i);
    }
  }

  @Test
  void normalizesTheMiddleAxis() {
    Tensor x = random(4, 2, 3, 2);
    Tensor y = predict(new UnitNormalization(1), x);
    for (int b = 0; b < 2; b++) {
      for (int f = 0; f < 2; f++) {
        double squares = 0;
        for (int t = 0; t < 3; t++) {
          squares += Math.pow(x.get(b, t, f), 2);
        }
        for (int t = 0; t < 3; t++) {
          assertEquals(x.get(b, t, f) / Math.sqrt(squares), y.get(b, t, f), 1e-6);
        }
      }
    }
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new UnitNormalization(), 3, 4);
    LayerChecks.check(new UnitNormalization(-2, -1), 2, 3, 2);
  }

  @Test
  void configAndErrors() {
    Backend.clearSession();
    assertEquals(-1, new UnitNormalization().getConfig().get("axis"));
    assertEquals(List.of(1, 2), new UnitNormalization(1, 2).getConfig().get("axis"));
    assertEquals("unit_normalization_2", new UnitNormalization().name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new UnitNormalization(new int[] {2}, "un").apply(Input.of(3)));
    assertTrue(e.getMessage().contains("'un'") && e.getMessage().contains("out of bounds")
        && e.getMessage().contains("(None, 3)") && e.getMessage().contains("axis=[2]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new UnitNormalization(new int[0], null));
    assertTrue(e.getMessage().contains("Received: axis=[]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new UnitNormalization(1, -1).apply(Input.of(3)));
    assertTrue(e.getMessage().contains("duplicate axes"), e.getMessage());
  }
}
