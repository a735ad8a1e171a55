package io.github.keras4j.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.saving.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * The STFT initializer against Keras 3's {@code test_stft_initializer} (constant_initializers_test.py): shape
 * {@code (256, 1, 513)}, expected {@code cos} / {@code sin} of {@code -2 pi t k / 1024} times the window over its
 * scaling, with the windows written out here from SciPy's definitions (Hann {@code 0.5 - 0.5 cos(2 pi n / D)},
 * Hamming {@code 0.54 - 0.46 cos(2 pi n / D)}, {@code D = N - 1} symmetric, {@code N} periodic) and the angle
 * computed directly in doubles (no reduction modulo 2 pi, unlike the class).
 */
class STFTTest {

  private static final int T = 256;
  private static final int BINS = 513;

  /** Keras's expected value: {@code trig(-2 pi t k / 1024) * w[t] / scale}, in doubles. */
  private static void assertKernel(Initializer init, boolean real, double[] w, double scale) {
    Samples s = Samples.draw(init, Shape.of(T, 1, BINS), 0);
    assertEquals(Shape.of(T, 1, BINS), s.shape);
    double worst = 0;
    for (int t = 0; t < T; t++) {
      for (int k = 0; k < BINS; k++) {
        double angle = -2 * Math.PI * t * k / 1024.0;
        double expected = (real ? Math.cos(angle) : Math.sin(angle)) * (w == null ? 1 : w[t]) / scale;
        worst = Math.max(worst, Math.abs(expected - s.values[t * BINS + k]));
      }
    }
    // Float32 rounding of values of magnitude <= 1: Keras's own test allows 1e-4.
    assertTrue(worst < 1e-6, "largest difference " + worst);
  }

  @Test
  void matchesKerasTestCases() {
    // Case 1: STFT("real", None): plain cosines.
    assertKernel(new STFT("real", null, "density", false), true, null, 1);
    // Case 2: STFT("real", "hamming", None, True): periodic Hamming, D = 256, no scaling.
    double[] hamming = new double[T];
    for (int n = 0; n < T; n++) {
      hamming[n] = 0.54 - 0.46 * Math.cos(2 * Math.PI * n / T);
    }
    assertKernel(new STFT("real", "hamming", null, true), true, hamming, 1);
    // Case 3 (Keras uses "tukey", which Keras4J does not name): symmetric Hann, D = 255, density = L2 norm.
    double[] hann = new double[T];
    double squares = 0;
    for (int n = 0; n < T; n++) {
      hann[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / (T - 1));
      squares += hann[n] * hann[n];
    }
    assertKernel(new STFT("imag", "hann", "density", false), false, hann, Math.sqrt(squares));
    // Case 4: STFT("imag", list(range(1, 257)), "spectrum"): window 1..256 over its sum 256 * 257 / 2.
    double[] ramp = new double[T];
    for (int n = 0; n < T; n++) {
      ramp[n] = n + 1;
    }
    assertKernel(STFT.withWindowValues("imag", ramp, "spectrum", false), false, ramp, T * (T + 1) / 2.0);
    // Keras's defaults: real, symmetric Hann, density.
    assertKernel(new STFT(), true, hann, Math.sqrt(squares));
  }

  @Test
  void smallKernelByHand() {
    // frameLength 2, 3 bins (D = 4), no window (so the scaling is ignored):
    // real[t][k] = cos(-pi t k / 2): t=0 -> 1 1 1; t=1 -> cos 0, cos(-pi/2), cos(-pi) = 1 0 -1.
    // imag[t][k] = sin(-pi t k / 2): t=0 -> 0 0 0; t=1 -> 0 -1 0.
    assertArrayEquals(new float[] {1, 1, 1, 1, 0, -1}, new STFT("real", null, "spectrum", false).values(2, 3), 1e-7f);
    assertArrayEquals(new float[] {0, 0, 0, 0, -1, 0}, new STFT("imag", null, null, false).values(2, 3), 1e-7f);
    // Periodic Hann of 2 points: 0.5 - 0.5 cos(pi n) = [0, 1]; spectrum scaling divides by 1.
    assertArrayEquals(new float[] {0, 0, 0, 1, 0, -1}, new STFT("real", "hann", "spectrum", true).values(2, 3),
        1e-7f);
    // One bin (D = 0): Keras divides by zero; Keras4J uses the angle 0.
    assertArrayEquals(new float[] {1, 1}, new STFT("real", null, null, false).values(2, 1), 0f);
  }

