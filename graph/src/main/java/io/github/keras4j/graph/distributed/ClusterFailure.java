package io.github.keras4j.graph.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session run on a cluster failed because of a task (its process died, stalled or was restarted), with a message
 * that names the task: {@code Task /job:worker/task:1 (127.0.0.1:23452) is not reachable: <TensorFlow's message>}.
 * The TensorFlow exception is the cause.
 *
 * <p>TensorFlow's own messages name tasks only sometimes ({@code From /job:worker/replica:0/task:1: Socket closed})
 * and not at all when a run times out ({@code Deadline Exceeded}). {@link #diagnose} adds what it can find: it probes
 * the cluster's tasks ({@link TaskProbe}) and reads task names out of TensorFlow's message.
 *
 * <pre>{@code
 * try (Result result = session.runner().fetch(loss).run()) {
 *   ...
 * } catch (RuntimeException e) {
 *   throw ClusterFailure.diagnose(cluster, e);   // a ClusterFailure, or e itself when no task is at fault
 * }
 * }</pre>
 */
public final class ClusterFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How long {@link #diagnose} waits for each task's probe. */
  public static final Duration PROBE_TIMEOUT = Duration.ofMillis(1000);

  /** A task as TensorFlow names it in messages: {@code /job:worker/replica:0/task:1}. */
  private static final Pattern TASK = Pattern.compile("/job:([A-Za-z][A-Za-z0-9_]*)(?:/replica:\\d+)?/task:(\\d+)");

  /** Messages of TensorFlow's distributed runtime that mean a task failed, stalled or restarted. */
  private static final Pattern CLUSTER_ERROR = Pattern.compile("(?i)deadline.exceeded|unavailable|socket closed"
      + "|connection reset|failed to connect|connection refused|session handle is not found|device incarnation"
      + "|just restarted|was probably restarted|cancelled|aborted");

  /** Messages saying that a task's process was replaced by a new one. */
  private static final Pattern RESTARTED = Pattern.compile("(?i)session handle is not found|device incarnation"
      + "|just restarted|was probably restarted");

  /** A line that starts a new status in TensorFlow's multi-status messages ({@code UNAVAILABLE: From ...}). */
  private static final Pattern STATUS_LINE = Pattern.compile("[A-Z_]+: |From /job:");

  private final List<String> tasks;

  /**
   * A failure of the given tasks.
   *
   * @param tasks the device names of the tasks at fault ({@code /job:worker/task:1}); empty if unknown
   */
  public ClusterFailure(String message, List<String> tasks, Throwable cause) {
    super(message, cause);
    this.tasks = List.copyOf(tasks);
  }

  /** The device names of the tasks at fault ({@code /job:worker/task:1}), possibly empty. */
  public List<String> tasks() {
    return tasks;
  }

  /**
   * Explains an exception thrown by a session run on {@code cluster}.
   *
   * <p>When the message is one of TensorFlow's transport, timeout or restart errors, every task is probed (at most
   * {@link #PROBE_TIMEOUT} each, in parallel) and the result is a {@code ClusterFailure} naming, in this order of
   * preference: the tasks whose port is closed ("is not reachable"), the tasks that accept connections but do not
   * answer ("does not respond"), the task TensorFlow says was restarted ("was restarted"), the task TensorFlow's
   * message names ("failed"), or, with every task answering, the whole cluster ("A run on the cluster failed").
   * Any other exception (a shape error, a missing feed) is returned unchanged, as is a {@code ClusterFailure}.
   *
   * @return the exception to throw
   */
  public static RuntimeException diagnose(ClusterSpec cluster, RuntimeException error) {
    if (error instanceof ClusterFailure) {
      return error;
    }
    String message = error.getMessage() == null ? "" : error.getMessage();
    if (!CLUSTER_ERROR.matcher(message).find()) {
      return error;
    }
    String tfMessage = condense(message);
    Map<String, TaskProbe.State> states = TaskProbe.probeAll(cluster, PROBE_TIMEOUT);
    List<String> down = withState(states, TaskProbe.State.NOT_REACHABLE);
    if (!down.isEmpty()) {
      return new ClusterFailure(describe(cluster, down) + (down.size() == 1 ? " is" : " are")
          + " not reachable (nothing listens on the port: the process is gone): " + tfMessage, down, error);
    }
    List<String> stalled = withState(states, TaskProbe.State.NOT_RESPONDING);
    if (!stalled.isEmpty()) {
      return new ClusterFailure(describe(cluster, stalled) + (stalled.size() == 1 ? " does" : " do")
          + " not respond (the port accepts connections but no gRPC server answers within "
          + PROBE_TIMEOUT.toMillis() + " ms: stopped, hung or overloaded): " + tfMessage, stalled, error);
    }
    List<String> named = namedTasks(cluster, message);
    if (!named.isEmpty() && RESTARTED.matcher(message).find()) {
      // TensorFlow names the restarted task in "Possibly this worker (...) just restarted" / "Your worker job
      // (...) was probably restarted"; the first name in such a message is that task.
      List<String> restarted = List.of(named.get(0));
      return new ClusterFailure(describe(cluster, restarted) + " was restarted since this session began (its "
          + "state, such as variables it held, is gone): open a new session and initialise or restore the "
          + "variables. " + tfMessage, restarted, error);
    }
    if (!named.isEmpty()) {
      return new ClusterFailure(describe(cluster, named) + " failed (every task answers now): " + tfMessage,
          named, error);
    }
    return new ClusterFailure("A run on the cluster " + cluster + " failed; every task answers now: "
        + tfMessage, List.of(), error);
  }

  private static List<String> withState(Map<String, TaskProbe.State> states, TaskProbe.State state) {
    List<String> out = new ArrayList<>();
    states.forEach((device, s) -> {
      if (s == state) {
        out.add(device);
      }
    });
    return out;
  }

  /** The cluster's tasks that a TensorFlow message names, in the order of first mention. */
  static List<String> namedTasks(ClusterSpec cluster, String message) {
    List<String> out = new ArrayList<>();
    String restartedName = restartedTask(message);
    if (restartedName != null) {
      out.add(restartedName);
    }
    Matcher m = TASK.matcher(message);
    while (m.find()) {
      String job = m.group(1);
      int index = Integer.parseInt(m.group(2));
      if (index < cluster.numTasks(job)) {
        String device = cluster.device(job, index);
        if (!out.contains(device)) {
          out.add(device);
        }
      }
    }
    return out;
  }

  /** The task inside "(...) just restarted" / "(...) was probably restarted", or null. */
  private static String restartedTask(String message) {
    Matcher m = Pattern.compile("\\(\"?(/job:[^)\"]*)\"?\\)\\s*(?:just restarted|was probably restarted)")
        .matcher(message);
    if (!m.find()) {
      return null;
    }
    Matcher task = TASK.matcher(m.group(1));
    return task.find() ? "/job:" + task.group(1) + "/task:" + task.group(2) : null;
  }

  private static String describe(ClusterSpec cluster, List<String> devices) {
    StringBuilder out = new StringBuilder(devices.size() == 1 ? "Task " : "Tasks ");
    for (int i = 0; i < devices.size(); i++) {
      Matcher m = TASK.matcher(devices.get(i));
      m.find();
      String address = cluster.address(m.group(1), Integer.parseInt(m.group(2)));
      out.append(i == 0 ? "" : ", ").append(devices.get(i)).append(" (").append(address).append(')');
    }
    return out.toString();
  }

  /** TensorFlow's message without gRPC's JSON details and banners, on one line, at most 600 characters. */
  static String condense(String message) {
    StringBuilder out = new StringBuilder();
    for (String line : message.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith(":{") || trimmed.startsWith("Additional GRPC error")
          || trimmed.startsWith("=====")) {
        continue;
      }
      if (out.length() > 0) {
        out.append(STATUS_LINE.matcher(trimmed).lookingAt() ? " | " : " ");
      }
      out.append(trimmed);
    }
    String text = out.toString();
    return text.length() > 600 ? text.substring(0, 600) + "..." : text;
  }
}
