package io.github.keras4j.distribution;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.distributed.ClusterSpec;
import java.time.Duration;
import java.util.List;

/**
 * How a model is spread over devices (Keras 3's {@code keras.distribution.Distribution}). Set one process-wide
 * with {@link Distributions#set} or per model with {@code CompileOptions.distribution(...)}.
 *
 * <p>Java differs from Keras: a distribution here is a placement of one TensorFlow graph (replica devices,
 * variable devices, session target), not a device mesh with tensor layouts; {@link DataParallel} is the only
 * kind.
 */
public abstract sealed class Distribution permits DataParallel {

  private final List<String> devices;
  private final List<String> variableDevices;
  private final String target;
  private final int localCpuDevices;
  private final ClusterSpec cluster;
  private final Duration operationTimeout;

  Distribution(List<String> devices, List<String> variableDevices, String target, int localCpuDevices,
      ClusterSpec cluster, Duration operationTimeout) {
    this.devices = List.copyOf(devices);
    this.variableDevices = List.copyOf(variableDevices);
    this.target = target;
    this.localCpuDevices = localCpuDevices;
    this.cluster = cluster;
    this.operationTimeout = operationTimeout;
  }

  /** The replica devices, one model replica each, in batch order (Keras's {@code devices}). */
  public List<String> devices() {
    return devices;
  }

  /** The devices that hold the variables (round-robin by variable when there are several). */
  public List<String> variableDevices() {
    return variableDevices;
  }

  /** The session target ({@code grpc://host:port}), or null for an in-process session. */
  public String target() {
    return target;
  }

  /** How many CPU devices an in-process session has ({@code device_count {"CPU": n}}). */
  public int localCpuDevices() {
    return localCpuDevices;
  }

  /**
   * The cluster the replicas run on, or null (in-process devices, or a bare {@code target} without a cluster).
   * With a cluster, fit/evaluate/predict fail with a {@link io.github.keras4j.graph.distributed.ClusterFailure}
   * naming the task when a task dies or stalls.
   */
  public ClusterSpec cluster() {
    return cluster;
  }

  /**
   * How long one session run on the cluster may take before it fails ({@code operation_timeout_in_ms}), or null
   * for none: {@link io.github.keras4j.graph.distributed.ClusterSessions#DEFAULT_OPERATION_TIMEOUT} applies when
   * a cluster is set, no timeout otherwise.
   */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** The graph-level placement of this distribution (engine use). */
  public GraphRuntime.Placement placement() {
    return new GraphRuntime.Placement(devices, variableDevices, target, localCpuDevices, cluster, operationTimeout);
  }
}
