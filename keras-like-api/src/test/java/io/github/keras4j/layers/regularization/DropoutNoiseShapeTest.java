package io.github.keras4j.layers.regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.models.Model;
import io.github.keras4j.saving.LayerRegistry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Dropout's {@code noiseShape} (Keras's {@code noise_shape}). Expected numbers: Keras 3's dropout with a noise shape
 * multiplies the inputs by one mask of that shape (None taking the input's size), broadcast over the other axes, whose
 * entries are 0 or {@code 1 / (1 - rate)}; so every unit of a slice is either 0 or {@code x / (1 - rate)}, together.
 */
class DropoutNoiseShapeTest {

  /** Runs {@code layer} alone on {@code x} of shape {@code shape} with the given training flag. */
  private static float[] run(Layer layer, float[] x, long[] shape, boolean training) {
    KerasTensor in = Input.of(Arrays.copyOfRange(shape, 1, shape.length));
    try (Model m = new Model(in, layer.apply(in))) {
      Ops tf = m.runtime().tf();
      Operand<TFloat32> y = m.call(List.of(tf.constant(Shape.of(shape), DataBuffers.of(x, true, false))), training)
          .get(0);
      try (Result r = m.runtime().session().runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] out = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }

  @Test
  void perSampleNoiseShapeDropsWholeSamples() {
    // EfficientNet's stochastic depth: noise_shape (None, 1, 1, 1) on (400, 2, 2, 3), rate 0.25.
    int batch = 400;
    int perSample = 12;
    float[] x = new float[batch * perSample];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1 + (i % 7);
    }
    float[] y = run(new Dropout(0.25, new long[] {-1, 1, 1, 1}, 3L, null), x, new long[] {batch, 2, 2, 3}, true);
    int droppedSamples = 0;
    for (int n = 0; n < batch; n++) {
      boolean dropped = y[n * perSample] == 0f;
      droppedSamples += dropped ? 1 : 0;
      for (int j = 0; j < perSample; j++) {
        int i = n * perSample + j;
        assertEquals(dropped ? 0f : x[i] / 0.75f, y[i], 1e-5, "sample " + n + " unit " + j);
      }
    }
    // Binomial(400, 0.25): mean 100, sd 8.7; 100 +- 45 is over 5 sd.
    assertTrue(Math.abs(droppedSamples - 100) < 45, "dropped samples " + droppedSamples);
  }

  @Test
  void fixedSizesAndNoneMixAsKeras() {
    // noise_shape (None, 1, 4) on (3, 5, 4): one mask per sample and feature, shared by the 5 time steps.
    float[] x = LayerChecks.randomValues(60, 8);
    float[] y = run(new Dropout(0.5, new long[] {-1, 1, 4}, 11L, null), x, new long[] {3, 5, 4}, true);
    int kept = 0;
    for (int i = 0; i < 60; i++) {
      int n = i / 20;
      int feature = i % 4;
      boolean keptHere = y[n * 20 + feature] != 0f; // time step 0 of the same sample and feature
      assertEquals(keptHere ? x[i] * 2f : 0f, y[i], 1e-6, "element " + i);
      kept += keptHere ? 1 : 0;
    }
    assertTrue(kept > 0 && kept < 60, "kept " + kept);
    // The same seed without a noise shape gives an unshared mask: some time step differs from step 0.
    float[] free = run(new Dropout(0.5, null, 11L, null), x, new long[] {3, 5, 4}, true);
    boolean differs = false;
    for (int i = 4; i < 60 && !differs; i++) {
      differs = (free[i] == 0f) != (free[(i / 20) * 20 + i % 4] == 0f);
    }
    assertTrue(differs, "without noise_shape each unit has its own draw");
  }

  @Test
  void identityInInference() {
    float[] x = LayerChecks.randomValues(12, 4);
    assertArrayEquals(x, run(new Dropout(0.5, new long[] {-1, 1}, 1L, null), x, new long[] {3, 4}, false));
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new Dropout(0.3, new long[] {-1, 1, 2}, 2L, null), 2, 3, 2);
  }

  @Test
  void configRoundTripAndErrors() {
    Dropout layer = new Dropout(0.2, new long[] {-1, 1, 1, 1}, 5L, "block2b_drop");
    assertEquals(Arrays.asList(null, 1L, 1L, 1L), layer.getConfig().get("noise_shape"));
    assertArrayEquals(new long[] {-1, 1, 1, 1}, layer.noiseShape());
    assertNull(new Dropout(0.1).getConfig().get("noise_shape"));
    assertNull(new Dropout(0.1).noiseShape());
    Dropout copy = (Dropout) LayerRegistry.deserialize(LayerRegistry.serialize(layer), null);
    assertArrayEquals(new long[] {-1, 1, 1, 1}, copy.noiseShape());
    assertEquals(0.2f, copy.rate());
    assertEquals("block2b_drop", copy.name());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.apply(Input.of(3, 5)));
    assertTrue(e.getMessage().contains("'block2b_drop'") && e.getMessage().contains("(None, 1, 1, 1)")
        && e.getMessage().contains("(None, 3, 5)"), e.getMessage());
    Dropout wrongSize = new Dropout(0.1, new long[] {-1, 2}, null, "d2");
    e = assertThrows(IllegalArgumentException.class, () -> wrongSize.apply(Input.of(3)));
    assertTrue(e.getMessage().contains("'d2'") && e.getMessage().contains("(None, 2)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Dropout(0.1, new long[] {-1, 0}, null, "d0"));
    assertTrue(e.getMessage().contains("'d0'") && e.getMessage().contains("noiseShape=(None, 0)"), e.getMessage());
  }
}
