package io.github.keras4j.layers.preprocessing;

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
import org.junit.jupiter.api.function.Executable;

/**
 * RandomFlip, RandomTranslation, RandomRotation and RandomZoom. Expected numbers: for the drawn parameters (fetched
 * in the same run as the output), exact mirrors and whole-pixel shifts written as index arithmetic, and otherwise
 * the affine matrices of Keras's source (random_translation.py, random_zoom.py, {@code _compute_affine_matrix})
 * resampled in plain loops by {@link ImageReference#affineConstant} (TensorFlow's ImageProjectiveTransformV3
 * conventions, constant fill).
 */
class GeometricAugmentationTest {

  private static final Images X = ImageReference.random(1, 1, 6, 8, 6, 2);

  // ---------------------------------------------------------------- RandomFlip

  @Test
  void flipIsAnExactMirrorOfTheDrawnImages() {
    for (String mode : RandomFlip.MODES) {
      Backend.clearSession();
      Drawn d = draw(new RandomFlip(mode, 11L, null), X);
      float[] expected = new float[X.data().length];
      int flipped = 0;
      for (int n = 0; n < X.b(); n++) {
        boolean flip = d.transformation()[n] == 1f;
        assertTrue(flip || d.transformation()[n] == 0f, "flip flags are 0 or 1");
        flipped += flip ? 1 : 0;
        boolean h = flip && !mode.equals("vertical");
        boolean v = flip && !mode.equals("horizontal");
        for (int i = 0; i < X.h(); i++) {
          for (int j = 0; j < X.w(); j++) {
            for (int c = 0; c < X.c(); c++) {
              expected[X.index(n, i, j, c)] = X.get(n, v ? X.h() - 1 - i : i, h ? X.w() - 1 - j : j, c);
            }
          }
        }
      }
      assertClose(expected, d.output(), 0, mode);
      assertTrue(flipped > 0 && flipped < X.b(), mode + ": seed 11 flips some of the 6 images, not all: " + flipped);
    }
  }

