package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import org.junit.jupiter.api.Test;

/** Expected numbers: {@code x * scale + offset} (Keras 3's rescaling.py) by hand and in float32 loops. */
class RescalingTest {

  @Test
  void mapsPixelsToTheUnitAndSymmetricRanges() {
    Tensor pixels = new Tensor(new float[] {0, 51, 127.5f, 255}, 1, 4);
    // 1/255: 0, 0.2, 0.5, 1.
    Tensor y = predict(new Rescaling(1 / 255.0), pixels);
    float[] unit = {0f, 0.2f, 0.5f, 1f};
    for (int i = 0; i < 4; i++) {
      assertEquals(unit[i], y.data()[i], 1e-7, "element " + i);
    }
    // 1/127.5 and offset -1: -1, -0.6, 0, 1.
    y = predict(new Rescaling(1 / 127.5, -1), pixels);
    float[] symmetric = {-1f, -0.6f, 0f, 1f};
    for (int i = 0; i < 4; i++) {
      assertEquals(symmetric[i], y.data()[i], 1e-6, "element " + i);
    }
  }

  @Test
  void matchesFloat32ArithmeticOnImages() {
    Tensor x = random(3, 2, 3, 3, 2);
    Tensor y = predict(new Rescaling(2.5, 0.75), x);
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(x.data()[i] * 2.5f + 0.75f, y.data()[i], 1e-6, "element " + i);
    }
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new Rescaling(0.5, 1), 3, 4);
    LayerChecks.check(new Rescaling(-2), 2, 3, 2);
  }

  @Test
  void shapeConfigAndErrors() {
    Backend.clearSession();
    Rescaling r = new Rescaling(1 / 255.0);
    assertEquals("(None, 28, 28, 1)", Shapes.format(r.apply(Input.of(28, 28, 1)).shape()));
    assertEquals("rescaling", r.name());
    assertEquals(1 / 255.0, r.getConfig().get("scale"));
    assertEquals(0.0, r.getConfig().get("offset"));
    assertTrue(r.supportsMasking());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Rescaling(Double.NaN, 0, "bad_scale"));
    assertTrue(e.getMessage().contains("'bad_scale'") && e.getMessage().contains("scale=NaN"), e.getMessage());
  }
}
