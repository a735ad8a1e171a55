package io.github.keras4j.callbacks;

import static io.github.keras4j.callbacks.Fixtures.logs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.LossScaleOptimizer;
import io.github.keras4j.optimizers.MultiOptimizer;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.OptimizerMap;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The learning-rate callbacks and SwapEMAWeights with wrapper optimizers, as Keras's
 * ({@code keras/src/callbacks/tensorboard.py}, {@code learning_rate_scheduler.py}, {@code reduce_lr_on_plateau.py},
 * {@code swap_ema_weights.py}): a MultiOptimizer's inner optimizers are handled one by one
 * ({@code learning_rate_<name>}), a LossScaleOptimizer is seen through to its inner optimizer.
 */
class WrappedOptimizerCallbacksTest {

  @TempDir
  Path dir;

  @BeforeEach
  void reset() {
    Backend.clearSession();
    Backend.setRandomSeed(42);
  }

  /** Fixtures' tiny model (one Dense unit) with SGD(0.1) for its kernel and {@code biasOptimizer} for its bias. */
  private static Sequential withMulti(Optimizer kernelOptimizer, Optimizer biasOptimizer, boolean lossScale) {
    Sequential m = Fixtures.tinyModel();
    OptimizerMap map = new OptimizerMap(kernelOptimizer);
    map.put(m.layers().get(0).name() + "/bias", biasOptimizer);
    MultiOptimizer multi = new MultiOptimizer(map);
    m.compile(lossScale ? new LossScaleOptimizer(multi) : multi, "mse");
    return m;
  }

  @Test
  void schedulerSetsAndLogsEachInnerOptimizersRate() {
    for (boolean lossScale : new boolean[] {false, true}) {
      SGD sgd = new SGD(0.1f);
      Adam adam = new Adam(0.01f);
      try (Sequential m = withMulti(sgd, adam, lossScale)) {
        LearningRateScheduler cb = new LearningRateScheduler((epoch, lr) -> lr / 2, 1);
        cb.setModel(m);
        // Keras's message names each inner optimizer; the schedule halves each one's own rate.
        assertEquals("\nEpoch 1: LearningRateScheduler setting " + adam.name() + " learning rate to "
            + PythonFormat.repr((double) 0.01f / 2) + ".\n\nEpoch 1: LearningRateScheduler setting " + sgd.name()
            + " learning rate to " + PythonFormat.repr((double) 0.1f / 2) + ".\n",
            Fixtures.stdout(() -> cb.onEpochBegin(0, logs())));
        assertEquals(0.05f, sgd.getLearningRate());
        assertEquals(0.005f, adam.getLearningRate());
        Map<String, Double> l = logs("loss", 1.0);
        cb.onEpochEnd(0, l);
        assertEquals(Map.of("loss", 1.0, "learning_rate_" + sgd.name(), (double) 0.05f, "learning_rate_"
            + adam.name(), (double) 0.005f), l, "lossScale=" + lossScale);
      }
    }
  }

  @Test
  void schedulerThroughALossScaleOptimizerIsTheInnerOnes() {
    SGD sgd = new SGD(0.1f);
    try (Sequential m = Fixtures.tinyModel()) {
      m.compile(new LossScaleOptimizer(sgd), "mse");
      LearningRateScheduler cb = new LearningRateScheduler((epoch, lr) -> 0.25);
      cb.setModel(m);
      cb.onEpochBegin(0, logs());
      assertEquals(0.25f, sgd.getLearningRate());
      Map<String, Double> l = logs();
      cb.onEpochEnd(0, l);
      assertEquals(Map.of("learning_rate", 0.25), l);
    }
  }

  @Test
  void reduceLrOnPlateauReducesEveryInnerOptimizer() {
    SGD sgd = new SGD(0.1f);
    Adam adam = new Adam(0.01f);
    try (Sequential m = withMulti(sgd, adam, false)) {
      // min_delta 100: no epoch after the first improves; patience 1 reduces after the second.
      ReduceLROnPlateau cb = ReduceLROnPlateau.builder().monitor("loss").patience(1).factor(0.5).minDelta(100)
          .verbose(1).build();
      cb.setModel(m);
      cb.onTrainBegin(logs());
      Map<String, Double> first = logs("loss", 0.5);
      cb.onEpochEnd(0, first);
      assertEquals(Set.of("loss", "learning_rate_" + sgd.name(), "learning_rate_" + adam.name()), first.keySet());
      String printed = Fixtures.stdout(() -> cb.onEpochEnd(1, logs("loss", 0.4)));
      assertEquals("\nEpoch 2: ReduceLROnPlateau reducing " + adam.name() + " learning rate to "
          + PythonFormat.repr((double) 0.01f * 0.5) + ".\n\nEpoch 2: ReduceLROnPlateau reducing " + sgd.name()
          + " learning rate to " + PythonFormat.repr((double) 0.1f * 0.5) + ".\n", printed);
      assertEquals((float) (0.1f * 0.5), sgd.getLearningRate());
      assertEquals((float) (0.01f * 0.5), adam.getLearningRate());
    }
  }

