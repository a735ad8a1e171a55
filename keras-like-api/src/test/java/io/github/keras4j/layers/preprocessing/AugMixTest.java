package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.ImageReference.assertClose;
import static io.github.keras4j.layers.preprocessing.ImageReference.checkRandomness;
import static io.github.keras4j.layers.preprocessing.ImageReference.draw;
import static io.github.keras4j.layers.preprocessing.RandAugmentTest.assertError;
import static io.github.keras4j.layers.preprocessing.RandAugmentTest.transformation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.preprocessing.ImageReference.Drawn;
import io.github.keras4j.layers.preprocessing.ImageReference.Images;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.models.Model;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * AugMix. Expected images: each chain rebuilt step by step with {@link PolicyReference} (the layers of Keras 3's
 * aug_mix.py, {@code AUGMENT_LAYERS} or {@code AUGMENT_LAYERS_ALL} in its order, fed the transformation's draws; an
 * index one past the last is "no operation", Keras's {@code None}), then {@code clip(w x + (1 - w) sum_c m_c
 * chain_c)} in plain loops. Statistical bounds (Beta and Dirichlet moments) are derived in each test.
 */
class AugMixTest {

  /** Keras 3's {@code AUGMENT_LAYERS}, in its order. */
  private static final List<String> KERAS_ORDER = List.of("random_shear", "random_translation", "random_rotation",
      "random_posterization", "solarization", "auto_contrast", "equalization");

  /** Keras 3's {@code AUGMENT_LAYERS_ALL}, in its order. */
  private static final List<String> KERAS_ORDER_ALL = List.of("random_shear", "random_translation",
      "random_rotation", "random_posterization", "solarization", "auto_contrast", "equalization", "random_brightness",
      "random_color_degeneration", "random_contrast", "random_sharpness");

  private static final Images X = ImageReference.random(5, 255, 6, 5, 4, 3);

  /** Checks {@code layer}'s output on {@code x} against the reference for {@code keys} with the given settings. */
  private static void checkMixture(AugMix layer, Images x, List<String> keys) {
    Drawn d = draw(layer, x);
    int k = layer.numChains();
    int depth = layer.chainDepth();
    double[] range = layer.valueRange();
    PolicyReference ref = new PolicyReference(keys, layer.factor(), range, layer.interpolation());
    int cols = 1 + k + k * depth + k * depth * ref.drawWidth();
    float[] t = d.transformation();
    assertEquals(x.b() * cols, t.length, "transformation (batch, 1 + k + k d + k d D)");
    int size = x.h() * x.w() * x.c();
    double[] mixed = new double[x.data().length];
    int nothing = 0;
    for (int c = 0; c < k; c++) {
      Images y = x;
      for (int s = c * depth; s < (c + 1) * depth; s++) {
        int[] index = new int[x.b()];
        for (int n = 0; n < x.b(); n++) {
          index[n] = (int) t[n * cols + 1 + k + s];
          assertTrue(index[n] >= 0 && index[n] <= keys.size(), "step index " + index[n]);
          nothing += index[n] == keys.size() ? 1 : 0;
        }
        y = ref.step(y, index, t, 1 + k + k * depth + s * ref.drawWidth());
      }
      for (int i = 0; i < mixed.length; i++) {
        mixed[i] += t[(i / size) * cols + 1 + c] * y.data()[i];
      }
    }
    float[] expected = new float[x.data().length];
    for (int i = 0; i < expected.length; i++) {
      double w = t[(i / size) * cols];
      double v = w * x.data()[i] + (1 - w) * mixed[i];
      expected[i] = (float) Math.min(Math.max(v, range[0]), range[1]);
    }
    assertTrue(nothing > 0 && nothing < x.b() * k * depth, "some steps do nothing, not all: " + nothing);
    assertClose(expected, d.output(), 1e-3 * (range[1] - range[0]), "AugMix output");
  }

  @Test
  void outputIsTheImageMixedWithItsChains() {
    Backend.clearSession();
    checkMixture(AugMix.builder().numChains(2).chainDepth(2).factor(0.5).alpha(0.7).seed(31).build(), X,
        KERAS_ORDER_ALL);
  }

