package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.applications.LayerCounts.Count;
import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.layers.regularization.Dropout;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * EfficientNetV2B0 to B3, S, M and L: parameter counts, layer names and order, the preprocessing variants, output
 * shapes, a forward pass and the argument errors.
 *
 * <p>Expected parameter counts, with the top (Keras's defaults):
 * <ul>
 *   <li>totals: the "Parameters" column of the keras.io applications table (https://keras.io/api/applications/),
 *       which rounds them: 7.2M, 8.2M, 10.2M, 14.5M, 21.6M, 54.4M and 119.0M;
 *   <li>exact totals, trainable / non-trainable splits, numbers of weight variables ({@code len(model.weights)}) and
 *       of layers ({@code len(model.layers)}, the input included): Keras 3.15.1 itself (numpy backend,
 *       {@code keras.applications.EfficientNetV2x(weights=None)}), run once by the author of this test (the totals
 *       7,200,312, 8,212,124, 10,178,374, 21,612,360, 54,431,388 and 119,027,848 also appear in DeepVision's
 *       README; its B3, 14,486,374, is its own implementation's: Keras 3's is 14,467,622);
 *   <li>and, independently, the B variants and S written out as arithmetic in {@link #formula} below.
 * </ul>
 * The same Keras run listed every layer of every variant (name, class, weight names and shapes, and settings) with
 * and without the top and the preprocessing; Keras4J's layers matched it one by one. This class checks a sample.
 */
class EfficientNetV2Test {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  private static final String[] NAMES = {"efficientnetv2-b0", "efficientnetv2-b1", "efficientnetv2-b2",
      "efficientnetv2-b3", "efficientnetv2-s", "efficientnetv2-m", "efficientnetv2-l"};

  /** {@code {total, trainable, nonTrainable, weight variables, layers}} per variant, from Keras (see the class). */
  private static final long[][] KERAS = {
    {7_200_312L, 7_139_704L, 60_608L, 361, 273},
    {8_212_124L, 8_141_052L, 71_072L, 443, 337},
    {10_178_374L, 10_096_086L, 82_288L, 462, 352},
    {14_467_622L, 14_358_406L, 109_216L, 538, 412},
    {21_612_360L, 21_458_488L, 153_872L, 672, 516},
    {54_431_388L, 54_139_356L, 292_032L, 963, 743},
    {119_027_848L, 118_515_272L, 512_576L, 1331, 1031},
  };

  private static final double[] KERAS_IO_MILLIONS = {7.2, 8.2, 10.2, 14.5, 21.6, 54.4, 119.0};

  /** Keras's EfficientNetV2 {@code round_filters}, written out: the nearest multiple of 8, at least 8. */
  private static long roundFilters(double filters, double width) {
    return Math.max(8, (long) (filters * width + 4) / 8 * 8);
  }

  /** Keras's {@code DEFAULT_BLOCKS_ARGS} of the B variants: kernel, repeats, in, out, expand ratio, fused, SE. */
  private static final int[][] B_STAGES = {{3, 1, 32, 16, 1, 1, 0}, {3, 2, 16, 32, 4, 1, 0}, {3, 2, 32, 48, 4, 1, 0},
      {3, 3, 48, 96, 4, 0, 1}, {3, 5, 96, 112, 6, 0, 1}, {3, 8, 112, 192, 6, 0, 1}};
  /** And of S. */
  private static final int[][] S_STAGES = {{3, 2, 24, 24, 1, 1, 0}, {3, 4, 24, 48, 4, 1, 0}, {3, 4, 48, 64, 4, 1, 0},
      {3, 6, 64, 128, 4, 0, 1}, {3, 9, 128, 160, 6, 0, 1}, {3, 15, 160, 256, 6, 0, 1}};

  /**
   * The parameters with the top, by hand: the 3x3 stem without bias and its BN; per Fused-MBConv block an optional kxk
   * expansion with BN and the projection (1x1 after an expansion, else kxk) with BN; per MBConv block the 1x1
   * expansion with BN, the depthwise kxk with BN, the squeeze and excitation (1x1 convolutions with bias to and from
   * {@code int(filtersIn / 4)}) and the 1x1 projection with BN; the 1x1 top convolution with BN and the classifier.
   * The preprocessing has no weights.
   */
  static Count formula(int[][] stages, double width, double depth) {
    Count c = new Count();
    long stem = roundFilters(stages[0][2], width);
    c.conv(3, 3, stem, false).bn(stem);
    long last = stem;
    for (int[] s : stages) {
      long filtersIn = roundFilters(s[2], width);
      long filtersOut = roundFilters(s[3], width);
      for (int j = 0; j < (int) Math.ceil(depth * s[1]); j++) {
        long in = j == 0 ? filtersIn : filtersOut;
        long expanded = in * s[4];
        boolean fused = s[5] == 1;
        if (s[4] != 1) {
          c.conv(fused ? s[0] : 1, in, expanded, false).bn(expanded);
        }
        if (!fused) {
          c.depthwise(s[0], expanded).bn(expanded);
        }
        if (s[6] == 1) {
          c.squeezeExcite(expanded, Math.max(1, in / 4));
        }
        c.conv(fused && s[4] == 1 ? s[0] : 1, expanded, filtersOut, false).bn(filtersOut);
      }
      last = filtersOut;
    }
    long top = roundFilters(1280, width);
    return c.conv(1, last, top, false).bn(top).dense(top, 1000);
  }

  @Test
  void parameterCountsOfEveryVariantAreKeras() {
    double[][] coefficients = {{1.0, 1.0}, {1.0, 1.1}, {1.1, 1.2}, {1.2, 1.4}};
    for (int i = 0; i < 4; i++) {
      Count f = formula(B_STAGES, coefficients[i][0], coefficients[i][1]);
      assertEquals(KERAS[i][0], f.total(), NAMES[i] + ": the formula vs Keras's total");
      assertEquals(KERAS[i][1], f.trainable, NAMES[i] + ": the formula vs Keras's trainable");
      assertEquals(KERAS[i][3], f.variables, NAMES[i] + ": the formula vs Keras's weight variables");
    }
    Count s = formula(S_STAGES, 1.0, 1.0);
    assertEquals(KERAS[4][0], s.total(), "efficientnetv2-s: the formula vs Keras's total");
    assertEquals(KERAS[4][1], s.trainable, "efficientnetv2-s: the formula vs Keras's trainable");
    for (int i = 0; i < NAMES.length; i++) {
      long[] k = KERAS[i];
      assertEquals(KERAS_IO_MILLIONS[i], Math.round(k[0] / 1e5) / 10.0, NAMES[i] + " on keras.io");
      LayerGraph g = EfficientNetV2.graph(NAMES[i], new ApplicationOptions(), true);
      assertEquals(NAMES[i], g.name());
      long[] counted = LayerCounts.count(g);
      assertEquals(k[1], counted[0], NAMES[i] + " trainable, from the layers");
      assertEquals(k[2], counted[1], NAMES[i] + " non-trainable, from the layers");
      assertEquals(k[3], counted[2], NAMES[i] + " weight variables, from the layers");
      assertEquals(k[4], LayerCounts.layers(g).size(), NAMES[i] + " layers");
      Backend.clearSession();
    }
  }

  @Test
  void smallestAndLargestBuildWithKerasCounts() {
    // Graph variables only: EfficientNetV2L's 119M parameters are never initialized.
    LayerCounts.checkBuilt(EfficientNetV2.graph(NAMES[0], new ApplicationOptions(), true), KERAS[0][0],
        KERAS[0][1], KERAS[0][3]);
    Backend.clearSession();
    LayerCounts.checkBuilt(EfficientNetV2.graph(NAMES[6], new ApplicationOptions(), true), KERAS[6][0],
        KERAS[6][1], KERAS[6][3]);
  }

  @Test
  void layersComeInKerasOrderWithKerasNames() {
    // Keras 3.15.1: [l.name for l in EfficientNetV2B0(weights=None).layers][:46].
    List<String> keras = List.of("input_layer", "rescaling", "normalization", "stem_conv", "stem_bn",
        "stem_activation", "block1a_project_conv", "block1a_project_bn", "block1a_project_activation",
        "block2a_expand_conv", "block2a_expand_bn", "block2a_expand_activation", "block2a_project_conv",
        "block2a_project_bn", "block2b_expand_conv", "block2b_expand_bn", "block2b_expand_activation",
        "block2b_project_conv", "block2b_project_bn", "block2b_drop", "block2b_add", "block3a_expand_conv",
        "block3a_expand_bn", "block3a_expand_activation", "block3a_project_conv", "block3a_project_bn",
        "block3b_expand_conv", "block3b_expand_bn", "block3b_expand_activation", "block3b_project_conv",
        "block3b_project_bn", "block3b_drop", "block3b_add", "block4a_expand_conv", "block4a_expand_bn",
        "block4a_expand_activation", "block4a_dwconv2", "block4a_bn", "block4a_activation", "block4a_se_squeeze",
        "block4a_se_reshape", "block4a_se_reduce", "block4a_se_expand", "block4a_se_excite", "block4a_project_conv",
        "block4a_project_bn");
    try (Model m = EfficientNetV2.efficientNetV2B0(new ApplicationOptions())) {
      List<String> names = new ArrayList<>();
      m.layers().forEach(l -> names.add(l.name()));
      assertEquals(keras, names.subList(0, keras.size()));
      assertEquals(List.of("top_conv", "top_bn", "top_activation", "avg_pool", "top_dropout", "predictions"),
          names.subList(names.size() - 6, names.size()));
      assertEquals("efficientnetv2-b0", m.name());
      // Keras: the fused block without expansion projects with its 3x3 kernel; the strided fused block expands with
      // a 3x3 / 2 convolution and projects 1x1; the MBConv depthwise is "same" with the stride (no padding layer).
      assertArrayEquals(new int[] {3, 3}, ((Conv2D) m.getLayer("block1a_project_conv")).kernelSize());
      Conv2D expand = (Conv2D) m.getLayer("block2a_expand_conv");
      assertArrayEquals(new int[] {3, 3}, expand.kernelSize());
      assertEquals(List.of(2, 2), expand.getConfig().get("strides"));
      assertArrayEquals(new int[] {1, 1}, ((Conv2D) m.getLayer("block2a_project_conv")).kernelSize());
      DepthwiseConv2D dw = (DepthwiseConv2D) m.getLayer("block4a_dwconv2");
      assertEquals("same", dw.getConfig().get("padding"));
      assertEquals(12, ((Conv2D) m.getLayer("block4a_se_reduce")).filters()); // int(48 * 0.25)
      assertEquals(0.9, ((Number) m.getLayer("stem_bn").getConfig().get("momentum")).doubleValue(), 1e-6);
    }
  }

  @Test
  void stochasticDepthDividesByTheUnscaledBlockCount() {
    // Keras 3.15.1: EfficientNetV2B3's block6l_drop has rate 0.29523809523809524 (0.2 * 31 / 21: 32 blocks after
    // depth scaling, 21 before), EfficientNetV2L's block7g_drop 0.19746835443037977 (0.2 * 78 / 79).
    List<Layer> b3 = LayerCounts.layers(EfficientNetV2.graph(NAMES[3], new ApplicationOptions(), true));
    Dropout last = (Dropout) b3.stream().filter(l -> l.name().equals("block6l_drop")).findFirst().orElseThrow();
    assertEquals((float) 0.29523809523809524, last.rate());
    assertArrayEquals(new long[] {-1, 1, 1, 1}, last.noiseShape());
    Backend.clearSession();
    List<Layer> l = LayerCounts.layers(EfficientNetV2.graph(NAMES[6], new ApplicationOptions(), true));
    Dropout lLast = (Dropout) l.stream().filter(x -> x.name().equals("block7g_drop")).findFirst().orElseThrow();
    assertEquals((float) 0.19746835443037977, lLast.rate());
  }

  private static List<Layer> firstLayers(LayerGraph g, int n) {
    List<Layer> all = LayerCounts.layers(g);
    List<Layer> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= all.size() - n; i--) {
      out.add(all.get(i));
    }
    return out;
  }

  @Test
  void preprocessingFollowsTheVariantAndTheChannels() {
    // B variants: Rescaling(1/255) and Normalization(mean, variance) constants (no weights).
    List<Layer> b = firstLayers(EfficientNetV2.graph(NAMES[1], new ApplicationOptions(), true), 4);
    assertEquals(List.of("input_layer", "rescaling", "normalization", "stem_conv"), b.stream().map(Layer::name)
        .toList());
    assertEquals(1 / 255.0, ((Rescaling) b.get(1)).scale(), 1e-15);
    Normalization n = (Normalization) b.get(2);
    assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, n.mean());
    assertArrayEquals(new float[] {0.052441f, 0.050176f, 0.050625f}, n.variance(), 1e-8f);
    Backend.clearSession();
    // S, M, L, and B inputs without 3 channels: Rescaling(1/128, offset -1).
    for (LayerGraph g : List.of(EfficientNetV2.graph(NAMES[4], new ApplicationOptions(), true),
        EfficientNetV2.graph(NAMES[0], new ApplicationOptions().includeTop(false).inputShape(64, 64, 1), true))) {
      List<Layer> first = firstLayers(g, 3);
      Rescaling r = (Rescaling) first.get(1);
      assertEquals(1 / 128.0, r.scale(), 1e-15);
      assertEquals(-1.0, r.offset());
      assertEquals("stem_conv", first.get(2).name());
      Backend.clearSession();
    }
    // include_preprocessing=False: the stem takes the input.
    List<Layer> none = firstLayers(EfficientNetV2.graph(NAMES[0], new ApplicationOptions(), false), 2);
    assertEquals("stem_conv", none.get(1).name());
    Backend.clearSession();
    try (Model m = EfficientNetV2.efficientNetV2B0(new ApplicationOptions(), false)) {
      assertEquals(KERAS[0][0], m.countParams());
      assertEquals("stem_conv", m.layers().get(1).name());
    }
  }

  @Test
  void outputShapesWithAndWithoutTheTop() {
    assertEquals("(None, 1000)", Shapes.format(EfficientNetV2.graph(NAMES[0], new ApplicationOptions(), true)
        .output().shape()));
    ApplicationOptions features = new ApplicationOptions().includeTop(false).inputShape(64, 64, 3);
    assertEquals("(None, 2, 2, 1280)", Shapes.format(EfficientNetV2.graph(NAMES[4], features, true).output()
        .shape()));
    LayerGraph avg = EfficientNetV2.graph(NAMES[3], features.pooling("avg"), true);
    assertEquals("(None, 1536)", Shapes.format(avg.output().shape())); // round_filters(1280 * 1.2)
    assertEquals("avg_pool", avg.output().layer().name());
    LayerGraph max = EfficientNetV2.graph(NAMES[2], features.pooling("max"), true);
    assertEquals("(None, 1408)", Shapes.format(max.output().shape()));
    assertEquals("max_pool", max.output().layer().name());
    LayerGraph big = EfficientNetV2.graph(NAMES[5], new ApplicationOptions().classes(3), true);
    assertEquals("(None, 3)", Shapes.format(big.output().shape()));
    assertEquals("(None, 480, 480, 3)", Shapes.format(big.inputs().get(0).shape()));
  }

  @Test
  void forwardPassGivesFiniteSoftmaxRows() {
    Backend.setRandomSeed(4);
    Random r = new Random(6);
    float[][][][] x = new float[3][32][32][3];
    for (float[][][] image : x) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          for (int c = 0; c < 3; c++) {
            pixel[c] = r.nextFloat() * 255f;
          }
        }
      }
    }
    try (Model m = EfficientNetV2.efficientNetV2B0(new ApplicationOptions().inputShape(32, 32, 3).classes(4))) {
      FloatNdArray y = m.predict(x, 3);
      assertArrayEquals(new long[] {3, 4}, y.shape().asArray());
      for (int i = 0; i < 3; i++) {
        double sum = 0;
        for (int j = 0; j < 4; j++) {
          float v = y.getFloat(i, j);
          assertTrue(Float.isFinite(v) && v >= 0, "probability " + v);
          sum += v;
        }
        assertEquals(1.0, sum, 1e-5);
      }
    }
  }

  @Test
  void preprocessInputIsAPassThrough() {
    float[] x = {0, 255};
    assertSame(x, EfficientNetV2.preprocessInput(x));
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void argumentErrorsAsKeras() {
    String m = error(() -> EfficientNetV2.efficientNetV2S(new ApplicationOptions().weights("imagenet")));
    assertTrue(m.startsWith("EfficientNetV2S: weights=\"imagenet\" is not supported"), m);
    assertEquals("Input size must be at least 32x32; Received: input_shape=(16, 16, 3)",
        error(() -> EfficientNetV2.efficientNetV2B0(new ApplicationOptions().includeTop(false)
            .inputShape(16, 16, 3))));
    assertEquals("EfficientNetV2M: `pooling` should be None, 'avg' or 'max'. Received: pooling=sum",
        error(() -> EfficientNetV2.efficientNetV2M(new ApplicationOptions().includeTop(false).inputShape(64, 64, 3)
            .pooling("sum"), false)));
    assertTrue(error(() -> EfficientNetV2.efficientNetV2L(new ApplicationOptions().dropout(0.5)))
        .startsWith("EfficientNetV2L() got an unexpected keyword argument 'dropout'"));
    assertEquals("If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=(None, "
        + "None, 3)", error(() -> EfficientNetV2.efficientNetV2B1(new ApplicationOptions().inputShape(-1, -1, 3))));
    assertEquals("EfficientNetV2B3: Keras4J inputs have static sizes, so an `input_shape` with known height and "
        + "width is needed (Keras would build an input of shape (None, None, 3) here). Received: input_shape=(None, "
        + "None, 3). Pass e.g. inputShape(300, 300, 3)",
        error(() -> EfficientNetV2.efficientNetV2B3(new ApplicationOptions().includeTop(false))));
    assertTrue(error(() -> EfficientNetV2.efficientNetV2B2(new ApplicationOptions().classes(0)))
        .contains("Received: classes=0"));
  }
}
