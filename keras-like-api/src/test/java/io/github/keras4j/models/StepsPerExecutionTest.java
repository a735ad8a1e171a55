package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.distribution.DataParallel;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import io.github.keras4j.training.Callback;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * compile's stepsPerExecution: fit with N steps per Session.run must train exactly as fit with single steps (the
 * reference here is the same fit with stepsPerExecution 1, which other tests check against Keras), call the batch
 * callbacks once per execution as Keras 3's epoch iterator does, and make ceil(batches / N) training runs per
 * epoch.
 *
 * <p>Observed: the histories and final weights are bit-identical (the chained graph runs the same kernels on the
 * same shapes in the same order), so the comparisons are exact.
 */
class StepsPerExecutionTest {

  /** What one fit produced. */
  private record Run(Map<String, List<Double>> history, List<float[]> weights, List<String> batchCalls, long runs,
      long iterations) {}

  /** Records the batch-level callbacks as "begin 0", "end 3", ... */
  private static final class Recorder extends Callback {
    final List<String> calls = new ArrayList<>();

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
      calls.add("begin " + batch);
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
      calls.add("end " + batch);
    }
  }

  private static float[] target(float[][] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.sin(2 * x[i][0]) + x[i][1] * x[i][2];
    }
    return y;
  }

  private static List<float[]> values(List<FloatNdArray> weights) {
    List<float[]> out = new ArrayList<>();
    for (FloatNdArray w : weights) {
      float[] v = new float[(int) w.size()];
      w.copyTo(DataBuffers.of(v, false, false));
      out.add(v);
    }
    return out;
  }

  /** Builds a fresh model (after clearSession and a fixed seed), fits it and records everything. */
  private static Run fit(int perExecution, Supplier<Sequential> model, Supplier<Optimizer> optimizer, int samples,
      int batch, float[] sampleWeight, boolean shuffle) {
    Backend.clearSession();
    Backend.setRandomSeed(42);
    float[][] x = LayerChecks.randomMatrix(samples, 3, 7);
    float[] y = target(x);
    Recorder recorder = new Recorder();
    try (Sequential m = model.get()) {
      m.compile(new CompileOptions().optimizer(optimizer.get()).loss("mse").metrics("mae")
          .stepsPerExecution(perExecution));
      FitOptions options = new FitOptions().epochs(3).batchSize(batch).shuffle(shuffle).verbose(0)
          .callbacks(recorder);
      if (sampleWeight != null) {
        options.sampleWeight(sampleWeight);
      }
      History h = m.fit(x, y, options);
      return new Run(h.history(), values(m.getWeights()), recorder.calls, m.engine().trainRuns,
          m.getOptimizer().iterations());
    }
  }

  private static Sequential mlp() {
    return new Sequential(new InputLayer(3), Dense.builder(8).activation("tanh").kernelConstraint("max_norm").build(),
        new Dense(1));
  }

  private static Sequential batchNormModel() {
    return new Sequential(new InputLayer(3), new Dense(8, "relu"), new BatchNormalization(), new Dense(1));
  }

  private static void assertSameTraining(Run single, Run chained) {
    assertEquals(single.history(), chained.history(), "loss/metric history");
    assertEquals(single.weights().size(), chained.weights().size());
    for (int i = 0; i < single.weights().size(); i++) {
      assertArrayEquals(single.weights().get(i), chained.weights().get(i), "weight " + i);
    }
    assertEquals(single.iterations(), chained.iterations(), "optimizer iterations");
  }

  @Test
  void adamTrainsExactlyAsSingleStepsWithBatchesAMultipleOfN() {
    // 64 samples, batch 8: 8 batches, two executions of 4 per epoch.
    Run one = fit(1, StepsPerExecutionTest::mlp, () -> new Adam(0.02f), 64, 8, null, false);
    Run four = fit(4, StepsPerExecutionTest::mlp, () -> new Adam(0.02f), 64, 8, null, false);
    assertSameTraining(one, four);
    assertEquals(24, one.runs());
    assertEquals(6, four.runs()); // 3 epochs x ceil(8 / 4)
    assertEquals(24, four.iterations());
    assertEquals(List.of("begin 0", "end 3", "begin 4", "end 7"), four.batchCalls().subList(0, 4));
    assertEquals(12, four.batchCalls().size());
  }

  @Test
  void sgdMomentumWithAShortLastExecutionAndAPartialLastBatch() {
    // 75 samples, batch 8: 10 batches, the last of 3 rows: executions of 4, 4 and 2 batches per epoch.
    Supplier<Optimizer> sgd = () -> new SGD(0.05f, 0.9f);
    Run one = fit(1, StepsPerExecutionTest::mlp, sgd, 75, 8, null, false);
    Run four = fit(4, StepsPerExecutionTest::mlp, sgd, 75, 8, null, false);
    assertSameTraining(one, four);
    assertEquals(9, four.runs()); // 3 epochs x ceil(10 / 4)
    assertEquals(List.of("begin 0", "end 3", "begin 4", "end 7", "begin 8", "end 9"),
        four.batchCalls().subList(0, 6));
    assertEquals(60, one.batchCalls().size());
  }

  @Test
  void aSingleBatchLeftRunsAsTheSingleStep() {
    // 72 samples, batch 8: 9 batches, executions of 4, 4 and 1.
    Run one = fit(1, StepsPerExecutionTest::mlp, () -> new Adam(0.02f), 72, 8, null, false);
    Run four = fit(4, StepsPerExecutionTest::mlp, () -> new Adam(0.02f), 72, 8, null, false);
    assertSameTraining(one, four);
    assertEquals(9, four.runs());
    assertEquals(List.of("begin 0", "end 3", "begin 4", "end 7", "begin 8", "end 8"),
        four.batchCalls().subList(0, 6));
  }

  @Test
  void batchNormalizationStatisticsAdvancePerCopy() {
    // Dense -> BatchNormalization -> Dense with Adam: moving mean and variance are among the weights compared.
    Run one = fit(1, StepsPerExecutionTest::batchNormModel, () -> new Adam(0.01f), 75, 8, null, false);
    Run four = fit(4, StepsPerExecutionTest::batchNormModel, () -> new Adam(0.01f), 75, 8, null, false);
    assertSameTraining(one, four);
    assertEquals(8, one.weights().size()); // 2 + (gamma, beta, moving mean, moving variance) + 2
  }

  @Test
  void sampleWeightsAndShuffling() {
    float[] w = new float[75];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextDouble() * 2;
    }
    Supplier<Optimizer> sgd = () -> new SGD(0.05f, 0.9f, true);
    assertSameTraining(fit(1, StepsPerExecutionTest::mlp, sgd, 75, 8, w, false),
        fit(4, StepsPerExecutionTest::mlp, sgd, 75, 8, w, false));
    // Shuffled: the same seeded order, batches taken three at a time (10 batches: 3, 3, 3, 1).
    assertSameTraining(fit(1, StepsPerExecutionTest::mlp, sgd, 75, 8, w, true),
        fit(3, StepsPerExecutionTest::mlp, sgd, 75, 8, w, true));
  }

  /** The (seed, seed2) pairs of the graph's RandomUniform ops. */
  private static java.util.Set<List<Long>> randomSeeds(Sequential m) {
    java.util.Set<List<Long>> seeds = new java.util.HashSet<>();
    for (var it = m.runtime().graph().operations(); it.hasNext(); ) {
      org.tensorflow.GraphOperation op = it.next();
      if (op.type().equals("RandomUniform")) {
        seeds.add(List.of(op.attributes().getAttrInt("seed"), op.attributes().getAttrInt("seed2")));
      }
    }
    return seeds;
  }

  @Test
  void dropoutDrawsItsOwnMaskInEveryCopy() {
    // One Dropout layer with one seed, traced 4 times in the chained step: each copy must be its own random
    // stream (different seed2), or the 4 steps of an execution would share one mask. The single step keeps the
    // layer's usual seeds.
    Backend.clearSession();
    Backend.setRandomSeed(42);
    float[][] x = LayerChecks.randomMatrix(64, 3, 7);
    float[] y = target(x);
    java.util.Set<List<Long>> single;
    try (Sequential m = new Sequential(new InputLayer(3), new Dense(8, "relu"),
        new io.github.keras4j.layers.regularization.Dropout(0.5, 11L, "drop"), new Dense(1))) {
      m.compile(new CompileOptions().optimizer(new Adam(0.01f)).loss("mse").stepsPerExecution(1));
      m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(0).shuffle(false));
      single = randomSeeds(m);
    }
    assertEquals(Set.of(List.of(11L, 0L)), single, "Dropout(seed=11) alone: seed 11, seed2 0");
    Backend.clearSession();
    try (Sequential m = new Sequential(new InputLayer(3), new Dense(8, "relu"),
        new io.github.keras4j.layers.regularization.Dropout(0.5, 11L, "drop"), new Dense(1))) {
      m.compile(new CompileOptions().optimizer(new Adam(0.01f)).loss("mse").stepsPerExecution(4));
      History h = m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(0).shuffle(false));
      java.util.Set<List<Long>> chained = randomSeeds(m);
      assertEquals(4, chained.size(), "one stream per copy: " + chained);
      assertTrue(chained.containsAll(single), "copy 0 draws as the single step");
      assertTrue(h.get("loss").stream().allMatch(v -> Double.isFinite(v)));
    }
  }

  @Test
  void aScheduleSeesEveryCopysStep() {
    // The learning rate decays fast with the step counter: each copy must read its own count.
    Supplier<Optimizer> adam = () -> new Adam(new ExponentialDecay(0.05, 2, 0.5));
    Run one = fit(1, StepsPerExecutionTest::mlp, adam, 64, 8, null, false);
    Run eight = fit(8, StepsPerExecutionTest::mlp, adam, 64, 8, null, false);
    assertSameTraining(one, eight);
    assertEquals(3, eight.runs());
  }

  @Test
  void datasetsAndStepsPerEpochAreGroupedToo() {
    float[][] x = LayerChecks.randomMatrix(40, 3, 9);
    float[] y = target(x);
    List<List<Double>> losses = new ArrayList<>();
    List<List<float[]>> weights = new ArrayList<>();
    long[] runs = new long[2];
    int[] perExecution = {1, 4};
    for (int i = 0; i < 2; i++) {
      Backend.clearSession();
      Backend.setRandomSeed(5);
      try (Sequential m = mlp()) {
        m.compile(new CompileOptions().optimizer(new Adam(0.02f)).loss("mse").stepsPerExecution(perExecution[i]));
        // 40 samples in batches of 6: 7 batches per pass (the last of 4); 3 steps per epoch continue the passes.
        History h = m.fit(Dataset.fromArrays(x, y).batch(6), new FitOptions().epochs(4).stepsPerEpoch(3).verbose(0));
        losses.add(h.get("loss"));
        weights.add(values(m.getWeights()));
        runs[i] = m.engine().trainRuns;
      }
    }
    assertEquals(losses.get(0), losses.get(1));
    for (int i = 0; i < weights.get(0).size(); i++) {
      assertArrayEquals(weights.get(0).get(i), weights.get(1).get(i), "weight " + i);
    }
    assertEquals(12, runs[0]);
    assertEquals(4, runs[1]);
  }

  @Test
  void badValuesAreRefused() {
    for (int bad : new int[] {0, -3}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new CompileOptions().stepsPerExecution(bad));
      assertTrue(e.getMessage().contains("stepsPerExecution=" + bad), e.getMessage());
      assertTrue(e.getMessage().contains(">= 1"), e.getMessage());
    }
  }

  @Test
  void aDistributionIsRefused() {
    Backend.clearSession();
    DataParallel dp = DataParallel.builder().devices("/cpu:0", "/cpu:1").localCpuDevices(2).build();
    try (Sequential m = mlp()) {
      m.compile(new CompileOptions().optimizer("adam").loss("mse").distribution(dp).stepsPerExecution(2));
      float[][] x = LayerChecks.randomMatrix(16, 3, 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.fit(x, target(x), new FitOptions().epochs(1).verbose(0)));
      assertTrue(e.getMessage().contains("stepsPerExecution=2") && e.getMessage().contains("distribution"),
          e.getMessage());
    }
  }
}
