package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.ImageReference.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tensorflow.ndarray.Shape;

/**
 * ContrastLimitedAdaptiveHistogramEqualization. Expected numbers: CLAHE recomputed in plain loops from Keras's
 * {@code clahe.py} (per image and channel: tiles of {@code ceil(size / grid)}, symmetric padding at the bottom and
 * right, 256-bin histograms clipped to {@code clip_limit * tile area / 256} with the excess spread over all bins,
 * mapping {@code (cdf - cdf[0]) * 255 / (area - cdf[0])}, and the bilinear blend of the four tiles around each pixel,
 * located at {@code (p - t / 2) / t} in tile units), in doubles; and two images worked by hand. The layer has no
 * gradient (its output depends on the input only through integer bins, as in Keras), so instead of
 * {@code LayerChecks.check} it runs through {@link PreprocessingChecks#predict}: inference, shape inference, config.
 */
class ContrastLimitedAdaptiveHistogramEqualizationTest {

  /** CLAHE of {@code x} (values in {@code (lo, hi)}) in plain loops. */
  static float[] reference(Images x, float lo, float hi, double clipLimit, int gh, int gw) {
    int h = x.h();
    int w = x.w();
    int th = (h + gh - 1) / gh;
    int tw = (w + gw - 1) / gw;
    boolean standard = lo == 0 && hi == 255;
    float[] out = new float[x.data().length];
    for (int n = 0; n < x.b(); n++) {
      for (int c = 0; c < x.c(); c++) {
        int[][] bin = new int[th * gh][tw * gw];
        for (int p = 0; p < th * gh; p++) {
          for (int q = 0; q < tw * gw; q++) {
            float v = x.get(n, reflect(p, h), reflect(q, w), c);
            float v255 = standard ? v : (v - lo) / (hi - lo) * 255f + 0f;
            bin[p][q] = Math.max(0, Math.min(255, (int) v255));
          }
        }
        double[][][] map = new double[gh][gw][];
        for (int a = 0; a < gh; a++) {
          for (int b = 0; b < gw; b++) {
            double[] hist = new double[256];
            for (int p = a * th; p < (a + 1) * th; p++) {
              for (int q = b * tw; q < (b + 1) * tw; q++) {
                hist[bin[p][q]]++;
              }
            }
            if (clipLimit > 0) {
              double limit = clipLimit * th * tw / 256.0;
              double excess = 0;
              for (int v = 0; v < 256; v++) {
                excess += Math.max(0, hist[v] - limit);
                hist[v] = Math.min(hist[v], limit);
              }
              for (int v = 0; v < 256; v++) {
                hist[v] += excess / 256;
              }
            }
            double[] m = new double[256];
            double cdf = 0;
            double first = hist[0];
            double denominator = th * tw - first == 0 ? 1 : th * tw - first;
            for (int v = 0; v < 256; v++) {
              cdf += hist[v];
              m[v] = Math.max(0, Math.min(255, (cdf - first) * 255 / denominator));
            }
            map[a][b] = m;
          }
        }
        for (int p = 0; p < h; p++) {
          double u = (p - th / 2.0) / th;
          int a0 = (int) Math.floor(u);
          double ty = u - a0;
          for (int q = 0; q < w; q++) {
            double s = (q - tw / 2.0) / tw;
            int b0 = (int) Math.floor(s);
            double tx = s - b0;
            int v = bin[p][q];
            double top = (1 - tx) * tile(map, a0, b0, v) + tx * tile(map, a0, b0 + 1, v);
            double bottom = (1 - tx) * tile(map, a0 + 1, b0, v) + tx * tile(map, a0 + 1, b0 + 1, v);
            double y = (1 - ty) * top + ty * bottom;
            out[x.index(n, p, q, c)] = (float) (standard ? y : y / 255 * (hi - lo) + lo);
          }
        }
      }
    }
    return out;
  }

  /** Tile {@code (a, b)}'s mapping of bin {@code v}, tiles outside the grid taken from the nearest edge tile. */
  private static double tile(double[][][] map, int a, int b, int v) {
    return map[Math.max(0, Math.min(map.length - 1, a))][Math.max(0, Math.min(map[0].length - 1, b))][v];
  }

  /** Symmetric padding's source index: {@code d c b a | a b c d | d c b a}, reflected again while outside. */
  private static int reflect(int i, int n) {
    while (i >= n) {
      i = 2 * n - 1 - i;
      if (i < 0) {
        i = -1 - i;
      }
    }
    return i;
  }

