package io.github.keras4j.initializers;

import io.github.keras4j.graph.Shapes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The kernels of a short-time Fourier transform computed as a 1D convolution, as Keras 3's
 * {@code keras.initializers.STFT} (the initializer of {@code STFTSpectrogram}'s kernels).
 *
 * <p>For a weight of shape {@code (frameLength, channels, bins)} the value at {@code [t, c, k]} is
 * <pre>
 *   cos(-2 pi t k / D) * w[t] / s    (side "real")
 *   sin(-2 pi t k / D) * w[t] / s    (side "imag")
 * </pre>
 * with {@code D = 2 (bins - 1)} (the FFT length whose one-sided spectrum has {@code bins} bins), {@code w} the window
 * and {@code s} the scaling: {@code "density"} {@code sqrt(sum w^2)} (L2), {@code "spectrum"} {@code sum |w|} (L1),
 * null 1. Without a window {@code w = 1} and the scaling is ignored, as in Keras. The window is a name,
 * {@code "hann"} or {@code "hamming"} (SciPy's {@code get_window(name, frameLength, fftbins=periodic)}: symmetric
 * unless {@code periodic}, see {@link #window(String, int, boolean)}), an array of {@code frameLength} values
 * ({@link #withWindowValues}), or null for none.
 *
 * <p>Keras's defaults: {@code side="real", window="hann", scaling="density", periodic=false}. Registered as
 * {@code "stft"} / {@code "STFT"}; Keras's compatibility name {@code "STFTInitializer"} is accepted too.
 *
 * <p>Differences from Keras: Keras takes any SciPy window name; Keras4J knows {@code "hann"} and
 * {@code "hamming"} (other windows as arrays). The values are computed in double precision with the angle reduced
 * modulo {@code 2 pi} exactly (integer {@code t k mod D}), then rounded to float32, so they are at least as
 * accurate as Keras's float32 arithmetic (within 1e-4 of it for 256-sample frames). Keras's value has a single
 * channel whatever {@code shape[1]} is; Keras4J repeats it over the {@code channels} axis. With {@code bins = 1}
 * ({@code D = 0}) Keras divides by zero; Keras4J uses the angle 0.
 *
 * <pre>{@code
 * Initializer real = new STFT("real", "hann", "density", false);   // for a (frameLength, 1, fftLength / 2 + 1) kernel
 * }</pre>
 */
public class STFT implements Initializer {

  /** The window names known by name. */
  public static final List<String> WINDOWS = List.of("hann", "hamming");

  private final String side;
  private final String windowName;
  private final double[] windowValues;
  private final String scaling;
  private final boolean periodic;

  /** Keras's defaults: the real side, a symmetric Hann window, {@code "density"} scaling. */
  public STFT() {
    this("real", "hann", "density", false);
  }

  /**
   * A kernel with a named window.
   *
   * @param side {@code "real"} (cosines) or {@code "imag"} (sines)
   * @param window {@code "hann"}, {@code "hamming"}, or null for none
   * @param scaling {@code "density"}, {@code "spectrum"}, or null for none
   * @param periodic true for the periodic (DFT-even) window, false for the symmetric one
   * @throws IllegalArgumentException for another side, window or scaling (Keras's messages for side and scaling)
   */
  public STFT(String side, String window, String scaling, boolean periodic) {
    this(side, checkName(window), null, scaling, periodic);
  }

  /**
   * A kernel with the window given by its values ({@code frameLength} of them), Keras's array {@code window};
   * {@code periodic} is kept for the config only, as in Keras. (A factory rather than a constructor, so that
   * {@code new STFT("real", null, null, false)} stays unambiguous.)
   *
   * @throws IllegalArgumentException for another side or scaling, or a null or empty window
   */
  public static STFT withWindowValues(String side, double[] window, String scaling, boolean periodic) {
    return new STFT(side, null, checkValues(window), scaling, periodic);
  }

  private STFT(String side, String windowName, double[] windowValues, String scaling, boolean periodic) {
    if (!"real".equals(side) && !"imag".equals(side)) {
      throw new IllegalArgumentException("STFT: side should be 'real' or 'imag', not " + side);
    }
    if (scaling != null && !"density".equals(scaling) && !"spectrum".equals(scaling)) {
      throw new IllegalArgumentException("STFT: Scaling is invalid, it must be null, 'density' or 'spectrum'. "
          + "Received scaling=" + scaling);
    }
    this.side = side;
    this.windowName = windowName;
    this.windowValues = windowValues;
    this.scaling = scaling;
    this.periodic = periodic;
  }

  private static String checkName(String window) {
    if (window != null && !WINDOWS.contains(window)) {
      throw new IllegalArgumentException("STFT: window must be \"hann\", \"hamming\", an array of values or null "
          + "(no window). Received: window=" + window);
    }
    return window;
  }

  private static double[] checkValues(double[] window) {
    if (window == null || window.length == 0) {
      throw new IllegalArgumentException("STFT: a window array must hold frame_length values. Received: window="
          + (window == null ? "null" : "[]") + "; give the window name null for no window");
    }
    return window.clone();
  }

  /**
   * The values of a named window in double precision, as SciPy's {@code get_window(name, length,
   * fftbins=periodic)} and TensorFlow's {@code tf.signal.hann_window} / {@code hamming_window}: the generalized
   * cosine window {@code a - (1 - a) cos(2 pi n / D)} with {@code a = 0.5} (Hann) or {@code 0.54} (Hamming), where
   * {@code D = length} for a periodic window (the first {@code length} points of a symmetric window of
   * {@code length + 1}) and {@code D = length - 1} for a symmetric one. A 1-point window is {@code [1]}.
   *
   * @param name {@code "hann"} or {@code "hamming"}
   * @param length the number of points, at least 1
   * @param periodic true for the periodic (DFT-even) form, false for the symmetric one
   * @throws IllegalArgumentException for another name or a length below 1
   */
  public static double[] window(String name, int length, boolean periodic) {
    if (name == null || !WINDOWS.contains(name)) {
      throw new IllegalArgumentException("STFT: window must be \"hann\" or \"hamming\". Received: window=" + name);
    }
    if (length < 1) {
      throw new IllegalArgumentException("STFT: a window needs at least 1 point. Received: length=" + length);
    }
    double a = "hamming".equals(name) ? 0.54 : 0.5;
    double[] w = new double[length];
    if (length == 1) {
      w[0] = 1;
      return w;
    }
    double denominator = periodic ? length : length - 1;
    for (int n = 0; n < length; n++) {
      w[n] = a - (1 - a) * Math.cos(2 * Math.PI * n / denominator);
    }
    return w;
  }

  /** {@code "real"} or {@code "imag"}. */
  public String side() {
    return side;
  }

  /** The window's name, or null for an array window or none. */
  public String windowName() {
    return windowName;
  }

  /** A copy of the window's values when given as an array, else null. */
  public double[] windowValues() {
    return windowValues == null ? null : windowValues.clone();
  }

  /** {@code "density"}, {@code "spectrum"} or null. */
  public String scaling() {
    return scaling;
  }

  /** Whether a named window is periodic. */
  public boolean periodic() {
    return periodic;
  }

  /**
   * The kernel for one channel in double precision, rounded to float32: {@code frameLength * bins} values, index
   * {@code t * bins + k}.
   *
   * @throws IllegalArgumentException for sizes below 1 or an array window of another length than
   *     {@code frameLength}
   */
  public float[] values(int frameLength, int bins) {
    if (frameLength < 1 || bins < 1) {
      throw new IllegalArgumentException("STFT: frame_length and the number of bins must be positive. Received: "
          + "frame_length=" + frameLength + ", bins=" + bins);
    }
    double[] w = windowValues != null ? windowValues : windowName != null ? window(windowName, frameLength, periodic)
        : null;
    if (w != null && w.length != frameLength) {
      throw new IllegalArgumentException("STFT: The shape of `window` must be equal to [frame_length]. Received: "
          + "window shape=(" + w.length + ",), frame_length=" + frameLength);
    }
    double scale = 1;
    if (w != null && "density".equals(scaling)) {
      double sum = 0;
      for (double v : w) {
        sum += v * v;
      }
      scale = Math.sqrt(sum);
    } else if (w != null && "spectrum".equals(scaling)) {
      double sum = 0;
      for (double v : w) {
        sum += Math.abs(v);
      }
      scale = sum;
    }
    boolean real = "real".equals(side);
    int d = 2 * (bins - 1);
    float[] out = new float[frameLength * bins];
    for (int t = 0; t < frameLength; t++) {
      for (int k = 0; k < bins; k++) {
        // The angle reduced modulo 2 pi through integer arithmetic, for accuracy at large t * k.
        double angle = d == 0 ? 0 : -2 * Math.PI * ((long) t * k % d) / d;
        double v = real ? Math.cos(angle) : Math.sin(angle);
        out[t * bins + k] = (float) (w == null ? v : v * w[t] / scale);
      }
    }
    return out;
  }

  /**
   * The kernel of shape {@code (frameLength, channels, bins)}, the same for every channel; {@code seed} is ignored.
   *
   * @throws IllegalArgumentException for a shape that is not fully defined or not of rank 3, or an array window of
   *     another length than {@code frameLength}
   */
  @Override
  public Operand<TFloat32> call(Ops tf, Shape shape, long seed) {
    if (shape == null || shape.isUnknown() || shape.hasUnknownDimension() || shape.numDimensions() != 3) {
      throw new IllegalArgumentException("STFT: the shape must be (frame_length, input_channels, bins). Received: "
          + "shape=" + Shapes.format(shape));
    }
    int frameLength = (int) shape.get(0);
    int channels = (int) shape.get(1);
    int bins = (int) shape.get(2);
    float[] one = values(frameLength, bins);
    float[] all = new float[frameLength * channels * bins];
    for (int t = 0; t < frameLength; t++) {
      for (int c = 0; c < channels; c++) {
        System.arraycopy(one, t * bins, all, (t * channels + c) * bins, bins);
      }
    }
    return tf.constant(shape, DataBuffers.of(all, true, false));
  }

  @Override
  public String id() {
    return "stft";
  }

  /** {@code side}, {@code window} (a name, a list of numbers or null), {@code periodic}, {@code scaling}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("side", side);
    if (windowValues != null) {
      List<Double> list = new ArrayList<>();
      for (double v : windowValues) {
        list.add(v);
      }
      c.put("window", list);
    } else {
      c.put("window", windowName);
    }
    c.put("periodic", periodic);
    c.put("scaling", scaling);
    return c;
  }

  @Override
  public String toString() {
    return "STFT" + getConfig();
  }
}