  @Test
  void withoutTheColourOpsAndOnOtherRanges() {
    Backend.clearSession();
    Images x = ImageReference.random(6, 1, 5, 4, 4, 1);
    checkMixture(AugMix.builder().valueRange(0, 1).numChains(3).chainDepth(2).allOps(false)
        .interpolation("nearest").seed(32).build(), x, KERAS_ORDER);
  }

  @Test
  void stepsDrawTheirOwnParameters() {
    // The rotation angles (column 4 of each step's draws with allOps=false: shear 2, translation 2, rotation 1) of
    // the two steps differ: the steps' layers do not share seeds.
    Backend.clearSession();
    AugMix layer = AugMix.builder().numChains(2).chainDepth(1).allOps(false).factor(0.9).seed(6).build();
    float[] t = transformation(layer, X);
    int cols = 1 + 2 + 2 + 2 * 8;
    for (int n = 0; n < X.b(); n++) {
      float first = t[n * cols + 5 + 4];
      float second = t[n * cols + 5 + 8 + 4];
      assertTrue(first != second, "image " + n + ": same rotation " + first + " in both steps");
    }
  }

  @Test
  void chainsOfDepthZeroGiveTheInputBack() {
    // Every chain is the image itself, so the output is (w + (1 - w) sum m_c) x = x up to float rounding.
    Backend.clearSession();
    Drawn d = draw(AugMix.builder().chainDepth(0).seed(2).build(), X);
    assertClose(X.data(), d.output(), 1e-3, "chain_depth=0");
  }

  @Test
  void betaAndDirichletWeightsHaveTheirMoments() {
    // 20000 images, alpha = 0.5, 3 chains of 2 steps, allOps=false (7 augmentations + nothing).
    // w ~ Beta(0.5, 0.5): mean 1/2, variance 1 / (4 (2 alpha + 1)) = 0.125; standard errors over N = 20000:
    // sqrt(0.125 / N) = 0.0025 for the mean, sqrt((mu4 - var^2) / N) = sqrt((3/128 - 1/64) / N) = 0.00063 for the
    // variance. m_c ~ Beta(alpha, 2 alpha) (the Dirichlet's marginal): mean 1/3, variance (k - 1) / (k^2 (k alpha + 1))
    // = 0.0889; standard errors 0.0021 and 0.00067. Tolerances: 0.01 for means, 0.004 for variances (>= 4 standard
    // errors; alpha = 1 would give variances 0.0833 and 0.0556, far outside them).
    // Step indices: uniform over 8 values, 120000 draws, each expected 15000 times, sd sqrt(120000 / 8 * 7 / 8) =
    // 115; tolerance 600.
    Backend.clearSession();
    int batch = 20000;
    Images x = new Images(new float[batch * 2 * 2 * 3], batch, 2, 2, 3);
    float[] t = transformation(AugMix.builder().numChains(3).chainDepth(2).alpha(0.5).allOps(false).seed(9).build(),
        x);
    int cols = 1 + 3 + 6 + 6 * 8;
    double[] sum = new double[4];
    double[] sumSq = new double[4];
    int[] counts = new int[8];
    for (int n = 0; n < batch; n++) {
      double chains = 0;
      for (int j = 0; j < 4; j++) {
        double v = t[n * cols + j];
        assertTrue(v >= 0 && v <= 1, "weight " + v);
        sum[j] += v;
        sumSq[j] += v * v;
        chains += j > 0 ? v : 0;
      }
      assertEquals(1, chains, 1e-5, "chain weights sum to 1");
      for (int s = 0; s < 6; s++) {
        counts[(int) t[n * cols + 4 + s]]++;
      }
    }
    double[] means = {0.5, 1 / 3.0, 1 / 3.0, 1 / 3.0};
    double[] variances = {0.125, 2 / (9 * 2.5), 2 / (9 * 2.5), 2 / (9 * 2.5)};
    for (int j = 0; j < 4; j++) {
      double mean = sum[j] / batch;
      double variance = sumSq[j] / batch - mean * mean;
      assertEquals(means[j], mean, 0.01, "mean of column " + j);
      assertEquals(variances[j], variance, 0.004, "variance of column " + j);
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(15000, counts[i], 600, "step index " + i);
    }
  }

