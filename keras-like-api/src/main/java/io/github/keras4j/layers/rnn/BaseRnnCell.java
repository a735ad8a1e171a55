package io.github.keras4j.layers.rnn;

import io.github.keras4j.activations.ActivationFunction;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.InputSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The base of the built-in cells {@link SimpleRNNCell}, {@link LSTMCell} and {@link GRUCell}: the weights
 * {@code kernel (features, gates * units)}, {@code recurrent_kernel (units, gates * units)} and {@code bias}, the
 * dropout masks, and one step computed by the same code as the layers {@link SimpleRNN}, {@link LSTM} and
 * {@link GRU} ({@link #stepMaths}): the step's inputs go through the kernel (under their dropout masks) and the input
 * bias, then the layer's step maths takes over with the recurrent kernel and masks in a {@link StepContext}.
 *
 * <p>Dropout as the layers (see {@link BaseRnn}): masks drawn once per sequence in {@link #beginSequence} and kept for
 * every step, one per gate with {@code recurrentDropout > 0}, from the cell's {@code seed}; a cell and a layer with
 * the same settings and seed draw the same masks.
 */
public abstract class BaseRnnCell extends RnnCell {

  private final CellSettings settings;
  private final int units;
  private long inputDim = -1;
  private GraphVariable kernel;
  private GraphVariable recurrentKernel;
  private GraphVariable bias;
  /** What the steps of the current sequence share; set by {@link #beginSequence}. */
  private Sequence sequence;

  /** The per-sequence context and input dropout masks (empty without input dropout). */
  private record Sequence(StepContext context, List<Operand<TFloat32>> inputMasks) {}

  /** Validates and stores the builder's settings. */
  protected BaseRnnCell(CellBuilder<?> b) {
    super(b.layerName());
    if (b.units <= 0) {
      throw new IllegalArgumentException("Cell '" + name() + "': received an invalid value for argument `units`, "
          + "expected a positive integer, got " + b.units + ".");
    }
    if (b.activityPenalty() != null) {
      throw new IllegalArgumentException("Cell '" + name() + "': a cell has no activity regularizer (it is "
          + "never applied to the RNN's output); remove activityRegularizer(...)");
    }
    this.settings = new CellSettings(b);
    this.units = b.units;
    setInputSpec(new InputSpec(null, 2, Map.of()));
  }

  // ---------------------------------------------------------------- what a cell defines

  /** Number of gates in the kernels: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
  protected abstract int gates();

  /**
   * The layer's step maths: the new states from this step's projected inputs {@code x} ({@code (batch, gates *
   * units)}, input bias added), the previous states and the context; the first state is the output.
   */
  protected abstract List<Operand<TFloat32>> stepMaths(Ops tf, Operand<TFloat32> x, List<Operand<TFloat32>> states,
      StepContext context);

  /** The bias shape; default {@code (gates * units)}. */
  protected Shape biasShape() {
    return Shape.of((long) gates() * units);
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

  /** One state of {@code units}, by default. */
  @Override
  public List<Integer> stateSize() {
    return List.of(units);
  }

  // ---------------------------------------------------------------- weights and steps

  @Override
  protected void build(Ops tf, Shape inputShape) {
    if (inputShape.numDimensions() != 2 || inputShape.get(1) < 0) {
      throw new IllegalArgumentException("Cell '" + name() + "' expects one time step of shape (batch, features) "
          + "with known features, but received input with shape " + format(inputShape));
    }
    inputDim = inputShape.get(1);
    BaseRnn.CellWeights w = settings.createWeights(this::addWeight, Shape.of(inputDim, (long) gates() * units),
        Shape.of(units, (long) gates() * units), biasShape(), biasInitializerForBuild());
    kernel = w.kernel();
    recurrentKernel = w.recurrentKernel();
    bias = w.bias();
    setInputSpec(new InputSpec(null, 2, Map.of(-1, inputDim)));
  }

  /** Splits the recurrent kernel by gate and draws this sequence's dropout masks (in training). */
  @Override
  public void beginSequence(Ops tf, Operand<TInt32> batch, boolean training) {
    sequence = newSequence(tf, batch, training);
  }

  private Sequence newSequence(Ops tf, Operand<TInt32> batch, boolean training) {
    float dropout = settings.dropout;
    float recurrentDropout = settings.recurrentDropout;
    int count = recurrentDropout > 0 ? gates() : 1;
    boolean dropInputs = training && dropout > 0 && dropout < 1;
    boolean dropState = training && recurrentDropout > 0 && recurrentDropout < 1;
    List<Operand<TFloat32>> inputMasks = dropInputs
        ? BaseRnn.dropoutMasks(tf, batch, new long[] {inputDim}, dropout, count, settings.seed, 0)
        : List.of();
    List<Operand<TFloat32>> stateMasks = dropState
        ? BaseRnn.dropoutMasks(tf, batch, new long[] {units}, recurrentDropout, count, settings.seed, count)
        : List.of();
    Operand<TFloat32> b = bias == null ? null : bias.value();
    StepContext context = new StepContext(tf, recurrentKernel.value(), gates(),
        b == null ? null : recurrentBias(tf, b), stateMasks, (o, state, k) -> o.linalg.matMul(state, k));
    return new Sequence(context, inputMasks);
  }

  /**
   * The step's inputs (under their dropout masks) through the kernel plus the input bias, then the layer's step
   * maths; the output is the first new state. Without {@link #beginSequence} (a direct call), no dropout.
   */
  @Override
  public Output step(Ops tf, Operand<TFloat32> input, List<Operand<TFloat32>> states, boolean training) {
    if (kernel == null) {
      throw new IllegalStateException("Cell '" + name() + "' is not built: run it inside an RNN layer");
    }
    Sequence s = sequence != null ? sequence : newSequence(tf, null, false);
    Operand<TFloat32> k = kernel.value();
    Operand<TFloat32> x;
    List<Operand<TFloat32>> masks = s.inputMasks();
    if (masks.isEmpty()) {
      x = tf.linalg.matMul(input, k);
    } else if (masks.size() == 1) {
      x = tf.linalg.matMul(tf.math.mul(input, masks.get(0)), k);
    } else {
      List<? extends Operand<TFloat32>> kernels = tf.split(tf.constant(1), k, (long) masks.size()).output();
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (int i = 0; i < masks.size(); i++) {
        parts.add(tf.linalg.matMul(tf.math.mul(input, masks.get(i)), kernels.get(i)));
      }
      x = tf.concat(parts, tf.constant(1));
    }
    if (bias != null) {
      x = tf.nn.biasAdd(x, inputBias(tf, bias.value()));
    }
    List<Operand<TFloat32>> next = stepMaths(tf, x, states, s.context());
    return new Output(next.get(0), next);
  }

  // ---------------------------------------------------------------- accessors and config

  /** Number of units (the size of the output and of each state). */
  public int units() {
    return units;
  }

  /** The activation of the candidate state and output. */
  protected ActivationFunction activation() {
    return settings.activation;
  }

  /** The input dropout rate. */
  public float dropout() {
    return settings.dropout;
  }

  /** The recurrent dropout rate. */
  public float recurrentDropout() {
    return settings.recurrentDropout;
  }

  /** The dropout masks' seed. */
  public long seed() {
    return settings.seed;
  }

  /** The {@code kernel} variable, after build. */
  public GraphVariable kernel() {
    return kernel;
  }

  /** The {@code recurrent_kernel} variable, after build. */
  public GraphVariable recurrentKernel() {
    return recurrentKernel;
  }

  /** The {@code bias} variable, after build (null without bias). */
  public GraphVariable bias() {
    return bias;
  }

  /** Keras's cell config keys: {@code units}, {@code activation}, {@code use_bias}, the weights', dropout, seed. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    settings.putWeightConfig(c);
    settings.putDropoutConfig(c);
    return c;
  }
}
