package io.github.keras4j.graph.distributed;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tensorflow.Server;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.ServerDef;

/**
 * The TensorFlow server ({@code org.tensorflow.Server}, gRPC) of one task of a cluster: the process that holds
 * this task's devices ({@code /job:worker/task:1}) and answers sessions opened on its {@link #target()}.
 *
 * <pre>{@code
 * TaskServer server = TaskServer.start(cluster, "worker", 1);
 * server.target();   // "grpc://127.0.0.1:23452"
 * server.join();     // blocks while the server runs, in a task's own process
 * }</pre>
 *
 * <p><b>A server lives as long as its process.</b> TensorFlow 2.18 cannot stop a gRPC server ({@code Server.stop()}
 * fails with "Clean shutdown is not currently implemented"), so {@link #close()} stops nothing: it only marks this
 * object closed. The port stays bound and the task stays in the cluster until the JVM exits. To end a task, end
 * its process: run each task in its own JVM ({@link TaskServerMain}, or {@link LocalCluster} for a cluster of child
 * JVMs on this machine). Starting a server in the current process is for a process that is itself a task, for
 * the rest of its life.
 */
public final class TaskServer implements AutoCloseable {

  /** Every server started in this process: they run until it exits, so they stay reachable until then too. */
  private static final List<Server> RUNNING = new CopyOnWriteArrayList<>();

  private final ClusterSpec cluster;
  private final String job;
  private final int index;
  private final Server server;
  private volatile boolean closed;

  private TaskServer(ClusterSpec cluster, String job, int index, Server server) {
    this.cluster = cluster;
    this.job = job;
    this.index = index;
    this.server = server;
  }

  /**
   * Starts the server of task {@code index} of {@code job}, listening on that task's port of the cluster, with
   * TensorFlow's default session config.
   *
   * @throws IllegalArgumentException if the cluster has no such task
   * @throws org.tensorflow.exceptions.TensorFlowException if TensorFlow cannot start it (port in use...)
   */
  public static TaskServer start(ClusterSpec cluster, String job, int index) {
    return start(cluster, job, index, ConfigProto.getDefaultInstance());
  }

  /**
   * Starts the server of a task with a default config for the sessions its master creates ({@code ServerDef
   * .default_session_config}; for example thread-pool sizes).
   *
   * @throws IllegalArgumentException if the cluster has no such task
   */
  public static TaskServer start(ClusterSpec cluster, String job, int index, ConfigProto defaultSessionConfig) {
    cluster.address(job, index);
    ServerDef def = ServerDef.newBuilder()
        .setCluster(cluster.toClusterDef())
        .setJobName(job)
        .setTaskIndex(index)
        .setProtocol("grpc")
        .setDefaultSessionConfig(defaultSessionConfig)
        .build();
    Server server = new Server(def);
    server.start();
    RUNNING.add(server);
    return new TaskServer(cluster, job, index, server);
  }

  /** The cluster this task belongs to. */
  public ClusterSpec cluster() {
    return cluster;
  }

  /** This task's job name. */
  public String job() {
    return job;
  }

  /** This task's index in its job. */
  public int index() {
    return index;
  }

  /** This task's device-name prefix, {@code /job:worker/task:1}. */
  public String device() {
    return cluster.device(job, index);
  }

  /** The session target of this task, {@code grpc://host:port}, for {@link RemoteSession#open}. */
  public String target() {
    return cluster.target(job, index);
  }

  /** Blocks while the server runs, that is until the process ends. */
  public void join() {
    server.join();
  }

  /** Whether {@link #close()} was called (the server itself still runs: see the class comment). */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Marks this object closed. It does not stop the server, which TensorFlow cannot do: the server runs and keeps
   * its port until the process exits. Closing twice is allowed.
   */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "TaskServer[" + device() + " at " + target() + (closed ? ", closed" : "") + "]";
  }
}
