package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.preprocessing.Rescaling;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * InceptionV3 and InceptionResNetV2: Keras's layer names and layer counts, output shapes with and without the top and
 * with each pooling, the input tensor, preprocessing and the argument errors. Layer graphs only (nothing is built).
 */
class InceptionTest {

  @BeforeEach
  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  /** The layers of a layer graph in Keras4J's model order (inputs first, each branch in the order it was built). */
  static List<Layer> layers(LayerGraph graph) {
    List<Layer> out = new ArrayList<>();
    Set<Layer> seen = new LinkedHashSet<>();
    visit(graph.output(), seen, out);
    return out;
  }

  private static void visit(KerasTensor t, Set<Layer> seen, List<Layer> out) {
    if (seen.contains(t.layer())) {
      return;
    }
    seen.add(t.layer());
    for (KerasTensor in : t.node().inputs()) {
      visit(in, seen, out);
    }
    out.add(t.layer());
  }

  static List<String> names(LayerGraph graph) {
    List<String> out = new ArrayList<>();
    layers(graph).forEach(l -> out.add(l.name()));
    return out;
  }

  private static String shape(LayerGraph g) {
    return Shapes.format(g.output().shape());
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void inceptionV3HasKerasLayerNamesAndLayerCount() {
    LayerGraph g = InceptionV3.graph(new ApplicationOptions());
    List<Layer> layers = layers(g);
    List<String> names = names(g);
    // Keras: input 1 + 94 conv2d_bn units x 3 layers + 4 max poolings + 9 average poolings + 15 concatenations
    // (mixed0 ... mixed10, mixed9_0, mixed9_1 and two unnamed) + avg_pool + predictions = 313 layers
    // (len(keras.applications.InceptionV3().layers); 311 without the top).
    assertEquals(313, names.size());
    assertEquals(94, layers.stream().filter(l -> l instanceof Conv2D).count());
    // The units keep Keras's generated names, numbered in the order Keras creates them.
    assertEquals(List.of("conv2d", "batch_normalization", "activation", "conv2d_1"), names.subList(1, 5));
    for (String n : List.of("max_pooling2d", "max_pooling2d_1", "average_pooling2d", "mixed0", "mixed1", "mixed2",
        "mixed3", "max_pooling2d_2", "mixed7", "mixed8", "mixed9_0", "concatenate", "mixed9", "mixed9_1",
        "concatenate_1", "mixed10", "conv2d_93", "batch_normalization_93", "activation_93", "avg_pool",
        "predictions")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    // mixed0's first unit is the 6th conv2d_bn (after the 5 of the stem); its 1x1 branch comes first.
    KerasTensor branch = layers.get(names.indexOf("mixed0")).inboundNodes().get(0).inputs().get(0);
    assertEquals("activation_5", branch.layer().name());
    assertEquals("conv2d_5", branch.node().inputs().get(0).node().inputs().get(0).layer().name());
    // Inception's BatchNormalization has no gamma (scale=False).
    BatchNormalization bn = (BatchNormalization) layers.get(names.indexOf("batch_normalization"));
    assertEquals(false, bn.getConfig().get("scale"));
    assertEquals(Boolean.FALSE, layers.get(names.indexOf("conv2d")).getConfig().get("use_bias"));
    assertEquals("inception_v3", g.name());
    assertEquals("(None, 1000)", shape(g));
  }

  @Test
  void inceptionResNetV2HasKerasLayerNamesAndLayerCount() {
    LayerGraph g = InceptionResNetV2.graph(new ApplicationOptions());
    List<String> names = names(g);
    // Keras: input 1 + stem 17 + mixed_5b 23 + 10 x block35 22 + mixed_6a 14 + 20 x block17 16 + mixed_7a 23
    // + 9 x block8 16 + block8_10 15 + conv_7b 3 + avg_pool and predictions 2 = 782 layers (780 without the top).
    assertEquals(782, names.size());
    for (String n : List.of("conv2d", "batch_normalization", "activation", "mixed_5b", "block35_1_mixed",
        "block35_1_conv", "custom_scale_layer", "block35_1_ac", "block35_10_ac", "mixed_6a", "block17_1_mixed",
        "block17_20_ac", "mixed_7a", "block8_9_ac", "block8_10_mixed", "block8_10_conv", "custom_scale_layer_39",
        "conv_7b", "conv_7b_bn", "conv_7b_ac", "avg_pool", "predictions")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    assertTrue(!names.contains("block8_10_ac"), "the last block has no activation");
    assertTrue(!names.contains("custom_scale_layer_40"));
    // block35_1: its shortcut is mixed_5b, its residual the biased 1x1 projection back to 320 channels.
    Layer scale = layers(g).get(names.indexOf("custom_scale_layer"));
    KerasTensor out = scale.inboundNodes().get(0).outputs().get(0);
    assertEquals("mixed_5b", out.node().inputs().get(0).layer().name());
    assertEquals("block35_1_conv", out.node().inputs().get(1).layer().name());
    assertEquals(0.17, ((CustomScaleLayer) scale).scale());
    assertEquals(Boolean.TRUE, layers(g).get(names.indexOf("block35_1_conv")).getConfig().get("use_bias"));
    assertEquals("(None, 35, 35, 320)", Shapes.format(out.shape()));
    assertEquals("inception_resnet_v2", g.name());
    assertEquals("(None, 1000)", shape(g));
  }

  @Test
  void outputShapesWithAndWithoutTheTop() {
    // 75 x 75 (the minimum): the final grids are 1 x 1.
    assertEquals("(None, 1, 1, 2048)",
        shape(InceptionV3.graph(new ApplicationOptions().includeTop(false).inputShape(75, 75, 3))));
    assertEquals("(None, 2048)",
        shape(InceptionV3.graph(new ApplicationOptions().includeTop(false).inputShape(75, 75, 3).pooling("avg"))));
    LayerGraph max = InceptionV3.graph(new ApplicationOptions().includeTop(false).inputShape(139, 139, 3)
        .pooling("max"));
    assertEquals("(None, 2048)", shape(max));
    assertEquals("global_max_pooling2d", max.output().layer().name());
    // 299 x 299 without the top: Keras's 8 x 8 x 2048 and 8 x 8 x 1536 feature maps.
    assertEquals("(None, 8, 8, 2048)",
        shape(InceptionV3.graph(new ApplicationOptions().includeTop(false).inputShape(299, 299, 3))));
    assertEquals("(None, 8, 8, 1536)",
        shape(InceptionResNetV2.graph(new ApplicationOptions().includeTop(false).inputShape(299, 299, 3))));
    assertEquals("(None, 1, 1, 1536)",
        shape(InceptionResNetV2.graph(new ApplicationOptions().includeTop(false).inputShape(75, 75, 3))));
    LayerGraph avg = InceptionResNetV2.graph(new ApplicationOptions().includeTop(false).inputShape(75, 75, 3)
        .pooling("avg"));
    assertEquals("(None, 1536)", shape(avg));
    assertEquals("global_average_pooling2d_1", avg.output().layer().name()); // the second unnamed one
    assertEquals("(None, 1536)", shape(InceptionResNetV2.graph(new ApplicationOptions().includeTop(false)
        .inputShape(100, 120, 3).pooling("max"))));
    // The top on another size and number of classes, with logits.
    LayerGraph top = InceptionV3.graph(new ApplicationOptions().inputShape(150, 150, 3).classes(7)
        .classifierActivation(null).name("mine"));
    assertEquals("(None, 7)", shape(top));
    assertEquals("mine", top.name());
    assertEquals("(None, 5)", shape(InceptionResNetV2.graph(new ApplicationOptions().inputShape(80, 80, 3)
        .classes(5))));
  }

  @Test
  void inputTensorMakesTheModelStartAtItsSourceInput() {
    KerasTensor image = Input.of(96, 96, 3);
    KerasTensor scaled = new Rescaling(1 / 127.5, -1).apply(image);
    LayerGraph g = InceptionResNetV2.graph(new ApplicationOptions().includeTop(false).inputTensor(scaled));
    assertEquals(List.of(image), g.inputs());
    assertEquals("(None, 1, 1, 1536)", shape(g));
    assertEquals(List.of(image), InceptionV3.graph(new ApplicationOptions().includeTop(false).inputTensor(scaled))
        .inputs());
  }

  @Test
  void preprocessingIsKerasTfMode() {
    // inception_v3.preprocess_input and inception_resnet_v2.preprocess_input: x / 127.5 - 1.
    float[] expected = {-1f, -0.5f, 0f, 1f};
    assertArrayEquals(expected, InceptionV3.preprocessInput(new float[] {0, 63.75f, 127.5f, 255}), 1e-6f);
    assertArrayEquals(expected, InceptionResNetV2.preprocessInput(new float[] {0, 63.75f, 127.5f, 255}), 1e-6f);
  }

  @Test
  void argumentErrorsAsKeras() {
    assertEquals("Input size must be at least 75x75; Received: input_shape=(74, 74, 3)",
        error(() -> InceptionV3.graph(new ApplicationOptions().includeTop(false).inputShape(74, 74, 3))));
    assertEquals("Input size must be at least 75x75; Received: input_shape=(75, 60, 3)",
        error(() -> InceptionResNetV2.graph(new ApplicationOptions().includeTop(false).inputShape(75, 60, 3))));
    assertEquals("If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=(None, "
        + "None, 3)", error(() -> InceptionV3.graph(new ApplicationOptions().inputShape(-1, -1, 3))));
    assertEquals("InceptionV3: Keras4J inputs have static sizes, so an `input_shape` with known height and width is "
        + "needed (Keras would build an input of shape (None, None, 3) here). Received: input_shape=(None, None, 3). "
        + "Pass e.g. inputShape(299, 299, 3)", error(() -> InceptionV3.graph(new ApplicationOptions()
        .includeTop(false))));
    assertEquals("InceptionResNetV2: `pooling` should be None, 'avg' or 'max'. Received: pooling=mean",
        error(() -> InceptionResNetV2.graph(new ApplicationOptions().includeTop(false).pooling("mean"))));
    assertTrue(error(() -> InceptionV3.graph(new ApplicationOptions().alpha(0.5)))
        .startsWith("InceptionV3() got an unexpected keyword argument 'alpha'"));
    assertTrue(error(() -> InceptionResNetV2.graph(new ApplicationOptions().dropout(0.5)))
        .startsWith("InceptionResNetV2() got an unexpected keyword argument 'dropout'"));
    assertTrue(error(() -> InceptionResNetV2.graph(new ApplicationOptions().weights("/no/such/file.weights")))
        .startsWith("The `weights` argument should be either `None` (random initialization), 'imagenet'"));
    assertTrue(error(() -> InceptionV3.graph(new ApplicationOptions().classifierActivation("nope")))
        .startsWith("Unknown activation: 'nope'"));
    KerasTensor x = Input.of(8, 8, 32);
    assertEquals("Unknown Inception-ResNet block type. Expects \"block35\", \"block17\" or \"block8\", but got: "
        + "block99", error(() -> InceptionResNetV2.block(x, 0.1, "block99", 1, "relu")));
  }
}