  private static float[] run(ContrastLimitedAdaptiveHistogramEqualization layer, Images x) {
    Backend.clearSession();
    return PreprocessingChecks.predict(layer, x.data(), x.h(), x.w(), x.c());
  }

  @Test
  void matchesThePlainLoopClahe() {
    // Padding 2 rows and 3 columns; clip limit 2.
    Images a = ImageReference.random(3, 255, 2, 10, 13, 3);
    assertClose(reference(a, 0, 255, 2.0, 3, 4), run(new ContrastLimitedAdaptiveHistogramEqualization(0, 255, 2.0,
        new int[] {3, 4}, null), a), 2e-3, "10x13, 3x4 tiles, clip 2");
    // Values in (-1, 1), no clipping, one padded column.
    Images b = ImageReference.random(4, 2, 2, 10, 13, 2);
    for (int i = 0; i < b.data().length; i++) {
      b.data()[i] -= 1;
    }
    float[] got = run(new ContrastLimitedAdaptiveHistogramEqualization(-1, 1, 0, new int[] {2, 2}, null), b);
    assertClose(reference(b, -1, 1, 0, 2, 2), got, 2e-5, "(-1, 1), 2x2 tiles, no clip");
    // Keras's defaults (8x8 tiles of 2x2, clip 4) on 16x16.
    Images c = ImageReference.random(5, 255, 1, 16, 16, 2);
    assertClose(reference(c, 0, 255, 4.0, 8, 8), run(new ContrastLimitedAdaptiveHistogramEqualization(), c), 2e-3,
        "defaults");
    // More tiles than rows: 1x1 tiles, 5 padded rows on 3 (reflected twice), 3 padded columns on 5.
    Images d = ImageReference.random(6, 255, 1, 3, 5, 1);
    assertClose(reference(d, 0, 255, 4.0, 8, 8), run(new ContrastLimitedAdaptiveHistogramEqualization(), d), 2e-3,
        "3x5 in 8x8 tiles");
    // Reversed value range: values mapped by (x - 1) / (0 - 1) * 255, as Keras.
    Images e = ImageReference.random(7, 1, 1, 6, 8, 1);
    assertClose(reference(e, 1, 0, 3.0, 2, 2), run(new ContrastLimitedAdaptiveHistogramEqualization(1, 0, 3.0,
        new int[] {2, 2}, null), e), 2e-5, "value range (1, 0)");
  }

  @Test
  void twoLevelImagesWorkedByHand() {
    // One 4x4 tile (every pixel blends the same tile with itself): 8 pixels at 50, 8 at 200.
    float[] img = new float[16];
    for (int i = 0; i < 16; i++) {
      img[i] = i < 8 ? 50.4f : 200.9f;
    }
    Images x = new Images(img, 1, 4, 4, 1);
    // No clip: cdf[50] = 8, cdf[200] = 16, cdf[0] = 0: 8 * 255 / 16 = 127.5 and 255.
    float[] plain = run(new ContrastLimitedAdaptiveHistogramEqualization(0, 255, 0, new int[] {1, 1}, null), x);
    for (int i = 0; i < 16; i++) {
      assertEquals(i < 8 ? 127.5f : 255f, plain[i], 1e-4, "no clip, pixel " + i);
    }
    // Clip 4: limit 4 * 16 / 256 = 0.25; excess 2 * 7.75 = 15.5 spread as 15.5 / 256 = 0.060546875 per bin.
    // cdf[0] = 0.060546875; cdf[50] = 51 * 0.060546875 + 0.25 = 3.337890625;
    // cdf[200] = 201 * 0.060546875 + 0.5 = 12.669921875; divisor 16 - 0.060546875 = 15.939453125.
    // (3.337890625 - 0.060546875) * 255 / 15.939453125 = 52.431075, (12.669921875 - 0.060546875) * 255 / ... = 201.725279.
    float[] clipped = run(new ContrastLimitedAdaptiveHistogramEqualization(0, 255, 4, new int[] {1, 1}, null), x);
    for (int i = 0; i < 16; i++) {
      assertEquals(i < 8 ? 52.431075f : 201.725279f, clipped[i], 1e-3, "clip 4, pixel " + i);
    }
    // A constant image, values 0.25 in (0, 1): bin int(63.75) = 63 of each 2x2 tile. Without clipping it maps to the
    // top (the bin holds the whole cdf): 1. With clip 4: limit 4 * 4 / 256 = 0.0625, excess 3.9375 spread as
    // 0.015380859375 per bin; cdf[0] = 0.015380859375, cdf[63] = 64 * 0.015380859375 + 0.0625 = 1.046875;
    // (1.046875 - 0.015380859375) * 255 / (4 - 0.015380859375) = 66.011580, / 255 = 0.258869: clipping keeps a
    // flat region almost as it was.
    float[] flat = new float[32];
    Arrays.fill(flat, 0.25f);
    Images constant = new Images(flat, 2, 4, 4, 1);
    for (double clipLimit : new double[] {0, 4}) {
      float[] out = run(new ContrastLimitedAdaptiveHistogramEqualization(0, 1, clipLimit, new int[] {2, 2}, null),
          constant);
      for (float v : out) {
        assertEquals(clipLimit == 0 ? 1f : 0.258869f, v, 1e-5, "constant image, clip " + clipLimit);
      }
    }
  }

