package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.distribution.DataParallel;
import io.github.keras4j.distribution.Distributions;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.losses.BinaryCrossentropy;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.SGD;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Custom Steps under a DataParallel distribution: replicated over the devices, with the one-device values. */
class ReplicatedStepTest {

  @AfterEach
  void reset() {
    Distributions.set(null);
    Backend.clearSession();
  }

  private static void twoCpus() {
    Distributions.set(DataParallel.builder().devices("/cpu:0", "/cpu:1").variableDevices("/cpu:1").build());
  }

  /**
   * SGD(0.1) on mean(y^2) for {@code m} = Dense(1) on 2 features, with outputs {@code loss} and {@code y}; then
   * w = (0.5, -0.25), b = 0.1. Built before the weights are set: the step places the variables, which needs the
   * session not yet open.
   */
  private static Step meanSquareStep(Sequential m) {
    SGD sgd = new SGD(0.1f);
    Step step = Step.build(m, b -> {
      Ops tf = b.tf();
      Operand<TFloat32> y = m.call(b.input("x", 2), true);
      Operand<TFloat32> loss = tf.math.mean(tf.math.square(y), tf.constant(new int[] {0, 1}));
      b.minimize(loss, sgd, m.trainableVariables());
      b.output("loss", loss);
      b.output("y", y);
    });
    m.setWeights(List.of(StdArrays.ndCopyOf(new float[][] {{0.5f}, {-0.25f}}), StdArrays.ndCopyOf(new float[] {0.1f})));
    return step;
  }

