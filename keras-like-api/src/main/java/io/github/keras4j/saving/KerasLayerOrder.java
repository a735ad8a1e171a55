package io.github.keras4j.saving;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.Node;
import io.github.keras4j.models.NestedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's orders behind {@link LegacyH5} (package-private): the layers of a functional graph as Keras's
 * {@code map_graph} orders {@code Functional.layers}, and a layer's weights as Keras's {@code _legacy_weights}.
 */
final class KerasLayerOrder {

  private KerasLayerOrder() {}

  /**
   * The layers of the graph from {@code inputs} to {@code outputs} in Keras's order: by decreasing depth (the longest
   * path to an output), layers of equal depth in the order a depth-first walk from the outputs first meets them, then
   * the input layers the outputs do not use.
   */
  static List<Layer> layers(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    List<Node> nodesInOrder = new ArrayList<>();
    Map<Layer, Integer> layerIndices = new HashMap<>();
    Set<Node> finished = new HashSet<>();
    for (KerasTensor output : outputs) {
      buildMap(output.node(), finished, nodesInOrder, layerIndices);
    }
    Set<Node> inGraph = new HashSet<>(nodesInOrder);
    Map<Node, Integer> nodeDepths = new HashMap<>();
    Map<Layer, Integer> layerDepths = new LinkedHashMap<>();
    for (int i = nodesInOrder.size() - 1; i >= 0; i--) {
      Node node = nodesInOrder.get(i);
      int depth = Math.max(nodeDepths.computeIfAbsent(node, n -> 0), layerDepths.getOrDefault(node.layer(), 0));
      layerDepths.put(node.layer(), depth);
      nodeDepths.put(node, depth);
      for (KerasTensor input : node.inputs()) {
        Node parent = input.node();
        if (inGraph.contains(parent)) {
          nodeDepths.merge(parent, depth + 1, Math::max);
        }
      }
    }
    for (KerasTensor input : inputs) {
      if (!layerDepths.containsKey(input.layer())) {
        layerDepths.put(input.layer(), 0);
        layerIndices.put(input.layer(), -1);
      }
    }
    List<Layer> out = new ArrayList<>(layerDepths.keySet());
    out.sort((a, b) -> {
      int byDepth = Integer.compare(layerDepths.get(b), layerDepths.get(a));
      return byDepth != 0 ? byDepth : Integer.compare(layerIndices.get(a), layerIndices.get(b));
    });
    return out;
  }

  /** Keras's {@code _build_map_helper}: nodes after their inputs; each layer numbered when first met. */
  private static void buildMap(Node node, Set<Node> finished, List<Node> order, Map<Layer, Integer> layerIndices) {
    if (finished.contains(node)) {
      return;
    }
    layerIndices.putIfAbsent(node.layer(), layerIndices.size());
    for (KerasTensor input : node.inputs()) {
      buildMap(input.node(), finished, order, layerIndices);
    }
    finished.add(node);
    order.add(node);
  }

  /**
   * A layer's weights in Keras's legacy order ({@code _legacy_weights}: {@code trainable_weights} then
   * {@code non_trainable_weights}). For a nested model, the weights of its layers in Keras's order, the trainable ones
   * of them first; a frozen layer's weights all count as non-trainable, so they keep their own order.
   */
  static List<Layer.Weight> legacyWeights(Layer layer) {
    List<Layer.Weight> ordered = kerasWeights(layer);
    Set<GraphVariable> trainable = new HashSet<>(layer.trainableVariables());
    List<Layer.Weight> out = new ArrayList<>();
    for (Layer.Weight w : ordered) {
      if (trainable.contains(w.variable())) {
        out.add(w);
      }
    }
    for (Layer.Weight w : ordered) {
      if (!trainable.contains(w.variable())) {
        out.add(w);
      }
    }
    return out;
  }

  /** Keras's {@code layer.weights}: the weights created trainable, then the others; a nested model's by layer. */
  private static List<Layer.Weight> kerasWeights(Layer layer) {
    List<Layer.Weight> out = new ArrayList<>();
    if (layer instanceof NestedModel nested) {
      for (Layer inner : layers(nested.model().inputs(), nested.model().outputs())) {
        out.addAll(kerasWeights(inner));
      }
      return out;
    }
    for (Layer.Weight w : layer.weights()) {
      if (w.trainable()) {
        out.add(w);
      }
    }
    for (Layer.Weight w : layer.weights()) {
      if (!w.trainable()) {
        out.add(w);
      }
    }
    return out;
  }
}
