package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.ImageReference.assertClose;
import static io.github.keras4j.layers.preprocessing.ImageReference.checkRandomness;
import static io.github.keras4j.layers.preprocessing.ImageReference.draw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.preprocessing.ImageReference.Drawn;
import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import io.github.keras4j.models.Model;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * RandAugment. Expected images come from {@link PolicyReference}: the eleven layers of Keras 3's rand_augment.py
 * ({@code _AUGMENT_LAYERS}, in its order, made with its arguments), each fed the draws the transformation holds, and
 * the per-image choice in plain Java. Statistical bounds are derived in each test.
 */
class RandAugmentTest {

  /** Keras 3's {@code RandAugment._AUGMENT_LAYERS}, in its order. */
  static final List<String> KERAS_ORDER = List.of("random_shear", "random_translation", "random_rotation",
      "random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness", "random_posterization",
      "solarization", "auto_contrast", "equalization");

  private static final Images X = ImageReference.random(3, 255, 6, 5, 4, 3);

  /** The transformation only, fetched for {@code x} (no images made). */
  static float[] transformation(BaseImagePreprocessingLayer layer, Images x) {
    KerasTensor in = Input.of(x.h(), x.w(), x.c());
    try (Model m = new Model(in, layer.apply(in))) {
      Ops tf = m.runtime().tf();
      Operand<TFloat32> xs = tf.constant(Shape.of(x.b(), x.h(), x.w(), x.c()), DataBuffers.of(x.data(), true, false));
      try (Result r = m.runtime().session().runner().fetch(layer.getRandomTransformation(tf, xs)).run()) {
        return ImageReference.floats((TFloat32) r.get(0));
      }
    }
  }