  /**
   * Worked by hand: Dense(1) with w = (0.5, -0.25), b = 0.1 on x = (1, 2), (3, 4) gives y = 0.1, 0.6 and loss
   * mean(y^2) = 0.185; the gradients are w: mean(2 y x) = (1.9, 2.6), b: mean(2 y) = 0.7, so SGD(0.1) leaves
   * w = (0.31, -0.51), b = 0.03; the next run gives y = -0.68, -1.08 and loss 0.8144, and leaves
   * w = (0.31, -0.51) - 0.1 (-3.92, -5.68) = (0.702, 0.058), b = 0.03 - 0.1 (-1.76) = 0.206. Each replica has one
   * row; the per-row output comes back in row order.
   */
  @Test
  void eachReplicaTakesItsRowsAndTheStepKeepsTheOneDeviceValues() {
    twoCpus();
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      Step step = meanSquareStep(m);
      float[][] x = {{1, 2}, {3, 4}};
      StepResult first = step.run(Map.of("x", x));
      assertEquals(0.185f, first.getFloat("loss"), 1e-6f);
      assertEquals(0.1f, first.get("y").getFloat(0, 0), 1e-6f);
      assertEquals(0.6f, first.get("y").getFloat(1, 0), 1e-6f);
      StepResult second = step.run(Map.of("x", x));
      assertEquals(0.8144f, second.getFloat("loss"), 1e-5f);
      assertEquals(-0.68f, second.get("y").getFloat(0, 0), 1e-5f);
      assertEquals(-1.08f, second.get("y").getFloat(1, 0), 1e-5f);
      List<FloatNdArray> w = m.getWeights();
      assertEquals(0.702f, w.get(0).getFloat(0, 0), 1e-5f);
      assertEquals(0.058f, w.get(0).getFloat(1, 0), 1e-5f);
      assertEquals(0.206f, w.get(1).getFloat(0), 1e-5f);

      // The forward and backward MatMuls of each replica run on its device; the variables on the variable device.
      List<String> forward = new ArrayList<>();
      List<String> backward = new ArrayList<>();
      List<String> squares = new ArrayList<>();
      Iterator<GraphOperation> it = m.runtime().graph().operations();
      while (it.hasNext()) {
        GraphOperation op = it.next();
        if (op.type().equals("MatMul")) {
          (op.name().startsWith("gradients") ? backward : forward).add(op.device());
        }
        if (op.type().equals("Square")) {
          squares.add(op.device());
        }
      }
      for (GraphVariable v : m.runtime().variables()) {
        assertEquals("/device:CPU:1", ((GraphOperation) v.variable().op()).device(), v.name());
      }
      assertEquals(List.of("/device:CPU:0", "/device:CPU:1"), forward.stream().sorted().toList());
      // The body's own maths (b.tf()) too.
      assertEquals(List.of("/device:CPU:0", "/device:CPU:1"), squares.stream().sorted().toList());
      assertEquals(List.of("/device:CPU:0", "/device:CPU:0", "/device:CPU:1", "/device:CPU:1"),
          backward.stream().sorted().toList());
    }
  }

  /**
   * One row over two replicas (an agent acting on one state): replica 1 has no rows and adds nothing, where its mean
   * over no rows is NaN. Worked by hand: Dense(1) with w = (0.5, -0.25), b = 0.1 on x = (3, 4) gives y = 0.6 and
   * loss 0.36; the gradients are w: 2 y x = (3.6, 4.8), b: 2 y = 1.2, so SGD(0.1) leaves w = (0.14, -0.73),
   * b = -0.02.
   */
  @Test
  void fewerRowsThanReplicasLeaveTheEmptyReplicasOut() {
    twoCpus();
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      Step step = meanSquareStep(m);
      StepResult out = step.run(Map.of("x", new float[][] {{3, 4}}));
      assertEquals(0.36f, out.getFloat("loss"), 1e-6f);
      assertEquals(1, out.get("y").shape().get(0));
      assertEquals(0.6f, out.get("y").getFloat(0, 0), 1e-6f);
      List<FloatNdArray> w = m.getWeights();
      assertEquals(0.14f, w.get(0).getFloat(0, 0), 1e-6f);
      assertEquals(-0.73f, w.get(0).getFloat(1, 0), 1e-6f);
      assertEquals(-0.02f, w.get(1).getFloat(0), 1e-6f);
    }
  }

  private record GanRun(List<float[]> losses, List<FloatNdArray> weights, float[] scores) {}

  /**
   * A GAN-like step over two models with two optimizers (the discriminator's and the generator's losses, each a
   * mean over the rows), on 7 rows: over 2 replicas split 4 + 3, over 3 replicas 3 + 2 + 2.
   */
  private static GanRun gan(DataParallel distribution) {
    Backend.clearSession();
    Backend.setRandomSeed(5);
    Distributions.set(distribution);
    SplittableRandom r = new SplittableRandom(9);
    float[][] real = new float[7][1];
    float[][] z = new float[7][3];
    for (int i = 0; i < 7; i++) {
      real[i][0] = (float) (3 + r.nextDouble());
      for (int j = 0; j < 3; j++) {
        z[i][j] = (float) r.nextDouble(-1, 1);
      }
    }
    try (Sequential g = new Sequential(new InputLayer(3), new Dense(8, "tanh"), new Dense(1));
        Sequential d = new Sequential(new InputLayer(1), new Dense(8, "tanh"), new Dense(1))) {
      Adam dOpt = new Adam(0.01f);
      Adam gOpt = new Adam(0.01f);
      BinaryCrossentropy bce = new BinaryCrossentropy(true);
      Step step = Step.build(d, b -> {
        Ops tf = b.tf();
        Operand<TFloat32> onReal = d.call(b.input("real", 1), true);
        Operand<TFloat32> onFake = d.call(g.call(b.input("z", 3), true), true);
        Operand<TFloat32> dLoss = tf.math.add(bce.compute(tf, tf.onesLike(onReal), onReal, null),
            bce.compute(tf, tf.zerosLike(onFake), onFake, null));
        Operand<TFloat32> gLoss = bce.compute(tf, tf.onesLike(onFake), onFake, null);
        b.minimize(dLoss, dOpt, d.trainableVariables());
        b.minimize(gLoss, gOpt, g.trainableVariables());
        b.output("d_loss", dLoss);
        b.output("g_loss", gLoss);
        b.output("scores", onReal);
      });
      List<float[]> losses = new ArrayList<>();
      float[] scores = null;
      for (int i = 0; i < 4; i++) {
        StepResult out = step.run(Map.of("real", real, "z", z));
        losses.add(new float[] {out.getFloat("d_loss"), out.getFloat("g_loss")});
        scores = new float[7];
        for (int row = 0; row < 7; row++) {
          scores[row] = out.get("scores").getFloat(row, 0);
        }
      }
      List<FloatNdArray> weights = new ArrayList<>(d.getWeights());
      weights.addAll(g.getWeights());
      return new GanRun(losses, weights, scores);
    }
  }

  /**
   * Replicated and one-device runs differ only by the order of float32 additions (as DataParallelTest: 1e-5
   * relative on losses, 1e-5 absolute on weights), with uneven splits; both optimizers' updates start from the
   * same weights in either case (4 runs, so a generator gradient read after the discriminator's update would
   * show).
   */
  @Test
  void aTwoOptimizerStepMatchesOneDeviceWithUnevenSplits() {
    GanRun one = gan(null);
    for (DataParallel dp : List.of(
        DataParallel.builder().devices("/cpu:0", "/cpu:1").build(),
        DataParallel.builder().devices("/cpu:0", "/cpu:1", "/cpu:2").variableDevices("/cpu:2").build())) {
      GanRun replicated = gan(dp);
      for (int i = 0; i < one.losses().size(); i++) {
        for (int j = 0; j < 2; j++) {
          float expected = one.losses().get(i)[j];
          assertEquals(expected, replicated.losses().get(i)[j], 1e-5 * Math.max(1, Math.abs(expected)),
              dp.devices() + " run " + i + " loss " + j);
        }
      }
      for (int row = 0; row < 7; row++) {
        assertEquals(one.scores()[row], replicated.scores()[row], 1e-5, dp.devices() + " score of row " + row);
      }
      for (int i = 0; i < one.weights().size(); i++) {
        FloatNdArray a = one.weights().get(i);
        FloatNdArray b = replicated.weights().get(i);
        assertEquals(a.shape(), b.shape());
        a.scalars().forEachIndexed((index, v) -> assertEquals(v.getFloat(), b.getFloat(index), 1e-5,
            dp.devices() + " weight " + " " + java.util.Arrays.toString(index)));
      }
      // The run changed the weights: equality is not that of two untrained models.
      assertTrue(Math.abs(one.losses().get(0)[0] - one.losses().get(3)[0]) > 1e-3, "d_loss moved");
    }
  }

  private record PhasedRun(List<float[]> losses, List<FloatNdArray> weights) {}

  /**
   * DDPG's shape of step on 5 rows: phase 1 fits the critic c to targets through the actor a, phase 2
   * ({@code afterUpdates}) moves the actor to raise the updated critic's value, then a soft update of a target copy.
   */
  private static PhasedRun phased(DataParallel distribution) {
    Backend.clearSession();
    Backend.setRandomSeed(8);
    Distributions.set(distribution);
    float[][] x = {{0.1f, -0.4f}, {0.7f, 0.2f}, {-0.5f, 0.9f}, {0.3f, 0.3f}, {-0.8f, -0.1f}};
    float[][] t = {{0.5f}, {-0.2f}, {0.9f}, {0.1f}, {-0.6f}};
    try (Sequential a = new Sequential(new InputLayer(2), new Dense(3, "tanh"), new Dense(1));
        Sequential c = new Sequential(new InputLayer(1), new Dense(4, "tanh"), new Dense(1));
        Sequential target = new Sequential(new InputLayer(1), new Dense(4, "tanh"), new Dense(1))) {
      Adam cOpt = new Adam(0.05f);
      Adam aOpt = new Adam(0.05f);
      Step step = Step.build(c, b -> {
        Ops tf = b.tf();
        Operand<TFloat32> xs = b.input("x", 2);
        Operand<TFloat32> q = c.call(a.call(xs, true), true);
        Operand<TFloat32> criticLoss = tf.math.mean(tf.math.squaredDifference(q, b.input("t", 1)),
            tf.constant(new int[] {0, 1}));
        b.minimize(criticLoss, cOpt, c.trainableVariables());
        b.output("critic_loss", criticLoss);
        b.afterUpdates(() -> {
          Operand<TFloat32> actorLoss = tf.math.neg(tf.math.mean(c.call(a.call(xs, true), true),
              tf.constant(new int[] {0, 1})));
          b.minimize(actorLoss, aOpt, a.trainableVariables());
          b.output("actor_loss", actorLoss);
        });
        b.softUpdate(target, c, 0.5);
      });
      List<float[]> losses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        StepResult out = step.run(Map.of("x", x, "t", t));
        losses.add(new float[] {out.getFloat("critic_loss"), out.getFloat("actor_loss")});
      }
      List<FloatNdArray> weights = new ArrayList<>(a.getWeights());
      weights.addAll(c.getWeights());
      weights.addAll(target.getWeights());
      return new PhasedRun(losses, weights);
    }
  }

  /**
   * Phases under data parallelism (rows split 3 + 2): the actor's phase reads the critic every replica's gradient
   * updated, as on one device; tolerances as above. Without the phase barrier the actor loss of a run would be
   * computed from the critic before the update (StepTest shows such values differ).
   */
  @Test
  void phasesEndTogetherOnEveryReplica() {
    PhasedRun one = phased(null);
    PhasedRun replicated = phased(DataParallel.builder().devices("/cpu:0", "/cpu:1").build());
    for (int i = 0; i < one.losses().size(); i++) {
      for (int j = 0; j < 2; j++) {
        float expected = one.losses().get(i)[j];
        assertEquals(expected, replicated.losses().get(i)[j], 1e-5 * Math.max(1, Math.abs(expected)),
            "run " + i + " loss " + j);
      }
    }
    for (int i = 0; i < one.weights().size(); i++) {
      FloatNdArray a = one.weights().get(i);
      FloatNdArray b = replicated.weights().get(i);
      a.scalars().forEachIndexed((index, v) -> assertEquals(v.getFloat(), b.getFloat(index), 1e-5,
          "weight " + java.util.Arrays.toString(index)));
    }
  }

  @Test
  void whatReplicationCannotDoGetsClearErrors() {
    twoCpus();
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      AtomicInteger calls = new AtomicInteger();
      IllegalStateException differs = assertThrows(IllegalStateException.class, () -> Step.build(m, b -> {
        b.output("y", m.call(b.input(calls.getAndIncrement() == 0 ? "x" : "other", 2), true));
      }));
      assertEquals("Step: under data parallelism the body runs once per replica and must declare the same inputs "
          + "each time; replica 1 declared input 'other' of shape (None, 2), which replica 0 did not declare",
          differs.getMessage());

      Step step = Step.build(m, b -> {
        Operand<TFloat32> y = m.call(b.input("x", 2), true);
        b.output("y", m.call(b.input("x2", 2), true));
        b.output("loss", b.tf().math.mean(y, b.tf().constant(new int[] {0, 1})));
      });
      IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
          () -> step.run(Map.of("x", new float[3][2], "x2", new float[4][2])));
      assertEquals("Step inputs 'x' (3 rows) and 'x2' (4 rows) differ in rows: under data parallelism over 2 "
          + "replicas the batched inputs are split together and must have the same number of rows",
          rows.getMessage());
    }
  }
}
