package io.github.keras4j.export;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.graph.savedmodel.SavedModelWriter;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.Node;
import io.github.keras4j.layers.StringTensors;
import io.github.keras4j.models.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Exports a model as a TensorFlow SavedModel for inference, as Keras's {@code export_saved_model}: the model's
 * forward pass in inference mode (Dropout off, BatchNormalization on its moving statistics), its weights' current
 * values, no optimizer and no training ops. {@link Model#export(Path)} calls it.
 *
 * <p>The SavedModel has the tag {@code serve} and the signature {@code serving_default} with method name
 * {@code tensorflow/serving/predict}: one input per model input, named after its {@link InputLayer} (as Keras 3
 * names them after the {@code keras.Input}s), and one output per model output, named after the layer that produces
 * it ({@code dense_1}; a name used twice gets {@code _1}, {@code _2}). Every shape has an open batch dimension
 * ({@code -1}). {@link ExportOptions#signature} adds signatures returning chosen layers' outputs.
 *
 * <p>Java differs from Keras: Keras 3 names the outputs {@code output_0}, {@code output_1}, ... (the return
 * structure of a traced function) and also exports the endpoint as {@code serve}; Keras4J names outputs after
 * their layers, as tf.keras 2 did, which TF Serving clients can read in the response.
 *
 * <p>How: the model is traced once more in its own graph, on new placeholders with {@code training=false} (the
 * trace is kept for later exports of the same model); {@link SavedModelWriter} then copies only the ops that trace
 * needs into a fresh graph and writes it with the variables' values, through a temporary folder moved into place.
 */
public final class SavedModelExport {

  /** The default signature's key, {@code serving_default}. */
  public static final String DEFAULT_SIGNATURE = SavedModelWriter.DEFAULT_SIGNATURE;

  private static final Map<Model, List<Traced>> TRACES = new WeakHashMap<>();

  private SavedModelExport() {}

  /**
   * Writes {@code model} to {@code dir} as a SavedModel (see the class comment).
   *
   * @throws IllegalStateException when the model is not built
   * @throws IllegalArgumentException when an extra signature names a layer that is not in the model, or one the
   *     model calls more than once
   * @throws IOException when the folder cannot be written
   */
  public static void exportSavedModel(Model model, Path dir, ExportOptions options) throws IOException {
    exportSavedModel(model, dir, options, System.out::println);
  }

  /** As {@link #exportSavedModel(Model, Path, ExportOptions)}, printing the verbose summary through {@code print}. */
  public static void exportSavedModel(Model model, Path dir, ExportOptions options, Consumer<String> print)
      throws IOException {
    if (!model.isBuilt()) {
      throw new IllegalStateException("The model provided has not yet been built. It must be built before export: "
          + "model '" + model.name() + "' needs an InputLayer, or a call to fit() or build()");
    }
    List<KerasTensor> wanted = new ArrayList<>(model.outputs());
    Map<String, List<KerasTensor>> extra = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : options.signatures().entrySet()) {
      List<KerasTensor> tensors = new ArrayList<>();
      for (String layerName : e.getValue()) {
        KerasTensor t = tensorOf(model, layerName, e.getKey());
        tensors.add(t);
        if (!containsIdentity(wanted, t)) {
          wanted.add(t);
        }
      }
      extra.put(e.getKey(), tensors);
    }
    Traced traced = trace(model, wanted);
    List<Signature> signatures = new ArrayList<>();
    signatures.add(signature(DEFAULT_SIGNATURE, model.inputs(), model.outputs(), outputKeys(model.outputs()), traced));
    for (Map.Entry<String, List<KerasTensor>> e : extra.entrySet()) {
      List<String> keys = new ArrayList<>(options.signatures().get(e.getKey()));
      if (keys.size() != Set.copyOf(keys).size()) {
        throw new IllegalArgumentException("Signature '" + e.getKey() + "' names a layer twice: " + keys);
      }
      signatures.add(signature(e.getKey(), inputsOf(model, e.getValue()), e.getValue(), keys, traced));
    }
    SavedModelWriter.export(model.runtime().session(), dir, signatures);
    if (options.verbose()) {
      print.accept(describe(dir, signatures));
    }
  }

  /** Placeholders for the model's inputs and the inference outputs of {@code tensors}, in the model's graph. */
  private record Traced(List<KerasTensor> inputs, List<KerasTensor> tensors, List<Operand<TFloat32>> feeds,
      List<Operand<TFloat32>> outputs) {}

  private static Traced trace(Model model, List<KerasTensor> wanted) {
    synchronized (TRACES) {
      List<Traced> known = TRACES.computeIfAbsent(model, m -> new ArrayList<>());
      for (Traced t : known) {
        if (sameTensors(t.inputs(), model.inputs()) && sameTensors(t.tensors(), wanted)) {
          return t;
        }
      }
      GraphRuntime rt = model.runtime();
      Ops tf = rt.scope(model.name() + "/export");
      List<Operand<TFloat32>> feeds = new ArrayList<>();
      for (KerasTensor in : model.inputs()) {
        Ops named = tf.withName(in.layer().name());
        // A string input is a TString placeholder, carried through the layers as StringTensors describes.
        feeds.add(in.dtype().equals(KerasTensor.STRING)
            ? StringTensors.carry(named.placeholder(TString.class, Placeholder.shape(in.shape())))
            : named.placeholder(TFloat32.class, Placeholder.shape(in.shape())));
      }
      List<Operand<TFloat32>> outs;
      if (sameTensors(wanted, model.outputs())) {
        outs = model.call(new ArrayList<>(feeds), false);
      } else {
        // The same layers, also returning the hidden tensors that extra signatures ask for.
        try (Model withHidden = new Model(model.inputs(), wanted, model.name() + "_export")) {
          outs = withHidden.call(new ArrayList<>(feeds), false);
        }
      }
      List<Operand<TFloat32>> identities = new ArrayList<>();
      for (int i = 0; i < outs.size(); i++) {
        // Identity keeps each fetch distinct from the feeds, also for a model whose output is its input.
        identities.add(tf.withName(wanted.get(i).layer().name()).identity(outs.get(i)));
      }
      Traced t = new Traced(List.copyOf(model.inputs()), List.copyOf(wanted), feeds, identities);
      known.add(t);
      return t;
    }
  }

  private static Signature signature(String key, List<KerasTensor> inputs, List<KerasTensor> outputs,
      List<String> outputKeys, Traced traced) {
    Signature.Builder b = Signature.builder().key(key).methodName(SavedModelWriter.PREDICT_METHOD);
    for (KerasTensor in : inputs) {
      b.input(in.layer().name(), traced.feeds().get(indexOf(traced.inputs(), in)));
    }
    for (int i = 0; i < outputs.size(); i++) {
      b.output(outputKeys.get(i), traced.outputs().get(indexOf(traced.tensors(), outputs.get(i))));
    }
    return b.build();
  }

  /** Output layer names, made unique with {@code _1}, {@code _2} when a layer gives several outputs. */
  private static List<String> outputKeys(List<KerasTensor> outputs) {
    List<String> keys = new ArrayList<>();
    for (KerasTensor t : outputs) {
      String base = t.layer().name();
      String key = base;
      for (int n = 1; keys.contains(key); n++) {
        key = base + "_" + n;
      }
      keys.add(key);
    }
    return keys;
  }

  /** The output of the named layer in this model: a model output, or the only call of a hidden layer. */
  private static KerasTensor tensorOf(Model model, String layerName, String signatureKey) {
    for (KerasTensor out : model.outputs()) {
      if (out.layer().name().equals(layerName)) {
        return out;
      }
    }
    for (KerasTensor in : model.inputs()) {
      if (in.layer().name().equals(layerName)) {
        return in;
      }
    }
    Layer layer;
    try {
      layer = model.getLayer(layerName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Signature '" + signatureKey + "': " + e.getMessage(), e);
    }
    Set<Node> nodes = new HashSet<>(model.nodes());
    List<Node> calls = new ArrayList<>();
    for (Node n : layer.inboundNodes()) {
      if (nodes.contains(n)) {
        calls.add(n);
      }
    }
    if (calls.size() != 1) {
      throw new IllegalArgumentException("Signature '" + signatureKey + "': layer '" + layerName + "' is called "
          + calls.size() + " times in model '" + model.name() + "', so its output is ambiguous; name an output "
          + "layer or a layer called once");
    }
    return calls.get(0).outputs().get(0);
  }

  /** The model inputs that {@code tensors} depend on, in the model's input order. */
  private static List<KerasTensor> inputsOf(Model model, List<KerasTensor> tensors) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Node> todo = new ArrayDeque<>();
    tensors.forEach(t -> todo.push(t.node()));
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (seen.add(n)) {
        n.inputs().forEach(t -> todo.push(t.node()));
      }
    }
    List<KerasTensor> out = new ArrayList<>();
    for (KerasTensor in : model.inputs()) {
      if (seen.contains(in.node())) {
        out.add(in);
      }
    }
    return out;
  }

  private static String describe(Path dir, List<Signature> signatures) {
    StringBuilder b = new StringBuilder("Saved artifact at '").append(dir)
        .append("'. The following signatures are available:\n");
    for (Signature s : signatures) {
      b.append("\n* Signature '").append(s.key()).append("'\n");
      s.getInputs().forEach((name, d) -> b.append("  input  '").append(name).append("': ")
          .append(Shapes.format(d.shape)).append(' ').append(dtypeName(d.dataType)).append('\n'));
      s.getOutputs().forEach((name, d) -> b.append("  output '").append(name).append("': ")
          .append(Shapes.format(d.shape)).append(' ').append(dtypeName(d.dataType)).append('\n'));
    }
    return b.toString().stripTrailing();
  }

  private static String dtypeName(DataType type) {
    return type == DataType.DT_STRING ? "string" : "float32";
  }

  private static boolean sameTensors(List<KerasTensor> a, List<KerasTensor> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsIdentity(List<KerasTensor> list, KerasTensor t) {
    return indexOf(list, t) >= 0;
  }

  private static int indexOf(List<KerasTensor> list, KerasTensor t) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == t) {
        return i;
      }
    }
    return -1;
  }
}
