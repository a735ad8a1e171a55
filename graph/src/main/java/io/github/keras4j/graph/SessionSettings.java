package io.github.keras4j.graph;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/**
 * Process-wide settings of the TensorFlow sessions that {@link GraphRuntime} creates: the device, XLA's JIT and
 * Grappler. They apply to sessions created after the change.
 *
 * <ul>
 *   <li>{@link #setDevice}: {@code "auto"} (default) leaves placement to TensorFlow, which uses the GPU when the
 *       GPU build ({@code mvn -Pgpu}) finds one; {@code "cpu"} hides any GPU ({@code device_count {GPU: 0}}), so a
 *       GPU build runs on the CPU; {@code "gpu"} is placement as {@code "auto"}, for callers that have checked
 *       {@link #gpuAvailable()} (the CPU build has no GPU).
 *   <li>{@link #setXlaJit}: TensorFlow's global JIT level ON_1 ({@code ConfigProto.graph_options
 *       .optimizer_options.global_jit_level}); off by default. TensorFlow applies this level to GPU clusters only:
 *       on the CPU it takes effect when the process is started with the environment variable
 *       {@code TF_XLA_FLAGS=--tf_xla_cpu_global_jit}.
 *   <li>{@link #setGrappler}: TensorFlow's graph optimizer (Grappler's meta optimizer: constant folding,
 *       arithmetic and layout rewrites, pruning...), on by default as in TensorFlow; off sets
 *       {@code ConfigProto.graph_options.rewrite_options.disable_meta_optimizer}.
 * </ul>
 */
public final class SessionSettings {

  private static volatile String device = "auto";
  private static volatile boolean xlaJit;
  private static volatile boolean grappler = true;

  private SessionSettings() {}

  /**
   * The device for new sessions: {@code "cpu"}, {@code "gpu"} or {@code "auto"} (default: TensorFlow's own
   * placement, the GPU when the GPU build finds one).
   */
  public static void setDevice(String device) {
    if (!device.equals("cpu") && !device.equals("gpu") && !device.equals("auto")) {
      throw new IllegalArgumentException("device must be \"cpu\", \"gpu\" or \"auto\". Received: " + device);
    }
    SessionSettings.device = device;
  }

  /** The device set for new sessions. */
  public static String device() {
    return device;
  }

  /** Turns XLA's JIT compilation of the graph on or off for new sessions. */
  public static void setXlaJit(boolean on) {
    xlaJit = on;
  }

  /** Whether XLA's JIT is on for new sessions. */
  public static boolean xlaJit() {
    return xlaJit;
  }

  /** Turns Grappler, TensorFlow's graph optimizer, on (default) or off for new sessions. */
  public static void setGrappler(boolean on) {
    grappler = on;
  }

  /** Whether Grappler optimizes the graphs of new sessions. */
  public static boolean grappler() {
    return grappler;
  }

  /** The session config for the current settings. */
  public static ConfigProto config() {
    ConfigProto.Builder b = ConfigProto.newBuilder().setAllowSoftPlacement(true);
    if (device.equals("cpu")) {
      b.putDeviceCount("GPU", 0);
    }
    if (xlaJit || !grappler) {
      GraphOptions.Builder g = GraphOptions.newBuilder();
      if (xlaJit) {
        g.setOptimizerOptions(OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1));
      }
      if (!grappler) {
        g.setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true));
      }
      b.setGraphOptions(g);
    }
    return b.build();
  }

  /**
   * The session config for the current settings with {@code cpuDevices} CPU devices in this process
   * ({@code device_count {"CPU": n}}), so that {@code /cpu:0} ... {@code /cpu:n-1} exist for data-parallel
   * training on one machine.
   */
  public static ConfigProto config(int cpuDevices) {
    if (cpuDevices < 1) {
      throw new IllegalArgumentException("cpuDevices must be >= 1. Received: " + cpuDevices);
    }
    ConfigProto base = config();
    return cpuDevices == 1 ? base : base.toBuilder().putDeviceCount("CPU", cpuDevices).build();
  }

  /** Whether TensorFlow can run an op on a GPU in this process (false with the CPU build). */
  public static boolean gpuAvailable() {
    try (Graph g = new Graph();
        Session s = new Session(g, ConfigProto.newBuilder().setAllowSoftPlacement(false).build())) {
      Ops tf = Ops.create(g).withDevice(
          DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
      Operand<TFloat32> x = tf.math.add(tf.constant(1f), tf.constant(1f));
      try (Result r = s.runner().fetch(x).run()) {
        return r.size() == 1;
      }
    } catch (RuntimeException e) {
      return false;
    }
  }
}
