package io.github.keras4j.graph.distributed;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The process of one task: starts its {@link TaskServer}, prints {@code READY <job> <index> grpc://host:port} on
 * standard output once the server listens, then serves until the process ends.
 *
 * <pre>
 * java -cp CLASSPATH io.github.keras4j.graph.distributed.TaskServerMain \
 *     "worker=127.0.0.1:23451,127.0.0.1:23452;ps=127.0.0.1:23453" worker 1 [--exit-on-stdin-eof]
 * </pre>
 *
 * <p>The cluster is in {@link ClusterSpec#parse}'s one-line form. With {@code --exit-on-stdin-eof} the process
 * exits when its standard input reaches end of file: a parent that starts tasks as children ({@link LocalCluster})
 * keeps their standard input open, so the children end when the parent does, even if it is killed. Errors
 * (bad arguments, a port in use) print one line on standard error starting with {@code FAILED} and exit with
 * status 2.
 */
public final class TaskServerMain {

  /** The option that makes the task exit at end of file on standard input. */
  public static final String EXIT_ON_STDIN_EOF = "--exit-on-stdin-eof";

  private TaskServerMain() {}

  /**
   * Runs a task; see the class comment for the arguments.
   *
   * @param args cluster spec, job, index, and optionally {@value #EXIT_ON_STDIN_EOF}
   */
  public static void main(String[] args) {
    boolean watchStdin = false;
    String[] positional = new String[3];
    int count = 0;
    for (String arg : args) {
      if (arg.equals(EXIT_ON_STDIN_EOF)) {
        watchStdin = true;
      } else if (count < positional.length) {
        positional[count++] = arg;
      } else {
        fail("unexpected argument \"" + arg + "\"");
      }
    }
    if (count != 3) {
      fail("usage: TaskServerMain <cluster: job=host:port,...;job=...> <job> <index> [" + EXIT_ON_STDIN_EOF + "]");
    }
    TaskServer server;
    try {
      ClusterSpec cluster = ClusterSpec.parse(positional[0]);
      int index;
      try {
        index = Integer.parseInt(positional[2]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("The task index must be an integer. Received: \"" + positional[2]
            + "\"", e);
      }
      server = TaskServer.start(cluster, positional[1], index);
    } catch (RuntimeException e) {
      fail(e.toString());
      return;
    }
    if (watchStdin) {
      Thread watcher = new Thread(() -> exitAtEndOfInput(System.in), "stdin-watcher");
      watcher.setDaemon(true);
      watcher.start();
    }
    PrintStream out = System.out;
    out.println("READY " + server.job() + " " + server.index() + " " + server.target());
    out.flush();
    server.join();
  }

  private static void exitAtEndOfInput(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // Input is ignored; only its end matters.
      }
    } catch (IOException e) {
      // A broken pipe means the parent is gone as well.
    }
    // halt, not exit: TensorFlow's server threads are not stoppable and native destructors could block.
    Runtime.getRuntime().halt(0);
  }

  private static void fail(String message) {
    System.err.println("FAILED " + message);
    System.err.flush();
    Runtime.getRuntime().halt(2);
  }
}
