package io.github.keras4j.applications;

import static io.github.keras4j.applications.LayerCounts.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.NestedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * ConvNeXt: parameter counts, layer names and order, output shapes, preprocessing, a forward pass and the argument
 * errors. Only ConvNeXtTiny's weights are ever initialized (in the forward pass, on 32 x 32 images); the other models
 * are layer graphs, or built models whose variables are created but never initialized or run.
 */
class ConvNeXtTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  // ---------------------------------------------------------------- parameters

  /**
   * The parameters worked out from the architecture: the stem (4x4 conv with bias, LayerNorm), before stages 1-3 a
   * LayerNorm and a 2x2 conv with bias, per block a 7x7 depthwise conv with bias (49 d + d), LayerNorm (2 d), two
   * Dense layers (4 d^2 + 4 d and 4 d^2 + d) and the layer scale (d), so 8 d^2 + 58 d, then the head's LayerNorm and
   * Dense (1000 classes). Everything is trainable.
   */
  private static long formula(int[] depths, int first) {
    long[] d = {first, 2L * first, 4L * first, 8L * first};
    long total = 4 * 4 * 3 * d[0] + d[0] + 2 * d[0];
    for (int i = 1; i < 4; i++) {
      total += 2 * d[i - 1] + 2 * 2 * d[i - 1] * d[i] + d[i];
    }
    for (int i = 0; i < 4; i++) {
      total += depths[i] * (8 * d[i] * d[i] + 58 * d[i]);
    }
    return total + 2 * d[3] + d[3] * 1000 + 1000;
  }

  /**
   * Checks a variant's counts with the top against the formula, the exact published total and the keras.io figure,
   * from the layer graph and from the built model's variables (created, never initialized).
   *
   * <p>Published figures: the keras.io applications table (https://keras.io/api/applications/, "Parameters"):
   * ConvNeXtTiny 28.6M, ConvNeXtSmall 50.2M, ConvNeXtBase 88.5M, ConvNeXtLarge 197.7M, ConvNeXtXLarge 350.1M. The
   * table gives millions to one decimal, not always rounded to nearest (88,591,464 is listed 88.5M), so the test
   * checks the exact count is within 0.1M of it. The exact totals are those published for the reference
   * implementations of the same architecture (torchvision's and timm's convnext_tiny ... convnext_xlarge, whose
   * blocks have the same weights as Keras's): 28,589,128, 50,223,688, 88,591,464, 197,767,336 and 350,196,968.
   */
  private static void checkParams(String variant, double publishedMillions, long exact, int[] depths, int first) {
    long f = formula(depths, first);
    assertEquals(exact, f, variant + ": formula vs the exact published total");
    assertTrue(Math.abs(exact / 1e6 - publishedMillions) < 0.1, variant + " vs keras.io's " + publishedMillions + "M");
    LayerGraph graph = ConvNeXt.graph(variant, new ApplicationOptions(), true);
    assertEquals(variant, graph.name());
    assertArrayEquals(new long[] {exact, 0}, Arrays.copyOf(LayerCounts.count(graph), 2),
        variant + " counted from the layers");
    try (Model m = graph.toModel()) {
      long[] built = LayerCounts.built(m);
      assertEquals(exact, built[0], variant + " trainable variables");
      assertEquals(0, built[1], variant + " non-trainable variables");
      assertEquals(exact, m.countParams());
    }
  }

  @Test
  void tinyAndSmallParameters() {
    checkParams("convnext_tiny", 28.6, 28_589_128L, new int[] {3, 3, 9, 3}, 96);
    checkParams("convnext_small", 50.2, 50_223_688L, new int[] {3, 3, 27, 3}, 96);
  }

  @Test
  void baseLargeAndXLargeParameters() {
    checkParams("convnext_base", 88.5, 88_591_464L, new int[] {3, 3, 27, 3}, 128);
    checkParams("convnext_large", 197.7, 197_767_336L, new int[] {3, 3, 27, 3}, 192);
    checkParams("convnext_xlarge", 350.1, 350_196_968L, new int[] {3, 3, 27, 3}, 256);
  }

  // ---------------------------------------------------------------- layers

  /** Keras's weighted layers of ConvNeXtTiny in {@code model.layers} order, as convnext.py builds them. */
  private static List<String> kerasWeightedLayers(String name, int[] depths) {
    List<String> out = new ArrayList<>(List.of(name + "_stem"));
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        out.add(name + "_downsampling_block_" + (i - 1));
      }
      for (int j = 0; j < depths[i]; j++) {
        String b = name + "_stage_" + i + "_block_" + j;
        out.addAll(List.of(b + "_depthwise_conv", b + "_layernorm", b + "_pointwise_conv_1", b + "_pointwise_conv_2",
            b + "_layer_scale"));
      }
    }
    out.addAll(List.of(name + "_head_layernorm", name + "_head_dense"));
    return out;
  }

  @Test
  void tinyHasKerasLayerNamesInKerasOrder() {
    try (Model m = ConvNeXt.convNeXtTiny(new ApplicationOptions())) {
      List<String> weighted = new ArrayList<>();
      List<String> all = new ArrayList<>();
      for (Layer l : m.layers()) {
        all.add(l.name());
        if (!l.weights().isEmpty()) {
          weighted.add(l.name());
        }
      }
      assertEquals(kerasWeightedLayers("convnext_tiny", new int[] {3, 3, 9, 3}), weighted);
      // Keras: input, prestem normalization, stem, 18 blocks of 7 layers (the residual sum is an operation, not a
      // layer, in Keras), 3 downsampling blocks and the 3 head layers: 135 layers. Keras4J adds 18 Add layers.
      assertEquals(135 + 18, all.size());
      assertEquals(18, all.stream().filter(n -> n.matches("add(_\\d+)?")).count());
      assertEquals("convnext_tiny_prestem_normalization", all.get(1));
      for (String n : List.of("convnext_tiny_stage_0_block_0_gelu", "convnext_tiny_stage_3_block_2_identity",
          "convnext_tiny_head_gap")) {
        assertTrue(all.contains(n), n);
      }
      // The stem and the downsampling blocks are nested Sequential models, as Keras's, holding their weights in
      // Keras's order (conv kernel and bias, LayerNorm gamma and beta; the reverse for downsampling).
      NestedModel stem = (NestedModel) m.getLayer("convnext_tiny_stem");
      assertEquals("Sequential", stem.className());
      assertEquals(List.of("convnext_tiny_stem_conv/kernel", "convnext_tiny_stem_conv/bias",
          "convnext_tiny_stem_layernorm/gamma", "convnext_tiny_stem_layernorm/beta"), weightNames(stem));
      assertEquals(List.of("convnext_tiny_downsampling_layernorm_2/gamma", "convnext_tiny_downsampling_layernorm_2/beta",
          "convnext_tiny_downsampling_conv_2/kernel", "convnext_tiny_downsampling_conv_2/bias"),
          weightNames(m.getLayer("convnext_tiny_downsampling_block_2")));
      Layer depthwise = m.getLayer("convnext_tiny_stage_2_block_8_depthwise_conv");
      assertEquals("(7, 7, 1, 384)", Shapes.format(depthwise.weights().get(0).variable().shape()));
      assertEquals("convnext_tiny", m.name());
    }
  }

  private static List<String> weightNames(Layer l) {
    List<String> out = new ArrayList<>();
    l.weights().forEach(w -> out.add(w.variable().name()));
    return out;
  }

  @Test
  void outputShapesWithAndWithoutTheTop() {
    LayerGraph top = ConvNeXt.graph("convnext_tiny", new ApplicationOptions().classes(10), true);
    assertEquals("(None, 10)", Shapes.format(top.output().shape()));
    assertEquals("(None, 224, 224, 3)", Shapes.format(top.inputs().get(0).shape()));
    LayerCounts.release(top);
    Backend.clearSession();
    // 64 x 64: the stem divides by 4, each downsampling by 2: 16, 8, 4, 2.
    LayerGraph map = ConvNeXt.graph("convnext_base", new ApplicationOptions().includeTop(false)
        .inputShape(64, 64, 3), true);
    assertEquals("(None, 2, 2, 1024)", Shapes.format(map.output().shape()));
    assertEquals("layer_normalization", map.output().layer().name()); // Keras's unnamed LayerNormalization
    LayerCounts.release(map);
    Backend.clearSession();
    LayerGraph avg = ConvNeXt.graph("convnext_small", new ApplicationOptions().includeTop(false)
        .inputShape(48, 40, 3).pooling("avg"), true);
    assertEquals("(None, 768)", Shapes.format(avg.output().shape()));
    assertTrue(names(avg).containsAll(List.of("global_average_pooling2d", "layer_normalization")));
    LayerCounts.release(avg);
    Backend.clearSession();
    LayerGraph max = ConvNeXt.graph("convnext_large", new ApplicationOptions().includeTop(false)
        .inputShape(32, 32, 3).pooling("max"), true);
    assertEquals("(None, 1536)", Shapes.format(max.output().shape()));
    assertTrue(names(max).contains("global_max_pooling2d"));
    LayerCounts.release(max);
  }

  @Test
  void preprocessingAndNamesFollowTheArguments() {
    // Without include_preprocessing, or with other than 3 channels, there is no Normalization layer.
    LayerGraph plain = ConvNeXt.graph("convnext_tiny", new ApplicationOptions(), false);
    assertFalse(names(plain).contains("convnext_tiny_prestem_normalization"));
    LayerCounts.release(plain);
    LayerGraph gray = ConvNeXt.graph("convnext_tiny", new ApplicationOptions().includeTop(false)
        .inputShape(32, 32, 1), true);
    assertFalse(names(gray).contains("convnext_tiny_prestem_normalization"));
    LayerCounts.release(gray);
    // The model's name prefixes every layer name, as in Keras.
    LayerGraph named = ConvNeXt.graph("convnext_xlarge", new ApplicationOptions().name("cx"), true);
    assertEquals("cx", named.name());
    assertTrue(names(named).containsAll(List.of("cx_prestem_normalization", "cx_stem", "cx_stage_3_block_2_gelu",
        "cx_head_dense")), names(named).toString());
    LayerCounts.release(named);
    // Keras's placeholder preprocess_input returns its argument.
    float[] x = {0, 128, 255};
    assertSame(x, ConvNeXt.preprocessInput(x));
  }

  @Test
  void dropPathRatesRiseLinearlyAndLayerScaleIsOptional() {
    // Keras's ConvNeXt(...) with drop_path_rate=0.4 over 5 blocks: np.linspace(0, 0.4, 5) = 0, 0.1, 0.2, 0.3, 0.4; a
    // block with rate 0 keeps the linear Activation, and layer_scale_init_value=None leaves out the LayerScale.
    LayerGraph g = ConvNeXt.build("ConvNeXt", "convnext", new int[] {1, 1, 2, 1}, new int[] {8, 16, 32, 64}, 0.4,
        null, 224, new ApplicationOptions().includeTop(false).inputShape(32, 32, 3), true);
    List<String> names = names(g);
    assertTrue(names.contains("convnext_stage_0_block_0_identity"));
    assertFalse(names.contains("convnext_stage_0_block_0_stochastic_depth"));
    assertFalse(names.stream().anyMatch(n -> n.endsWith("_layer_scale")));
    String[] blocks = {"stage_1_block_0", "stage_2_block_0", "stage_2_block_1", "stage_3_block_0"};
    for (int i = 0; i < blocks.length; i++) {
      Layer sd = LayerCounts.layer(g, "convnext_" + blocks[i] + "_stochastic_depth");
      assertEquals(0.1f * (i + 1), ((StochasticDepth) sd).dropPathRate(), 1e-6f, blocks[i]);
    }
    assertEquals("(None, 1, 1, 64)", Shapes.format(g.output().shape()));
    LayerCounts.release(g);
  }

  @Test
  void tinyForwardPassNormalizesAndGivesProbabilities() {
    Backend.setRandomSeed(5);
    int n = 2;
    float[][][][] images = new float[n][32][32][3];
    Random r = new Random(9);
    for (float[][][] image : images) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          for (int c = 0; c < 3; c++) {
            pixel[c] = r.nextFloat() * 255f;
          }
        }
      }
    }
    LayerGraph graph = ConvNeXt.graph("convnext_tiny", new ApplicationOptions().inputShape(32, 32, 3), true);
    KerasTensor normalized = LayerCounts.layer(graph, "convnext_tiny_prestem_normalization").inboundNodes().get(0)
        .outputs().get(0);
    try (Model m = graph.toModel(); Model pre = new Model(graph.inputs(), List.of(normalized), "pre")) {
      FloatNdArray y = m.predict(images, n);
      assertEquals("(2, 1000)", Shapes.format(y.shape()));
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < 1000; j++) {
          float v = y.getFloat(i, j);
          assertTrue(Float.isFinite(v) && v >= 0, "probability " + v);
          sum += v;
        }
        assertEquals(1.0, sum, 1e-4, "softmax row " + i);
      }
      // The pre-stem Normalization: (x - 255 * mean) / (255 * std), ImageNet's mean (0.485, 0.456, 0.406) and std
      // (0.229, 0.224, 0.225).
      double[] mean = {0.485, 0.456, 0.406};
      double[] std = {0.229, 0.224, 0.225};
      FloatNdArray p = pre.predict(images, n);
      for (int c = 0; c < 3; c++) {
        double expected = (images[1][5][7][c] - 255 * mean[c]) / (255 * std[c]);
        assertEquals(expected, p.getFloat(1, 5, 7, c), 1e-4);
      }
    }
    assertTrue(LayerCounts.layer(graph, "convnext_tiny_prestem_normalization") instanceof Normalization);
  }

  // ---------------------------------------------------------------- errors

  private static String error(Supplier<?> r) {
    return assertThrows(IllegalArgumentException.class, r::get).getMessage();
  }

  @Test
  void argumentErrorsAsKeras() {
    assertTrue(error(() -> ConvNeXt.convNeXtTiny(new ApplicationOptions().weights("imagenet")))
        .startsWith("ConvNeXtTiny: weights=\"imagenet\" is not supported"));
    assertEquals("The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training "
        + "on ImageNet), or the path to the weights file to be loaded.  Received: weights=/no/such.weights",
        error(() -> ConvNeXt.convNeXtSmall(new ApplicationOptions().weights("/no/such.weights"))));
    assertEquals("Input size must be at least 32x32; Received: input_shape=(31, 64, 3)",
        error(() -> ConvNeXt.convNeXtBase(new ApplicationOptions().includeTop(false).inputShape(31, 64, 3))));
    assertEquals("If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=(None, "
        + "None, 3)", error(() -> ConvNeXt.convNeXtLarge(new ApplicationOptions().inputShape(-1, -1, 3))));
    assertTrue(error(() -> ConvNeXt.convNeXtXLarge(new ApplicationOptions().includeTop(false)))
        .startsWith("ConvNeXtXLarge: Keras4J inputs have static sizes"));
    assertEquals("ConvNeXtTiny: `pooling` should be None, 'avg' or 'max'. Received: pooling=sum",
        error(() -> ConvNeXt.convNeXtTiny(new ApplicationOptions().includeTop(false).inputShape(32, 32, 3)
            .pooling("sum"))));
    assertTrue(error(() -> ConvNeXt.convNeXtTiny(new ApplicationOptions().alpha(0.5)))
        .startsWith("ConvNeXtTiny() got an unexpected keyword argument 'alpha'"));
    assertTrue(error(() -> ConvNeXt.convNeXtTiny(new ApplicationOptions().classifierActivation("nope")))
        .startsWith("Unknown activation: 'nope'"));
  }

  @Test
  void imagenetChecksAsKeras() {
    // Keras checks these before loading its ImageNet weights (which Keras4J refuses for now, so they are called
    // directly here).
    assertEquals("If using `weights=\"imagenet\"` with `include_top=True`, `classes` should be 1000. Received "
        + "classes=10", error(() -> {
          ConvNeXt.checkImagenet(new ApplicationOptions().weights("imagenet").classes(10), "convnext_tiny",
              "convnext_tiny");
          return null;
        }));
    assertEquals("Model name \"my_model\" does not match weights variant \"convnext_base\". When using imagenet "
        + "weights, model name must contain the weights variant (e.g., \"convnext_base\").", error(() -> {
          ConvNeXt.checkImagenet(new ApplicationOptions().weights("imagenet"), "convnext_base", "my_model");
          return null;
        }));
    // Without the top, any classes; a name containing the variant's is accepted.
    ConvNeXt.checkImagenet(new ApplicationOptions().weights("imagenet").includeTop(false).classes(3),
        "convnext_tiny", "my_convnext_tiny");
  }
}