  @Test
  void flipRandomnessAndErrors() {
    checkRandomness(() -> new RandomFlip("horizontal", 5L, null), X);
    checkRandomness(() -> {
      Backend.setRandomSeed(3);
      return new RandomFlip();
    }, X);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RandomFlip("diagonal", null, "bad_flip"));
    assertTrue(e.getMessage().contains("'bad_flip'") && e.getMessage().contains("mode=diagonal"), e.getMessage());
  }

  // ---------------------------------------------------------------- RandomTranslation

  @Test
  void wholePixelTranslationWithConstantFillIsAnExactShift() {
    Backend.clearSession();
    // Factor ranges of one point: dy = 0.25 * 8 = 2 rows down, dx = -0.5 * 6 = 3 columns left.
    RandomTranslation t = RandomTranslation.builder(0, 0).heightFactor(0.25, 0.25).widthFactor(-0.5, -0.5)
        .fillMode("constant").fillValue(-7).seed(1).build();
    Drawn d = draw(t, X);
    float[] expected = new float[X.data().length];
    for (int n = 0; n < X.b(); n++) {
      assertEquals(-3f, d.transformation()[2 * n]);
      assertEquals(2f, d.transformation()[2 * n + 1]);
      for (int i = 0; i < X.h(); i++) {
        for (int j = 0; j < X.w(); j++) {
          for (int c = 0; c < X.c(); c++) {
            int si = i - 2;
            int sj = j + 3;
            boolean inside = si >= 0 && si < X.h() && sj >= 0 && sj < X.w();
            expected[X.index(n, i, j, c)] = inside ? X.get(n, si, sj, c) : -7f;
          }
        }
      }
    }
    assertClose(expected, d.output(), 1e-6, "shift by (2, -3)");
  }

  @Test
  void wholePixelTranslationWithReflectFillMirrorsAboutTheEdge() {
    Backend.clearSession();
    // dy = -0.25 * 8 = 2 rows up, dx = 0.5 * 6 = 3 columns right; reflect: d c b a | a b c d | d c b a.
    RandomTranslation t = RandomTranslation.builder(0, 0).heightFactor(-0.25, -0.25).widthFactor(0.5, 0.5)
        .seed(2).build();
    Drawn d = draw(t, X);
    float[] expected = new float[X.data().length];
    for (int n = 0; n < X.b(); n++) {
      for (int i = 0; i < X.h(); i++) {
        for (int j = 0; j < X.w(); j++) {
          for (int c = 0; c < X.c(); c++) {
            expected[X.index(n, i, j, c)] = X.get(n, reflect(i + 2, X.h()), reflect(j - 3, X.w()), c);
          }
        }
      }
    }
    assertClose(expected, d.output(), 1e-6, "reflected shift");
  }

  private static int reflect(int i, int n) {
    return i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i;
  }

  @Test
  void randomTranslationMatchesTheResampledShift() {
    for (String interpolation : List.of("bilinear", "nearest")) {
      Backend.clearSession();
      RandomTranslation t = RandomTranslation.builder(0.3, 0.2).heightFactor(-0.1, 0.4).fillMode("constant")
          .interpolation(interpolation).seed(9).build();
      Drawn d = draw(t, X);
      double[][] m = new double[X.b()][];
      for (int n = 0; n < X.b(); n++) {
        float dx = d.transformation()[2 * n];
        float dy = d.transformation()[2 * n + 1];
        assertTrue(dx >= -0.2 * 6 && dx <= 0.2 * 6 && dy >= -0.1 * 8 - 1e-6 && dy <= 0.4 * 8, dx + ", " + dy);
        m[n] = new double[] {1, 0, -dx, 0, 1, -dy};
      }
      assertClose(ImageReference.affineConstant(X, m, interpolation.equals("bilinear"), 0).data(), d.output(), 1e-5,
          interpolation);
    }
  }

  @Test
  void translationRandomnessAndErrors() {
    checkRandomness(() -> RandomTranslation.builder(0.2, 0.3).seed(4).build(), X);
    assertFactorError(() -> new RandomTranslation(1.5, 0), "height_factor=1.5");
    assertFactorError(() -> RandomTranslation.builder(0.1, 0.1).widthFactor(-0.5, 1.2).build(),
        "width_factor=[-0.5, 1.2]");
    assertFactorError(() -> RandomTranslation.builder(0.1, 0.1).widthFactor(0.1, 0.2, 0.3).build(),
        "width_factor=[0.1, 0.2, 0.3]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RandomTranslation.builder(0.1, 0.1).fillMode("mirror").build());
    assertTrue(e.getMessage().contains("fill_mode=mirror"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RandomTranslation.builder(0.1, 0.1).interpolation("bicubic").build());
    assertTrue(e.getMessage().contains("interpolation=bicubic"), e.getMessage());
    // Keras: a number f gives [-|f|, |f|]; a pair is sorted.
    RandomTranslation t = RandomTranslation.builder(-0.2, 0.1).widthFactor(0.3, -0.1).build();
    assertEquals(List.of(-0.2, 0.2), List.of(t.heightFactor()[0], t.heightFactor()[1]));
    assertEquals(List.of(-0.1, 0.3), List.of(t.widthFactor()[0], t.widthFactor()[1]));
  }

  // ---------------------------------------------------------------- RandomRotation

  @Test
  void halfTurnIsBothFlips() {
    Backend.clearSession();
    Drawn d = draw(RandomRotation.builder(0.5, 0.5).seed(1).build(), X);
    float[] expected = new float[X.data().length];
    for (int n = 0; n < X.b(); n++) {
      assertEquals(180f, d.transformation()[n], 1e-4);
      for (int i = 0; i < X.h(); i++) {
        for (int j = 0; j < X.w(); j++) {
          for (int c = 0; c < X.c(); c++) {
            expected[X.index(n, i, j, c)] = X.get(n, X.h() - 1 - i, X.w() - 1 - j, c);
          }
        }
      }
    }
    assertClose(expected, d.output(), 1e-4, "180 degrees");
  }

  @Test
  void randomRotationMatchesKerasAffineMatrix() {
    Backend.clearSession();
    Drawn d = draw(RandomRotation.builder(0.1).fillMode("constant").fillValue(0.5).seed(21).build(), X);
    double cx = (X.w() - 1) / 2.0;
    double cy = (X.h() - 1) / 2.0;
    double[][] m = new double[X.b()][];
    for (int n = 0; n < X.b(); n++) {
      double deg = d.transformation()[n];
      assertTrue(Math.abs(deg) <= 36, "angle " + deg);
      double a = Math.toRadians(deg);
      double cos = Math.cos(a);
      double sin = Math.sin(a);
      m[n] = new double[] {cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos};
    }
    assertClose(ImageReference.affineConstant(X, m, true, 0.5f).data(), d.output(), 1e-4, "rotation");
  }

  @Test
  void rotationRandomnessAndErrors() {
    checkRandomness(() -> RandomRotation.builder(0.2).seed(6).build(), X);
    assertFactorError(() -> new RandomRotation(-1.5), "factor=-1.5");
    assertFactorError(() -> RandomRotation.builder(0.1, 2).build(), "factor=[0.1, 2.0]");
    assertEquals(List.of(-0.2, 0.2), new RandomRotation(-0.2).getConfig().get("factor"));
  }

  // ---------------------------------------------------------------- RandomZoom

  @Test
  void randomZoomMatchesKerasZoomMatrix() {
    Backend.clearSession();
    RandomZoom z = RandomZoom.builder(-0.3, 0.4).widthFactor(0.2).fillMode("constant").seed(8).build();
    Drawn d = draw(z, X);
    double[][] m = new double[X.b()][];
    for (int n = 0; n < X.b(); n++) {
      double zx = d.transformation()[2 * n];
      double zy = d.transformation()[2 * n + 1];
      assertTrue(zx >= 0.8 && zx <= 1.2 && zy >= 0.7 - 1e-6 && zy <= 1.4, zx + ", " + zy);
      m[n] = new double[] {zx, 0, (X.w() - 1) / 2.0 * (1 - zx), 0, zy, (X.h() - 1) / 2.0 * (1 - zy)};
    }
    assertClose(ImageReference.affineConstant(X, m, true, 0).data(), d.output(), 1e-5, "zoom");
    // Without a width factor the width zooms as the height.
    Backend.clearSession();
    Drawn same = draw(new RandomZoom(0.3), X);
    for (int n = 0; n < X.b(); n++) {
      assertEquals(same.transformation()[2 * n], same.transformation()[2 * n + 1]);
    }
  }

  @Test
  void zoomRandomnessAndErrors() {
    checkRandomness(() -> RandomZoom.builder(0.2).seed(12).build(), X);
    assertFactorError(() -> new RandomZoom(-1), "height_factor=-1.0");
    assertFactorError(() -> new RandomZoom(0.2, 1.1), "width_factor=1.1");
    assertEquals(null, new RandomZoom(0.2).getConfig().get("width_factor"));
  }

  @Test
  void passStandardLayerChecks() {
    // In inference (the checks' gradients) the layers are the identity; the training step runs the transform.
    LayerChecks.check(new RandomFlip(), 2, 4, 4, 1);
    LayerChecks.check(new RandomTranslation(0.2, 0.2), 2, 4, 4, 1);
    LayerChecks.check(new RandomRotation(0.1), 2, 4, 4, 1);
    LayerChecks.check(new RandomZoom(0.1), 2, 4, 4, 1);
  }

  static void assertFactorError(Executable make, String received) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    assertTrue(e.getMessage().contains("Received: " + received) && e.getMessage().contains("Layer '"),
        e.getMessage());
  }
}
