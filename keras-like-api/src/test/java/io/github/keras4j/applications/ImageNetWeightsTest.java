package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.models.Model;
import io.github.keras4j.saving.LegacyH5;
import io.github.keras4j.utils.FileUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * {@code weights="imagenet"}: each architecture's Keras weights file (name, URL, hash), Keras's argument rules with
 * ImageNet weights, Keras's layer order of the architectures, the download-and-load mechanism on a generated file
 * served locally, and {@code decode_predictions}. No test reaches the internet.
 */
class ImageNetWeightsTest {

  private static final String BASE = "https://storage.googleapis.com/tensorflow/keras-applications/";

  @TempDir Path dir;

  @AfterEach
  void clear() {
    Backend.clearSession();
    ImageNetUtils.clearClassIndex();
  }

  private static void assertWeights(String file, String folder, String hash, ImageNetUtils.ImageNetWeights w) {
    assertEquals(file, w.fileName());
    assertEquals(BASE + folder + "/" + file, w.origin());
    assertEquals(hash, w.fileHash());
  }

  @Test
  void eachArchitectureNamesKerasFile() {
    // File names, folders and MD5 hashes as in keras/src/applications/*.py (WEIGHTS_PATH*, WEIGHTS_HASHES).
    assertWeights("vgg16_weights_tf_dim_ordering_tf_kernels.h5", "vgg16", "64373286793e3c8b2b4e3219cbf3544b",
        VGG16.imagenetWeights("vgg16", true));
    assertWeights("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "vgg16", "6d6bbae143d832006294945121d1f1fc",
        VGG16.imagenetWeights("vgg16", false));
    assertWeights("vgg19_weights_tf_dim_ordering_tf_kernels.h5", "vgg19", "cbe5617147190e668d6c5d5026f83318",
        VGG16.imagenetWeights("vgg19", true));
    assertWeights("vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "vgg19", "253f8cb515780f3b799900260a226db6",
        VGG16.imagenetWeights("vgg19", false));
    String[][] resnets = {
        {"resnet50", "2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"},
        {"resnet101", "f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"},
        {"resnet152", "100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"},
        {"resnet50v2", "3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"},
        {"resnet101v2", "6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"},
        {"resnet152v2", "a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"}};
    for (String[] r : resnets) {
      assertWeights(r[0] + "_weights_tf_dim_ordering_tf_kernels.h5", "resnet", r[1],
          ResNet.imagenetWeights(r[0], true));
      assertWeights(r[0] + "_weights_tf_dim_ordering_tf_kernels_notop.h5", "resnet", r[2],
          ResNet.imagenetWeights(r[0], false));
    }
    String[][] densenets = {
        {"densenet121", "9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"},
        {"densenet169", "d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"},
        {"densenet201", "1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"}};
    for (String[] d : densenets) {
      assertWeights(d[0] + "_weights_tf_dim_ordering_tf_kernels.h5", "densenet", d[1],
          DenseNet.imagenetWeights(d[0], true));
      assertWeights(d[0] + "_weights_tf_dim_ordering_tf_kernels_notop.h5", "densenet", d[2],
          DenseNet.imagenetWeights(d[0], false));
    }
    assertWeights("xception_weights_tf_dim_ordering_tf_kernels.h5", "xception", "0a58e3b7378bc2990ea3b43d5981f1f6",
        Xception.imagenetWeights(true));
    assertWeights("xception_weights_tf_dim_ordering_tf_kernels_notop.h5", "xception",
        "b0042744bf5b25fce3cb969f33bebb97", Xception.imagenetWeights(false));
    // MobileNet: "mobilenet_%s_%d_tf.h5" % (alpha_text, rows), no hash.
    assertWeights("mobilenet_1_0_224_tf.h5", "mobilenet", null, MobileNet.imagenetWeights(1.0, 224, true));
    assertWeights("mobilenet_7_5_160_tf_no_top.h5", "mobilenet", null, MobileNet.imagenetWeights(0.75, 160, false));
    assertWeights("mobilenet_5_0_128_tf.h5", "mobilenet", null, MobileNet.imagenetWeights(0.5, 128, true));
    assertWeights("mobilenet_2_5_192_tf_no_top.h5", "mobilenet", null, MobileNet.imagenetWeights(0.25, 192, false));
    // MobileNetV2: f"..._{float(alpha)}_{rows}.h5", no hash.
    assertWeights("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5", "mobilenet_v2", null,
        MobileNetV2.imagenetWeights(1.0, 224, true));
    assertWeights("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5", "mobilenet_v2", null,
        MobileNetV2.imagenetWeights(0.35, 96, false));
    assertWeights("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.5_128.h5", "mobilenet_v2", null,
        MobileNetV2.imagenetWeights(0.5, 128, true));
    assertWeights("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.4_224_no_top.h5", "mobilenet_v2", null,
        MobileNetV2.imagenetWeights(1.4, 224, false));
  }

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  private static ApplicationOptions imagenet() {
    return new ApplicationOptions().weights("imagenet");
  }

