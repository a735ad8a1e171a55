package io.github.keras4j.saving;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.models.NestedModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keras's order of a layer's weights in legacy {@code .h5} files ({@code _legacy_weights}), behind {@link LegacyH5}
 * (package-private); the layers themselves come in {@link io.github.keras4j.models.Model#layers()} order, which is
 * Keras's.
 */
final class LegacyWeightOrder {

  private LegacyWeightOrder() {}

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
      for (Layer inner : nested.model().layers()) {
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
