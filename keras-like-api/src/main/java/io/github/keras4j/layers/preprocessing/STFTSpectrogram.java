package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.STFT;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Computes the short-time Fourier transform (STFT) of 1D signals as spectrograms, as Keras 3's
 * {@code keras.layers.STFTSpectrogram}.
 *
 * <p>As in Keras, the STFT is a strided 1D convolution with two kernels of shape {@code (frameLength, 1, bins)},
 * {@code bins = fftLength / 2 + 1}: {@code real_kernel[t, 0, k] = cos(-2 pi t k / D) w[t] / s} and
 * {@code imag_kernel[t, 0, k] = sin(-2 pi t k / D) w[t] / s} with {@code D = 2 (bins - 1)} (= {@code fftLength}
 * when it is even), {@code w} the window ({@code "hann"}, {@code "hamming"} or none; symmetric unless
 * {@code periodic}) and {@code s} the scaling ({@code "density"}: {@code sqrt(sum w^2)}, {@code "spectrum"}:
 * {@code sum |w|}, null or no window: 1). Each frame of {@code frameLength} samples, {@code frameStep} apart, is
 * thus Fourier transformed as if zero-padded to {@code fftLength}. The kernels are weights, trainable like any
 * other unless the layer is frozen ({@code setTrainable(false)}, Keras's {@code trainable=False} for pure
 * preprocessing); {@code "real"} mode has no {@code imag_kernel} and {@code "imag"} mode no {@code real_kernel}.
 * They are initialised by {@link STFT} ({@code keras.initializers.STFT}), as in Keras.
 * The same kernels are applied to each input channel.
 *
 * <p>Output modes, with {@code re}, {@code im} the convolutions and {@code p = re^2 + im^2}: {@code "log"}
 * (default) {@code log(max(sqrt(max(p, 1e-7)), 1e-7))}, {@code "magnitude"} {@code sqrt(max(p, 1e-7))},
 * {@code "psd"} {@code p} with the bins other than the first and last doubled (one-sided power spectral density),
 * {@code "real"}, {@code "imag"}, {@code "angle"} {@code atan2(im, re)}, {@code "stft"} the real then the
 * imaginary parts of each channel ({@code 2 bins} values).
 *
 * <p>Padding: {@code "valid"} (default) uses full frames only, {@code time = (samples - frameLength) / frameStep
 * + 1}; {@code "same"} is TensorFlow's convolution padding, {@code time = ceil(samples / frameStep)}, with
 * {@code max((time - 1) frameStep + frameLength - samples, 0)} zeros split as evenly as possible, the extra one
 * at the end (not the {@code fftLength / 2} centre padding of {@link MelSpectrogram}).
 *
 * <p>Input: {@code (batch, samples, channels)} ({@code channels_last}, default) or {@code (batch, channels,
 * samples)} ({@code channels_first}). Output with {@code F = bins} ({@code 2 bins} in {@code "stft"} mode):
 * {@code (batch, time, channels * F)} with channel {@code c}'s values at {@code c * F + k}, or with
 * {@code expandDims} {@code (batch, time, F, channels)}; {@code channels_first}: {@code (batch, channels * F,
 * time)} or {@code (batch, channels, time, F)}.
 *
 * <p>Gradients flow to the kernels and the input in every mode (a depthwise convolution, squares, square root,
 * log and atan2 all have TensorFlow gradients), so the layer may follow trainable layers and its kernels can be
 * fine-tuned, as in Keras.
 *
 * <p>Differences from Keras: {@code window} is a name ({@code "hann"}, {@code "hamming"}) or null; Keras also
 * takes any SciPy window name or an array. Inputs are float32. A non-power-of-two {@code fftLength} is accepted
 * without Keras's warning.
 *
 * <pre>{@code
 * KerasTensor audio = Input.of(16000, 1);
 * KerasTensor spec = STFTSpectrogram.builder().mode("log").frameLength(256).frameStep(128).fftLength(512)
 *     .padding("same").build().apply(audio);    // (None, 125, 257)
 * }</pre>
 */
public class STFTSpectrogram extends Layer {

  /** The output modes, as Keras names them. */
  public static final List<String> MODES = List.of("log", "magnitude", "psd", "real", "imag", "angle", "stft");