  @Test
  void kerasRulesWithImagenetWeights() {
    assertEquals("If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  Received "
        + "classes=10", error(() -> ResNet.graph("resnet50", imagenet().classes(10))));
    assertEquals("When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be (224, 224, "
        + "3).  Received: input_shape=(160, 160, 3)", error(() -> VGG16.build("VGG16", "vgg16",
            new int[] {2, 2, 3, 3, 3}, imagenet().inputShape(160, 160, 3))));
    assertEquals("When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be (299, 299, "
        + "3).  Received: input_shape=(224, 224, 3)", error(() -> Xception.graph(imagenet().inputShape(224, 224, 3))));
    assertEquals("The input must have 3 channels; Received `input_shape=(64, 64, 1)`",
        error(() -> DenseNet.graph("densenet121", imagenet().includeTop(false).inputShape(64, 64, 1))));
    assertEquals("If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, `0.75` or `1.0` only.  "
        + "Received alpha=0.3", error(() -> MobileNet.graph(imagenet().alpha(0.3))));
    assertEquals("If imagenet weights are being loaded, depth multiplier must be 1.  Received depth_multiplier=2",
        error(() -> MobileNet.graph(imagenet().depthMultiplier(2))));
    assertEquals("If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, `0.75`, `1.0`, `1.3` or "
        + "`1.4` only; Received `alpha=0.2`", error(() -> MobileNetV2.graph(imagenet().alpha(0.2))));
    assertTrue(error(() -> VGG19.vgg19(imagenet().classifierActivation("relu")))
        .startsWith("Only `None` and `softmax` activations are allowed"));
    // MobileNet's default size follows a square input of a size with weights: (160, 160, 3) is the default there.
    assertEquals("mobilenet_1.00_160", MobileNet.graph(imagenet().inputShape(160, 160, 3)).name());
    // Without the top, another size uses the 224 weights and the name says so, as Keras.
    assertEquals("mobilenet_0.50_224", MobileNet.graph(imagenet().alpha(0.5).includeTop(false)
        .inputShape(100, 100, 3)).name());
    assertEquals("mobilenetv2_0.35_96", MobileNetV2.graph(imagenet().alpha(0.35).includeTop(false)
        .inputShape(96, 96, 3)).name());
    assertEquals("mobilenetv2_1.00_224", MobileNetV2.graph(imagenet().includeTop(false).inputShape(96, 128, 3))
        .name());
  }

  private static List<String> kerasOrder(LayerGraph g) {
    List<String> out = new ArrayList<>();
    for (Layer l : Model.layerOrder(g.inputs(), List.of(g.output()))) {
      out.add(l.name());
    }
    return out;
  }

  private static List<String> after(List<String> names, String first, int n) {
    int i = names.indexOf(first);
    assertTrue(i >= 0, first + " in " + names);
    return names.subList(i, i + n);
  }

  @Test
  void layerOrderAsKerasModelSummaries() {
    // The order of Keras's model.summary() (Functional.layers), as printed for Keras's ResNet50, ResNet50V2 and
    // Xception: the legacy .h5 files list their layers in this order.
    List<String> resnet = kerasOrder(ResNet.graph("resnet50", new ApplicationOptions()));
    assertEquals(List.of("conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_1_relu", "conv2_block1_2_conv",
        "conv2_block1_2_bn", "conv2_block1_2_relu", "conv2_block1_0_conv", "conv2_block1_3_conv",
        "conv2_block1_0_bn", "conv2_block1_3_bn", "conv2_block1_add", "conv2_block1_out", "conv2_block2_1_conv"),
        after(resnet, "conv2_block1_1_conv", 13));
    assertEquals(177, resnet.size(), "Keras's ResNet50 has 177 layers, its input included");
    List<String> v2 = kerasOrder(ResNetV2.graph("resnet50v2", new ApplicationOptions()));
    assertEquals(List.of("conv2_block1_preact_bn", "conv2_block1_preact_relu", "conv2_block1_1_conv",
        "conv2_block1_1_bn", "conv2_block1_1_relu", "conv2_block1_2_pad", "conv2_block1_2_conv", "conv2_block1_2_bn",
        "conv2_block1_2_relu", "conv2_block1_0_conv", "conv2_block1_3_conv", "conv2_block1_out"),
        after(v2, "conv2_block1_preact_bn", 12));
    List<String> x = kerasOrder(Xception.graph(new ApplicationOptions()));
    List<String> block2 = after(x, "block2_sepconv1", 9);
    assertEquals(List.of("block2_sepconv1", "block2_sepconv1_bn", "block2_sepconv2_act", "block2_sepconv2",
        "block2_sepconv2_bn"), block2.subList(0, 5));
    assertEquals("block2_pool", block2.get(6));
    // Then Keras's generated names: conv2d (the shortcut), block2_pool, batch_normalization, add.
    assertTrue(block2.get(5).startsWith("conv2d") && block2.get(7).startsWith("batch_normalization")
        && block2.get(8).startsWith("add"), block2.toString());
  }