  @Test
  void tensorBoardLogsEachInnerOptimizersRate() throws IOException {
    float[][] x = TensorBoardTest.x(16, 1, 0);
    SGD sgd = new SGD(0.1f);
    Adam adam = new Adam(0.01f);
    try (Sequential m = withMulti(sgd, adam, true)) {
      m.fit(x, y(x), new FitOptions().epochs(2).batchSize(8).verbose(0)
          .callbacks(new TensorBoard(dir.toString())));
    }
    Map<String, TreeMap<Long, Float>> ts = EventLogs.scalars(EventLogs.events(dir.resolve("train")));
    assertEquals(Set.of("epoch_loss", "epoch_learning_rate_" + sgd.name(), "epoch_learning_rate_" + adam.name()),
        ts.keySet());
    assertEquals(Map.of(0L, 0.1f, 1L, 0.1f), ts.get("epoch_learning_rate_" + sgd.name()));
    assertEquals(Map.of(0L, 0.01f, 1L, 0.01f), ts.get("epoch_learning_rate_" + adam.name()));
  }

  /** {@code y = 2x - 1} for one feature. */
  private static float[] y(float[][] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 2 * x[i][0] - 1;
    }
    return y;
  }

  private static float value(Sequential m, GraphVariable v) {
    FloatNdArray a = m.runtime().read(List.of(v)).get(0);
    return a.rank() == 2 ? a.getFloat(0, 0) : a.getFloat(0);
  }

  @Test
  void swapEmaWeightsUsesTheInnerOptimizersWithEma() {
    float[][] x = {{1f}, {2f}};
    float[] y = {0f, 1f};
    // Through a LossScaleOptimizer: its inner SGD's averages.
    SGD alone = new SGD(0.1f);
    alone.useEma(true).emaMomentum(0.5f);
    try (Sequential m = Fixtures.tinyModel()) {
      m.compile(new LossScaleOptimizer(alone), "mse");
      m.trainOnBatch(x, y);
      m.trainOnBatch(x, y);
      checkSwap(m, alone, null);
    }
    // A MultiOptimizer: only the kernel's SGD has an EMA; the bias (Adam, no EMA) stays.
    SGD sgd = new SGD(0.1f);
    sgd.useEma(true).emaMomentum(0.5f);
    try (Sequential m = withMulti(sgd, new Adam(0.01f), false)) {
      m.trainOnBatch(x, y);
      m.trainOnBatch(x, y);
      checkSwap(m, sgd, m.trainableVariables().get(1));
    }
    // A MultiOptimizer without any EMA: Keras's error.
    try (Sequential m = withMulti(new SGD(0.1f), new Adam(0.01f), false)) {
      SwapEMAWeights cb = new SwapEMAWeights();
      cb.setModel(m);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cb.onTestBegin(Map.of()));
      assertEquals("SwapEMAWeights must be used when at least one inner optimizer has `useEma(true)` set. Received a "
          + "MultiOptimizer with all inner optimizers having `useEma(false)`.", e.getMessage());
    }
  }

  /** Swaps around a test: the kernel and its average trade values and come back; {@code untouched} does not move. */
  private static void checkSwap(Sequential m, Optimizer withEma, GraphVariable untouched) {
    GraphVariable kernel = m.trainableVariables().get(0);
    GraphVariable average = withEma.movingAverages().get(kernel);
    float k = value(m, kernel);
    float a = value(m, average);
    assertFalse(k == a, "a kernel distinct from its average");
    float other = untouched == null ? 0 : value(m, untouched);
    SwapEMAWeights cb = new SwapEMAWeights();
    cb.setModel(m);
    cb.onTestBegin(Map.of());
    assertTrue(cb.emaWeightsInModel());
    assertEquals(a, value(m, kernel));
    assertEquals(k, value(m, average));
    if (untouched != null) {
      assertEquals(other, value(m, untouched));
    }
    cb.onTestEnd(Map.of());
    assertEquals(k, value(m, kernel));
    assertEquals(a, value(m, average));
  }

  @Test
  void fitWithAMultiOptimizerRecordsEachRateInTheHistory() {
    float[][] x = TensorBoardTest.x(16, 1, 1);
    SGD sgd = new SGD(0.1f);
    Adam adam = new Adam(0.01f);
    try (Sequential m = withMulti(sgd, adam, false)) {
      History h = m.fit(x, y(x), new FitOptions().epochs(3).batchSize(8).verbose(0)
          .callbacks(new LearningRateScheduler((epoch, lr) -> epoch == 0 ? lr : lr / 10)));
      assertEquals(List.of((double) 0.1f, (double) (float) (0.1f / 10.0), (double) (float) ((float) (0.1f / 10.0)
          / 10.0)), h.get("learning_rate_" + sgd.name()));
      assertEquals(3, h.get("learning_rate_" + adam.name()).size());
    }
  }
}