  @Test
  void eachImageGoesThroughTheAugmentationsItsIndicesName() {
    Backend.clearSession();
    RandAugment layer = RandAugment.builder().numOps(2).factor(0.6).seed(21).build();
    Drawn d = draw(layer, X);
    PolicyReference ref = new PolicyReference(KERAS_ORDER, new double[] {0, 0.6}, new double[] {0, 255}, "bilinear");
    int cols = 2 + ref.drawWidth();
    assertEquals(X.b() * cols, d.transformation().length, "transformation (batch, numOps + 12)");
    Images y = X;
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      int[] index = new int[X.b()];
      for (int n = 0; n < X.b(); n++) {
        float v = d.transformation()[n * cols + i];
        assertEquals(Math.rint(v), v, 0, "index is a whole number");
        index[n] = (int) v;
        assertTrue(index[n] >= 0 && index[n] < 11, "index " + v);
        used.add(index[n]);
      }
      y = ref.step(y, index, d.transformation(), 2);
    }
    assertTrue(used.size() >= 4, "the 12 draws name several augmentations: " + used);
    assertClose(y.data(), d.output(), 1e-3, "RandAugment output");
  }

  @Test
  void drawsFollowKerasFactorsAndTheIndicesAreUniform() {
    // 1100 images x 10 ops = 11000 indices; each of the 11 augmentations is expected 1000 times with standard
    // deviation sqrt(11000 / 11 * 10 / 11) = 30.2; 150 is five of them.
    Backend.clearSession();
    Images x = new Images(new float[1100 * 2 * 4 * 3], 1100, 2, 4, 3);
    float[] t = transformation(RandAugment.builder().numOps(10).seed(5).build(), x);
    int cols = 10 + 12;
    int[] counts = new int[11];
    for (int n = 0; n < x.b(); n++) {
      for (int i = 0; i < 10; i++) {
        counts[(int) t[n * cols + i]]++;
      }
      // Keras's sub-layers with factor (0, 0.5) (the default 0.5): draws columns 10.. in the order of the layers.
      int o = n * cols + 10;
      assertTrue(Math.abs(t[o]) <= 0.5 && Math.abs(t[o + 1]) <= 0.5, "shear factors in [-0.5, 0.5]");
      assertTrue(t[o + 2] >= 0 && t[o + 2] <= 0.5f * 4 && t[o + 3] >= 0 && t[o + 3] <= 0.5f * 2,
          "shifts in [0, half the width / height]");
      assertTrue(t[o + 4] >= 0 && t[o + 4] <= 180, "rotation in [0, 180] degrees: " + t[o + 4]);
      assertTrue(t[o + 5] >= 0 && t[o + 5] <= 127.5f, "brightness delta in [0, 0.5 * 255]");
      assertTrue(t[o + 6] >= 0 && t[o + 6] <= 0.5f, "colour degeneration factor in [0, 0.5]");
      assertTrue(t[o + 7] >= 1 && t[o + 7] <= 1.5f, "contrast factor in [1, 1.5]");
      assertTrue(t[o + 8] >= 0 && t[o + 8] <= 0.5f, "sharpness factor in [0, 0.5]");
      // RandomPosterization(max(1, int(8 * 0.5)) = 4): 1 to 3 bits kept, shifts 8 - bits.
      assertTrue(t[o + 9] >= 5 && t[o + 9] <= 7, "posterization shift " + t[o + 9]);
      assertTrue(t[o + 10] >= 0 && t[o + 10] <= 127.5f && t[o + 11] >= 0 && t[o + 11] <= 127.5f,
          "solarization addition and threshold in [0, 0.5 * 255]");
    }
    for (int k = 0; k < 11; k++) {
      assertEquals(1000, counts[k], 150, "augmentation " + k + " drawn");
    }
  }

  @Test
  void noOperationIsTheIdentityAndOutputsStayInTheValueRange() {
    Backend.clearSession();
    Drawn none = draw(RandAugment.builder().numOps(0).seed(3).build(), X);
    assertArrayEquals(X.data(), none.output(), "num_ops=0 gives the input back");
    assertEquals(X.b() * 12, none.transformation().length);
    // Values in (-1, 1), strongest factor, 4 ops per image, three training runs: inside the range (up to float
    // rounding of the maps to [0, 255] and back).
    Images x = ImageReference.random(4, 2, 6, 5, 4, 3);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] -= 1;
    }
    List<float[]> runs = ImageReference.trainingRuns(RandAugment.builder().valueRange(-1, 1).numOps(4).factor(1)
        .seed(8).build(), x, 3);
    for (int k = 0; k < 3; k++) {
      for (float v : runs.get(k)) {
        assertTrue(v >= -1 - 1e-5 && v <= 1 + 1e-5, "value " + v + " outside (-1, 1)");
      }
    }
  }

  @Test
  void inferenceIsTheIdentityAndSeededRunsRepeat() {
    checkRandomness(() -> RandAugment.builder().seed(13).build(), X);
  }

  @Test
  void configHoldsKerasKeysAndDefaults() {
    Backend.clearSession();
    RandAugment layer = RandAugment.builder().seed(4).build();
    Map<String, Object> c = layer.getConfig();
    assertEquals(List.of(0.0, 255.0), c.get("value_range"));
    assertEquals(2, c.get("num_ops"));
    assertEquals(List.of(0.0, 0.5), c.get("factor"));
    assertEquals("bilinear", c.get("interpolation"));
    assertEquals(4L, c.get("seed"));
    assertEquals("channels_last", c.get("data_format"));
    assertArrayEquals(new double[] {0.2, 0.7}, RandAugment.builder().factor(0.7, 0.2).build().factor());
    // Making the policy leaves the generated names of other layers alone.
    new RandAugment();
    assertEquals("random_rotation", new RandomRotation(0.1).name());
  }

  @Test
  void badArgumentsAreClearErrors() {
    Backend.clearSession();
    assertError(() -> RandAugment.builder().numOps(-1).name("ra").build(), "Layer 'ra'", "num_ops=-1");
    assertError(() -> RandAugment.builder().factor(1.5).build(), "[0, 1]", "factor=1.5");
    assertError(() -> RandAugment.builder().factor(0.2, -0.1).build(), "factor=[0.2, -0.1]");
    assertError(() -> RandAugment.builder().interpolation("bicubic").build(), "interpolation=bicubic");
    assertError(() -> RandAugment.builder().valueRange(1, 0).build(), "increasing", "value_range=[1.0, 0.0]");
    assertError(() -> RandAugment.builder().valueRange(0, Double.NaN).build(), "value_range=[0.0, NaN]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RandAugment().apply(Input.of(4, 4, 1)));
    assertTrue(e.getMessage().contains("3 channels") && e.getMessage().contains("(None, 4, 4, 1)"), e.getMessage());
  }

  static void assertError(org.junit.jupiter.api.function.Executable make, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(RandAugment.builder().valueRange(-1, 1).numOps(3).seed(2).build(), 2, 4, 4, 3);
  }
}
