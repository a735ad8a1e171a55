package io.github.keras4j.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.metrics.AUC;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * DataParallel over local CPU devices against the same model on one device. The single-device run is the
 * reference: same seed, so the same initial weights, same batches (no shuffling). The replicated step computes the
 * same sums in another order (per-replica means weighted by their share, gradients added on the variable device),
 * so float results differ by rounding only; Adam over a few epochs keeps that well under the 1e-5 relative
 * tolerance used here.
 */
class DataParallelTest {

  static final double TOL = 1e-5;

  @AfterEach
  void reset() {
    Distributions.set(null);
    Backend.clearSession();
  }

  static float[][] xs(int n, long seed) {
    return LayerChecks.randomMatrix(n, 4, seed);
  }

  static float[] classes(float[][] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] + x[i][1] > 0.3 ? 2 : x[i][2] > 0 ? 1 : 0;
    }
    return y;
  }

  static float[] sampleWeights(int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.25f + (i % 4) * 0.5f;
    }
    return w;
  }

  static Sequential model() {
    return new Sequential(new InputLayer(4), new Dense(8, "tanh"), new Dense(3, "softmax"));
  }

  record Run(History history, List<FloatNdArray> weights, FloatNdArray predictions) {}

  /** Fits a fresh seeded model with the given distribution (null: one device), weights and batch size. */
  static Run fit(Distribution d, int n, int batch, int epochs) {
    Backend.clearSession();
    Backend.setRandomSeed(42);
    float[][] x = xs(n, 3);
    try (Sequential m = model()) {
      m.compile(new CompileOptions().optimizer(new Adam(0.05f)).loss("sparse_categorical_crossentropy")
          .metrics("accuracy").distribution(d));
      History h = m.fit(x, classes(x), new FitOptions().epochs(epochs).batchSize(batch).shuffle(false).verbose(0)
          .sampleWeight(sampleWeights(n)));
      return new Run(h, m.getWeights(), m.predict(xs(7, 9), 3));
    }
  }

  static void assertClose(List<Double> expected, List<Double> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.get(i);
      double a = actual.get(i);
      assertTrue(Math.abs(e - a) <= TOL * Math.max(1, Math.abs(e)),
          what + " at epoch " + i + ": expected " + e + " but was " + a);
    }
  }

  static double maxDiff(List<FloatNdArray> a, List<FloatNdArray> b) {
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      float[] x = flat(a.get(i));
      float[] y = flat(b.get(i));
      assertEquals(x.length, y.length);
      for (int k = 0; k < x.length; k++) {
        max = Math.max(max, Math.abs(x[k] - y[k]));
      }
    }
    return max;
  }

  static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(org.tensorflow.ndarray.NdArrays.wrap(a.shape(), org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false)));
    return out;
  }

  static void compare(Run single, Run parallel) {
    assertClose(single.history().get("loss"), parallel.history().get("loss"), "loss");
    assertClose(single.history().get("accuracy"), parallel.history().get("accuracy"), "accuracy");
    double w = maxDiff(single.weights(), parallel.weights());
    assertTrue(w < 1e-5, "final weights differ by " + w);
    double p = maxDiff(List.of(single.predictions()), List.of(parallel.predictions()));
    assertTrue(p < 1e-5, "predictions differ by " + p);
    System.out.printf("loss %s vs %s; max weight diff %.3g, max prediction diff %.3g%n",
        single.history().get("loss"), parallel.history().get("loss"), w, p);
  }

  @Test
  void twoCpuDevicesMatchOneDeviceWithAPartialLastBatch() {
    // 23 samples in batches of 8: 8, 8, 7 (the last split 4 + 3 over two replicas).
    Run single = fit(null, 23, 8, 5);
    Run parallel = fit(new DataParallel("/cpu:0", "/cpu:1"), 23, 8, 5);
    compare(single, parallel);
  }

  /** A binary model's precision and AUC, fitted on one device or two: count metrics add up across replicas. */
  static History fitBinary(Distribution d) {
    Backend.clearSession();
    Backend.setRandomSeed(42);
    float[][] x = xs(23, 5);
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] - x[i][3] > 0 ? 1 : 0;
    }
    try (Sequential m = new Sequential(new InputLayer(4), new Dense(4, "tanh"), new Dense(1, "sigmoid"))) {
      m.compile(new CompileOptions().optimizer(new Adam(0.05f)).loss("binary_crossentropy")
          .metrics("precision", new AUC()).distribution(d));
      return m.fit(x, y, new FitOptions().epochs(3).batchSize(8).shuffle(false).verbose(0)
          .sampleWeight(sampleWeights(x.length)));
    }
  }

  @Test
  void countMetricsAddUpAcrossReplicas() {
    History single = fitBinary(null);
    History parallel = fitBinary(new DataParallel("/cpu:0", "/cpu:1"));
    assertClose(single.get("precision"), parallel.get("precision"), "precision");
    assertClose(single.get("auc"), parallel.get("auc"), "auc");
    assertTrue(single.get("auc").get(2) > 0.5, "the model learns something: auc " + single.get("auc"));
  }

  @Test
  void threeReplicasWithABatchSmallerThanTheReplicas() {
    // 10 samples in batches of 4: 4, 4, 2; the last leaves replica 2 without rows. Batch 1 below: always.
    DataParallel dp = DataParallel.builder().devices("cpu:0", "cpu:1", "cpu:2").build();
    compare(fit(null, 10, 4, 4), fit(dp, 10, 4, 4));
    compare(fit(null, 5, 1, 2), fit(dp, 5, 1, 2));
  }

  @Test
  void replicaOpsRunOnEachDeviceAndVariablesOnTheVariableDevice() {
    Distributions.set(DataParallel.builder().devices("/cpu:0", "/cpu:1").variableDevices("/cpu:1").build());
    Backend.setRandomSeed(1);
    float[][] x = xs(6, 1);
    try (Sequential m = model()) {
      m.compile(new Adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
      m.fit(x, classes(x), new FitOptions().epochs(1).batchSize(6).verbose(0));
      GraphRuntime rt = m.runtime();
      for (GraphVariable v : rt.variables()) {
        assertEquals("/device:CPU:1", ((GraphOperation) v.variable().op()).device(), v.name());
      }
      List<String> matMulDevices = new ArrayList<>();
      List<String> gradientDevices = new ArrayList<>();
      Iterator<GraphOperation> it = rt.graph().operations();
      while (it.hasNext()) {
        GraphOperation op = it.next();
        if (op.type().equals("MatMul")) {
          (op.name().startsWith("gradients") ? gradientDevices : matMulDevices).add(op.device());
        }
      }
      // Forward: 2 Dense layers x 2 replicas; backward: 2 MatMuls per Dense per replica.
      assertEquals(List.of("/device:CPU:0", "/device:CPU:0", "/device:CPU:1", "/device:CPU:1"),
          matMulDevices.stream().sorted().toList());
      assertEquals(4, gradientDevices.stream().filter("/device:CPU:0"::equals).count());
      assertEquals(4, gradientDevices.stream().filter("/device:CPU:1"::equals).count());
    }
  }

  @Test
  void eachReplicaDrawsItsOwnDropoutMask() {
    // One Dropout(seed=11) traced once per replica: each replica is its own random stream (seed2 differs), so the
    // two halves of a batch do not get the same mask pattern; replica 0 draws as a single-device model would
    // (seed 11, seed2 0).
    Distributions.set(new DataParallel("/cpu:0", "/cpu:1"));
    Backend.setRandomSeed(1);
    float[][] x = xs(6, 1);
    try (Sequential m = new Sequential(new InputLayer(4), new Dense(8, "relu"),
        new io.github.keras4j.layers.regularization.Dropout(0.5, 11L, "drop"), new Dense(3, "softmax"))) {
      m.compile(new Adam(0.01f), "sparse_categorical_crossentropy");
      m.fit(x, classes(x), new FitOptions().epochs(1).batchSize(6).verbose(0));
      java.util.Set<List<Long>> seeds = new java.util.HashSet<>();
      Iterator<GraphOperation> it = m.runtime().graph().operations();
      while (it.hasNext()) {
        GraphOperation op = it.next();
        if (op.type().equals("RandomUniform")) {
          seeds.add(List.of(op.attributes().getAttrInt("seed"), op.attributes().getAttrInt("seed2")));
        }
      }
      assertEquals(2, seeds.size(), seeds.toString());
      assertTrue(seeds.contains(List.of(11L, 0L)), seeds.toString());
    }
  }

  @Test
  void roundRobinOverTwoVariableDevicesKeepsSlotsWithTheirVariables() {
    DataParallel dp = DataParallel.builder().devices("/cpu:0", "/cpu:1").variableDevices("/cpu:0", "/cpu:1")
        .build();
    Run single = fit(null, 12, 5, 3);
    Run parallel = fit(dp, 12, 5, 3);
    compare(single, parallel);
  }

  @Test
  void compileOptionWinsOverTheProcessDefault() {
    Distributions.set(new DataParallel("/cpu:0", "/cpu:1"));
    try (Sequential m = model()) {
      assertEquals(2, m.distribution().devices().size());
      DataParallel three = new DataParallel("/cpu:0", "/cpu:1", "/cpu:2");
      m.compile(new CompileOptions().optimizer("adam").loss("mse").distribution(three));
      assertEquals(three, m.distribution());
    }
  }

  @Test
  void aMissingDeviceIsNamedWithTheAvailableOnes() {
    DataParallel dp = DataParallel.builder().devices("/cpu:0", "/cpu:7").localCpuDevices(2).build();
    try (Sequential m = model()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.compile(new CompileOptions().optimizer("adam").loss("mse").distribution(dp)));
      assertTrue(e.getMessage().contains("/cpu:7") || e.getMessage().contains("CPU:7"), e.getMessage());
      assertTrue(e.getMessage().contains("device:CPU:1"), e.getMessage());
    }
  }

  @Test
  void aDistributionAfterTheWeightsWereUsedIsRefused() {
    try (Sequential m = model()) {
      m.getWeights(); // opens the one-device session
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> m.compile(new CompileOptions().optimizer("adam").loss("mse")
              .distribution(new DataParallel("/cpu:0", "/cpu:1"))));
      assertTrue(e.getMessage().contains("Distributions.set"), e.getMessage());
    }
  }

  @Test
  void variablesPlacedByAnotherDistributionAreRefused() {
    Distributions.set(DataParallel.builder().devices("/cpu:0", "/cpu:1").variableDevices("/cpu:1").build());
    try (Sequential m = model()) {
      m.compile("adam", "mse");
      Distributions.set(null);
      // A fresh model sharing the graph is fine; re-placing this model's variables elsewhere is not.
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> m.compile(new CompileOptions().optimizer("adam").loss("mse")
              .distribution(new DataParallel("/cpu:0", "/cpu:1"))));
      assertTrue(e.getMessage().contains("Distributions.set"), e.getMessage());
    }
  }

  @Test
  void listDevicesAndDeviceNames() {
    assertEquals(List.of("cpu:0"), Distributions.listDevices("cpu"));
    assertEquals(List.of("cpu:0", "cpu:1", "cpu:2"), Distributions.listDevices("cpu", 3));
    assertEquals(List.of(), Distributions.listDevices("tpu"));
    DataParallel dp = new DataParallel("cpu:0", "/cpu:1");
    assertEquals(List.of("/device:CPU:0", "/device:CPU:1"), dp.devices());
    assertEquals(List.of("/device:CPU:0"), dp.variableDevices());
    assertEquals(2, dp.localCpuDevices());
    DataParallel cluster = DataParallel.builder().devices("/job:worker/task:0", "/job:worker/task:1")
        .target("grpc://127.0.0.1:1").build();
    assertEquals(List.of("/job:ps/task:0"), cluster.variableDevices());
    assertThrows(IllegalArgumentException.class, () -> new DataParallel());
    assertThrows(IllegalArgumentException.class, () -> new DataParallel("/cpu:0", "cpu:0"));
    assertThrows(IllegalArgumentException.class, () -> DataParallel.builder().target("127.0.0.1:1"));
  }
}
