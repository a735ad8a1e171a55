package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import io.github.keras4j.saving.LayerRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-channel {@code scale} and {@code offset} of Rescaling (Keras 3's rescaling.py multiplies by a NumPy array that
 * broadcasts against the last axis). Expected numbers: {@code x[..., c] * scale[c] + offset[c]} in float32 loops.
 */
class RescalingPerChannelTest {

  @Test
  void scalesEachChannelByItsOwnFactor() {
    // EfficientNet's ImageNet stem: x / sqrt(std) per RGB channel, std = (0.229, 0.224, 0.225).
    double[] scale = {1 / Math.sqrt(0.229), 1 / Math.sqrt(0.224), 1 / Math.sqrt(0.225)};
    Tensor x = random(5, 2, 3, 2, 3);
    Tensor y = predict(new Rescaling(scale, 0, null), x);
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(x.data()[i] * (float) scale[i % 3], y.data()[i], 1e-6, "element " + i);
    }
    double[] offset = {-1, 0.5, 2};
    y = predict(new Rescaling(new double[] {2}, offset, null), x);
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(x.data()[i] * 2f + (float) offset[i % 3], y.data()[i], 1e-6, "element " + i);
    }
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new Rescaling(new double[] {0.5, -2, 3}, new double[] {1, 0, -1}, null), 2, 2, 3);
  }

  @Test
  void configRoundTrip() {
    // Keras's EfficientNet stem: a list of scales and the offset 0.0.
    Rescaling r = new Rescaling(new double[] {1, 2, 3}, 0, "per_channel");
    assertEquals(List.of(1.0, 2.0, 3.0), r.getConfig().get("scale"));
    assertEquals(0.0, r.getConfig().get("offset"));
    Rescaling copy = (Rescaling) LayerRegistry.deserialize(LayerRegistry.serialize(r), null);
    assertArrayEquals(new double[] {1, 2, 3}, copy.scales());
    assertEquals(0.0, copy.offset());
    assertEquals("per_channel", copy.name());
    // Lists for both.
    Rescaling both = new Rescaling(new double[] {1, 2}, new double[] {3, 4}, "both");
    assertEquals(List.of(3.0, 4.0), both.getConfig().get("offset"));
    copy = (Rescaling) LayerRegistry.deserialize(LayerRegistry.serialize(both), null);
    assertArrayEquals(new double[] {1, 2}, copy.scales());
    assertArrayEquals(new double[] {3, 4}, copy.offsets());
    // Numbers stay numbers.
    Rescaling scalar = (Rescaling) LayerRegistry.deserialize(LayerRegistry.serialize(new Rescaling(0.5, 1)), null);
    assertEquals(0.5, scalar.scale());
    assertEquals(1.0, scalar.offset());
    assertArrayEquals(new double[] {0.5}, scalar.scales());
  }

  @Test
  void errorsNameTheLayerAndTheValues() {
    Rescaling r = new Rescaling(new double[] {1, 2}, new double[] {0}, "two");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.apply(Input.of(4, 4, 3)));
    assertEquals("Layer 'two': `scale` and `offset` must have one value or one per channel (the last axis). "
        + "Received: scale=[1.0, 2.0], offset=[0.0] for input shape (None, 4, 4, 3)", e.getMessage());
    assertEquals("(None, 4, 4, 2)", Shapes.format(r.apply(Input.of(4, 4, 2)).shape()));
    e = assertThrows(IllegalArgumentException.class,
        () -> new Rescaling(new double[] {1, Double.NaN}, new double[] {0}, "nan"));
    assertTrue(e.getMessage().contains("'nan'") && e.getMessage().contains("scale=[1.0, NaN]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Rescaling(new double[0], new double[] {0}, "empty"));
    assertTrue(e.getMessage().contains("'empty'"), e.getMessage());
    IllegalStateException s = assertThrows(IllegalStateException.class, r::scale);
    assertTrue(s.getMessage().contains("scales()"), s.getMessage());
  }
}
