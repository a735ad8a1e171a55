package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.GeometricAugmentationTest.assertFactorError;
import static io.github.keras4j.layers.preprocessing.ImageReference.assertClose;
import static io.github.keras4j.layers.preprocessing.ImageReference.checkRandomness;
import static io.github.keras4j.layers.preprocessing.ImageReference.draw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.preprocessing.ImageReference.Drawn;
import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import io.github.keras4j.models.Model;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * RandomElasticTransform. Expected numbers, for the transformation drawn in the same run (or made by hand): the
 * deformation recomputed in plain loops from Keras's definitions ({@code random_elastic_transform.py} and the
 * backends' {@code elastic_transform}): {@code sigma = min(h, w) * 0.05 d}, {@code alpha = max(h, w) * 0.1 d}, the
 * noise times sigma convolved with the 2-D Gaussian of {@code int(6 sigma) | 1} taps per axis (zero padding, by
 * {@link ImageEffectsChecks#sameConv}), and the input read at {@code (i + alpha dy, j + alpha dx)} with bilinear or
 * nearest (half to even) interpolation; the fill modes here fold an index back by repeated reflection (a different
 * formulation from the layer's modular one). Identities: factor 0 or scale 0 return the input, a distortion of 0 the
 * clipped input.
 */
class RandomElasticTransformTest {

  private static final Images X = ImageReference.random(5, 255, 2, 16, 20, 2);

  /** The layer's output for {@code x} and transformation {@code t}, from Keras's definitions in plain loops. */
  static float[] reference(Images x, float[] t, boolean bilinear, String fillMode, float fill, float lo, float hi) {
    int h = x.h();
    int w = x.w();
    float d = t[1];
    float sigma = Math.min(h, w) * (0.05f * d);
    float alpha = Math.max(h, w) * (0.1f * d);
    int k = (int) (6f * sigma) | 1;
    double[] g = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      double u = (i - (k - 1) / 2.0) / sigma;
      g[i] = Math.exp(-0.5 * u * u);
      sum += g[i];
    }
    double[][] kernel = new double[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        kernel[a][b] = g[a] / sum * g[b] / sum;
      }
    }
    int row = 2 + 2 * h * w;
    float[] out = new float[x.data().length];
    for (int n = 0; n < x.b(); n++) {
      float[] noise = new float[2 * h * w];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = t[n * row + 2 + i] * sigma;
      }
      Images field = ImageEffectsChecks.sameConv(new Images(noise, 1, h, w, 2), kernel);
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          double sx = j + alpha * field.get(0, i, j, 0);
          double sy = i + alpha * field.get(0, i, j, 1);
          for (int c = 0; c < x.c(); c++) {
            double v;
            if (t[n * row] < 0.5f) {
              v = x.get(n, i, j, c);
            } else if (bilinear) {
              double fy = Math.floor(sy);
              double fx = Math.floor(sx);
              double ty = sy - fy;
              double tx = sx - fx;
              v = (1 - ty) * ((1 - tx) * read(x, n, fy, fx, c, fillMode, fill)
                  + tx * read(x, n, fy, fx + 1, c, fillMode, fill))
                  + ty * ((1 - tx) * read(x, n, fy + 1, fx, c, fillMode, fill)
                  + tx * read(x, n, fy + 1, fx + 1, c, fillMode, fill));
            } else {
              v = read(x, n, Math.rint(sy), Math.rint(sx), c, fillMode, fill);
            }
            out[x.index(n, i, j, c)] = (float) Math.min(hi, Math.max(lo, v));
          }
        }
      }
    }
    return out;
  }

  private static double read(Images x, int n, double y, double xx, int c, String fillMode, float fill) {
    if (fillMode.equals("constant") && (y < 0 || y >= x.h() || xx < 0 || xx >= x.w())) {
      return fill;
    }
    return x.get(n, fold((int) y, x.h(), fillMode), fold((int) xx, x.w(), fillMode), c);
  }

  /** {@code i} brought into {@code [0, n)}: clamped, wrapped, or reflected about the edges until inside. */
  private static int fold(int i, int n, String fillMode) {
    switch (fillMode) {
      case "constant", "nearest" -> {
        return Math.max(0, Math.min(n - 1, i));
      }
      case "wrap" -> {
        return ((i % n) + n) % n;
      }
      case "reflect" -> {
        // d c b a | a b c d | d c b a: the edge pixel repeats.
        while (i < 0 || i >= n) {
          i = i < 0 ? -1 - i : 2 * n - 1 - i;
        }
        return i;
      }
      default -> {
        // mirror, d c b | a b c d | c b a: about the edge pixel's centre.
        if (n == 1) {
          return 0;
        }
        while (i < 0 || i >= n) {
          i = i < 0 ? -i : 2 * (n - 1) - i;
        }
        return i;
      }
    }
  }

  @Test
  void deformationMatchesThePlainLoopResamplingOfItsDisplacementField() {
    for (String interpolation : List.of("bilinear", "nearest")) {
      for (String fillMode : MapCoordinates.FILL_MODES) {
        Backend.clearSession();
        RandomElasticTransform layer = RandomElasticTransform.builder().factor(1, 1).scale(0.5, 1.0)
            .interpolation(interpolation).fillMode(fillMode).fillValue(-3).valueRange(0, 200).seed(11).build();
        Drawn d = draw(layer, X);
        float[] t = d.transformation();
        int row = 2 + 2 * X.h() * X.w();
        assertEquals(X.b() * row, t.length, "transformation size");
        float distortion = t[1];
        assertTrue(distortion >= 0.5f && distortion < 1f, "distortion drawn from scale: " + distortion);
        for (int n = 0; n < X.b(); n++) {
          assertEquals(1f, t[n * row], "factor (1, 1) deforms every image");
          assertEquals(distortion, t[n * row + 1], "one distortion for the batch");
        }
        String what = interpolation + ", " + fillMode;
        float[] expected = reference(X, t, interpolation.equals("bilinear"), fillMode, -3, 0, 200);
        assertClose(expected, d.output(), 2e-3, what);
        int moved = 0;
        for (int i = 0; i < expected.length; i++) {
          moved += Math.abs(expected[i] - Math.min(200, X.data()[i])) > 1 ? 1 : 0;
        }
        assertTrue(moved > expected.length / 4, what + ": only " + moved + " values moved");
      }
    }
  }

  @Test
  void displacementDrawsAreIndependentStandardNormals() {
    Backend.clearSession();
    Images big = ImageReference.random(3, 255, 4, 16, 20, 1);
    Drawn d = draw(RandomElasticTransform.builder().factor(0.5).seed(2).build(), big);
    int row = 2 + 2 * 16 * 20;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    int m = 4 * 16 * 20;
    int applied = 0;
    for (int n = 0; n < 4; n++) {
      float a = d.transformation()[n * row];
      assertTrue(a == 0f || a == 1f, "apply flag " + a);
      applied += (int) a;
      for (int p = 0; p < 16 * 20; p++) {
        double dx = d.transformation()[n * row + 2 + 2 * p];
        double dy = d.transformation()[n * row + 3 + 2 * p];
        sx += dx;
        sy += dy;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
      }
      if (a == 0f) {
        // Not deformed: the input, clipped to (0, 255).
        for (int i = n * 320; i < (n + 1) * 320; i++) {
          assertEquals(big.data()[i], d.output()[i], 0f, "image " + n + " kept");
        }
      }
    }
    double varX = sxx / m - (sx / m) * (sx / m);
    double varY = syy / m - (sy / m) * (sy / m);
    double corr = (sxy / m - sx / m * sy / m) / Math.sqrt(varX * varY);
    // 1280 draws each: standard errors about 0.03 (mean, correlation) and 0.04 (variance).
    assertEquals(0, sx / m, 0.15, "mean of dx");
    assertEquals(0, sy / m, 0.15, "mean of dy");
    assertEquals(1, varX, 0.2, "variance of dx");
    assertEquals(1, varY, 0.2, "variance of dy");
    assertEquals(0, corr, 0.15, "dx and dy independent");
    assertTrue(applied <= 4, "applied " + applied);
  }

  @Test
  void factorOrScaleZeroAndZeroDistortionAreTheIdentity() {
    // Values outside value_range: Keras returns the input unclipped when factor or scale is 0.
    Images x = ImageReference.random(8, 300, 2, 6, 7, 2);
    for (RandomElasticTransform layer : List.of(RandomElasticTransform.builder().factor(0).seed(1).build(),
        RandomElasticTransform.builder().scale(0).seed(1).build())) {
      Backend.clearSession();
      List<float[]> runs = ImageReference.trainingRuns(layer, x, 1);
      assertClose(x.data(), runs.get(0), 0, "training output of factor " + layer.factor()[1] + ", scale "
          + layer.scale()[1]);
    }
    // A hand-made transformation with distortion 0: every point reads its own pixel; then the clip to (0, 255).
    Backend.clearSession();
    float[] t = new float[2 * (2 + 2 * 6 * 7)];
    SplittableRandom r = new SplittableRandom(3);
    for (int n = 0; n < 2; n++) {
      t[n * 86] = 1;
      for (int i = 2; i < 86; i++) {
        t[n * 86 + i] = (float) (r.nextDouble() * 4 - 2);
      }
    }
    RandomElasticTransform layer = RandomElasticTransform.builder().fillMode("constant").fillValue(9).build();
    float[] out = transform(layer, x, t);
    for (int i = 0; i < out.length; i++) {
      assertEquals(Math.min(255f, x.data()[i]), out[i], 0f, "element " + i);
    }
  }

  /** {@code layer.transformImages(x, t)} for a hand-made {@code t}. */
  private static float[] transform(RandomElasticTransform layer, Images x, float[] t) {
    KerasTensor in = Input.of(x.h(), x.w(), x.c());
    try (Model m = new Model(in, layer.apply(in))) {
      Ops tf = m.runtime().tf();
      Operand<TFloat32> xs = tf.constant(Shape.of(x.b(), x.h(), x.w(), x.c()), DataBuffers.of(x.data(), true, false));
      Operand<TFloat32> ts = tf.constant(Shape.of(x.b(), t.length / x.b()), DataBuffers.of(t, true, false));
      try (Result res = m.runtime().session().runner().fetch(layer.transformImages(tf, xs, ts)).run()) {
        return ImageReference.floats((TFloat32) res.get(0));
      }
    }
  }

  @Test
  void handMadeFieldMatchesTheReference() {
    // Keras's test_random_elastic_transform_basic: an 8x8 image with a 2x2 block of ones, distortion 0.9109325
    // (sigma 0.364, 3 taps; alpha 0.729); here with a known noise field, so the output is checked, not only changed.
    Backend.clearSession();
    float[] img = new float[64];
    for (int i = 3; i < 5; i++) {
      for (int j = 3; j < 5; j++) {
        img[i * 8 + j] = 1;
      }
    }
    Images x = new Images(img, 1, 8, 8, 1);
    float[] t = new float[2 + 128];
    t[0] = 1;
    t[1] = 0.9109325f;
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 2; i < t.length; i++) {
      t[i] = (float) (r.nextDouble() * 6 - 3);
    }
    RandomElasticTransform layer = RandomElasticTransform.builder().build();
    float[] out = transform(layer, x, t);
    assertClose(reference(x, t, true, "reflect", 0, 0, 255), out, 1e-5, "block of ones");
    double change = 0;
    for (int i = 0; i < 64; i++) {
      change += Math.abs(out[i] - img[i]);
    }
    assertTrue(change > 0.5, "the block moved: " + change);
    // On 16x20 images with scale's upper end 1 the layer's kernel has 5 taps (sigma up to 0.8); distortion 0.6 uses
    // only the middle 3 (int(6 * 0.48) | 1), 0.95 all 5 (int(6 * 0.76) | 1).
    for (float distortion : new float[] {0.6f, 0.95f}) {
      Backend.clearSession();
      float[] field = new float[X.b() * (2 + 2 * 16 * 20)];
      for (int i = 0; i < field.length; i++) {
        field[i] = i % 642 == 0 ? 1 : i % 642 == 1 ? distortion : (float) (r.nextDouble() * 6 - 3);
      }
      RandomElasticTransform wide = RandomElasticTransform.builder().fillMode("wrap").build();
      assertClose(reference(X, field, true, "wrap", 0, 0, 255), transform(wide, X, field), 2e-3,
          "distortion " + distortion);
    }
  }

  @Test
  void gradientsFlowThroughTheResampling() {
    Images small = ImageReference.random(4, 1, 1, 5, 6, 1);
    float[] t = new float[2 + 60];
    t[0] = 1;
    t[1] = 1;
    SplittableRandom r = new SplittableRandom(8);
    for (int i = 2; i < t.length; i++) {
      t[i] = (float) (r.nextDouble() * 8 - 4);
    }
    for (String fillMode : List.of("constant", "reflect")) {
      Backend.clearSession();
      ImageEffectsChecks.transformGradientCheck(RandomElasticTransform.builder().fillMode(fillMode).fillValue(0.5)
          .valueRange(-10, 10).build(), small, t, 1, t.length);
    }
  }

  @Test
  void trainsAfterAConv2D() {
    Backend.clearSession();
    Backend.setRandomSeed(1);
    Conv2D conv = new Conv2D(4, 3, "relu");
    double[] r = ImageEffectsTrainingTest.fit(conv, conv, RandomElasticTransform.builder().scale(0.5)
        .valueRange(-10, 10).build());
    assertTrue(Double.isFinite(r[1]) && r[1] < 0.7 * r[0], "loss " + r[0] + " -> " + r[1]);
    assertTrue(r[2] > 1e-2, "the Conv2D kernel moved by at most " + r[2]);
  }

  @Test
  void randomnessAndStandardChecks() {
    checkRandomness(() -> RandomElasticTransform.builder().seed(7).build(), X);
    Backend.clearSession();
    LayerChecks.check(RandomElasticTransform.builder().valueRange(-1, 1).build(), 2, 6, 6, 1);
  }

  @Test
  void configHoldsKerasKeys() {
    RandomElasticTransform layer = RandomElasticTransform.builder().factor(0.3).scale(0.6, 0.2).interpolation("nearest")
        .fillMode("wrap").fillValue(1.5).valueRange(-1, 1).seed(4).name("elastic").build();
    Map<String, Object> c = layer.getConfig();
    assertEquals(List.of(0.0, 0.3), c.get("factor"));
    assertEquals(List.of(0.2, 0.6), c.get("scale"));
    assertEquals("nearest", c.get("interpolation"));
    assertEquals("wrap", c.get("fill_mode"));
    assertEquals(1.5, c.get("fill_value"));
    assertEquals(List.of(-1.0, 1.0), c.get("value_range"));
    assertEquals(4L, c.get("seed"));
    assertEquals("elastic", c.get("name"));
    Map<String, Object> defaults = new RandomElasticTransform().getConfig();
    assertEquals(List.of(0.0, 1.0), defaults.get("factor"));
    assertEquals(List.of(0.0, 1.0), defaults.get("scale"));
    assertEquals("bilinear", defaults.get("interpolation"));
    assertEquals("reflect", defaults.get("fill_mode"));
    assertEquals(List.of(0.0, 255.0), defaults.get("value_range"));
  }

  @Test
  void badArgumentsAndInputsAreRejected() {
    assertFactorError(() -> RandomElasticTransform.builder().factor(1.5).build(), "factor=1.5");
    assertFactorError(() -> RandomElasticTransform.builder().scale(0.2, 1.2).build(), "scale=[0.2, 1.2]");
    assertFactorError(() -> RandomElasticTransform.builder().scale(-0.1).build(), "scale=-0.1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RandomElasticTransform.builder().interpolation("bicubic").name("el").build());
    assertTrue(e.getMessage().contains("'el'") && e.getMessage().contains("interpolation=bicubic"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RandomElasticTransform.builder().fillMode("edge").build());
    assertTrue(e.getMessage().contains("fill_mode=edge") && e.getMessage().contains("mirror"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RandomElasticTransform.builder().valueRange(0, Double.NaN).build());
    assertTrue(e.getMessage().contains("value_range"), e.getMessage());
    Backend.clearSession();
    RandomElasticTransform layer = RandomElasticTransform.builder().name("el2").build();
    // Inputs always have known sizes; a graph tensor of unknown height can reach the layer only inside a graph.
    e = assertThrows(IllegalArgumentException.class, () -> layer.computeOutputShape(Shape.of(-1, -1, 8, 1)));
    assertTrue(e.getMessage().contains("'el2'") && e.getMessage().contains("(None, None, 8, 1)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> layer.apply(Input.of(8, 8)));
    assertTrue(e.getMessage().contains("expected ndim=4") && e.getMessage().contains("'el2'"), e.getMessage());
  }
}
