package io.github.keras4j.graph.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * A cluster of child JVMs (worker[2], ps[1]) on loopback: in-graph replicated training matches one device, every
 * task sees the same weights, and a killed, stopped or missing task gives an error that names it within a bounded
 * time. Output of the steps is printed (times to failure).
 */
class LocalClusterTest {

  /** The operation timeout of the sessions: bounds runs that would otherwise hang on a stalled or missing task. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final int BATCH = 8;
  private static final int FEATURES = 3;
  private static final float LEARNING_RATE = 0.1f;
  private static final int STEPS = 30;

  @Test
  void replicatedTrainingMatchesOneDeviceAndFailuresNameTheTask() throws Exception {
    float localLoss = trainLocally();
    String specString;
    try (LocalCluster local = LocalCluster.start(2, 1)) {
      ClusterSpec cluster = local.cluster();
      specString = cluster.toSpecString();
      assertEquals(List.of("worker", "ps"), List.copyOf(cluster.jobs()));
      for (String device : cluster.devices()) {
        assertTrue(local.process(device.split("/")[1].substring(4), device.endsWith("1") ? 1 : 0).isAlive(),
            device);
      }
      ConfigProto config = ClusterSessions.config(cluster, TIMEOUT);
      try (Graph graph = new Graph()) {
        Regression model = new Regression(Ops.create(graph), true);
        float[] saved;
        try (Session session = RemoteSession.open(graph, cluster.target("worker", 0), config)) {
          model.assign(session, new float[FEATURES + 1]);
          for (int step = 0; step < STEPS; step++) {
            session.run(model.train);
          }
          float distributedLoss = model.loss(session);
          // Same data, same maths, summed in another order across two towers: float32 rounding only.
          assertEquals(localLoss, distributedLoss, 1e-5f * Math.max(1f, localLoss),
              "replicated loss " + distributedLoss + " vs one device " + localLoss);
          assertTrue(distributedLoss < 0.1f * model.initialLoss(), "the loss fell: " + distributedLoss);
          saved = model.weights(session);
        }
        // Sessions whose master is each worker read the same variables from /job:ps/task:0.
        for (int i = 0; i < 2; i++) {
          try (Session session = RemoteSession.open(graph, cluster.target("worker", i), config)) {
            assertArrayEquals(saved, model.weights(session), "weights seen from worker " + i);
          }
        }

        // Worker 1 is killed while a loop runs steps: the run in flight (or the next) fails, fast.
        String worker1 = cluster.address("worker", 1);
        try (Session session = RemoteSession.open(graph, cluster.target("worker", 0), config)) {
          AtomicInteger steps = new AtomicInteger();
          AtomicLong failedAt = new AtomicLong();
          CompletableFuture<RuntimeException> loop = CompletableFuture.supplyAsync(() -> {
            try {
              while (true) {
                session.run(model.train);
                steps.incrementAndGet();
              }
            } catch (RuntimeException e) {
              failedAt.set(System.nanoTime());
              return ClusterFailure.diagnose(cluster, e);
            }
          });
          waitFor(() -> steps.get() >= 5, "5 steps before the kill");
          long killedAt = System.nanoTime();
          local.kill("worker", 1);
          RuntimeException error = loop.get(TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
          double ms = (failedAt.get() - killedAt) / 1e6;
          System.out.printf("worker 1 SIGKILLed after %d steps: the run failed %.0f ms later:%n  %s%n",
              steps.get(), ms, error.getMessage());
          ClusterFailure failure = assertInstanceOf(ClusterFailure.class, error);
          assertTrue(failure.getMessage().startsWith("Task /job:worker/task:1 (" + worker1 + ") is not reachable"),
              failure.getMessage());
          assertEquals(List.of("/job:worker/task:1"), failure.tasks());
          assertTrue(ms < TIMEOUT.toMillis(), "failure within the timeout: " + ms + " ms");
        }

        // Before any session: the probe names the dead task at once.
        ClusterFailure check = assertThrowsCluster(() -> ClusterSessions.checkReachable(cluster,
            Duration.ofSeconds(1)));
        assertEquals("Task /job:worker/task:1 (" + worker1 + ") is not reachable (probed within 1000 ms); the "
            + "cluster is " + cluster, check.getMessage());

        // A new session while the task is dead: TensorFlow waits for it until the operation timeout.
        long start = System.nanoTime();
        RuntimeException waited = runDiagnosed(graph, cluster, config, model);
        double waitedMs = (System.nanoTime() - start) / 1e6;
        System.out.printf("new session with worker 1 dead: failed after %.0f ms: %s%n", waitedMs,
            waited.getMessage());
        assertTrue(waited.getMessage().startsWith("Task /job:worker/task:1 (" + worker1 + ") is not reachable"),
            waited.getMessage());
        assertTrue(waitedMs < TIMEOUT.toMillis() + 5000, waitedMs + " ms");

        // Restart on the same port; the old values are restored into the variables (the ps kept its own copy,
        // which may be a few steps further: restoring makes the state the one saved).
        long restartAt = System.nanoTime();
        local.restart("worker", 1);
        System.out.printf("worker 1 restarted in %.0f ms%n", (System.nanoTime() - restartAt) / 1e6);
        assertEquals(worker1, local.cluster().address("worker", 1));
        ClusterSessions.checkReachable(cluster, Duration.ofSeconds(5));
        // The ps's channel to the restarted worker may still be in gRPC's reconnect back-off: wait it out.
        long awaitAt = System.nanoTime();
        ClusterSessions.awaitChannels(cluster, cluster.target("worker", 0), config, Duration.ofSeconds(30));
        System.out.printf("every task reaches every other %.0f ms after the restart%n",
            (System.nanoTime() - awaitAt) / 1e6);
        try (Session session = RemoteSession.open(graph, cluster.target("worker", 0), config)) {
          model.assign(session, saved);
          assertArrayEquals(saved, model.weights(session), "restored weights");
          float before = model.loss(session);
          session.run(model.train);
          float after = model.loss(session);
          assertTrue(after <= before, "a step after the restart: " + before + " -> " + after);

          // A stopped task (SIGSTOP: a hung machine) makes runs hang; the timeout ends them, the probe names it.
          long pid = local.process("worker", 1).pid();
          signal("STOP", pid);
          long stoppedAt = System.nanoTime();
          RuntimeException stalled;
          double stalledMs;
          try {
            session.run(model.train);
            fail("a run with worker 1 stopped succeeded");
            return;
          } catch (RuntimeException e) {
            stalledMs = (System.nanoTime() - stoppedAt) / 1e6;
            stalled = ClusterFailure.diagnose(cluster, e);
          }
          System.out.printf("worker 1 SIGSTOPped: the run failed after %.0f ms (timeout %d ms), diagnosed after "
              + "%.0f ms: %s%n", stalledMs, TIMEOUT.toMillis(), (System.nanoTime() - stoppedAt) / 1e6,
              stalled.getMessage());
          assertTrue(stalled.getMessage().startsWith("Task /job:worker/task:1 (" + worker1 + ") does not respond"),
              stalled.getMessage());
          assertTrue(stalledMs >= TIMEOUT.toMillis() - 100 && stalledMs < TIMEOUT.toMillis() + 3000,
              stalledMs + " ms");
        }
        local.kill("worker", 1);
        assertFalse(local.isAlive("worker", 1));
        // With a task gone, waiting for the connections ends after one run's timeout, naming the task, instead of
        // retrying until its own deadline.
        long goneAt = System.nanoTime();
        ClusterFailure gone = assertThrows(ClusterFailure.class, () -> ClusterSessions.awaitChannels(cluster,
            cluster.target("worker", 0), config, Duration.ofSeconds(120)));
        double goneMs = (System.nanoTime() - goneAt) / 1e6;
        System.out.printf("awaitChannels with worker 1 gone failed after %.0f ms: %s%n", goneMs, gone.getMessage());
        assertEquals(List.of("/job:worker/task:1"), gone.tasks(), gone.getMessage());
        assertTrue(goneMs < TIMEOUT.toMillis() + 5000, goneMs + " ms");
      }
    }
    assertTrue(taskProcesses(specString).isEmpty(), "task JVMs left: " + taskProcesses(specString));
  }

  @Test
  void theChannelProbeMakesEveryTaskReceiveFromEveryOther() throws Exception {
    try (LocalCluster local = LocalCluster.start(2, 1); Graph graph = new Graph()) {
      ClusterSpec cluster = local.cluster();
      List<Operand<?>> reads = ClusterSessions.channelProbe(Ops.create(graph), cluster);
      assertEquals(6, reads.size(), "3 tasks, each reading the 2 others");
      try (Session session = RemoteSession.open(graph, cluster.target("worker", 0), ClusterSessions.config(cluster))) {
        Session.Runner runner = session.runner();
        reads.forEach(runner::fetch);
        runner.setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build());
        try (Result result = runner.runAndFetchMetadata()) {
          // What TensorFlow ran, per task: each task must hold the 2 reads of the others' values, each an Identity
          // of a _Recv (with constants, Grappler folds the reads away and only the client task receives anything).
          Map<String, Integer> identitiesOfRecv = new java.util.TreeMap<>();
          for (GraphDef partition : result.getMetadata().orElseThrow().getPartitionGraphsList()) {
            Map<String, NodeDef> byName = new java.util.HashMap<>();
            partition.getNodeList().forEach(n -> byName.put(n.getName(), n));
            for (NodeDef node : partition.getNodeList()) {
              NodeDef input = node.getInputCount() == 1 ? byName.get(node.getInput(0)) : null;
              if (node.getOp().equals("Identity") && input != null && input.getOp().equals("_Recv")) {
                identitiesOfRecv.merge(node.getDevice().replace("/replica:0", "").replace("/device:CPU:0", ""), 1,
                    Integer::sum);
              }
            }
          }
          assertEquals(Map.of("/job:ps/task:0", 2, "/job:worker/task:0", 2, "/job:worker/task:1", 2),
              identitiesOfRecv);
        }
      }
    }
  }

  @Test
  void aTaskThatCannotStartFailsWithItsOutput() throws Exception {
    // The entry point itself, with an address it cannot use: FAILED on stderr, exit status 2.
    Process process = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        TaskServerMain.class.getName(), "worker=127.0.0.1:1", "worker", "3").start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue(), err);
    assertTrue(err.startsWith("FAILED java.lang.IllegalArgumentException: Job \"worker\" has tasks 0..0. "
        + "Received: index=3"), err);
  }

  // ---------------------------------------------------------------- the model

  /** The regression on one device, full batch: the loss after {@value #STEPS} steps. */
  private static float trainLocally() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Regression model = new Regression(Ops.create(graph), false);
      model.assign(session, new float[FEATURES + 1]);
      for (int step = 0; step < STEPS; step++) {
        session.run(model.train);
      }
      return model.loss(session);
    }
  }

  /**
   * Linear regression y = x w + b by plain SGD on mean squared error, gradients written out: for a batch of n rows,
   * dL/dw = 2/n x^T (x w + b - y), dL/db = 2/n sum(x w + b - y). Replicated: w and b on /job:ps/task:0, rows 0-3
   * on /job:worker/task:0 and rows 4-7 on /job:worker/task:1, each tower computes its half's gradient, the two
   * are averaged on the ps (equal halves, so the average is the full batch's gradient) and applied there.
   */
  private static final class Regression {
    final Op train;
    final Operand<TFloat32> loss;
    final Variable<TFloat32> w;
    final Variable<TFloat32> b;
    final Placeholder<TFloat32> wValue;
    final Placeholder<TFloat32> bValue;
    final Op setW;
    final Op setB;

    Regression(Ops tf, boolean replicated) {
      Ops ps = replicated ? tf.withDevice(DeviceSpec.newBuilder().job("ps").task(0).build()) : tf;
      w = ps.withName("w").variable(Shape.of(FEATURES, 1), TFloat32.class);
      b = ps.withName("b").variable(Shape.of(1), TFloat32.class);
      wValue = ps.placeholder(TFloat32.class, Placeholder.shape(Shape.of(FEATURES, 1)));
      bValue = ps.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1)));
      setW = ps.assign(w, wValue);
      setB = ps.assign(b, bValue);
      float[][] x = features();
      float[][] y = targets(x);
      int towers = replicated ? 2 : 1;
      int rows = BATCH / towers;
      Operand<TFloat32> gradW = null;
      Operand<TFloat32> gradB = null;
      Operand<TFloat32> lossSum = null;
      for (int t = 0; t < towers; t++) {
        Ops dev = replicated ? tf.withDevice(DeviceSpec.newBuilder().job("worker").task(t).build()) : tf;
        float[][] xs = java.util.Arrays.copyOfRange(x, t * rows, (t + 1) * rows);
        float[][] ys = java.util.Arrays.copyOfRange(y, t * rows, (t + 1) * rows);
        Operand<TFloat32> xt = dev.constant(xs);
        Operand<TFloat32> residual = dev.math.sub(dev.math.add(dev.linalg.matMul(xt, dev.identity(w)),
            dev.identity(b)), dev.constant(ys));
        Operand<TFloat32> scale = dev.constant(2f / rows);
        Operand<TFloat32> gw = dev.math.mul(scale, dev.linalg.matMul(xt, residual,
            org.tensorflow.op.linalg.MatMul.transposeA(true)));
        Operand<TFloat32> gb = dev.math.mul(scale, dev.reduceSum(residual, dev.constant(new int[] {0})));
        Operand<TFloat32> lt = dev.math.mean(dev.math.square(residual), dev.constant(new int[] {0, 1}));
        gradW = gradW == null ? gw : ps.math.add(gradW, gw);
        gradB = gradB == null ? gb : ps.math.add(gradB, gb);
        lossSum = lossSum == null ? lt : ps.math.add(lossSum, lt);
      }
      Operand<TFloat32> mean = ps.constant(LEARNING_RATE / towers);
      train = ps.withControlDependencies(List.of(
          ps.assignSub(w, ps.math.mul(mean, gradW)),
          ps.assignSub(b, ps.math.mul(mean, gradB)))).noOp();
      loss = ps.math.div(lossSum, ps.constant((float) towers));
    }

    static float[][] features() {
      float[][] x = new float[BATCH][FEATURES];
      for (int i = 0; i < BATCH; i++) {
        for (int j = 0; j < FEATURES; j++) {
          x[i][j] = (float) Math.sin(3 * i + j + 1);
        }
      }
      return x;
    }

    static float[][] targets(float[][] x) {
      float[] trueW = {0.5f, -1f, 2f};
      float[][] y = new float[BATCH][1];
      for (int i = 0; i < BATCH; i++) {
        y[i][0] = 0.3f + 0.01f * (float) Math.cos(i);
        for (int j = 0; j < FEATURES; j++) {
          y[i][0] += x[i][j] * trueW[j];
        }
      }
      return y;
    }

    /** The loss at w = 0, b = 0: the mean of y squared, computed here in plain Java. */
    float initialLoss() {
      float[][] y = targets(features());
      double sum = 0;
      for (float[] row : y) {
        sum += row[0] * row[0];
      }
      return (float) (sum / BATCH);
    }

    void assign(Session session, float[] values) {
      float[][] wv = new float[FEATURES][1];
      for (int j = 0; j < FEATURES; j++) {
        wv[j][0] = values[j];
      }
      try (TFloat32 wt = TFloat32.tensorOf(StdArrays.ndCopyOf(wv));
          TFloat32 bt = TFloat32.vectorOf(values[FEATURES]);
          Result r = session.runner().feed(wValue, wt).feed(bValue, bt).addTarget(setW).addTarget(setB).run()) {
        assertNotNull(r);
      }
    }

    float[] weights(Session session) {
      try (Result r = session.runner().fetch(w).fetch(b).run()) {
        TFloat32 wt = (TFloat32) r.get(0);
        TFloat32 bt = (TFloat32) r.get(1);
        float[] out = new float[FEATURES + 1];
        for (int j = 0; j < FEATURES; j++) {
          out[j] = wt.getFloat(j, 0);
        }
        out[FEATURES] = bt.getFloat(0);
        return out;
      }
    }

    float loss(Session session) {
      try (Result r = session.runner().fetch(loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static RuntimeException runDiagnosed(Graph graph, ClusterSpec cluster, ConfigProto config,
      Regression model) {
    try (Session session = RemoteSession.open(graph, cluster.target("worker", 0), config)) {
      model.loss(session);
      fail("a run with worker 1 dead succeeded");
      return null;
    } catch (RuntimeException e) {
      return ClusterFailure.diagnose(cluster, e);
    }
  }

  private static ClusterFailure assertThrowsCluster(Runnable action) {
    try {
      action.run();
    } catch (ClusterFailure e) {
      return e;
    }
    return fail("no ClusterFailure");
  }

  private static void waitFor(Supplier<Boolean> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
  }

  /** Live processes whose command line runs TaskServerMain on this cluster. */
  private static List<Long> taskProcesses(String specString) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(TaskServerMain.class.getName())
            && c.contains(specString)).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static String java() {
    return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
