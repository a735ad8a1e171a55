package io.github.keras4j.layers.rnn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Gated Recurrent Unit (Cho et al. 2014), as Keras's {@code GRU}.
 *
 * <p>Kernels hold three gates in Keras's order {@code z, r, h}. With {@code x_g = x_t . kernel_g + b_in_g},
 * {@code σ} the recurrent activation (sigmoid) and {@code act} the activation (tanh):
 * <pre>
 * z = σ(x_z + h_{t-1} . U_z + b_rec_z)      r = σ(x_r + h_{t-1} . U_r + b_rec_r)
 * resetAfter=true  (Keras 3's default): hh = act(x_h + r * (h_{t-1} . U_h + b_rec_h))
 * resetAfter=false:                     hh = act(x_h + (r * h_{t-1}) . U_h)
 * h_t = z * h_{t-1} + (1 - z) * hh
 * </pre>
 * where {@code U} is the recurrent kernel. With {@code resetAfter} the bias is {@code (2, 3 * units)}: row 0 the
 * input bias {@code b_in}, row 1 the recurrent bias {@code b_rec}; without it the bias is {@code (3 * units)} and
 * there is no recurrent bias. GRU(32) on 7 features has 3,936 parameters (resetAfter), as in Keras.
 *
 * <p>Input shape {@code (batch, timesteps, features)} with known {@code timesteps}; output {@code (batch, units)}, or
 * {@code (batch, timesteps, units)} with {@code returnSequences}. Defaults as Keras: {@code activation="tanh"},
 * {@code recurrentActivation="sigmoid"}, {@code resetAfter=true}, {@code kernelInitializer="glorot_uniform"},
 * {@code recurrentInitializer="orthogonal"}, {@code biasInitializer="zeros"}. Unrolled statically, except that a
 * {@code resetAfter(false)} GRU with the default activations and no mask runs one TensorFlow {@code GRUBlockCell}
 * op per step ({@code useFused(false)} turns it off): see {@link BaseRnn} for when each path is taken, graph size,
 * dropout and the differences from Keras.
 *
 * <pre>{@code
 * new GRU(32);
 * GRU.builder(32).resetAfter(false).returnSequences(true).build();
 * }</pre>
 */
public class GRU extends GatedRnn {

  private final boolean resetAfter;

  /** A GRU with {@code units} units and Keras's defaults. */
  public GRU(int units) {
    this(builder(units));
  }

  private GRU(Builder b) {
    super(b);
    this.resetAfter = b.resetAfter;
  }

  /** A builder for the optional settings. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  @Override
  protected int gates() {
    return 3;
  }

  @Override
  protected List<String> stateNames() {
    return List.of("h");
  }

  @Override
  protected Shape biasShape() {
    return GRUCell.biasShape(units(), resetAfter);
  }

  @Override
  protected Operand<TFloat32> inputBias(Ops tf, Operand<TFloat32> bias) {
    return GRUCell.inputBias(tf, bias, resetAfter);
  }

  @Override
  protected Operand<TFloat32> recurrentBias(Ops tf, Operand<TFloat32> bias) {
    return GRUCell.recurrentBias(tf, bias, resetAfter);
  }

  @Override
  protected List<Operand<TFloat32>> step(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states,
      StepContext context) {
    return GRUCell.step(tf, x, states, context, resetAfter, activation(), recurrentActivation());
  }

  /**
   * Computes a {@code resetAfter=false} call with one TensorFlow {@code GRUBlockCell} op per step when it can (see
   * {@link BaseRnn}); the cell cannot express {@code resetAfter=true}, Keras's default.
   */
  @Override
  protected Unrolled fused(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, CellWeights w, boolean backwards,
      boolean training, long maskSeed, List<Operand<TFloat32>> initialState) {
    String obstacle = resetAfter ? "resetAfter=true (the GRUBlockCell kernel applies the reset gate before the "
        + "recurrent kernel)" : null;
    if (!fuses(obstacle, mask, training)) {
      return null;
    }
    return FusedKernels.gru(tf, FusedKernels.droppedInputs(tf, this, inputs, training, maskSeed), w, units(),
        backwards, initialState);
  }

  /** Whether the reset gate is applied after the recurrent matrix multiplication. */
  public boolean resetAfter() {
    return resetAfter;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("reset_after", resetAfter);
    return c;
  }

  /** Optional settings of {@link GRU}, with Keras's defaults. */
  public static final class Builder extends GatedRnnBuilder<Builder> {
    private boolean resetAfter = true;

    private Builder(int units) {
      super(units);
    }

    @Override
    public Builder self() {
      return this;
    }

    /** Apply the reset gate after the recurrent matrix multiplication (Keras 3's default, true). */
    public Builder resetAfter(boolean resetAfter) {
      this.resetAfter = resetAfter;
      return this;
    }

    /** The layer. */
    public GRU build() {
      return new GRU(this);
    }
  }
}
