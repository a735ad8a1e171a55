package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.losses.BinaryCrossentropy;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.SGD;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class StepTest {

  private static float[][] normal(SplittableRandom r, int n, int d, double mean, double std) {
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        // Box-Muller
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        row[j] = (float) (mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      }
    }
    return x;
  }

  private static double mean(FloatNdArray a) {
    double s = 0;
    for (long i = 0; i < a.shape().get(0); i++) {
      s += a.getFloat(i, 0);
    }
    return s / a.shape().get(0);
  }

  /**
   * Issue 3 acceptance: a GAN step on 1-D data, two models and two optimizers in one graph. The data are
   * N(3, 0.5); the generator starts near mean 0 and its sample mean must move most of the way to 3. Each step
   * changes only the weights of the model it trains.
   */
  @Test
  void ganStepsMoveTheGeneratorTowardTheDataMean() {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    try (Sequential generator = new Sequential(new InputLayer(4), new Dense(16, "relu"), new Dense(1));
        Sequential discriminator = new Sequential(new InputLayer(1), new Dense(16, "relu"), new Dense(1))) {
      // beta1 = 0.5 as in DCGAN; with these settings the mean overshoots to ~4.5 at step 100 and settles
      // within 3 +- 0.15 from step 200 on.
      Adam dOpt = new Adam(0.005f, 0.5f, 0.999f, 1e-7f);
      Adam gOpt = new Adam(0.005f, 0.5f, 0.999f, 1e-7f);
      BinaryCrossentropy bce = new BinaryCrossentropy(true);
      Step dStep = Step.build(discriminator, b -> {
        Ops tf = b.tf();
        Operand<TFloat32> real = b.input("real", 1);
        Operand<TFloat32> z = b.input("z", 4);
        Operand<TFloat32> onReal = discriminator.call(real, true);
        Operand<TFloat32> onFake = discriminator.call(generator.call(z, true), true);
        Operand<TFloat32> loss = tf.math.add(bce.compute(tf, tf.onesLike(onReal), onReal, null),
            bce.compute(tf, tf.zerosLike(onFake), onFake, null));
        b.minimize(loss, dOpt, discriminator.trainableVariables());
        b.output("d_loss", loss);
      });
      Step gStep = Step.build(generator, b -> {
        Ops tf = b.tf();
        Operand<TFloat32> z = b.input("z", 4);
        Operand<TFloat32> onFake = discriminator.call(generator.call(z, true), true);
        Operand<TFloat32> loss = bce.compute(tf, tf.onesLike(onFake), onFake, null);
        b.minimize(loss, gOpt, generator.trainableVariables());
        b.output("g_loss", loss);
      });
      SplittableRandom r = new SplittableRandom(11);
      float[][] zTest = normal(r, 500, 4, 0, 1);
      double before = mean(generator.predict(zTest));

      // Only the stepped model changes.
      List<FloatNdArray> g0 = generator.getWeights();
      List<FloatNdArray> d0 = discriminator.getWeights();
      dStep.run(Map.of("real", normal(r, 64, 1, 3, 0.5), "z", normal(r, 64, 4, 0, 1)));
      assertEquals(g0, generator.getWeights(), "the discriminator step must not change the generator");
      assertNotEqualsAll(d0, discriminator.getWeights());
      List<FloatNdArray> d1 = discriminator.getWeights();
      gStep.run(Map.of("z", normal(r, 64, 4, 0, 1)));
      assertEquals(d1, discriminator.getWeights(), "the generator step must not change the discriminator");
      assertNotEqualsAll(g0, generator.getWeights());

      for (int i = 0; i < 600; i++) {
        float dLoss = dStep.run(Map.of("real", normal(r, 64, 1, 3, 0.5), "z", normal(r, 64, 4, 0, 1)))
            .getFloat("d_loss");
        float gLoss = gStep.run(Map.of("z", normal(r, 64, 4, 0, 1))).getFloat("g_loss");
        assertTrue(Float.isFinite(dLoss) && Float.isFinite(gLoss));
      }
      double after = mean(generator.predict(zTest));
      assertTrue(Math.abs(before) < 1, "generator starts near 0: " + before);
      assertTrue(Math.abs(after - 3) < 0.3, "generator mean " + before + " -> " + after + ", data mean 3");
    }
  }

  private static void assertNotEqualsAll(List<FloatNdArray> before, List<FloatNdArray> after) {
    for (int i = 0; i < before.size(); i++) {
      assertNotEquals(before.get(i), after.get(i), "weight " + i + " should have changed");
    }
  }

  /**
   * Issue 3 acceptance: a label-free loss that applies one model to today's and tomorrow's inputs, as Deep
   * Equilibrium Nets do. The residual p(x) - 0.5 p(0.5 x) - x = 0 on [0, 1] has the exact solution
   * p(x) = 4x/3 (4x/3 - 0.5 * (4/3)(x/2) = 4x/3 - x/3 = x); no labels are used.
   */
  @Test
  void labelFreeResidualLossLearnsTheExactSolution() {
    Backend.clearSession();
    Backend.setRandomSeed(5);
    try (Sequential p = new Sequential(new InputLayer(1), new Dense(16, "tanh"), new Dense(1))) {
      Adam adam = new Adam(0.01f);
      Step step = Step.build(p, b -> {
        Ops tf = b.tf();
        Operand<TFloat32> x = b.input("x", 1);
        Operand<TFloat32> today = p.call(x, true);
        Operand<TFloat32> tomorrow = p.call(tf.math.mul(tf.constant(0.5f), x), true);
        Operand<TFloat32> residual = tf.math.sub(tf.math.sub(today, tf.math.mul(tf.constant(0.5f), tomorrow)), x);
        Operand<TFloat32> loss = tf.math.mean(tf.math.square(residual), tf.constant(new int[] {0, 1}));
        b.minimize(loss, adam, p.trainableVariables());
        b.output("loss", loss);
      });
      SplittableRandom r = new SplittableRandom(2);
      float loss = Float.NaN;
      for (int i = 0; i < 1500; i++) {
        float[][] x = new float[64][1];
        for (float[] row : x) {
          row[0] = (float) r.nextDouble();
        }
        loss = step.run(Map.of("x", x)).getFloat("loss");
      }
      float[][] grid = new float[21][1];
      for (int i = 0; i <= 20; i++) {
        grid[i][0] = i / 20f;
      }
      FloatNdArray pred = p.predict(grid);
      double maxErr = 0;
      for (int i = 0; i <= 20; i++) {
        maxErr = Math.max(maxErr, Math.abs(pred.getFloat(i, 0) - 4.0 * grid[i][0] / 3.0));
      }
      assertTrue(loss < 1e-4, "final residual loss " + loss);
      assertTrue(maxErr < 0.02, "max |p(x) - 4x/3| on [0, 1] = " + maxErr);
    }
  }

  /** One SGD step of a custom loss: the update equals w - lr * dL/dw computed by hand. */
  @Test
  void minimizeAppliesTheOptimizerToTheGivenVariablesOnly() {
    Backend.clearSession();
    try (Sequential m = new Sequential(new InputLayer(1), Dense.builder(1).useBias(false).build())) {
      m.setWeights(List.of(org.tensorflow.ndarray.StdArrays.ndCopyOf(new float[][] {{2f}})));
      Step step = Step.build(m, b -> {
        Ops tf = b.tf();
        Operand<TFloat32> x = b.input("x", 1);
        // L = mean((w x)^2) over x = [1, 2]: dL/dw = mean(2 w x^2) = 2 * 2 * (1 + 4) / 2 = 10
        Operand<TFloat32> loss = tf.math.mean(tf.math.square(m.call(x, true)), tf.constant(new int[] {0, 1}));
        b.minimize(loss, new SGD(0.01f), m.trainableVariables());
        b.output("loss", loss);
        b.output("y", m.call(x, false));
      });
      StepResult res = step.run(Map.of("x", new float[][] {{1}, {2}}));
      assertEquals(10f, res.getFloat("loss"), 1e-5); // (4 + 16) / 2, before the update
      assertEquals(4f, res.get("y").getFloat(1, 0), 1e-6);
      assertEquals(2f - 0.01f * 10f, m.getWeights().get(0).getFloat(0, 0), 1e-6);
    }
  }

  private static Sequential scalarModel(float w) {
    Sequential m = new Sequential(new InputLayer(1), Dense.builder(1).useBias(false).build());
    m.setWeights(List.of(org.tensorflow.ndarray.StdArrays.ndCopyOf(new float[][] {{w}})));
    return m;
  }

  private static float weight(Model m) {
    return m.getWeights().get(0).getFloat(0, 0);
  }

  /** mean((model(x))^2) over the batch. */
  private static Operand<TFloat32> meanSquare(Ops tf, Operand<TFloat32> y) {
    return tf.math.mean(tf.math.square(y), tf.constant(new int[] {0, 1}));
  }

  /**
   * afterUpdates: the second phase sees the first phase's update in the same run. Worked by hand with y = a x for
   * A, z = a (b x) for B over x = [1, 2] (mean x^2 = 2.5), SGD 0.01, a = 2, b = 3. Phase 1: L_A = 2.5 a^2 = 10,
   * dL_A/da = 5a = 10, a' = 1.9. Phase 2 through the updated A: L_B = 2.5 a'^2 b^2 = 81.225, dL_B/db = 5 a'^2 b =
   * 54.15, b' = 2.4585 (from the start-of-step a it would be 90 and b' = 2.4). The soft update (tau 1) copies b'.
   */
  @Test
  void afterUpdatesComputesTheNextPhaseFromTheUpdatedWeights() {
    Backend.clearSession();
    try (Sequential a = scalarModel(2f); Sequential b = scalarModel(3f); Sequential target = scalarModel(0f)) {
      SGD sgd = new SGD(0.01f);
      Step step = Step.build(a, s -> {
        Ops tf = s.tf();
        Operand<TFloat32> x = s.input("x", 1);
        Operand<TFloat32> lossA = meanSquare(tf, a.call(x, true));
        s.minimize(lossA, sgd, a.trainableVariables());
        s.output("loss_a", lossA);
        s.afterUpdates(() -> {
          Operand<TFloat32> lossB = meanSquare(tf, a.call(b.call(x, true), true));
          s.minimize(lossB, sgd, b.trainableVariables());
          s.output("loss_b", lossB);
        });
        s.softUpdate(target, b, 1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> s.minimize(lossA, sgd, a.trainableVariables()));
        assertTrue(e.getMessage().startsWith("Step: minimize() after afterUpdates() returned"), e.getMessage());
      });
      StepResult r = step.run(Map.of("x", new float[][] {{1}, {2}}));
      assertEquals(10f, r.getFloat("loss_a"), 1e-5);
      assertEquals(81.225f, r.getFloat("loss_b"), 1e-4);
      assertEquals(1.9f, weight(a), 1e-6);
      assertEquals(2.4585f, weight(b), 1e-5);
      assertEquals(weight(b), weight(target), 0f);
      assertEquals(2L, sgd.iterations(), "one optimizer applied in both phases counts both");
    }
  }

  /**
   * A phased step with one Adam in both phases equals the two phases run as two steps: the second phase reads
   * Adam's slots and step counter as the first left them (the counter is 2, 4, 6 in the second phase).
   */
  @Test
  void phasesInOneRunEqualTwoStepsRunInTurn() {
    float[][] x = {{0.5f}, {-1f}, {2f}};
    float[] phased = new float[2];
    float[] twoRuns = new float[2];
    for (boolean oneRun : new boolean[] {true, false}) {
      Backend.clearSession();
      try (Sequential a = scalarModel(0.7f); Sequential b = scalarModel(-1.3f)) {
        Adam adam = new Adam(0.05f);
        List<Step> steps = new java.util.ArrayList<>();
        java.util.function.BiConsumer<StepBuilder, Operand<TFloat32>> phaseA = (s, in) ->
            s.minimize(meanSquare(s.tf(), s.tf().math.sub(a.call(in, true), s.tf().constant(1f))), adam,
                a.trainableVariables());
        java.util.function.BiConsumer<StepBuilder, Operand<TFloat32>> phaseB = (s, in) ->
            s.minimize(meanSquare(s.tf(), s.tf().math.sub(a.call(b.call(in, true), true), s.tf().constant(0.5f))),
                adam, b.trainableVariables());
        if (oneRun) {
          steps.add(Step.build(a, s -> {
            Operand<TFloat32> in = s.input("x", 1);
            phaseA.accept(s, in);
            s.afterUpdates(() -> phaseB.accept(s, in));
          }));
        } else {
          steps.add(Step.build(a, s -> phaseA.accept(s, s.input("x", 1))));
          steps.add(Step.build(a, s -> phaseB.accept(s, s.input("x", 1))));
        }
        for (int i = 0; i < 3; i++) {
          steps.forEach(st -> st.run(Map.of("x", x)));
        }
        assertEquals(6L, adam.iterations());
        float[] out = oneRun ? phased : twoRuns;
        out[0] = weight(a);
        out[1] = weight(b);
      }
    }
    assertNotEquals(0.7f, phased[0]);
    assertNotEquals(-1.3f, phased[1]);
    assertEquals(twoRuns[0], phased[0], 1e-6f);
    assertEquals(twoRuns[1], phased[1], 1e-6f);
  }

  @Test
  void badStepsGetClearErrors() {
    Backend.clearSession();
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      Step step = Step.build(m, b -> b.output("y", m.call(b.input("x", 2), false)));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.run(Map.of()));
      assertEquals("Step input 'x' was not fed", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> step.run(Map.of("x", new float[][] {{1, 2}}, "q", 1)));
      assertTrue(e.getMessage().startsWith("Step has no input 'q'"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> step.run(Map.of("x", new float[][] {{1, 2, 3}})));
      assertEquals("Step input 'x' expects shape (None, 2) but received an array of shape (1, 3)", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Step.build(m, b -> {
        Operand<TFloat32> y = m.call(b.input("x", 2), true);
        b.minimize(y, new SGD(), m.trainableVariables());
      }));
      assertTrue(e.getMessage().contains("the loss must be a scalar, received shape (None, 1)"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> step.run(Map.of("x", new float[][] {{1, 2}})).getFloat("z"));
      assertEquals("No step output 'z'. Outputs are: [y]", e.getMessage());
    }
  }
}
