package io.github.keras4j.saving;

import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.Node;
import io.github.keras4j.layers.attention.AttentionLayer;
import io.github.keras4j.layers.rnn.ReturnsState;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Sequential;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's architecture to and from its saved form, as Keras's {@code model.get_config()} and
 * {@code Functional.from_config} / {@code Sequential.from_config}.
 *
 * <p>A {@link Sequential} model is saved as {@code {"class_name": "Sequential", "config": {"name": ..., "layers":
 * [<InputLayer>, <layer>, ...]}}}. Any other model is saved as Keras's functional form: {@code {"class_name":
 * "Functional", "config": {"name": ..., "layers": [...], "input_layers": [[name, 0, 0], ...], "output_layers":
 * [...]}}}, where each layer entry is the layer's {@code {"class_name", "config"}} plus its {@code name} and
 * {@code inbound_nodes}: one entry per call of the layer in this model, {@code {"args": [<tensor>], "kwargs": {}}}
 * (a merging layer's one argument is the list of its input tensors), each tensor written as Keras's
 * {@code {"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "dtype": "float32", "keras_history":
 * [layer_name, node_index, tensor_index]}}}. Rebuilding creates every layer from its config, calls the layers in
 * node order on the rebuilt tensors (shared layers are called once per node) and makes the model of the saved
 * inputs and outputs.
 *
 * <pre>{@code
 * Map<String, Object> config = ModelConfig.serialize(model);
 * Model copy = ModelConfig.deserialize(config, new CustomObjects());   // fresh weights
 * }</pre>
 *
 * <p>Java differences from Keras: a subclass of {@link Model} other than Sequential is saved and rebuilt as a
 * functional {@code Model} of the same graph (Keras needs the subclass's {@code get_config}); the final states of
 * a recurrent layer ({@link ReturnsState#applyWithState}) and the scores of an attention layer
 * ({@link AttentionLayer#applyWithScores}) are saved as entries of Keras4J's own classes {@code RnnStateOutput} and
 * {@code AttentionScores} called on the layer's output (Keras saves them as the layer call's second output, with
 * {@code return_state} or {@code return_attention_scores}), and are rebuilt by calling that method again, so their
 * layers get fresh generated names.
 */
public final class ModelConfig {

  /** The class of a recurrent layer's final state ({@code applyWithState}), rebuilt with its recurrent layer. */
  private static final String RNN_STATE = "RnnStateOutput";
  /** The class of an attention layer's scores ({@code applyWithScores}), rebuilt with its attention layer. */
  private static final String ATTENTION_SCORES = "AttentionScores";

  private ModelConfig() {}

  // ------------------------------------------------------------------ saving

  /**
   * The model's saved form.
   *
   * @throws IllegalArgumentException when the model cannot be saved: two layers with one name, a layer of an
   *     anonymous class, an activation given as a Java function without a Keras id, a regularizer, constraint or
   *     initializer given as a lambda (the message names the layer and the setting)
   */
  public static Map<String, Object> serialize(Model model) {
    List<Layer> layers = orderedLayers(model);
    Set<Node> modelNodes = new HashSet<>(model.nodes());
    Map<String, Layer> byName = new HashMap<>();
    for (Layer l : layers) {
      Layer other = byName.put(l.name(), l);
      if (other != null && other != l) {
        throw new IllegalArgumentException("Cannot save model '" + model.name() + "': two of its layers are named '"
            + l.name() + "' (" + other.getClass().getSimpleName() + " and " + l.getClass().getSimpleName()
            + "); layer names must be unique in a model");
      }
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", model.name());
    config.put("trainable", model.isTrainable());
    List<Object> layerConfigs = new ArrayList<>();
    boolean sequential = model instanceof Sequential;
    for (Layer l : layers) {
      Map<String, Object> entry = LayerRegistry.serialize(l);
      checkSavable(model, l, entry, null, "");
      if (!sequential) {
        entry.put("name", l.name());
        List<Object> nodes = new ArrayList<>();
        for (Node n : nodesOf(l, modelNodes)) {
          if (n.inputs().isEmpty()) {
            continue; // an input layer's own node, which Keras does not list
          }
          List<Object> tensors = new ArrayList<>();
          for (KerasTensor t : n.inputs()) {
            tensors.add(tensor(t, modelNodes));
          }
          Map<String, Object> node = new LinkedHashMap<>();
          node.put("args", tensors.size() == 1 || l.positionalInputs() ? tensors : List.of(tensors));
          node.put("kwargs", new LinkedHashMap<>());
          nodes.add(node);
        }
        entry.put("inbound_nodes", nodes);
      }
      layerConfigs.add(entry);
    }
    config.put("layers", layerConfigs);
    if (sequential) {
      config.put("build_input_shape", shape(model.inputs().get(0).shape()));
    } else {
      List<Object> ins = new ArrayList<>();
      for (KerasTensor t : model.inputs()) {
        ins.add(history(t, modelNodes));
      }
      List<Object> outs = new ArrayList<>();
      for (KerasTensor t : model.outputs()) {
        outs.add(history(t, modelNodes));
      }
      config.put("input_layers", ins);
      config.put("output_layers", outs);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("class_name", sequential ? "Sequential" : "Functional");
    out.put("config", config);
    return out;
  }

  /** The input layers first (in input order), then the model's other layers in its order. */
  private static List<Layer> orderedLayers(Model model) {
    Set<Layer> out = new LinkedHashSet<>();
    for (KerasTensor t : model.inputs()) {
      out.add(t.layer());
    }
    out.addAll(model.layers());
    return new ArrayList<>(out);
  }

  /** The layer's calls that belong to the model, in call order: a node's index is its position here. */
  private static List<Node> nodesOf(Layer layer, Set<Node> modelNodes) {
    List<Node> out = new ArrayList<>();
    for (Node n : layer.inboundNodes()) {
      if (modelNodes.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  private static List<Object> history(KerasTensor t, Set<Node> modelNodes) {
    return List.of(t.layer().name(), nodesOf(t.layer(), modelNodes).indexOf(t.node()), t.index());
  }

  private static Map<String, Object> tensor(KerasTensor t, Set<Node> modelNodes) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("shape", shape(t.shape()));
    config.put("dtype", t.dtype());
    config.put("keras_history", history(t, modelNodes));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("class_name", "__keras_tensor__");
    out.put("config", config);
    return out;
  }

  private static List<Long> shape(org.tensorflow.ndarray.Shape shape) {
    List<Long> out = new ArrayList<>();
    for (long d : shape.asArray()) {
      out.add(d < 0 ? null : d);
    }
    return out;
  }

  /**
   * Fails now for what could be saved but never loaded: activations without a Keras id (a Java function), and
   * nested objects of lambda or anonymous classes.
   */
  private static void checkSavable(Model model, Layer layer, Object value, String currentClass, String path) {
    if (value instanceof Map<?, ?> map) {
      String where = "Cannot save model '" + model.name() + "': layer '" + layer.name() + "' ("
          + layer.getClass().getSimpleName() + ")";
      String className = currentClass;
      if (map.get("class_name") instanceof String name) {
        if (!isJavaName(name)) {
          throw new IllegalArgumentException(where + ": its " + path + " is an instance of " + name + ", a lambda or "
              + "anonymous class, which cannot be rebuilt on load. Implement it as a named class with getConfig() and "
              + "register it when loading (CustomObjects)");
        }
        className = name;
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (e.getValue() == null && (key.equals("activation") || key.endsWith("_activation"))
            && !"Activation".equals(className)) {
          throw new IllegalArgumentException(where + " has its " + key + " given as a Java function, which has no "
              + "Keras id and cannot be saved. Use a built-in id (\"relu\", \"gelu\", ...), or apply the function in "
              + "a Layer subclass of your own");
        }
        checkSavable(model, layer, e.getValue(), className,
            key.equals("config") ? path : (path.isEmpty() ? key : path + "." + key));
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        checkSavable(model, layer, item, currentClass, path);
      }
    }
  }

  private static boolean isJavaName(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!Character.isJavaIdentifierPart(name.charAt(i)) || name.charAt(i) == '$') {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ loading

  /**
   * Rebuilds the model described by {@code spec} with fresh weights.
   *
   * @param customObjects custom classes, or null for none
   * @throws IllegalArgumentException for an unknown layer class (the message says how to register it), a layer
   *     config the layer rejects, or a config whose graph does not hold together (the message says what is wrong)
   */
  public static Model deserialize(Map<String, Object> spec, CustomObjects customObjects) {
    CustomObjects custom = customObjects == null ? new CustomObjects() : customObjects;
    Object className = spec.get("class_name");
    Config config = new Config(Map.of(), String.valueOf(className), custom).nestedConfig(spec);
    if ("Sequential".equals(className)) {
      return sequential(config, custom);
    }
    if ("Functional".equals(className) || "Model".equals(className)) {
      return functional(config, custom);
    }
    throw new IllegalArgumentException("Unknown model class " + Json.describe(className) + ": expected "
        + "\"Sequential\" or \"Functional\"");
  }

  private static Model sequential(Config config, CustomObjects custom) {
    List<Layer> layers = new ArrayList<>();
    for (Object entry : config.getList("layers")) {
      layers.add(LayerRegistry.deserialize(entry, custom));
    }
    if (layers.isEmpty() || !(layers.get(0) instanceof InputLayer)) {
      throw new IllegalArgumentException("The saved Sequential model '" + config.name() + "' does not start with an "
          + "InputLayer, so its input shape is unknown");
    }
    return new Sequential(config.name(), layers);
  }

  /** A saved layer entry of a functional config. */
  private record Entry(String name, String className, Map<String, Object> spec, List<?> nodes) {}

  private static Model functional(Config config, CustomObjects custom) {
    String model = "the saved model '" + config.name() + "'";
    List<Entry> entries = new ArrayList<>();
    Map<String, Layer> layers = new LinkedHashMap<>();
    Map<String, Entry> sideEntries = new LinkedHashMap<>();
    for (Object item : config.getList("layers")) {
      if (!(item instanceof Map<?, ?> raw)) {
        throw new IllegalArgumentException(model + " has a layer entry that is not an object: " + Json.describe(item));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) raw;
      Config entry = new Config(map, String.valueOf(map.get("class_name")), custom);
      String name = entry.getString("name");
      if (layers.containsKey(name) || sideEntries.containsKey(name)) {
        throw new IllegalArgumentException(model + " has two layers named '" + name + "'");
      }
      Entry e = new Entry(name, entry.getString("class_name"), map, entry.has("inbound_nodes")
          ? entry.getList("inbound_nodes") : List.of());
      entries.add(e);
      if (isSideOutput(e.className)) {
        sideEntries.put(name, e);
      } else {
        layers.put(name, LayerRegistry.deserialize(map, custom));
      }
    }
    // Tensors by "layer#node#index"; input layers provide theirs at once.
    Map<String, KerasTensor> tensors = new HashMap<>();
    Map<String, Integer> calls = new HashMap<>();
    for (Map.Entry<String, Layer> e : layers.entrySet()) {
      if (e.getValue() instanceof InputLayer in) {
        tensors.put(key(e.getKey(), 0, 0), in.output());
      }
    }
    // Pending calls in saved order; each pass makes the calls whose inputs exist, in each layer's node order.
    List<Object[]> pending = new ArrayList<>();
    for (Entry e : entries) {
      for (int i = 0; i < e.nodes.size(); i++) {
        pending.add(new Object[] {e, i});
      }
    }
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (java.util.Iterator<Object[]> it = pending.iterator(); it.hasNext(); ) {
        Object[] p = it.next();
        Entry e = (Entry) p[0];
        int index = (Integer) p[1];
        if (calls.getOrDefault(e.name, 0) != index) {
          continue;
        }
        List<KerasTensor> args = arguments(model, e, e.nodes.get(index), tensors, layers, sideEntries);
        if (args == null) {
          continue;
        }
        call(model, e, index, args, layers, sideEntries, tensors);
        calls.put(e.name, index + 1);
        it.remove();
        progress = true;
      }
      if (!progress) {
        Entry e = (Entry) pending.get(0)[0];
        throw new IllegalArgumentException(model + " cannot be rebuilt: the inputs of layer '" + e.name + "' (call "
            + pending.get(0)[1] + ") are never produced; the config's graph is incomplete or cyclic");
      }
    }
    List<KerasTensor> inputs = endpoints(model, config.getList("input_layers"), "input_layers", tensors);
    List<KerasTensor> outputs = endpoints(model, config.getList("output_layers"), "output_layers", tensors);
    return new Model(inputs, outputs, config.name());
  }

  private static String key(String layer, int node, int index) {
    return layer + "#" + node + "#" + index;
  }

  /** The tensors a saved call takes, or null while one of them is not built yet. */
  private static List<KerasTensor> arguments(String model, Entry e, Object node, Map<String, KerasTensor> tensors,
      Map<String, Layer> layers, Map<String, Entry> sideEntries) {
    if (!(node instanceof Map<?, ?> map) || !(map.get("args") instanceof List<?> args) || args.isEmpty()) {
      throw new IllegalArgumentException(model + ": an inbound node of layer '" + e.name + "' has no \"args\" list");
    }
    List<?> items = args.size() == 1 && args.get(0) instanceof List<?> list ? list : args;
    List<KerasTensor> out = new ArrayList<>();
    for (Object item : items) {
      List<?> history = kerasHistory(model, e.name, item);
      String layer = String.valueOf(history.get(0));
      if (!layers.containsKey(layer) && !sideEntries.containsKey(layer)) {
        throw new IllegalArgumentException(model + ": layer '" + e.name + "' is called on the output of layer '"
            + layer + "', which is not in the model");
      }
      KerasTensor t = tensors.get(key(layer, ((Number) history.get(1)).intValue(), ((Number) history.get(2)).intValue()));
      if (t == null) {
        return null;
      }
      out.add(t);
    }
    return out;
  }

  private static List<?> kerasHistory(String model, String layer, Object tensor) {
    Object history = tensor instanceof Map<?, ?> t && t.get("config") instanceof Map<?, ?> c
        ? c.get("keras_history") : tensor;
    if (history instanceof List<?> h && h.size() == 3 && h.get(0) instanceof String && h.get(1) instanceof Number
        && h.get(2) instanceof Number) {
      return h;
    }
    throw new IllegalArgumentException(model + ": an input of layer '" + layer + "' is not a tensor reference "
        + "[layer_name, node_index, tensor_index]: " + Json.describe(history));
  }

  /** Makes one saved call and records its output tensor(s). */
  private static void call(String model, Entry e, int index, List<KerasTensor> args, Map<String, Layer> layers,
      Map<String, Entry> sideEntries, Map<String, KerasTensor> tensors) {
    if (isSideOutput(e.className)) {
      if (!tensors.containsKey(key(e.name, index, 0))) {
        throw new IllegalArgumentException(model + ": layer '" + e.name + "' (" + (e.className.equals(RNN_STATE)
            ? "the final state of a recurrent layer) is not called on the output of a recurrent layer with "
                + "returnState"
            : "the scores of an attention layer) is not called on the output of an attention layer"));
      }
      return;
    }
    Layer layer = layers.get(e.name);
    if (layer instanceof ReturnsState rnn && rnn.returnState()) {
      // The final states: every RnnStateOutput entry called on this call's output gets the state it names. The
      // arguments after the sequence are the call's initial states.
      List<KerasTensor> withState = rnn.applyWithState(args.get(0), args.subList(1, args.size()));
      tensors.put(key(e.name, index, 0), withState.get(0));
      for (SideCall state : sideCalls(model, sideEntries, RNN_STATE, e.name, index)) {
        Config c = new Config(Map.of(), RNN_STATE, null).nestedConfig(state.entry.spec);
        int stateIndex = c.getInt("state_index");
        if (stateIndex < 0 || stateIndex >= withState.size() - 1) {
          throw new IllegalArgumentException(model + ": layer '" + state.entry.name + "' takes state "
              + stateIndex + " of layer '" + e.name + "', which has " + (withState.size() - 1));
        }
        tensors.put(key(state.entry.name, state.node, 0), withState.get(stateIndex + 1));
      }
      return;
    }
    List<SideCall> scores = sideCalls(model, sideEntries, ATTENTION_SCORES, e.name, index);
    if (layer instanceof AttentionLayer attention && !scores.isEmpty()) {
      // The call's scores, for every AttentionScores entry called on its output.
      List<KerasTensor> withScores = attention.applyWithScores(args);
      tensors.put(key(e.name, index, 0), withScores.get(0));
      for (SideCall s : scores) {
        tensors.put(key(s.entry.name, s.node, 0), withScores.get(1));
      }
      return;
    }
    tensors.put(key(e.name, index, 0), args.size() == 1 ? layer.apply(args.get(0)) : layer.apply(args));
  }

  private static boolean isSideOutput(String className) {
    return className.equals(RNN_STATE) || className.equals(ATTENTION_SCORES);
  }

  /** A call ({@code node}) of a side-output entry. */
  private record SideCall(Entry entry, int node) {}

  /** The calls of {@code className} side-output entries on the output of call {@code index} of {@code layer}. */
  private static List<SideCall> sideCalls(String model, Map<String, Entry> sideEntries, String className,
      String layer, int index) {
    List<SideCall> out = new ArrayList<>();
    for (Entry side : sideEntries.values()) {
      if (!side.className.equals(className)) {
        continue;
      }
      for (int i = 0; i < side.nodes.size(); i++) {
        if (side.nodes.get(i) instanceof Map<?, ?> m && m.get("args") instanceof List<?> a && a.size() == 1) {
          List<?> history = kerasHistory(model, side.name, a.get(0));
          if (history.get(0).equals(layer) && ((Number) history.get(1)).intValue() == index) {
            out.add(new SideCall(side, i));
          }
        }
      }
    }
    return out;
  }

  private static List<KerasTensor> endpoints(String model, List<?> refs, String key, Map<String, KerasTensor> tensors) {
    List<KerasTensor> out = new ArrayList<>();
    // Keras 3 writes a model with one input (output) as that one reference, ["input_layer", 0, 0], not a list of one.
    List<?> all = !refs.isEmpty() && refs.get(0) instanceof String ? List.of(refs) : refs;
    for (Object ref : all) {
      List<?> h = kerasHistory(model, key, ref);
      KerasTensor t = tensors.get(key(String.valueOf(h.get(0)), ((Number) h.get(1)).intValue(),
          ((Number) h.get(2)).intValue()));
      if (t == null) {
        throw new IllegalArgumentException(model + ": " + key + " names " + h + ", which is not a tensor of the "
            + "model");
      }
      out.add(t);
    }
    return out;
  }
}