  private static final float EPSILON = 1e-7f;

  private final String mode;
  private final int frameLength;
  private final Integer frameStep;
  private final Integer fftLength;
  private final String window;
  private final boolean periodic;
  private final String scaling;
  private final String padding;
  private final boolean expandDims;
  private final String dataFormat;
  private GraphVariable realKernel;
  private GraphVariable imagKernel;

  /** The log-magnitude spectrogram with Keras's defaults: frames of 256 samples, hop 128, Hann window. */
  public STFTSpectrogram() {
    this(builder());
  }

  /** A {@code mode} spectrogram of frames of {@code frameLength} samples, {@code frameStep} apart. */
  public STFTSpectrogram(String mode, int frameLength, int frameStep) {
    this(builder().mode(mode).frameLength(frameLength).frameStep(frameStep));
  }

  private STFTSpectrogram(Builder b) {
    super(b.name);
    if (b.frameLength < 1) {
      throw new IllegalArgumentException(describe() + ": `frame_length` should be a positive integer. Received: "
          + "frame_length=" + b.frameLength);
    }
    if (b.frameStep != null && (b.frameStep > b.frameLength || b.frameStep < 1)) {
      throw new IllegalArgumentException(describe() + ": `frame_step` should be a positive integer not greater "
          + "than `frame_length`. Received frame_step=" + b.frameStep + ", frame_length=" + b.frameLength);
    }
    if (b.fftLength != null && b.fftLength < b.frameLength) {
      throw new IllegalArgumentException(describe() + ": `fft_length` should be not less than `frame_length`. "
          + "Received fft_length=" + b.fftLength + ", frame_length=" + b.frameLength);
    }
    if (!MODES.contains(b.mode)) {
      throw new IllegalArgumentException(describe() + ": Output mode is invalid, it must be one of "
          + String.join(", ", MODES) + ". Received: mode=" + b.mode);
    }
    if (b.scaling != null && !List.of("density", "spectrum").contains(b.scaling)) {
      throw new IllegalArgumentException(describe() + ": Scaling is invalid, it must be null, 'density' or "
          + "'spectrum'. Received scaling=" + b.scaling);
    }
    if (!List.of("valid", "same").contains(b.padding)) {
      throw new IllegalArgumentException(describe() + ": Padding is invalid, it should be 'valid', 'same'. "
          + "Received: padding=" + b.padding);
    }
    if (!List.of("channels_last", "channels_first").contains(b.dataFormat)) {
      throw new IllegalArgumentException(describe() + ": `data_format` must be 'channels_last' or "
          + "'channels_first'. Received: data_format=" + b.dataFormat);
    }
    this.mode = b.mode;
    this.frameLength = b.frameLength;
    this.frameStep = b.frameStep;
    this.fftLength = b.fftLength;
    this.window = AudioWindows.check(describe(), b.window);
    this.periodic = b.periodic;
    this.scaling = b.scaling;
    this.padding = b.padding;
    this.expandDims = b.expandDims;
    this.dataFormat = b.dataFormat;
    setInputSpec(new InputSpec(null, 3, Map.of()));
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The hop between frames: {@code frameStep}, or {@code frameLength / 2} when not set. */
  public int effectiveFrameStep() {
    return frameStep != null ? frameStep : Math.max(1, frameLength / 2);
  }

  /** The FFT size: {@code fftLength}, or the smallest power of two not below {@code frameLength}. */
  public int effectiveFftLength() {
    if (fftLength != null) {
      return fftLength;
    }
    int n = 1;
    while (n < frameLength) {
      n *= 2;
    }
    return n;
  }

  /** The number of frequency bins, {@code fftLength / 2 + 1}. */
  public int bins() {
    return effectiveFftLength() / 2 + 1;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    boolean last = "channels_last".equals(dataFormat);
    long channels = inputShape.get(last ? 2 : 1);
    long samples = inputShape.get(last ? 1 : 2);
    if (channels == Shape.UNKNOWN_SIZE) {
      throw new IllegalArgumentException(describe() + ": the channel axis of the input must be known. Received "
          + "input with shape " + format(inputShape));
    }
    int step = effectiveFrameStep();
    long time = Shape.UNKNOWN_SIZE;
    if (samples != Shape.UNKNOWN_SIZE) {
      if ("same".equals(padding)) {
        time = (samples + step - 1) / step;
      } else if (samples < frameLength) {
        throw new IllegalArgumentException(describe() + ": with padding 'valid' the input needs at least "
            + "frame_length=" + frameLength + " samples. Received input with shape " + format(inputShape));
      } else {
        time = (samples - frameLength) / step + 1;
      }
    }
    long freq = "stft".equals(mode) ? 2L * bins() : bins();
    long batch = inputShape.get(0);
    if (expandDims) {
      return last ? Shape.of(batch, time, freq, channels) : Shape.of(batch, channels, time, freq);
    }
    return last ? Shape.of(batch, time, channels * freq) : Shape.of(batch, channels * freq, time);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    Shape shape = Shape.of(frameLength, 1, bins());
    if (!"imag".equals(mode)) {
      realKernel = addWeight("real_kernel", shape, new STFT("real", window, scaling, periodic), true);
    }
    if (!"real".equals(mode)) {
      imagKernel = addWeight("imag_kernel", shape, new STFT("imag", window, scaling, periodic), true);
    }
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    boolean last = "channels_last".equals(dataFormat);
    Operand<TFloat32> x = last ? inputs : tf.linalg.transpose(inputs, tf.constant(new int[] {0, 2, 1}));
    long channels = x.shape().get(2);
    // Real and/or imaginary kernels side by side: (frameLength, 1, K), K = bins or 2 bins.
    List<Operand<TFloat32>> kernels = new ArrayList<>();
    if (realKernel != null) {
      kernels.add(realKernel.value());
    }
    if (imagKernel != null) {
      kernels.add(imagKernel.value());
    }
    Operand<TFloat32> kernel = kernels.size() == 1 ? kernels.get(0) : tf.concat(kernels, tf.constant(2));
    int k = kernels.size() * bins();
    // One depthwise convolution applies the kernels to every channel: input (batch, 1, samples, channels),
    // filter (1, frameLength, channels, K), output (batch, 1, time, channels * K) with channel c at c * K + j.
    Operand<TFloat32> filter = tf.tile(tf.reshape(kernel, tf.constant(new long[] {1, frameLength, 1, k})),
        tf.constant(new long[] {1, 1, channels, 1}));
    long step = effectiveFrameStep();
    Operand<TFloat32> y = tf.nn.depthwiseConv2dNative(tf.expandDims(x, tf.constant(1)), filter,
        List.of(1L, step, step, 1L), padding.toUpperCase(Locale.ROOT));
    Operand<TFloat32> z = reshapeTail(tf, tf.squeeze(y, Squeeze.axis(List.of(1L))), 2, channels, k); // (batch, time, C, K)
    int bins = bins();
    Operand<TFloat32> out;
    switch (mode) {
      case "real", "imag", "stft" -> out = z;
      default -> {
        Operand<TFloat32> re = slice(tf, z, 0, bins);
        Operand<TFloat32> im = slice(tf, z, bins, bins);
        if ("angle".equals(mode)) {
          out = tf.math.atan2(im, re);
        } else {
          Operand<TFloat32> power = tf.math.add(tf.math.square(re), tf.math.square(im));
          if ("psd".equals(mode)) {
            float[] factor = new float[bins];
            Arrays.fill(factor, 2f);
            factor[0] = 1f;
            factor[bins - 1] = 1f;
            out = tf.math.mul(power, tf.constant(factor));
          } else {
            Operand<TFloat32> magnitude = tf.math.sqrt(tf.math.maximum(power, tf.constant(EPSILON)));
            out = "magnitude".equals(mode) ? magnitude
                : tf.math.log(tf.math.maximum(magnitude, tf.constant(EPSILON)));
          }
        }
      }
    }
    long freq = "stft".equals(mode) ? 2L * bins : bins;
    if (last) {
      return expandDims ? tf.linalg.transpose(out, tf.constant(new int[] {0, 1, 3, 2}))
          : reshapeTail(tf, out, 2, channels * freq);
    }
    if (expandDims) {
      return tf.linalg.transpose(out, tf.constant(new int[] {0, 2, 1, 3}));
    }
    Operand<TFloat32> t = tf.linalg.transpose(out, tf.constant(new int[] {0, 2, 3, 1})); // (batch, C, F, time)
    Operand<TInt32> dims = tf.shape(t);
    Operand<TInt32> shape = tf.concat(List.of(tf.slice(dims, tf.constant(new int[] {0}), tf.constant(new int[] {1})),
        tf.constant(new int[] {(int) (channels * freq)}),
        tf.slice(dims, tf.constant(new int[] {3}), tf.constant(new int[] {1}))), tf.constant(0));
    return tf.reshape(t, shape);
  }

  /** Keeps the first {@code keep} (possibly unknown) axes of {@code x} and reshapes the rest to {@code tail}. */
  private static Operand<TFloat32> reshapeTail(Ops tf, Operand<TFloat32> x, int keep, long... tail) {
    int[] t = new int[tail.length];
    for (int i = 0; i < tail.length; i++) {
      t[i] = (int) tail[i];
    }
    Operand<TInt32> head = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {keep}));
    return tf.reshape(x, tf.concat(List.of(head, tf.constant(t)), tf.constant(0)));
  }

  /** {@code x[..., begin:begin + size]} of a rank-4 tensor. */
  private static Operand<TFloat32> slice(Ops tf, Operand<TFloat32> x, int begin, int size) {
    return tf.slice(x, tf.constant(new int[] {0, 0, 0, begin}), tf.constant(new int[] {-1, -1, -1, size}));
  }

  /** The output mode. */
  public String mode() {
    return mode;
  }

  /** The frame length in samples. */
  public int frameLength() {
    return frameLength;
  }

  /** The window name, or null for none. */
  public String window() {
    return window;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("mode", mode);
    c.put("frame_length", frameLength);
    c.put("frame_step", frameStep);
    c.put("fft_length", fftLength);
    c.put("window", window);
    c.put("periodic", periodic);
    c.put("scaling", scaling);
    c.put("padding", padding);
    c.put("data_format", dataFormat);
    c.put("expand_dims", expandDims);
    return c;
  }

  /** Settings of an {@link STFTSpectrogram}, with Keras's defaults. */
  public static final class Builder {
    private String name;
    private String mode = "log";
    private int frameLength = 256;
    private Integer frameStep;
    private Integer fftLength;
    private String window = "hann";
    private boolean periodic;
    private String scaling = "density";
    private String padding = "valid";
    private boolean expandDims;
    private String dataFormat = "channels_last";

    private Builder() {}

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** One of {@link #MODES}; default {@code "log"}. */
    public Builder mode(String mode) {
      this.mode = mode;
      return this;
    }

    /** Samples per frame (the kernels' length); default 256. */
    public Builder frameLength(int frameLength) {
      this.frameLength = frameLength;
      return this;
    }

    /** Hop between frames, 1 to {@code frameLength}; null (default) for {@code frameLength / 2}. */
    public Builder frameStep(Integer frameStep) {
      this.frameStep = frameStep;
      return this;
    }

    /** FFT size, at least {@code frameLength}; null (default) for the next power of two. */
    public Builder fftLength(Integer fftLength) {
      this.fftLength = fftLength;
      return this;
    }

    /** {@code "hann"} (default), {@code "hamming"} or null for no window. */
    public Builder window(String window) {
      this.window = window;
      return this;
    }

    /** Periodic (true) or symmetric (false, default) window. */
    public Builder periodic(boolean periodic) {
      this.periodic = periodic;
      return this;
    }

    /** {@code "density"} (default), {@code "spectrum"} or null. */
    public Builder scaling(String scaling) {
      this.scaling = scaling;
      return this;
    }

    /** {@code "valid"} (default) or {@code "same"}. */
    public Builder padding(String padding) {
      this.padding = padding;
      return this;
    }

    /** Whether to output {@code (batch, time, F, channels)} images; default false. */
    public Builder expandDims(boolean expandDims) {
      this.expandDims = expandDims;
      return this;
    }

    /** {@code "channels_last"} (default) or {@code "channels_first"}. */
    public Builder dataFormat(String dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }

    /** The layer. */
    public STFTSpectrogram build() {
      return new STFTSpectrogram(this);
    }
  }
}
