package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.ImageReference.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import io.github.keras4j.models.Model;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Expected numbers: bilinear and nearest resizing with TensorFlow's half-pixel centres (output pixel {@code o} reads
 * input coordinate {@code (o + 0.5) * in / out - 0.5}; nearest takes {@code floor((o + 0.5) * in / out)}), as
 * {@code tf.image.resize} under Keras's TensorFlow backend, computed in plain loops by {@link ImageReference}; the
 * aspect-ratio crop is Keras's {@code smart_resize} window worked out by hand.
 */
class ResizingTest {

  static float[] predict(Layer layer, Images x) {
    KerasTensor in = Input.of(x.h(), x.w(), x.c());
    try (Model m = new Model(in, layer.apply(in))) {
      FloatNdArray y = m.predict(x.nd());
      float[] out = new float[(int) y.size()];
      y.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  @Test
  void bilinearMatchesHalfPixelLoopsUpAndDown() {
    Images x = ImageReference.random(3, 255, 2, 5, 7, 3);
    assertClose(ImageReference.resizeBilinear(x, 8, 4).data(), predict(new Resizing(8, 4), x), 1e-3, "5x7 -> 8x4");
    assertClose(ImageReference.resizeBilinear(x, 3, 11).data(), predict(new Resizing(3, 11), x), 1e-3,
        "5x7 -> 3x11");
  }

  @Test
  void bilinearByHandOnATinyImage() {
    // 1x2 -> 1x4: input coordinates (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped at the edges:
    // 10, 10 + 0.25 * 10, 10 + 0.75 * 10, 20.
    Images x = new Images(new float[] {10, 20}, 1, 1, 2, 1);
    assertClose(new float[] {10, 12.5f, 17.5f, 20}, predict(new Resizing(1, 4), x), 1e-6, "1x2 -> 1x4");
  }

  @Test
  void nearestMatchesHalfPixelLoops() {
    Images x = ImageReference.random(4, 1, 2, 6, 5, 2);
    Resizing r = Resizing.builder(4, 9).interpolation("nearest").build();
    assertClose(ImageReference.resizeNearest(x, 4, 9).data(), predict(r, x), 0, "nearest 6x5 -> 4x9");
  }

  @Test
  void cropToAspectRatioCutsTheCentralWindowFirst() {
    // 6x10 to 4x4 (aspect 1): crop height int(10 * 4 / 4) = 10 -> min(6, 10) = 6, crop width int(6 * 4 / 4) = 6;
    // window rows 0..5, columns (10 - 6) / 2 = 2..7, then resized 6x6 -> 4x4.
    Images x = ImageReference.random(5, 1, 2, 6, 10, 1);
    Resizing r = Resizing.builder(4, 4).cropToAspectRatio(true).build();
    Images expected = ImageReference.resizeBilinear(ImageReference.crop(x, 0, 2, 6, 6), 4, 4);
    assertClose(expected.data(), predict(r, x), 1e-5, "crop to aspect ratio");
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new Resizing(3, 5), 2, 4, 4, 2);
    LayerChecks.check(Resizing.builder(6, 2).interpolation("nearest").cropToAspectRatio(true).build(), 2, 4, 5, 1);
  }

  @Test
  void shapeConfigAndErrors() {
    Backend.clearSession();
    Resizing r = Resizing.builder(32, 48).interpolation("bicubic").name("resize").build();
    assertEquals("(None, 32, 48, 3)", Shapes.format(r.apply(Input.of(64, 64, 3)).shape()));
    assertEquals(32, r.getConfig().get("height"));
    assertEquals("bicubic", r.getConfig().get("interpolation"));
    assertEquals(false, r.getConfig().get("crop_to_aspect_ratio"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Resizing.builder(4, 4).interpolation("lanczos3").name("bad_resize").build());
    assertTrue(e.getMessage().contains("'bad_resize'") && e.getMessage().contains("interpolation=lanczos3"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Resizing(0, 4));
    assertTrue(e.getMessage().contains("height=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Resizing(4, 4).apply(Input.of(8, 3)));
    assertTrue(e.getMessage().contains("expected ndim=4") && e.getMessage().contains("(None, 8, 3)"),
        e.getMessage());
  }
}
