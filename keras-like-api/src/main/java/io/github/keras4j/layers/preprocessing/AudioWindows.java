package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.initializers.STFT;
import java.util.List;

/**
 * Window functions of the audio layers ({@link STFTSpectrogram}, {@link MelSpectrogram}), as SciPy's
 * {@code get_window(name, length, fftbins=periodic)} and TensorFlow's {@code tf.signal.hann_window} /
 * {@code hamming_window}: a generalized cosine window {@code a - (1 - a) cos(2 pi n / D)} with {@code a = 0.5}
 * (Hann) or {@code 0.54} (Hamming), where {@code D = length} for a periodic window (the first {@code length}
 * points of a symmetric window of {@code length + 1}) and {@code D = length - 1} for a symmetric one. The formula
 * lives in {@link STFT#window(String, int, boolean)}, the initializer of {@link STFTSpectrogram}'s kernels.
 */
final class AudioWindows {

  /** The window names both layers accept. */
  static final List<String> NAMES = STFT.WINDOWS;

  private AudioWindows() {}

  /**
   * The window's values in double precision.
   *
   * @param name {@code "hann"} or {@code "hamming"} (checked by the caller)
   * @param length the number of points, at least 1 (a 1-point window is {@code [1]})
   * @param periodic true for the periodic (DFT-even) form, false for the symmetric one
   */
  static double[] window(String name, int length, boolean periodic) {
    return STFT.window(name, length, periodic);
  }

  /** Checks a window name; null means no window. */
  static String check(String layer, String window) {
    if (window != null && !NAMES.contains(window)) {
      throw new IllegalArgumentException(layer + ": `window` must be one of \"hann\", \"hamming\" or null (no "
          + "window). Received: window=" + window);
    }
    return window;
  }
}
