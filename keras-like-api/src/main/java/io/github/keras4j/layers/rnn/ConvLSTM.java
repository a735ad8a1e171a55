package io.github.keras4j.layers.rnn;

import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.convolutional.ConvUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * The base of {@link ConvLSTM1D}, {@link ConvLSTM2D} and {@link ConvLSTM3D}, as Keras's {@code ConvLSTM}: an
 * {@link LSTM} whose input and recurrent transformations are convolutions, over sequences of feature maps
 * {@code (batch, timesteps, spatial..., channels)}.
 *
 * <p>With {@code *} a convolution, {@code z = x_t * kernel + bias + h_{t-1} * recurrent_kernel} split along the
 * channels into the four gates in Keras's order {@code i, f, c, o}, each step computes LSTM's formulas:
 * <pre>
 * i = σ(z_i)   f = σ(z_f)   o = σ(z_o)
 * c_t = f * c_{t-1} + i * act(z_c)
 * h_t = o * act(c_t)
 * </pre>
 * The input convolution uses the layer's {@code strides}, {@code padding} and {@code dilationRate}; the recurrent one
 * always stride 1 and {@code "same"} padding (as Keras), so the states {@code h} and {@code c} keep the shape of the
 * input convolution's output: {@code (batch, newSpatial..., filters)}, each new size as in {@code Conv2D}
 * ({@code floor((n - d (k - 1) - 1) / s) + 1} for {@code "valid"}, {@code ceil(n / s)} for {@code "same"}).
 * Weights as Keras: {@code kernel (kernelSize..., channels, 4 * filters)},
 * {@code recurrent_kernel (kernelSize..., filters, 4 * filters)}, {@code bias (4 * filters)}.
 *
 * <p>Everything else is {@link BaseRnn}'s: static unrolling over a known number of time steps (the spatial sizes must
 * be known too, as in Keras), {@code returnSequences}, {@code returnState} ({@link #applyWithState}), {@code
 * goBackwards}, masking of time steps with a {@code (batch, timesteps)} mask, regularizers and constraints. Dropout
 * as Keras's {@code ConvLSTMCell}: four input masks and (with {@code recurrentDropout}) four recurrent masks, one
 * per gate, each of the shape of one step's input (or of the state), drawn once per call and reused at every time
 * step. Defaults as Keras: {@code strides=1}, {@code padding="valid"}, {@code dilationRate=1},
 * {@code activation="tanh"}, {@code recurrentActivation="sigmoid"}, {@code useBias=true},
 * {@code kernelInitializer="glorot_uniform"}, {@code recurrentInitializer="orthogonal"},
 * {@code biasInitializer="zeros"}, {@code unitForgetBias=true}; {@code strides > 1} and {@code dilationRate > 1}
 * cannot be combined.
 *
 * <p>Initial states ({@link #apply(io.github.keras4j.layers.KerasTensor, List)}) are the feature maps {@code h} and
 * {@code c}, each of the output's shape at one step ({@code (batch, newRows, newCols, filters)} for ConvLSTM2D), and
 * {@link Bidirectional} wraps the layer, as in Keras.
 *
 * <p>Differences from Keras: channels-last only ({@code data_format="channels_last"}, as the convolution layers);
 * no {@code stateful} (as the other recurrent layers); no fused kernel ({@code useFused(true)} is rejected); strides of
 * 0 are rejected.
 */
public abstract class ConvLSTM extends GatedRnn {

  private final int rank;
  private final int[] kernelSize;
  private final int[] strides;
  private final int[] dilationRate;
  private final String padding;
  private final boolean unitForgetBias;

  /**
   * Checks and stores the settings.
   *
   * @param rank the number of spatial axes (1, 2 or 3)
   */
  protected ConvLSTM(int rank, Builder<?> b) {
    super(b);
    this.rank = rank;
    String owner = "Layer '" + name() + "'";
    this.kernelSize = ConvUtils.standardizeTuple(owner, b.kernelSize, rank, "kernel_size", false);
    this.strides = ConvUtils.standardizeTuple(owner, b.strides, rank, "strides", false);
    this.dilationRate = ConvUtils.standardizeTuple(owner, b.dilationRate, rank, "dilation_rate", false);
    this.padding = ConvUtils.standardizePadding(owner, b.padding, false);
    if (max(strides) > 1 && max(dilationRate) > 1) {
      throw new IllegalArgumentException(owner + ": specifying `strides > 1` is not compatible with "
          + "`dilation_rate > 1`. Please provide `strides=1` or `dilation_rate=1`. Received: strides="
          + ConvUtils.formatTuple(strides) + " and dilation_rate=" + ConvUtils.formatTuple(dilationRate));
    }
    if (Boolean.TRUE.equals(b.useFused)) {
      throw new IllegalArgumentException(owner + ": useFused=true was specified, but " + getClass().getSimpleName()
          + " has no fused kernel. Leave useFused unset.");
    }
    this.unitForgetBias = b.unitForgetBias;
    // The rank is checked by checkSequenceShape, whose message shows the expected layout.
    setSequenceSpec(null);
  }
  /** Keras's cell of every ConvLSTM1D/2D/3D, whose weights these are: {@code conv_lstm_cell}. */
  @Override
  String cellName() {
    return "conv_lstm_cell";
  }


  private static int max(int[] values) {
    int m = values[0];
    for (int v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  /**
   * The expected input layout for messages: {@code (None, time, rows, channels)} for rank 1,
   * {@code (None, time, rows, cols, channels)} for rank 2, {@code (None, time, depth, rows, cols, channels)} for rank 3.
   */
  protected String inputLayout() {
    return switch (rank) {
      case 1 -> "(None, time, rows, channels)";
      case 2 -> "(None, time, rows, cols, channels)";
      default -> "(None, time, depth, rows, cols, channels)";
    };
  }

  /**
   * An {@code Input} with fixed sizes for messages: {@code Input.of(10, 16, 3)} for rank 1,
   * {@code Input.of(10, 16, 16, 3)} for rank 2, {@code Input.of(10, 8, 8, 8, 1)} for rank 3.
   */
  protected String inputExample() {
    return switch (rank) {
      case 1 -> "Input.of(10, 16, 3)";
      case 2 -> "Input.of(10, 16, 16, 3)";
      default -> "Input.of(10, 8, 8, 8, 1)";
    };
  }

  @Override
  protected int gates() {
    return 4;
  }

  @Override
  protected List<String> stateNames() {
    return List.of("h", "c");
  }

  /** Four masks of each kind, one per gate, as Keras's {@code ConvLSTMCell} ({@code dropout_mask_count = 4}). */
  @Override
  protected int maskCount() {
    return gates();
  }

  @Override
  protected Shape kernelShape(long inputDim) {
    return convKernelShape(inputDim);
  }

  @Override
  protected Shape recurrentKernelShape() {
    return convKernelShape(units());
  }

  private Shape convKernelShape(long inChannels) {
    long[] dims = new long[rank + 2];
    for (int i = 0; i < rank; i++) {
      dims[i] = kernelSize[i];
    }
    dims[rank] = inChannels;
    dims[rank + 1] = 4L * units();
    return Shape.of(dims);
  }

  /** {@code (newSpatial..., filters)}: the input convolution's output without the batch axis. */
  @Override
  protected long[] stateShape(Shape inputShape) {
    long[] out = new long[rank + 1];
    for (int i = 0; i < rank; i++) {
      out[i] = ConvUtils.convOutputLength(inputShape.get(i + 2), kernelSize[i], strides[i], dilationRate[i], padding);
    }
    out[rank] = units();
    return out;
  }

  /**
   * Checks a {@code (batch, timesteps, spatial..., channels)} shape: its rank, known time steps, spatial sizes and
   * channels, and a positive output size.
   *
   * @return the number of channels
   */
  @Override
  protected long checkSequenceShape(Shape s) {
    int ndim = rank + 3;
    if (s.numDimensions() != ndim) {
      throw new IllegalArgumentException("Input 0 of layer '" + name() + "' is incompatible with the layer: "
          + "expected ndim=" + ndim + ", found ndim=" + s.numDimensions() + ". Full shape received: " + format(s)
          + ". " + getClass().getSimpleName() + " expects inputs of shape " + inputLayout() + ".");
    }
    checkTimeSteps(name(), s, inputExample());
    for (int i = 2; i < ndim - 1; i++) {
      if (s.get(i) < 0) {
        throw new IllegalArgumentException("Layer '" + name() + "': ConvLSTM layers only support static input "
            + "shapes for the spatial dimension. Received invalid input shape: input_shape=" + format(s));
      }
    }
    if (s.get(ndim - 1) < 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': the channel dimension of the inputs (last axis) "
          + "should be defined. Found None. Full input shape received: input_shape=" + format(s));
    }
    for (long n : stateShape(s)) {
      if (n <= 0) {
        throw new IllegalArgumentException("Layer '" + name() + "': computed output size would be zero or negative. "
            + "Received: input shape " + format(s) + ", kernel_size=" + ConvUtils.formatTuple(kernelSize)
            + ", dilation_rate=" + ConvUtils.formatTuple(dilationRate) + ", strides="
            + ConvUtils.formatTuple(strides) + ", padding=" + padding);
      }
    }
    return s.get(ndim - 1);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    super.build(tf, inputShape);
    // The rank stays checked by checkSequenceShape, whose message shows the expected layout.
    setSequenceSpec(new InputSpec(null, null, Map.of(-1, inputShape.get(rank + 2))));
  }

  /** With {@code unitForgetBias}: {@code [biasInitializer(f), ones(f), biasInitializer(2 f)]}, as Keras. */
  @Override
  protected Initializer biasInitializerForBuild() {
    Initializer base = super.biasInitializerForBuild();
    return unitForgetBias ? LSTMCell.unitForgetBiasInitializer(base, units()) : base;
  }

  /** The input convolution: the layer's strides, padding and dilation. */
  @Override
  protected Operand<TFloat32> inputProjection(Ops tf, Operand<TFloat32> steps, Operand<TFloat32> kernel) {
    return convolve(tf, steps, ConvUtils.dilateKernel(tf, kernel, dilationRate), strides, padding);
  }

  /** The recurrent convolution: stride 1, {@code "same"} padding, no dilation (as Keras). */
  @Override
  protected Operand<TFloat32> recurrentProjection(Ops tf, Operand<TFloat32> state, Operand<TFloat32> kernel) {
    int[] ones = new int[rank];
    Arrays.fill(ones, 1);
    return convolve(tf, state, kernel, ones, "same");
  }

  /** A channels-last convolution of rank 1 (as a 2-D one of height 1, as Conv1D), 2 or 3. */
  private Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int[] stride,
      String pad) {
    String tfPadding = "same".equals(pad) ? "SAME" : "VALID";
    List<Long> s = new ArrayList<>();
    s.add(1L);
    if (rank == 1) {
      s.add(1L);
    }
    for (int v : stride) {
      s.add((long) v);
    }
    s.add(1L);
    return switch (rank) {
      case 1 -> tf.squeeze(tf.nn.conv2d(tf.expandDims(x, tf.constant(1)), tf.expandDims(kernel, tf.constant(0)), s,
          tfPadding), Squeeze.axis(List.of(1L)));
      case 2 -> tf.nn.conv2d(x, kernel, s, tfPadding);
      default -> tf.nn.conv3d(x, kernel, s, tfPadding);
    };
  }

  @Override
  protected List<Operand<TFloat32>> step(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states,
      StepContext context) {
    return LSTMCell.step(tf, x, states, context, activation(), recurrentActivation());
  }

  /** The number of filters (the channels of the output and of each state). */
  public int filters() {
    return units();
  }

  /** The kernel's spatial size, one value per spatial axis. */
  public int[] kernelSize() {
    return kernelSize.clone();
  }

  /** The input convolution's strides, one value per spatial axis. */
  public int[] strides() {
    return strides.clone();
  }

  /** The input convolution's dilation rate, one value per spatial axis. */
  public int[] dilationRate() {
    return dilationRate.clone();
  }

  /** The input convolution's padding, {@code "valid"} or {@code "same"}. */
  public String padding() {
    return padding;
  }

  /** Whether the forget gate's bias starts at 1. */
  public boolean unitForgetBias() {
    return unitForgetBias;
  }

  /** Keras's config: {@link BaseRnn}'s keys with {@code filters} instead of {@code units}, and the window settings. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.remove("units");
    c.put("filters", units());
    c.put("kernel_size", ConvUtils.toList(kernelSize));
    c.put("strides", ConvUtils.toList(strides));
    c.put("padding", padding);
    c.put("data_format", "channels_last");
    c.put("dilation_rate", ConvUtils.toList(dilationRate));
    c.put("unit_forget_bias", unitForgetBias);
    return c;
  }

  /**
   * The settings of the ConvLSTM layers on top of {@link GatedRnnBuilder}'s, with Keras's defaults: {@code strides=1},
   * {@code padding="valid"}, {@code dilationRate=1}, {@code unitForgetBias=true}.
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class Builder<B extends Builder<B>> extends GatedRnnBuilder<B> {
    private final int[] kernelSize;
    private int[] strides = {1};
    private int[] dilationRate = {1};
    private String padding = "valid";
    private boolean unitForgetBias = true;

    /**
     * @param filters the number of output channels (and of each state)
     * @param kernelSize one value for every spatial axis, or one value per axis
     */
    protected Builder(int filters, int... kernelSize) {
      super(filters);
      this.unitsArgument = "filters";
      this.kernelSize = kernelSize == null ? null : kernelSize.clone();
    }

    /** The input convolution's step: one value for every spatial axis, or one per axis; default 1. */
    public B strides(int... strides) {
      this.strides = strides == null ? null : strides.clone();
      return self();
    }

    /** The input convolution's padding: {@code "valid"} (the default) or {@code "same"}. */
    public B padding(String padding) {
      this.padding = padding;
      return self();
    }

    /** The input convolution's dilation: one value, or one per spatial axis; default 1. */
    public B dilationRate(int... dilationRate) {
      this.dilationRate = dilationRate == null ? null : dilationRate.clone();
      return self();
    }

    /** Whether the forget gate's bias starts at 1 (the other gates use the bias initializer); default true. */
    public B unitForgetBias(boolean unitForgetBias) {
      this.unitForgetBias = unitForgetBias;
      return self();
    }
  }
}
