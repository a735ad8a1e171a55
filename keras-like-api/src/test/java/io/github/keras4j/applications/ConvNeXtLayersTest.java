package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.models.Model;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** ConvNeXt's module-private layers: LayerScale and StochasticDepth. */
class ConvNeXtLayersTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  @Test
  void layerScaleMultipliesEachChannelByItsScale() {
    KerasTensor in = Input.of(2, 3);
    LayerScale scale = new LayerScale(0.5, 3, "scale");
    try (Model m = new Model(in, scale.apply(in))) {
      assertEquals(3, m.countParams()); // gamma: one scale per channel
      assertEquals("scale/gamma", scale.gamma().name());
      // Initialized to 0.5: y = 0.5 x.
      FloatNdArray y = m.predict(new float[][][] {{{1, -2, 4}, {0, 6, -8}}});
      assertEquals(0.5f, y.getFloat(0, 0, 0));
      assertEquals(-1f, y.getFloat(0, 0, 1));
      assertEquals(-4f, y.getFloat(0, 1, 2));
      // With scales (1, 2, 3): y[.., c] = x[.., c] * (c + 1).
      m.setWeights(List.of(NdArrays.vectorOf(1f, 2f, 3f)));
      y = m.predict(new float[][][] {{{1, -2, 4}, {0, 6, -8}}});
      assertEquals(-4f, y.getFloat(0, 0, 1));
      assertEquals(12f, y.getFloat(0, 0, 2));
      assertEquals(-24f, y.getFloat(0, 1, 2));
    }
    Map<String, Object> c = scale.getConfig();
    assertEquals(0.5, c.get("init_values"));
    assertEquals(3, c.get("projection_dim"));
    assertEquals("LayerScale", scale.className());
  }

  @Test
  void layerScalePassesStandardChecksAndRefusesOtherWidths() {
    LayerChecks.check(new LayerScale(0.7, 4, null), 2, 3, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LayerScale(1e-6, 8, "ls").apply(Input.of(5, 4)));
    assertEquals("Layer 'ls' scales 8 channels, but received input with shape (None, 5, 4)", e.getMessage());
  }

  @Test
  void stochasticDepthIsTheIdentityInInference() {
    KerasTensor in = Input.of(2, 2, 3);
    try (Model m = new Model(in, new StochasticDepth(0.9, "sd").apply(in))) {
      float[][][][] x = {{{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}}};
      FloatNdArray y = m.predict(x);
      assertEquals(12f, y.getFloat(0, 1, 1, 2));
      assertEquals(5f, y.getFloat(0, 0, 1, 1));
    }
  }

  @Test
  void stochasticDepthDropsWholeSamplesInTraining() {
    Backend.setRandomSeed(3);
    KerasTensor in = Input.of(4, 5);
    StochasticDepth sd = new StochasticDepth(0.25, null);
    assertEquals("stochastic_depth", sd.name());
    try (Model m = new Model(in, sd.apply(in))) {
      Ops tf = m.runtime().tf();
      int batch = 4_000;
      Operand<TFloat32> ones = tf.fill(tf.constant(new int[] {batch, 4, 5}), tf.constant(1f));
      Operand<TFloat32> y = m.call(List.of(ones), true).get(0);
      try (Result r = m.runtime().session().runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        int dropped = 0;
        for (int b = 0; b < batch; b++) {
          float first = t.getFloat(b, 0, 0);
          // Keras: (x / keep_prob) * floor(keep_prob + u): a sample is all 0 or all 1 / 0.75.
          assertTrue(first == 0f || Math.abs(first - 1f / 0.75f) < 1e-6, "value " + first);
          for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
              assertEquals(first, t.getFloat(b, i, j), "one mask value per sample");
            }
          }
          dropped += first == 0f ? 1 : 0;
        }
        // Binomial(4000, 0.25): mean 1000, sd 27.4; 1000 +- 140 is over 5 sd.
        assertTrue(Math.abs(dropped - 1000) < 140, "dropped " + dropped);
      }
    }
  }

  @Test
  void stochasticDepthPassesStandardChecksAndRefusesBadRates() {
    LayerChecks.check(new StochasticDepth(0.5, null), 2, 3);
    assertEquals(0.5, new StochasticDepth(0.5, null).getConfig().get("drop_path_rate"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StochasticDepth(1.0, "s"));
    assertEquals("StochasticDepth 's': `drop_path_rate` should be in [0, 1). Received: drop_path_rate=1.0",
        e.getMessage());
  }
}
