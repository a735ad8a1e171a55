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
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Behaviour of the applications: layer names and counts as Keras's, input handling, a forward pass and a short fit
 * of small configurations, loading a Keras4J weights file, the preprocessing functions and the argument errors.
 */
class ApplicationsTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  /** The layers of a layer graph, output first. */
  private static List<Layer> layers(LayerGraph graph) {
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

  private static List<String> names(LayerGraph graph) {
    List<String> out = new ArrayList<>();
    layers(graph).forEach(l -> out.add(l.name()));
    return out;
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
  void resNet50HasKerasLayerNamesAndLayerCount() {
    LayerGraph g = ResNet.graph("resnet50", new ApplicationOptions());
    List<String> names = names(g);
    // Keras: input + 6 stem layers + 16 blocks x 10 layers + a 2-layer shortcut in 4 first blocks + avg_pool and
    // predictions = 1 + 6 + 160 + 8 + 2 = 177 layers (len(keras.applications.ResNet50().layers)).
    assertEquals(177, names.size());
    for (String n : List.of("conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu", "pool1_pad", "pool1_pool",
        "conv2_block1_0_conv", "conv2_block1_0_bn", "conv2_block1_1_conv", "conv2_block1_3_bn", "conv2_block1_add",
        "conv2_block1_out", "conv4_block6_out", "conv5_block3_out", "avg_pool", "predictions")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    assertEquals("(None, 1000)", Shapes.format(g.output().shape()));
  }

  @Test
  void mobileNetV2HasKerasLayerNamesAndLayerCount() {
    LayerGraph g = MobileNetV2.graph(new ApplicationOptions());
    List<String> names = names(g);
    // Keras: input 1 + stem 3 + block 0: 5 + blocks 1-16: 16 x 8 + 4 pads + 10 adds + head 3 + pooling and
    // predictions 2 = 156 layers.
    assertEquals(156, names.size());
    for (String n : List.of("Conv1", "bn_Conv1", "Conv1_relu", "expanded_conv_depthwise", "expanded_conv_project_BN",
        "block_1_expand", "block_1_pad", "block_1_depthwise_relu", "block_2_add", "block_16_project_BN", "Conv_1",
        "Conv_1_bn", "out_relu", "predictions")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    assertEquals("mobilenetv2_1.00_224", g.name());
  }

  @Test
  void featureExtractorsNeedAStaticInputShapeInKeras4J() {
    // Keras would build a (None, None, 3) input; Keras4J inputs have static sizes.
    String m = error(() -> ResNet.graph("resnet50", new ApplicationOptions().includeTop(false)));
    assertEquals("ResNet50: Keras4J inputs have static sizes, so an `input_shape` with known height and width is "
        + "needed (Keras would build an input of shape (None, None, 3) here). Received: input_shape=(None, None, 3). "
        + "Pass e.g. inputShape(224, 224, 3)", m);
    LayerGraph dense = DenseNet.graph("densenet121", new ApplicationOptions().includeTop(false).inputShape(64, 64, 3)
        .pooling("max"));
    assertEquals("(None, 1024)", Shapes.format(dense.output().shape()));
    assertTrue(names(dense).contains("max_pool"));
    LayerGraph v2 = ResNetV2.graph("resnet50v2", new ApplicationOptions().includeTop(false).inputShape(64, 64, 3));
    assertEquals("(None, 2, 2, 2048)", Shapes.format(v2.output().shape()));
    LayerGraph mobile = MobileNet.graph(new ApplicationOptions().includeTop(false).inputShape(160, 160, 3)
        .alpha(0.5));
    assertEquals("(None, 5, 5, 512)", Shapes.format(mobile.output().shape())); // int(1024 * 0.5) channels
    assertEquals("mobilenet_0.50_160", mobile.name());
  }

  @Test
  void mobileNetV2ForwardPassGivesPooledFeatures() {
    Backend.setRandomSeed(1);
    try (Model m = MobileNetV2.mobileNetV2(new ApplicationOptions().alpha(0.35).includeTop(false)
        .inputShape(96, 96, 3).pooling("avg"))) {
      assertEquals("mobilenetv2_0.35_96", m.name());
      assertEquals("(None, 1280)", Shapes.format(m.outputs().get(0).shape()));
      FloatNdArray y = m.predict(images(2, 96, 3), 2);
      assertArrayEquals(new long[] {2, 1280}, y.shape().asArray());
      // The features are averages of out_relu's ReLU6 outputs, so in [0, 6], and random images give some non-zero.
      float max = 0;
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 1280; j++) {
          float v = y.getFloat(i, j);
          assertTrue(v >= 0 && v <= 6, "feature " + v);
          max = Math.max(max, v);
        }
      }
      assertTrue(max > 0);
    }
  }

  @Test
  void smallMobileNetTrainsAndItsWeightsFileLoads(@TempDir Path dir) throws Exception {
    Backend.setRandomSeed(7);
    float[][][][] x = images(12, 32, 11);
    float[] y = new float[12];
    for (int i = 0; i < 12; i++) {
      y[i] = i % 3;
      // Give each class its own brightness so that the task is learnable.
      for (float[][] row : x[i]) {
        for (float[] pixel : row) {
          for (int c = 0; c < 3; c++) {
            pixel[c] = pixel[c] * 0.2f + 80f * (i % 3);
          }
        }
      }
    }
    float[][][][] input = ImageNetUtils.preprocessInput(x, "tf");
    ApplicationOptions options = new ApplicationOptions().alpha(0.25).inputShape(32, 32, 3).classes(3).dropout(0);
    Path file = dir.resolve("mobilenet.weights.bin");
    FloatNdArray trained;
    try (Model m = MobileNet.mobileNet(options)) {
      assertEquals("(None, 3)", Shapes.format(m.outputs().get(0).shape()));
      m.compile(new Adam(0.003f), "sparse_categorical_crossentropy");
      History h = m.fit(input, y, new FitOptions().epochs(10).batchSize(12).verbose(0));
      List<Double> loss = h.get("loss");
      double lastThree = (loss.get(7) + loss.get(8) + loss.get(9)) / 3;
      assertTrue(lastThree < 0.5 * loss.get(0), "loss " + loss);
      trained = m.predict(input);
      m.saveWeights(file);
    }
    Backend.clearSession();
    try (Model m = MobileNet.mobileNet(options.weights(file.toString()))) {
      FloatNdArray loaded = m.predict(input);
      for (int i = 0; i < 12; i++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(trained.getFloat(i, c), loaded.getFloat(i, c), 1e-5f);
        }
      }
    }
  }

  @Test
  void inputTensorMakesTheModelStartAtItsSourceInput() {
    KerasTensor image = Input.of(32, 32, 3);
    KerasTensor scaled = new Rescaling(1.0 / 255).apply(image);
    try (Model m = VGG16.vgg16(new ApplicationOptions().includeTop(false).inputTensor(scaled))) {
      assertEquals(List.of(image), m.inputs());
      assertEquals("(None, 1, 1, 512)", Shapes.format(m.outputs().get(0).shape()));
      assertEquals("block1_conv1", m.layers().get(2).name()); // after the input and the rescaling
    }
  }

  // ---------------------------------------------------------------- preprocessing

  @Test
  void caffeModeSwapsToBgrAndSubtractsTheImageNetMeans() {
    // Keras: x[..., ::-1], then B - 103.939, G - 116.779, R - 123.68.
    float[] out = ResNet.preprocessInput(new float[] {10, 20, 30, 255, 0, 128});
    assertArrayEquals(new float[] {30 - 103.939f, 20 - 116.779f, 10 - 123.68f, 128 - 103.939f, 0 - 116.779f,
        255 - 123.68f}, out, 1e-4f);
    assertArrayEquals(out, VGG16.preprocessInput(new float[] {10, 20, 30, 255, 0, 128}));
    assertArrayEquals(out, VGG19.preprocessInput(new float[] {10, 20, 30, 255, 0, 128}));
  }

  @Test
  void tfModeScalesToMinusOneOne() {
    float[] expected = {-1f, 0f, 1f};
    assertArrayEquals(expected, MobileNet.preprocessInput(new float[] {0, 127.5f, 255}), 1e-6f);
    assertArrayEquals(expected, MobileNetV2.preprocessInput(new float[] {0, 127.5f, 255}), 1e-6f);
    assertArrayEquals(expected, ResNetV2.preprocessInput(new float[] {0, 127.5f, 255}), 1e-6f);
  }

  @Test
  void torchModeNormalizesEachChannel() {
    // (x / 255 - mean) / std: R 255 -> (1 - 0.485) / 0.229, G 0 -> -0.456 / 0.224, B 127.5 -> (0.5 - 0.406) / 0.225.
    float[] out = DenseNet.preprocessInput(new float[] {255, 0, 127.5f});
    assertArrayEquals(new float[] {2.2489083f, -2.0357143f, 0.41777778f}, out, 1e-5f);
    float[][][][] batch = ImageNetUtils.preprocessInput(new float[][][][] {{{{255, 0, 127.5f}}}}, "torch");
    assertArrayEquals(out, batch[0][0][0]);
  }

  @Test
  void preprocessingErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageNetUtils.preprocessInput(new float[3], "keras"));
    assertEquals("Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=keras", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ResNet.preprocessInput(new float[4]));
    assertTrue(e.getMessage().contains("multiple of 3"), e.getMessage());
  }

  // ---------------------------------------------------------------- argument errors

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void weightsArgumentErrors() {
    // Architectures without a registered ImageNet file refuse "imagenet" with the reason.
    String m = error(() -> ImageNetUtils.checkWeights("InceptionV3", "imagenet"));
    assertTrue(m.startsWith("InceptionV3: weights=\"imagenet\" is not supported") && m.contains("HDF5"), m);
    m = error(() -> DenseNet.denseNet121(new ApplicationOptions().weights("/no/such/file.weights")));
    assertEquals("The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training "
        + "on ImageNet), or the path to the weights file to be loaded.  Received: weights=/no/such/file.weights", m);
  }

  @Test
  void inputShapeErrorsAsKeras() {
    assertEquals("Input size must be at least 32x32; Received: input_shape=(16, 16, 3)",
        error(() -> VGG16.vgg16(new ApplicationOptions().includeTop(false).inputShape(16, 16, 3))));
    assertEquals("`input_shape` must be a tuple of three integers. Received: input_shape=(64, 64)",
        error(() -> MobileNet.mobileNet(new ApplicationOptions().includeTop(false).inputShape(64, 64))));
    assertEquals("If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=(None, "
        + "None, 3)", error(() -> ResNet.resNet50(new ApplicationOptions().inputShape(-1, -1, 3))));
  }

  @Test
  void xceptionNamesAndMinimumSize() {
    LayerGraph g = Xception.graph(new ApplicationOptions().includeTop(false).inputShape(71, 71, 3).pooling("avg"));
    assertEquals("(None, 2048)", Shapes.format(g.output().shape()));
    List<String> names = names(g);
    for (String n : List.of("block1_conv1", "block2_sepconv2_act", "block2_pool", "block12_sepconv3_bn",
        "block13_pool", "block14_sepconv2_act")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    assertEquals("Input size must be at least 71x71; Received: input_shape=(70, 70, 3)",
        error(() -> Xception.graph(new ApplicationOptions().includeTop(false).inputShape(70, 70, 3))));
    assertArrayEquals(new float[] {-1f, 1f}, Xception.preprocessInput(new float[] {0, 255}), 1e-6f);
  }

  @Test
  void otherArgumentErrors() {
    assertEquals("ResNet50: `pooling` should be None, 'avg' or 'max'. Received: pooling=mean",
        error(() -> ResNet.resNet50(new ApplicationOptions().includeTop(false).pooling("mean"))));
    assertTrue(error(() -> VGG19.vgg19(new ApplicationOptions().alpha(0.5)))
        .startsWith("VGG19() got an unexpected keyword argument 'alpha'"));
    assertTrue(error(() -> MobileNetV2.mobileNetV2(new ApplicationOptions().depthMultiplier(2)))
        .startsWith("MobileNetV2() got an unexpected keyword argument 'depth_multiplier'"));
    assertEquals("MobileNet: `alpha` should be a positive width multiplier. Received: alpha=0.0",
        error(() -> MobileNet.mobileNet(new ApplicationOptions().alpha(0))));
    assertTrue(error(() -> ResNet.resNet101(new ApplicationOptions().classifierActivation("nope")))
        .startsWith("Unknown activation: 'nope'"));
  }

  @Test
  void makeDivisibleAsKeras() {
    // Keras's _make_divisible: max(8, int(v + 4) // 8 * 8), plus 8 when that loses more than 10%.
    assertEquals(16, MobileNetV2.makeDivisible(32 * 0.35, 8)); // 11.2 -> 15 // 8 * 8 = 8 < 10.08 -> 16
    assertEquals(24, MobileNetV2.makeDivisible(24, 8));
    assertEquals(8, MobileNetV2.makeDivisible(3, 8));
    assertEquals(1792, MobileNetV2.makeDivisible(1280 * 1.4, 8));
  }
}
