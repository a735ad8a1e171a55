package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.GeometricAugmentationTest.assertFactorError;
import static io.github.keras4j.layers.preprocessing.ImageReference.assertClose;
import static io.github.keras4j.layers.preprocessing.ImageReference.checkRandomness;
import static io.github.keras4j.layers.preprocessing.ImageReference.draw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.preprocessing.ImageReference.Drawn;
import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RandomContrast and RandomBrightness. Expected numbers, for the factors drawn in the same run (Keras's
 * random_contrast.py and random_brightness.py): {@code clip((x - mean) * c + mean, valueRange)} with the mean per
 * image and channel over height and width, and {@code clip(x + delta, valueRange)}, in plain loops.
 */
class ColorAugmentationTest {

  private static final Images X = ImageReference.random(2, 255, 5, 4, 6, 3);

  @Test
  void contrastIsTheDeviationFromTheChannelMeanScaledAndClipped() {
    Backend.clearSession();
    // (0.6, 0.6): factors in [0.4, 1.6]; the range (20, 230) clips some values of the scaled images.
    RandomContrast layer = RandomContrast.builder(0.6, 0.6).valueRange(20, 230).seed(3).build();
    Drawn d = draw(layer, X);
    float[] expected = new float[X.data().length];
    int clipped = 0;
    for (int n = 0; n < X.b(); n++) {
      float f = d.transformation()[n];
      assertTrue(f >= 0.4f && f <= 1.6f, "factor " + f);
      for (int c = 0; c < X.c(); c++) {
        double mean = 0;
        for (int i = 0; i < X.h(); i++) {
          for (int j = 0; j < X.w(); j++) {
            mean += X.get(n, i, j, c);
          }
        }
        mean /= X.h() * X.w();
        for (int i = 0; i < X.h(); i++) {
          for (int j = 0; j < X.w(); j++) {
            double v = (X.get(n, i, j, c) - mean) * f + mean;
            clipped += v < 20 || v > 230 ? 1 : 0;
            expected[X.index(n, i, j, c)] = (float) Math.min(Math.max(v, 20), 230);
          }
        }
      }
    }
    assertTrue(clipped > 0, "some values are clipped");
    assertClose(expected, d.output(), 2e-3, "contrast");
  }

  @Test
  void contrastFactorFollowsKerasCode() {
    // Keras 3's bounds (0, 1): a number f gives (0, f), so factors in [1, 1 + f].
    Backend.clearSession();
    RandomContrast layer = RandomContrast.builder(0.5).seed(4).build();
    assertEquals(List.of(0.0, 0.5), layer.getConfig().get("factor"));
    for (float f : draw(layer, X).transformation()) {
      assertTrue(f >= 1f && f <= 1.5f, "factor " + f);
    }
    assertEquals(List.of(0.0, 255.0), layer.getConfig().get("value_range"));
    assertFactorError(() -> new RandomContrast(1.5), "factor=1.5");
    assertFactorError(() -> new RandomContrast(-0.1), "factor=-0.1");
    assertFactorError(() -> RandomContrast.builder(0.2, -0.1).build(), "factor=[0.2, -0.1]");
    checkRandomness(() -> RandomContrast.builder(0.4).seed(8).build(), X);
  }

  @Test
  void brightnessAddsAFractionOfTheRangeAndClips() {
    Backend.clearSession();
    // Value range given reversed: sorted to (0, 255) as Keras; deltas in [-0.3, 0.5] * 255.
    RandomBrightness layer = RandomBrightness.builder(0.5, -0.3).valueRange(255, 0).seed(5).build();
    assertEquals(List.of(0.0, 255.0), layer.getConfig().get("value_range"));
    Drawn d = draw(layer, X);
    float[] expected = new float[X.data().length];
    for (int n = 0; n < X.b(); n++) {
      float delta = d.transformation()[n];
      assertTrue(delta >= -0.3f * 255 - 1e-3 && delta <= 0.5f * 255, "delta " + delta);
      for (int i = 0; i < X.h() * X.w() * X.c(); i++) {
        int k = n * X.h() * X.w() * X.c() + i;
        expected[k] = Math.min(Math.max(X.data()[k] + delta, 0f), 255f);
      }
    }
    assertClose(expected, d.output(), 1e-4, "brightness");
  }

  @Test
  void brightnessRandomnessAndErrors() {
    checkRandomness(() -> RandomBrightness.builder(0.2).valueRange(0, 255).seed(2).build(), X);
    assertEquals(List.of(-0.2, 0.2), new RandomBrightness(-0.2).getConfig().get("factor"));
    assertFactorError(() -> new RandomBrightness(1.2), "factor=1.2");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RandomBrightness.builder(0.1).valueRange(0, Double.NaN).build());
    assertTrue(e.getMessage().contains("value_range=[0.0, NaN]"), e.getMessage());
  }

  @Test
  void passStandardLayerChecks() {
    LayerChecks.check(new RandomContrast(0.2), 2, 3, 3, 2);
    LayerChecks.check(RandomBrightness.builder(0.2).valueRange(-1, 1).build(), 2, 3, 3, 2);
  }
}
