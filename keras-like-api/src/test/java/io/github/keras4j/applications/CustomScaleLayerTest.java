package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.merging.MergeChecks;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Keras's {@code inception_resnet_v2.CustomScaleLayer}: {@code inputs[0] + inputs[1] * scale}. */
class CustomScaleLayerTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  @Test
  void passesTheStandardChecks() {
    MergeChecks.check(new CustomScaleLayer(0.17, null), 2, new long[] {3, 4}, new long[] {3, 4});
  }

  @Test
  void addsTheScaledResidualToTheShortcut() {
    float[] x = LayerChecks.randomValues(2 * 3 * 3 * 4, 1);
    float[] up = LayerChecks.randomValues(2 * 3 * 3 * 4, 2);
    Shape shape = Shape.of(2, 3, 3, 4);
    FloatNdArray y = MergeChecks.run(new CustomScaleLayer(0.1, "scale"), List.of(
        NdArrays.wrap(shape, DataBuffers.of(x, true, false)), NdArrays.wrap(shape, DataBuffers.of(up, true, false))));
    float[] out = new float[x.length];
    y.copyTo(DataBuffers.of(out, false, false));
    for (int i = 0; i < x.length; i++) {
      // Keras's call: inputs[0] + inputs[1] * self.scale, element by element.
      assertEquals(x[i] + up[i] * 0.1f, out[i], 1e-6f);
    }
  }

  @Test
  void hasKerasNameAndConfig() {
    CustomScaleLayer layer = new CustomScaleLayer(0.2, null);
    assertEquals("custom_scale_layer", layer.name());
    assertEquals("custom_scale_layer_1", new CustomScaleLayer(0.2, null).name());
    assertEquals(0.2, layer.getConfig().get("scale"));
    assertEquals("custom_scale_layer", layer.getConfig().get("name"));
    assertEquals(0.2, layer.scale());
  }

  @Test
  void refusesInputsOfDifferentShapes() {
    CustomScaleLayer layer = new CustomScaleLayer(0.2, "block8_1_scale");
    String m = assertThrows(IllegalArgumentException.class,
        () -> layer.apply(List.of(Input.of(8, 8, 32), Input.of(8, 8, 16)))).getMessage();
    assertEquals("Layer 'block8_1_scale' (CustomScaleLayer) expects two inputs of the same shape, [shortcut, "
        + "residual]. Received: input shapes [(None, 8, 8, 32), (None, 8, 8, 16)]", m);
    m = assertThrows(IllegalArgumentException.class, () -> layer.apply(Input.of(8, 8, 32))).getMessage();
    assertEquals("Layer 'block8_1_scale' (CustomScaleLayer) expects two inputs of the same shape, [shortcut, "
        + "residual]. Received: input shapes [(None, 8, 8, 32)]", m);
  }
}
