package io.github.keras4j.losses;

import static io.github.keras4j.losses.LossTestSupport.assertArrayClose;
import static io.github.keras4j.losses.LossTestSupport.compute;
import static io.github.keras4j.losses.LossTestSupport.sumOverBatchSize;
import static io.github.keras4j.losses.LossTestSupport.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiceAndTverskyLossTest {

  // Keras 3's Dice docstring and DiceTest/TverskyTest: (2, 2, 2, 1) masks.
  private static final float[][][] MASK_TRUE = {{{1, 1}, {0, 0}}, {{1, 1}, {0, 0}}};
  private static final float[][][] MASK_PRED = {{{0, 1}, {0, 1}}, {{0.4f, 0}, {0, 0.9f}}};
  private static final float[][] T = {{1, 2}, {1, 2}};
  private static final float[][] P = {{4, 1}, {6, 1}};
  private static final float[][] SEG_TRUE = {{1, 0, 1, 0}, {0, 1, 0, 1}, {1, 0, 1, 0}, {0, 1, 0, 1}};
  private static final float[][] SEG_PRED = {{0, 1, 0, 1}, {1, 0, 1, 1}, {0, 1, 0, 1}, {1, 0, 1, 1}};

  /** Keras 3's {@code dice} in double over the rows {@code i} of a (batch, d) pair, or over all when whole. */
  static double[] dice(double[][] t, double[][] p, boolean perRow) {
    return overlap(t, p, perRow, Double.NaN, Double.NaN);
  }

  /**
   * {@code 1 - 2 tp / (sum t + sum p + eps)} (Dice, alpha NaN) or {@code 1 - tp / (tp + alpha fp + beta fn + eps)}
   * (Tversky), per row or over everything.
   */
  static double[] overlap(double[][] t, double[][] p, boolean perRow, double alpha, double beta) {
    int groups = perRow ? t.length : 1;
    double[] tp = new double[groups];
    double[] fp = new double[groups];
    double[] fn = new double[groups];
    double[] sums = new double[groups];
    for (int i = 0; i < t.length; i++) {
      int g = perRow ? i : 0;
      for (int j = 0; j < t[i].length; j++) {
        tp[g] += t[i][j] * p[i][j];
        fp[g] += (1 - t[i][j]) * p[i][j];
        fn[g] += t[i][j] * (1 - p[i][j]);
        sums[g] += t[i][j] + p[i][j];
      }
    }
    double[] out = new double[groups];
    for (int g = 0; g < groups; g++) {
      out[g] = Double.isNaN(alpha) ? 1 - 2 * tp[g] / (sums[g] + 1e-7)
          : 1 - tp[g] / (tp[g] + alpha * fp[g] + beta * fn[g] + 1e-7);
    }
    return out;
  }

  @Test
  void diceMatchesKeras3DocstringAndTests() {
    // Keras 3 Dice docstring: axis=(1, 2, 3), reduction=None -> [0.5, 0.75757575]; default axis -> 0.6164384.
    // The (2, 2, 2, 1) masks are fed as (2, 2, 2); axis (1, 2) then covers the same elements.
    assertArrayClose(new double[] {0.5, 0.75757575}, LossTestSupport.call(new Dice(1, 2), MASK_TRUE, MASK_PRED), 1e-6);
    assertEquals(0.6164384, compute(new Dice(), MASK_TRUE, MASK_PRED, null), 1e-6);
    assertEquals(1, LossTestSupport.call(new Dice(), MASK_TRUE, MASK_PRED).length, "axis=None gives one number");
    // DiceTest: -0.55555546 and 0.77777773.
    assertEquals(-0.55555546, compute(new Dice(), T, P, null), 1e-6);
    assertEquals(0.77777773, compute(new Dice(), SEG_TRUE, SEG_PRED, null), 1e-6);
  }

  @Test
  void tverskyMatchesKeras3Tests() {
    // keras/src/losses/losses_test.py, TverskyTest.
    assertEquals(-0.55555558, compute(new Tversky(), T, P, null), 1e-6);
    assertEquals(-0.94444442, compute(new Tversky(0.2f, 0.8f), T, P, null), 1e-6);
    assertEquals(0.77777779, compute(new Tversky(), SEG_TRUE, SEG_PRED, null), 1e-6);
    assertEquals(0.76190472, compute(new Tversky(0.2f, 0.8f), SEG_TRUE, SEG_PRED, null), 1e-6);
    assertArrayClose(new double[] {0.5, 0.75757575},
        LossTestSupport.call(new Tversky(0.5f, 0.5f, new int[] {1, 2}, "t"), MASK_TRUE, MASK_PRED), 1e-6);
    assertArrayClose(new double[] {0.5, 0.78494626},
        LossTestSupport.call(new Tversky(0.2f, 0.8f, new int[] {-2, -1}, "t"), MASK_TRUE, MASK_PRED), 1e-6);
  }

  @Test
  void perSampleValuesTakeSampleWeightsAndWholeBatchValuesTheirMean() {
    float[][] t = {{1, 0, 1}, {0, 1, 1}, {1, 1, 0}};
    float[][] p = {{0.8f, 0.3f, 0.6f}, {0.1f, 0.7f, 0.4f}, {0.5f, 0.9f, 0.2f}};
    float[] w = {0.5f, 2f, 1f};
    double[] perRow = dice(toDouble(t), toDouble(p), true);
    assertEquals(sumOverBatchSize(perRow, toDouble(w)), compute(new Dice(1), t, p, w), 1e-6);
    // axis=None: one value for the batch, times the mean sample weight (Keras's reduce_weighted_values broadcasts).
    double whole = dice(toDouble(t), toDouble(p), false)[0];
    assertEquals(whole * (0.5 + 2 + 1) / 3, compute(new Dice(), t, p, w), 1e-6);
    double[] tversky = overlap(toDouble(t), toDouble(p), true, 0.3, 0.7);
    assertEquals(sumOverBatchSize(tversky, toDouble(w)),
        compute(new Tversky(0.3f, 0.7f, new int[] {1}, "t"), t, p, w), 1e-6);
  }

  @Test
  void tverskyWithEqualHalvesIsDice() {
    float[][] t = {{1, 0, 1}, {0, 1, 1}};
    float[][] p = {{0.8f, 0.3f, 0.6f}, {0.1f, 0.7f, 0.4f}};
    assertArrayClose(toDouble(LossTestSupport.call(new Dice(-1), t, p)),
        LossTestSupport.call(new Tversky(0.5f, 0.5f, new int[] {-1}, "t"), t, p), 1e-6);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    float[][] t = {{1, 0, 1}, {0, 1, 1}};
    float[][] p = {{0.8f, 0.3f, 0.6f}, {0.1f, 0.7f, 0.4f}};
    float[] w = {0.5f, 2f};
    LossTestSupport.checkGradient(new Dice(), t, p, null, x -> dice(toDouble(t), x, false)[0]);
    LossTestSupport.checkGradient(new Dice(1), t, p, w,
        x -> sumOverBatchSize(dice(toDouble(t), x, true), toDouble(w)));
    LossTestSupport.checkGradient(new Tversky(0.3f, 0.7f, new int[] {1}, "t"), t, p, w,
        x -> sumOverBatchSize(overlap(toDouble(t), x, true, 0.3, 0.7), toDouble(w)));
  }

  @Test
  void trainByStringId() {
    // Seen, both: 0.482 after the first epoch, 0.100 after 25.
    assertTrue(LossTraining.lossFalls("dice", LossTraining.Task.SEGMENTATION));
    assertTrue(LossTraining.lossFalls("tversky", LossTraining.Task.SEGMENTATION));
  }

  @Test
  void rejectBadArgumentsNamingLossAndArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Tversky(-0.1f, 0.5f));
    assertEquals("Argument `alpha` of Tversky must be a finite number >= 0. Received: alpha=-0.1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Tversky(0.5f, Float.POSITIVE_INFINITY));
    assertEquals("Argument `beta` of Tversky must be a finite number >= 0. Received: beta=Infinity", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> compute(new Dice(1, 3), MASK_TRUE, MASK_PRED, null));
    assertEquals("Argument `axis` of loss 'dice' must be in [-3, 3) for y_pred of shape (2, 2, 2). Received: axis=3",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> compute(new Dice(1, -2), MASK_TRUE, MASK_PRED, null));
    assertEquals("Argument `axis` of loss 'dice' names axis 1 twice. Received: axis=[1, -2]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> compute(new Tversky(), new float[][] {{1, 0}}, new float[][] {{1, 0, 0}}, null));
    assertEquals("Arguments `target` and `output` of loss 'tversky' must have the same shape. Received: "
        + "target.shape=(1, 2), output.shape=(1, 3)", e.getMessage());
  }

  @Test
  void configsRoundTripWithKerasKeys() {
    Map<String, Object> config = new Dice().getConfig();
    assertEquals("dice", config.get("name"));
    assertTrue(config.containsKey("axis"));
    assertNull(config.get("axis"), "Keras's axis=None");
    assertEquals(Map.of("name", "t", "alpha", 0.2f, "beta", 0.8f, "axis", List.of(1, 2)),
        new Tversky(0.2f, 0.8f, new int[] {1, 2}, "t").getConfig());
    for (Loss loss : List.of(new Dice(), new Dice(new int[] {1, 2}, "mydice"), new Tversky(),
        new Tversky(0.2f, 0.8f, new int[] {-1}, "t"))) {
      assertEquals(loss.getConfig(), Losses.fromConfig(loss.getClass().getSimpleName(), loss.getConfig()).getConfig());
      Loss back = LossTraining.throughSavedForm(loss);
      assertEquals(loss.getClass(), back.getClass());
      assertEquals(loss.getConfig(), back.getConfig());
    }
    // Keras may save one integer axis.
    Map<String, Object> keras = new HashMap<>(Map.of("name", "d", "axis", 1L, "reduction", "sum_over_batch_size"));
    assertEquals(List.of(1), Dice.fromConfig(keras).getConfig().get("axis"));
    keras.put("axis", "rows");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dice.fromConfig(keras));
    assertEquals("Dice: config entry 'axis' must be an integer or a list of integers. Received: axis=rows",
        e.getMessage());
  }
}
