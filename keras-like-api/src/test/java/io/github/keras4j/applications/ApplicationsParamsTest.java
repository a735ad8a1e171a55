package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.models.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parameter counts of every architecture with its top ({@code includeTop=true}, 224 x 224 x 3, 1000 classes)
 * against two independent sources: Keras's published totals, and trainable / non-trainable counts worked out here
 * from the architecture with plain arithmetic (BatchNormalization has 2 trainable and 2 non-trainable scalars per
 * channel), and the counts worked out from the layer graph's settings and shapes. Every model is also built (its graph
 * variables are created; nothing is initialized or run, so even VGG19's 143.7M parameters cost no memory) and its
 * variables counted.
 *
 * <p>Published totals: the "Parameters" column of the keras.io applications table (as listed with exact figures in
 * the Keras 2 documentation, https://keras.io/api/applications/ : Xception 22,910,480, VGG16 138,357,544,
 * VGG19 143,667,240, ResNet50 25,636,712, ResNet101 44,707,176, ResNet152 60,419,944, ResNet50V2 25,613,800,
 * ResNet101V2 44,675,560, ResNet152V2 60,380,648, MobileNet 4,253,864, MobileNetV2 3,538,984, DenseNet121 8,062,504,
 * DenseNet169 14,307,880, DenseNet201 20,242,984).
 */
class ApplicationsParamsTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  /** Trainable and non-trainable scalars, accumulated layer by layer. */
  private static final class Count {
    long trainable;
    long nonTrainable;

    Count conv(long k, long in, long out, boolean bias) {
      trainable += k * k * in * out + (bias ? out : 0);
      return this;
    }

    Count depthwise(long k, long channels, long multiplier) {
      trainable += k * k * channels * multiplier;
      return this;
    }

    Count separable(long k, long in, long out) {
      trainable += k * k * in + in * out; // Xception's separable convolutions have no bias
      return this;
    }

    Count bn(long channels) {
      trainable += 2 * channels;
      nonTrainable += 2 * channels;
      return this;
    }

    Count dense(long in, long out) {
      trainable += in * out + out;
      return this;
    }

    long total() {
      return trainable + nonTrainable;
    }
  }

  /**
   * Checks the layer graph's counts (see {@link LayerCounts#count(LayerGraph)}) against the formula and the published
   * total.
   */
  private static void check(LayerGraph graph, String name, long published, Count c) {
    assertEquals(published, c.total(), name + ": the formula disagrees with Keras's published total");
    assertEquals(name, graph.name());
    long[] counted = LayerCounts.count(graph);
    assertEquals(c.trainable, counted[0], name + " trainable, counted from the layers");
    assertEquals(c.nonTrainable, counted[1], name + " non-trainable, counted from the layers");
  }

  /**
   * As {@link #check(LayerGraph, String, long, Count)}, then builds the model (its graph variables; nothing runs) and
   * checks the variables Keras4J created.
   */
  private static void checkBuilt(LayerGraph graph, String name, long published, Count c) {
    check(graph, name, published, c);
    try (Model m = graph.toModel()) {
      long trainable = 0;
      for (GraphVariable v : m.trainableVariables()) {
        trainable += v.size();
      }
      assertEquals(name, m.name());
      assertEquals(published, m.countParams(), name + " total");
      assertEquals(c.trainable, trainable, name + " trainable");
      assertEquals(c.nonTrainable, m.countParams() - trainable, name + " non-trainable");
    }
  }


  private static Count vgg(int[] convs) {
    Count c = new Count();
    int[] filters = {64, 128, 256, 512, 512};
    long in = 3;
    for (int b = 0; b < 5; b++) {
      for (int i = 0; i < convs[b]; i++) {
        c.conv(3, in, filters[b], true);
        in = filters[b];
      }
    }
    return c.dense(7 * 7 * 512, 4096).dense(4096, 4096).dense(4096, 1000);
  }

  @Test
  void vgg16() {
    checkBuilt(VGG16.build("VGG16", "vgg16", new int[] {2, 2, 3, 3, 3}, new ApplicationOptions()), "vgg16", 138_357_544L, vgg(new int[] {2, 2, 3, 3, 3}));
  }

  @Test
  void vgg19() {
    checkBuilt(VGG16.build("VGG19", "vgg19", new int[] {2, 2, 4, 4, 4}, new ApplicationOptions()), "vgg19", 143_667_240L, vgg(new int[] {2, 2, 4, 4, 4}));
  }

  /** ResNet v1: conv stem with bias and BN, bottleneck blocks with biased convolutions, BN after each. */
  private static Count resNetV1(int[] blocks) {
    Count c = new Count().conv(7, 3, 64, true).bn(64);
    long in = 64;
    int[] filters = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      long f = filters[s];
      for (int b = 0; b < blocks[s]; b++) {
        if (b == 0) {
          c.conv(1, in, 4 * f, true).bn(4 * f);
        }
        c.conv(1, in, f, true).bn(f).conv(3, f, f, true).bn(f).conv(1, f, 4 * f, true).bn(4 * f);
        in = 4 * f;
      }
    }
    return c.dense(2048, 1000);
  }

  @Test
  void resNet50() {
    checkBuilt(ResNet.graph("resnet50", new ApplicationOptions()), "resnet50", 25_636_712L, resNetV1(new int[] {3, 4, 6, 3}));
  }

  @Test
  void resNet101() {
    checkBuilt(ResNet.graph("resnet101", new ApplicationOptions()), "resnet101", 44_707_176L, resNetV1(new int[] {3, 4, 23, 3}));
  }

  @Test
  void resNet152() {
    checkBuilt(ResNet.graph("resnet152", new ApplicationOptions()), "resnet152", 60_419_944L, resNetV1(new int[] {3, 8, 36, 3}));
  }

  /** ResNet v2: biased stem conv, pre-activation BN per block, bias only on the shortcut and last 1x1, post BN. */
  private static Count resNetV2(int[] blocks) {
    Count c = new Count().conv(7, 3, 64, true);
    long in = 64;
    int[] filters = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      long f = filters[s];
      for (int b = 0; b < blocks[s]; b++) {
        c.bn(in);
        if (b == 0) {
          c.conv(1, in, 4 * f, true);
        }
        c.conv(1, in, f, false).bn(f).conv(3, f, f, false).bn(f).conv(1, f, 4 * f, true);
        in = 4 * f;
      }
    }
    return c.bn(2048).dense(2048, 1000);
  }

  @Test
  void resNet50V2() {
    checkBuilt(ResNetV2.graph("resnet50v2", new ApplicationOptions()), "resnet50v2", 25_613_800L, resNetV2(new int[] {3, 4, 6, 3}));
  }

  @Test
  void resNet101V2() {
    checkBuilt(ResNetV2.graph("resnet101v2", new ApplicationOptions()), "resnet101v2", 44_675_560L, resNetV2(new int[] {3, 4, 23, 3}));
  }

  @Test
  void resNet152V2() {
    checkBuilt(ResNetV2.graph("resnet152v2", new ApplicationOptions()), "resnet152v2", 60_380_648L, resNetV2(new int[] {3, 8, 36, 3}));
  }

  @Test
  void mobileNet() {
    Count c = new Count().conv(3, 3, 32, false).bn(32);
    long in = 32;
    for (long out : new long[] {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024}) {
      c.depthwise(3, in, 1).bn(in).conv(1, in, out, false).bn(out);
      in = out;
    }
    c.conv(1, 1024, 1000, true); // conv_preds
    checkBuilt(MobileNet.graph(new ApplicationOptions()), "mobilenet_1.00_224", 4_253_864L, c);
  }

  @Test
  void mobileNetV2() {
    Count c = new Count().conv(3, 3, 32, false).bn(32);
    long in = 32;
    long[] filters = {16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160, 320};
    for (int i = 0; i < filters.length; i++) {
      long expanded = i == 0 ? in : 6 * in;
      if (i > 0) {
        c.conv(1, in, expanded, false).bn(expanded);
      }
      c.depthwise(3, expanded, 1).bn(expanded).conv(1, expanded, filters[i], false).bn(filters[i]);
      in = filters[i];
    }
    c.conv(1, 320, 1280, false).bn(1280).dense(1280, 1000);
    checkBuilt(MobileNetV2.graph(new ApplicationOptions()), "mobilenetv2_1.00_224", 3_538_984L, c);
  }

  /** DenseNet: each conv block adds 32 channels; each transition halves them. */
  private static Count denseNet(int[] blocks) {
    Count c = new Count().conv(7, 3, 64, false).bn(64);
    long ch = 64;
    for (int b = 0; b < 4; b++) {
      for (int i = 0; i < blocks[b]; i++) {
        c.bn(ch).conv(1, ch, 128, false).bn(128).conv(3, 128, 32, false);
        ch += 32;
      }
      if (b < 3) {
        c.bn(ch).conv(1, ch, ch / 2, false);
        ch /= 2;
      }
    }
    return c.bn(ch).dense(ch, 1000);
  }

  @Test
  void denseNet121() {
    checkBuilt(DenseNet.graph("densenet121", new ApplicationOptions()), "densenet121", 8_062_504L, denseNet(new int[] {6, 12, 24, 16}));
  }

  @Test
  void denseNet169() {
    checkBuilt(DenseNet.graph("densenet169", new ApplicationOptions()), "densenet169", 14_307_880L, denseNet(new int[] {6, 12, 32, 32}));
  }

  @Test
  void denseNet201() {
    checkBuilt(DenseNet.graph("densenet201", new ApplicationOptions()), "densenet201", 20_242_984L, denseNet(new int[] {6, 12, 48, 32}));
  }

  @Test
  void xception() {
    Count c = new Count().conv(3, 3, 32, false).bn(32).conv(3, 32, 64, false).bn(64);
    long in = 64;
    // Entry flow and block 13: a strided 1x1 shortcut with BN, two separable convolutions with BN.
    long[][] entry = {{128, 128}, {256, 256}, {728, 728}};
    for (long[] f : entry) {
      c.conv(1, in, f[1], false).bn(f[1]).separable(3, in, f[0]).bn(f[0]).separable(3, f[0], f[1]).bn(f[1]);
      in = f[1];
    }
    for (int i = 0; i < 8; i++) {
      c.separable(3, 728, 728).bn(728).separable(3, 728, 728).bn(728).separable(3, 728, 728).bn(728);
    }
    c.conv(1, 728, 1024, false).bn(1024).separable(3, 728, 728).bn(728).separable(3, 728, 1024).bn(1024);
    c.separable(3, 1024, 1536).bn(1536).separable(3, 1536, 2048).bn(2048).dense(2048, 1000);
    checkBuilt(Xception.graph(new ApplicationOptions()), "xception", 22_910_480L, c);
  }
}
