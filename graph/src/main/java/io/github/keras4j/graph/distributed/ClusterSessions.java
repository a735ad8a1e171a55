package io.github.keras4j.graph.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat64;

/**
 * Session settings for a cluster, so that a failed or stalled task ends a run with an error instead of a hang.
 *
 * <p>Measured on TensorFlow 2.18 (TF Java 1.1.0), client session on worker 0's server, 3 task JVMs on loopback:
 * <ul>
 *   <li>a task killed ({@code SIGKILL}) during a run: the run fails in about 30 ms ({@code Socket closed} /
 *       {@code Connection reset by peer}), later runs at once ({@code UNAVAILABLE ... failed to connect to all
 *       addresses}). No timeout is needed for this case.
 *   <li>a new session while a task is dead: its first run <b>hangs</b> (the master waits for every task of the
 *       cluster to list its devices, without a deadline), even when the graph uses only live tasks.
 *   <li>a task stopped ({@code SIGSTOP}, like a hung machine): runs that involve it <b>hang</b>.
 *   <li>with {@code operation_timeout_in_ms} set, both hangs end with {@code Deadline Exceeded} after the
 *       timeout (3.0 s measured for 3000 ms). A per-run {@code RunOptions.timeout_in_ms} does the same for one run.
 *   <li>a restarted task: sessions opened before fail with {@code ABORTED: Session handle is not found ... this
 *       worker just restarted}; a new session works.
 * </ul>
 * The timeout bounds every run, so it must be longer than the slowest real step (the first step, which partitions
 * and registers the graph on every task, is the slowest).
 *
 * <p>The config does not set {@code cluster_def}: the servers already know the cluster from their
 * {@code ServerDef}, and a session config with a {@code cluster_def} makes the master create isolated worker
 * sessions (TensorFlow's "cluster spec propagation"), whose variables other sessions do not see (as
 * {@code config.proto} documents {@code share_session_state_in_clusterspec_propagation}; not measured here). Without
 * it, sessions on any task's target share the variables on the {@code ps} tasks (measured in LocalClusterTest).
 */
public final class ClusterSessions {

  /** The default {@code operation_timeout_in_ms}: a minute, longer than any step of the models this targets. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(60);

  private ClusterSessions() {}

  /** The session config for a cluster with {@link #DEFAULT_OPERATION_TIMEOUT}. */
  public static ConfigProto config(ClusterSpec cluster) {
    return config(cluster, DEFAULT_OPERATION_TIMEOUT);
  }

  /**
   * The session config for a cluster: every run (and the creation of the session on the master, which happens at
   * the first run) fails with {@code Deadline Exceeded} after {@code operationTimeout} instead of waiting forever
   * for a task that is gone or stalled. Pass it to {@link RemoteSession#open}.
   *
   * @param cluster the cluster the session runs on (checked to be non-null; see the class comment on
   *     {@code cluster_def})
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public static ConfigProto config(ClusterSpec cluster, Duration operationTimeout) {
    if (cluster == null) {
      throw new IllegalArgumentException("A cluster session config needs the cluster. Received: null");
    }
    if (operationTimeout == null || operationTimeout.isNegative() || operationTimeout.isZero()) {
      throw new IllegalArgumentException("The operation timeout must be positive. Received: " + operationTimeout);
    }
    return ConfigProto.newBuilder().setOperationTimeoutInMs(operationTimeout.toMillis()).build();
  }

  /**
   * Checks that every task of the cluster answers, before opening a session (whose first run would otherwise wait
   * for a missing task until the operation timeout).
   *
   * @throws ClusterFailure naming the tasks that are not reachable or do not respond within {@code timeout}
   */
  public static void checkReachable(ClusterSpec cluster, Duration timeout) {
    Map<String, TaskProbe.State> states = TaskProbe.probeAll(cluster, timeout);
    List<String> bad = new ArrayList<>();
    StringBuilder details = new StringBuilder();
    states.forEach((device, state) -> {
      if (state != TaskProbe.State.RESPONDING) {
        bad.add(device);
        details.append(details.length() == 0 ? "" : ", ").append(device).append(" (")
            .append(cluster.address(job(device), task(device))).append(state == TaskProbe.State
                .NOT_REACHABLE ? ") is not reachable" : ") does not respond");
      }
    });
    if (!bad.isEmpty()) {
      throw new ClusterFailure("Task" + (bad.size() == 1 ? " " : "s ") + details + " (probed within "
          + timeout.toMillis() + " ms); the cluster is " + cluster, bad, null);
    }
  }