  @Test
  void repeatsTheKernelOverChannels() {
    STFT init = new STFT("imag", "hamming", "density", false);
    float[] one = init.values(5, 4);
    Samples s = Samples.draw(init, Shape.of(5, 3, 4), 0);
    for (int t = 0; t < 5; t++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < 4; k++) {
          assertEquals(one[t * 4 + k], s.values[(t * 3 + c) * 4 + k], 0f, "[" + t + "," + c + "," + k + "]");
        }
      }
    }
  }

  @Test
  void windowsMatchSciPyNumbers() {
    // scipy.signal.get_window("hann", 4, fftbins=False) = [0, 0.75, 0.75, 0]; fftbins=True = [0, 0.5, 1, 0.5].
    assertArrayEquals(new double[] {0, 0.75, 0.75, 0}, STFT.window("hann", 4, false), 1e-12);
    assertArrayEquals(new double[] {0, 0.5, 1, 0.5}, STFT.window("hann", 4, true), 1e-12);
    // get_window("hamming", 3, fftbins=False) = [0.08, 1, 0.08].
    assertArrayEquals(new double[] {0.08, 1, 0.08}, STFT.window("hamming", 3, false), 1e-12);
    assertArrayEquals(new double[] {1}, STFT.window("hann", 1, true), 0);
  }

  @Test
  void registeredAndRoundTrippedAsKeras() {
    assertEquals(STFT.class, Initializers.get("stft").getClass());
    assertEquals(STFT.class, Initializers.get("STFT").getClass());
    // Keras's test: initializers.get("STFTInitializer") is an STFT.
    assertEquals(STFT.class, Initializers.get("STFTInitializer").getClass());
    assertEquals("stft", new STFT().id());
    assertEquals(Arrays.asList("real", "hann", false, "density"), new ArrayList<>(new STFT().getConfig().values()));
    for (Initializer init : List.of(new STFT("imag", "hamming", null, true), new STFT("real", null, "spectrum", false),
        STFT.withWindowValues("imag", new double[] {1, 2.5, 3}, "spectrum", false))) {
      Object saved = Json.parse(Json.write(Initializers.serialize(init)), "test");
      Initializer back = Initializers.deserialize(saved);
      assertEquals(STFT.class, back.getClass());
      assertEquals(init.getConfig(), back.getConfig(), init.toString());
      assertArrayEquals(((STFT) init).values(3, 4), ((STFT) back).values(3, 4));
    }
    // The compatibility class name, and Keras's defaults for absent keys (a present null means none).
    Map<String, Object> config = new HashMap<>();
    config.put("window", null);
    Initializer noWindow = Initializers.deserialize(Map.of("class_name", "STFTInitializer", "config", config));
    assertEquals(Arrays.asList("real", null, false, "density"), new ArrayList<>(noWindow.getConfig().values()));
    Initializer defaults = Initializers.deserialize(Map.of("class_name", "STFT", "config", Map.of()));
    assertEquals(new STFT().getConfig(), defaults.getConfig());
  }

  @Test
  void rejectsBadArgumentsWithKerasMessages() {
    // Keras: STFT("imaginary"), STFT("real", scaling="l2"), STFT("real", window="unknown") raise.
    IllegalArgumentException side = assertThrows(IllegalArgumentException.class,
        () -> new STFT("imaginary", "hann", "density", false));
    assertEquals("STFT: side should be 'real' or 'imag', not imaginary", side.getMessage());
    IllegalArgumentException scaling = assertThrows(IllegalArgumentException.class,
        () -> new STFT("real", "hann", "l2", false));
    assertTrue(scaling.getMessage().contains("Received scaling=l2"), scaling.getMessage());
    IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
        () -> new STFT("real", "unknown", "density", false));
    assertTrue(window.getMessage().contains("window=unknown"), window.getMessage());
    assertThrows(IllegalArgumentException.class, () -> STFT.withWindowValues("real", new double[0], null, false));
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> Samples.draw(STFT.withWindowValues("real", new double[] {1, 2}, null, false), Shape.of(3, 1, 2), 0));
    assertTrue(length.getMessage().contains("window shape=(2,)") && length.getMessage().contains("frame_length=3"),
        length.getMessage());
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> Samples.draw(new STFT(), Shape.of(4, 3), 0));
    assertTrue(rank.getMessage().contains("shape=(4, 3)"), rank.getMessage());
  }
}
