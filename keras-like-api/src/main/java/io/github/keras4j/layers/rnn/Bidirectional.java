package io.github.keras4j.layers.rnn;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.SavedState;
import io.github.keras4j.layers.rnn.BaseRnn.CellWeights;
import io.github.keras4j.layers.rnn.BaseRnn.Unrolled;
import io.github.keras4j.saving.LayerRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Bidirectional wrapper for recurrent layers, as Keras's {@code Bidirectional}: runs the layer forwards and a
 * copy of it backwards over the sequence and merges the two outputs.
 *
 * <p>The layer is any recurrent layer with {@code goBackwards}, as Keras allows: {@link SimpleRNN}, {@link LSTM},
 * {@link GRU}, {@link ConvLSTM1D}, {@link ConvLSTM2D}, {@link ConvLSTM3D} or an {@link RNN} of any cell. With
 * {@code returnSequences}, the backward output is flipped back to time order before merging, so step {@code t} of the
 * result combines the forward output at {@code t} with the backward output at {@code t}. {@code mergeMode}:
 * {@code "concat"} (default; the last axis doubles: {@code 2 * units}, or {@code 2 * filters} for ConvLSTM),
 * {@code "sum"}, {@code "mul"}, {@code "ave"}.
 *
 * <p>As in Keras, the wrapped layer is a template: the Bidirectional layer has freshly initialized weights of its
 * own, the forward direction's first, then the backward direction's, in Keras's {@code get_weights()} order. For a
 * SimpleRNN, LSTM, GRU or ConvLSTM they are {@code forward_kernel}, {@code forward_recurrent_kernel},
 * {@code forward_bias}, then {@code backward_kernel}, ...; for an {@link RNN} the cell is copied through its config
 * (Keras's serialize / deserialize) into two cells named {@code forward_<cell>} and {@code backward_<cell>}, whose
 * weights are {@code forward_lstm_cell/kernel}, ... The backward direction of a SimpleRNN, LSTM, GRU or ConvLSTM
 * draws its own dropout masks; the two copies of a cell keep the cell's seed, as Keras's copies do. The wrapped
 * layer's regularizers and constraints apply to the weights of both directions, and its {@code activityRegularizer}
 * to the output of each direction before merging (as Keras, where each direction is a copy of the layer with its own
 * penalty) and, with {@code returnState}, to each final state.
 *
 * <p>Initial states and final states, as Keras: {@link #apply(KerasTensor, List)} takes the forward layer's states
 * followed by the backward layer's ({@code [forward_h, forward_c, backward_h, backward_c]} for an LSTM), and with the
 * layer's {@code returnState} {@link #applyWithState} returns {@code [output, forward states..., backward
 * states...]}.
 *
 * <p>Differences from Keras: no {@code backward_layer} argument and no {@code merge_mode=None} (a layer call gives one
 * tensor; {@link #applyWithState} gives the states); weight names are {@code bidirectional/forward_kernel} (Keras:
 * {@code bidirectional/forward_lstm/lstm_cell/kernel}); a cell of an {@link RNN} must be rebuildable from its config
 * (a built-in cell, or a custom cell of a named class whose config rebuilds it through the built-in registry).
 *
 * <pre>{@code
 * new Bidirectional(LSTM.builder(10).returnSequences(true).build());
 * new Bidirectional(new GRU(8), "sum");
 * new Bidirectional(new RNN(new LSTMCell(8)));
 * new Bidirectional(ConvLSTM2D.builder(4, 3).padding("same").build());
 * }</pre>
 */
public class Bidirectional extends RecurrentLayer {

  private static final List<String> MERGE_MODES = List.of("sum", "mul", "ave", "concat");

  private final Layer layer;
  /** The layer as a SimpleRNN, LSTM, GRU or ConvLSTM, or null for an {@link RNN}. */
  private final BaseRnn baseRnn;
  /** The layer as an {@link RNN}, or null. */
  private final RNN cellRnn;
  /** The copies of an RNN's cell, one per direction; null for a {@link BaseRnn}. */
  private final RnnCell forwardCell;
  private final RnnCell backwardCell;
  private final String mergeMode;
  private final long backwardSeed;
  /** The sequence's (input 0's) spec; the initial states, inputs 1.., are checked against both directions' states. */
  private InputSpec sequenceSpec;
  private CellWeights forward;
  private CellWeights backward;

  /** Wraps {@code layer}, concatenating the two directions. */
  public Bidirectional(Layer layer) {
    this(layer, "concat", null);
  }

  /** Wraps {@code layer} with the given merge mode. */
  public Bidirectional(Layer layer, String mergeMode) {
    this(layer, mergeMode, null);
  }

  /**
   * @param layer the recurrent layer to run in both directions (a template: its own weights are not used): a
   *     SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D or RNN
   * @param mergeMode {@code "concat"}, {@code "sum"}, {@code "mul"} or {@code "ave"}
   * @param name the layer's name, or null for a generated one
   */
  public Bidirectional(Layer layer, String mergeMode, String name) {
    super(name);
    if (layer == null) {
      throw new IllegalArgumentException("Please initialize `Bidirectional` layer with a recurrent layer "
          + "(SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D or RNN). Received: null");
    }
    if (!MERGE_MODES.contains(mergeMode)) {
      throw new IllegalArgumentException("Invalid merge mode. Received: " + mergeMode
          + ". Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\"}");
    }
    if (!(layer instanceof BaseRnn) && !(layer instanceof RNN)) {
      throw new IllegalArgumentException("Please initialize `Bidirectional` layer with a recurrent layer "
          + "(SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D or RNN): a layer with `go_backwards`, `return_sequences` and "
          + "`return_state`. Received: layer '" + layer.name() + "' of class " + layer.getClass().getSimpleName());
    }
    this.layer = layer;
    this.baseRnn = layer instanceof BaseRnn b ? b : null;
    this.cellRnn = layer instanceof RNN r ? r : null;
    boolean backwards = baseRnn != null ? baseRnn.goBackwards() : cellRnn.goBackwards();
    if (backwards) {
      throw new IllegalArgumentException("Forward layer and backward layer should have different `go_backwards` "
          + "value. Received: forward_layer.go_backwards=true, backward_layer.go_backwards=true (layer '"
          + layer.name() + "' was created with goBackwards(true))");
    }
    this.mergeMode = mergeMode;
    this.backwardSeed = Backend.nextSeed();
    if (cellRnn != null) {
      this.forwardCell = trackLayer(copyCell(cellRnn, "forward_"));
      this.backwardCell = trackLayer(copyCell(cellRnn, "backward_"));
    } else {
      this.forwardCell = null;
      this.backwardCell = null;
    }
    // A ConvLSTM checks its rank itself, with a message that shows its layout.
    this.sequenceSpec = layer instanceof ConvLSTM ? null : new InputSpec(null, 3, Map.of());
    setSupportsMasking(true);
  }

  /**
   * A fresh copy of {@code rnn}'s cell from its config, as Keras recreates the wrapped layer from its config, named
   * {@code prefix + name} (nested cells too, so that the weights of the two copies have their own names).
   */
  private static RnnCell copyCell(RNN rnn, String prefix) {
    RnnCell cell = rnn.cell();
    Layer copy;
    try {
      Map<String, Object> spec = LayerRegistry.serialize(cell);
      String lost = lostInConfig(spec, "");
      if (lost != null) {
        throw new IllegalArgumentException("its " + lost + " is a Java function or object without a Keras id, which a "
            + "config cannot hold. Use built-in ids (\"tanh\", \"glorot_uniform\", \"l2\", ...)");
      }
      copy = LayerRegistry.deserialize(renamed(spec, prefix), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bidirectional copies the cell '" + cell.name() + "' of layer '"
          + rnn.name() + "' from its config for each direction, as Keras does, but the config could not be rebuilt: "
          + e.getMessage(), e);
    }
    if (!(copy instanceof RnnCell c) || copy.getClass() != cell.getClass()) {
      throw new IllegalArgumentException("Bidirectional copies the cell '" + cell.name() + "' of layer '"
          + rnn.name() + "' from its config, but the config rebuilt a " + copy.getClass().getSimpleName()
          + " instead of a " + cell.getClass().getSimpleName());
    }
    return c;
  }

  /**
   * The path of a setting that a config loses, or null: an activation given as a Java function (saved as null) or an
   * object of a lambda or anonymous class (a {@code class_name} that is not a Java name).
   */
  private static String lostInConfig(Object value, String path) {
    if (value instanceof Map<?, ?> map) {
      if (map.get("class_name") instanceof String className && !className.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        return path.isEmpty() ? "class" : path;
      }
      boolean activationLayer = "Activation".equals(map.get("class_name"));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (e.getValue() == null && !activationLayer && (key.equals("activation") || key.endsWith("_activation"))) {
          return key;
        }
        String lost = lostInConfig(e.getValue(), key.equals("config") ? path : path.isEmpty() ? key : path + "." + key);
        if (lost != null) {
          return lost;
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        String lost = lostInConfig(item, path);
        if (lost != null) {
          return lost;
        }
      }
    }
    return null;
  }

  /** A copy of a saved layer spec whose layers (this one and nested ones) are named {@code prefix + name}. */
  private static Object renamed(Object value, String prefix) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      boolean layerSpec = map.get("class_name") instanceof String && map.get("config") instanceof Map<?, ?> c
          && c.get("name") instanceof String;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = renamed(e.getValue(), prefix);
        if (layerSpec && "config".equals(e.getKey()) && v instanceof Map<?, ?> config) {
          @SuppressWarnings("unchecked")
          Map<String, Object> named = (Map<String, Object>) config;
          named.put("name", Backend.uniqueName(prefix + named.get("name")));
        }
        out.put(String.valueOf(e.getKey()), v);
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object v : list) {
        out.add(renamed(v, prefix));
      }
      return out;
    }
    return value;
  }

  /** The sequence's shape checked; returns its features (channels for ConvLSTM). */
  private long checkSequence(Shape s) {
    return layer instanceof ConvLSTM c ? c.checkSequenceShape(s) : BaseRnn.checkSequenceShape(name(), s);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    long inputDim = checkSequence(inputShape);
    if (baseRnn != null) {
      forward = baseRnn.createWeights((n, s, settings) -> addWeight("forward_" + n, s, settings), inputDim);
      backward = baseRnn.createWeights((n, s, settings) -> addWeight("backward_" + n, s, settings), inputDim);
    } else {
      List<Shape> step = List.of(Shape.of(inputShape.get(0), inputDim));
      forwardCell.ensureBuilt(runtime(), step);
      backwardCell.ensureBuilt(runtime(), step);
    }
    sequenceSpec = new InputSpec(null, inputShape.numDimensions(), Map.of(-1, inputDim));
  }

  /** Builds on the sequence's shape (input 0); the initial states (inputs 1..) need no weights. */
  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    build(tf, inputShapes.get(0));
  }

  /**
   * Keras's layout: nothing stored by the wrapper itself; its attributes {@code backward_layer} and
   * {@code forward_layer}, copies of the wrapped layer named {@code backward_<layer>} and {@code forward_<layer>},
   * each store their {@code cell}: for a SimpleRNN, LSTM, GRU or ConvLSTM this layer's {@code backward_*} and
   * {@code forward_*} weights ({@code layers/bidirectional/forward_layer/cell/vars/0..2}); for an {@link RNN} the copied
   * cells.
   */
  @Override
  public SavedState savedState() {
    SavedState state = SavedState.part(name(), this, List.of());
    for (String direction : List.of("backward", "forward")) {
      SavedState cell;
      if (baseRnn != null) {
        List<Weight> weights = new ArrayList<>();
        for (Weight w : ownWeights()) {
          if (w.name().startsWith(direction + "_")) {
            weights.add(w);
          }
        }
        cell = SavedState.part(baseRnn.cellName(), this, weights);
      } else {
        cell = (direction.equals("forward") ? forwardCell : backwardCell).savedState();
      }
      state.child(direction + "_layer", SavedState.part(direction + "_" + layer.name(), this, List.of())
          .child("cell", cell));
    }
    return state;
  }

  /** The spec of the sequence (input 0); the initial states are checked against both directions' states. */
  @Override
  public InputSpec inputSpec() {
    return sequenceSpec;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    checkSequence(inputShape);
    long[] dims = layer.computeOutputShape(inputShape).asArray().clone();
    if (mergeMode.equals("concat")) {
      dims[dims.length - 1] *= 2;
    }
    return Shape.of(dims);
  }

  /**
   * The output shape for the sequence (input 0), after checking it against {@link #inputSpec()} and any initial
   * states (inputs 1..): the forward layer's states, then the backward layer's.
   */
  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    Shape sequence = inputShapes.get(0);
    InitialStates.checkSequence(name(), sequenceSpec, sequence);
    if (inputShapes.size() > 1) {
      checkSequence(sequence);
      InitialStates.check(name(), sequence, inputShapes.subList(1, inputShapes.size()), stateNames(),
          stateDims(sequence));
    }
    return computeOutputShape(sequence);
  }

  /** The names of both directions' states: {@code forward_h, forward_c, backward_h, backward_c}. */
  private List<String> stateNames() {
    List<String> one = baseRnn != null ? baseRnn.stateNames() : RNN.stateNames(cellRnn.cell());
    List<String> names = new ArrayList<>();
    for (String direction : List.of("forward_", "backward_")) {
      one.forEach(n -> names.add(direction + n));
    }
    return names;
  }

  /** The shapes without batch axis of both directions' states. */
  private List<long[]> stateDims(Shape sequence) {
    List<long[]> one = baseRnn != null ? baseRnn.stateDims(sequence) : InitialStates.sizes(cellRnn.cell().stateSize());
    List<long[]> dims = new ArrayList<>(one);
    dims.addAll(one);
    return dims;
  }

  /** Both directions skip masked steps; with {@code returnSequences} masked steps output zeros, as in Keras. */
  @Override
  Operand<TFloat32> callSequence(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask,
      List<Operand<TFloat32>> initialState, boolean training) {
    List<Operand<TFloat32>> fwInit = null;
    List<Operand<TFloat32>> bwInit = null;
    if (initialState != null) {
      List<Shape> shapes = new ArrayList<>();
      initialState.forEach(s -> shapes.add(s.shape()));
      InitialStates.check(name(), inputs.shape(), shapes, stateNames(), stateDims(inputs.shape()));
      int half = initialState.size() / 2;
      fwInit = initialState.subList(0, half);
      bwInit = initialState.subList(half, initialState.size());
    }
    boolean sequences = returnSequences();
    Operand<TFloat32> y;
    Operand<TFloat32> yRev;
    List<Operand<TFloat32>> states = new ArrayList<>();
    if (baseRnn != null) {
      Unrolled fw = baseRnn.run(tf, inputs, mask, sequences, forward, false, training, baseRnn.seed(), fwInit);
      Unrolled bw = baseRnn.run(tf, inputs, mask, sequences, backward, true, training, backwardSeed, bwInit);
      y = sequences ? fw.sequence(tf, false) : fw.last();
      yRev = sequences ? bw.sequence(tf, true) : bw.last();
      states.addAll(fw.states());
      states.addAll(bw.states());
    } else {
      RNN.Run fw = RNN.run(tf, name(), forwardCell, inputs, mask, fwInit, false, sequences, training);
      RNN.Run bw = RNN.run(tf, name(), backwardCell, inputs, mask, bwInit, true, sequences, training);
      y = sequences ? tf.stack(fw.outputs(), Stack.axis(1L)) : last(fw.outputs());
      List<Operand<TFloat32>> reversed = new ArrayList<>(bw.outputs());
      Collections.reverse(reversed);
      yRev = sequences ? tf.stack(reversed, Stack.axis(1L)) : last(bw.outputs());
      states.addAll(fw.states());
      states.addAll(bw.states());
    }
    if (layer.activityRegularizer() != null) {
      addLoss(BaseRnn.activityPenalty(tf, layer.activityRegularizer(), y));
      addLoss(BaseRnn.activityPenalty(tf, layer.activityRegularizer(), yRev));
      if (returnState()) {
        for (Operand<TFloat32> state : states) {
          addLoss(BaseRnn.activityPenalty(tf, layer.activityRegularizer(), state));
        }
      }
    }
    Operand<TFloat32> out = switch (mergeMode) {
      case "concat" -> tf.concat(List.of(y, yRev), tf.constant(-1));
      case "sum" -> tf.math.add(y, yRev);
      case "mul" -> tf.math.mul(y, yRev);
      default -> tf.math.div(tf.math.add(y, yRev), tf.constant(2f));
    };
    if (returnState()) {
      recordFinalStates(out, List.copyOf(states));
    }
    return out;
  }

  private static Operand<TFloat32> last(List<Operand<TFloat32>> outputs) {
    return outputs.get(outputs.size() - 1);
  }

  /** With {@code returnSequences} the input's mask, else none. */
  @Override
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return returnSequences() ? masks.get(0) : null;
  }

  // ---------------------------------------------------------------- initial and final states

  /** As {@link #applyWithState(KerasTensor)}, starting from {@code initialState} (see {@link #apply(KerasTensor, List)}). */
  @Override
  public List<KerasTensor> applyWithState(KerasTensor input, List<KerasTensor> initialState) {
    if (!returnState()) {
      throw new IllegalStateException("Layer '" + name() + "' wraps layer '" + layer.name() + "', which was created "
          + "with returnState=false: create it with returnState(true) to get the final states");
    }
    KerasTensor out = apply(input, initialState);
    List<KerasTensor> result = new ArrayList<>();
    result.add(out);
    List<String> names = stateNames();
    List<long[]> dims = stateDims(input.shape());
    for (int i = 0; i < names.size(); i++) {
      result.add(new RnnStateOutput(this, this::finalState, i, dims.get(i), name() + "_state_" + names.get(i))
          .apply(out));
    }
    return result;
  }

  // ---------------------------------------------------------------- accessors and config

  /** The wrapped layer (the template of both directions). */
  public Layer layer() {
    return layer;
  }

  /** The merge mode. */
  public String mergeMode() {
    return mergeMode;
  }

  /** The wrapped layer's {@code returnSequences}. */
  public boolean returnSequences() {
    return baseRnn != null ? baseRnn.returnSequences() : cellRnn.returnSequences();
  }

  /** The wrapped layer's {@code returnState}: whether {@link #applyWithState} is enabled. */
  @Override
  public boolean returnState() {
    return baseRnn != null ? baseRnn.returnState() : cellRnn.returnState();
  }

  /** {@code layer} (the wrapped layer's config) and {@code merge_mode}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    // Keras's serialize(layer): the class name tells which recurrent layer to rebuild.
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("class_name", layer.getClass().getSimpleName());
    inner.put("config", layer.getConfig());
    c.put("layer", inner);
    c.put("merge_mode", mergeMode);
    return c;
  }
}
