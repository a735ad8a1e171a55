package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.SeparableConv2D;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.normalization.LayerNormalization;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.NestedModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.Shape;

/**
 * Test helpers for the layer graphs of ConvNeXt and NASNet: their layers and names, their parameters worked out from
 * each layer's settings and input shape (without building anything), the parameters of a built model, and the
 * release of the nested models a ConvNeXt graph holds.
 */
final class GraphWalk {

  private GraphWalk() {}

  /** The layers that {@code output} comes from (the input layers included), output first. */
  static List<Layer> layers(KerasTensor output) {
    Set<Layer> seen = new LinkedHashSet<>();
    Deque<KerasTensor> todo = new ArrayDeque<>(List.of(output));
    while (!todo.isEmpty()) {
      KerasTensor t = todo.pop();
      if (seen.add(t.layer())) {
        todo.addAll(t.node().inputs());
      }
    }
    return new ArrayList<>(seen);
  }

  /** The names of {@link #layers}. */
  static List<String> names(LayerGraph graph) {
    List<String> out = new ArrayList<>();
    layers(graph.output()).forEach(l -> out.add(l.name()));
    return out;
  }

  /** The layer named {@code name}. */
  static Layer layer(LayerGraph graph, String name) {
    for (Layer l : layers(graph.output())) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    throw new AssertionError("no layer " + name + " in " + names(graph));
  }

  private static final Set<String> WEIGHTLESS = Set.of("InputLayer", "Activation", "Add", "Concatenate",
      "ZeroPadding2D", "Cropping2D", "AveragePooling2D", "MaxPooling2D", "GlobalAveragePooling2D",
      "GlobalMaxPooling2D", "StochasticDepth");

  /**
   * The trainable and non-trainable scalars of the graph ending in {@code output}, from Keras's weight shapes of each
   * layer's settings and input shape: Conv2D {@code (kh, kw, in / groups, filters)} and bias, SeparableConv2D
   * {@code (kh, kw, in, m)} and {@code (1, 1, in m, filters)}, Dense, BatchNormalization (gamma and beta trainable, the
   * moving statistics not), LayerNormalization and LayerScale over the last axis, a Normalization given its
   * statistics (none), and a nested model's layers.
   */
  static long[] count(KerasTensor output) {
    long trainable = 0;
    long nonTrainable = 0;
    Set<Layer> seen = new LinkedHashSet<>();
    Deque<KerasTensor> todo = new ArrayDeque<>(List.of(output));
    while (!todo.isEmpty()) {
      KerasTensor t = todo.pop();
      Layer layer = t.layer();
      if (!seen.add(layer)) {
        continue;
      }
      todo.addAll(t.node().inputs());
      if (layer instanceof InputLayer) {
        continue;
      }
      Shape in = t.node().inputShapes().get(0);
      long channels = in.get(in.numDimensions() - 1);
      Map<String, Object> config = layer.getConfig();
      boolean bias = Boolean.TRUE.equals(config.get("use_bias"));
      if (layer instanceof NestedModel nested) {
        long[] inner = count(nested.model().outputs().get(0));
        trainable += inner[0];
        nonTrainable += inner[1];
      } else if (layer instanceof Conv2D conv) {
        int[] k = conv.kernelSize();
        trainable += k[0] * k[1] * (channels / conv.groups()) * conv.filters() + (bias ? conv.filters() : 0);
      } else if (layer instanceof SeparableConv2D sep) {
        int[] k = sep.kernelSize();
        long mid = channels * sep.depthMultiplier();
        trainable += k[0] * k[1] * mid + mid * sep.filters() + (bias ? sep.filters() : 0);
      } else if (layer instanceof Dense dense) {
        trainable += channels * dense.units() + (bias ? dense.units() : 0);
      } else if (layer instanceof BatchNormalization) {
        trainable += (Boolean.TRUE.equals(config.get("center")) ? channels : 0)
            + (Boolean.TRUE.equals(config.get("scale")) ? channels : 0);
        nonTrainable += 2 * channels;
      } else if (layer instanceof LayerNormalization) {
        assertTrue(config.get("axis").equals(-1), "LayerNormalization over the channels");
        trainable += (Boolean.TRUE.equals(config.get("center")) ? channels : 0)
            + (Boolean.TRUE.equals(config.get("scale")) ? channels : 0);
      } else if (layer instanceof LayerScale) {
        trainable += ((Number) config.get("projection_dim")).longValue();
      } else if (layer instanceof Normalization norm) {
        assertNotNull(norm.mean(), "a Normalization given its statistics has no weights");
      } else {
        assertTrue(WEIGHTLESS.contains(layer.className()), "unexpected layer " + layer);
      }
    }
    return new long[] {trainable, nonTrainable};
  }

  /** The trainable and non-trainable scalars of a built model's variables, and the numbers of variables. */
  static long[] built(Model m) {
    long trainable = 0;
    for (GraphVariable v : m.trainableVariables()) {
      trainable += v.size();
    }
    long all = m.countParams();
    return new long[] {trainable, all - trainable, m.trainableVariables().size(), m.variables().size()};
  }

  /** Closes the nested models (ConvNeXt's stem and downsampling blocks) of a graph that did not become a model. */
  static void release(LayerGraph graph) {
    for (Layer l : layers(graph.output())) {
      if (l instanceof NestedModel nested) {
        nested.model().close();
      }
    }
  }
}
