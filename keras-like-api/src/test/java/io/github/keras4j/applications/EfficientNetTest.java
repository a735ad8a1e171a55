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
 * EfficientNetB0 to B7: parameter counts, layer names and order, output shapes, a forward pass and the argument errors.
 *
 * <p>Expected parameter counts, with the top (Keras's defaults: 1000 classes, the default input size):
 * <ul>
 *   <li>totals: the "Parameters" column of the keras.io applications table (https://keras.io/api/applications/; its
 *       exact-figure edition, templates/api/applications/index.md of keras-io: B0 5,330,571, B1 7,856,239,
 *       B2 9,177,569, B3 12,320,535, B4 19,466,823, B5 30,562,527, B6 43,265,143, B7 66,658,687; the current page
 *       rounds them to 5.3M, 7.9M, 9.2M, 12.3M, 19.5M, 30.6M, 43.3M, 66.7M);
 *   <li>trainable / non-trainable splits, numbers of weight variables ({@code len(model.weights)}) and of layers
 *       ({@code len(model.layers)}, the input included): Keras 3.15.1 itself (numpy backend,
 *       {@code keras.applications.EfficientNetBx(weights=None)}), run once by the author of this test; the B0, B1
 *       and B7 splits and weight counts (5,288,548 / 42,023 and 314; 7,794,184 / 62,055 and 442; 66,347,960 /
 *       310,727 and 1040) are also published in tf.keras {@code model.summary()} outputs;
 *   <li>and, independently, the architecture written out as arithmetic in {@link #formula} below.
 * </ul>
 * The same Keras run listed every layer of every variant (name, class, weight names and shapes, and settings) with
 * and without the top and with the ImageNet stem; Keras4J's layers matched it one by one. This class checks a
 * sample of that.
 */
class EfficientNetTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  /** {@code {total, trainable, nonTrainable, weight variables, layers}} per variant, from Keras (see the class). */
  private static final long[][] KERAS = {
    {5_330_571L, 5_288_548L, 42_023L, 314, 240},
    {7_856_239L, 7_794_184L, 62_055L, 442, 342},
    {9_177_569L, 9_109_994L, 67_575L, 442, 342},
    {12_320_535L, 12_233_232L, 87_303L, 499, 387},
    {19_466_823L, 19_341_616L, 125_207L, 613, 477},
    {30_562_527L, 30_389_784L, 172_743L, 741, 579},
    {43_265_143L, 43_040_704L, 224_439L, 855, 669},
    {66_658_687L, 66_347_960L, 310_727L, 1040, 816},
  };

  /** Keras's published totals, rounded as on today's keras.io page (millions, one decimal). */
  private static final double[] KERAS_IO_MILLIONS = {5.3, 7.9, 9.2, 12.3, 19.5, 30.6, 43.3, 66.7};

  /** The width and depth coefficients of B0 ... B7 (Keras's EfficientNetBx functions). */
  private static final double[][] COEFFICIENTS = {{1.0, 1.0}, {1.0, 1.1}, {1.1, 1.2}, {1.2, 1.4}, {1.4, 1.8},
      {1.6, 2.2}, {1.8, 2.6}, {2.0, 3.1}};

  private static String kerasName(int i) {
    return "efficientnetb" + i;
  }

  /** Keras's {@code round_filters}, written out: nearest multiple of 8 (at least 8), plus 8 if it lost over 10%. */
  private static long roundFilters(double filters, double width) {
    double f = filters * width;
    long n = Math.max(8, (long) (f + 4) / 8 * 8);
    return n < 0.9 * f ? n + 8 : n;
  }

  /**
   * The parameters of EfficientNet with the top, by hand: the normalization's mean, variance (3 each) and count; the
   * 3x3 stem without bias and its BN; per block an optional 1x1 expansion (x expand ratio) with BN, the depthwise
   * kxk with BN, the squeeze and excitation (1x1 convolutions with bias to and from {@code int(filtersIn / 4)}), the
   * 1x1 projection with BN; the 1x1 top convolution with BN and the Dense classifier.
   */
  static Count formula(double width, double depth) {
    // kernel, repeats, filters in, filters out, expand ratio (Keras's DEFAULT_BLOCKS_ARGS)
    int[][] stages = {{3, 1, 32, 16, 1}, {3, 2, 16, 24, 6}, {5, 2, 24, 40, 6}, {3, 3, 40, 80, 6}, {5, 3, 80, 112, 6},
        {5, 4, 112, 192, 6}, {3, 1, 192, 320, 6}};
    Count c = new Count().normalization(3);
    long stem = roundFilters(32, width);
    c.conv(3, 3, stem, false).bn(stem);
    long last = stem;
    for (int[] s : stages) {
      long filtersIn = roundFilters(s[2], width);
      long filtersOut = roundFilters(s[3], width);
      int repeats = (int) Math.ceil(depth * s[1]);
      for (int j = 0; j < repeats; j++) {
        long in = j == 0 ? filtersIn : filtersOut;
        long expanded = in * s[4];
        if (s[4] != 1) {
          c.conv(1, in, expanded, false).bn(expanded);
        }
        c.depthwise(s[0], expanded).bn(expanded).squeezeExcite(expanded, Math.max(1, in / 4));
        c.conv(1, expanded, filtersOut, false).bn(filtersOut);
      }
      last = filtersOut;
    }
    long top = roundFilters(1280, width);
    return c.conv(1, last, top, false).bn(top).dense(top, 1000);
  }

  @Test
  void parameterCountsOfEveryVariantAreKeras() {
    for (int i = 0; i < 8; i++) {
      long[] k = KERAS[i];
      Count f = formula(COEFFICIENTS[i][0], COEFFICIENTS[i][1]);
      assertEquals(k[0], f.total(), kerasName(i) + ": the formula vs Keras's total");
      assertEquals(k[1], f.trainable, kerasName(i) + ": the formula vs Keras's trainable");
      assertEquals(k[3], f.variables, kerasName(i) + ": the formula vs Keras's weight variables");
      assertEquals(KERAS_IO_MILLIONS[i], Math.round(k[0] / 1e5) / 10.0, kerasName(i) + " on keras.io");

      LayerGraph g = EfficientNet.graph(kerasName(i), new ApplicationOptions());
      assertEquals(kerasName(i), g.name());
      long[] counted = LayerCounts.count(g);
      assertEquals(k[1], counted[0], kerasName(i) + " trainable, from the layers");
      assertEquals(k[2], counted[1], kerasName(i) + " non-trainable, from the layers");
      assertEquals(k[3], counted[2], kerasName(i) + " weight variables, from the layers");
      assertEquals(k[4], LayerCounts.layers(g).size(), kerasName(i) + " layers");
      Backend.clearSession();
    }
  }

  @Test
  void smallestAndLargestBuildWithKerasCounts() {
    // Graph variables only; nothing is initialized.
    LayerCounts.checkBuilt(EfficientNet.graph("efficientnetb0", new ApplicationOptions()), KERAS[0][0], KERAS[0][1],
        KERAS[0][3]);
    Backend.clearSession();
    LayerCounts.checkBuilt(EfficientNet.graph("efficientnetb7", new ApplicationOptions()), KERAS[7][0], KERAS[7][1],
        KERAS[7][3]);
  }

  @Test
  void layersComeInKerasOrderWithKerasNames() {
    // Keras 3.15.1: [l.name for l in EfficientNetB0(weights=None).layers][:40].
    List<String> keras = List.of("input_layer", "rescaling", "normalization", "stem_conv_pad", "stem_conv",
        "stem_bn", "stem_activation", "block1a_dwconv", "block1a_bn", "block1a_activation", "block1a_se_squeeze",
        "block1a_se_reshape", "block1a_se_reduce", "block1a_se_expand", "block1a_se_excite", "block1a_project_conv",
        "block1a_project_bn", "block2a_expand_conv", "block2a_expand_bn", "block2a_expand_activation",
        "block2a_dwconv_pad", "block2a_dwconv", "block2a_bn", "block2a_activation", "block2a_se_squeeze",
        "block2a_se_reshape", "block2a_se_reduce", "block2a_se_expand", "block2a_se_excite", "block2a_project_conv",
        "block2a_project_bn", "block2b_expand_conv", "block2b_expand_bn", "block2b_expand_activation",
        "block2b_dwconv", "block2b_bn", "block2b_activation", "block2b_se_squeeze", "block2b_se_reshape",
        "block2b_se_reduce");
    try (Model m = EfficientNet.efficientNetB0(new ApplicationOptions())) {
      List<String> names = new ArrayList<>();
      m.layers().forEach(l -> names.add(l.name()));
      assertEquals(keras, names.subList(0, 40));
      assertEquals(List.of("block7a_project_conv", "block7a_project_bn", "top_conv", "top_bn", "top_activation",
          "avg_pool", "top_dropout", "predictions"), names.subList(names.size() - 8, names.size()));
      assertTrue(names.containsAll(List.of("block2b_drop", "block2b_add", "block6d_add", "block5a_project_bn")));
      assertTrue(!names.contains("block1a_add") && !names.contains("block5a_add"), "no skip where the shape changes");
      assertEquals("efficientnetb0", m.name());
      // Stochastic depth: 0.2 * b / 16 at block b (from 0); Keras: block2b_drop rate 0.025, noise_shape
      // (None, 1, 1, 1).
      Dropout drop = (Dropout) m.getLayer("block2b_drop");
      assertEquals(0.025f, drop.rate());
      assertArrayEquals(new long[] {-1, 1, 1, 1}, drop.noiseShape());
      // block6d is block 14 of 16 (block7a, the last, changes the width and has no skip): 0.2 * 14 / 16.
      assertEquals(0.175f, ((Dropout) m.getLayer("block6d_drop")).rate(), 1e-7);
      assertEquals(0.2f, ((Dropout) m.getLayer("top_dropout")).rate());
      assertEquals("silu", m.getLayer("stem_activation").getConfig().get("activation"));
    }
  }

  @Test
  void imagenetStemDividesEachChannelOnceMore() {
    // Keras adds rescaling_1 = Rescaling([1 / sqrt(s) for s in (0.229, 0.224, 0.225)]) before ImageNet weights;
    // Keras 3.15.1 lists its scale as [2.0896918976428642, 2.1128856368212916, 2.1081851067789197].
    LayerGraph g = EfficientNet.graph("efficientnetb0", new ApplicationOptions(), true);
    List<Layer> layers = LayerCounts.layers(g);
    Rescaling stem = (Rescaling) layers.stream().filter(l -> l.name().equals("rescaling_1")).findFirst()
        .orElseThrow();
    assertArrayEquals(new double[] {2.0896918976428642, 2.1128856368212916, 2.1081851067789197}, stem.scales(), 1e-15);
    assertEquals(241, layers.size());
    assertEquals(KERAS[0][3], LayerCounts.count(g)[2]);
  }

  @Test
  void outputShapesWithAndWithoutTheTop() {
    assertEquals("(None, 1000)", Shapes.format(EfficientNet.graph("efficientnetb0", new ApplicationOptions())
        .output().shape()));
    ApplicationOptions features = new ApplicationOptions().includeTop(false).inputShape(64, 64, 3);
    assertEquals("(None, 2, 2, 1280)", Shapes.format(EfficientNet.graph("efficientnetb0", features).output()
        .shape()));
    LayerGraph avg = EfficientNet.graph("efficientnetb0", features.pooling("avg"));
    assertEquals("(None, 1280)", Shapes.format(avg.output().shape()));
    assertEquals("avg_pool", avg.output().layer().name());
    LayerGraph max = EfficientNet.graph("efficientnetb7", features.pooling("max"));
    assertEquals("(None, 2560)", Shapes.format(max.output().shape())); // round_filters(1280 * 2.0)
    assertEquals("max_pool", max.output().layer().name());
    LayerGraph odd = EfficientNet.graph("efficientnetb3", new ApplicationOptions().includeTop(false)
        .inputShape(45, 37, 3));
    assertEquals("(None, 2, 2, 1536)", Shapes.format(odd.output().shape())); // "same"-like padding: ceil(n / 32)
    LayerGraph ten = EfficientNet.graph("efficientnetb1", new ApplicationOptions().classes(10).name("mine"));
    assertEquals("(None, 10)", Shapes.format(ten.output().shape()));
    assertEquals("mine", ten.name());
    assertEquals("(None, 240, 240, 3)", Shapes.format(ten.inputs().get(0).shape()));
  }

  @Test
  void forwardPassGivesFiniteSoftmaxRows() {
    Backend.setRandomSeed(3);
    Random r = new Random(5);
    float[][][][] x = new float[2][32][32][3];
    for (float[][][] image : x) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          for (int c = 0; c < 3; c++) {
            pixel[c] = r.nextFloat() * 255f;
          }
        }
      }
    }
    try (Model m = EfficientNet.efficientNetB0(new ApplicationOptions().inputShape(32, 32, 3).classes(7))) {
      FloatNdArray y = m.predict(x, 2);
      assertArrayEquals(new long[] {2, 7}, y.shape().asArray());
      for (int i = 0; i < 2; i++) {
        double sum = 0;
        for (int j = 0; j < 7; j++) {
          float v = y.getFloat(i, j);
          assertTrue(Float.isFinite(v) && v >= 0, "probability " + v);
          sum += v;
        }
        assertEquals(1.0, sum, 1e-5);
      }
      // Keras's un-adapted Normalization: mean 0, variance 1 (the identity).
      Normalization n = (Normalization) m.getLayer("normalization");
      assertArrayEquals(new float[] {0, 0, 0}, n.mean());
      assertArrayEquals(new float[] {1, 1, 1}, n.variance());
    }
  }

  @Test
  void preprocessInputIsAPassThrough() {
    float[] x = {0, 127.5f, 255};
    assertSame(x, EfficientNet.preprocessInput(x));
    assertArrayEquals(new float[] {0, 127.5f, 255}, x);
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void argumentErrorsAsKeras() {
    String m = error(() -> EfficientNet.efficientNetB0(new ApplicationOptions().weights("imagenet")));
    assertTrue(m.startsWith("EfficientNetB0: weights=\"imagenet\" is not supported"), m);
    assertEquals("The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training "
        + "on ImageNet), or the path to the weights file to be loaded.  Received: weights=/no/such.weights",
        error(() -> EfficientNet.efficientNetB5(new ApplicationOptions().weights("/no/such.weights"))));
    assertEquals("Input size must be at least 32x32; Received: input_shape=(31, 64, 3)",
        error(() -> EfficientNet.efficientNetB2(new ApplicationOptions().includeTop(false).inputShape(31, 64, 3))));
    assertEquals("`input_shape` must be a tuple of three integers. Received: input_shape=(64, 64)",
        error(() -> EfficientNet.efficientNetB0(new ApplicationOptions().includeTop(false).inputShape(64, 64))));
    assertEquals("If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=(None, "
        + "None, 3)", error(() -> EfficientNet.efficientNetB1(new ApplicationOptions().inputShape(-1, -1, 3))));
    assertEquals("EfficientNetB3: `pooling` should be None, 'avg' or 'max'. Received: pooling=mean",
        error(() -> EfficientNet.efficientNetB3(new ApplicationOptions().includeTop(false).inputShape(64, 64, 3)
            .pooling("mean"))));
    assertTrue(error(() -> EfficientNet.efficientNetB4(new ApplicationOptions().alpha(0.5)))
        .startsWith("EfficientNetB4() got an unexpected keyword argument 'alpha'"));
    assertTrue(error(() -> EfficientNet.efficientNetB6(new ApplicationOptions().classifierActivation("nope")))
        .startsWith("Unknown activation: 'nope'"));
    assertEquals("EfficientNetB7: Keras4J inputs have static sizes, so an `input_shape` with known height and width "
        + "is needed (Keras would build an input of shape (None, None, 3) here). Received: input_shape=(None, None, "
        + "3). Pass e.g. inputShape(600, 600, 3)",
        error(() -> EfficientNet.efficientNetB7(new ApplicationOptions().includeTop(false))));
    // Reached once ImageNet weights load: Keras's check of the classes.
    assertEquals("If using `weights=\"imagenet\"` with `include_top` as true, `classes` should be 1000",
        error(() -> EfficientNetBlocks.checkImagenetClasses(new ApplicationOptions().weights("imagenet")
            .classes(10))));
    EfficientNetBlocks.checkImagenetClasses(new ApplicationOptions().weights("imagenet").includeTop(false)
        .classes(10));
  }
}
