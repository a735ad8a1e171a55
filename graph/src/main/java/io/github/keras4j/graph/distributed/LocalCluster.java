package io.github.keras4j.graph.distributed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TensorFlow cluster on this machine: every task is a child JVM running {@link TaskServerMain} on a free
 * loopback port ({@code 127.0.0.1}), started with the same {@code java} binary and class path as this process.
 * For tests and for trying distributed training on one machine.
 *
 * <pre>{@code
 * try (LocalCluster local = LocalCluster.start(2, 1)) {          // worker[2], ps[1]
 *   ClusterSpec cluster = local.cluster();
 *   try (Session s = RemoteSession.open(graph, cluster.target("worker", 0), ClusterSessions.config(cluster))) {
 *     ...
 *   }
 *   local.kill("worker", 1);       // SIGKILL, as a crashed machine
 *   local.restart("worker", 1);    // a fresh process on the same port
 * }                                // every child is killed
 * }</pre>
 *
 * <p>Since TensorFlow cannot stop a server, a task ends only with its process: {@link #kill} kills it and
 * {@link #close()} kills them all. Children also end when this JVM ends in any way (even {@code kill -9}): each
 * exits when its standard input, a pipe from this process, reaches end of file.
 *
 * <p>Children's output is captured: the last lines of each are kept ({@link #output}) and shown in the error when a
 * child fails to start; with {@link Builder#forwardOutput(PrintStream)} every line is also copied, prefixed by the
 * task ({@code [worker/1] ...}). TensorFlow logs a lot on standard error; children inherit this process's
 * environment, so {@code TF_CPP_MIN_LOG_LEVEL} set for this process applies to them, and it is set to 1 (no INFO
 * lines) when this process has none.
 */
public final class LocalCluster implements AutoCloseable {

  /** The number of output lines kept per task. */
  public static final int OUTPUT_LINES = 60;

  private final ClusterSpec cluster;
  private final Builder options;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private boolean closed;

  private LocalCluster(ClusterSpec cluster, Builder options) {
    this.cluster = cluster;
    this.options = options;
  }

  /**
   * Starts {@code workers} worker tasks and {@code ps} parameter-server tasks (jobs {@code "worker"} and
   * {@code "ps"}; a job with 0 tasks is left out) and waits until all are ready.
   *
   * @throws IllegalStateException if a task does not start in time (the message has its output's last lines)
   */
  public static LocalCluster start(int workers, int ps) {
    return builder().job("worker", workers).job("ps", ps).start();
  }

  /** A builder for other jobs ({@code "chief"}), timeouts, JVM options and output. */
  public static Builder builder() {
    return new Builder();
  }

  /** The cluster of the running tasks (loopback addresses). */
  public ClusterSpec cluster() {
    return cluster;
  }

  /**
   * The process of a task (the current one after a {@link #restart}).
   *
   * @throws IllegalArgumentException if the cluster has no such task
   */
  public synchronized Process process(String job, int index) {
    return task(job, index).process;
  }

  /** Whether the process of a task is alive. */
  public synchronized boolean isAlive(String job, int index) {
    return task(job, index).process.isAlive();
  }

  /** The last {@value #OUTPUT_LINES} lines the current process of a task wrote (standard output and error). */
  public synchronized String output(String job, int index) {
    return task(job, index).output.text();
  }

  /**
   * Kills a task's process ({@code SIGKILL}, as a crashed machine) and waits until it is gone. Killing a dead task
   * does nothing.
   */
  public synchronized void kill(String job, int index) {
    Task task = task(job, index);
    task.process.destroyForcibly();
    try {
      if (!task.process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Task " + cluster.device(job, index) + " (pid " + task.process.pid()
            + ") did not die within 10 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while killing " + cluster.device(job, index), e);
    }
  }

  /**
   * Kills a task if it is alive and starts a new process for it on the same port, waiting until it is ready. The
   * new task has fresh state: variables it held must be initialised or restored again.
   *
   * @throws IllegalStateException if it does not start in time
   */
  public synchronized void restart(String job, int index) {
    checkOpen();
    kill(job, index);
    Task task = launch(job, index);
    tasks.put(key(job, index), task);
    awaitReady(List.of(task));
  }

  /** Kills every task and waits until they are gone. Closing twice is allowed. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Task task : tasks.values()) {
      task.process.destroyForcibly();
    }
    for (Task task : tasks.values()) {
      try {
        task.process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public synchronized String toString() {
    StringBuilder out = new StringBuilder("LocalCluster").append(cluster).append(" pids {");
    String separator = "";
    for (Map.Entry<String, Task> entry : tasks.entrySet()) {
      Process process = entry.getValue().process;
      out.append(separator).append(entry.getKey()).append('=').append(process.pid())
          .append(process.isAlive() ? "" : " (dead)");
      separator = ", ";
    }
    return out.append('}').toString();
  }

  private void startAll() {
    try {
      for (String job : cluster.jobs()) {
        for (int i = 0; i < cluster.numTasks(job); i++) {
          tasks.put(key(job, i), launch(job, i));
        }
      }
      awaitReady(new ArrayList<>(tasks.values()));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private Task launch(String job, int index) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmOptions);
    for (String property : List.of("org.bytedeco.javacpp.cachedir", "java.library.path")) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TaskServerMain.class.getName());
    command.add(cluster.toSpecString());
    command.add(job);
    command.add(Integer.toString(index));
    command.add(TaskServerMain.EXIT_ON_STDIN_EOF);
    ProcessBuilder builder = new ProcessBuilder(command);
    if (System.getenv("TF_CPP_MIN_LOG_LEVEL") == null) {
      builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start a JVM for task " + cluster.device(job, index), e);
    }
    // The child's stdin stays open (never written): its end of file tells the child that this process is gone.
    Task task = new Task(job, index, process, new Tail(OUTPUT_LINES));
    String prefix = "[" + job + "/" + index + "] ";
    pump(process.getInputStream(), task, prefix, true);
    pump(process.getErrorStream(), task, prefix, false);
    return task;
  }

  private void pump(InputStream stream, Task task, String prefix, boolean stdout) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          task.output.add(line);
          if (options.forward != null) {
            options.forward.println(prefix + line);
          }
          if (stdout && line.startsWith("READY ")) {
            task.ready.complete(line);
          }
        }
      } catch (IOException e) {
        // The child is gone.
      }
      if (stdout) {
        task.ready.completeExceptionally(new IllegalStateException("the process ended before it was ready"));
      }
    }, "local-cluster-" + (stdout ? "out-" : "err-") + task.job + "-" + task.index);
    thread.setDaemon(true);
    thread.start();
  }

  private void awaitReady(List<Task> starting) {
    long deadline = System.nanoTime() + options.startTimeout.toNanos();
    for (Task task : starting) {
      String device = cluster.device(task.job, task.index);
      try {
        task.ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        String why = e instanceof TimeoutException
            ? "it printed no READY line within " + options.startTimeout.toMillis() + " ms"
            : e.getCause().getMessage();
        task.process.destroyForcibly();
        waitQuietly(task.process);
        throw new IllegalStateException("Task " + device + " (" + cluster.address(task.job, task.index)
            + ") did not start: " + why + exitStatus(task.process) + ". Its last output lines:\n"
            + task.output.text());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while starting " + device, e);
      }
    }
  }

  private static String exitStatus(Process process) {
    return process.isAlive() ? "" : " (exit status " + process.exitValue() + ")";
  }

  private static void waitQuietly(Process process) {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
      // Give the pumps a moment to read what the child wrote last.
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Task task(String job, int index) {
    cluster.address(job, index);
    return tasks.get(key(job, index));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This LocalCluster is closed");
    }
  }

  private static String key(String job, int index) {
    return job + "/" + index;
  }

  /** Free loopback ports, all held open together until all are found, so that they differ. */
  static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find free loopback ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // Nothing to do: the port is free again either way.
        }
      }
    }
  }

  private static final class Task {
    final String job;
    final int index;
    final Process process;
    final Tail output;
    final CompletableFuture<String> ready = new CompletableFuture<>();

    Task(String job, int index, Process process, Tail output) {
      this.job = job;
      this.index = index;
      this.process = process;
      this.output = output;
    }
  }

  /** The last lines of a stream. */
  private static final class Tail {
    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();

    Tail(int capacity) {
      this.capacity = capacity;
    }

    synchronized void add(String line) {
      if (lines.size() == capacity) {
        lines.removeFirst();
      }
      lines.addLast(line);
    }

    synchronized String text() {
      return String.join("\n", lines);
    }
  }

  /** Options of a {@link LocalCluster}; see {@link LocalCluster#builder()}. */
  public static final class Builder {
    private final Map<String, Integer> jobs = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(60);
    private List<String> jvmOptions = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private PrintStream forward;

    private Builder() {}

    /**
     * Adds a job of {@code tasks} tasks (none if 0).
     *
     * @throws IllegalArgumentException for a negative count or a job added twice
     */
    public Builder job(String name, int tasks) {
      if (tasks < 0) {
        throw new IllegalArgumentException("The number of tasks of job \"" + name + "\" must be >= 0. Received: "
            + tasks);
      }
      if (jobs.containsKey(name)) {
        throw new IllegalArgumentException("Job \"" + name + "\" was already added");
      }
      jobs.put(name, tasks);
      return this;
    }

    /** How long to wait for the tasks to print READY (all together at start, one for a restart). Default 60 s. */
    public Builder startTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("The start timeout must be positive. Received: " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * The child JVMs' options. Default {@code -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} (a task holds
     * tensors in native memory, not on the Java heap).
     */
    public Builder jvmOptions(List<String> options) {
      this.jvmOptions = List.copyOf(options);
      return this;
    }

    /** Copies every line the children write to {@code out}, prefixed by the task. Default: captured only. */
    public Builder forwardOutput(PrintStream out) {
      this.forward = out;
      return this;
    }

    /**
     * Picks free loopback ports, starts a child JVM per task and waits until every one is ready.
     *
     * @throws IllegalArgumentException if no task was asked for
     * @throws IllegalStateException if a task does not start in time; the others are killed
     */
    public LocalCluster start() {
      int total = jobs.values().stream().mapToInt(Integer::intValue).sum();
      if (total == 0) {
        throw new IllegalArgumentException("A local cluster needs at least one task. Received jobs " + jobs);
      }
      List<Integer> ports = freePorts(total);
      Map<String, List<String>> addresses = new LinkedHashMap<>();
      int next = 0;
      for (Map.Entry<String, Integer> entry : jobs.entrySet()) {
        if (entry.getValue() == 0) {
          continue;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < entry.getValue(); i++) {
          list.add("127.0.0.1:" + ports.get(next++));
        }
        addresses.put(entry.getKey(), list);
      }
      LocalCluster local = new LocalCluster(new ClusterSpec(addresses), this);
      local.startAll();
      return local;
    }
  }
}
