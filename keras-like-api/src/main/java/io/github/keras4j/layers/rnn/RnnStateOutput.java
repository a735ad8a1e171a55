package io.github.keras4j.layers.rnn;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * One final state of a recurrent layer as a layer output, for {@link BaseRnn#applyWithState}: applied to the
 * recurrent layer's output, it returns the state that the same traced call computed. It holds no weights and adds
 * only an {@code Identity} op; taking the recurrent layer's output as input keeps that layer (and its weights) in
 * every model that uses the state.
 */
final class RnnStateOutput extends Layer {

  /** Looks up a final state of a traced call: {@link RecurrentLayer#finalState}. */
  @FunctionalInterface
  interface StateLookup {
    /** The final state {@code index} of the call that returned {@code output}. */
    Operand<TFloat32> finalState(Operand<TFloat32> output, int index);
  }

  private final Layer rnn;
  private final boolean returnSequences;
  private final StateLookup lookup;
  private final int index;
  /** The state's shape without the batch axis, or null to read it off the layer's output. */
  private final long[] stateDims;

  RnnStateOutput(BaseRnn rnn, int index, String namePrefix) {
    this(rnn, rnn.returnSequences(), rnn::finalState, index, -1, namePrefix);
  }

  /**
   * @param rnn the recurrent layer
   * @param returnSequences whether its output has a time axis
   * @param lookup its final states by traced call
   * @param stateSize the state's size {@code (batch, stateSize)}, or -1 for the output's shape without time axis
   */
  RnnStateOutput(Layer rnn, boolean returnSequences, StateLookup lookup, int index, long stateSize,
      String namePrefix) {
    this(rnn, returnSequences, lookup, index, stateSize >= 0 ? new long[] {stateSize} : null, namePrefix);
  }

  /**
   * @param stateDims the state's shape without the batch axis ({@code (units)}, or ConvLSTM2D's {@code (rows, cols,
   *     filters)}), for a layer whose output does not tell it ({@link Bidirectional})
   */
  RnnStateOutput(Layer rnn, StateLookup lookup, int index, long[] stateDims, String namePrefix) {
    this(rnn, false, lookup, index, stateDims.clone(), namePrefix);
  }

  private RnnStateOutput(Layer rnn, boolean returnSequences, StateLookup lookup, int index, long[] stateDims,
      String namePrefix) {
    super(Backend.uniqueName(namePrefix));
    this.rnn = rnn;
    this.returnSequences = returnSequences;
    this.lookup = lookup;
    this.index = index;
    this.stateDims = stateDims;
    // The recurrent layer's output may carry its input's mask; a state has no time axis and takes none (no warning).
    setSupportsMasking(true);
  }

  /** None: a final state has no time axis. */
  @Override
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return null;
  }

  /** The recurrent layer's output shape without its time axis (if it returns sequences): a state's shape. */
  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (stateDims != null) {
      long[] out = new long[stateDims.length + 1];
      out[0] = inputShape.get(0);
      System.arraycopy(stateDims, 0, out, 1, stateDims.length);
      return Shape.of(out);
    }
    if (!returnSequences) {
      return inputShape;
    }
    long[] dims = inputShape.asArray();
    long[] out = new long[dims.length - 1];
    out[0] = dims[0];
    System.arraycopy(dims, 2, out, 1, out.length - 1);
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return tf.identity(lookup.finalState(inputs, index));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("layer", rnn.name());
    c.put("state_index", index);
    return c;
  }
}
