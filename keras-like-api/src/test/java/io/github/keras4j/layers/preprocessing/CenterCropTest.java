package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.ImageReference.assertClose;
import static io.github.keras4j.layers.preprocessing.ResizingTest.predict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Expected numbers: the window starting at {@code ((H - h) / 2, (W - w) / 2)} rounded down (Keras's
 * center_crop.py), and for inputs smaller than the target Keras's {@code smart_resize}: the largest centred window
 * with the target's aspect ratio, resized bilinearly with half-pixel centres ({@link ImageReference}).
 */
class CenterCropTest {

  @Test
  void cropsTheCentralWindow() {
    Images x = ImageReference.random(1, 255, 2, 7, 8, 3);
    // Rows (7 - 3) / 2 = 2..4, columns (8 - 5) / 2 = 1..5.
    assertClose(ImageReference.crop(x, 2, 1, 3, 5).data(), predict(new CenterCrop(3, 5), x), 0, "7x8 -> 3x5");
    assertClose(x.data(), predict(new CenterCrop(7, 8), x), 0, "same size");
  }

  @Test
  void smallerInputsAreResizedUpAsSmartResize() {
    // 4x6 to 8x8 (aspect 1): crop height int(6 * 8 / 8) = 6 -> min(4, 6) = 4, crop width int(4 * 8 / 8) = 4;
    // window rows 0..3, columns (6 - 4) / 2 = 1..4, then bilinear 4x4 -> 8x8.
    Images x = ImageReference.random(2, 1, 2, 4, 6, 2);
    Images expected = ImageReference.resizeBilinear(ImageReference.crop(x, 0, 1, 4, 4), 8, 8);
    assertClose(expected.data(), predict(new CenterCrop(8, 8), x), 1e-5, "4x6 -> 8x8");
    // One axis smaller: 10x3 to 4x5 also resizes: crop height int(3 * 4 / 5) = 2, crop width int(10 * 5 / 4) = 12
    // -> 3; window rows (10 - 2) / 2 = 4..5, all columns, then 2x3 -> 4x5.
    Images tall = ImageReference.random(3, 1, 1, 10, 3, 1);
    expected = ImageReference.resizeBilinear(ImageReference.crop(tall, 4, 0, 2, 3), 4, 5);
    assertClose(expected.data(), predict(new CenterCrop(4, 5), tall), 1e-5, "10x3 -> 4x5");
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new CenterCrop(2, 3), 2, 4, 5, 2);
    LayerChecks.check(new CenterCrop(5, 5), 2, 3, 4, 1);
  }

  @Test
  void shapeConfigAndErrors() {
    Backend.clearSession();
    CenterCrop c = new CenterCrop(24, 20, "crop");
    assertEquals("(None, 24, 20, 3)", Shapes.format(c.apply(Input.of(32, 32, 3)).shape()));
    assertEquals(24, c.getConfig().get("height"));
    assertEquals(20, c.getConfig().get("width"));
    assertEquals("channels_last", c.getConfig().get("data_format"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CenterCrop(3, -1, "bad"));
    assertTrue(e.getMessage().contains("'bad'") && e.getMessage().contains("width=-1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new CenterCrop(3, 3).computeOutputShape(Shape.of(-1, -1, 8, 3)));
    assertTrue(e.getMessage().contains("(None, None, 8, 3)"), e.getMessage());
  }
}