  @Test
  void outputStaysInTheValueRange() {
    // Keras's test_output_range: values in (0, 1) and (0, 255) stay inside.
    for (float hi : new float[] {1, 255}) {
      Images x = ImageReference.random(9, hi, 2, 12, 12, 3);
      float[] out = run(new ContrastLimitedAdaptiveHistogramEqualization(0, hi, 4.0, new int[] {8, 8}, null), x);
      for (float v : out) {
        assertTrue(v >= 0 && v <= hi, "value " + v + " outside (0, " + hi + ")");
      }
    }
  }

  @Test
  void configHoldsKerasKeys() {
    ContrastLimitedAdaptiveHistogramEqualization layer = new ContrastLimitedAdaptiveHistogramEqualization(-1, 1, 2.5,
        new int[] {2, 3}, "clahe");
    Map<String, Object> c = layer.getConfig();
    assertEquals(List.of(-1.0, 1.0), c.get("value_range"));
    assertEquals(2.5, c.get("clip_limit"));
    assertEquals(List.of(2, 3), c.get("tile_grid_size"));
    assertEquals("channels_last", c.get("data_format"));
    assertEquals("clahe", c.get("name"));
    Map<String, Object> defaults = new ContrastLimitedAdaptiveHistogramEqualization().getConfig();
    assertEquals(List.of(0.0, 255.0), defaults.get("value_range"));
    assertEquals(4.0, defaults.get("clip_limit"));
    assertEquals(List.of(8, 8), defaults.get("tile_grid_size"));
  }

  private static void assertError(Executable make, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }

  @Test
  void badArgumentsAndInputsAreRejected() {
    assertError(() -> new ContrastLimitedAdaptiveHistogramEqualization(0, 255, 4, new int[] {0, 2}, "c1"), "'c1'",
        "tile_grid_size=[0, 2]");
    assertError(() -> new ContrastLimitedAdaptiveHistogramEqualization(0, 255, 4, new int[] {2, 2, 2}, "c2"),
        "tile_grid_size=[2, 2, 2]");
    assertError(() -> new ContrastLimitedAdaptiveHistogramEqualization(0, 255, Double.NaN, new int[] {2, 2}, "c3"),
        "'c3'", "clip_limit=NaN");
    assertError(() -> new ContrastLimitedAdaptiveHistogramEqualization(1, 1, 4, new int[] {2, 2}, "c4"), "'c4'",
        "value_range=[1.0, 1.0]");
    assertError(() -> new ContrastLimitedAdaptiveHistogramEqualization(0, Double.POSITIVE_INFINITY, 4,
        new int[] {2, 2}, "c5"), "value_range");
    Backend.clearSession();
    ContrastLimitedAdaptiveHistogramEqualization layer = new ContrastLimitedAdaptiveHistogramEqualization(0, 255, 4,
        new int[] {2, 2}, "c6");
    assertError(() -> layer.apply(Input.of(8, 8)), "'c6'", "expected ndim=4");
    // Inputs always have known sizes; a graph tensor with unknown channels can reach the layer only inside a graph.
    assertError(() -> layer.computeOutputShape(Shape.of(-1, 8, 8, -1)), "'c6'", "(None, 8, 8, None)");
  }
}
