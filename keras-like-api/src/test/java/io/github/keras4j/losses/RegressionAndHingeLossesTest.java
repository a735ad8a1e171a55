package io.github.keras4j.losses;

import static io.github.keras4j.losses.LossTestSupport.call;
import static io.github.keras4j.losses.LossTestSupport.compute;
import static io.github.keras4j.losses.LossTestSupport.sumOverBatchSize;
import static io.github.keras4j.losses.LossTestSupport.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.keras4j.saving.TrainingSerialization;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The losses MeanAbsolutePercentageError, MeanSquaredLogarithmicError, LogCosh, Poisson, KLDivergence,
 * CosineSimilarity, Hinge, SquaredHinge and CategoricalHinge: each against its formula in Keras 3's
 * {@code keras/src/losses/losses.py} written out in double arithmetic here (value and gradient by central
 * differences, with sample weights), and Keras's docstring values where the docstring prints one.
 */
class RegressionAndHingeLossesTest {

  private static final double EPS = 1e-7;
  private static final float[][] T = {{0.5f, 2f, 1.5f}, {1f, 0.2f, 3f}};
  private static final float[][] P = {{0.7f, 1.6f, 1.4f}, {1.3f, 0.5f, 2.2f}};
  private static final float[] W = {0.8f, 1.5f};

