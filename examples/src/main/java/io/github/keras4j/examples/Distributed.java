package io.github.keras4j.examples;

import io.github.keras4j.distribution.DataParallel;
import io.github.keras4j.distribution.Distribution;
import io.github.keras4j.distribution.Distributions;
import io.github.keras4j.graph.distributed.LocalCluster;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code distributed} launcher: runs an example with data-parallel training on a TensorFlow cluster of child
 * JVMs on this machine.
 *
 * <pre>
 * java -jar keras4j-examples.jar distributed --workers 2 [--ps 1] mnist-mlp --data DIR --epochs 1
 * </pre>
 *
 * <p>It starts a {@link LocalCluster} of {@code --workers} worker tasks and {@code --ps} parameter-server tasks
 * (default 1) on free loopback ports ({@code 127.0.0.1}), prints the cluster spec, sets the process-wide
 * distribution to {@link DataParallel#fromCluster} (replicas on the workers, variables on the parameter servers,
 * session on worker 0), runs the example in this process (the client) and closes the cluster, also when the
 * example fails. The example's RESULT line gets the keys {@code workers} and {@code ps} and the seconds the
 * cluster took to start ({@code cluster_start_seconds}).
 *
 * <p>Every model the example trains with {@code fit}, {@code evaluate}, {@code predict} or a custom {@code Step}
 * is distributed; parts of an example that run their own TensorFlow graphs (raw TF Java) run in this process as
 * usual. A worker that dies makes the example fail with an error that names the task (exit code 1).
 */
public final class Distributed {

  /** The launcher's name on the command line. */
  public static final String NAME = "distributed";

  private Distributed() {}

  /**
   * Runs {@code distributed [--workers N] [--ps M] <example> [options...]}; {@code args[0]} is
   * {@value #NAME}. Returns the exit code: 0, 1 when the example or the cluster failed, 2 for a usage error.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    int workers = 2;
    int ps = 1;
    int i = 1;
    try {
      for (; i < args.length && args[i].startsWith("--"); i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("Option " + args[i] + " needs a value.");
        }
        int value = count(args[i], args[i + 1]);
        switch (args[i]) {
          case "--workers" -> {
            if (value < 1) {
              throw new IllegalArgumentException("--workers must be >= 1. Received: " + value);
            }
            workers = value;
          }
          case "--ps" -> ps = value;
          default -> throw new IllegalArgumentException("Unknown launcher option '" + args[i] + "' (before the "
              + "example's name: --workers N, --ps M).");
        }
      }
      if (i >= args.length) {
        throw new IllegalArgumentException("No example given after '" + NAME + "'.");
      }
      if (args[i].equals(NAME)) {
        throw new IllegalArgumentException("'" + NAME + "' cannot launch itself.");
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(usage());
      return 2;
    }
    String[] exampleArgs = Arrays.copyOfRange(args, i, args.length);
    if (!Runner.EXAMPLES.containsKey(exampleArgs[0])) {
      // Let the runner report the unknown name (exit code 2) before starting any process.
      return Runner.run(exampleArgs, out, err);
    }
    long t0 = System.nanoTime();
    LocalCluster local;
    try {
      local = LocalCluster.start(workers, ps);
    } catch (RuntimeException e) {
      err.println("Could not start the local cluster: " + e.getMessage());
      return 1;
    }
    double startSeconds = (System.nanoTime() - t0) / 1e9;
    Distribution previous = Distributions.get();
    try (local) {
      DataParallel dp = DataParallel.fromCluster(local.cluster());
      out.printf(Locale.ROOT, "Local cluster %s started in %.1f s; replicas %s, variables on %s, client session on "
          + "%s%n", local.cluster(), startSeconds, dp.devices(), dp.variableDevices(), dp.target());
      Distributions.set(dp);
      final int w = workers;
      final int p = ps;
      return Runner.run(exampleArgs, out, err, r -> r.put("workers", (long) w).put("ps", (long) p)
          .put("cluster_start_seconds", startSeconds));
    } finally {
      Distributions.set(previous);
    }
  }

  private static int count(String flag, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new IllegalArgumentException("Option " + flag + " must be >= 0. Received: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Option " + flag + " expects an integer. Received: " + value, e);
    }
  }

  /** The launcher's usage lines. */
  static String usage() {
    return "Usage: java -jar keras4j-examples.jar " + NAME + " [--workers N] [--ps M] <example> [example options]\n"
        + "  --workers N   worker tasks, one model replica each (default 2)\n"
        + "  --ps M        parameter-server tasks holding the variables (default 1; 0: on worker 0)\n";
  }
}