  @Test
  void outputsStayInTheValueRange() {
    // Inputs inside (-1, 1) and outside it: the output is clipped to the range, as in Keras.
    Backend.clearSession();
    Images x = ImageReference.random(8, 3, 4, 5, 4, 3);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] -= 1.5f;
    }
    List<float[]> runs = ImageReference.trainingRuns(AugMix.builder().valueRange(-1, 1).factor(1).numChains(2)
        .chainDepth(2).seed(4).build(), x, 2);
    for (int k = 0; k < 2; k++) {
      for (float v : runs.get(k)) {
        assertTrue(v >= -1 && v <= 1, "value " + v + " outside (-1, 1)");
      }
    }
  }

  @Test
  void inferenceIsTheIdentityAndSeededRunsRepeat() {
    checkRandomness(() -> AugMix.builder().numChains(2).chainDepth(1).seed(12).build(), X);
  }

  @Test
  void configHoldsKerasKeysAndDefaults() {
    Backend.clearSession();
    Map<String, Object> c = AugMix.builder().seed(3).build().getConfig();
    assertEquals(List.of(0.0, 255.0), c.get("value_range"));
    assertEquals(3, c.get("num_chains"));
    assertEquals(3, c.get("chain_depth"));
    assertEquals(List.of(0.0, 0.3), c.get("factor"));
    assertEquals(1.0, c.get("alpha"));
    assertEquals(true, c.get("all_ops"));
    assertEquals("bilinear", c.get("interpolation"));
    assertEquals(3L, c.get("seed"));
    assertFalse(AugMix.builder().allOps(false).build().allOps());
  }

  @Test
  void badArgumentsAreClearErrors() {
    Backend.clearSession();
    assertError(() -> AugMix.builder().numChains(0).name("am").build(), "Layer 'am'", "num_chains=0");
    assertError(() -> AugMix.builder().chainDepth(-1).build(), "chain_depth=-1");
    assertError(() -> AugMix.builder().alpha(0).build(), "positive", "alpha=0.0");
    assertError(() -> AugMix.builder().alpha(Double.NaN).build(), "alpha=NaN");
    assertError(() -> AugMix.builder().factor(2).build(), "[0, 1]", "factor=2.0");
    assertError(() -> AugMix.builder().interpolation("area").build(), "interpolation=area");
    assertError(() -> AugMix.builder().valueRange(5, 5).build(), "value_range=[5.0, 5.0]");
    // The colour augmentations need RGB; without them one channel is fine.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AugMix().apply(Input.of(4, 4, 1)));
    assertTrue(e.getMessage().contains("3 channels") && e.getMessage().contains("(None, 4, 4, 1)"), e.getMessage());
    AugMix.builder().allOps(false).build().apply(Input.of(4, 4, 1));
  }

  @Test
  void gradientsReachTrainableLayersBeforeBothPolicies() {
    // Conv2D -> RandAugment -> AugMix -> Flatten -> Dense: one SGD step builds the gradient through every augmentation
    // (ops without a gradient would fail here) and moves the convolution's kernel.
    Backend.clearSession();
    Backend.setRandomSeed(3);
    KerasTensor in = Input.of(4, 4, 3);
    KerasTensor h = new Conv2D(3, 1).apply(in);
    h = RandAugment.builder().valueRange(-3, 3).numOps(1).seed(1).build().apply(h);
    h = AugMix.builder().valueRange(-3, 3).numChains(1).chainDepth(1).seed(2).build().apply(h);
    KerasTensor out = new Dense(1).apply(new Flatten().apply(h));
    try (Model m = new Model(in, out)) {
      m.compile("sgd", "mse");
      float[] x = LayerChecks.randomValues(8 * 4 * 4 * 3, 4);
      List<FloatNdArray> before = m.getWeights();
      double loss = m.trainOnBatch(NdArrays.wrap(Shape.of(8, 4, 4, 3), DataBuffers.of(x, true, false)),
          NdArrays.wrap(Shape.of(8, 1), DataBuffers.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, true, false))).get("loss");
      assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
      assertNotEquals(before.get(0), m.getWeights().get(0), "the convolution's kernel moved");
    }
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(AugMix.builder().valueRange(-1, 1).numChains(2).chainDepth(2).seed(1).build(), 2, 4, 4, 3);
  }
}
