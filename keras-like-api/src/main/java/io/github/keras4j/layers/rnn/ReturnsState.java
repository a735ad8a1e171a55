package io.github.keras4j.layers.rnn;

import io.github.keras4j.layers.KerasTensor;
import java.util.List;

/**
 * A recurrent layer that can also return its final states, as Keras's {@code return_state=True}: {@link BaseRnn}
 * (SimpleRNN, LSTM, GRU, ConvLSTM), {@link RNN} and {@link Bidirectional}. Saving and loading a model rebuilds the state outputs of any
 * such layer.
 */
public interface ReturnsState {

  /** Whether {@link #applyWithState} is enabled (Keras's {@code return_state}). */
  boolean returnState();

  /**
   * Calls the layer on {@code input} and returns its output followed by its final states.
   *
   * @throws IllegalStateException if {@link #returnState()} is false
   */
  List<KerasTensor> applyWithState(KerasTensor input);

  /**
   * As {@link #applyWithState(KerasTensor)}, starting the recurrence from {@code initialState} (Keras's
   * {@code initial_state}); null or empty for zeros. The default supports zeros only: {@link BaseRnn}, {@link RNN}
   * and {@link Bidirectional} override it.
   *
   * @throws IllegalStateException if {@link #returnState()} is false
   * @throws IllegalArgumentException if the initial states do not match the layer's states
   */
  default List<KerasTensor> applyWithState(KerasTensor input, List<KerasTensor> initialState) {
    if (initialState != null && !initialState.isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " takes no initial state");
    }
    return applyWithState(input);
  }
}
