package io.github.keras4j.layers.rnn;

/**
 * 2-D convolutional LSTM over sequences of images, as Keras's {@code ConvLSTM2D}: an LSTM whose input and recurrent
 * transformations are 2-D convolutions (see {@link ConvLSTM} for the formulas, dropout, masking and the differences
 * from Keras).
 *
 * <p>Input shape {@code (batch, timesteps, rows, cols, channels)} with known time steps, spatial sizes and
 * channels; output {@code (batch, newRows, newCols, filters)}, or {@code (batch, timesteps, newRows, newCols,
 * filters)} with {@code returnSequences}, each new size {@code floor((n - d (k - 1) - 1) / s) + 1} for {@code
 * padding="valid"} and {@code ceil(n / s)} for {@code "same"}; states {@code h} and {@code c} of the output's
 * shape. Weights as Keras: {@code kernel (kh, kw, channels, 4 * filters)}, {@code recurrent_kernel (kh, kw,
 * filters, 4 * filters)}, {@code bias (4 * filters)}.
 *
 * <pre>{@code
 * new ConvLSTM2D(16, 3);                 // (None, 5, 16, 16, 1) -> (None, 14, 14, 16), 9,856 params
 * ConvLSTM2D.builder(8, 3).padding("same").returnSequences(true).dropout(0.2).recurrentDropout(0.1).build();
 * }</pre>
 */
public class ConvLSTM2D extends ConvLSTM {

  /** A ConvLSTM2D with {@code filters} filters, a square window of size {@code kernelSize} and Keras's defaults. */
  public ConvLSTM2D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  private ConvLSTM2D(Builder b) {
    super(2, b);
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the window: one value for a square window, or {@code (rows, cols)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  /** Optional settings of {@link ConvLSTM2D}, with Keras's defaults. */
  public static final class Builder extends ConvLSTM.Builder<Builder> {

    private Builder(int filters, int... kernelSize) {
      super(filters, kernelSize);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The layer. */
    public ConvLSTM2D build() {
      return new ConvLSTM2D(this);
    }
  }
}
