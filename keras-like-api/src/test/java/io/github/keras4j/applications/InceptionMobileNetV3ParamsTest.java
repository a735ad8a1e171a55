package io.github.keras4j.applications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.models.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parameter counts of InceptionV3, InceptionResNetV2, MobileNetV3Small and MobileNetV3Large with their top
 * (Keras's defaults) against three sources: Keras's published figures, counts worked out here from the architectures
 * with plain arithmetic, and counts worked out from each layer graph's settings and shapes. Every model is also built
 * (its graph variables are created; nothing is initialized or run) and its variables counted, against the number of
 * weight tensors Keras reports ({@code len(model.weights)}), which a weights file lists one by one.
 *
 * <p>Published figures. InceptionV3 23,851,784 and InceptionResNetV2 55,873,736: the "Parameters" column of the
 * keras.io applications table (https://keras.io/api/applications/ rounds them to 23.9M and 55.9M; the exact figures
 * are those of the Keras 2 edition of the table, as ApplicationsParamsTest cites). MobileNetV3 is not in that table
 * (its docstring table gives the paper's 2.9M and 5.4M, for the paper's own head), so the exact figures are those of
 * {@code model.summary()} of {@code keras.applications.MobileNetV3Small()} and {@code MobileNetV3Large()} with
 * TensorFlow's Keras, as published in public listings: Small 2,554,968 (2,542,856 trainable, 12,112 non-trainable,
 * 210 weight tensors, 142 trainable), Large 5,507,432 (5,483,032 / 24,400, 266 / 174); the same listings give
 * InceptionV3 23,817,352 trainable, 34,432 non-trainable, 378 / 190 weight tensors, and InceptionResNetV2
 * 55,813,192 / 60,544, 898 / 490.
 */
