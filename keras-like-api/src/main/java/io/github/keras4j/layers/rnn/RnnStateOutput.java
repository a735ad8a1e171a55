package io.github.keras4j.layers.rnn;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One final state of a recurrent layer as a layer output, for {@link BaseRnn#applyWithState}: applied to the
 * recurrent layer's output, it returns the state that the same traced call computed. It holds no weights and adds
 * only an {@code Identity} op; taking the recurrent layer's output as input keeps that layer (and its weights) in
 * every model that uses the state.
 */
final class RnnStateOutput extends Layer {

  private final BaseRnn rnn;
  private final int index;

  RnnStateOutput(BaseRnn rnn, int index, String namePrefix) {
    super(Backend.uniqueName(namePrefix));
    this.rnn = rnn;
    this.index = index;
  }

  /** The recurrent layer's output shape without its time axis (if it returns sequences): a state's shape. */
  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (!rnn.returnSequences()) {
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
    return tf.identity(rnn.finalState(inputs, index));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("layer", rnn.name());
    c.put("state_index", index);
    return c;
  }
}
