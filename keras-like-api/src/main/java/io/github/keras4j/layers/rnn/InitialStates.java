package io.github.keras4j.layers.rnn;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.KerasTensor;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * The checks and plumbing of Keras's {@code initial_state} shared by {@link BaseRnn}, {@link RNN} and
 * {@link Bidirectional}: a layer called with initial states takes them as its inputs 1, 2, ... after the sequence
 * (input 0), so the functional API records them as the call's inputs (and a saved model's {@code inbound_nodes}
 * lists them after the sequence).
 *
 * <p>The layers keep their {@link InputSpec} for the sequence only and check it here, on input 0: the states have
 * another rank and size.
 */
final class InitialStates {

  private InitialStates() {}

  /** {@code [inputs, initialState...]}; just {@code [inputs]} for a null or empty {@code initialState}. */
  static List<KerasTensor> inputs(String layerName, KerasTensor inputs, List<KerasTensor> initialState) {
    if (inputs == null) {
      throw new IllegalArgumentException("Layer '" + layerName + "' was called without inputs: the sequence is "
          + "null");
    }
    List<KerasTensor> all = new ArrayList<>();
    all.add(inputs);
    if (initialState != null) {
      for (int i = 0; i < initialState.size(); i++) {
        if (initialState.get(i) == null) {
          throw new IllegalArgumentException("Layer '" + layerName + "': initial state " + i + " is null");
        }
        all.add(initialState.get(i));
      }
    }
    return all;
  }

  /** Checks the sequence (input 0) against {@code spec}, if any. */
  static void checkSequence(String layerName, InputSpec spec, Shape sequence) {
    if (spec != null) {
      spec.check(layerName, 0, sequence);
    }
  }

  /**
   * Checks the initial states' number and shapes against the layer's states, with Keras's messages.
   *
   * @param sequence the sequence's shape (its batch axis is the states' batch axis)
   * @param states the initial states' shapes
   * @param names the states' names for messages ({@code h}, {@code c}; {@code forward_h}, ...)
   * @param dims each state's expected shape without the batch axis
   */
  static void check(String layerName, Shape sequence, List<Shape> states, List<String> names, List<long[]> dims) {
    if (states.size() != dims.size()) {
      throw new IllegalArgumentException("Layer '" + layerName + "' has " + dims.size() + " states " + names
          + " but was passed " + states.size() + " initial states. Pass one tensor per state: layer.apply(inputs, "
          + "List.of(" + String.join(", ", names) + ")).");
    }
    long batch = sequence.numDimensions() > 0 ? sequence.get(0) : Shape.UNKNOWN_SIZE;
    for (int i = 0; i < states.size(); i++) {
      long[] d = dims.get(i);
      long[] expected = new long[d.length + 1];
      expected[0] = batch;
      System.arraycopy(d, 0, expected, 1, d.length);
      Shape got = states.get(i);
      boolean ok = got.numDimensions() == expected.length;
      for (int a = 0; ok && a < expected.length; a++) {
        // An unknown size on either side (the batch, mostly) is compatible.
        ok = expected[a] < 0 || got.get(a) < 0 || got.get(a) == expected[a];
      }
      if (!ok) {
        throw new IllegalArgumentException("Layer '" + layerName + "': an `initial_state` was passed that is not "
            + "compatible with the layer's states: initial state " + i + " (" + names.get(i) + ") should have shape "
            + Shapes.format(Shape.of(expected)) + ", but received shape " + Shapes.format(got) + ".");
      }
    }
  }

  /** The dims of one state of {@code size} units: {@code [size]}. */
  static List<long[]> sizes(List<Integer> sizes) {
    List<long[]> out = new ArrayList<>();
    for (int s : sizes) {
      out.add(new long[] {s});
    }
    return out;
  }
}