  /** The weighted "sum_over_batch_size" of {@code f(t[i], p[i])} per sample. */
  private static double reference(double[][] t, double[][] p, BiFunction<double[], double[], Double> f) {
    double[] values = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      values[i] = f.apply(t[i], p[i]);
    }
    return sumOverBatchSize(values, toDouble(W));
  }

  private static void check(Loss loss, float[][] t, float[][] p, BiFunction<double[], double[], Double> f) {
    double[][] td = toDouble(t);
    assertEquals(reference(td, toDouble(p), f), compute(loss, t, p, W), 1e-5, loss.name());
    LossTestSupport.checkGradient(loss, t, p, W, x -> reference(td, x, f));
  }

  private static double mean(double[] t, double[] p, java.util.function.DoubleBinaryOperator term) {
    double s = 0;
    for (int j = 0; j < t.length; j++) {
      s += term.applyAsDouble(t[j], p[j]);
    }
    return s / t.length;
  }

  @Test
  void meanAbsolutePercentageError() {
    check(new MeanAbsolutePercentageError(), T, P,
        (t, p) -> 100 * mean(t, p, (a, b) -> Math.abs((a - b) / Math.max(Math.abs(a), EPS))));
  }

  @Test
  void meanSquaredLogarithmicError() {
    check(new MeanSquaredLogarithmicError(), T, P, (t, p) -> mean(t, p,
        (a, b) -> Math.pow(Math.log(Math.max(b, EPS) + 1) - Math.log(Math.max(a, EPS) + 1), 2)));
  }

  @Test
  void logCosh() {
    // Keras's LogCosh docstring: [[0, 1], [0, 0]] against [[1, 1], [0, 0]] gives 0.108 (log cosh 1 / 4).
    assertEquals(Math.log(Math.cosh(1)) / 4, compute(new LogCosh(), new float[][] {{0, 1}, {0, 0}},
        new float[][] {{1, 1}, {0, 0}}, null), 1e-6);
    check(new LogCosh(), T, P, (t, p) -> mean(t, p, (a, b) -> Math.log(Math.cosh(b - a))));
    // An error of 100: cosh overflows float32, the softplus form does not (log cosh x ~ |x| - log 2).
    assertEquals(100 - Math.log(2), compute(new LogCosh(), new float[] {0}, new float[] {100}, null), 1e-4);
  }

  @Test
  void poisson() {
    check(new Poisson(), T, P, (t, p) -> mean(t, p, (a, b) -> b - a * Math.log(b + EPS)));
  }

  @Test
  void klDivergence() {
    float[][] t = {{0.2f, 0.5f, 0.3f}, {0f, 0.9f, 0.1f}};
    float[][] p = {{0.3f, 0.4f, 0.3f}, {0.2f, 0.6f, 0.2f}};
    check(new KLDivergence(), t, p, (a, b) -> {
      double s = 0;
      for (int j = 0; j < a.length; j++) {
        double x = Math.min(Math.max(a[j], EPS), 1);
        double y = Math.min(Math.max(b[j], EPS), 1);
        s += x * Math.log(x / y);
      }
      return s;
    });
  }

  @Test
  void cosineSimilarity() {
    // Keras's cosine_similarity docstring: [[0, 1], [1, 1], [1, 1]] against [[1, 0], [1, 1], [-1, -1]] gives
    // [-0., -0.99999994, 0.99999994].
    assertArrayEquals(new float[] {0f, -0.99999994f, 0.99999994f}, call(new CosineSimilarity(),
        new float[][] {{0, 1}, {1, 1}, {1, 1}}, new float[][] {{1, 0}, {1, 1}, {-1, -1}}), 1e-6f);
    check(new CosineSimilarity(), T, P, (t, p) -> {
      double dot = 0;
      double nt = 0;
      double np = 0;
      for (int j = 0; j < t.length; j++) {
        dot += t[j] * p[j];
        nt += t[j] * t[j];
        np += p[j] * p[j];
      }
      return -dot / Math.sqrt(nt) / Math.sqrt(np);
    });
  }

  @Test
  void hingeLossesMapBinaryLabelsToSigns() {
    float[][] binary = {{0, 1, 1}, {1, 0, 0}};
    float[][] signs = {{-1, 1, 1}, {1, -1, -1}};
    float[][] p = {{0.3f, 0.6f, -0.2f}, {1.4f, 0.1f, -0.8f}};
    BiFunction<double[], double[], Double> hinge = (t, q) -> mean(t, q, (a, b) -> Math.max(1 - a * b, 0));
    BiFunction<double[], double[], Double> squared = (t, q) -> mean(t, q, (a, b) -> Math.pow(Math.max(1 - a * b, 0), 2));
    // 0/1 labels give the same loss as the -1/1 labels they stand for.
    assertEquals(compute(new Hinge(), signs, p, W), compute(new Hinge(), binary, p, W), 1e-7);
    assertEquals(compute(new SquaredHinge(), signs, p, W), compute(new SquaredHinge(), binary, p, W), 1e-7);
    check(new Hinge(), signs, p, hinge);
    check(new SquaredHinge(), signs, p, squared);
  }

  @Test
  void categoricalHinge() {
    float[][] t = {{0, 1, 0}, {1, 0, 0}};
    float[][] p = {{0.3f, 0.6f, 0.1f}, {0.2f, 0.7f, 0.1f}};
    // Row 1: pos 0.6, neg 0.3: max(0.3 - 0.6 + 1, 0) = 0.7; row 2: pos 0.2, neg 0.7: 1.5.
    assertEquals((0.7 * W[0] + 1.5 * W[1]) / 2, compute(new CategoricalHinge(), t, p, W), 1e-6);
    check(new CategoricalHinge(), t, p, (a, b) -> {
      double pos = 0;
      double neg = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < a.length; j++) {
        pos += a[j] * b[j];
        neg = Math.max(neg, (1 - a[j]) * b[j]);
      }
      return Math.max(neg - pos + 1, 0);
    });
  }

  @Test
  void kerasIdsAndSavedConfigsFindTheClasses() {
    assertInstanceOf(MeanAbsolutePercentageError.class, Losses.get("mape"));
    assertEquals("msle", Losses.get("msle").name());
    assertEquals("kl_divergence", Losses.get("KLDivergence").name());
    assertInstanceOf(KLDivergence.class, Losses.get("kld"));
    assertEquals("log_cosh", Losses.get("LogCosh").name());
    Loss restored = TrainingSerialization.deserializeLoss(TrainingSerialization.serializeLoss(new Poisson("counts")),
        null);
    assertInstanceOf(Poisson.class, restored);
    assertEquals("counts", restored.name());
  }
}
