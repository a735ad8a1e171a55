package io.github.keras4j.layers.rnn;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * What the recurrent layers share ({@link BaseRnn}'s SimpleRNN, LSTM, GRU and ConvLSTMs, {@link RNN} over cells, and
 * {@link Bidirectional}): a call on the sequence (input 0) from optional initial states (inputs 1..), and the final
 * states of each traced call, which the state outputs of {@link #applyWithState} read.
 */
public abstract class RecurrentLayer extends Layer implements ReturnsState {

  /** Final states of each traced call, by the call's output operand; only with returnState. */
  private final Map<Operand<TFloat32>, List<Operand<TFloat32>>> finalStates = new IdentityHashMap<>();

  /** @param name the layer's name, or null for a generated one */
  RecurrentLayer(String name) {
    super(name);
  }

  /**
   * The layer's output for {@code sequence} under {@code mask} (or null), starting from {@code initialState}
   * (null for zeros); with returnState it {@link #recordFinalStates records} the final states.
   */
  abstract Operand<TFloat32> callSequence(Ops tf, Operand<TFloat32> sequence, Operand<TBool> mask,
      List<Operand<TFloat32>> initialState, boolean training);

  @Override
  protected final Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return callSequence(tf, inputs, null, null, training);
  }

  @Override
  protected final Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, boolean training) {
    return callSequence(tf, inputs, mask, null, training);
  }

  /** The sequence (input 0) from the initial states (inputs 1..). */
  @Override
  protected final Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, boolean training) {
    return call(tf, inputs, Collections.nCopies(inputs.size(), null), training);
  }

  /** The sequence (input 0) under its mask from the initial states (inputs 1..), whose masks are ignored. */
  @Override
  protected final Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks,
      boolean training) {
    List<Operand<TFloat32>> initial = inputs.size() == 1 ? null : inputs.subList(1, inputs.size());
    return callSequence(tf, inputs.get(0), masks.get(0), initial, training);
  }

  /**
   * Calls the layer on the sequence {@code inputs} starting from {@code initialState} instead of zeros, as Keras's
   * {@code layer(inputs, initial_state=[...])}: one tensor per state, in the order {@link #applyWithState} returns
   * them ({@code [h]} for SimpleRNN and GRU, {@code [h, c]} for LSTM and ConvLSTM, the cell's
   * {@link RnnCell#stateSize()} for an {@link RNN}, the forward layer's states then the backward layer's for a
   * {@link Bidirectional}), each shaped as the layer's output at one step ({@code (batch, units)}). The call's inputs
   * are then the sequence followed by the states, so gradients flow into the states (the encoder of an
   * encoder-decoder model trains through them):
   *
   * <pre>{@code
   * List<KerasTensor> encoded = LSTM.builder(64).returnState(true).build().applyWithState(encoderInputs);
   * KerasTensor decoded = LSTM.builder(64).returnSequences(true).build()
   *     .apply(decoderInputs, encoded.subList(1, 3));
   * }</pre>
   *
   * @param initialState the initial states, or null or empty for zeros
   * @throws IllegalArgumentException naming the layer and both shapes when a state's number or shape does not match
   */
  public KerasTensor apply(KerasTensor inputs, List<KerasTensor> initialState) {
    return apply(InitialStates.inputs(name(), inputs, initialState));
  }

  /**
   * Calls the layer and returns its output followed by its final states ({@code [output, state_0, ...]}), as Keras's
   * call of a layer with {@code return_state=True}. Each state is the output of a small weightless layer
   * ({@code lstm_state_h}, ...) that reads the state this layer computed for the same call; it adds no recurrence
   * to the graph and shows in the model's summary with 0 parameters.
   *
   * @throws IllegalStateException if the layer was built without {@code returnState(true)}
   */
  @Override
  public final List<KerasTensor> applyWithState(KerasTensor input) {
    return applyWithState(input, null);
  }

  /** Keeps the final states of the traced call that returned {@code output}, for {@link #finalState}. */
  void recordFinalStates(Operand<TFloat32> output, List<Operand<TFloat32>> states) {
    synchronized (finalStates) {
      finalStates.put(output, List.copyOf(states));
    }
  }

  /** The final state {@code index} of the traced call that returned {@code output}. */
  Operand<TFloat32> finalState(Operand<TFloat32> output, int index) {
    List<Operand<TFloat32>> states;
    synchronized (finalStates) {
      states = finalStates.get(output);
    }
    if (states == null) {
      throw new IllegalStateException("No traced call of layer '" + name() + "' produced this output");
    }
    return states.get(index);
  }
}