  /**
   * Waits until every task of the cluster can pass a tensor to every other task, by running a graph without side
   * effects (see {@link #channelProbe}) on a session at {@code target}, again while it fails
   * and every task still answers the probe, until {@code timeout}.
   *
   * <p>Why: a task's gRPC channel to a task that died stays in reconnect back-off (about 1 s, growing with each
   * failed attempt) after the task is restarted, so a run right after a restart can fail with {@code UNAVAILABLE:
   * failed to connect to all addresses} although every task is up. Measured in BackupAndRestoreClusterTest: the
   * resumed fit right after restarting a killed worker failed this way when the machine was busy. A training step
   * cannot simply be run again (it may have updated some variables), but this graph can.
   *
   * @throws ClusterFailure naming the tasks that do not answer, when one stops answering while waiting
   * @throws org.tensorflow.exceptions.TensorFlowException TensorFlow's last error when the tasks answer but still
   *     cannot reach each other after {@code timeout}
   */
  public static void awaitChannels(ClusterSpec cluster, String target, ConfigProto config, Duration timeout) {
    try (Graph graph = new Graph()) {
      List<Operand<?>> reads = channelProbe(Ops.create(graph), cluster);
      if (reads.isEmpty()) {
        return;
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      try (Session session = RemoteSession.open(graph, target, config)) {
        while (true) {
          try {
            Session.Runner runner = session.runner();
            reads.forEach(runner::fetch);
            runner.run().close();
            return;
          } catch (TensorFlowException e) {
            if (System.nanoTime() > deadline) {
              throw e;
            }
            checkReachable(cluster, ClusterFailure.PROBE_TIMEOUT);
            sleep(CHANNEL_RETRY);
          }
        }
      }
    }
  }

  /**
   * The graph {@link #awaitChannels} runs: a value made on each task, read by an {@code Identity} on each other task,
   * so that each task receives a tensor from each other (a {@code _Recv} pulls it over the receiving task's channel to
   * the sender). The value is a {@code Timestamp}, which is stateful: with a constant, Grappler's constant folding
   * replaces every read by a constant on the reading task, and the run then tested only the client task's channels
   * (measured with the run's partition graphs; the resumed fit of BackupAndRestoreClusterTest failed in CI with
   * {@code failed to connect to all addresses} after such a probe had passed).
   */
  static List<Operand<?>> channelProbe(Ops tf, ClusterSpec cluster) {
    List<String> tasks = cluster.devices();
    List<Operand<?>> reads = new ArrayList<>();
    for (String from : tasks) {
      Operand<TFloat64> value = tf.withDevice(device(from)).timestamp();
      for (String to : tasks) {
        if (!to.equals(from)) {
          reads.add(tf.withDevice(device(to)).identity(value));
        }
      }
    }
    return reads;
  }

  private static DeviceSpec device(String task) {
    return DeviceSpec.newBuilder().job(job(task)).task(task(task)).build();
  }

  /** The pause between two attempts of {@link #awaitChannels}. */
  static final Duration CHANNEL_RETRY = Duration.ofMillis(200);

  private static String job(String device) {
    return device.substring("/job:".length(), device.indexOf("/task:"));
  }

  private static int task(String device) {
    return Integer.parseInt(device.substring(device.indexOf("/task:") + "/task:".length()));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the cluster's connections", e);
    }
  }
}
