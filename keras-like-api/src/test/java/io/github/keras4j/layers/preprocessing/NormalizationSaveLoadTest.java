package io.github.keras4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * A saved model keeps its Normalization layers: adapted statistics (weights), given statistics (config) and
 * {@code invert}; the loaded model computes bit-identical outputs in a fresh session.
 */
class NormalizationSaveLoadTest {

  @TempDir
  Path dir;

  private static int[] bits(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(v, false, false));
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }

  @Test
  void adaptedStatisticsSurviveSaveAndLoad() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    // Column means (1.25, 0.75) and population variances (2.1875, 4.6875), by hand (see NormalizationTest).
    float[][] x = {{1, -2}, {3, 0}, {-1, 4}, {2, 1}};
    Path file = dir.resolve("normalized.keras");
    int[] expected;
    try (Sequential a = new Sequential(new InputLayer(2), new Normalization(), new Rescaling(0.5, 1),
        new Dense(3, "tanh"), Normalization.builder().axis().mean(0.25).variance(4).invert(true).build())) {
      ((Normalization) a.layers().get(0)).adapt(x);
      expected = bits(a.predict(x));
      a.save(file);
    }
    Backend.clearSession();
    Backend.setRandomSeed(99);
    try (Model b = Models.load(file)) {
      Normalization adapted = assertInstanceOf(Normalization.class, b.layers().get(0));
      assertArrayEquals(new float[] {1.25f, 0.75f}, adapted.mean());
      assertEquals(2.1875f, adapted.variance()[0], 1e-6);
      assertEquals(4.6875f, adapted.variance()[1], 1e-6);
      assertEquals(4f, b.getWeights().get(2).getFloat(), "count");
      Rescaling rescaling = assertInstanceOf(Rescaling.class, b.layers().get(1));
      assertEquals(0.5, rescaling.scale());
      assertEquals(1.0, rescaling.offset());
      Normalization inverse = assertInstanceOf(Normalization.class, b.layers().get(3));
      assertEquals(true, inverse.invert());
      assertArrayEquals(new float[] {0.25f}, inverse.mean());
      assertArrayEquals(expected, bits(b.predict(x)));
    }
  }
}
