package io.github.keras4j.layers.rnn;

/**
 * 1-D convolutional LSTM over sequences of 1-D feature maps, as Keras's {@code ConvLSTM1D}: an LSTM whose input and
 * recurrent transformations are 1-D convolutions (see {@link ConvLSTM} for the formulas, dropout, masking and the
 * differences from Keras).
 *
 * <p>Input shape {@code (batch, timesteps, rows, channels)} with known time steps, spatial sizes and channels;
 * output {@code (batch, newRows, filters)}, or {@code (batch, timesteps, newRows, filters)} with {@code
 * returnSequences}, each new size {@code floor((n - d (k - 1) - 1) / s) + 1} for {@code padding="valid"} and {@code
 * ceil(n / s)} for {@code "same"}; states {@code h} and {@code c} of the output's shape. Weights as Keras: {@code
 * kernel (k, channels, 4 * filters)}, {@code recurrent_kernel (k, filters, 4 * filters)}, {@code bias (4 *
 * filters)}.
 *
 * <pre>{@code
 * new ConvLSTM1D(8, 3);                  // (None, 5, 16, 2) -> (None, 14, 8)
 * ConvLSTM1D.builder(8, 3).padding("same").returnSequences(true).build();
 * }</pre>
 */
public class ConvLSTM1D extends ConvLSTM {

  /** A ConvLSTM1D with {@code filters} filters, a 1-D window of size {@code kernelSize} and Keras's defaults. */
  public ConvLSTM1D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  private ConvLSTM1D(Builder b) {
    super(1, b);
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for every axis, or {@code (k)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** Optional settings of {@link ConvLSTM1D}, with Keras's defaults. */
  public static final class Builder extends ConvLSTM.Builder<Builder> {

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public ConvLSTM1D build() {
      return new ConvLSTM1D(this);
    }
  }
}