class InceptionMobileNetV3ParamsTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  /** Trainable and non-trainable scalars and weight tensors, accumulated layer by layer. */
  private static final class Count {
    long trainable;
    long nonTrainable;
    int tensors;
    int trainableTensors;

    Count conv(long kh, long kw, long in, long out, boolean bias) {
      trainable += kh * kw * in * out + (bias ? out : 0);
      tensors += bias ? 2 : 1;
      trainableTensors += bias ? 2 : 1;
      return this;
    }

    Count depthwise(long k, long channels) {
      trainable += k * k * channels;
      tensors++;
      trainableTensors++;
      return this;
    }

    /** BatchNormalization with gamma and beta (trainable) and the moving mean and variance. */
    Count bn(long channels) {
      trainable += 2 * channels;
      nonTrainable += 2 * channels;
      tensors += 4;
      trainableTensors += 2;
      return this;
    }

    /** Inception's {@code conv2d_bn}: a Conv2D without bias, then a BatchNormalization with {@code scale=False}. */
    Count convBn(long kh, long kw, long in, long out) {
      conv(kh, kw, in, out, false);
      trainable += out;
      nonTrainable += 2 * out;
      tensors += 3;
      trainableTensors++;
      return this;
    }

    Count dense(long in, long out) {
      trainable += in * out + out;
      tensors += 2;
      trainableTensors += 2;
      return this;
    }

    long total() {
      return trainable + nonTrainable;
    }
  }

  /**
   * Checks the formula against the published figures, the layer graph's counts against the formula, then builds the
   * model (graph variables only) and checks its variables.
   */
  private static void check(LayerGraph graph, String name, long published, long publishedTrainable,
      int publishedTensors, int publishedTrainableTensors, Count c) {
    assertEquals(published, c.total(), name + ": the formula disagrees with the published total");
    assertEquals(publishedTrainable, c.trainable, name + ": the formula disagrees with the published trainable");
    assertEquals(publishedTensors, c.tensors, name + ": weight tensors");
    assertEquals(publishedTrainableTensors, c.trainableTensors, name + ": trainable weight tensors");
    assertEquals(name, graph.name());
    long[] counted = LayerCounts.count(graph);
    assertEquals(c.trainable, counted[0], name + " trainable, counted from the layers");
    assertEquals(c.nonTrainable, counted[1], name + " non-trainable, counted from the layers");
    try (Model m = graph.toModel()) {
      long trainable = 0;
      for (GraphVariable v : m.trainableVariables()) {
        trainable += v.size();
      }
      assertEquals(published, m.countParams(), name + " total");
      assertEquals(c.trainable, trainable, name + " trainable");
      assertEquals(publishedTensors, m.variables().size(), name + " variables");
      assertEquals(publishedTrainableTensors, m.trainableVariables().size(), name + " trainable variables");
    }
  }


  @Test
  void inceptionV3() {
    Count c = new Count().convBn(3, 3, 3, 32).convBn(3, 3, 32, 32).convBn(3, 3, 32, 64).convBn(1, 1, 64, 80)
        .convBn(3, 3, 80, 192);
    long in = 192;
    for (long poolFilters : new long[] {32, 64, 64}) { // mixed0, mixed1, mixed2
      c.convBn(1, 1, in, 64).convBn(1, 1, in, 48).convBn(5, 5, 48, 64)
          .convBn(1, 1, in, 64).convBn(3, 3, 64, 96).convBn(3, 3, 96, 96).convBn(1, 1, in, poolFilters);
      in = 64 + 64 + 96 + poolFilters;
    }
    c.convBn(3, 3, in, 384).convBn(1, 1, in, 64).convBn(3, 3, 64, 96).convBn(3, 3, 96, 96); // mixed3
    in = 384 + 96 + in;
    assertEquals(768, in);
    for (long w : new long[] {128, 160, 160, 192}) { // mixed4 ... mixed7
      c.convBn(1, 1, in, 192)
          .convBn(1, 1, in, w).convBn(1, 7, w, w).convBn(7, 1, w, 192)
          .convBn(1, 1, in, w).convBn(7, 1, w, w).convBn(1, 7, w, w).convBn(7, 1, w, w).convBn(1, 7, w, 192)
          .convBn(1, 1, in, 192);
    }
    c.convBn(1, 1, in, 192).convBn(3, 3, 192, 320) // mixed8
        .convBn(1, 1, in, 192).convBn(1, 7, 192, 192).convBn(7, 1, 192, 192).convBn(3, 3, 192, 192);
    in = 320 + 192 + in;
    for (int i = 0; i < 2; i++) { // mixed9, mixed10
      c.convBn(1, 1, in, 320)
          .convBn(1, 1, in, 384).convBn(1, 3, 384, 384).convBn(3, 1, 384, 384)
          .convBn(1, 1, in, 448).convBn(3, 3, 448, 384).convBn(1, 3, 384, 384).convBn(3, 1, 384, 384)
          .convBn(1, 1, in, 192);
      in = 320 + 768 + 768 + 192;
    }
    c.dense(in, 1000);
    check(InceptionV3.graph(new ApplicationOptions()), "inception_v3", 23_851_784L, 23_817_352L, 378, 190, c);
  }

  @Test
  void inceptionResNetV2() {
    Count c = new Count().convBn(3, 3, 3, 32).convBn(3, 3, 32, 32).convBn(3, 3, 32, 64).convBn(1, 1, 64, 80)
        .convBn(3, 3, 80, 192);
    c.convBn(1, 1, 192, 96).convBn(1, 1, 192, 48).convBn(5, 5, 48, 64) // mixed_5b
        .convBn(1, 1, 192, 64).convBn(3, 3, 64, 96).convBn(3, 3, 96, 96).convBn(1, 1, 192, 64);
    long in = 96 + 64 + 96 + 64;
    for (int i = 0; i < 10; i++) { // block35: branches of 32, 32, 64 channels, a biased 1x1 back to 320
      c.convBn(1, 1, in, 32).convBn(1, 1, in, 32).convBn(3, 3, 32, 32)
          .convBn(1, 1, in, 32).convBn(3, 3, 32, 48).convBn(3, 3, 48, 64).conv(1, 1, 128, in, true);
    }
    c.convBn(3, 3, in, 384).convBn(1, 1, in, 256).convBn(3, 3, 256, 256).convBn(3, 3, 256, 384); // mixed_6a
    in = 384 + 384 + in;
    for (int i = 0; i < 20; i++) { // block17: branches of 192 and 192 channels
      c.convBn(1, 1, in, 192).convBn(1, 1, in, 128).convBn(1, 7, 128, 160).convBn(7, 1, 160, 192)
          .conv(1, 1, 384, in, true);
    }
    c.convBn(1, 1, in, 256).convBn(3, 3, 256, 384).convBn(1, 1, in, 256).convBn(3, 3, 256, 288) // mixed_7a
        .convBn(1, 1, in, 256).convBn(3, 3, 256, 288).convBn(3, 3, 288, 320);
    in = 384 + 288 + 320 + in;
    assertEquals(2080, in);
    for (int i = 0; i < 10; i++) { // block8: branches of 192 and 256 channels
      c.convBn(1, 1, in, 192).convBn(1, 1, in, 192).convBn(1, 3, 192, 224).convBn(3, 1, 224, 256)
          .conv(1, 1, 448, in, true);
    }
    c.convBn(1, 1, in, 1536).dense(1536, 1000); // conv_7b, predictions
    check(InceptionResNetV2.graph(new ApplicationOptions()), "inception_resnet_v2", 55_873_736L, 55_813_192L, 898,
        490, c);
  }

  /**
   * MobileNetV3 at {@code alpha=1} from the paper's tables (Howard et al. 2019, tables 1 and 2): per block the
   * kernel, the expanded width, the output width and (where there is a squeeze-and-excite unit) its squeezed width,
   * {@code _depth(expanded / 4)} worked out by hand (18 rounds up to 24, 30 to 32, 60 to 64, 36 to 40).
   */
  private static Count mobileNetV3(long[][] blocks, long lastPoint) {
    Count c = new Count().conv(3, 3, 3, 16, false).bn(16);
    long in = 16;
    for (int i = 0; i < blocks.length; i++) {
      long k = blocks[i][0];
      long expanded = blocks[i][1];
      long out = blocks[i][2];
      long squeezed = blocks[i][3];
      if (i > 0) {
        c.conv(1, 1, in, expanded, false).bn(expanded);
      }
      c.depthwise(k, expanded).bn(expanded);
      if (squeezed > 0) {
        c.conv(1, 1, expanded, squeezed, true).conv(1, 1, squeezed, expanded, true);
      }
      c.conv(1, 1, expanded, out, false).bn(out);
      in = out;
    }
    long last = 6 * in;
    return c.conv(1, 1, in, last, false).bn(last).conv(1, 1, last, lastPoint, true).conv(1, 1, lastPoint, 1000, true);
  }

  @Test
  void mobileNetV3Small() {
    long[][] blocks = {{3, 16, 16, 8}, {3, 72, 24, 0}, {3, 88, 24, 0}, {5, 96, 40, 24}, {5, 240, 40, 64},
        {5, 240, 40, 64}, {5, 120, 48, 32}, {5, 144, 48, 40}, {5, 288, 96, 72}, {5, 576, 96, 144},
        {5, 576, 96, 144}};
    check(MobileNetV3.graph("small", new ApplicationOptions(), new MobileNetV3.Options()), "MobileNetV3Small",
        2_554_968L, 2_542_856L, 210, 142, mobileNetV3(blocks, 1024));
  }

  @Test
  void mobileNetV3Large() {
    long[][] blocks = {{3, 16, 16, 0}, {3, 64, 24, 0}, {3, 72, 24, 0}, {5, 72, 40, 24}, {5, 120, 40, 32},
        {5, 120, 40, 32}, {3, 240, 80, 0}, {3, 200, 80, 0}, {3, 184, 80, 0}, {3, 184, 80, 0}, {3, 480, 112, 120},
        {3, 672, 112, 168}, {5, 672, 160, 168}, {5, 960, 160, 240}, {5, 960, 160, 240}};
    check(MobileNetV3.graph("large", new ApplicationOptions(), new MobileNetV3.Options()), "MobileNetV3Large",
        5_507_432L, 5_483_032L, 266, 174, mobileNetV3(blocks, 1280));
  }

  @Test
  void mobileNetV3MinimalisticDropsTheSqueezeExciteUnitsAndTheLargeKernels() {
    // Minimalistic Small: every kernel 3x3 and no squeeze-and-excite unit; the widths stay.
    long[][] blocks = {{3, 16, 16, 0}, {3, 72, 24, 0}, {3, 88, 24, 0}, {3, 96, 40, 0}, {3, 240, 40, 0},
        {3, 240, 40, 0}, {3, 120, 48, 0}, {3, 144, 48, 0}, {3, 288, 96, 0}, {3, 576, 96, 0}, {3, 576, 96, 0}};
    Count c = mobileNetV3(blocks, 1024);
    LayerGraph g = MobileNetV3.graph("small", new ApplicationOptions(),
        new MobileNetV3.Options().minimalistic(true));
    long[] counted = LayerCounts.count(g);
    assertEquals(c.trainable, counted[0]);
    assertEquals(c.nonTrainable, counted[1]);
  }
}
