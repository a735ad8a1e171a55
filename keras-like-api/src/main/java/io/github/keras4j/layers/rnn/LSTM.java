package io.github.keras4j.layers.rnn;

import io.github.keras4j.initializers.Initializer;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Long Short-Term Memory layer (Hochreiter 1997), as Keras's {@code LSTM}.
 *
 * <p>With {@code z = x_t . kernel + h_{t-1} . recurrent_kernel + bias} split into four gates in Keras's order
 * {@code i, f, c, o}, {@code σ} the recurrent activation (sigmoid) and {@code act} the activation (tanh):
 * <pre>
 * i = σ(z_i)   f = σ(z_f)   o = σ(z_o)
 * c_t = f * c_{t-1} + i * act(z_c)
 * h_t = o * act(c_t)
 * </pre>
 *
 * <p>Input shape {@code (batch, timesteps, features)} with known {@code timesteps}; output {@code (batch, units)}, or
 * {@code (batch, timesteps, units)} with {@code returnSequences}; states {@code h} and {@code c}. Weights:
 * {@code kernel (features, 4 * units)}, {@code recurrent_kernel (units, 4 * units)}, {@code bias (4 * units)}: LSTM(32)
 * on 7 features has 5,120 parameters, as in Keras. Defaults as Keras: {@code activation="tanh"},
 * {@code recurrentActivation="sigmoid"}, {@code unitForgetBias=true} (the forget gate's bias starts at 1),
 * {@code kernelInitializer="glorot_uniform"}, {@code recurrentInitializer="orthogonal"},
 * {@code biasInitializer="zeros"}. With the default activations and no mask, a call runs on TensorFlow's fused
 * {@code BlockLSTMV2} kernel (Keras's cuDNN path; {@code useFused(false)} turns it off); otherwise it is unrolled
 * statically: see {@link BaseRnn} for when each path is taken, graph sizes, dropout and the differences from Keras.
 *
 * <pre>{@code
 * new LSTM(32);
 * LSTM.builder(64).returnSequences(true).dropout(0.2).recurrentDropout(0.1).build();
 * LSTM.builder(32).useFused(false).build(); // always unrolled
 * }</pre>
 */
public class LSTM extends GatedRnn {

  private final boolean unitForgetBias;

  /** An LSTM with {@code units} units and Keras's defaults. */
  public LSTM(int units) {
    this(builder(units));
  }

  private LSTM(Builder b) {
    super(b);
    this.unitForgetBias = b.unitForgetBias;
  }

  /** A builder for the optional settings. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  @Override
  protected int gates() {
    return 4;
  }

  @Override
  protected List<String> stateNames() {
    return List.of("h", "c");
  }

  /** With {@code unitForgetBias}: {@code [biasInitializer(units), ones(units), biasInitializer(2 * units)]}, as Keras. */
  @Override
  protected Initializer biasInitializerForBuild() {
    Initializer base = super.biasInitializerForBuild();
    return unitForgetBias ? LSTMCell.unitForgetBiasInitializer(base, units()) : base;
  }

  @Override
  protected List<Operand<TFloat32>> step(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states,
      StepContext context) {
    return LSTMCell.step(tf, x, states, context, activation(), recurrentActivation());
  }

  /** Computes the call with TensorFlow's fused {@code BlockLSTMV2} kernel when it can (see {@link BaseRnn}). */
  @Override
  protected Unrolled fused(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, CellWeights w, boolean backwards,
      boolean training, long maskSeed, List<Operand<TFloat32>> initialState) {
    if (!fuses(null, mask, training)) {
      return null;
    }
    return FusedKernels.lstm(tf, FusedKernels.droppedInputs(tf, this, inputs, training, maskSeed), w, units(),
        backwards, initialState);
  }

  /** Whether the forget gate's bias starts at 1. */
  public boolean unitForgetBias() {
    return unitForgetBias;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("unit_forget_bias", unitForgetBias);
    return c;
  }

  /** Optional settings of {@link LSTM}, with Keras's defaults. */
  public static final class Builder extends GatedRnnBuilder<Builder> {
    private boolean unitForgetBias = true;

    private Builder(int units) {
      super(units);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** Whether the forget gate's bias starts at 1 (the other gates use the bias initializer); default true. */
    public Builder unitForgetBias(boolean unitForgetBias) {
      this.unitForgetBias = unitForgetBias;
      return this;
    }

    /** The layer. */
    public LSTM build() {
      return new LSTM(this);
    }
  }
}
