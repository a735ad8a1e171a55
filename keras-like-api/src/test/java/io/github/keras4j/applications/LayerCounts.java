package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
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
 * Test support for the applications: the layers of a layer graph and their names, their parameters worked out from
 * each layer's settings and input shape without building anything, the parameters of a built model, the release of
 * the nested models a graph holds, and an arithmetic {@link Count} to write an architecture's parameters out by hand.
 */
final class LayerCounts {

  private LayerCounts() {}

  /** The layers that {@code output} comes from (the input layers included), output first (a walk back). */
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

  /** The layers of a layer graph, output first. */
  static List<Layer> layers(LayerGraph graph) {
    return layers(graph.output());
  }

  /** The names of {@link #layers}. */
  static List<String> names(LayerGraph graph) {
    List<String> out = new ArrayList<>();
    layers(graph).forEach(l -> out.add(l.name()));
    return out;
  }

  /** The layer named {@code name}. */
  static Layer layer(LayerGraph graph, String name) {
    for (Layer l : layers(graph)) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    throw new AssertionError("no layer " + name + " in " + names(graph));
  }

  /** The weightless layer kinds of the architectures; each is also checked to have no weights. */
  private static final Set<String> WEIGHTLESS = Set.of("Activation", "ReLU", "ZeroPadding2D", "Cropping2D",
      "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Add", "Multiply",
      "Concatenate", "Flatten", "Dropout", "Reshape", "Rescaling", "CustomScaleLayer", "StochasticDepth");

  /** As {@link #count(KerasTensor)} for a layer graph. */
  static long[] count(LayerGraph graph) {
    return count(graph.output());
  }

  /**
   * The trainable scalars, non-trainable scalars and weight variables of the graph ending in {@code output}, from
   * Keras's weight shapes of each layer's settings and input shape, without building anything: Conv2D
   * {@code (kh, kw, in / groups, filters)} and its bias, DepthwiseConv2D {@code (kh, kw, in, m)}, SeparableConv2D
   * {@code (kh, kw, in, m)} and {@code (1, 1, in m, filters)}, Dense, BatchNormalization ({@code gamma} with
   * {@code scale} and {@code beta} with {@code center} trainable, the moving mean and variance not), LayerNormalization
   * and LayerScale over the last axis, an adapted Normalization (mean and variance per channel and a scalar count,
   * none trainable; none when given its statistics), and a nested model's layers. Any other layer must be weightless.
   */
  static long[] count(KerasTensor output) {
    long trainable = 0;
    long nonTrainable = 0;
    long variables = 0;
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
      long biases = bias ? 1 : 0;
      if (layer instanceof NestedModel nested) {
        long[] inner = count(nested.model().outputs().get(0));
        trainable += inner[0];
        nonTrainable += inner[1];
        variables += inner[2];
      } else if (layer instanceof Conv2D conv) {
        int[] k = conv.kernelSize();
        trainable += (long) k[0] * k[1] * (channels / conv.groups()) * conv.filters() + biases * conv.filters();
        variables += 1 + biases;
      } else if (layer instanceof DepthwiseConv2D dw) {
        int[] k = dw.kernelSize();
        long out = channels * dw.depthMultiplier();
        trainable += k[0] * k[1] * out + biases * out;
        variables += 1 + biases;
      } else if (layer instanceof SeparableConv2D sep) {
        int[] k = sep.kernelSize();
        long mid = channels * sep.depthMultiplier();
        trainable += k[0] * k[1] * mid + mid * sep.filters() + biases * sep.filters();
        variables += 2 + biases;
      } else if (layer instanceof Dense dense) {
        trainable += channels * dense.units() + biases * dense.units();
        variables += 1 + biases;
      } else if (layer instanceof BatchNormalization || layer instanceof LayerNormalization) {
        if (layer instanceof LayerNormalization) {
          assertTrue(config.get("axis").equals(-1), "LayerNormalization over the channels");
        }
        long affine = (Boolean.TRUE.equals(config.get("center")) ? 1 : 0)
            + (Boolean.TRUE.equals(config.get("scale")) ? 1 : 0);
        trainable += affine * channels;
        variables += affine;
        if (layer instanceof BatchNormalization) {
          nonTrainable += 2 * channels;
          variables += 2;
        }
      } else if (layer instanceof LayerScale) {
        trainable += ((Number) config.get("projection_dim")).longValue();
        variables += 1;
      } else if (layer instanceof Normalization) {
        if (config.get("mean") == null) {
          nonTrainable += 2 * channels + 1;
          variables += 3;
        }
      } else {
        assertTrue(WEIGHTLESS.contains(layer.getClass().getSimpleName()), "unexpected layer " + layer);
        assertTrue(layer.weights().isEmpty(), layer + " should have no weights");
      }
    }
    return new long[] {trainable, nonTrainable, variables};
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
    for (Layer l : layers(graph)) {
      if (l instanceof NestedModel nested) {
        nested.model().close();
      }
    }
  }

  /**
   * Builds the model (its graph variables only: nothing is initialized or run, so even 119M parameters cost no
   * memory) and checks its total, trainable and non-trainable parameters and its number of weight variables.
   */
  static void checkBuilt(LayerGraph graph, long total, long trainable, long variables) {
    try (Model m = graph.toModel()) {
      long counted = 0;
      for (GraphVariable v : m.trainableVariables()) {
        counted += v.size();
      }
      assertEquals(total, m.countParams(), graph.name() + " total, built");
      assertEquals(trainable, counted, graph.name() + " trainable, built");
      long weights = 0;
      for (Layer l : m.layers()) {
        weights += l.weights().size();
      }
      assertEquals(variables, weights, graph.name() + " weight variables, built");
    }
  }

  /** Trainable and non-trainable scalars and weight variables, accumulated layer by layer. */
  static final class Count {
    long trainable;
    long nonTrainable;
    long variables;

    Count conv(long k, long in, long out, boolean bias) {
      trainable += k * k * in * out + (bias ? out : 0);
      variables += bias ? 2 : 1;
      return this;
    }

    Count depthwise(long k, long channels) {
      trainable += k * k * channels;
      variables += 1;
      return this;
    }

    Count bn(long channels) {
      trainable += 2 * channels;
      nonTrainable += 2 * channels;
      variables += 4;
      return this;
    }

    /** Keras's Normalization with weights: mean and variance per channel, and a scalar count. */
    Count normalization(long channels) {
      nonTrainable += 2 * channels + 1;
      variables += 3;
      return this;
    }

    Count dense(long in, long out) {
      trainable += in * out + out;
      variables += 2;
      return this;
    }

    /** Squeeze and excitation: a 1x1 reduction and a 1x1 expansion, both with bias. */
    Count squeezeExcite(long channels, long reduced) {
      return conv(1, channels, reduced, true).conv(1, reduced, channels, true);
    }

    long total() {
      return trainable + nonTrainable;
    }
  }
}
