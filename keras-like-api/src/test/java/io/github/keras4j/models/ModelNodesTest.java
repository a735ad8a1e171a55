package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.applications.ApplicationOptions;
import io.github.keras4j.applications.ResNet;
import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Node;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.merging.Add;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Model#nodes()}: a model's layer calls in topological order, the expected orders worked out by hand. */
class ModelNodesTest {

  private static List<String> names(List<Node> nodes) {
    List<String> out = new ArrayList<>();
    nodes.forEach(n -> out.add(n.layer().name()));
    return out;
  }

  private static List<String> layerNames(Model model) {
    List<String> out = new ArrayList<>();
    model.layers().forEach(l -> out.add(l.name()));
    return out;
  }

  /**
   * A residual block in Keras's order: Keras's ResNet50 {@code model.summary()} (as printed by Keras for
   * {@code keras.applications.ResNet50}) lists the shortcut and the third convolution of the first block interleaved
   * by depth: {@code conv2_block1_0_conv, conv2_block1_3_conv, conv2_block1_0_bn, conv2_block1_3_bn}. Keras's
   * pretrained weights files and weights-file layer numbering follow this order.
   */
  @Test
  void resNetLayersComeInKerasOrder() {
    Backend.clearSession();
    try (Model model = ResNet.resNet50(new ApplicationOptions().includeTop(false).inputShape(64, 64, 3))) {
      assertEquals(List.of("input_layer", "conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu", "pool1_pad",
          "pool1_pool", "conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_1_relu", "conv2_block1_2_conv",
          "conv2_block1_2_bn", "conv2_block1_2_relu", "conv2_block1_0_conv", "conv2_block1_3_conv",
          "conv2_block1_0_bn", "conv2_block1_3_bn", "conv2_block1_add", "conv2_block1_out", "conv2_block2_1_conv"),
          layerNames(model).subList(0, 20));
    }
  }

  /**
   * x -> shared (call p) ----------------> add -> (output 1)
   * x -> mid -> shared (call r) ----------^
   *      p -> side -> (output 2);    unused input;    shared also called on "elsewhere", outside the model.
   */
  @Test
  void branchingModelWithSharedLayer() {
    Backend.clearSession();
    KerasTensor x = Input.of("x", 3);
    KerasTensor unused = Input.of("unused", 5);
    Dense shared = Dense.builder(3).name("shared").build();
    KerasTensor p = shared.apply(x);
    KerasTensor q = Dense.builder(3).name("mid").build().apply(x);
    KerasTensor r = shared.apply(q);
    KerasTensor sum = new Add("add").apply(List.of(r, p));
    KerasTensor side = Dense.builder(2).name("side").build().apply(p);
    KerasTensor outside = shared.apply(Input.of("elsewhere", 3));
    try (Model model = new Model(List.of(x, unused), List.of(sum, side), "branching")) {
      // By hand: the input layers' calls first (x, then the unused input). Then the walk back from output 1: add's
      // first argument r needs mid's call q (x is done), so q, then r; its second argument p; then add itself.
      // Output 2: side's input p is done, so side last. shared's second call r comes before its first call p.
      List<Node> nodes = model.nodes();
      assertEquals(List.of(x.node(), unused.node(), q.node(), r.node(), p.node(), sum.node(), side.node()), nodes);
      assertEquals(List.of("x", "unused", "mid", "shared", "shared", "add", "side"), names(nodes));
      // shared's call on "elsewhere" is a node of the layer, not of the model.
      assertEquals(List.of(p.node(), r.node(), outside.node()), shared.inboundNodes());
      assertTrue(!nodes.contains(outside.node()));
      // Topological: every call's inputs come from calls listed before it.
      for (int i = 0; i < nodes.size(); i++) {
        for (KerasTensor t : nodes.get(i).inputs()) {
          int producer = nodes.indexOf(t.node());
          assertTrue(producer >= 0 && producer < i, names(nodes) + ": input of call " + i);
        }
      }
      assertThrows(UnsupportedOperationException.class, () -> nodes.add(outside.node()));

      // model.layers() in Keras's order (keras/src/ops/function.py map_graph), by hand: the walk back from the
      // outputs numbers add 0, shared 1 (its call r), mid 2, x 3, side 4. Depths, the longest path to an output:
      // side 0 and add 0; shared 1 (both calls); mid 2; x 3 (through mid). An input no output uses gets depth 0 and
      // number -1. By decreasing depth, ties by number: x, mid, shared, unused, add, side.
      assertEquals(List.of("x", "mid", "shared", "unused", "add", "side"), layerNames(model));
      // The variables follow the layers: mid's kernel and bias, then shared's, then side's.
      List<GraphVariable> expected = new ArrayList<>();
      for (String layer : List.of("mid", "shared", "side")) {
        model.getLayer(layer).weights().forEach(w -> expected.add(w.variable()));
      }
      assertEquals(expected, model.variables());

      // A second model from the same layers has only its own calls: x, mid's call, shared's call on it.
      try (Model part = new Model(List.of(x), List.of(r), "part")) {
        assertEquals(List.of(x.node(), q.node(), r.node()), part.nodes());
      }
    }
  }

  /** A Sequential lists its hidden input layer's call first, then its layers' calls; an unbuilt one has none. */
  @Test
  void sequentialIncludesItsInputLayersCall() {
    Backend.clearSession();
    InputLayer in = new InputLayer(4);
    Dense first = new Dense(3);
    Dense second = new Dense(2);
    try (Sequential unbuilt = new Sequential("later", List.of())) {
      assertEquals(List.of(), unbuilt.nodes());
    }
    try (Sequential m = new Sequential(in, first, second)) {
      assertEquals(List.of(in.output().node(), first.inboundNodes().get(0), second.inboundNodes().get(0)), m.nodes());
      assertEquals(List.of(first, second), m.layers());
    }
  }
}
