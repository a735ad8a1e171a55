package io.github.keras4j.layers;

import io.github.keras4j.backend.Backend;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One object of Keras 3's saved state, as a {@code .weights.h5} file (and the weights of a {@code .keras} file) lays it
 * out: the variables the object stores itself (Keras's {@code save_own_variables}: the datasets {@code 0},
 * {@code 1}, ... of its {@code vars} group) and its sub-objects under the Python attribute names Keras gives them
 * ({@code cell}, {@code forward_layer}, {@code query_dense}, {@code layers/dense_1}). {@link Layer#savedState()}
 * returns a layer's.
 *
 * <p>Most nodes are layers; a layer that holds, as its own weights, what Keras keeps in a sublayer describes that
 * sublayer with {@link #part}: an {@code LSTM}'s kernels are in Keras its {@code cell}'s, so its state is an empty
 * node with a {@code cell} part holding them:
 *
 * <pre>{@code
 * return SavedState.part(name(), this, List.of()).child("cell", SavedState.part("lstm_cell", this, weights()));
 * }</pre>
 *
 * <p>A layer node made by {@link #of(Layer)} stores the layer's {@link Layer#savedWeights()} through its
 * {@link Layer#saveOwnVariables} and {@link Layer#loadOwnVariables} (a LoRA layer's merged kernel); a part stores its
 * variables as they are.
 */
public final class SavedState {

  private final String name;
  private final Layer layer;
  private final List<Layer.Weight> variables;
  private final boolean ownedByLayer;
  private final Map<String, SavedState> children = new LinkedHashMap<>();

  private SavedState(String name, Layer layer, List<Layer.Weight> variables, boolean ownedByLayer) {
    this.name = name;
    this.layer = layer;
    this.variables = List.copyOf(variables);
    this.ownedByLayer = ownedByLayer;
  }

  /**
   * The node of {@code layer} itself: its {@link Layer#savedWeights()}, converted by its {@link Layer#saveOwnVariables}
   * and {@link Layer#loadOwnVariables}; no children yet.
   */
  public static SavedState of(Layer layer) {
    return new SavedState(layer.name(), layer, layer.savedWeights(), true);
  }

  /**
   * A node for an object Keras has and Keras4J folds into {@code owner} (an {@code LSTM}'s cell, a
   * {@code MultiHeadAttention}'s query projection): {@code variables}, stored as they are.
   *
   * @param name the object's name in Keras, written as the {@code name} attribute of its {@code vars} group
   * @param owner the layer the variables belong to, named in messages
   * @param variables the variables in Keras's order
   */
  public static SavedState part(String name, Layer owner, List<Layer.Weight> variables) {
    return new SavedState(name, owner, variables, false);
  }

  /**
   * Adds {@code child} under {@code attribute} (a Python attribute name such as {@code cell}, or a path such as
   * {@code layers/dense} for an item of a list attribute); returns this node.
   *
   * @throws IllegalArgumentException if the attribute is taken
   */
  public SavedState child(String attribute, SavedState child) {
    if (children.putIfAbsent(attribute, child) != null) {
      throw new IllegalArgumentException("Saved state '" + name + "' already has a child '" + attribute + "'");
    }
    return this;
  }

  /**
   * Keras's naming of the items of a list attribute ({@code _save_container_state}): each layer under
   * {@code attribute/<snake_case class name>}, made unique in order ({@code layers/dense}, {@code layers/dense_1},
   * {@code layers/conv2d}, ...), not under its runtime name.
   */
  public static Map<String, Layer> listAttribute(String attribute, List<? extends Layer> layers) {
    Map<String, Integer> used = new HashMap<>();
    Map<String, Layer> out = new LinkedHashMap<>();
    for (Layer layer : layers) {
      String base = Backend.snakeCase(layer.className());
      Integer n = used.merge(base, 0, (old, zero) -> old + 1);
      out.put(attribute + "/" + (n == 0 ? base : base + "_" + n), layer);
    }
    return out;
  }

  /** The object's name in Keras (the {@code name} attribute of its {@code vars} group). */
  public String name() {
    return name;
  }

  /** The layer the node belongs to: the layer itself, or for a part the layer that holds its variables. */
  public Layer layer() {
    return layer;
  }

  /** The variables the object stores itself, in Keras's order. */
  public List<Layer.Weight> variables() {
    return variables;
  }

  /**
   * Whether the variables are the layer's {@link Layer#savedWeights()}, stored through its
   * {@link Layer#saveOwnVariables} and read back through its {@link Layer#loadOwnVariables} ({@link #of}); false for
   * a {@link #part}, whose variables are stored as they are.
   */
  public boolean ownedByLayer() {
    return ownedByLayer;
  }

  /** The sub-objects by attribute (or list item) name, in the order Keras visits them. */
  public Map<String, SavedState> children() {
    return Collections.unmodifiableMap(children);
  }
}
