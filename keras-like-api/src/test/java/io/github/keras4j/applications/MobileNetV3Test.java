package io.github.keras4j.applications;

import static io.github.keras4j.applications.InceptionTest.layers;
import static io.github.keras4j.applications.InceptionTest.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.models.Model;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * MobileNetV3Small and MobileNetV3Large: Keras's layer names, output shapes with and without the top and with each
 * pooling, the MobileNetV3-only options, a forward pass of small variants, the built-in preprocessing, the hard
 * sigmoid's values and the argument errors.
 */
class MobileNetV3Test {

  @BeforeEach
  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  private static String shape(LayerGraph g) {
    return Shapes.format(g.output().shape());
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  private static LayerGraph small(ApplicationOptions o) {
    return MobileNetV3.graph("small", o, new MobileNetV3.Options());
  }

  private static LayerGraph large(ApplicationOptions o) {
    return MobileNetV3.graph("large", o, new MobileNetV3.Options());
  }

  private static float[][][][] images(int n, int size, long seed) {
    Random r = new Random(seed);
    float[][][][] x = new float[n][size][size][3];
    for (float[][][] image : x) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          for (int c = 0; c < 3; c++) {
            pixel[c] = r.nextFloat() * 255f;
          }
        }
      }
    }
    return x;
  }

  @Test
  void smallHasKerasLayerNamesInKerasOrder() {
    LayerGraph g = small(new ApplicationOptions());
    List<String> names = names(g);
    // Keras's generated names, in the order Keras creates the layers: the first block (stride 2, squeeze-and-excite,
    // ReLU) and the start of the second; "add" and "multiply" are the two operations of Keras's hard sigmoid.
    assertEquals(List.of("rescaling", "conv", "conv_bn", "activation", "expanded_conv_depthwise_pad",
        "expanded_conv_depthwise", "expanded_conv_depthwise_bn", "re_lu", "expanded_conv_squeeze_excite_avg_pool",
        "expanded_conv_squeeze_excite_conv", "expanded_conv_squeeze_excite_relu", "expanded_conv_squeeze_excite_conv_1",
        "add", "re_lu_1", "multiply", "expanded_conv_squeeze_excite_mul", "expanded_conv_project",
        "expanded_conv_project_bn", "expanded_conv_1_expand", "expanded_conv_1_expand_bn", "re_lu_2",
        "expanded_conv_1_depthwise_pad"), names.subList(1, 23));
    // The end: 19 hard-swish activations (activation ... activation_18), 14 ReLUs, 9 squeeze-and-excite units.
    assertEquals(List.of("expanded_conv_10_project_bn", "expanded_conv_10_add", "conv_1", "conv_1_bn", "activation_17",
        "global_average_pooling2d", "conv_2", "activation_18", "dropout", "logits", "flatten", "predictions"),
        names.subList(names.size() - 12, names.size()));
    for (String n : List.of("expanded_conv_2_add", "expanded_conv_3_depthwise_pad", "expanded_conv_3_squeeze_excite_mul",
        "expanded_conv_5_add", "expanded_conv_7_add", "re_lu_13", "add_8", "multiply_8")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    for (String n : List.of("expanded_conv_1_add", "expanded_conv_3_add", "expanded_conv_6_add", "re_lu_14",
        "add_9", "expanded_conv_1_squeeze_excite_mul")) {
      assertTrue(!names.contains(n), n + " in " + names);
    }
    Layer sePlusThree = layers(g).get(names.indexOf("add"));
    assertEquals(3.0, ((Rescaling) sePlusThree).offset());
    assertEquals(1 / 6.0, ((Rescaling) layers(g).get(names.indexOf("multiply"))).scale());
    assertEquals("MobileNetV3Small", g.name());
    assertEquals("(None, 1000)", shape(g));
  }

  @Test
  void largeHasKerasLayerNames() {
    LayerGraph g = large(new ApplicationOptions());
    List<String> names = names(g);
    // Block 0 of Large has stride 1 (no padding), no squeeze-and-excite unit, and a residual sum.
    assertEquals(List.of("rescaling", "conv", "conv_bn", "activation", "expanded_conv_depthwise",
        "expanded_conv_depthwise_bn", "re_lu", "expanded_conv_project", "expanded_conv_project_bn", "expanded_conv_add"),
        names.subList(1, 11));
    for (String n : List.of("expanded_conv_3_squeeze_excite_mul", "expanded_conv_6_depthwise_pad",
        "expanded_conv_9_add", "expanded_conv_11_add", "expanded_conv_12_depthwise_pad",
        "expanded_conv_14_squeeze_excite_conv_1", "conv_1", "conv_2", "logits", "predictions")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    assertTrue(!names.contains("expanded_conv_6_squeeze_excite_mul"), "blocks 6 to 9 have no squeeze-and-excite");
    // Kernels: 3x3 in blocks 0-2 and 6-11, the model's 5x5 in blocks 3-5 and 12-14.
    int[] kernels = new int[15];
    for (int i = 0; i < 15; i++) {
      String n = i == 0 ? "expanded_conv_depthwise" : "expanded_conv_" + i + "_depthwise";
      kernels[i] = ((DepthwiseConv2D) layers(g).get(names.indexOf(n))).kernelSize()[0];
    }
    assertArrayEquals(new int[] {3, 3, 3, 5, 5, 5, 3, 3, 3, 3, 3, 3, 5, 5, 5}, kernels);
    assertEquals("MobileNetV3Large", g.name());
  }

  @Test
  void outputShapesWithAndWithoutTheTop() {
    assertEquals("(None, 7, 7, 576)", shape(small(new ApplicationOptions().includeTop(false).inputShape(224, 224,
        3))));
    assertEquals("(None, 7, 7, 960)", shape(large(new ApplicationOptions().includeTop(false).inputShape(224, 224,
        3))));
    LayerGraph avg = small(new ApplicationOptions().includeTop(false).inputShape(96, 96, 3).pooling("avg"));
    assertEquals("(None, 576)", shape(avg));
    assertEquals("avg_pool", avg.output().layer().name());
    LayerGraph max = large(new ApplicationOptions().includeTop(false).inputShape(64, 80, 3).pooling("max"));
    assertEquals("(None, 960)", shape(max));
    assertEquals("max_pool", max.output().layer().name());
    // Keras's correct_pad keeps "same"-like sizes for odd inputs: 33 -> 17 -> 9 -> 5 -> 3 -> 2; 32 -> ... -> 1.
    assertEquals("(None, 2, 2, 576)", shape(small(new ApplicationOptions().includeTop(false).inputShape(33, 33, 3))));
    assertEquals("(None, 1, 1, 576)", shape(small(new ApplicationOptions().includeTop(false).inputShape(32, 32, 3))));
    // alpha 0.75: the last block has _depth(96 * 0.75) = 72 channels, conv_1 6 x 72 = 432; conv_2 stays 1024.
    LayerGraph thin = small(new ApplicationOptions().alpha(0.75).includeTop(false).inputShape(64, 64, 3));
    assertEquals("(None, 2, 2, 432)", shape(thin));
    // alpha 1.25: conv_2 widens to _depth(1280 * 1.25) = 1600 (Large).
    LayerGraph wide = large(new ApplicationOptions().alpha(1.25).classes(3).classifierActivation(null));
    assertEquals("(None, 3)", shape(wide));
    Layer conv2 = layers(wide).get(names(wide).indexOf("conv_2"));
    assertEquals(1600, ((Conv2D) conv2).filters());
    assertEquals("(None, 1, 1, 1600)", Shapes.format(conv2.inboundNodes().get(0).outputs().get(0).shape()));
  }

  @Test
  void optionsOnlyMobileNetV3Takes() {
    MobileNetV3.Options defaults = new MobileNetV3.Options();
    assertEquals(false, defaults.minimalistic());
    assertEquals(0.2, defaults.dropoutRate());
    assertEquals(true, defaults.includePreprocessing());
    LayerGraph g = MobileNetV3.graph("small", new ApplicationOptions().name("tiny"),
        new MobileNetV3.Options().dropoutRate(0).includePreprocessing(false).minimalistic(true));
    List<String> names = names(g);
    assertEquals("tiny", g.name());
    assertTrue(!names.contains("dropout") && !names.contains("rescaling") && !names.contains("activation"), names
        .toString());
    assertTrue(names.stream().noneMatch(n -> n.contains("squeeze_excite")), names.toString());
    assertEquals("conv", names.get(1));
    // Minimalistic: 3x3 depthwise kernels everywhere (Keras: 5x5 from block 3 on otherwise).
    assertEquals(3, ((DepthwiseConv2D) layers(g)
        .get(names.indexOf("expanded_conv_3_depthwise"))).kernelSize()[0]);
    assertEquals(5, ((DepthwiseConv2D) layers(small(new ApplicationOptions()))
        .get(names(small(new ApplicationOptions())).indexOf("expanded_conv_3_depthwise"))).kernelSize()[0]);
  }

  @Test
  void inputTensorGivesTheInputShape() {
    KerasTensor image = Input.of(64, 64, 3);
    KerasTensor flipped = new Rescaling(-1, 255).apply(image);
    LayerGraph g = small(new ApplicationOptions().inputTensor(flipped));
    assertEquals(List.of(image), g.inputs());
    assertEquals("(None, 1000)", shape(g));
    assertEquals("(None, 2, 2, 576)", shape(small(new ApplicationOptions().includeTop(false).inputTensor(flipped)
        .inputShape(64, 64, 3))));
  }

  @Test
  void smallForwardPassGivesSoftmaxRows() {
    Backend.setRandomSeed(1);
    try (Model m = MobileNetV3.mobileNetV3Small(new ApplicationOptions().alpha(0.75).inputShape(32, 32, 3)
        .classes(5))) {
      assertEquals("(None, 5)", Shapes.format(m.outputs().get(0).shape()));
      FloatNdArray y = m.predict(images(3, 32, 2), 3);
      assertArrayEquals(new long[] {3, 5}, y.shape().asArray());
      for (int i = 0; i < 3; i++) {
        double sum = 0;
        for (int j = 0; j < 5; j++) {
          float p = y.getFloat(i, j);
          assertTrue(Float.isFinite(p) && p >= 0 && p <= 1, "probability " + p);
          sum += p;
        }
        assertEquals(1.0, sum, 1e-5);
      }
    }
  }

  @Test
  void largeMinimalisticForwardPassGivesPooledFeatures() {
    Backend.setRandomSeed(2);
    try (Model m = MobileNetV3.mobileNetV3Large(new ApplicationOptions().alpha(0.35).includeTop(false)
        .inputShape(32, 32, 3).pooling("avg"), new MobileNetV3.Options().minimalistic(true))) {
      // The last block has _depth(160 * 0.35) = 56 channels, conv_1 6 x 56 = 336.
      FloatNdArray y = m.predict(images(2, 32, 3), 2);
      assertArrayEquals(new long[] {2, 336}, y.shape().asArray());
      float max = 0;
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 336; j++) {
          float v = y.getFloat(i, j);
          assertTrue(Float.isFinite(v) && v >= 0, "feature " + v); // averages of ReLU outputs
          max = Math.max(max, v);
        }
      }
      assertTrue(max > 0);
    }
  }

  @Test
  void includedPreprocessingIsKerasTfMode() {
    // The same weights with and without the Rescaling layer: pixels in [0, 255] with it give what x / 127.5 - 1
    // gives without it.
    Backend.setRandomSeed(3);
    float[][][][] x = images(2, 32, 4);
    float[][][][] scaled = ImageNetUtils.preprocessInput(x, "tf");
    ApplicationOptions o = new ApplicationOptions().alpha(0.5).inputShape(32, 32, 3).classes(4);
    try (Model with = MobileNetV3.mobileNetV3Small(o);
        Model without = MobileNetV3.mobileNetV3Small(o, new MobileNetV3.Options().includePreprocessing(false))) {
      without.setWeights(with.getWeights());
      FloatNdArray a = with.predict(x);
      FloatNdArray b = without.predict(scaled);
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 4; j++) {
          assertEquals(a.getFloat(i, j), b.getFloat(i, j), 1e-5f);
        }
      }
    }
    // mobilenet_v3.preprocess_input is a pass-through (a copy here).
    float[] pixels = {0, 127.5f, 255};
    float[] same = MobileNetV3.preprocessInput(pixels);
    assertArrayEquals(pixels, same);
    assertNotSame(pixels, same);
  }

  @Test
  void hardSigmoidIsRelu6OfXPlusThreeOverSix() {
    KerasTensor in = Input.of(7);
    try (Model m = new Model(in, MobileNetV3.hardSigmoid(in))) {
      FloatNdArray y = m.predict(new float[][] {{-4, -3, -1.5f, 0, 1.5f, 3, 4}});
      // relu6(x + 3) / 6 by hand: 0, 0, 0.25, 0.5, 0.75, 1, 1.
      float[] expected = {0, 0, 0.25f, 0.5f, 0.75f, 1, 1};
      for (int j = 0; j < 7; j++) {
        assertEquals(expected[j], y.getFloat(0, j), 1e-6f);
      }
    }
  }

  @Test
  void argumentErrorsAsKeras() {
    assertEquals("Input size must be at least 32x32; Received `input_shape=(16, 16, 3)`",
        error(() -> small(new ApplicationOptions().inputShape(16, 16, 3))));
    assertEquals("Input size must be at least 32x32; Received `input_shape=(64, 31, 3)`",
        error(() -> large(new ApplicationOptions().includeTop(false).inputShape(64, 31, 3))));
    KerasTensor wide = Input.of(64, 96, 3);
    assertEquals("input_shape[1] must equal input_tensor.shape[2].  Received input_shape=(64, 64, 3), "
        + "input_tensor.shape=(None, 64, 96, 3)",
        error(() -> small(new ApplicationOptions().inputTensor(wide).inputShape(64, 64, 3))));
    assertEquals("MobileNetV3Small: Keras4J inputs have static sizes, so an `input_shape` with known height and width "
        + "is needed (Keras would build an input of shape (None, None, 3) here). Received: input_shape=(None, None, "
        + "3). Pass e.g. inputShape(224, 224, 3)", error(() -> small(new ApplicationOptions().includeTop(false))));
    assertEquals("`input_shape` must be a tuple of three integers. Received: input_shape=(64, 64)",
        error(() -> large(new ApplicationOptions().inputShape(64, 64))));
    assertTrue(error(() -> large(new ApplicationOptions().depthMultiplier(2)))
        .startsWith("MobileNetV3Large() got an unexpected keyword argument 'depth_multiplier'"));
    assertTrue(error(() -> small(new ApplicationOptions().dropout(0.3)))
        .startsWith("MobileNetV3Small() got an unexpected keyword argument 'dropout'"));
    assertEquals("MobileNetV3Small: `alpha` should be a finite width multiplier. Received: alpha=NaN",
        error(() -> small(new ApplicationOptions().alpha(Double.NaN))));
    assertEquals("MobileNetV3Large: `pooling` should be None, 'avg' or 'max'. Received: pooling=sum",
        error(() -> large(new ApplicationOptions().includeTop(false).inputShape(64, 64, 3).pooling("sum"))));
    assertTrue(error(() -> small(new ApplicationOptions().weights("/no/such/file.weights")))
        .startsWith("The `weights` argument should be either `None` (random initialization), 'imagenet'"));
  }
}
