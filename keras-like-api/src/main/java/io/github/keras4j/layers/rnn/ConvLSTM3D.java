package io.github.keras4j.layers.rnn;

/**
 * 3-D convolutional LSTM over sequences of volumes, as Keras's {@code ConvLSTM3D}: an LSTM whose input and
 * recurrent transformations are 3-D convolutions (see {@link ConvLSTM} for the formulas, dropout, masking and the
 * differences from Keras).
 *
 * <p>Input shape {@code (batch, timesteps, depth, rows, cols, channels)} with known time steps, spatial sizes and
 * channels; output {@code (batch, newDepth, newRows, newCols, filters)}, or {@code (batch, timesteps, newDepth,
 * newRows, newCols, filters)} with {@code returnSequences}, each new size {@code floor((n - d (k - 1) - 1) / s) +
 * 1} for {@code padding="valid"} and {@code ceil(n / s)} for {@code "same"}; states {@code h} and {@code c} of the
 * output's shape. Weights as Keras: {@code kernel (kd, kh, kw, channels, 4 * filters)}, {@code recurrent_kernel
 * (kd, kh, kw, filters, 4 * filters)}, {@code bias (4 * filters)}.
 *
 * <pre>{@code
 * new ConvLSTM3D(4, 3);                  // (None, 3, 8, 8, 8, 1) -> (None, 6, 6, 6, 4)
 * ConvLSTM3D.builder(4, 3, 3, 1).padding("same").build();
 * }</pre>
 */
public class ConvLSTM3D extends ConvLSTM {

  /** A ConvLSTM3D with {@code filters} filters, a cubic window of size {@code kernelSize} and Keras's defaults. */
  public ConvLSTM3D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  private ConvLSTM3D(Builder b) {
    super(3, b);
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a cubic window, or {@code (depth, rows, cols)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** Optional settings of {@link ConvLSTM3D}, with Keras's defaults. */
  public static final class Builder extends ConvLSTM.Builder<Builder> {

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public ConvLSTM3D build() {
      return new ConvLSTM3D(this);
    }
  }
}
