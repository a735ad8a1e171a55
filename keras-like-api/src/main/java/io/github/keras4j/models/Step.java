package io.github.keras4j.models;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.ArrayData;
import io.github.keras4j.distribution.Distribution;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * A custom training (or evaluation) step in graph mode: the Java form of Keras's custom {@code train_step} with
 * {@code GradientTape}. The step is declared once, from any models of the session, and each {@link #run} is one
 * {@code Session.run}: feeds in, named values out, updates applied.
 *
 * <p>A label-free loss that applies one model to today's and tomorrow's states (Deep Equilibrium Nets):
 * <pre>{@code
 * Adam adam = new Adam(0.01f);
 * Step step = Step.build(p, b -> {
 *   Ops tf = b.tf();
 *   Operand<TFloat32> x = b.input("x", 1);                        // (None, 1)
 *   Operand<TFloat32> today = p.call(x, true);
 *   Operand<TFloat32> tomorrow = p.call(tf.math.mul(tf.constant(0.5f), x), true);   // same weights
 *   Operand<TFloat32> residual = tf.math.sub(tf.math.sub(today, tf.math.mul(tf.constant(0.5f), tomorrow)), x);
 *   Operand<TFloat32> loss = tf.math.mean(tf.math.square(residual), tf.constant(new int[] {0, 1}));
 *   b.minimize(loss, adam, p.trainableVariables());
 *   b.output("loss", loss);
 * });
 * float loss = step.run(Map.of("x", xs)).getFloat("loss");
 * }</pre>
 *
 * <p>A GAN builds two steps (one per optimizer and variable list) over the same two models; DDPG adds
 * {@link StepBuilder#softUpdate} to its training step. All models created in one session share a graph
 * (see {@link Backend#retainGraph()}), so any of them may appear in a step. Layers that keep state
 * (BatchNormalization) update it when the step runs if they were called with {@code training=true}.
 *
 * <p>Inputs are float32 ({@link StepBuilder#input}, fed float arrays) or strings ({@link StepBuilder#stringInput},
 * fed {@code String[]}, {@code String[][]}, ...), for models whose input is {@code Input.ofStrings(...)}; a run
 * refuses strings for a float input and numbers for a string input, naming the input.
 *
 * <p>Java differences from Keras: there is no tape; the loss is built symbolically from {@link Model#call} on
 * the step's inputs, and gradients are taken for the explicit variable list given to
 * {@link StepBuilder#minimize}. Regularization penalties are not added implicitly: add
 * {@link Model#regularizationLoss} and {@link StepBuilder#layerLosses()} to the loss where wanted.
 *
 * <p>Under a {@link io.github.keras4j.distribution.DataParallel} distribution (the model's, as for fit) with
 * several devices the step is replicated, as Keras replicates a custom {@code train_step}: the body runs once per
 * replica, on the replica's device, and {@link StepBuilder#input} returns that replica's part of the fed rows
 * (numpy {@code array_split} sizes, as fit splits a batch; inputs without a batch dimension go whole to every
 * replica). Each replica's loss is weighted by its share of the rows, the gradients are summed on the variables'
 * device and every optimizer applies once. Outputs with a batch dimension are concatenated in row order; the
 * others (scalars such as a loss) are averaged weighted by the row shares. So a step whose losses and scalar
 * outputs are means over the rows gives the one-device values (to float rounding); a loss that is not a mean over
 * rows (a sum, or statistics of the whole batch) gives another value. The batched inputs of one run must have the
 * same number of rows; with fewer rows than replicas, the replicas without rows add nothing. A phase
 * ({@link StepBuilder#afterUpdates}) ends on every replica together: the next phase's body runs, on each replica,
 * once all replicas have declared the phase before, and reads the weights its summed updates left; the body must
 * therefore declare the same things on every replica. Layer state updates (BatchNormalization) come from replica
 * 0 only, as in fit under data parallelism. Building the step places the variables on the distribution's
 * devices, as compile does: build it (or compile) before the weights are first read or set.
 */
public final class Step {

  private final GraphRuntime rt;
  /** The inputs by name: float32 placeholders, or TString ones ({@link StepBuilder#stringInput}). */
  private final Map<String, Placeholder<?>> inputs;
  private final Map<String, Operand<TFloat32>> outputs;
  private final Op update;
  /** The number of replicas the batched inputs are split over (1: not replicated). */
  private final int replicas;

  Step(GraphRuntime rt, Map<String, Placeholder<?>> inputs, Map<String, Operand<TFloat32>> outputs, Op update) {
    this(rt, inputs, outputs, update, 1);
  }

  Step(GraphRuntime rt, Map<String, Placeholder<?>> inputs, Map<String, Operand<TFloat32>> outputs, Op update,
      int replicas) {
    this.rt = rt;
    this.inputs = new LinkedHashMap<>(inputs);
    this.outputs = new LinkedHashMap<>(outputs);
    this.update = update;
    this.replicas = replicas;
  }

  /**
   * Declares a step in the graph of {@code model} (and of every model of the session).
   *
   * @param body declares inputs, losses to minimize, updates and outputs on the given builder
   */
  public static Step build(Model model, Consumer<StepBuilder> body) {
    model.checkBuilt("Step.build()");
    GraphRuntime rt = model.runtime();
    String name = Backend.uniqueName("step");
    Distribution d = model.distribution();
    if (d == null) {
      return trace(rt, name, body);
    }
    rt.place(d.placement());
    if (d.devices().size() > 1) {
      return ReplicatedStep.build(rt, d, name, body);
    }
    return rt.onDevice(d.devices().get(0), () -> trace(rt, name, body));
  }

  private static Step trace(GraphRuntime rt, String name, Consumer<StepBuilder> body) {
    try (Trace trace = Trace.open()) {
      StepBuilder b = new StepBuilder(rt, rt.scope(name), trace);
      body.accept(b);
      return b.finish();
    }
  }

  /** The declared input names. */
  public List<String> inputNames() {
    return new ArrayList<>(inputs.keySet());
  }

  /** Runs a step that has no inputs. */
  public StepResult run() {
    return run(Map.of());
  }

  /**
   * Runs the step once.
   *
   * @param feeds a value for every declared input: {@code float[]}, {@code float[][]}, ..., a
   *     {@link FloatNdArray}, or a {@link Number} for a scalar input; for a string input
   *     ({@link StepBuilder#stringInput}) {@code String[]}, {@code String[][]}, ..., or a {@link String} for a
   *     scalar input. The tensors made for the feeds are closed when the run returns.
   * @throws IllegalArgumentException when an input is missing or unknown, when its value has the wrong shape, or
   *     when strings are fed to a float input or numbers to a string input
   */
  public StepResult run(Map<String, ?> feeds) {
    for (String name : feeds.keySet()) {
      if (!inputs.containsKey(name)) {
        throw new IllegalArgumentException("Step has no input '" + name + "'. Inputs are: " + inputs.keySet());
      }
    }
    List<Tensor> tensors = new ArrayList<>();
    String rowsFrom = null;
    long rows = -1;
    try {
      Session.Runner runner = rt.session().runner();
      for (Map.Entry<String, Placeholder<?>> e : inputs.entrySet()) {
        Object value = feeds.get(e.getKey());
        if (value == null) {
          throw new IllegalArgumentException("Step input '" + e.getKey() + "' was not fed");
        }
        Tensor t = toTensor(e.getKey(), value, e.getValue().shape(), e.getValue().type() == TString.class);
        tensors.add(t);
        if (replicas > 1 && ReplicatedStep.isBatched(e.getValue().shape())) {
          long n = t.shape().get(0);
          if (rowsFrom != null && n != rows) {
            throw new IllegalArgumentException("Step inputs '" + rowsFrom + "' (" + rows + " rows) and '"
                + e.getKey() + "' (" + n + " rows) differ in rows: under data parallelism over " + replicas
                + " replicas the batched inputs are split together and must have the same number of rows");
          }
          rowsFrom = e.getKey();
          rows = n;
        }
        runner.feed(e.getValue(), t);
      }
      outputs.values().forEach(runner::fetch);
      if (update != null) {
        runner.addTarget(update);
      }
      Map<String, FloatNdArray> values = new LinkedHashMap<>();
      try (Result r = runner.run()) {
        int i = 0;
        for (String name : outputs.keySet()) {
          TFloat32 t = (TFloat32) r.get(i++);
          FloatNdArray copy = NdArrays.ofFloats(t.shape());
          t.copyTo(copy);
          values.put(name, copy);
        }
      }
      return new StepResult(values);
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /** The tensor fed to input {@code name}: float32, or a string tensor when {@code strings}. */
  private static Tensor toTensor(String name, Object value, Shape expected, boolean strings) {
    if (value instanceof Number || value instanceof String) {
      if (strings != value instanceof String) {
        throw dtypeMismatch(name, strings, "a " + (strings ? "number" : "string"));
      }
      if (expected.numDimensions() != 0) {
        throw new IllegalArgumentException("Step input '" + name + "' expects shape " + Shapes.format(expected)
            + " but received a scalar");
      }
      return value instanceof String s ? TString.scalarOf(s) : TFloat32.scalarOf(((Number) value).floatValue());
    }
    ArrayData data = ArrayData.of(name, value);
    if (strings != data.isStrings()) {
      throw dtypeMismatch(name, strings, data.isStrings() ? "strings" : "numbers");
    }
    long[] shape = data.shape();
    boolean ok = shape.length == expected.numDimensions();
    for (int i = 0; ok && i < shape.length; i++) {
      ok = expected.get(i) < 0 || expected.get(i) == shape[i];
    }
    if (!ok) {
      throw new IllegalArgumentException("Step input '" + name + "' expects shape " + Shapes.format(expected)
          + " but received an array of shape " + Shapes.format(Shape.of(shape)));
    }
    if (strings) {
      return TString.tensorOf(Shape.of(shape), DataBuffers.ofObjects(data.strings()));
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data.values(), true, false));
  }

  private static IllegalArgumentException dtypeMismatch(String name, boolean strings, String received) {
    return new IllegalArgumentException("Step input '" + name + "' has dtype " + (strings ? "string" : "float32")
        + " but received " + received + (strings ? "; feed it a String[] (or String[][], ...)"
        : "; declare it with stringInput(...) to feed strings"));
  }
}
