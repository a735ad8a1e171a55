package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.models.Model;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.Shape;

/**
 * Test support for the EfficientNet families: the layers of a layer graph, their parameters worked out from each
 * layer's settings and input shape without building anything, and an arithmetic {@link Count} to write an
 * architecture's parameters out by hand.
 */
final class LayerCounts {

  private LayerCounts() {}

  /** The layers of a layer graph, output first (a walk back from the output). */
  static List<Layer> layers(LayerGraph graph) {
    Set<Layer> seen = new LinkedHashSet<>();
    Deque<KerasTensor> todo = new ArrayDeque<>(List.of(graph.output()));
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
    layers(graph).forEach(l -> out.add(l.name()));
    return out;
  }

  private static final Set<String> WEIGHTLESS = Set.of("Activation", "ZeroPadding2D", "GlobalAveragePooling2D",
      "GlobalMaxPooling2D", "Reshape", "Multiply", "Add", "Dropout", "Rescaling");

  /**
   * The trainable scalars, non-trainable scalars and weight variables of a layer graph, from Keras's weight shapes:
   * Conv2D {@code (k, k, in, filters)} and its bias, DepthwiseConv2D {@code (k, k, in, 1)}, Dense, BatchNormalization
   * (gamma and beta trainable, the moving mean and variance not) and an adapted Normalization (mean and variance per
   * channel and a scalar count, none trainable; none when given constants). Any other layer must be weightless.
   */
  static long[] count(LayerGraph graph) {
    long trainable = 0;
    long nonTrainable = 0;
    long variables = 0;
    for (Layer layer : layers(graph)) {
      if (layer instanceof InputLayer) {
        continue;
      }
      Shape in = layer.inboundNodes().get(0).inputShapes().get(0);
      long channels = in.get(in.numDimensions() - 1);
      Map<String, Object> config = layer.getConfig();
      boolean bias = Boolean.TRUE.equals(config.get("use_bias"));
      if (layer instanceof Conv2D conv) {
        int[] k = conv.kernelSize();
        trainable += k[0] * k[1] * channels * conv.filters() + (bias ? conv.filters() : 0);
        variables += bias ? 2 : 1;
      } else if (layer instanceof DepthwiseConv2D dw) {
        int[] k = dw.kernelSize();
        long out = channels * dw.depthMultiplier();
        trainable += k[0] * k[1] * out + (bias ? out : 0);
        variables += bias ? 2 : 1;
      } else if (layer instanceof Dense dense) {
        trainable += channels * dense.units() + (bias ? dense.units() : 0);
        variables += bias ? 2 : 1;
      } else if (layer instanceof BatchNormalization) {
        trainable += 2 * channels;
        nonTrainable += 2 * channels;
        variables += 4;
      } else if (layer instanceof Normalization) {
        if (config.get("mean") == null) {
          nonTrainable += 2 * channels + 1;
          variables += 3;
        }
      } else {
        assertTrue(WEIGHTLESS.contains(layer.getClass().getSimpleName()), "unexpected layer " + layer);
      }
    }
    return new long[] {trainable, nonTrainable, variables};
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
