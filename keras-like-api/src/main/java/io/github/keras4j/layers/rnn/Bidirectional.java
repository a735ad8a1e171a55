package io.github.keras4j.layers.rnn;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.rnn.BaseRnn.CellWeights;
import io.github.keras4j.layers.rnn.BaseRnn.Unrolled;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Bidirectional wrapper for recurrent layers, as Keras's {@code Bidirectional}: runs the layer forwards and a
 * copy of it backwards over the sequence and merges the two outputs.
 *
 * <p>With {@code returnSequences}, the backward output is flipped back to time order before merging, so step
 * {@code t} of the result combines the forward output at {@code t} with the backward output at {@code t}.
 * {@code mergeMode}: {@code "concat"} (default; output size {@code 2 * units}), {@code "sum"}, {@code "mul"},
 * {@code "ave"}.
 *
 * <p>As in Keras, the wrapped layer is a template: the Bidirectional layer has freshly initialized weights of its
 * own, the forward direction's first ({@code forward_kernel}, {@code forward_recurrent_kernel},
 * {@code forward_bias}), then the backward direction's ({@code backward_kernel}, ...), in Keras's
 * {@code get_weights()} order. The backward direction draws its own dropout masks. The wrapped layer's regularizers
 * and constraints apply to the weights of both directions, and its {@code activityRegularizer} to the output of each
 * direction before merging (as Keras, where each direction is a copy of the layer with its own penalty).
 *
 * <p>Differences from Keras: the layer must be a {@link BaseRnn} ({@link SimpleRNN}, {@link LSTM}, {@link GRU}; not
 * a {@link ConvLSTM});
 * no {@code backward_layer} argument, no {@code merge_mode=None} and no {@code return_state} (each would need a
 * layer call with several outputs); weight names are {@code bidirectional/forward_kernel} (Keras:
 * {@code bidirectional/forward_lstm/lstm_cell/kernel}).
 *
 * <pre>{@code
 * new Bidirectional(LSTM.builder(10).returnSequences(true).build());
 * new Bidirectional(new GRU(8), "sum");
 * }</pre>
 */
public class Bidirectional extends Layer {

  private static final List<String> MERGE_MODES = List.of("sum", "mul", "ave", "concat");

  private final BaseRnn layer;
  private final String mergeMode;
  private final long backwardSeed;
  private CellWeights forward;
  private CellWeights backward;

  /** Wraps {@code layer}, concatenating the two directions. */
  public Bidirectional(BaseRnn layer) {
    this(layer, "concat", null);
  }

  /** Wraps {@code layer} with the given merge mode. */
  public Bidirectional(BaseRnn layer, String mergeMode) {
    this(layer, mergeMode, null);
  }

  /**
   * @param layer the recurrent layer to run in both directions (a template: its own weights are not used)
   * @param mergeMode {@code "concat"}, {@code "sum"}, {@code "mul"} or {@code "ave"}
   * @param name the layer's name, or null for a generated one
   */
  public Bidirectional(BaseRnn layer, String mergeMode, String name) {
    super(name);
    if (layer == null) {
      throw new IllegalArgumentException("Please initialize `Bidirectional` layer with a recurrent layer "
          + "(SimpleRNN, LSTM, GRU). Received: null");
    }
    if (!MERGE_MODES.contains(mergeMode)) {
      throw new IllegalArgumentException("Invalid merge mode. Received: " + mergeMode
          + ". Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\"}");
    }
    if (layer instanceof ConvLSTM) {
      throw new IllegalArgumentException("Bidirectional does not support the ConvLSTM layers in Keras4J: layer '"
          + layer.name() + "' is a " + layer.getClass().getSimpleName());
    }
    if (layer.goBackwards()) {
      throw new IllegalArgumentException("Forward layer and backward layer should have different `go_backwards` "
          + "value. Received: forward_layer.go_backwards=true, backward_layer.go_backwards=true (layer '"
          + layer.name() + "' was created with goBackwards(true))");
    }
    if (layer.returnState()) {
      throw new IllegalArgumentException("Bidirectional does not support returnState in Keras4J: layer '"
          + layer.name() + "' was created with returnState(true)");
    }
    this.layer = layer;
    this.mergeMode = mergeMode;
    this.backwardSeed = Backend.nextSeed();
    setInputSpec(new InputSpec(null, 3, Map.of()));
    setSupportsMasking(true);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    long inputDim = BaseRnn.checkSequenceShape(name(), inputShape);
    forward = layer.createWeights((n, s, settings) -> addWeight("forward_" + n, s, settings),
        inputDim);
    backward = layer.createWeights((n, s, settings) -> addWeight("backward_" + n, s, settings),
        inputDim);
    setInputSpec(new InputSpec(null, 3, Map.of(-1, inputDim)));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    BaseRnn.checkSequenceShape(name(), inputShape);
    long[] dims = layer.computeOutputShape(inputShape).asArray().clone();
    if (mergeMode.equals("concat")) {
      dims[dims.length - 1] *= 2;
    }
    return Shape.of(dims);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return call(tf, inputs, null, training);
  }

  /** Both directions skip masked steps; with {@code returnSequences} masked steps output zeros, as in Keras. */
  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, boolean training) {
    boolean zeros = layer.returnSequences();
    Unrolled fw = layer.run(tf, inputs, mask, zeros, forward, false, training, layer.seed());
    Unrolled bw = layer.run(tf, inputs, mask, zeros, backward, true, training, backwardSeed);
    Operand<TFloat32> y = layer.returnSequences() ? fw.sequence(tf, false) : fw.last();
    Operand<TFloat32> yRev = layer.returnSequences() ? bw.sequence(tf, true) : bw.last();
    if (layer.activityRegularizer() != null) {
      addLoss(BaseRnn.activityPenalty(tf, layer.activityRegularizer(), y));
      addLoss(BaseRnn.activityPenalty(tf, layer.activityRegularizer(), yRev));
    }
    return switch (mergeMode) {
      case "concat" -> tf.concat(List.of(y, yRev), tf.constant(-1));
      case "sum" -> tf.math.add(y, yRev);
      case "mul" -> tf.math.mul(y, yRev);
      default -> tf.math.div(tf.math.add(y, yRev), tf.constant(2f));
    };
  }

  /** With {@code returnSequences} the input's mask, else none. */
  @Override
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return layer.returnSequences() ? masks.get(0) : null;
  }

  /** The wrapped layer (the template of both directions). */
  public BaseRnn layer() {
    return layer;
  }

  /** The merge mode. */
  public String mergeMode() {
    return mergeMode;
  }

  /** {@code layer} (the wrapped layer's config) and {@code merge_mode}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    // Keras's serialize(layer): the class name tells which recurrent layer to rebuild.
    Map<String, Object> inner = new java.util.LinkedHashMap<>();
    inner.put("class_name", layer.getClass().getSimpleName());
    inner.put("config", layer.getConfig());
    c.put("layer", inner);
    c.put("merge_mode", mergeMode);
    return c;
  }
}
