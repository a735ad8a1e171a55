package io.github.keras4j.models;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.distribution.Distribution;
import io.github.keras4j.distribution.Distributions;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.MaskedOperand;
import io.github.keras4j.layers.Node;
import io.github.keras4j.layers.StringTensors;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.training.Callback;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * A model: a graph of layer calls from {@link io.github.keras4j.layers.Input}s to outputs, trained with
 * {@link #compile} and {@link #fit}, as Keras's functional {@code keras.Model}.
 *
 * <pre>{@code
 * KerasTensor inputs = Input.of(784);
 * KerasTensor x = new Dense(64, "relu").apply(inputs);
 * KerasTensor outputs = new Dense(10, "softmax").apply(x);
 * try (Model model = new Model(inputs, outputs)) {
 *   model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
 *   History history = model.fit(xTrain, yTrain, new FitOptions().epochs(5).validationSplit(0.1));
 *   Map<String, Double> scores = model.evaluate(xTest, yTest);
 * }
 * }</pre>
 *
 * <p>A model is also a layer of other models through {@link #asLayer()} ({@code base.apply(x)} in the functional
 * API), sharing its weights, as Keras uses a model as a layer; see {@link NestedModel}.
 *
 * <p>The model's weights live in a TensorFlow graph owned by the model (or shared with the other models
 * built from the same layers). The model traces its layer graph into TF ops when it first needs them: once for
 * training (dropout on) and once for inference, and every training step is one {@code Session.run}.
 *
 * <p>Java differences from Keras: optional arguments of fit are given through {@link FitOptions}; inputs are
 * Java arrays ({@code float[][]}, ...) or {@link FloatNdArray}s, several inputs as a {@link List}; {@code predict}
 * returns a {@link FloatNdArray}, and {@link #predictStrings} the output of a model ending in a string layer. A model
 * holds native resources: close it (try-with-resources).
 */
public class Model implements AutoCloseable {

  private final String name;
  private List<KerasTensor> inputs = List.of();
  private List<KerasTensor> outputs = List.of();
  private List<Node> nodes = List.of();
  private List<Node> layerCalls = List.of();
  private List<Layer> layers = List.of();
  private GraphRuntime runtime;
  private volatile boolean stopTraining;
  private boolean closed;
  private Engine engine;
  private CompileOptions compileOptions;
  private NestedModel asLayer;

  /** A functional model from one input to one output. */
  public Model(KerasTensor inputs, KerasTensor outputs) {
    this(List.of(inputs), List.of(outputs), null);
  }

  /** A functional model with several inputs and/or outputs. */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    this(inputs, outputs, null);
  }

  /** A named functional model. */
  public Model(List<KerasTensor> inputs, List<KerasTensor> outputs, String name) {
    this(name, "functional");
    initGraph(inputs, outputs);
  }

  /** For subclasses that define their graph later (Sequential). */
  protected Model(String name, String defaultPrefix) {
    this.name = name != null ? name : Backend.uniqueName(defaultPrefix);
  }

  // ------------------------------------------------------------------ the layer graph

  /** Defines (or redefines) the model's layer graph and builds every layer in the model's TF graph. */
  protected final void initGraph(List<KerasTensor> ins, List<KerasTensor> outs) {
    checkOpen();
    if (ins.isEmpty() || outs.isEmpty()) {
      throw new IllegalArgumentException("Model '" + name + "' needs at least one input and one output");
    }
    Set<Node> inputNodes = new HashSet<>();
    for (KerasTensor t : ins) {
      if (!(t.layer() instanceof InputLayer)) {
        throw new IllegalArgumentException("Model '" + name + "': inputs must be created with Input.of(...). "
            + "Received the output of layer '" + t.layer().name() + "'");
      }
      inputNodes.add(t.node());
    }
    List<Node> order = new ArrayList<>();
    Set<Node> visited = new HashSet<>();
    for (KerasTensor t : outs) {
      visit(t.node(), visited, order, inputNodes);
    }
    List<Node> body = new ArrayList<>();
    Set<Layer> seen = new LinkedHashSet<>();
    for (KerasTensor t : ins) {
      seen.add(t.layer());
    }
    for (Node n : order) {
      if (!n.inputs().isEmpty()) {
        body.add(n);
        seen.add(n.layer());
      }
    }
    checkUniqueNames(seen);
    List<Layer> kerasOrder = layerOrder(ins, outs);
    GraphRuntime rt = runtime;
    for (Layer l : seen) {
      if (l.isBuilt() && l.runtime() != null && l.runtime() != rt) {
        if (rt != null && runtime == null) {
          throw new IllegalArgumentException("Model '" + name + "' mixes layers built in different graphs ('"
              + l.name() + "'); build models that share layers from the same layers only");
        }
        if (rt == null) {
          rt = l.runtime();
        }
      }
    }
    if (runtime == null) {
      runtime = rt != null ? rt.retain() : Backend.retainGraph();
    }
    for (KerasTensor t : ins) {
      t.layer().ensureBuilt(runtime, List.of(t.shape()));
    }
    for (Node n : body) {
      n.layer().ensureBuilt(runtime, n.inputShapes());
    }
    this.inputs = List.copyOf(ins);
    this.outputs = List.copyOf(outs);
    Set<Node> all = new LinkedHashSet<>();
    for (KerasTensor t : ins) {
      all.add(t.node());
    }
    all.addAll(body);
    this.nodes = List.copyOf(all);
    this.layerCalls = List.copyOf(body);
    this.layers = kerasOrder;
    if (engine != null) {
      engine.close();
    }
    this.engine = null;
  }

  /** As Keras's graph mapping: saving, {@link #getLayer} and the weights' names rely on one layer per name. */
  private void checkUniqueNames(Set<Layer> layerSet) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    layerSet.forEach(l -> counts.merge(l.name(), 1, Integer::sum));
    counts.forEach((layerName, n) -> {
      if (n > 1) {
        throw new IllegalArgumentException("The name \"" + layerName + "\" is used " + n + " times in model '" + name
            + "'. All layer names should be unique.");
      }
    });
  }

  private void visit(Node node, Set<Node> visited, List<Node> order, Set<Node> inputNodes) {
    if (visited.contains(node)) {
      return;
    }
    if (node.inputs().isEmpty() && !inputNodes.contains(node)) {
      throw new IllegalArgumentException("Graph disconnected: input '" + node.layer().name() + "' is used by the "
          + "outputs of model '" + name + "' but is not one of its inputs " + names(inputNodes));
    }
    visited.add(node);
    for (KerasTensor t : node.inputs()) {
      visit(t.node(), visited, order, inputNodes);
    }
    order.add(node);
  }

  /**
   * The layers of the graph from {@code inputs} to {@code outputs} in Keras's order ({@code map_graph} in
   * keras/src/ops/function.py), the order of {@link #layers()}, of Keras's {@code model.layers} and of the layers in
   * weights files and pretrained {@code .h5} files: a depth-first walk back from the outputs numbers each layer when
   * first reached; a layer's depth is the longest path from it to an output (the largest over its calls); layers come
   * by decreasing depth, ties in walk order, and inputs no output uses among the last. Works on a layer graph that is
   * not (yet) a model.
   */
  public static List<Layer> layerOrder(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    List<KerasTensor> ins = inputs;
    List<KerasTensor> outs = outputs;
    Map<Layer, Integer> walkIndex = new HashMap<>();
    List<Node> postOrder = new ArrayList<>();
    Set<Node> finished = new HashSet<>();
    for (KerasTensor t : outs) {
      walk(t.node(), finished, postOrder, walkIndex);
    }
    Map<Node, Integer> nodeDepth = new HashMap<>();
    Map<Layer, Integer> layerDepth = new LinkedHashMap<>();
    for (int i = postOrder.size() - 1; i >= 0; i--) {
      Node node = postOrder.get(i);
      int depth = Math.max(nodeDepth.getOrDefault(node, 0), layerDepth.getOrDefault(node.layer(), 0));
      layerDepth.put(node.layer(), depth);
      nodeDepth.put(node, depth);
      for (KerasTensor t : node.inputs()) {
        nodeDepth.merge(t.node(), depth + 1, Math::max);
      }
    }
    for (KerasTensor t : ins) {
      if (!layerDepth.containsKey(t.layer())) {
        layerDepth.put(t.layer(), 0);
        walkIndex.put(t.layer(), -1);
      }
    }
    List<Layer> order = new ArrayList<>(layerDepth.keySet());
    order.sort(Comparator.comparing((Layer l) -> -layerDepth.get(l)).thenComparing(walkIndex::get));
    return List.copyOf(order);
  }

  /** Keras's {@code _build_map_helper}: numbers layers in pre-order, lists calls in post-order. */
  private static void walk(Node node, Set<Node> finished, List<Node> postOrder, Map<Layer, Integer> walkIndex) {
    if (finished.contains(node)) {
      return;
    }
    walkIndex.putIfAbsent(node.layer(), walkIndex.size());
    for (KerasTensor t : node.inputs()) {
      walk(t.node(), finished, postOrder, walkIndex);
    }
    finished.add(node);
    postOrder.add(node);
  }

  private static List<String> names(Set<Node> nodes) {
    List<String> out = new ArrayList<>();
    nodes.forEach(n -> out.add(n.layer().name()));
    return out;
  }

  /** Whether the layer graph is defined (a Sequential without an input is defined on first data). */
  public boolean isBuilt() {
    return !inputs.isEmpty();
  }

  /** Defines the graph from the shape of the first data; only Sequential models can be deferred. */
  protected void buildFromShapes(List<Shape> inputShapes) {
    throw new IllegalStateException("Model '" + name + "' has no inputs");
  }

  /**
   * Traces the model on real operands: the model applied to new inputs, sharing its weights. This is how a
   * custom training step or a second model uses this model ({@code critic(state, actor(state))}).
   *
   * @param training whether layers like Dropout run in training mode
   */
  public List<Operand<TFloat32>> call(List<Operand<TFloat32>> inputOperands, boolean training) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (MaskedOperand o : callWithMasks(inputOperands, training)) {
      out.add(o.value());
    }
    return out;
  }

  /**
   * As {@link #call(List, boolean)}, returning each output with its Keras mask (null when it has none): e.g. the
   * {@code (batch, timesteps)} mask of an {@code Embedding(maskZero=true)} passed on by a recurrent layer with
   * {@code returnSequences}. Built-in training weights the loss and metrics with it; a custom step can do the same.
   */
  public List<MaskedOperand> callWithMasks(List<Operand<TFloat32>> inputOperands, boolean training) {
    checkBuilt("call()");
    if (inputOperands.size() != inputs.size()) {
      throw new IllegalArgumentException("Model '" + name + "' expects " + inputs.size() + " input(s), received "
          + inputOperands.size());
    }
    for (int i = 0; i < inputOperands.size(); i++) {
      if (inputOperands.get(i).env() != runtime.graph()) {
        throw new IllegalArgumentException("Model '" + name + "': input " + i + " was built in another graph. All "
            + "models of one session share a graph; models created before Backend.clearSession() cannot be mixed "
            + "with later ones");
      }
    }
    Map<KerasTensor, MaskedOperand> values = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      values.put(inputs.get(i), new MaskedOperand(inputOperands.get(i), null));
    }
    for (Node n : layerCalls) {
      List<Operand<TFloat32>> args = new ArrayList<>();
      List<Operand<TBool>> masks = new ArrayList<>();
      boolean masked = false;
      for (KerasTensor t : n.inputs()) {
        MaskedOperand v = values.get(t);
        args.add(v.value());
        masks.add(v.mask());
        masked |= v.mask() != null;
      }
      values.put(n.outputs().get(0), n.layer().invoke(args, masked ? masks : null, training));
    }
    List<MaskedOperand> out = new ArrayList<>();
    for (KerasTensor t : outputs) {
      out.add(values.get(t));
    }
    return out;
  }

  /**
   * The sum of the layers' weight penalties (kernel and bias regularizers; Keras's weight terms of
   * {@code model.losses}), or null when no layer has one. Built-in training adds it to the loss; a custom step
   * adds it itself: {@code loss = tf.math.add(loss, model.regularizationLoss(tf))}.
   */
  public Operand<TFloat32> regularizationLoss(Ops tf) {
    checkBuilt("regularizationLoss()");
    Operand<TFloat32> total = null;
    for (Layer l : layers) {
      Operand<TFloat32> p = l.regularizationLoss(tf);
      if (p != null) {
        total = total == null ? p : tf.math.add(total, p);
      }
    }
    return total;
  }

  /** The weight constraints of every layer, applied after each optimizer update. */
  public Map<GraphVariable, Constraint> constraints() {
    Map<GraphVariable, Constraint> all = new LinkedHashMap<>();
    for (Layer l : layers) {
      all.putAll(l.constraints());
    }
    return all;
  }

  /** Single-input, single-output form of {@link #call(List, boolean)}. */
  public Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    return call(List.of(input), training).get(0);
  }

  // ------------------------------------------------------------------ the model as a layer

  /**
   * This model as a layer of another model, sharing its weights, as Keras uses a model as a layer: a pretrained
   * base under a new head ({@code new Sequential(base.asLayer(), new Dense(10))}), or one encoder applied to
   * several inputs. Every call returns the same layer. See {@link NestedModel}.
   *
   * @throws IllegalArgumentException when the model has several outputs (a layer has one)
   * @throws IllegalStateException when the model is closed
   */
  public NestedModel asLayer() {
    checkOpen();
    if (asLayer == null) {
      asLayer = NestedModel.of(this);
    }
    return asLayer;
  }

  /**
   * Applies this model to a symbolic tensor of another model's graph, as Keras's {@code base(inputs)}:
   * {@code asLayer().apply(input)}.
   */
  public KerasTensor apply(KerasTensor input) {
    return asLayer().apply(input);
  }

  /** Applies this model to several symbolic tensors, one per model input: {@code asLayer().apply(inputs)}. */
  public KerasTensor apply(List<KerasTensor> inputTensors) {
    return asLayer().apply(inputTensors);
  }

  // ------------------------------------------------------------------ compile / fit / evaluate / predict

  /** Configures training: {@code compile("adam", "mse", "mae")}. */
  public void compile(String optimizer, String loss, String... metrics) {
    compile(new CompileOptions().optimizer(optimizer).loss(loss).metrics((Object[]) metrics));
  }

  /** Configures training with an optimizer instance: {@code compile(new Adam(0.01), "mse")}. */
  public void compile(Optimizer optimizer, String loss, String... metrics) {
    compile(new CompileOptions().optimizer(optimizer).loss(loss).metrics((Object[]) metrics));
  }

  /** Configures training with optimizer and loss instances. */
  public void compile(Optimizer optimizer, Loss loss, Object... metrics) {
    compile(new CompileOptions().optimizer(optimizer).loss(loss).metrics(metrics));
  }

  /** Configures training: the general form. */
  public void compile(CompileOptions options) {
    checkOpen();
    if (options.optimizer == null) {
      throw new IllegalArgumentException("compile(): an optimizer is required, e.g. \"adam\" or new Adam()");
    }
    if (options.losses.isEmpty()) {
      throw new IllegalArgumentException("compile(): a loss is required, e.g. \"mse\"");
    }
    if (options.optimizer.runtimeOrNull() != null && runtime != null && options.optimizer.runtimeOrNull() != runtime) {
      throw new IllegalArgumentException("compile(): this optimizer already trains a model in another graph; "
          + "create a new optimizer for model '" + name + "'");
    }
    this.compileOptions = options;
    if (engine != null) {
      engine.resetSteps();
    }
    Distribution d = distribution();
    if (d != null && runtime != null) {
      // Fails early (devices that do not exist, variables already elsewhere) rather than at the first fit.
      runtime.place(d.placement());
    }
  }

  /**
   * The distribution this model trains, evaluates and predicts with: the one given to compile, else the
   * process-wide {@link Distributions#get()}, else null (one device).
   */
  public Distribution distribution() {
    if (compileOptions != null && compileOptions.distribution != null) {
      return compileOptions.distribution;
    }
    return Distributions.get();
  }

  /** Whether compile() has been called. */
  public boolean isCompiled() {
    return compileOptions != null;
  }

  /** The optimizer given to compile, or null. */
  public Optimizer getOptimizer() {
    return compileOptions == null ? null : compileOptions.optimizer;
  }

  /** Trains with Keras's defaults (batch size 32, one epoch). */
  public History fit(Object x, Object y) {
    return fit(x, y, new FitOptions());
  }

  /**
   * Trains the model for a number of epochs.
   *
   * @param x one input array, or a {@link List} of arrays for several inputs
   * @param y one target array, or a {@link List} for several outputs
   * @return the History of epoch logs ({@code loss}, metrics, {@code val_} values)
   * @throws io.github.keras4j.graph.distributed.ClusterFailure with a cluster distribution, when a task of the
   *     cluster dies, stalls or restarts; the message names the task
   */
  public History fit(Object x, Object y, FitOptions options) {
    checkOpen();
    if (compileOptions == null) {
      throw new IllegalStateException("You must call compile() before fit() on model '" + name + "'");
    }
    return diagnosed(() -> new FitLoop(this, options).run(x, y));
  }

  /**
   * Trains on a {@link Dataset} (streamed, shuffled by a bounded buffer, optionally prefetched on another
   * thread): one pass over it per epoch, or {@code stepsPerEpoch} batches per epoch when given. The dataset's own
   * batch size is used ({@code options.batchSize} is not); {@code validationData} may be arrays or a dataset.
   */
  public History fit(Dataset dataset, FitOptions options) {
    checkOpen();
    if (compileOptions == null) {
      throw new IllegalStateException("You must call compile() before fit() on model '" + name + "'");
    }
    return diagnosed(() -> new FitLoop(this, options).run(dataset));
  }

  /**
   * Runs fit/evaluate/predict/on-batch work; on a cluster distribution, a failure of TensorFlow's distributed
   * runtime (a task died, stalled or restarted, in a step, a callback's weight read or the session's opening)
   * is rethrown as a {@link io.github.keras4j.graph.distributed.ClusterFailure} naming the task. The one place
   * where such failures are diagnosed.
   */
  private <T> T diagnosed(java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      GraphRuntime rt = runtime;
      throw rt == null ? e : rt.diagnose(e);
    }
  }

  /** Computes the loss and metrics on one pass over a {@link Dataset}, in inference mode, without output. */
  public Map<String, Double> evaluate(Dataset dataset) {
    checkOpen();
    if (compileOptions == null) {
      throw new IllegalStateException("You must call compile() before evaluate() on model '" + name + "'");
    }
    return diagnosed(() -> new FitLoop(this, new FitOptions().verbose(0)).evaluate(dataset, List.of()));
  }

  /** Computes the loss and metrics on the data, batch size 32, no progress output. */
  public Map<String, Double> evaluate(Object x, Object y) {
    return evaluate(x, y, 32, 0);
  }

  /**
   * Computes the loss and metrics on the data in inference mode.
   *
   * @return {@code loss} and each metric by name, as Keras's {@code return_dict=True}
   */
  public Map<String, Double> evaluate(Object x, Object y, int batchSize, int verbose) {
    return evaluate(x, y, batchSize, verbose, null, List.of());
  }

  /** Evaluate with sample weights and callbacks. */
  public Map<String, Double> evaluate(
      Object x, Object y, int batchSize, int verbose, float[] sampleWeight, List<? extends Callback> callbacks) {
    checkOpen();
    if (compileOptions == null) {
      throw new IllegalStateException("You must call compile() before evaluate() on model '" + name + "'");
    }
    return diagnosed(() -> new FitLoop(this, new FitOptions().batchSize(batchSize).verbose(verbose))
        .evaluate(x, y, sampleWeight, callbacks));
  }

  /** Predicts in inference mode, batch size 32; returns the output for all samples. */
  public FloatNdArray predict(Object x) {
    return predict(x, 32);
  }

  /**
   * Predicts with the given batch size; for several outputs use {@link #predictOutputs}, for a string output
   * {@link #predictStrings}.
   *
   * @throws UnsupportedOperationException when the model's output has dtype string
   */
  public FloatNdArray predict(Object x, int batchSize) {
    List<FloatNdArray> out = predictOutputs(x, batchSize);
    if (out.size() != 1) {
      throw new IllegalStateException("Model '" + name + "' has " + out.size() + " outputs: use predictOutputs()");
    }
    return out.get(0);
  }

  /** Predicts every output; all must be float32 (a string output: {@link #predictStrings}). */
  public List<FloatNdArray> predictOutputs(Object x, int batchSize) {
    checkOpen();
    return diagnosed(() -> new FitLoop(this, new FitOptions().batchSize(batchSize).verbose(0)).predict(x));
  }

  /**
   * Predicts the string output of a model, batch size 32: one row per sample holding that sample's strings,
   * row-major ({@code [[s]]} rows of one string for a rank-1 output of shape {@code (batch,)}). For a model ending in
   * a string layer, such as {@code StringLookup(invert=true)}:
   *
   * <pre>{@code
   * KerasTensor ids = Input.of(3);
   * KerasTensor words = StringLookup.builder().vocabulary("a", "b", "c").invert(true).build().apply(ids);
   * try (Model model = new Model(ids, words)) {
   *   String[][] out = model.predictStrings(new float[][] {{1, 3, 0}});   // {{"a", "c", "[UNK]"}}
   * }
   * }</pre>
   *
   * <p>Java differs from Keras: Keras's {@code predict} returns a string output as a numpy array of {@code bytes};
   * Keras4J's {@link #predict} returns float32 arrays only and refuses a string output, pointing here, and this method
   * decodes the bytes as UTF-8.
   *
   * @throws UnsupportedOperationException when the model's output is not a string (use {@link #predict})
   * @throws IllegalStateException when the model has several outputs
   */
  public String[][] predictStrings(Object x) {
    return predictStrings(x, 32);
  }

  /** As {@link #predictStrings(Object)} with the given batch size. */
  public String[][] predictStrings(Object x, int batchSize) {
    NdArray<String> out = predictStringArray(x, batchSize);
    int rows = (int) out.shape().get(0);
    int size = rows == 0 ? 0 : (int) (out.size() / rows);
    String[] flat = new String[(int) out.size()];
    out.copyTo(DataBuffers.ofObjects(flat));
    String[][] result = new String[rows][];
    for (int r = 0; r < rows; r++) {
      result[r] = java.util.Arrays.copyOfRange(flat, r * size, (r + 1) * size);
    }
    return result;
  }

  /**
   * As {@link #predictStrings(Object, int)}, keeping the output's shape: {@code (samples,)} for a rank-1 output,
   * {@code (samples, n)}, ... The array is in Java memory (nothing to close).
   */
  public NdArray<String> predictStringArray(Object x, int batchSize) {
    checkOpen();
    List<NdArray<String>> out =
        diagnosed(() -> new FitLoop(this, new FitOptions().batchSize(batchSize).verbose(0)).predictStrings(x));
    if (out.size() != 1) {
      throw new IllegalStateException("Model '" + name + "' has " + out.size() + " outputs; predictStrings returns "
          + "the output of a model with one output");
    }
    return out.get(0);
  }

  /** One gradient update on one batch; returns the batch's loss and metrics. */
  public Map<String, Double> trainOnBatch(Object x, Object y) {
    checkOpen();
    if (compileOptions == null) {
      throw new IllegalStateException("You must call compile() before trainOnBatch() on model '" + name + "'");
    }
    return diagnosed(() -> new FitLoop(this, new FitOptions().verbose(0)).onBatch(x, y, true));
  }

  /** Loss and metrics of one batch, inference mode. */
  public Map<String, Double> testOnBatch(Object x, Object y) {
    checkOpen();
    if (compileOptions == null) {
      throw new IllegalStateException("You must call compile() before testOnBatch() on model '" + name + "'");
    }
    return diagnosed(() -> new FitLoop(this, new FitOptions().verbose(0)).onBatch(x, y, false));
  }

  /** Predictions for one batch. */
  public FloatNdArray predictOnBatch(Object x) {
    checkOpen();
    ArrayData first = FitLoop.toArrays("x", x).get(0);
    return predict(x, Math.max(1, first.rows()));
  }

  /** Asks fit to stop at the end of the current batch; used by callbacks such as EarlyStopping. */
  public void setStopTraining(boolean stop) {
    this.stopTraining = stop;
  }

  /** Whether a callback asked training to stop. */
  public boolean isStopTraining() {
    return stopTraining;
  }

  private Integer initialEpochOverride;

  /**
   * Makes the fit that is starting run from {@code epoch} (0-based) instead of its {@code initialEpoch}, as Keras's
   * {@code model._initial_epoch}: for callbacks that restore a training state in {@code onTrainBegin}, such as
   * {@code BackupAndRestore}. It affects only the fit whose {@code onTrainBegin} is running; each fit starts
   * without it (Keras keeps it on the model).
   */
  public void setInitialEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("setInitialEpoch(): epoch must be >= 0. Received: epoch=" + epoch);
    }
    this.initialEpochOverride = epoch;
  }

  /** The epoch set by {@link #setInitialEpoch} for the current fit, or null. */
  Integer initialEpochOverride() {
    return initialEpochOverride;
  }

  void clearInitialEpoch() {
    initialEpochOverride = null;
  }

  // ------------------------------------------------------------------ weights and structure

  /** The model's name ({@code functional}, {@code sequential_1}, ...). */
  public String name() {
    return name;
  }

  /**
   * The layers, in Keras's order: for a functional model by decreasing depth (the longest path from a layer to an
   * output), ties in the order a walk back from the outputs first reaches them, so a linear chain lists its layers
   * from input to output and the branches of a residual block interleave as in Keras's {@code model.layers} (and
   * {@code model.summary()}); an input no output uses comes among the last. The order of {@link #variables()} and
   * the layer numbering of weights files follow it.
   */
  public List<Layer> layers() {
    return layers;
  }

  /** The layer with the given name. */
  public Layer getLayer(String layerName) {
    for (Layer l : layers()) {
      if (l.name().equals(layerName)) {
        return l;
      }
    }
    List<String> known = new ArrayList<>();
    layers().forEach(l -> known.add(l.name()));
    throw new IllegalArgumentException("No such layer: '" + layerName + "'. Existing layers are: " + known);
  }

  /** The symbolic inputs. */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** The symbolic outputs. */
  public List<KerasTensor> outputs() {
    return outputs;
  }

  /**
   * The model's layer calls (its graph's nodes) in topological order: first the calls of its input layers, in the
   * order of {@link #inputs()} (an input no output depends on included), then every other call between the inputs
   * and the outputs, each after the calls that produce its inputs, in the order the model runs them (a depth-first
   * walk back from the outputs, in output order, each call's inputs in argument order). A layer called several
   * times in the model (a shared layer) has one node per call here; its calls outside this model (in another model
   * built from the same layers) are not here. A Sequential's hidden input layer's call comes first too. Empty until
   * the model is built.
   *
   * <p>Keras's equivalent is {@code model._nodes_by_depth} flattened from the deepest nodes (the inputs') to depth 0
   * (the outputs'), or the order of {@code model.operations}. Both orders are topological, but Keras sorts by depth
   * (the longest path to an output), so where the graph branches it can list calls in another order than this
   * depth-first one. Java returns one unmodifiable list of {@link Node}s instead of a map by depth.
   */
  public List<Node> nodes() {
    return nodes;
  }

  /**
   * Moves this model's weights towards {@code source}'s in one {@code Session.run}:
   * {@code w = tau * sourceW + (1 - tau) * w} for every weight (DDPG's soft target update; {@code tau=1}
   * copies, as {@code setWeights(source.getWeights())} without the Java round trip). Both models must have the
   * same weight shapes, in order, and live in the same graph. Inside a custom step, use
   * {@link StepBuilder#softUpdate} instead.
   */
  public void softUpdateFrom(Model source, double tau) {
    checkBuilt("softUpdateFrom()");
    source.checkBuilt("softUpdateFrom()");
    StepBuilder.checkTau(tau);
    SoftUpdate op = softUpdates.get(source);
    if (op == null) {
      SoftUpdates.checkCompatible(this, source);
      Ops tf = runtime.scope(name + "/soft_update");
      Placeholder<TFloat32> feed = tf.withName("tau").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      op = new SoftUpdate(feed, SoftUpdates.build(tf, this, source, feed));
      softUpdates.put(source, op);
    }
    try (TFloat32 t = TFloat32.scalarOf((float) tau)) {
      runtime.session().runner().feed(op.tau(), t).addTarget(op.update()).run().close();
    }
  }

  private record SoftUpdate(Placeholder<TFloat32> tau, org.tensorflow.op.Op update) {}

  private final Map<Model, SoftUpdate> softUpdates = new java.util.IdentityHashMap<>();

  /**
   * Freezes ({@code false}) or unfreezes every layer of the model, as Keras's {@code model.trainable = False}.
   * It takes effect for steps built afterwards: the next {@code compile}, or a {@link Step} built later (a GAN
   * may freeze the discriminator inside a combined model this way, as in Keras's classic recipe).
   */
  public void setTrainable(boolean trainable) {
    for (Layer l : layers) {
      if (!(l instanceof InputLayer)) {
        l.setTrainable(trainable);
      }
    }
  }

  /** Whether any layer of the model is trainable. */
  public boolean isTrainable() {
    for (Layer l : layers) {
      if (!(l instanceof InputLayer) && l.isTrainable()) {
        return true;
      }
    }
    return false;
  }

  /** Every weight of every layer, in layer order. */
  public List<GraphVariable> variables() {
    List<GraphVariable> out = new ArrayList<>();
    for (Layer l : allLayers()) {
      l.weights().forEach(w -> out.add(w.variable()));
    }
    return out;
  }

  /** The weights fit updates: trainable weights of trainable layers. */
  public List<GraphVariable> trainableVariables() {
    List<GraphVariable> out = new ArrayList<>();
    for (Layer l : allLayers()) {
      out.addAll(l.trainableVariables());
    }
    return out;
  }

  /** The current values of all weights, in {@link #variables()} order (Keras's {@code get_weights}). */
  public List<FloatNdArray> getWeights() {
    checkBuilt("getWeights()");
    return runtime.read(variables());
  }

  /** Sets all weights from values in {@link #variables()} order (Keras's {@code set_weights}). */
  public void setWeights(List<? extends FloatNdArray> values) {
    checkBuilt("setWeights()");
    List<GraphVariable> vars = variables();
    if (values.size() != vars.size()) {
      throw new IllegalArgumentException("setWeights(): model '" + name + "' has " + vars.size()
          + " weights but " + values.size() + " values were given");
    }
    runtime.assign(vars, values);
  }

  /**
   * Saves the weights, as Keras's {@code model.save_weights}: every layer weight and, once the model is compiled, its
   * optimizer's state (step counter, learning rate, slots, and those of the optimizers it wraps, with a loss scale), as
   * Keras 3 includes the optimizer. The format follows the file name:
   * <ul>
   *   <li>{@value H5WeightsFile#EXTENSION} (the default, and the only ending Keras accepts): Keras 3's HDF5 layout
   *       ({@link H5WeightsFile}), which Python Keras 3 loads with {@code model.load_weights} into the same
   *       architecture;
   *   <li>{@value WeightsFile#EXTENSION}: Keras4J's own checksummed binary format ({@link WeightsFile}), still written
   *       for existing code; Python Keras cannot read it.
   * </ul>
   * The file is written atomically: a reader never sees a half-written file, and a failed save leaves an existing file
   * as it was.
   *
   * <pre>{@code
   * model.saveWeights(Path.of("model.weights.h5"));
   * }</pre>
   *
   * @param file the file, whose name must end in {@value H5WeightsFile#EXTENSION} or {@value WeightsFile#EXTENSION};
   *     its directory must exist
   * @throws IllegalArgumentException when the name ends otherwise
   */
  public void saveWeights(java.nio.file.Path file) throws java.io.IOException {
    checkBuilt("saveWeights()");
    String name = file.getFileName().toString();
    if (name.endsWith(H5WeightsFile.EXTENSION)) {
      H5WeightsFile.save(this, file);
    } else if (name.endsWith(WeightsFile.EXTENSION)) {
      WeightsFile.save(this, file);
    } else {
      throw new IllegalArgumentException("The filename must end in `" + H5WeightsFile.EXTENSION + "` (or `"
          + WeightsFile.EXTENSION + "` for Keras4J's own format). Received: filepath=" + file);
    }
  }

  /**
   * Loads weights saved by {@link #saveWeights} (or by Python Keras 3's {@code save_weights}) into this model, as
   * Keras's {@code model.load_weights}. An HDF5 file (recognised by its first bytes, whatever its name) is read in
   * Keras 3's layout ({@link H5WeightsFile}), anything else as a Keras4J {@link WeightsFile}. The file's weights are
   * matched to this model's by structure ({@code layers/dense_1}, {@code dense_1/kernel}: the layer classes in model
   * order, not the layers' runtime names), so a fresh model of the same architecture can load them. Every weight's
   * presence and shape is checked before any weight changes. The optimizer's state is loaded too when the file has it
   * and this model's optimizer has the same variables (after a first training step); otherwise it is skipped with a
   * warning, as in Keras.
   *
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   * @throws java.io.IOException when the file is truncated or corrupt (the message says what is wrong)
   * @throws IllegalArgumentException when the file's weights do not fit this model (a missing group, the number of
   *     weights, a shape: {@code layer dense_1: expected kernel (64, 32), file has (32, 64)}, an element type)
   */
  public void loadWeights(java.nio.file.Path file) throws java.io.IOException {
    checkBuilt("loadWeights()");
    if (io.github.keras4j.saving.LegacyH5.isLegacyH5(file)) {
      io.github.keras4j.saving.LegacyH5.loadWeights(this, file);
      return;
    }
    if (H5WeightsFile.isHdf5(file)) {
      H5WeightsFile.load(this, file);
      return;
    }
    if (file.getFileName().toString().endsWith(H5WeightsFile.EXTENSION) && java.nio.file.Files.exists(file)) {
      throw new java.io.IOException("Weights file " + file + " is not an HDF5 file (it does not start with HDF5's "
          + "signature), as a " + H5WeightsFile.EXTENSION + " file must be: it is truncated, corrupt or of another "
          + "kind");
    }
    WeightsFile.load(this, file);
  }

  /** Total number of weight scalars. */
  public long countParams() {
    long n = 0;
    for (Layer l : allLayers()) {
      n += l.countParams();
    }
    return n;
  }

  /** Prints the model's summary table to standard output (Keras's {@code model.summary()}). */
  public void summary() {
    summary(System.out::println);
  }

  /** Gives each line of the summary table to {@code printFn}. */
  public void summary(Consumer<String> printFn) {
    Summary.print(this, printFn);
  }

  /** The graph that holds this model's weights (shared with models built from the same layers). */
  public GraphRuntime runtime() {
    checkBuilt("runtime()");
    return runtime;
  }

  /** Layers shown in the summary and holding weights; Sequential hides its input layer. */
  List<Layer> allLayers() {
    return layers();
  }

  /** Whether the summary uses the sequential layout (no "Connected to" column). */
  boolean sequentialLike() {
    if (inputs.size() != 1 || outputs.size() != 1) {
      return false;
    }
    Set<KerasTensor> consumed = new HashSet<>();
    for (Node n : layerCalls) {
      if (n.inputs().size() != 1 || !consumed.add(n.inputs().get(0))) {
        return false;
      }
    }
    return true;
  }

  CompileOptions compileOptions() {
    return compileOptions;
  }

  Engine engine() {
    if (engine == null) {
      engine = new Engine(this);
    }
    return engine;
  }

  void checkBuilt(String what) {
    checkOpen();
    if (!isBuilt()) {
      throw new IllegalStateException("Model '" + name + "' is not built yet: add an InputLayer or call fit() "
          + "(or build()) before " + what);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Model '" + name + "' has been closed");
    }
  }

  /** Placeholder for a model input, named after its input layer. */
  static Placeholder<TFloat32> placeholder(Ops tf, String name, Shape shape) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(shape));
  }

  /**
   * The placeholder of model input {@code input}: float32, or for a string input a TString placeholder carried as
   * {@link StringTensors} describes.
   */
  static Operand<TFloat32> placeholder(Ops tf, String name, KerasTensor input) {
    if (input.dtype().equals(KerasTensor.STRING)) {
      return StringTensors.carry(tf.withName(name).placeholder(TString.class, Placeholder.shape(input.shape())));
    }
    return placeholder(tf, name, input.shape());
  }

  /** Releases the model's share of the graph and session. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (engine != null) {
      engine.close();
    }
    for (Layer l : allLayers()) {
      if (l instanceof NestedModel nested && nested.owned()) {
        nested.model().close();
      }
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @Override
  public String toString() {
    List<String> shapes = new ArrayList<>();
    outputs.forEach(t -> shapes.add(Shapes.format(t.shape())));
    return getClass().getSimpleName() + "(name=" + name + ", outputs=" + shapes + ")";
  }

  // ------------------------------------------------------------------ export for serving

  /**
   * Exports the model as a TensorFlow SavedModel for inference (TF Serving, TF Java, Python's
   * {@code tf.saved_model.load}), as Keras's {@code model.export(filepath)}: tag {@code serve}, signature
   * {@code serving_default} (method {@code tensorflow/serving/predict}) with one input per {@code Input} named
   * after its layer, one output per model output named after its layer, batch dimension open; only the forward
   * pass in inference mode (no optimizer, Dropout off, BatchNormalization on its moving statistics) with the
   * weights' current values. The folder is written to a temporary sibling and moved into place; an existing folder
   * is replaced. See {@link io.github.keras4j.export.SavedModelExport} for the details and
   * {@link io.github.keras4j.export.Predictor} to serve the export from Java.
   *
   * <pre>{@code
   * model.export(Path.of("models/iris/1"));
   * try (Predictor predictor = Predictor.load(Path.of("models/iris/1"))) {
   *   FloatNdArray probabilities = predictor.predict(new float[][] {{5.1f, 3.5f, 1.4f, 0.2f}});
   * }
   * }</pre>
   *
   * @throws IllegalStateException when the model is not built
   * @throws java.io.IOException when the folder cannot be written
   */
  public void export(java.nio.file.Path dir) throws java.io.IOException {
    export(dir, new io.github.keras4j.export.ExportOptions());
  }

  /** Exports with extra signatures or without the printed summary: see {@link io.github.keras4j.export.ExportOptions}. */
  public void export(java.nio.file.Path dir, io.github.keras4j.export.ExportOptions options) throws java.io.IOException {
    checkOpen();
    io.github.keras4j.export.SavedModelExport.exportSavedModel(this, dir, options);
  }

  // ------------------------------------------------------------------ whole-model saving

  /**
   * Saves the whole model to one file, as Keras's {@code model.save("model.keras")}: the architecture (every
   * layer's config), the compile config when the model is compiled, and every weight with the optimizer's state
   * once it has trained. {@link Models#load(java.nio.file.Path)} rebuilds it, in this JVM or another, predicting
   * exactly the same values and, compiled, taking the same next training step. The file is written atomically (a
   * temporary file moved into place). See {@link Models} for the format.
   *
   * <pre>{@code
   * model.save(Path.of("model.keras"));
   * Model restored = Models.load(Path.of("model.keras"));
   * }</pre>
   *
   * @param file the file, whose name must end in {@value Models#EXTENSION}; its folder must exist
   * @throws IllegalArgumentException when the name does not end in {@value Models#EXTENSION}, or the model holds
   *     something that cannot be saved (an activation given as a Java function, a lambda regularizer, two layers
   *     with one name; the message names the layer)
   * @throws java.nio.file.NoSuchFileException when the folder does not exist
   */
  public void save(java.nio.file.Path file) throws java.io.IOException {
    Models.save(this, file);
  }
}
