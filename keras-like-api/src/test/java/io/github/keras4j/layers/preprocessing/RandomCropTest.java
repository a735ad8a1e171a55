package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.ImageReference.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Expected numbers: training outputs are windows of the input, found by searching every offset in plain loops
 * ({@link ImageReference#crop}); inference is Keras's documented resize (the {@code smart_resize} window worked out
 * by hand, then bilinear resizing with half-pixel centres, {@link ImageReference#resizeBilinear}).
 */
class RandomCropTest {

  /** The offset {@code {top, left}} whose window of {@code x} is {@code out}, or null. */
  private static int[] offsetOf(Images x, float[] out, int h, int w) {
    for (int top = 0; top + h <= x.h(); top++) {
      for (int left = 0; left + w <= x.w(); left++) {
        if (Arrays.equals(ImageReference.crop(x, top, left, h, w).data(), out)) {
          return new int[] {top, left};
        }
      }
    }
    return null;
  }

  @Test
  void trainingCropsOneRandomWindowPerBatch() {
    Images x = ImageReference.random(5, 255, 2, 7, 9, 2);
    Backend.clearSession();
    List<float[]> runs = ImageReference.trainingRuns(new RandomCrop(3, 4, 11L, null), x, 8);
    Set<String> offsets = new HashSet<>();
    for (int k = 0; k < 8; k++) {
      // The whole batch (both images) is one window at one offset.
      int[] at = offsetOf(x, runs.get(k), 3, 4);
      assertTrue(at != null, "run " + k + " is not a window of the input");
      offsets.add(Arrays.toString(at));
    }
    assertTrue(offsets.size() >= 3, "8 runs drew only the offsets " + offsets);
    // Seeded: a fresh graph with the same seed draws the same sequence.
    Backend.clearSession();
    List<float[]> again = ImageReference.trainingRuns(new RandomCrop(3, 4, 11L, null), x, 8);
    for (int k = 0; k < 8; k++) {
      assertArrayEquals(runs.get(k), again.get(k), "run " + k + " in a fresh graph");
    }
  }

  @Test
  void everyOffsetCanBeDrawn() {
    // 4x3 -> 3x2: offsets (0 or 1) x (0 or 1); 40 draws reach all four.
    Images x = ImageReference.random(6, 1, 1, 4, 3, 1);
    Backend.clearSession();
    List<float[]> runs = ImageReference.trainingRuns(new RandomCrop(3, 2, 2L, null), x, 40);
    Set<String> offsets = new HashSet<>();
    for (int k = 0; k < 40; k++) {
      offsets.add(Arrays.toString(offsetOf(x, runs.get(k), 3, 2)));
    }
    assertEquals(Set.of("[0, 0]", "[0, 1]", "[1, 0]", "[1, 1]"), offsets);
  }

  @Test
  void inferenceResizesTheAspectRatioWindow() {
    Backend.clearSession();
    // 8x6 -> 4x4: crop height int(6 * 4 / 4) = 6 (<= 8), crop width int(8 * 4 / 4) = 8 -> min(6, 8) = 6; window
    // rows (8 - 6) / 2 = 1..6, all columns, then bilinear 6x6 -> 4x4.
    Images x = ImageReference.random(7, 255, 2, 8, 6, 3);
    List<float[]> runs = ImageReference.trainingRuns(new RandomCrop(4, 4, 1L, null), x, 1);
    Images expected = ImageReference.resizeBilinear(ImageReference.crop(x, 1, 0, 6, 6), 4, 4);
    assertClose(expected.data(), runs.get(1), 1e-3, "inference 8x6 -> 4x4");
    // A smaller input is resized in training too: 3x5 -> 4x4: window 3x3 at column 1, then up to 4x4.
    Backend.clearSession();
    Images small = ImageReference.random(8, 1, 1, 3, 5, 1);
    List<float[]> up = ImageReference.trainingRuns(new RandomCrop(4, 4, 1L, null), small, 1);
    Images resized = ImageReference.resizeBilinear(ImageReference.crop(small, 0, 1, 3, 3), 4, 4);
    assertClose(resized.data(), up.get(0), 1e-5, "training 3x5 -> 4x4");
    assertClose(resized.data(), up.get(1), 1e-5, "inference 3x5 -> 4x4");
  }

  @Test
  void passesStandardLayerChecks() {
    // Inference (predict, gradients) resizes; the training step crops at random.
    LayerChecks.check(new RandomCrop(3, 4, 1L, null), 2, 5, 6, 2);
    LayerChecks.check(new RandomCrop(5, 5, 2L, null), 2, 3, 4, 1);
  }

  @Test
  void shapeConfigAndErrors() {
    Backend.clearSession();
    RandomCrop c = new RandomCrop(24, 20, 9L, "crop");
    assertEquals("(None, 24, 20, 3)", Shapes.format(c.apply(Input.of(32, 32, 3)).shape()));
    assertEquals(24, c.getConfig().get("height"));
    assertEquals(20, c.getConfig().get("width"));
    assertEquals(9L, c.getConfig().get("seed"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(0, 3, 1L, "bad"));
    assertTrue(e.getMessage().contains("'bad'") && e.getMessage().contains("height=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(3, 3, 1L, "open").computeOutputShape(Shape.of(-1, -1, 8, 3)));
    assertTrue(e.getMessage().contains("'open'") && e.getMessage().contains("(None, None, 8, 3)"), e.getMessage());
  }
}
