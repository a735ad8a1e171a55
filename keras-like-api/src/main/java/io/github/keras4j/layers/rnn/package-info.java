/**
 * Recurrent layers, Keras's {@code keras.layers} RNN family: {@link io.github.keras4j.layers.rnn.SimpleRNN},
 * {@link io.github.keras4j.layers.rnn.LSTM} and {@link io.github.keras4j.layers.rnn.GRU}, the convolutional
 * {@link io.github.keras4j.layers.rnn.ConvLSTM1D}, {@link io.github.keras4j.layers.rnn.ConvLSTM2D} and
 * {@link io.github.keras4j.layers.rnn.ConvLSTM3D} (all sharing {@link io.github.keras4j.layers.rnn.BaseRnn}), and the
 * wrappers {@link io.github.keras4j.layers.rnn.Bidirectional} and {@link io.github.keras4j.layers.rnn.TimeDistributed}.
 *
 * <p>Recurrent layers from cells: {@link io.github.keras4j.layers.rnn.RNN} runs any
 * {@link io.github.keras4j.layers.rnn.RnnCell} (the built-in {@link io.github.keras4j.layers.rnn.SimpleRNNCell},
 * {@link io.github.keras4j.layers.rnn.LSTMCell} and {@link io.github.keras4j.layers.rnn.GRUCell}, which share their
 * step with the layers above, {@link io.github.keras4j.layers.rnn.StackedRNNCells}, or a cell written in Java).
 *
 * <p>Every recurrent layer can start from given states (Keras's {@code initial_state}: {@code layer.apply(x,
 * List.of(h, c))}, the decoder of an encoder-decoder model) and, with {@code returnState}, return its final states
 * ({@code applyWithState}); {@link io.github.keras4j.layers.rnn.Bidirectional} wraps any of them.
 *
 * <p>Recurrent layers are unrolled statically over a known number of time steps (TensorFlow Java cannot
 * differentiate a while loop); see {@link io.github.keras4j.layers.rnn.BaseRnn} for what that costs.
 */
package io.github.keras4j.layers.rnn;