  private static void randomize(Model m, long seed) {
    Random r = new Random(seed);
    List<FloatNdArray> values = new ArrayList<>();
    for (FloatNdArray w : m.getWeights()) {
      float[] v = new float[(int) w.shape().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      values.add(NdArrays.wrap(w.shape(), DataBuffers.of(v, true, false)));
    }
    m.setWeights(values);
  }

  private static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.shape().size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** A local HTTP server for one file; counts the requests. */
  private record Server(HttpServer http, AtomicInteger requests) implements AutoCloseable {
    static Server serving(String path, byte[] body) throws IOException {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      AtomicInteger requests = new AtomicInteger();
      http.createContext("/", exchange -> {
        requests.incrementAndGet();
        if (exchange.getRequestURI().getPath().equals(path)) {
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        } else {
          exchange.sendResponseHeaders(404, -1);
        }
        exchange.close();
      });
      http.start();
      return new Server(http, requests);
    }

    String url(String path) {
      return "http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort() + path;
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  @Test
  void imagenetWeightsAreDownloadedOnceAndLoadedByKerasOrder() throws IOException {
    // A MobileNetV2 (residual sums, so Keras's layer order differs from Keras4J's) with weights of our own, written
    // as a legacy file whose layer and weight names and shapes come from the model itself, served locally.
    ApplicationOptions o = new ApplicationOptions().alpha(0.35).includeTop(false).inputShape(32, 32, 3);
    Path served = dir.resolve("served.h5");
    List<FloatNdArray> expected;
    try (Model source = MobileNetV2.mobileNetV2(o)) {
      randomize(source, 7);
      expected = source.getWeights();
      LegacyH5.saveWeights(source, served);
    }
    String md5 = FileUtils.hashFile(served, "md5");
    String name = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5";
    Path cache = dir.resolve("cache");
    try (Server server = Server.serving("/mobilenet_v2/" + name, Files.readAllBytes(served))) {
      for (int round = 0; round < 2; round++) {
        Backend.clearSession();
        try (Model target = MobileNetV2.mobileNetV2(o)) {
          randomize(target, 8 + round);
          ImageNetUtils.loadWeights(target, "imagenet", name, server.url("/mobilenet_v2/" + name), md5, cache);
          List<FloatNdArray> loaded = target.getWeights();
          assertEquals(expected.size(), loaded.size());
          for (int i = 0; i < loaded.size(); i++) {
            assertArrayEquals(flat(expected.get(i)), flat(loaded.get(i)), 0f, "weight " + i);
          }
          if (round == 1) {
            // A file that does not match Keras's hash is not loaded.
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ImageNetUtils.loadWeights(target,
                "imagenet", "other.h5", server.url("/mobilenet_v2/" + name), "0".repeat(32), cache));
            assertTrue(e.getMessage().startsWith("Could not load the ImageNet weights other.h5 of model "
                + "'mobilenetv2_0.35_32' from " + server.url("/mobilenet_v2/" + name)), e.getMessage());
            assertTrue(e.getMessage().contains("Incomplete or corrupted file detected"), e.getMessage());
          }
        }
      }
      assertEquals(2, server.requests().get(), "the second model used the cached file; the bad one asked again");
      assertTrue(Files.isRegularFile(cache.resolve("models").resolve(name)));
      assertTrue(Files.notExists(cache.resolve("models").resolve("other.h5")));
    }
  }

  @Test
  void aPathLoadsThatFileAndAnotherArchitectureRefusesIt() throws IOException {
    ApplicationOptions o = new ApplicationOptions().includeTop(false).inputShape(32, 32, 3).pooling("avg");
    Path file = dir.resolve("vgg.h5");
    List<FloatNdArray> expected;
    try (Model vgg = VGG16.vgg16(o)) {
      randomize(vgg, 3);
      expected = vgg.getWeights();
      LegacyH5.saveWeights(vgg, file);
    }
    Backend.clearSession();
    String path = file.toString();
    try (Model vgg = VGG16.vgg16(new ApplicationOptions().includeTop(false).inputShape(32, 32, 3).pooling("avg")
        .weights(path))) {
      assertArrayEquals(flat(expected.get(25)), flat(vgg.getWeights().get(25)), 0f);
    }
    Backend.clearSession();
    // VGG19 has 16 convolutions, the file 13.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VGG19.vgg19(new ApplicationOptions().includeTop(false).inputShape(32, 32, 3).weights(path)));
    assertTrue(e.getMessage().startsWith("Layer count mismatch when loading weights from file. Model expected 16 "
        + "layers, found 13 saved layers."), e.getMessage());
  }

  // ---------------------------------------------------------------- decode_predictions

  /** A class index in Keras's format with made-up ids and names: class c is ["n<c, 8 digits>", "class_<c>"]. */
  private static String classIndexJson() {
    StringBuilder b = new StringBuilder("{");
    for (int c = 0; c < 1000; c++) {
      b.append(c == 0 ? "" : ", ").append(String.format("\"%d\": [\"n%08d\", \"class_%d\"]", c, c, c));
    }
    return b.append("}").toString();
  }

  @Test
  void decodePredictionsDownloadsTheIndexOnceAndSortsByScore() throws IOException {
    byte[] json = classIndexJson().getBytes(StandardCharsets.UTF_8);
    Path local = Files.write(dir.resolve("index.json"), json);
    String md5 = FileUtils.hashFile(local, "md5");
    float[][] preds = new float[2][1000];
    preds[0][7] = 0.5f;
    preds[0][3] = 0.3f;
    preds[0][999] = 0.2f;
    preds[1][0] = 0.9f;
    try (Server server = Server.serving("/data/imagenet_class_index.json", json)) {
      String url = server.url("/data/imagenet_class_index.json");
      String[][] index = ImageNetUtils.classIndex(url, md5, dir.resolve("cache"));
      assertEquals(1, server.requests().get());
      assertTrue(Files.isRegularFile(dir.resolve("cache").resolve("models").resolve("imagenet_class_index.json")));
      assertEquals(index, ImageNetUtils.classIndex(url, md5, dir.resolve("cache")), "kept, as Keras's CLASS_INDEX");
      List<List<ImageNetUtils.Prediction>> top = ImageNetUtils.decode(preds, 3, index);
      assertEquals(List.of(new ImageNetUtils.Prediction("n00000007", "class_7", 0.5f),
          new ImageNetUtils.Prediction("n00000003", "class_3", 0.3f),
          new ImageNetUtils.Prediction("n00000999", "class_999", 0.2f)), top.get(0));
      assertEquals(new ImageNetUtils.Prediction("n00000000", "class_0", 0.9f), top.get(1).get(0));
      // The public method uses the index read above (cached for the JVM).
      FloatNdArray nd = NdArrays.ofFloats(Shape.of(2, 1000));
      nd.setFloat(0.7f, 1, 42);
      assertEquals("class_42", ResNet.decodePredictions(nd, 1).get(1).get(0).classDescription());
    }
  }

  @Test
  void decodePredictionsChecksTheShapeAsKeras() throws IOException {
    String prefix = "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). "
        + "Received array with shape: ";
    assertEquals(prefix + "(2, 10)", error(() -> ImageNetUtils.decodePredictions(new float[2][10], 5)));
    assertEquals(prefix + "(1000,)", error(() -> ImageNetUtils.decodePredictions(NdArrays.ofFloats(Shape.of(1000)),
        5)));
    assertEquals("decode_predictions: `top` should be at least 1. Received: top=0",
        error(() -> ImageNetUtils.checkPredictions(new float[1][1000], 0)));
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"0\": [\"n01440764\", \"tench\"]}");
    IOException e = assertThrows(IOException.class, () -> ImageNetUtils.readClassIndex(bad));
    assertTrue(e.getMessage().contains("has no entry [\"<wordnet id>\", \"<name>\"] for class \"1\""),
        e.getMessage());
  }
}
