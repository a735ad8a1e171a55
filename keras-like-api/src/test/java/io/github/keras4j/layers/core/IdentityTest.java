package io.github.keras4j.layers.core;

import static io.github.keras4j.layers.convolutional.ConvReference.assertClose;
import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import org.junit.jupiter.api.Test;

/** Identity returns its input: the expected output is the input itself. */
class IdentityTest {

  @Test
  void returnsItsInput() {
    Tensor x = random(1, 2, 3, 4);
    assertClose(x, predict(new Identity(), x), 0);
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new Identity(), 3, 4);
    LayerChecks.check(new Identity(), 2, 3, 2);
  }

  @Test
  void shapeNameConfigAndMasks() {
    Backend.clearSession();
    Identity id = new Identity();
    assertEquals("(None, 5, 2)", Shapes.format(id.apply(Input.of(5, 2)).shape()));
    assertEquals("identity", id.name());
    assertEquals("identity", id.getConfig().get("name"));
    assertTrue(id.supportsMasking());
  }
}
