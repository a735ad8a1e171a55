package io.github.keras4j.layers.rnn;

import io.github.keras4j.activations.ActivationFunction;
import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.SavedState;
import io.github.keras4j.layers.WeightSettings;
import io.github.keras4j.layers.regularization.Noise;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.ArrayList;
import java.util.Collections;
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
 * The base of {@link SimpleRNN}, {@link LSTM} and {@link GRU}: a layer that runs a cell over the time axis of
 * {@code (batch, timesteps, features)} inputs, as Keras's {@code RNN} layer with its built-in cells.
 *
 * <p>A subclass says how many gates its kernels hold ({@link #gates()}: 1, 4, 3), how many states it carries
 * ({@link #stateNames()}) and what one time step computes ({@link #step}); this class creates the weights
 * {@code kernel (features, gates * units)}, {@code recurrent_kernel (units, gates * units)} and {@code bias}, draws
 * the dropout masks and unrolls the sequence, unless the subclass's {@link #fused fused kernel} takes the call.
 *
 * <p>{@link ConvLSTM} ({@link ConvLSTM1D}, {@link ConvLSTM2D}, {@link ConvLSTM3D}) runs on the same machinery with
 * feature maps for steps and states: it gives its kernels' shapes ({@link #kernelShape}, {@link
 * #recurrentKernelShape}), the states' shape ({@link #stateShape}), and convolutions for the products with the
 * kernels ({@link #inputProjection}, {@link #recurrentProjection}); the time loop, masking, dropout masks,
 * {@code returnSequences} and {@code returnState} are this class's.
 *
 * <h2>Static unrolling</h2>
 * Without a fused kernel, the sequence is unrolled in the graph, as Keras's {@code unroll=True}: TensorFlow's functional while loop has no
 * usable gradient in TF Java (building it aborts the JVM). So the number of time steps must be known when the layer
 * is called ({@code Input.of(20, 7)}; a shape with an unknown time axis is rejected with an error), and the graph grows
 * linearly with it. The inputs of all steps go through the kernel in one {@code MatMul} before the loop; each step
 * then adds one recurrent {@code MatMul} and its gate ops (13 ops per LSTM step), and the gradients and the
 * optimizer several times that: a model {@code LSTM(32)} over 120 steps, {@code Dense(1)}, Adam has about 8,300 ops in
 * its training graph (70 per step). Building that graph and the first training steps take seconds (5-7 s for the
 * first 5 steps of that model on 2 CPU cores); later steps cost what the arithmetic costs (about 35 ms at batch 256,
 * the same as the LSTM unrolled by hand on TF Java: {@code bench --workload lstm}). Both grow linearly with the sequence
 * length: sequences of thousands of steps are better cut into windows.
 *
 * <h2>Fused kernels</h2>
 * As Keras hands LSTM and GRU to cuDNN when it can ({@code use_cudnn="auto"}), {@link LSTM} and {@link GRU} hand a
 * call to one of TensorFlow's fused kernels when the layer and the call allow it: activation {@code "tanh"},
 * recurrent activation {@code "sigmoid"} (by id), no mask, no recurrent dropout in a training call (input dropout
 * is applied to the inputs first, with the mask the unrolled path draws, as Keras does before cuDNN); with or
 * without bias (zeros stand in), forwards or {@code goBackwards} (the time axis is reversed), with
 * {@code returnSequences}, {@code returnState} and inside {@link Bidirectional}. Other calls are unrolled; a layer
 * built with {@code useFused(false)} always unrolls and one built with {@code useFused(true)} rejects a call the
 * kernel cannot compute. Keras's weights are converted inside the graph at each call, so the variables, their
 * names, {@code getWeights()} order, checkpoints and configs are the same on both paths, and so are the results (to
 * float rounding: {@code FusedRnnTest}).
 * <ul>
 *   <li>LSTM: one {@code BlockLSTMV2} op for the whole sequence (one per slice of the batch, one slice per core, on
 *       the CPU), on the time-major inputs with
 *       {@code w = [kernel; recurrent_kernel]} (its gate order i, f, c, o is Keras's), and one
 *       {@code BlockLSTMGradV2} op for its gradient. The graph no longer grows with the sequence: the forward pass of
 *       {@code LSTM(32)} over 120 steps is 28 ops instead of 1,579, and the training graph of the model above 316
 *       ops instead of 8,328 (408 with two batch slices), and its first fit (5 steps, graph building included)
 *       takes 0.4 s instead of 3.3 s. TensorFlow's CPU kernel loops over time on one thread, so the batch is cut into
 *       one slice per core, each its own op: on an idle 2-core CPU a training step at batch 256 takes 13-17 ms
 *       against 22-30 ms for the LSTM unrolled by hand, 1.7-1.8x ({@code bench --workload lstm}).
 *   <li>GRU: only {@code resetAfter(false)} (TensorFlow's {@code GRUBlockCell} applies the reset gate before the
 *       recurrent kernel and cannot express Keras's default {@code resetAfter=true}), and one op per step, so the
 *       graph still grows with the sequence, by fewer ops per step: {@code GRU(32)} over 120 steps, {@code Dense(1)},
 *       Adam has 1,972 ops in its training graph instead of 12,402, its first 5 steps take 1.2 s instead of 6.5 s,
 *       and a step at batch 256 about 26 ms instead of 34 ms (2 CPU cores, lightly shared).
 * </ul>
 * The gradients of both kernels are registered by {@link io.github.keras4j.graph.RnnGradients}.
 *
 * <h2>Dropout</h2>
 * {@code dropout} masks the inputs and {@code recurrentDropout} the previous state, with masks drawn once per call
 * and kept for every time step (Keras's {@code DropoutRNNCell}); LSTM and GRU draw one mask per gate when
 * {@code recurrentDropout > 0}, as Keras's implementation 1. Masks apply in training only. As in Keras, rates are
 * clamped to [0, 1]; a rate of exactly 1 drops nothing (as Keras's LSTM and GRU).
 *
 * <h2>Regularizers and constraints</h2>
 * As Keras: {@code kernelRegularizer}, {@code recurrentRegularizer} and {@code biasRegularizer} add their penalty of
 * the whole weight to the training loss, {@code activityRegularizer} that of the output (and, with
 * {@code returnState}, of each final state) divided by the batch size; {@code kernelConstraint},
 * {@code recurrentConstraint} and {@code biasConstraint} project the weights after every optimizer update. All are
 * unset by default. {@link Bidirectional} applies them to both directions.
 *
 * <h2>Masking</h2>
 * Given a mask ({@code (batch, timesteps)}, e.g. from {@code Embedding(maskZero=true)} or {@code Masking}), a step
 * whose mask is false leaves the states unchanged and repeats the previous output (zeros before the first real
 * step), as Keras's RNN: the last output is the one of the last real step. With {@code returnSequences} the output
 * keeps the mask for later layers; without it the mask ends here. Inside {@link Bidirectional} with
 * {@code returnSequences}, masked steps output zeros (Keras forces {@code zero_output_for_mask} there). Without a
 * mask the graph has no masking ops at all.
 *
 * <h2>Initial states</h2>
 * As Keras's {@code initial_state}, {@link #apply(KerasTensor, List)} starts the recurrence from given states instead
 * of zeros ({@link #applyWithState(KerasTensor, List)} with {@code returnState}): the states become the call's
 * inputs after the sequence, are checked against the layer's states (number and shape, with the layer's name and
 * both shapes in the error), take part in masking (a masked step keeps them; masked steps before the first real one
 * output zeros, as Keras) and receive gradients. The fused kernels take them too.
 *
 * <h2>Differences from Keras</h2>
 * <ul>
 *   <li>Weights are named {@code lstm/kernel}, {@code lstm/recurrent_kernel}, {@code lstm/bias} (Keras:
 *       {@code lstm/lstm_cell/kernel}); names, shapes, gate order and {@code get_weights()} order are Keras's.
 *   <li>No {@code stateful}; unrolled or fused, never a symbolic loop; no cuDNN
 *       ({@code useFused} plays {@code use_cudnn}'s part).
 *   <li>{@code returnState}: {@link #apply(KerasTensor)} returns the output only (a layer call gives one tensor);
 *       {@link #applyWithState(KerasTensor)} returns the output and the final states.
 * </ul>
 */
public abstract class BaseRnn extends RecurrentLayer {

  private final CellSettings settings;
  private final boolean returnSequences;
  private final boolean returnState;
  private final boolean goBackwards;
  private CellWeights cell;
  /** The sequence's (input 0's) spec; the initial states, inputs 1.., are checked by {@link InitialStates}. */
  private InputSpec sequenceSpec;

  /** Validates and stores the builder's settings. */
  protected BaseRnn(RnnBuilder<?> b) {
    super(b.layerName());
    if (b.units <= 0) {
      throw new IllegalArgumentException("Received an invalid value for argument `" + b.unitsArgument
          + "`, expected a positive integer, got " + b.units + ".");
    }
    this.settings = new CellSettings(b);
    setActivityRegularizer(b.activityPenalty());
    this.returnSequences = b.returnSequences;
    this.returnState = b.returnState;
    this.goBackwards = b.goBackwards;
    this.sequenceSpec = new InputSpec(null, 3, Map.of());
    setSupportsMasking(true);
  }

  // ---------------------------------------------------------------- what a cell defines

  /** Number of gates in the kernels: 1 (SimpleRNN), 4 (LSTM: i, f, c, o), 3 (GRU: z, r, h). */
  protected abstract int gates();

  /** Names of the states, output state first: {@code ["h"]}, or {@code ["h", "c"]} for LSTM. */
  protected abstract List<String> stateNames();

  /**
   * One time step.
   *
   * @param x this step's inputs projected by the kernel (dropout applied) plus the input bias,
   *     {@code (batch, gates * units)}
   * @param states the previous states, each {@code (batch, units)}; zeros at the first step
   * @param context the recurrent kernel, recurrent bias and recurrent dropout masks
   * @return the new states; the first one is also the step's output
   */
  protected abstract List<Operand<TFloat32>> step(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states,
      StepContext context);

  /** The kernel's shape for {@code inputDim} input features; default {@code (inputDim, gates * units)}. */
  protected Shape kernelShape(long inputDim) {
    return Shape.of(inputDim, (long) gates() * settings.units);
  }

  /** The recurrent kernel's shape; default {@code (units, gates * units)}. */
  protected Shape recurrentKernelShape() {
    return Shape.of(settings.units, (long) gates() * settings.units);
  }

  /**
   * The shape of each state and of each step's output without the batch axis, for inputs of shape
   * {@code inputShape} {@code (batch, timesteps, ...)}; default {@code (units)}. {@link ConvLSTM}'s states are
   * feature maps {@code (rows, cols, filters)}.
   */
  protected long[] stateShape(Shape inputShape) {
    return new long[] {settings.units};
  }

  /**
   * The inputs of a batch of steps, {@code (n, ...)} (one step's sample shape), times the kernel (or one gate's
   * slice of it); default a {@code MatMul}. {@link ConvLSTM} convolves.
   */
  protected Operand<TFloat32> inputProjection(Ops tf, Operand<TFloat32> steps, Operand<TFloat32> kernel) {
    return tf.linalg.matMul(steps, kernel);
  }

  /**
   * A state (under a recurrent dropout mask) times the recurrent kernel (or one gate's slice of it); default a
   * {@code MatMul}. {@link ConvLSTM} convolves (stride 1, {@code "same"} padding, as Keras).
   */
  protected Operand<TFloat32> recurrentProjection(Ops tf, Operand<TFloat32> state, Operand<TFloat32> kernel) {
    return tf.linalg.matMul(state, kernel);
  }

  /** The bias shape; default {@code (gates * units)}. */
  protected Shape biasShape() {
    return Shape.of((long) gates() * settings.units);
  }

  /** The initializer the bias is created with; default {@code biasInitializer}. */
  protected Initializer biasInitializerForBuild() {
    return settings.bias.initializer();
  }

  /** The part of the bias added to the input projection; default the whole bias. */
  protected Operand<TFloat32> inputBias(Ops tf, Operand<TFloat32> bias) {
    return bias;
  }

  /** The part of the bias given to the steps as {@link StepContext#recurrentBias()}; default none. */
  protected Operand<TFloat32> recurrentBias(Ops tf, Operand<TFloat32> bias) {
    return null;
  }

  /** Number of dropout masks per kind: one per gate with recurrent dropout (Keras's implementation 1), else one. */
  protected int maskCount() {
    return settings.recurrentDropout > 0 ? gates() : 1;
  }

  // ---------------------------------------------------------------- weights

  /**
   * The weights of one direction of a recurrent layer.
   *
   * @param kernel {@code (features, gates * units)}
   * @param recurrentKernel {@code (units, gates * units)}
   * @param bias the bias, or null without bias
   */
  protected record CellWeights(GraphVariable kernel, GraphVariable recurrentKernel, GraphVariable bias) {}

  /** Creates one weight; lets {@link Bidirectional} own the weights of both directions. */
  @FunctionalInterface
  protected interface WeightFactory {
    /** Creates a trainable weight with its initializer, regularizer and constraint. */
    GraphVariable add(String name, Shape shape, WeightSettings settings);
  }

  /**
   * Creates {@code kernel} ({@link #kernelShape}), {@code recurrent_kernel} ({@link #recurrentKernelShape}) and
   * {@code bias} (names before the factory's prefix), each with its initializer, regularizer and constraint.
   */
  protected CellWeights createWeights(WeightFactory factory, long inputDim) {
    return settings.createWeights(factory, kernelShape(inputDim), recurrentKernelShape(), biasShape(),
        biasInitializerForBuild());
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    long inputDim = checkSequenceShape(inputShape);
    cell = createWeights(this::addWeight, inputDim);
    sequenceSpec = new InputSpec(null, inputShape.numDimensions(), Map.of(-1, inputDim));
  }

  /** Builds on the sequence's shape (input 0); the initial states (inputs 1..) need no weights. */
  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    build(tf, inputShapes.get(0));
  }

  /**
   * The spec of the sequence (input 0), checked when the layer is called; the initial states are checked against
   * the layer's states instead.
   */
  @Override
  public InputSpec inputSpec() {
    return sequenceSpec;
  }

  /** Sets the spec of the sequence (input 0); null for none. */
  final void setSequenceSpec(InputSpec spec) {
    this.sequenceSpec = spec;
  }

  /**
   * The output shape for the sequence (input 0), after checking it against {@link #inputSpec()} and any initial
   * states (inputs 1..) against the layer's states: one per {@link #stateNames() state}, each
   * {@code (batch, }{@link #stateShape}{@code )}.
   */
  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    Shape sequence = inputShapes.get(0);
    InitialStates.checkSequence(name(), sequenceSpec, sequence);
    if (inputShapes.size() > 1) {
      checkSequenceShape(sequence);
      InitialStates.check(name(), sequence, inputShapes.subList(1, inputShapes.size()), stateNames(),
          stateDims(sequence));
    }
    return computeOutputShape(sequence);
  }

  /** Each state's shape without the batch axis, for a sequence of shape {@code sequence}. */
  final List<long[]> stateDims(Shape sequence) {
    List<long[]> dims = new ArrayList<>();
    for (int i = 0; i < stateNames().size(); i++) {
      dims.add(stateShape(sequence));
    }
    return dims;
  }

  /**
   * Checks that the time steps and features of a {@code (batch, timesteps, features)} shape are known; called by
   * {@link #build} and {@link #computeOutputShape}. {@link ConvLSTM} checks its {@code (batch, timesteps, ...,
   * channels)} shapes.
   *
   * @return the number of features (the kernel's input size)
   */
  protected long checkSequenceShape(Shape s) {
    return checkSequenceShape(name(), s);
  }

  /** As {@link #checkSequenceShape(Shape)}, naming {@code layerName} in the error. */
  static long checkSequenceShape(String layerName, Shape s) {
    if (s.numDimensions() != 3) {
      throw new IllegalArgumentException("Input 0 of layer '" + layerName + "' is incompatible with the layer: "
          + "expected ndim=3, found ndim=" + s.numDimensions() + ". Full shape received: " + format(s));
    }
    checkTimeSteps(layerName, s, "Input.of(20, 7)");
    if (s.get(2) < 0) {
      throw new IllegalArgumentException("Layer '" + layerName + "': the last dimension of the inputs to a "
          + "recurrent layer should be defined. Found None. Full input shape received: " + format(s));
    }
    return s.get(2);
  }

  /**
   * Checks that the time axis (axis 1) of {@code s} is known: the layers unroll over it.
   *
   * @param example an {@code Input} with a fixed number of steps for the message ({@code "Input.of(20, 7)"})
   */
  static void checkTimeSteps(String layerName, Shape s, String example) {
    if (s.get(1) < 0) {
      throw new IllegalArgumentException("Layer '" + layerName + "' cannot unroll a RNN if the time dimension is "
          + "undefined. Received input with shape " + format(s) + ". Keras4J unrolls recurrent layers statically: "
          + "give the Input a fixed number of time steps, e.g. " + example + ".");
    }
  }

  // ---------------------------------------------------------------- computation

  /**
   * The result of running one direction over the sequence, unrolled or fused.
   *
   * @param outputs each step's output, in processing order (reversed time order when going backwards); null when
   *     a fused kernel produced {@code timeMajor} instead
   * @param timeMajor all outputs as one {@code (timesteps, batch, units)} tensor in processing order (a fused
   *     kernel's output), or null when {@code outputs} is given
   * @param states the final states
   */
  protected record Unrolled(List<Operand<TFloat32>> outputs, Operand<TFloat32> timeMajor,
      List<Operand<TFloat32>> states) {

    /** The output of the last processed step, {@code (batch, units)}. */
    public Operand<TFloat32> last() {
      return outputs != null ? outputs.get(outputs.size() - 1) : states.get(0);
    }

    /**
     * All outputs as {@code (batch, timesteps, units)}: in processing order, or flipped back to time order with
     * {@code reverse} (for the backward direction of {@link Bidirectional}).
     */
    public Operand<TFloat32> sequence(Ops tf, boolean reverse) {
      if (outputs != null) {
        List<Operand<TFloat32>> steps = outputs;
        if (reverse) {
          steps = new ArrayList<>(outputs);
          Collections.reverse(steps);
        }
        return tf.stack(steps, Stack.axis(1L));
      }
      Operand<TFloat32> seq = reverse ? tf.reverse(timeMajor, tf.constant(new int[] {0})) : timeMajor;
      return tf.linalg.transpose(seq, tf.constant(new int[] {1, 0, 2}));
    }
  }

  @Override
  Operand<TFloat32> callSequence(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask,
      List<Operand<TFloat32>> initialState, boolean training) {
    if (initialState != null) {
      checkInitialOperands(inputs, initialState);
    }
    Unrolled u = run(tf, inputs, mask, false, cell, goBackwards, training, settings.seed, initialState);
    Operand<TFloat32> out = returnSequences ? u.sequence(tf, false) : u.last();
    if (returnState) {
      recordFinalStates(out, u.states());
      // Keras's layer call returns [output, states...] and penalizes each; the output's penalty is added by Layer.
      if (activityRegularizer() != null) {
        for (Operand<TFloat32> state : u.states()) {
          addLoss(activityPenalty(tf, activityRegularizer(), state));
        }
      }
    }
    return out;
  }

  /** {@code regularizer(output)} divided by the batch size (Keras 3's activity regularization). */
  static Operand<TFloat32> activityPenalty(Ops tf, Regularizer regularizer, Operand<TFloat32> output) {
    Operand<TFloat32> batch =
        tf.dtypes.cast(tf.gather(tf.shape(output), tf.constant(0), tf.constant(0)), TFloat32.class);
    return tf.math.divNoNan(regularizer.call(tf, output), batch);
  }

  /** With {@code returnSequences} the input's mask, else none (Keras's RNN.compute_mask). */
  @Override
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return returnSequences ? masks.get(0) : null;
  }

  /** Checks operands given as initial states (a direct {@code invoke}, which skips {@link #computeOutputShape}). */
  final void checkInitialOperands(Operand<TFloat32> inputs, List<Operand<TFloat32>> initialState) {
    List<Shape> shapes = new ArrayList<>();
    initialState.forEach(s -> shapes.add(s.shape()));
    InitialStates.check(name(), inputs.shape(), shapes, stateNames(), stateDims(inputs.shape()));
  }

  /**
   * Runs one direction over {@code inputs} from zero states: with the subclass's {@link #fused fused kernel} when it
   * takes the call, else {@link #unroll unrolled}. The arguments are {@link #unroll}'s.
   */
  protected final Unrolled run(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, boolean zeroOutputForMask,
      CellWeights w, boolean backwards, boolean training, long maskSeed) {
    return run(tf, inputs, mask, zeroOutputForMask, w, backwards, training, maskSeed, null);
  }

  /**
   * As {@link #run(Ops, Operand, Operand, boolean, CellWeights, boolean, boolean, long)}, from the given initial
   * states (null for zeros).
   */
  protected final Unrolled run(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, boolean zeroOutputForMask,
      CellWeights w, boolean backwards, boolean training, long maskSeed, List<Operand<TFloat32>> initialState) {
    Unrolled fused = fused(tf, inputs, mask, w, backwards, training, maskSeed, initialState);
    return fused != null ? fused
        : unroll(tf, inputs, mask, zeroOutputForMask, w, backwards, training, maskSeed, initialState);
  }

  /**
   * The call computed by one of TensorFlow's fused recurrent kernels, or null to unroll it; by default null.
   * {@link LSTM} and {@link GRU} override this (see "Fused kernels" above). The arguments are {@link #unroll}'s.
   */
  protected Unrolled fused(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, CellWeights w, boolean backwards,
      boolean training, long maskSeed, List<Operand<TFloat32>> initialState) {
    return null;
  }

  /** {@link #unroll(Ops, Operand, Operand, boolean, CellWeights, boolean, boolean, long, List)} from zero states. */
  protected final Unrolled unroll(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, boolean zeroOutputForMask,
      CellWeights w, boolean backwards, boolean training, long maskSeed) {
    return unroll(tf, inputs, mask, zeroOutputForMask, w, backwards, training, maskSeed, null);
  }

  /**
   * Unrolls the cell over the time axis of {@code inputs} with the weights {@code w}.
   *
   * @param mask {@code (batch, timesteps)}: false steps keep the states and repeat the previous output; null for
   *     none
   * @param zeroOutputForMask whether masked steps output zeros instead of repeating the previous output
   * @param backwards whether to process the steps from last to first
   * @param training whether dropout masks apply
   * @param maskSeed the seed of the dropout masks
   * @param initialState the states before the first step, one per {@link #stateNames() state}, each
   *     {@code (batch, }{@link #stateShape}{@code )}; null for zeros (Keras's {@code initial_state})
   */
  protected final Unrolled unroll(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, boolean zeroOutputForMask,
      CellWeights w, boolean backwards, boolean training, long maskSeed, List<Operand<TFloat32>> initialState) {
    Shape s = inputs.shape();
    int timesteps = (int) s.get(1);
    // One step's sample shape, (features) or ConvLSTM's (rows, cols, channels); n steps are (n, ...) = stepsShape.
    long[] stepShape = new long[s.numDimensions() - 2];
    long[] stepsShape = new long[stepShape.length + 1];
    stepsShape[0] = -1;
    for (int i = 0; i < stepShape.length; i++) {
      stepShape[i] = s.get(i + 2);
      stepsShape[i + 1] = stepShape[i];
    }
    long[] stateShape = stateShape(s);
    int g = gates();
    Operand<TInt32> batch = Shapes.dims(tf, inputs, 0, 1);
    float dropout = settings.dropout;
    float recurrentDropout = settings.recurrentDropout;
    boolean dropInputs = training && dropout > 0 && dropout < 1;
    boolean dropState = training && recurrentDropout > 0 && recurrentDropout < 1;
    int count = maskCount();

    // All steps' inputs through the kernel at once: (batch * timesteps, features) x (features, gates * units), or
    // ConvLSTM's convolution of (batch * timesteps, rows, cols, channels); the gates are the last axis.
    Operand<TFloat32> kernel = w.kernel().value();
    int kernelGateAxis = kernel.shape().numDimensions() - 1;
    Operand<TFloat32> projected;
    if (!dropInputs) {
      projected = inputProjection(tf, tf.reshape(inputs, tf.constant(stepsShape)), kernel);
    } else {
      List<Operand<TFloat32>> masks = dropoutMasks(tf, batch, stepShape, dropout, count, maskSeed, 0);
      List<Operand<TFloat32>> kernels = count == 1 ? List.of(kernel)
          : new ArrayList<>(tf.split(tf.constant(kernelGateAxis), kernel, (long) count).output());
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        // The same (batch, features) mask at every time step.
        Operand<TFloat32> dropped = tf.math.mul(inputs, tf.expandDims(masks.get(k), tf.constant(1)));
        parts.add(inputProjection(tf, tf.reshape(dropped, tf.constant(stepsShape)), kernels.get(k)));
      }
      projected = count == 1 ? parts.get(0) : tf.concat(parts, tf.constant(stateShape.length));
    }
    Operand<TFloat32> bias = w.bias() == null ? null : w.bias().value();
    if (bias != null) {
      projected = tf.nn.biasAdd(projected, inputBias(tf, bias));
    }
    // (batch * timesteps, ..., gates * units) -> (batch, timesteps, ..., gates * units) -> one tensor per step.
    long[] perStep = projected.shape().asArray();
    long[] byTime = new long[perStep.length + 1];
    byTime[0] = -1;
    byTime[1] = timesteps;
    System.arraycopy(perStep, 1, byTime, 2, perStep.length - 1);
    List<Operand<TFloat32>> xs = new ArrayList<>(tf.unstack(
        tf.reshape(projected, tf.constant(byTime)), (long) timesteps, Unstack.axis(1L)).output());

    List<Operand<TFloat32>> stateMasks = dropState
        ? dropoutMasks(tf, batch, stateShape, recurrentDropout, count, maskSeed, count)
        : List.of();
    StepContext context = new StepContext(tf, w.recurrentKernel().value(), g,
        bias == null ? null : recurrentBias(tf, bias), stateMasks, this::recurrentProjection);
    Operand<TFloat32> zeros = tf.fill(tf.concat(List.of(batch, tf.constant(ints(stateShape))), tf.constant(0)),
        tf.constant(0f));
    List<Operand<TFloat32>> states = new ArrayList<>();
    for (int i = 0; i < stateNames().size(); i++) {
      states.add(initialState == null ? zeros : initialState.get(i));
    }
    List<Operand<TFloat32>> stepMasks = mask == null ? null : stepMasks(tf, mask, timesteps, stateShape.length);
    // From zero states the output state is the previous output; from given states masked steps before the first
    // real one still output zeros (Keras's prev_output), so the output is then tracked on its own.
    Operand<TFloat32> previous = initialState == null ? null : zeros;
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int i = 0; i < timesteps; i++) {
      int t = backwards ? timesteps - 1 - i : i;
      List<Operand<TFloat32>> next = step(tf, xs.get(t), states, context);
      if (stepMasks == null) {
        states = next;
        outputs.add(states.get(0));
      } else {
        // Real steps take the new states, masked ones keep the old: m * new + (1 - m) * old, m in {0, 1}
        // (arithmetic instead of Select, whose gradient TF Java may lack).
        Operand<TFloat32> m = stepMasks.get(t);
        Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), m);
        List<Operand<TFloat32>> blended = new ArrayList<>();
        for (int k = 0; k < next.size(); k++) {
          blended.add(tf.math.add(tf.math.mul(m, next.get(k)), tf.math.mul(keep, states.get(k))));
        }
        states = blended;
        Operand<TFloat32> out = states.get(0);
        if (previous != null) {
          previous = tf.math.add(tf.math.mul(m, next.get(0)), tf.math.mul(keep, previous));
          out = previous;
        }
        outputs.add(zeroOutputForMask ? tf.math.mul(m, out) : out);
      }
    }
    return new Unrolled(outputs, null, List.copyOf(states));
  }

  /**
   * The mask of each time step as 0/1 floats of shape {@code (batch, 1)} (one 1 per state axis: {@code (batch, 1, 1,
   * 1)} for ConvLSTM2D), checked against the inputs.
   */
  private List<Operand<TFloat32>> stepMasks(Ops tf, Operand<TBool> mask, int timesteps, int stateRank) {
    Shape ms = mask.shape();
    if (ms.numDimensions() != 2 || (ms.get(1) >= 0 && ms.get(1) != timesteps)) {
      throw new IllegalArgumentException("Layer '" + name() + "': the mask must have shape (batch, timesteps) = "
          + "(None, " + timesteps + "). Received a mask of shape " + format(ms));
    }
    Operand<TFloat32> f = tf.dtypes.cast(mask, TFloat32.class);
    for (int i = 0; i < stateRank; i++) {
      f = tf.expandDims(f, tf.constant(-1));
    }
    return new ArrayList<>(tf.unstack(f, (long) timesteps, Unstack.axis(1L)).output());
  }

  /**
   * {@code count} dropout masks of shape {@code (batch, dims...)}: 0 with probability {@code rate}, else
   * {@code 1 / (1 - rate)}; seeded, constant for the whole sequence, and no gradient flows into them.
   */
  static List<Operand<TFloat32>> dropoutMasks(Ops tf, Operand<TInt32> batch, long[] dims, float rate,
      int count, long seed, int firstIndex) {
    Operand<TInt32> shape = tf.concat(List.of(batch, tf.constant(ints(dims))), tf.constant(0));
    List<Operand<TFloat32>> masks = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      masks.add(Noise.dropoutMask(tf, shape, rate, seed, 1 + firstIndex + k));
    }
    return masks;
  }

  private static int[] ints(long[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (int) values[i];
    }
    return out;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    checkSequenceShape(inputShape);
    long[] state = stateShape(inputShape);
    int lead = returnSequences ? 2 : 1;
    long[] out = new long[lead + state.length];
    out[0] = inputShape.get(0);
    out[lead - 1] = inputShape.get(lead - 1);
    System.arraycopy(state, 0, out, lead, state.length);
    return Shape.of(out);
  }

  // ---------------------------------------------------------------- returnState

  /**
   * As {@link #applyWithState(KerasTensor)}, starting from {@code initialState} (see
   * {@link #apply(KerasTensor, List)}): Keras's {@code layer(x, initial_state=[h, c])} with {@code return_state=True},
   * the decoder of a sequence-to-sequence model at inference.
   *
   * @throws IllegalStateException if the layer was built without {@code returnState(true)}
   * @throws IllegalArgumentException if the initial states do not match the layer's states
   */
  @Override
  public List<KerasTensor> applyWithState(KerasTensor input, List<KerasTensor> initialState) {
    if (!returnState) {
      throw new IllegalStateException("Layer '" + name() + "' was created with returnState=false: create it with "
          + getClass().getSimpleName() + ".builder(...).returnState(true) to get its final states");
    }
    KerasTensor out = apply(input, initialState);
    List<KerasTensor> result = new ArrayList<>();
    result.add(out);
    for (int i = 0; i < stateNames().size(); i++) {
      result.add(new RnnStateOutput(this, i, name() + "_state_" + stateNames().get(i)).apply(out));
    }
    return result;
  }

  // ---------------------------------------------------------------- accessors and config

  /** Number of units (the size of the output and of each state). */
  public int units() {
    return settings.units;
  }

  /** The activation of the candidate state and output. */
  protected ActivationFunction activation() {
    return settings.activation;
  }

  /** The activation's Keras id ({@code "tanh"}), or null for a function that is not a built-in one. */
  String activationId() {
    return settings.activationId;
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

  /** The dropout masks' seed. */
  public long seed() {
    return settings.seed;
  }

  /** The input dropout rate. */
  public float dropout() {
    return settings.dropout;
  }

  /** The recurrent dropout rate. */
  public float recurrentDropout() {
    return settings.recurrentDropout;
  }

  /** The {@code kernel} variable, after build. */
  public GraphVariable kernel() {
    return cell == null ? null : cell.kernel();
  }

  /** The {@code recurrent_kernel} variable, after build. */
  public GraphVariable recurrentKernel() {
    return cell == null ? null : cell.recurrentKernel();
  }

  /** The {@code bias} variable, after build (null without bias). */
  public GraphVariable bias() {
    return cell == null ? null : cell.bias();
  }

  /**
   * The name of the cell Keras builds for this layer ({@code lstm_cell}, {@code gru_cell}, {@code simple_rnn_cell}),
   * under which its weights are saved.
   */
  String cellName() {
    return Backend.snakeCase(className()) + "_cell";
  }

  /**
   * Keras's layout: the layer stores nothing itself; its {@code cell} (here the layer's own weights: {@code kernel},
   * {@code recurrent_kernel}, {@code bias}) stores the weights, as {@code layers/lstm/cell/vars/0..2}.
   */
  @Override
  public SavedState savedState() {
    return SavedState.part(name(), this, List.of()).child("cell", SavedState.part(cellName(), this, ownWeights()));
  }

  /** Keras's config keys: the cell's settings, then {@code return_sequences}, {@code return_state}, ... */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    settings.putWeightConfig(c);
    c.putIfAbsent("activity_regularizer", null);
    settings.putDropoutConfig(c);
    c.put("return_sequences", returnSequences);
    c.put("return_state", returnState);
    c.put("go_backwards", goBackwards);
    c.put("stateful", false);
    c.put("unroll", true);
    return c;
  }
}
