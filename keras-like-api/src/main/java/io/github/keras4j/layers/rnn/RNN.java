package io.github.keras4j.layers.rnn;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Runs any {@link RnnCell} over the time axis of {@code (batch, timesteps, features)} inputs, as Keras's
 * {@code RNN} layer: the built-in cells ({@link SimpleRNNCell}, {@link LSTMCell}, {@link GRUCell}), a
 * {@link StackedRNNCells}, or a cell written in Java. The states start at zeros; each step feeds the cell the step's
 * inputs and the previous states.
 *
 * <p>Output {@code (batch, outputSize)}, the last step's output, or {@code (batch, timesteps, outputSize)} with
 * {@code returnSequences}; with {@code returnState}, {@link #applyWithState} also returns the final states
 * {@code (batch, size)}, one per entry of the cell's {@link RnnCell#stateSize()}. {@code goBackwards} processes the
 * steps from last to first (and returns the sequence in processing order, as Keras). Given a mask
 * {@code (batch, timesteps)}, a masked step keeps the states and repeats the previous output (zeros before the first
 * real step), or outputs zeros with {@code zeroOutputForMask}; with {@code returnSequences} the output keeps the mask.
 *
 * <pre>{@code
 * new RNN(new LSTMCell(32));                                  // as new LSTM(32)
 * RNN.builder(new GRUCell(16)).returnSequences(true).build();
 * new RNN(List.of(new LSTMCell(32), new LSTMCell(16)));       // a StackedRNNCells
 * }</pre>
 *
 * <p>Differences from Keras: the loop is always unrolled statically (Keras's {@code unroll=True}; TensorFlow Java has
 * no usable gradient for a symbolic loop), so the number of time steps must be known (see {@link BaseRnn} for graph
 * sizes); no {@code stateful} and no {@code constants} (Keras 3's {@code RNN.call} has none either);
 * {@code initial_state} is {@link #apply(KerasTensor, List)}; states are flat {@code (batch,
 * size)} tensors; the cell's weights are named after the cell ({@code lstm_cell/kernel}; Keras:
 * {@code rnn/lstm_cell/kernel}). {@code RNN(new LSTMCell(n))} never runs on TensorFlow's fused kernel, which
 * {@link LSTM} uses: both compute the same results to float rounding.
 */
public class RNN extends RecurrentLayer {

  private final RnnCell cell;
  private final boolean returnSequences;
  private final boolean returnState;
  private final boolean goBackwards;
  private final boolean zeroOutputForMask;
  /** The sequence's (input 0's) spec; the initial states, inputs 1.., are checked by {@link InitialStates}. */
  private InputSpec sequenceSpec;

  /** Runs {@code cell}, returning the last output. */
  public RNN(RnnCell cell) {
    this(builder(cell));
  }

  /** Runs the cells as one {@link StackedRNNCells}, as Keras's {@code RNN([cell1, cell2])}. */
  public RNN(List<? extends RnnCell> cells) {
    this(builder(new StackedRNNCells(cells, null)));
  }

