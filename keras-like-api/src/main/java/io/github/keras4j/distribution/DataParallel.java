package io.github.keras4j.distribution;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.distributed.ClusterSessions;
import io.github.keras4j.graph.distributed.ClusterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronous data parallelism, driven from one client (Keras 3's
 * {@code keras.distribution.DataParallel(devices=[...])}): each batch of fit, evaluate and predict is split along
 * its first axis over the replica devices, the model is traced once per replica with all its ops on that
 * replica's device, and the results are combined so that losses and metrics equal those of the whole batch on
 * one device.
 *
 * <pre>{@code
 * // two CPU devices of this process
 * DataParallel dp = DataParallel.builder().devices("/cpu:0", "/cpu:1").localCpuDevices(2).build();
 * // a cluster of TensorFlow servers: replicas on the workers, variables on the parameter server
 * DataParallel cluster = DataParallel.builder()
 *     .devices("/job:worker/task:0", "/job:worker/task:1")
 *     .target("grpc://host0:2222")
 *     .build();                                   // variables on /job:ps/task:0
 * // the same from a cluster spec or TF_CONFIG, as TensorFlow's ParameterServerStrategy lays it out
 * DataParallel ps = DataParallel.fromCluster(ClusterSpec.parse("worker=h0:2222,h1:2222;ps=h2:2222"));
 * DataParallel env = DataParallel.fromTfConfig(TfConfig.fromEnvironment().orElseThrow());
 * }</pre>
 *
 * <p>On a cluster ({@link #fromCluster}, or {@link Builder#cluster}) the process that calls {@code fit} is the
 * client: it builds the one graph and drives every step through a session on the target task; the tasks only run
 * TensorFlow servers ({@code TaskServerMain}). The session has an operation timeout
 * ({@link Builder#operationTimeout}), so a task that dies or hangs ends {@code fit}, {@code evaluate} or
 * {@code predict} with a {@link io.github.keras4j.graph.distributed.ClusterFailure} naming the task (and the
 * task's address) instead of hanging; the model's state on the cluster is then lost, and training resumes from a
 * {@code BackupAndRestore} backup in a fresh runtime once the task is back.
 *
 * <p>Training step: every replica computes its share of the loss (its per-sample mean weighted by its share of
 * the batch) and the gradients of that share on its device; the gradients are summed (a weighted average) on
 * the variable device and the optimizer is applied once there. A batch of any size works, also one smaller than
 * the number of replicas (replicas without rows contribute nothing); rows are split as numpy's
 * {@code array_split}: the first {@code n % R} replicas get one row more.
 *
 * <p>Java differs from Keras: Keras 3's DataParallel mirrors the variables on every device; here they live once
 * on the variable device (default: the first replica device in one process, {@code /job:ps/task:0} when the
 * replicas are cluster tasks), which all replicas read, as TensorFlow's {@code ParameterServerStrategy} and
 * in-graph replication do. Several variable devices take the variables round-robin (an optimizer slot goes with
 * its variable). Layer state updates (BatchNormalization's moving statistics) are applied from replica 0 only,
 * so they see its part of the batch. Keras's {@code device_mesh} and {@code auto_shard_dataset} arguments have no
 * counterpart.
 */
public final class DataParallel extends Distribution {

  private DataParallel(List<String> devices, List<String> variableDevices, String target, int localCpuDevices,
      ClusterSpec cluster, Duration operationTimeout) {
    super(devices, variableDevices, target, localCpuDevices, cluster, operationTimeout);
  }

  /**
   * Data parallelism over {@code devices} in this process, with as many CPU devices as the highest {@code cpu}
   * index named needs.
   */
  public DataParallel(String... devices) {
    this(builder().devices(devices).resolved());
  }

  private DataParallel(DataParallel resolved) {
    this(resolved.devices(), resolved.variableDevices(), resolved.target(), resolved.localCpuDevices(),
        resolved.cluster(), resolved.operationTimeout());
  }

  /**
   * Data parallelism over a cluster, laid out as TensorFlow's {@code ParameterServerStrategy}: one replica per
   * {@code "worker"} task (in task order), the variables round-robin over the {@code "ps"} tasks, and the
   * session on the {@code "chief"} task when the cluster has a chief job, else on worker 0. A cluster without
   * {@code "ps"} keeps the variables on the chief, else on worker 0. The operation timeout is
   * {@link ClusterSessions#DEFAULT_OPERATION_TIMEOUT}; use {@code builder().cluster(cluster)} to change it.
   *
   * @throws IllegalArgumentException if the cluster has no {@code "worker"} job
   */
  public static DataParallel fromCluster(ClusterSpec cluster) {
    return builder().cluster(cluster).build();
  }

  /**
   * {@link #fromCluster} for the cluster of a {@code TF_CONFIG} value. Its {@code "task"} is not used: the
   * process that calls {@code fit} is the client wherever it runs (usually the chief's machine), and the tasks run
   * {@code TaskServerMain}. Unlike Keras, where every task runs the training program, only the client does.
   *
   * @throws IllegalArgumentException if the cluster has no {@code "worker"} job
   */
  public static DataParallel fromTfConfig(TfConfig config) {
    return fromCluster(config.cluster());
  }

  /** A builder: {@code DataParallel.builder().devices("/cpu:0", "/cpu:1").build()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The settings with Keras-like keys. */
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("devices", devices());
    c.put("variable_devices", variableDevices());
    c.put("target", target());
    c.put("local_cpu_devices", localCpuDevices());
    c.put("cluster", cluster() == null ? null : cluster().asMap());
    c.put("operation_timeout_ms", operationTimeout() == null ? null : operationTimeout().toMillis());
    return c;
  }

  @Override
  public String toString() {
    return "DataParallel" + getConfig();
  }

  /** Builds a {@link DataParallel}. */
  public static final class Builder {
    private final List<String> devices = new ArrayList<>();
    private final List<String> variableDevices = new ArrayList<>();
    private String target;
    private Integer localCpuDevices;
    private ClusterSpec cluster;
    private Duration operationTimeout;

    private Builder() {}

    /**
     * The cluster to train on. Unless given explicitly, the replica devices become the {@code "worker"} tasks,
     * the variable devices the {@code "ps"} tasks (else the chief, else worker 0) and the target the
     * {@code "chief"} task (else worker 0), as {@link DataParallel#fromCluster} describes. The session then gets
     * an operation timeout and failures name the task at fault.
     */
    public Builder cluster(ClusterSpec cluster) {
      this.cluster = cluster;
      return this;
    }

    /**
     * How long one session run may take on a cluster before it fails with {@code Deadline Exceeded}, diagnosed as a
     * {@link io.github.keras4j.graph.distributed.ClusterFailure} (default
     * {@link ClusterSessions#DEFAULT_OPERATION_TIMEOUT} with a cluster; none for a bare {@link #target}). It
     * bounds every step, so make it longer than the slowest step (the first, which registers the graph on every
     * task).
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder operationTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("DataParallel: operationTimeout must be positive. Received: " + timeout);
      }
      this.operationTimeout = timeout;
      return this;
    }

    /** The replica devices, e.g. {@code "/cpu:0", "/cpu:1"} or {@code "/job:worker/task:0", ...} (required). */
    public Builder devices(String... devices) {
      return devices(Arrays.asList(devices));
    }

    /** The replica devices as a list, e.g. from {@link Distributions#listDevices}. */
    public Builder devices(List<String> devices) {
      this.devices.clear();
      this.devices.addAll(devices);
      return this;
    }

    /**
     * The devices that hold the variables (default: the first replica device, or {@code /job:ps/task:0} when
     * the replica devices name a job); several take the variables round-robin.
     */
    public Builder variableDevices(String... devices) {
      this.variableDevices.clear();
      this.variableDevices.addAll(Arrays.asList(devices));
      return this;
    }

    /** The session target {@code grpc://host:port} of a TensorFlow server of the cluster (default: in-process). */
    public Builder target(String target) {
      if (target != null && !target.startsWith("grpc://")) {
        throw new IllegalArgumentException("DataParallel: target must look like grpc://host:port. Received: "
            + target);
      }
      this.target = target;
      return this;
    }

    /**
     * How many CPU devices an in-process session gets ({@code device_count {"CPU": n}}); default: enough for
     * the highest {@code cpu} index named in the devices.
     */
    public Builder localCpuDevices(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("DataParallel: localCpuDevices must be >= 1. Received: " + n);
      }
      this.localCpuDevices = n;
      return this;
    }

    /** The distribution. */
    public DataParallel build() {
      return resolved();
    }

    private DataParallel resolved() {
      String resolvedTarget = target;
      List<String> given = new ArrayList<>(devices);
      List<String> givenVars = new ArrayList<>(variableDevices);
      if (cluster != null) {
        if (!cluster.hasJob("worker")) {
          throw new IllegalArgumentException("DataParallel: the cluster needs a \"worker\" job (one replica per "
              + "worker task). Received: " + cluster);
        }
        String client = cluster.hasJob("chief") ? "chief" : "worker";
        if (given.isEmpty()) {
          for (int i = 0; i < cluster.numTasks("worker"); i++) {
            given.add(cluster.device("worker", i));
          }
        }
        if (givenVars.isEmpty()) {
          String job = cluster.hasJob("ps") ? "ps" : client;
          for (int i = 0; i < (job.equals("ps") ? cluster.numTasks("ps") : 1); i++) {
            givenVars.add(cluster.device(job, i));
          }
        }
        if (resolvedTarget == null) {
          resolvedTarget = cluster.target(client, 0);
        }
      }
      if (given.isEmpty()) {
        throw new IllegalArgumentException("DataParallel: give at least one replica device, e.g. "
            + "devices(\"/cpu:0\", \"/cpu:1\") or devices(Distributions.listDevices(\"cpu\"))");
      }
      List<String> canonical = new ArrayList<>();
      for (String d : given) {
        String c = GraphRuntime.Devices.canonical(d.startsWith("/") ? d : "/" + d);
        if (canonical.contains(c)) {
          throw new IllegalArgumentException("DataParallel: device " + d + " is given twice. Devices: " + devices);
        }
        canonical.add(c);
      }
      List<String> vars = new ArrayList<>();
      for (String d : givenVars) {
        vars.add(GraphRuntime.Devices.canonical(d.startsWith("/") ? d : "/" + d));
      }
      if (vars.isEmpty()) {
        vars.add(canonical.get(0).startsWith("/job:") ? "/job:ps/task:0" : canonical.get(0));
      }
      int cpus = 1;
      List<String> all = new ArrayList<>(canonical);
      all.addAll(vars);
      for (String d : all) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^/device:CPU:(\\d+)$").matcher(d);
        if (m.find()) {
          cpus = Math.max(cpus, Integer.parseInt(m.group(1)) + 1);
        }
      }
      return new DataParallel(canonical, vars, resolvedTarget, localCpuDevices != null ? localCpuDevices : cpus,
          cluster, operationTimeout);
    }
  }
}
