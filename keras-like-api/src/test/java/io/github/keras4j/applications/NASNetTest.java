package io.github.keras4j.applications;

import static io.github.keras4j.applications.LayerCounts.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.models.Model;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * NASNetMobile and NASNetLarge: parameter counts, layer names, output shapes, a forward pass, preprocessing and the
 * argument errors. No model of Keras's sizes is ever initialized: the forward pass runs a small NASNet-A on 32 x 32
 * images.
 */
class NASNetTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  // ---------------------------------------------------------------- parameters

  /**
   * NASNet's parameters worked out from the architecture, channels only: {@code {trainable, nonTrainable}}. A
   * BatchNormalization has 2 trainable and 2 non-trainable scalars per channel, a bias-free 1x1 conv {@code in * out},
   * a bias-free separable conv {@code k^2 in + in out}. Each tensor is {@code {channels, reductions so far}}.
   */
  private static final class Formula {
    long trainable;
    long nonTrainable;

    void bn(long c) {
      trainable += 2 * c;
      nonTrainable += 2 * c;
    }

    void sep(long in, long f, long k) {
      trainable += k * k * in + in * f;
      bn(f);
      trainable += k * k * f + f * f;
      bn(f);
    }

    long[] adjust(long[] p, long[] ip, long f) {
      if (p == null) {
        return ip;
      }
      if (p[1] != ip[1]) { // two 1x1 convs of f / 2 on the halved p, concatenated, BN
        trainable += 2 * p[0] * (f / 2);
        bn(2 * (f / 2));
        return new long[] {2 * (f / 2), ip[1]};
      }
      if (p[0] != f) { // a 1x1 projection and BN
        trainable += p[0] * f;
        bn(f);
        return new long[] {f, ip[1]};
      }
      return p;
    }

    /** A normal cell: 5 separable blocks; returns {output, ip}. */
    long[][] normal(long[] ip, long[] p, long f) {
      p = adjust(p, ip, f);
      trainable += ip[0] * f;
      bn(f);
      sep(f, f, 5);
      sep(p[0], f, 3);
      sep(p[0], f, 5);
      sep(p[0], f, 3);
      sep(f, f, 3);
      return new long[][] {{p[0] + 5 * f, ip[1]}, ip};
    }

    /** A reduction cell: 5 separable blocks, output 4 f channels at the next size; returns {output, ip}. */
    long[][] reduction(long[] ip, long[] p, long f) {
      p = adjust(p, ip, f);
      trainable += ip[0] * f;
      bn(f);
      sep(f, f, 5);
      sep(p[0], f, 7);
      sep(p[0], f, 7);
      sep(p[0], f, 5);
      sep(f, f, 3);
      return new long[][] {{4 * f, ip[1] + 1}, ip};
    }

    static Formula nasNet(int penultimate, int blocks, int stem, boolean skipReduction) {
      Formula c = new Formula();
      long f = penultimate / 24;
      c.trainable += 3 * 3 * 3 * stem;
      c.bn(stem);
      long[][] xp = c.reduction(new long[] {stem, 0}, null, f / 4);
      xp = c.reduction(xp[0], xp[1], f / 2);
      for (int stage = 0; stage < 3; stage++) {
        long width = f << stage;
        if (stage > 0) {
          long[] p = xp[1];
          xp = c.reduction(xp[0], p, width);
          if (skipReduction) {
            xp[1] = p;
          }
        }
        for (int i = 0; i < blocks; i++) {
          xp = c.normal(xp[0], xp[1], width);
        }
      }
      c.trainable += xp[0][0] * 1000 + 1000; // predictions
      return c;
    }
  }

  /**
   * Checks a variant against the formula, Keras's published figures, the layer graph and the built model.
   *
   * <p>Published: keras.io's applications table (https://keras.io/api/applications/, "Parameters"): NASNetMobile
   * 5,326,716 and NASNetLarge 88,949,818. Keras's {@code model.summary()} of the same models, as printed in users'
   * public code: trainable 5,289,978 and 88,753,150, non-trainable 36,738 and 196,668; and {@code len(model.weights)}
   * 1,126 and 1,546 with {@code len(model.trainable_weights)} 742 and 1,018.
   */
  private static void check(String variant, long total, long trainable, long nonTrainable, int weights,
      int trainableWeights, Formula f) {
    assertEquals(trainable, f.trainable, variant + ": formula, trainable");
    assertEquals(nonTrainable, f.nonTrainable, variant + ": formula, non-trainable");
    assertEquals(total, trainable + nonTrainable);
    LayerGraph graph = NASNet.graph(variant, new ApplicationOptions());
    assertEquals(variant, graph.name());
    assertArrayEquals(new long[] {trainable, nonTrainable}, Arrays.copyOf(LayerCounts.count(graph), 2),
        variant + ": layers");
    try (Model m = graph.toModel()) {
      assertArrayEquals(new long[] {trainable, nonTrainable, trainableWeights, weights}, LayerCounts.built(m),
          variant + ": built variables (trainable, non-trainable, trainable tensors, tensors)");
      assertEquals(total, m.countParams());
    }
  }

  @Test
  void mobileParameters() {
    check("nasnet_mobile", 5_326_716L, 5_289_978L, 36_738L, 1_126, 742, Formula.nasNet(1056, 4, 32, false));
  }

  @Test
  void largeParameters() {
    check("nasnet_large", 88_949_818L, 88_753_150L, 196_668L, 1_546, 1_018, Formula.nasNet(4032, 6, 96, true));
  }

  // ---------------------------------------------------------------- layers and shapes

  @Test
  void mobileHasKerasLayerNames() {
    LayerGraph g = NASNet.graph("nasnet_mobile", new ApplicationOptions());
    List<String> names = names(g);
    // Layers: input 1, stem 2; a reduction cell 48 (ReLU, conv, BN, pad; 4 strided separable blocks of 7 and one of
    // 6; 2 max and 2 average poolings; 5 sums; the concatenation), a normal cell 42 (ReLU, conv, BN; 5 separable
    // blocks of 6; 3 average poolings; 5 sums; the concatenation); the adjustment of p after a reduction 9, after a
    // change of channels 3; then the ReLU, the pooling and the classifier:
    // 1 + 2 + 48 + (48 + 9) + (42 + 9) + 3 (42 + 3) + (48 + 3) + (42 + 9) + 3 (42 + 3) + (48 + 3) + (42 + 9)
    // + 3 (42 + 3) + 3 = 771.
    assertEquals(771, names.size());
    for (String n : List.of("stem_conv1", "stem_bn1", "reduction_conv_1_stem_1", "reduction_bn_1_stem_1",
        "reduction_pad_1_stem_1", "separable_conv_1_pad_reduction_left1_stem_1", "separable_conv_1_reduction_left1_stem_1",
        "separable_conv_1_bn_reduction_left1_stem_1", "separable_conv_2_reduction_right1_stem_1",
        "reduction_add_1_stem_1", "reduction_left2_stem_1", "reduction_add_2_stem_1", "reduction_left3_stem_1",
        "reduction_add3_stem_1", "reduction_left4_stem_1", "separable_conv_1_reduction_left4_stem_1",
        "reduction_right5_stem_1", "reduction_add4_stem_1", "reduction_concat_stem_1",
        // stem_2 adjusts p (the stem's output) to stem_1's halved size
        "adjust_relu_1_stem_2", "adjust_avg_pool_1_stem_2", "adjust_conv_1_stem_2", "adjust_avg_pool_2_stem_2",
        "adjust_conv_2_stem_2", "adjust_bn_stem_2",
        "normal_conv_1_0", "normal_bn_1_0", "separable_conv_1_normal_left1_0", "normal_add_1_0", "normal_left3_0",
        "normal_add_3_0", "normal_left4_0", "normal_right4_0", "normal_add_5_0", "normal_concat_0",
        "adjust_conv_projection_1", "adjust_bn_1", "reduction_concat_reduce_4",
        // NASNetMobile does not skip the reduction: cell 5's p is reduce_4's input, so cell 5 adjusts a size change
        "adjust_conv_1_5", "adjust_conv_projection_6", "reduction_concat_reduce_8", "adjust_conv_1_9",
        "normal_concat_12", "predictions",
        // Keras's generated names, in Keras's creation order
        "activation", "activation_1", "zero_padding2d", "cropping2d", "concatenate", "add",
        "global_average_pooling2d")) {
      assertTrue(names.contains(n), n);
    }
    assertEquals("(None, 224, 224, 3)", Shapes.format(g.inputs().get(0).shape()));
    assertEquals("(None, 1000)", Shapes.format(g.output().shape()));
  }

  @Test
  void largeSkipsTheReductionsInput() {
    LayerGraph g = NASNet.graph("nasnet_large", new ApplicationOptions().includeTop(false).inputShape(331, 331, 3));
    List<String> names = names(g);
    // skip_reduction: cell 7's p is cell 5's output (before reduce_6), adjusted from 42 x 42 to 21 x 21; cell 8's p,
    // reduce_6's output, only changes channels.
    assertTrue(names.containsAll(List.of("adjust_conv_1_7", "adjust_conv_projection_8", "adjust_conv_1_13",
        "normal_concat_18", "reduction_concat_reduce_12")), names.toString());
    assertEquals("(None, 11, 11, 4032)", Shapes.format(g.output().shape()));
    assertEquals("nasnet_large", g.name());
  }

  @Test
  void outputShapesWithAndWithoutTheTop() {
    // NASNetMobile without the top and without an input shape takes 224 x 224 x 3, as Keras.
    LayerGraph map = NASNet.graph("nasnet_mobile", new ApplicationOptions().includeTop(false));
    assertEquals("(None, 224, 224, 3)", Shapes.format(map.inputs().get(0).shape()));
    assertEquals("(None, 7, 7, 1056)", Shapes.format(map.output().shape()));
    Backend.clearSession();
    LayerGraph avg = NASNet.graph("nasnet_mobile", new ApplicationOptions().includeTop(false).inputShape(64, 96, 3)
        .pooling("avg"));
    assertEquals("(None, 1056)", Shapes.format(avg.output().shape()));
    assertTrue(names(avg).contains("global_average_pooling2d"));
    Backend.clearSession();
    LayerGraph max = NASNet.graph("nasnet_large", new ApplicationOptions().includeTop(false).inputShape(32, 32, 3)
        .pooling("max"));
    assertEquals("(None, 4032)", Shapes.format(max.output().shape()));
    assertTrue(names(max).contains("global_max_pooling2d"));
    Backend.clearSession();
    LayerGraph top = NASNet.graph("nasnet_large", new ApplicationOptions().classes(7).classifierActivation(null)
        .name("big"));
    assertEquals("(None, 331, 331, 3)", Shapes.format(top.inputs().get(0).shape()));
    assertEquals("(None, 7)", Shapes.format(top.output().shape()));
    assertEquals("big", top.name());
  }

  /**
   * A forward pass through NASNet-A (1 @ 96) with NASNetMobile's settings otherwise (stem of 8 filters, no skipped
   * reduction): the same code and the same kinds of cells as NASNetMobile (every cell kind and both adjustments), with
   * 7 cells instead of 17, which keeps the test fast.
   */
  @Test
  void smallNasNetForwardPassGivesProbabilities() {
    Backend.setRandomSeed(2);
    Random r = new Random(4);
    float[][][][] images = new float[2][32][32][3];
    for (float[][][] image : images) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          for (int c = 0; c < 3; c++) {
            pixel[c] = r.nextFloat() * 255f;
          }
        }
      }
    }
    float[][][][] x = ImageNetUtils.preprocessInput(images, "tf");
    LayerGraph g = NASNet.build("NASNet", "nasnet", new ApplicationOptions().inputShape(32, 32, 3), 96, 1, 8,
        false, 2, 224);
    assertTrue(names(g).containsAll(List.of("adjust_conv_1_stem_2", "adjust_conv_projection_reduce_2",
        "adjust_conv_1_2", "reduction_concat_reduce_2", "normal_concat_3")), names(g).toString());
    try (Model m = g.toModel()) {
      assertEquals("nasnet", m.name());
      FloatNdArray y = m.predict(x, 2);
      assertEquals("(2, 1000)", Shapes.format(y.shape()));
      for (int i = 0; i < 2; i++) {
        double sum = 0;
        for (int j = 0; j < 1000; j++) {
          float v = y.getFloat(i, j);
          assertTrue(Float.isFinite(v) && v >= 0, "probability " + v);
          sum += v;
        }
        assertEquals(1.0, sum, 1e-4, "softmax row " + i);
      }
    }
  }

  @Test
  void preprocessInputScalesToMinusOneOne() {
    // Keras's "tf" mode: x / 127.5 - 1.
    assertArrayEquals(new float[] {-1f, 0f, 1f, -0.6f}, NASNet.preprocessInput(new float[] {0, 127.5f, 255, 51}),
        1e-6f);
  }

  // ---------------------------------------------------------------- errors

  private static String error(Supplier<?> r) {
    return assertThrows(IllegalArgumentException.class, r::get).getMessage();
  }

  @Test
  void argumentErrorsAsKeras() {
    assertTrue(error(() -> NASNet.nasNetMobile(new ApplicationOptions().weights("imagenet")))
        .startsWith("NASNetMobile: weights=\"imagenet\" is not supported"));
    assertEquals("The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training "
        + "on ImageNet), or the path to the weights file to be loaded.  Received: weights=/no/such.weights",
        error(() -> NASNet.nasNetLarge(new ApplicationOptions().weights("/no/such.weights"))));
    assertEquals("Input size must be at least 32x32; Received: input_shape=(31, 31, 3)",
        error(() -> NASNet.nasNetMobile(new ApplicationOptions().includeTop(false).inputShape(31, 31, 3))));
    assertEquals("If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=(None, "
        + "None, 3)", error(() -> NASNet.nasNetLarge(new ApplicationOptions().inputShape(-1, -1, 3))));
    // NASNetLarge without the top has no default size in Keras either: (None, None, 3), which Keras4J cannot build.
    assertTrue(error(() -> NASNet.nasNetLarge(new ApplicationOptions().includeTop(false)))
        .startsWith("NASNetLarge: Keras4J inputs have static sizes"));
    assertEquals("NASNetMobile: `pooling` should be None, 'avg' or 'max'. Received: pooling=min",
        error(() -> NASNet.nasNetMobile(new ApplicationOptions().includeTop(false).pooling("min"))));
    // Both of NASNetMobile's paths (with the default input shape filled in, and without) refuse MobileNet's options.
    assertTrue(error(() -> NASNet.nasNetMobile(new ApplicationOptions().includeTop(false).dropout(0.2)))
        .startsWith("NASNetMobile() got an unexpected keyword argument 'dropout'"));
    assertTrue(error(() -> NASNet.nasNetMobile(new ApplicationOptions().alpha(0.5)))
        .startsWith("NASNetMobile() got an unexpected keyword argument 'alpha'"));
    assertTrue(error(() -> NASNet.nasNetLarge(new ApplicationOptions().depthMultiplier(2)))
        .startsWith("NASNetLarge() got an unexpected keyword argument 'depth_multiplier'"));
    // Keras's NASNet(...) checks its penultimate filters: 1000 is not a multiple of 24 * 2^2.
    assertEquals("For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * (`filter_multiplier` ** "
        + "2). Current value: 1000", error(() -> NASNet.build("NASNet", "NASNet", new ApplicationOptions(), 1000, 4,
            32, false, 2, 224)));
    // Keras's check of ImageNet weights (refused above for now, so called directly).
    assertEquals("If using `weights` as `\"imagenet\"` with `include_top` as true, `classes` should be 1000",
        error(() -> {
          NASNet.checkImagenet(new ApplicationOptions().weights("imagenet").classes(5));
          return null;
        }));
  }
}
