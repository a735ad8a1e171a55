package io.github.keras4j.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.distributed.ClusterFailure;
import io.github.keras4j.graph.distributed.ClusterSessions;
import io.github.keras4j.graph.distributed.ClusterSpec;
import io.github.keras4j.graph.distributed.LocalCluster;
import io.github.keras4j.graph.distributed.RemoteSession;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Acceptance test of issue 11: a Keras model trained with {@link DataParallel#fromCluster} on a cluster of child
 * JVMs on loopback (worker[2] + ps[1], {@link LocalCluster}), the client being this JVM, against the same model on
 * one device in this JVM.
 *
 * <p>Tolerance: 1e-5 relative on the loss and accuracy history and 1e-5 absolute on the final weights and
 * predictions (DataParallelTest's). Both runs start from the same weights (same seed), see the same global batches
 * (no shuffling) and compute the same sums; the distributed step splits each batch of 8 into 4 + 4 rows, takes
 * each replica's weighted mean on its worker and adds the two gradients on the parameter server, so float32
 * results differ only by the order of additions (a few ulps per step); Adam over 4 epochs x 3 steps keeps the
 * drift below 1e-6 (the figures are printed). A worker stopped with SIGSTOP ends fit after the operation
 * timeout with a ClusterFailure naming it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataParallelLocalClusterTest {

  private static LocalCluster local;

  @BeforeAll
  static void start() {
    local = LocalCluster.start(2, 1);
    System.out.println("cluster " + local.cluster());
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  @AfterEach
  void reset() {
    Distributions.set(null);
    Backend.clearSession();
  }

  @Test
  void fromClusterLaysOutReplicasVariablesAndTarget() {
    ClusterSpec cluster = local.cluster();
    DataParallel dp = DataParallel.fromCluster(cluster);
    assertEquals(List.of("/job:worker/task:0", "/job:worker/task:1"), dp.devices());
    assertEquals(List.of("/job:ps/task:0"), dp.variableDevices());
    assertEquals(cluster.target("worker", 0), dp.target());
    assertEquals(cluster, dp.cluster());
    assertNull(dp.operationTimeout(), "default: ClusterSessions.DEFAULT_OPERATION_TIMEOUT applies");
    assertEquals(Duration.ofSeconds(7), DataParallel.builder().cluster(cluster).operationTimeout(Duration.ofSeconds(7))
        .build().placement().operationTimeout());
    // A chief is the client; without ps the variables go to the chief.
    ClusterSpec withChief = ClusterSpec.parse("chief=127.0.0.1:1001;worker=127.0.0.1:1002,127.0.0.1:1003");
    DataParallel chief = DataParallel.fromCluster(withChief);
    assertEquals("grpc://127.0.0.1:1001", chief.target());
    assertEquals(List.of("/job:chief/task:0"), chief.variableDevices());
    assertEquals(List.of("/job:worker/task:0", "/job:worker/task:1"), chief.devices());
    TfConfig config = TfConfig.parse("{\"cluster\": {\"worker\": [\"127.0.0.1:1002\"], \"ps\": [\"127.0.0.1:1004\", "
        + "\"127.0.0.1:1005\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}");
    DataParallel fromEnv = DataParallel.fromTfConfig(config);
    assertEquals(List.of("/job:ps/task:0", "/job:ps/task:1"), fromEnv.variableDevices());
    assertEquals("grpc://127.0.0.1:1002", fromEnv.target());
    assertThrows(IllegalArgumentException.class, () -> DataParallel.fromCluster(ClusterSpec.parse("ps=127.0.0.1:1")));
  }

  @Test
  void twoWorkersAndAParameterServerTrainAsOneDevice() {
    DataParallelTest.Run single = DataParallelTest.fit(null, 23, 8, 4);

    DataParallel dp = DataParallel.builder().cluster(local.cluster()).operationTimeout(Duration.ofSeconds(30))
        .build();
    long t0 = System.nanoTime();
    DataParallelTest.Run parallel = DataParallelTest.fit(dp, 23, 8, 4);
    System.out.printf("distributed fit+predict: %.2f s%n", (System.nanoTime() - t0) / 1e9);
    DataParallelTest.compare(single, parallel);
    List<Double> loss = parallel.history().get("loss");
    assertTrue(loss.get(loss.size() - 1) < loss.get(0), "the loss fell: " + loss);
  }

  @Test
  void everyWorkerSeesTheWeightsOfTheClient() {
    Backend.clearSession();
    Backend.setRandomSeed(42);
    Distributions.set(DataParallel.fromCluster(local.cluster()));
    float[][] x = DataParallelTest.xs(23, 3);
    try (Sequential m = DataParallelTest.model()) {
      m.compile(new CompileOptions().optimizer(new Adam(0.05f)).loss("sparse_categorical_crossentropy")
          .metrics("accuracy"));
      m.fit(x, DataParallelTest.classes(x), new FitOptions().epochs(2).batchSize(8).shuffle(false).verbose(0));
      GraphRuntime rt = m.runtime();
      for (GraphVariable v : rt.variables()) {
        assertEquals("/job:ps/task:0", ((org.tensorflow.GraphOperation) v.variable().op()).device(), v.name());
      }
      List<FloatNdArray> client = m.getWeights();
      List<GraphVariable> weights = m.variables();
      float[][][] seen = new float[2][][];
      for (int w = 0; w < 2; w++) {
        seen[w] = readThroughWorker(local.cluster(), w, weights);
        for (int i = 0; i < weights.size(); i++) {
          assertArrayEquals(DataParallelTest.flat(client.get(i)), seen[w][i], "worker " + w + ", "
              + weights.get(i).name());
        }
      }
      for (int i = 0; i < weights.size(); i++) {
        assertArrayEquals(seen[0][i], seen[1][i], weights.get(i).name());
      }
    }
  }

  @Test
  void aMissingWorkerIsNamedWhenTheSessionOpens() {
    // A cluster spec whose worker 1 port has no server: compile (which opens the session) fails at once, naming it,
    // instead of waiting for the task until the operation timeout.
    ClusterSpec real = local.cluster();
    String dead = "127.0.0.1:" + freePort();
    ClusterSpec cluster = ClusterSpec.builder().job("worker", real.address("worker", 0), dead)
        .job("ps", real.address("ps", 0)).build();
    Backend.clearSession();
    Distributions.set(DataParallel.fromCluster(cluster));
    try (Sequential m = DataParallelTest.model()) {
      long t0 = System.nanoTime();
      ClusterFailure e = assertThrows(ClusterFailure.class, () -> m.compile(new CompileOptions()
          .optimizer(new Adam(0.05f)).loss("sparse_categorical_crossentropy")));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("missing worker reported in %.2f s: %s%n", seconds, e.getMessage());
      assertTrue(e.getMessage().contains("/job:worker/task:1") && e.getMessage().contains(dead), e.getMessage());
      assertEquals(List.of("/job:worker/task:1"), e.tasks());
      assertTrue(seconds < 10, "took " + seconds + " s");
    }
  }

  @Test
  void diagnoseNamesTasksOnlyForClusterErrors() {
    RuntimeException plain = new IllegalArgumentException("shape mismatch");
    RuntimeException transport = new IllegalStateException("UNAVAILABLE: From /job:worker/replica:0/task:1: "
        + "Socket closed");
    try (GraphRuntime rt = new GraphRuntime()) {
      // No placement: nothing is diagnosed.
      assertEquals(transport, rt.diagnose(transport));
      rt.place(DataParallel.fromCluster(local.cluster()).placement());
      assertEquals(plain, rt.diagnose(plain));
      ClusterFailure f = assertInstanceOf(ClusterFailure.class, rt.diagnose(transport));
      // Every task answers, so the task TensorFlow's message names is the one at fault.
      assertEquals(List.of("/job:worker/task:1"), f.tasks());
      assertTrue(f.getMessage().contains(local.cluster().address("worker", 1)), f.getMessage());
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aStoppedWorkerEndsFitAfterTheOperationTimeout() throws Exception {
    // SIGSTOP (a hung machine): without an operation timeout the step would wait forever. Runs last: the cluster's
    // sessions are left in an unknown state (the worker is resumed afterwards all the same).
    Duration timeout = Duration.ofSeconds(3);
    Backend.clearSession();
    Backend.setRandomSeed(42);
    Distributions.set(DataParallel.builder().cluster(local.cluster()).operationTimeout(timeout).build());
    float[][] x = DataParallelTest.xs(64, 3);
    long pid = local.process("worker", 1).pid();
    long[] stoppedAt = {0};
    try (Sequential m = DataParallelTest.model()) {
      m.compile(new CompileOptions().optimizer(new Adam(0.05f)).loss("sparse_categorical_crossentropy"));
      io.github.keras4j.training.Callback stopper = new io.github.keras4j.training.Callback() {
        @Override
        public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
          if (batch == 3 && stoppedAt[0] == 0) {
            signal("STOP", pid);
            stoppedAt[0] = System.nanoTime();
          }
        }
      };
      ClusterFailure e = assertThrows(ClusterFailure.class, () -> m.fit(x, DataParallelTest.classes(x),
          new FitOptions().epochs(1).batchSize(8).verbose(0).callbacks(stopper)));
      double seconds = (System.nanoTime() - stoppedAt[0]) / 1e9;
      System.out.printf("stopped worker reported %.2f s after SIGSTOP (timeout %d ms): %s%n", seconds,
          timeout.toMillis(), e.getMessage());
      assertTrue(e.getMessage().startsWith("Task /job:worker/task:1 (" + local.cluster().address("worker", 1)
          + ") does not respond"), e.getMessage());
      // The timeout, then at most the probe (1 s) and some slack for a loaded machine.
      assertTrue(seconds >= timeout.toMillis() / 1e3 - 0.1 && seconds < timeout.toMillis() / 1e3 + 4, seconds + " s");
    } finally {
      signal("CONT", pid);
    }
  }

  private static void signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Reads the variables by name through a new graph and a session whose master is worker {@code w}. */
  static float[][] readThroughWorker(ClusterSpec cluster, int w, List<GraphVariable> weights) {
    return readByName(weights, cluster.target("worker", w), ClusterSessions.config(cluster, Duration.ofSeconds(30)));
  }

  /**
   * Reads the variables from the parameter server by name, as another client would: a graph of its own that only
   * names them (VariableV2 ops share state by name on their device), run through a session on {@code target}.
   */
  static float[][] readByName(List<GraphVariable> weights, String target, ConfigProto config) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(GraphRuntime.Devices.spec("/job:ps/task:0"));
      List<Operand<TFloat32>> reads = new ArrayList<>();
      // One scope per layer name: TF Java makes every withSubScope call unique (dense, dense_1, ...).
      Map<String, Ops> scopes = new HashMap<>();
      for (GraphVariable v : weights) {
        String[] parts = v.name().split("/");
        String layer = String.join("/", java.util.Arrays.copyOf(parts, parts.length - 1));
        Ops scoped = scopes.computeIfAbsent(layer, k -> {
          Ops o = tf;
          for (int i = 0; i < parts.length - 1; i++) {
            o = o.withSubScope(parts[i]);
          }
          return o;
        });
        reads.add(tf.identity(scoped.withName(parts[parts.length - 1]).variable(v.shape(), TFloat32.class)));
      }
      try (Session s = RemoteSession.open(g, target, config)) {
        Session.Runner runner = s.runner();
        reads.forEach(runner::fetch);
        float[][] out = new float[weights.size()][];
        try (Result r = runner.run()) {
          for (int i = 0; i < weights.size(); i++) {
            out[i] = DataParallelTest.flat((TFloat32) r.get(i));
          }
        }
        return out;
      }
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