  private RNN(Builder b) {
    super(b.name);
    if (b.cell == null) {
      throw new IllegalArgumentException("Layer '" + name() + "': argument `cell` should be an RnnCell (e.g. new "
          + "LSTMCell(32)) or a list of cells. Received: cell=null");
    }
    List<Integer> sizes = b.cell.stateSize();
    if (sizes == null || sizes.isEmpty() || sizes.stream().anyMatch(s -> s == null || s <= 0)
        || b.cell.outputSize() <= 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': the cell '" + b.cell.name() + "' must have at "
          + "least one state and positive state and output sizes. Received: stateSize=" + sizes + ", outputSize="
          + b.cell.outputSize());
    }
    this.cell = trackLayer(b.cell);
    this.returnSequences = b.returnSequences;
    this.returnState = b.returnState;
    this.goBackwards = b.goBackwards;
    this.zeroOutputForMask = b.zeroOutputForMask;
    this.sequenceSpec = new InputSpec(null, 3, Map.of());
    setSupportsMasking(true);
  }

  /** Keras's attribute {@code cell}: the cell's weights are saved under {@code .../cell/vars}. */
  @Override
  public Map<String, Layer> savedChildren() {
    return Map.of("cell", cell);
  }

  /** A builder for the optional settings. */
  public static Builder builder(RnnCell cell) {
    return new Builder(cell);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    BaseRnn.checkSequenceShape(name(), inputShape);
    return returnSequences ? Shape.of(inputShape.get(0), inputShape.get(1), cell.outputSize())
        : Shape.of(inputShape.get(0), cell.outputSize());
  }

  /**
   * The output shape for the sequence (input 0), after checking it against {@link #inputSpec()} and any initial
   * states (inputs 1..) against the cell's {@link RnnCell#stateSize()}: one {@code (batch, size)} tensor per state.
   */
  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    Shape sequence = inputShapes.get(0);
    InitialStates.checkSequence(name(), sequenceSpec, sequence);
    if (inputShapes.size() > 1) {
      BaseRnn.checkSequenceShape(name(), sequence);
      InitialStates.check(name(), sequence, inputShapes.subList(1, inputShapes.size()), stateNames(cell),
          InitialStates.sizes(cell.stateSize()));
    }
    return computeOutputShape(sequence);
  }

  /** The states' names for messages: {@code state_0}, {@code state_1}, ... */
  static List<String> stateNames(RnnCell cell) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < cell.stateSize().size(); i++) {
      names.add("state_" + i);
    }
    return names;
  }

  /**
   * The spec of the sequence (input 0), checked when the layer is called; the initial states are checked against
   * the cell's states instead.
   */
  @Override
  public InputSpec inputSpec() {
    return sequenceSpec;
  }

  /** Builds the cell on one step's shape {@code (batch, features)}. */
  @Override
  protected void build(Ops tf, Shape inputShape) {
    long features = BaseRnn.checkSequenceShape(name(), inputShape);
    cell.ensureBuilt(runtime(), List.of(Shape.of(inputShape.get(0), features)));
    sequenceSpec = new InputSpec(null, 3, Map.of(-1, features));
  }

  /** Builds on the sequence's shape (input 0); the initial states (inputs 1..) need no weights. */
  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    build(tf, inputShapes.get(0));
  }

  @Override
  Operand<TFloat32> callSequence(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask,
      List<Operand<TFloat32>> initialState, boolean training) {
    Run run = run(tf, name(), cell, inputs, mask, initialState, goBackwards, zeroOutputForMask, training);
    List<Operand<TFloat32>> outputs = run.outputs();
    List<Operand<TFloat32>> states = run.states();
    int timesteps = outputs.size();
    Operand<TFloat32> out = returnSequences ? tf.stack(outputs, Stack.axis(1L)) : outputs.get(timesteps - 1);
    if (returnState) {
      recordFinalStates(out, states);
    }
    return out;
  }

  /**
   * The result of running a cell over a sequence.
   *
   * @param outputs each step's output, in processing order (reversed time order when going backwards)
   * @param states the final states
   */
  record Run(List<Operand<TFloat32>> outputs, List<Operand<TFloat32>> states) {}

  /**
   * Runs {@code cell} over {@code inputs} {@code (batch, timesteps, features)}; used by this layer and by both
   * directions of {@link Bidirectional}.
   *
   * @param layerName the calling layer, for messages
   * @param mask {@code (batch, timesteps)} or null
   * @param initialState the states before the first step (checked against the cell), or null for zeros
   * @param backwards whether to process the steps from last to first
   * @param zeroOutputForMask whether masked steps output zeros instead of repeating the previous output
   */
  static Run run(Ops tf, String layerName, RnnCell cell, Operand<TFloat32> inputs, Operand<TBool> mask,
      List<Operand<TFloat32>> initialState, boolean backwards, boolean zeroOutputForMask, boolean training) {
    if (initialState != null) {
      List<Shape> shapes = new ArrayList<>();
      initialState.forEach(s -> shapes.add(s.shape()));
      InitialStates.check(layerName, inputs.shape(), shapes, stateNames(cell), InitialStates.sizes(cell.stateSize()));
    }
    int timesteps = (int) inputs.shape().get(1);
    Operand<TInt32> batch = Shapes.dims(tf, inputs, 0, 1);
    List<Operand<TFloat32>> xs = new ArrayList<>(tf.unstack(inputs, (long) timesteps, Unstack.axis(1L)).output());
    List<Operand<TFloat32>> stepMasks = mask == null ? null : stepMasks(tf, layerName, mask, timesteps);
    cell.beginSequence(tf, batch, training);
    List<Operand<TFloat32>> states = initialState == null ? cell.zeroStates(tf, batch) : List.copyOf(initialState);
    Operand<TFloat32> previous = mask == null ? null : RnnCell.zeros(tf, batch, cell.outputSize());
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int i = 0; i < timesteps; i++) {
      int t = backwards ? timesteps - 1 - i : i;
      RnnCell.Output o = checked(layerName, cell, cell.step(tf, xs.get(t), states, training));
      if (stepMasks == null) {
        states = o.states();
        outputs.add(o.output());
      } else {
        // Real steps take the new states and output, masked ones keep the old: m * new + (1 - m) * old.
        Operand<TFloat32> m = stepMasks.get(t);
        Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), m);
        List<Operand<TFloat32>> blended = new ArrayList<>();
        for (int k = 0; k < states.size(); k++) {
          blended.add(tf.math.add(tf.math.mul(m, o.states().get(k)), tf.math.mul(keep, states.get(k))));
        }
        states = blended;
        previous = tf.math.add(tf.math.mul(m, o.output()), tf.math.mul(keep, previous));
        outputs.add(zeroOutputForMask ? tf.math.mul(m, previous) : previous);
      }
    }
    return new Run(outputs, List.copyOf(states));
  }

  /** Each step's mask as 0/1 floats {@code (batch, 1)}, checked against the inputs. */
  private static List<Operand<TFloat32>> stepMasks(Ops tf, String layerName, Operand<TBool> mask, int timesteps) {
    Shape ms = mask.shape();
    if (ms.numDimensions() != 2 || (ms.get(1) >= 0 && ms.get(1) != timesteps)) {
      throw new IllegalArgumentException("Layer '" + layerName + "': the mask must have shape (batch, timesteps) = "
          + "(None, " + timesteps + "). Received a mask of shape " + format(ms));
    }
    Operand<TFloat32> f = tf.expandDims(tf.dtypes.cast(mask, TFloat32.class), tf.constant(-1));
    return new ArrayList<>(tf.unstack(f, (long) timesteps, Unstack.axis(1L)).output());
  }

  /**
   * Checks one step's result against the cell's declared sizes, naming the layer: as many states as
   * {@link RnnCell#stateSize()}, each {@code (batch, size)}, and an output {@code (batch, outputSize)}.
   */
  static RnnCell.Output checked(String layerName, RnnCell cell, RnnCell.Output out) {
    String where = "Layer '" + layerName + "': cell '" + cell.name() + "' ";
    if (out == null || out.output() == null) {
      throw new IllegalArgumentException(where + "returned no output from step()");
    }
    List<Integer> sizes = cell.stateSize();
    if (out.states().size() != sizes.size()) {
      throw new IllegalArgumentException(where + "declares " + sizes.size() + " states (stateSize=" + sizes
          + ") but its step returned " + out.states().size());
    }
    checkSize(where + "output", out.output(), cell.outputSize());
    for (int k = 0; k < sizes.size(); k++) {
      checkSize(where + "state " + k, out.states().get(k), sizes.get(k));
    }
    return out;
  }

  private static void checkSize(String what, Operand<TFloat32> x, int size) {
    Shape s = x.shape();
    if (s.numDimensions() != 2 || (s.get(1) >= 0 && s.get(1) != size)) {
      throw new IllegalArgumentException(what + " should have shape (batch, " + size + "), but has shape "
          + format(s));
    }
  }

  /** With {@code returnSequences} the input's mask, else none (Keras's RNN.compute_mask). */
  @Override
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return returnSequences ? masks.get(0) : null;
  }

  // ---------------------------------------------------------------- returnState

  /**
   * As {@link #applyWithState(KerasTensor)}, starting from {@code initialState} (see {@link #apply(KerasTensor,
   * List)}).
   *
   * @throws IllegalStateException if the layer was built without {@code returnState(true)}
   * @throws IllegalArgumentException if the initial states do not match the cell's states
   */
  @Override
  public List<KerasTensor> applyWithState(KerasTensor input, List<KerasTensor> initialState) {
    if (!returnState) {
      throw new IllegalStateException("Layer '" + name() + "' was created with returnState=false: create it with "
          + "RNN.builder(cell).returnState(true) to get its final states");
    }
    KerasTensor out = apply(input, initialState);
    List<KerasTensor> result = new ArrayList<>();
    result.add(out);
    List<Integer> sizes = cell.stateSize();
    for (int i = 0; i < sizes.size(); i++) {
      result.add(new RnnStateOutput(this, returnSequences, this::finalState, i, sizes.get(i),
          name() + "_state_" + i).apply(out));
    }
    return result;
  }

  // ---------------------------------------------------------------- accessors and config

  /** The cell run at every step. */
  public RnnCell cell() {
    return cell;
  }

  /** Whether the layer returns the whole output sequence. */
  public boolean returnSequences() {
    return returnSequences;
  }

  /** Whether {@link #applyWithState} is enabled. */
  @Override
  public boolean returnState() {
    return returnState;
  }

  /** Whether the sequence is processed from the last step to the first. */
  public boolean goBackwards() {
    return goBackwards;
  }

  /** Whether masked steps output zeros instead of repeating the previous output. */
  public boolean zeroOutputForMask() {
    return zeroOutputForMask;
  }

  /** Keras's keys: {@code cell} ({@code {"class_name", "config"}}), the sequence settings. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("cell", serialize(cell));
    c.put("return_sequences", returnSequences);
    c.put("return_state", returnState);
    c.put("go_backwards", goBackwards);
    c.put("stateful", false);
    c.put("unroll", true);
    c.put("zero_output_for_mask", zeroOutputForMask);
    return c;
  }

  /** Keras's spec of a nested cell: {@code {"class_name": ..., "config": {...}}}. */
  static Map<String, Object> serialize(RnnCell cell) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("class_name", cell.className());
    spec.put("config", cell.getConfig());
    return spec;
  }

  /** Optional settings of {@link RNN}, with Keras's defaults. */
  public static final class Builder {
    private final RnnCell cell;
    private String name;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean zeroOutputForMask;

    private Builder(RnnCell cell) {
      this.cell = cell;
    }

    /** The layer's name; default generated ({@code rnn}, {@code rnn_1}, ...). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Return the whole output sequence instead of the last output; default false. */
    public Builder returnSequences(boolean returnSequences) {
      this.returnSequences = returnSequences;
      return this;
    }

    /** Enable {@link RNN#applyWithState}; default false. */
    public Builder returnState(boolean returnState) {
      this.returnState = returnState;
      return this;
    }

    /** Process the sequence backwards and return the reversed sequence; default false. */
    public Builder goBackwards(boolean goBackwards) {
      this.goBackwards = goBackwards;
      return this;
    }

    /** Masked steps output zeros instead of repeating the previous output; default false. */
    public Builder zeroOutputForMask(boolean zeroOutputForMask) {
      this.zeroOutputForMask = zeroOutputForMask;
      return this;
    }

    /** The layer. */
    public RNN build() {
      return new RNN(this);
    }
  }
}
