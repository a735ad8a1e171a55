package io.github.keras4j.layers.normalization;

import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import io.github.keras4j.models.Model;
import io.github.keras4j.regularizers.L2;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expected numbers: the group normalization formula of Keras 3's group_normalization.py (Wu and He, 2018) in plain
 * Java loops (double): per sample and group, the mean and biased variance over the group's channels and all other
 * non-batch positions, then {@code gamma[c] * (x - mean) / sqrt(var + epsilon) + beta[c]}.
 */
class GroupNormalizationTest {

  /** The reference for (batch, positions, channels) inputs with the channels last. */
  static double[] reference(Tensor x, int groups, float[] gamma, float[] beta, double epsilon) {
    int batch = x.shape()[0];
    int channels = x.shape()[x.shape().length - 1];
    int positions = x.data().length / batch / channels;
    int perGroup = channels / groups;
    double[] y = new double[x.data().length];
    for (int b = 0; b < batch; b++) {
      for (int g = 0; g < groups; g++) {
        double sum = 0;
        for (int p = 0; p < positions; p++) {
          for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
            sum += x.data()[(b * positions + p) * channels + c];
          }
        }
        double mean = sum / (positions * perGroup);
        double squares = 0;
        for (int p = 0; p < positions; p++) {
          for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
            squares += Math.pow(x.data()[(b * positions + p) * channels + c] - mean, 2);
          }
        }
        double variance = squares / (positions * perGroup);
        for (int p = 0; p < positions; p++) {
          for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
            int i = (b * positions + p) * channels + c;
            y[i] = gamma[c] * (x.data()[i] - mean) / Math.sqrt(variance + epsilon) + beta[c];
          }
        }
      }
    }
    return y;
  }

  private static void assertClose(double[] expected, Tensor actual, double tolerance) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual.data()[i], tolerance, "element " + i);
    }
  }

  @Test
  void normalizesEachGroupOfEachSample() {
    // (batch 2, 3, 3, 6) images, 3 groups of 2 channels, non-trivial gamma and beta.
    Tensor x = random(1, 2, 3, 3, 6);
    float[] gamma = {1f, 2f, -0.5f, 1.5f, 0.25f, 3f};
    float[] beta = {0f, 0.5f, -1f, 2f, 0.1f, -0.2f};
    Tensor y = predict(new GroupNormalization(3), x, new Tensor(gamma, 6), new Tensor(beta, 6));
    assertClose(reference(x, 3, gamma, beta, 1e-3), y, 1e-5);
  }

  @Test
  void oneGroupAndInstanceNormalization() {
    Tensor x = random(2, 3, 4, 4);
    float[] ones = {1, 1, 1, 1};
    float[] zeros = new float[4];
    assertClose(reference(x, 1, ones, zeros, 1e-3), predict(new GroupNormalization(1), x), 1e-5);
    // groups=-1: one group per channel (instance normalization), here with epsilon 1e-5.
    assertClose(reference(x, 4, ones, zeros, 1e-5),
        predict(GroupNormalization.builder().groups(-1).epsilon(1e-5).build(), x), 1e-4);
  }

  @Test
  void normalizesChannelsFirstWithAxisOne() {
    // (batch 2, channels 4, steps 3), axis=1, 2 groups: the reference on the transposed (batch, steps, channels).
    Tensor x = random(3, 2, 4, 3);
    Tensor transposed = new Tensor(new float[24], 2, 3, 4);
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < 4; c++) {
        for (int t = 0; t < 3; t++) {
          transposed.data()[transposed.index(b, t, c)] = x.get(b, c, t);
        }
      }
    }
    float[] gamma = {1f, -1f, 2f, 0.5f};
    float[] beta = {0.5f, 0f, -0.5f, 1f};
    double[] expected = reference(transposed, 2, gamma, beta, 1e-3);
    Tensor y = predict(GroupNormalization.builder().groups(2).axis(1).build(), x, new Tensor(gamma, 4),
        new Tensor(beta, 4));
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < 4; c++) {
        for (int t = 0; t < 3; t++) {
          assertEquals(expected[transposed.index(b, t, c)], y.get(b, c, t), 1e-5);
        }
      }
    }
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new GroupNormalization(2), 3, 4);
    LayerChecks.check(GroupNormalization.builder().groups(2).axis(1).build(), 2, 4, 3);
    // Not groups=-1 here: with one group per channel each channel's normalized values sum to 0 over the sample,
    // so the training step's gradient for gamma (-2 * that sum against targets y + 1) is exactly 0.
    LayerChecks.check(GroupNormalization.builder().groups(1).center(false).build(), 2, 3, 2);
  }

  @Test
  void weightsConfigAndErrors() {
    Backend.clearSession();
    KerasTensor in = Input.of(5, 8);
    GroupNormalization gn = GroupNormalization.builder().groups(4).gammaRegularizer(new L2(0.1)).build();
    try (Model model = new Model(in, gn.apply(in))) {
      assertEquals(List.of("group_normalization/gamma", "group_normalization/beta"),
          model.variables().stream().map(v -> v.name()).toList());
      assertEquals(16, model.countParams());
    }
    Map<String, Object> c = gn.getConfig();
    assertEquals(4, c.get("groups"));
    assertEquals(-1, c.get("axis"));
    assertEquals(1e-3f, c.get("epsilon"));
    assertEquals(true, c.get("center"));
    assertEquals("Zeros", ((Map<?, ?>) c.get("beta_initializer")).get("class_name"));
    assertEquals(Map.of("class_name", "L2", "config", Map.of("l2", 0.1f)), c.get("gamma_regularizer"));
    assertEquals(32, new GroupNormalization().getConfig().get("groups"));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNormalization(0));
    assertTrue(e.getMessage().contains("groups=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GroupNormalization.builder().groups(3).name("gn_bad").build().apply(Input.of(4)));
    assertTrue(e.getMessage().contains("'gn_bad'") && e.getMessage().contains("multiple of the number of groups (3)")
        && e.getMessage().contains("groups=3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GroupNormalization().apply(Input.of(8)));
    assertTrue(e.getMessage().contains("number of groups (32) cannot be more than the number of channels (8)"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GroupNormalization.builder().groups(1).axis(3).build().apply(Input.of(4, 2)));
    assertTrue(e.getMessage().contains("out of bounds") && e.getMessage().contains("(None, 4, 2)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GroupNormalization.builder().groups(1).axis(0).build().apply(Input.of(4)));
    assertTrue(e.getMessage().contains("batch axis"), e.getMessage());
  }
}
