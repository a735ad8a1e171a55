package io.github.keras4j.layers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The base class of all layers: a computation from input tensors to output tensors, holding its own weights.
 *
 * <p>A layer is used in two steps. Calling {@link #apply(KerasTensor)} on a symbolic tensor checks the input
 * against the layer's {@link InputSpec}, computes the output shape and records a {@link Node}; no TensorFlow
 * work happens. When a model needs ops, it builds the layer once in its graph ({@link #build}, which creates the
 * weights through {@link #addWeight}) and then runs {@link #call} on real operands, once per trace (training
 * and inference). A layer called twice, in one model or in two models of the same graph, shares its weights.
 *
 * <h2>Writing a layer</h2>
 * Subclass it like Keras: validate and store settings in the constructor, create weights in
 * {@link #build(Ops, Shape)}, compute in {@link #call(Ops, Operand, boolean)}, and describe the output with
 * {@link #computeOutputShape(Shape)} and the settings with {@link #getConfig()}. For example, the whole
 * {@link io.github.keras4j.layers.activations.Swish} layer is:
 *
 * <pre>{@code
 * public class Swish extends Layer {
 *   protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
 *     return tf.math.mul(inputs, tf.math.sigmoid(inputs));
 *   }
 * }
 * }</pre>
 *
 * <p>Layers whose call takes several inputs (merging layers) override the list forms of {@code build},
 * {@code call} and {@code computeOutputShape} instead.
 *
 * <h2>Masking</h2>
 * As in Keras, a layer can attach a boolean mask {@code (batch, timesteps)} to its output, saying which time steps
 * are real data ({@code true}) and which are padding: {@link io.github.keras4j.layers.core.Embedding} with
 * {@code maskZero} and {@link io.github.keras4j.layers.core.Masking} create one. When a model is traced, each
 * layer's call receives the masks of its inputs ({@link #call(Ops, Operand, Operand, boolean)}; recurrent layers
 * keep their state at masked steps, {@code GlobalAveragePooling1D} averages the unmasked steps) and, if the layer
 * {@link #supportsMasking() supports masking}, its output gets the mask {@link #computeMask} returns (by default
 * the first input's: element-wise layers such as Dense, Dropout or the activation layers pass it on). The mask of
 * a model's output weights its loss and metrics: masked steps count for nothing, and the loss is the mean over the
 * unmasked ones. A layer that does not support masking and receives a mask drops it, with a logged warning, as
 * Keras 3 does: layers after it see no mask.
 */
public abstract class Layer {

  private final String name;
  private boolean trainable = true;
  private GraphRuntime runtime;
  private boolean built;
  private final List<Weight> weights = new ArrayList<>();
  private final List<Node> inboundNodes = new ArrayList<>();
  private InputSpec inputSpec;
  private final Map<GraphVariable, Regularizer> regularizers = new LinkedHashMap<>();
  private final Map<GraphVariable, Constraint> constraints = new LinkedHashMap<>();
  private Regularizer activityRegularizer;
  private final List<Layer> trackedLayers = new ArrayList<>();
  private boolean supportsMasking;
  private volatile boolean maskDropWarned;

  /** A layer with a generated unique name ({@code dense}, {@code dense_1}, ...). */
  protected Layer() {
    this(null);
  }

  /**
   * @param name the layer's name, unique in the model; null for a generated one from the class name
   */
  protected Layer(String name) {
    if (name == null) {
      this.name = Backend.uniqueName(Backend.snakeCase(getClass().getSimpleName()));
    } else {
      if (name.isEmpty() || !name.matches("[A-Za-z0-9.][A-Za-z0-9_.\\-]*")) {
        throw new IllegalArgumentException(
            "Layer name must start with a letter, digit or '.' and contain only letters, digits, '_', '-' and '.'. "
                + "Received: name='" + name + "'");
      }
      Backend.reserveName(name);
      this.name = name;
    }
  }

  /** The layer's name; also the TensorFlow name scope of its weights and ops ({@code dense/kernel}). */
  public final String name() {
    return name;
  }

  /**
   * The class name Keras knows the layer by, in summaries and saved configs ({@code Dense}): the Java class's simple
   * name, unless the layer stands for another Keras class (a nested model is {@code Sequential} or
   * {@code Functional}).
   */
  public String className() {
    return getClass().getSimpleName();
  }

  /** Whether fit and custom steps update this layer's weights. */
  public boolean isTrainable() {
    return trainable;
  }

  /** Freezes ({@code false}) or unfreezes the layer; takes effect at the next {@code compile}. */
  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
  }

  /** Sets the spec that {@link #apply} checks inputs against. */
  protected final void setInputSpec(InputSpec spec) {
    this.inputSpec = spec;
  }

  /** The spec inputs are checked against, or null. */
  public InputSpec inputSpec() {
    return inputSpec;
  }

  // ---------------------------------------------------------------- the subclass API

  /** Creates the layer's weights for the given input shape (batch dimension -1). Default: no weights. */
  protected void build(Ops tf, Shape inputShape) {}

  /** Multi-input form of {@link #build(Ops, Shape)}; by default requires exactly one input. */
  protected void build(Ops tf, List<Shape> inputShapes) {
    build(tf, single(inputShapes));
  }

  /** The computation on one input. */
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    throw new UnsupportedOperationException(describe() + " does not implement call(Ops, Operand, boolean)");
  }

  /** Multi-input form of {@link #call(Ops, Operand, boolean)}; by default requires exactly one input. */
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, boolean training) {
    return call(tf, single(inputs), training);
  }

  /**
   * The computation on one input and its mask ({@code (batch, timesteps)}, {@code true} for real steps; null when
   * the input has none). The default ignores the mask and calls {@link #call(Ops, Operand, boolean)}; layers that
   * use the mask (recurrent layers, global average pooling) override this form.
   */
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, Operand<TBool> mask, boolean training) {
    return call(tf, inputs, training);
  }

  /**
   * Multi-input form of {@link #call(Ops, Operand, Operand, boolean)}: one mask (or null) per input. The default
   * ignores the masks and calls {@link #call(Ops, List, boolean)} (or the single-input masked form for one input).
   */
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks,
      boolean training) {
    return inputs.size() == 1 ? call(tf, inputs.get(0), masks.get(0), training) : call(tf, inputs, training);
  }

  /**
   * Whether the layer's output carries a mask computed by {@link #computeMask} (Keras's {@code supports_masking}).
   * False by default: a mask given to such a layer is dropped, with a warning.
   */
  public final boolean supportsMasking() {
    return supportsMasking;
  }

  /** Declares that the layer propagates or creates masks (Keras: {@code self.supports_masking = True}). */
  protected final void setSupportsMasking(boolean supportsMasking) {
    this.supportsMasking = supportsMasking;
  }

  /**
   * The mask of the output (Keras's {@code compute_mask}), asked only when {@link #supportsMasking()}: a
   * {@code (batch, timesteps)} boolean tensor, or null for none.
   *
   * @param inputs the call's inputs
   * @param masks one mask per input, null where an input has none
   * @return by default the first input's mask (element-wise layers pass it on)
   */
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return masks.get(0);
  }

  /** The output shape for an input shape; the default is the input shape (element-wise layers). */
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  /** Multi-input form of {@link #computeOutputShape(Shape)}. */
  public Shape computeOutputShape(List<Shape> inputShapes) {
    return computeOutputShape(single(inputShapes));
  }

  /**
   * The layer's settings with Keras's names ({@code name}, {@code trainable}, {@code units}, ...); subclasses
   * add theirs to {@code super.getConfig()}.
   */
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name);
    config.put("trainable", trainable);
    if (activityRegularizer != null) {
      config.put("activity_regularizer", Regularizers.serialize(activityRegularizer));
    }
    return config;
  }

  /**
   * Creates a weight of this layer, named {@code <layer>/<name>} in the graph. Call it from {@link #build}.
   *
   * @param trainable false for state updated otherwise (e.g. moving statistics)
   */
  protected final GraphVariable addWeight(String weightName, Shape shape, Initializer initializer, boolean trainable) {
    return addWeight(weightName, shape, initializer, trainable, null, null);
  }

  /**
   * Creates a weight with a regularizer (its penalty joins the training loss, as Keras's {@code model.losses})
   * and a constraint (applied to the weight after every optimizer update). Either may be null.
   */
  protected final GraphVariable addWeight(String weightName, Shape shape, Initializer initializer, boolean trainable,
      Regularizer regularizer, Constraint constraint) {
    if (runtime == null) {
      throw new IllegalStateException("Layer '" + name + "': addWeight() can only be called from build()");
    }
    long seed = Backend.nextSeed();
    GraphVariable v = runtime.newVariable(name, weightName, shape, tf -> initializer.call(tf, shape, seed), trainable);
    weights.add(new Weight(weightName, v, trainable));
    if (regularizer != null) {
      regularizers.put(v, regularizer);
    }
    if (constraint != null) {
      constraints.put(v, constraint);
    }
    return v;
  }

  /**
   * Creates a trainable weight with the initializer, regularizer and constraint of {@code settings} (a layer's
   * {@code kernel}, {@code bias}, {@code gamma}, ...).
   */
  protected final GraphVariable addWeight(String weightName, Shape shape, WeightSettings settings) {
    return addWeight(weightName, shape, settings.initializer(), true, settings.regularizer(), settings.constraint());
  }

  /**
   * Registers a state update made by {@link #call} in training mode (e.g. a moving average); it runs in the same
   * {@code Session.run} as the training step that traced it.
   *
   * @throws IllegalStateException when no {@link Trace} is open (the update would silently never run)
   */
  protected final void addUpdate(Op update) {
    Trace trace = Trace.current();
    if (trace == null) {
      throw new IllegalStateException("Layer '" + name + "' updates its state in training mode, but it was called "
          + "outside a training step: call models with training=true inside Step.build(...) or fit()");
    }
    trace.addUpdate(update);
  }

  /**
   * Adds a scalar loss computed in {@link #call} (activity regularization) to the loss of the step being traced;
   * without an open {@link Trace} (plain inference) it is not needed and is dropped.
   */
  protected final void addLoss(Operand<TFloat32> loss) {
    Trace trace = Trace.current();
    if (trace != null) {
      trace.addLoss(loss);
    }
  }

  /**
   * Sets a penalty on the layer's output, as Keras's {@code activity_regularizer}: {@code regularizer(output)}
   * divided by the batch size joins the loss of every traced step.
   */
  public void setActivityRegularizer(Regularizer regularizer) {
    this.activityRegularizer = regularizer;
  }

  /** The output penalty, or null. */
  public Regularizer activityRegularizer() {
    return activityRegularizer;
  }

  /** The penalties of this layer's weights (Keras's weight regularization in {@code layer.losses}), or null. */
  public Operand<TFloat32> regularizationLoss(Ops tf) {
    Operand<TFloat32> total = null;
    for (Map.Entry<GraphVariable, Regularizer> e : regularizers.entrySet()) {
      Operand<TFloat32> penalty = e.getValue().call(tf, e.getKey().value());
      total = total == null ? penalty : tf.math.add(total, penalty);
    }
    for (Layer l : trackedLayers) {
      Operand<TFloat32> penalty = l.regularizationLoss(tf);
      if (penalty != null) {
        total = total == null ? penalty : tf.math.add(total, penalty);
      }
    }
    return total;
  }

  /** The constraints of this layer's weights (tracked layers included), applied after each optimizer update. */
  public Map<GraphVariable, Constraint> constraints() {
    if (trackedLayers.isEmpty()) {
      return Collections.unmodifiableMap(constraints);
    }
    Map<GraphVariable, Constraint> all = new LinkedHashMap<>(constraints);
    for (Layer l : trackedLayers) {
      all.putAll(l.constraints());
    }
    return Collections.unmodifiableMap(all);
  }

  // ---------------------------------------------------------------- symbolic calls

  /** Calls the layer on one symbolic tensor, recording the call. */
  public final KerasTensor apply(KerasTensor input) {
    return apply(List.of(input));
  }

  /** Calls the layer on several symbolic tensors (merging layers), recording the call. */
  public final KerasTensor apply(List<KerasTensor> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Layer '" + name + "' was called without inputs");
    }
    List<Shape> shapes = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      checkInputDtype(i, inputs.get(i).dtype());
      Shape s = inputs.get(i).shape();
      if (inputSpec != null) {
        inputSpec.check(name, i, s);
      }
      shapes.add(s);
    }
    Shape out = computeOutputShape(shapes.size() == 1 ? List.of(shapes.get(0)) : shapes);
    Node node = new Node(this, inputs, List.of(out), outputDtype());
    inboundNodes.add(node);
    return node.outputs().get(0);
  }

  /**
   * The dtype of the tensors this layer takes: {@link KerasTensor#FLOAT32} (the default) or
   * {@link KerasTensor#STRING} (text preprocessing layers such as {@code StringLookup} and {@code TextVectorization},
   * whose {@link #call} receives a string operand carried as described in {@link StringTensors}).
   */
  public String inputDtype() {
    return KerasTensor.FLOAT32;
  }

  /**
   * The dtype of input {@code index} of this layer: {@link #inputDtype()} for every input, unless the layer takes
   * inputs of several dtypes (a nested model with a string input and a numeric one) and overrides this.
   */
  public String inputDtype(int index) {
    return inputDtype();
  }

  /** The dtype of the tensors this layer returns; {@link KerasTensor#FLOAT32} by default. */
  public String outputDtype() {
    return KerasTensor.FLOAT32;
  }

  private void checkInputDtype(int i, String dtype) {
    String expected = inputDtype(i);
    if (dtype.equals(expected)) {
      return;
    }
    if (dtype.equals(KerasTensor.STRING)) {
      throw new IllegalArgumentException("Input " + i + " of " + describe() + " has dtype string, but the layer takes "
          + expected + " inputs. Turn strings into numbers first with a StringLookup or TextVectorization layer");
    }
    throw new IllegalArgumentException("Input " + i + " of " + describe() + " has dtype " + dtype + ", but the layer "
        + "takes " + expected + " inputs. Declare the model input with Input.ofStrings(...)");
  }

  /** The recorded calls of this layer. */
  public final List<Node> inboundNodes() {
    return Collections.unmodifiableList(inboundNodes);
  }

  /** Records the node of an input layer, which has no inputs. */
  final KerasTensor recordInputNode(Shape shape, String dtype) {
    Node node = new Node(this, List.of(), List.of(shape), dtype);
    inboundNodes.add(node);
    return node.outputs().get(0);
  }

  // ---------------------------------------------------------------- engine API

  /**
   * Builds the layer in {@code rt} if it is not built yet (engine use). A layer lives in one graph: building it
   * again in another graph is an error.
   */
  public final void ensureBuilt(GraphRuntime rt, List<Shape> inputShapes) {
    if (built) {
      if (runtime != rt) {
        throw new IllegalStateException("Layer '" + name + "' already has weights in another model's graph; "
            + "a layer can be shared only by models built on the same graph");
      }
      return;
    }
    runtime = rt;
    try {
      build(rt.scope(name), inputShapes.size() == 1 ? List.of(inputShapes.get(0)) : inputShapes);
    } catch (RuntimeException e) {
      weights.clear();
      regularizers.clear();
      constraints.clear();
      runtime = null;
      throw e;
    }
    built = true;
  }

  /** Runs {@link #call} on real operands under the layer's name scope (engine use). */
  public final Operand<TFloat32> invoke(List<Operand<TFloat32>> inputs, boolean training) {
    return invoke(inputs, null, training).value();
  }

  /**
   * Runs {@link #call} on real operands and their masks under the layer's name scope, and computes the output's
   * mask (engine use).
   *
   * @param masks one mask per input (entries may be null), or null when no input has a mask
   */
  public final MaskedOperand invoke(List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks, boolean training) {
    if (!built) {
      throw new IllegalStateException("Layer '" + name + "' is not built");
    }
    Ops tf = runtime.scope(name);
    boolean masked = masks != null && masks.stream().anyMatch(m -> m != null);
    Operand<TFloat32> out;
    Operand<TBool> outMask = null;
    if (!masked) {
      out = inputs.size() == 1 ? call(tf, inputs.get(0), training) : call(tf, inputs, training);
      if (supportsMasking) {
        outMask = computeMask(tf, inputs, Collections.nCopies(inputs.size(), null));
      }
    } else {
      if (masks.size() != inputs.size()) {
        throw new IllegalArgumentException("Layer '" + name + "': " + inputs.size() + " inputs but " + masks.size()
            + " masks");
      }
      out = call(tf, inputs, masks, training);
      if (supportsMasking) {
        outMask = computeMask(tf, inputs, masks);
      } else if (!maskDropWarned) {
        maskDropWarned = true;
        System.getLogger(Layer.class.getName()).log(System.Logger.Level.WARNING, "Layer '" + name + "' (of type "
            + getClass().getSimpleName() + ") was passed an input with a mask attached to it. However, this layer "
            + "does not support masking and will therefore destroy the mask information. Downstream layers will "
            + "not see the mask.");
      }
    }
    if (activityRegularizer != null) {
      // Keras 3 (Layer.__call__): the penalty is divided by the batch size.
      Operand<TFloat32> penalty = activityRegularizer.call(tf, out);
      Operand<TFloat32> batch = tf.dtypes.cast(tf.gather(tf.shape(out), tf.constant(0), tf.constant(0)), TFloat32.class);
      addLoss(tf.math.divNoNan(penalty, batch));
    }
    return new MaskedOperand(out, outMask);
  }

  /** Whether {@link #build} has run. */
  public final boolean isBuilt() {
    return built;
  }

  /** The graph the layer's weights live in, or null before it is built. */
  public final GraphRuntime runtime() {
    return runtime;
  }

  /**
   * Declares {@code layer} a part of this one (a wrapper's inner layer, as Keras tracks layer attributes): its
   * weights then count as this layer's, after this layer's own, in {@link #weights()},
   * {@link #trainableVariables()}, {@link #countParams()}, penalties and constraints, so models save, copy and
   * train them. Call it from the constructor; the wrapper builds and invokes the inner layer itself.
   */
  protected final <L extends Layer> L trackLayer(L layer) {
    if (layer == this || trackedLayers.contains(layer)) {
      throw new IllegalArgumentException("Layer '" + name + "': layer '" + layer.name() + "' is already tracked");
    }
    trackedLayers.add(layer);
    return layer;
  }

  /** All weights, in creation order: this layer's own, then those of its tracked layers. */
  public final List<Weight> weights() {
    if (trackedLayers.isEmpty()) {
      return Collections.unmodifiableList(weights);
    }
    List<Weight> all = new ArrayList<>(weights);
    for (Layer l : trackedLayers) {
      all.addAll(l.weights());
    }
    return Collections.unmodifiableList(all);
  }

  /**
   * Weights that training updates: trainable weights of a trainable layer, and of its trainable tracked layers
   * (a frozen wrapper freezes what it wraps).
   */
  public List<GraphVariable> trainableVariables() {
    List<GraphVariable> out = new ArrayList<>();
    if (trainable) {
      for (Weight w : weights) {
        if (w.trainable()) {
          out.add(w.variable());
        }
      }
      for (Layer l : trackedLayers) {
        out.addAll(l.trainableVariables());
      }
    }
    return out;
  }

  /** Number of scalars in this layer's weights, tracked layers included. */
  public long countParams() {
    long n = 0;
    for (Weight w : weights()) {
      n += w.variable().size();
    }
    return n;
  }

  /**
   * Makes one of this layer's own weights trainable or not, as Keras's {@code variable.trainable = False} (LoRA
   * freezes the base kernel this way); it takes effect at the next {@code compile}.
   *
   * @throws IllegalArgumentException when {@code variable} is not one of this layer's own weights
   */
  protected final void setWeightTrainable(GraphVariable variable, boolean trainable) {
    for (int i = 0; i < weights.size(); i++) {
      Weight w = weights.get(i);
      if (w.variable() == variable) {
        weights.set(i, new Weight(w.name(), variable, trainable));
        return;
      }
    }
    throw new IllegalArgumentException(describe() + " has no weight '" + variable.name() + "'");
  }

  /**
   * The weights a weights file (and a {@code .keras} file) stores for this layer, in order: the first half of
   * Keras's {@code save_own_variables}. By default all of {@link #weights()}; a layer whose file holds something
   * else (LoRA layers: the kernel with the adaptation merged in, without the LoRA matrices) overrides this with
   * {@link #saveOwnVariables} and {@link #loadOwnVariables}.
   */
  public List<Weight> savedWeights() {
    return weights();
  }

  /**
   * Keras's {@code save_own_variables}: the arrays to store for {@link #savedWeights()}, given their current values
   * (read by the caller, in that order). By default the values unchanged.
   */
  public List<FloatNdArray> saveOwnVariables(List<FloatNdArray> values) {
    return values;
  }

  /**
   * Keras's {@code load_own_variables}: the values to assign when loading {@code stored} (arrays in
   * {@link #savedWeights()} order, already checked against those weights' shapes), by variable. By default each
   * stored array goes to its weight.
   */
  public Map<GraphVariable, FloatNdArray> loadOwnVariables(List<FloatNdArray> stored) {
    List<Weight> saved = savedWeights();
    if (stored.size() != saved.size()) {
      throw new IllegalArgumentException(describe() + " stores " + saved.size() + " weights, but " + stored.size()
          + " values were given");
    }
    Map<GraphVariable, FloatNdArray> out = new LinkedHashMap<>();
    for (int i = 0; i < saved.size(); i++) {
      out.put(saved.get(i).variable(), stored.get(i));
    }
    return out;
  }

  /**
   * The sublayers Keras saves under this one in a weights file ({@code .weights.h5}, the weights of a {@code .keras}
   * file), by the Python attribute name Keras gives them ({@code layer} of a {@code TimeDistributed}, {@code cell} of
   * an {@code RNN}; {@code cells/lstm_cell} for the items of a list attribute, see
   * {@link SavedState#listAttribute}), in the order Keras visits them (attributes sorted by name, {@code _private}
   * ones last). Default: none. A layer that holds sublayers ({@link #trackLayer}) overrides this, or
   * {@link #savedState()} when it holds a Keras sublayer's weights as its own.
   */
  public Map<String, Layer> savedChildren() {
    return Map.of();
  }

  /**
   * Whether Keras calls this layer with its input tensors as separate positional arguments
   * ({@code MultiHeadAttention()(query, value)}) rather than as one list ({@code Add()([a, b])}); a saved
   * functional config lists a call's inputs accordingly ({@code "args": [q, v]} or {@code "args": [[a, b]]}), as Keras
   * does, so that Keras can call the layer again when it loads the file. False by default.
   */
  public boolean positionalInputs() {
    return false;
  }

  /**
   * This layer's place in Keras 3's weights layout: the variables stored in its own {@code vars} group, in Keras's
   * {@code save_own_variables} order, and its sublayers'. By default, for a layer without tracked layers, its
   * {@link #savedWeights()} (through {@link #saveOwnVariables}/{@link #loadOwnVariables}); for one with tracked layers,
   * its own weights alone; then each of {@link #savedChildren()}. Layers that fold what Keras keeps in a sublayer into
   * their own weights override this (an {@code LSTM} stores its kernels in Keras's {@code cell}).
   */
  public SavedState savedState() {
    SavedState state = trackedLayers.isEmpty() ? SavedState.of(this) : SavedState.part(name, this, ownWeights());
    savedChildren().forEach((attribute, child) -> state.child(attribute, child.savedState()));
    return state;
  }

  /** This layer's own weights, in creation order, without those of its tracked layers. */
  protected final List<Weight> ownWeights() {
    return Collections.unmodifiableList(weights);
  }

  /**
   * A weight of a layer.
   *
   * @param name the name inside the layer ({@code kernel})
   * @param variable the graph variable ({@code dense/kernel})
   * @param trainable whether the weight itself is trainable (the layer's flag is applied on top)
   */
  public record Weight(String name, GraphVariable variable, boolean trainable) {}

  private <T> T single(List<T> items) {
    if (items.size() != 1) {
      throw new IllegalArgumentException("Layer '" + name + "' expects 1 input, but it received "
          + items.size() + " input tensors");
    }
    return items.get(0);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(name=" + name + ")";
  }

  /** {@code Layer 'dense' (Dense)}: the start of this layer's messages, with its {@link #className()}. */
  protected final String describe() {
    return "Layer '" + name + "' (" + className() + ")";
  }

  /** Formats a shape Keras-style; for subclasses' messages. */
  protected static String format(Shape shape) {
    return Shapes.format(shape);
  }

  /**
   * The layer's {@code axis} argument as sorted non-negative axes of {@code inputShape} (negative axes count from
   * the end, as in Keras), for layers that take several axes ({@code LayerNormalization}, {@code Softmax}, ...).
   *
   * @throws IllegalArgumentException naming the layer, for an axis out of bounds or given twice
   */
  protected final int[] resolveAxes(int[] axis, Shape inputShape) {
    int rank = inputShape.numDimensions();
    int[] out = new int[axis.length];
    for (int i = 0; i < axis.length; i++) {
      if (axis[i] >= rank || axis[i] < -rank) {
        throw new IllegalArgumentException("Layer '" + name + "': axis " + axis[i] + " is out of bounds for input "
            + "shape " + format(inputShape) + " (rank " + rank + "). Received: axis=" + Arrays.toString(axis));
      }
      out[i] = axis[i] < 0 ? rank + axis[i] : axis[i];
    }
    Arrays.sort(out);
    for (int i = 1; i < out.length; i++) {
      if (out[i] == out[i - 1]) {
        throw new IllegalArgumentException("Layer '" + name + "': duplicate axes are not allowed. Received: axis="
            + Arrays.toString(axis));
      }
    }
    return out;
  }
}
