package io.github.keras4j.distribution;

import io.github.keras4j.graph.GraphRuntime;
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
 * }</pre>
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

  private DataParallel(List<String> devices, List<String> variableDevices, String target, int localCpuDevices) {
    super(devices, variableDevices, target, localCpuDevices);
  }

  /**
   * Data parallelism over {@code devices} in this process, with as many CPU devices as the highest {@code cpu}
   * index named needs.
   */
  public DataParallel(String... devices) {
    this(builder().devices(devices).resolved());
  }

  private DataParallel(DataParallel resolved) {
    this(resolved.devices(), resolved.variableDevices(), resolved.target(), resolved.localCpuDevices());
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

    private Builder() {}

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
      if (devices.isEmpty()) {
        throw new IllegalArgumentException("DataParallel: give at least one replica device, e.g. "
            + "devices(\"/cpu:0\", \"/cpu:1\") or devices(Distributions.listDevices(\"cpu\"))");
      }
      List<String> canonical = new ArrayList<>();
      for (String d : devices) {
        String c = GraphRuntime.Devices.canonical(d.startsWith("/") ? d : "/" + d);
        if (canonical.contains(c)) {
          throw new IllegalArgumentException("DataParallel: device " + d + " is given twice. Devices: " + devices);
        }
        canonical.add(c);
      }
      List<String> vars = new ArrayList<>();
      for (String d : variableDevices) {
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
      return new DataParallel(canonical, vars, target, localCpuDevices != null ? localCpuDevices : cpus);
    }
  }
}
