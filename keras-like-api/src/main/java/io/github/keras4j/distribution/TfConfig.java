package io.github.keras4j.distribution;

import io.github.keras4j.graph.distributed.ClusterSpec;
import io.github.keras4j.saving.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code TF_CONFIG} environment variable of TensorFlow's multi-worker training: the cluster and which task this
 * process is.
 *
 * <pre>{@code
 * TF_CONFIG='{"cluster": {"worker": ["host0:2222", "host1:2222"], "ps": ["host2:2222"]},
 *             "task": {"type": "worker", "index": 1}}'
 *
 * TfConfig config = TfConfig.fromEnvironment().orElseThrow();
 * config.cluster();      // ClusterSpec {"worker": [...], "ps": [...]}
 * config.taskType();     // "worker"
 * config.taskIndex();    // 1
 * config.device();       // "/job:worker/task:1"
 * }</pre>
 *
 * <p>As in TensorFlow, {@code "task"} may be left out (then the type is empty and the index 0, as
 * {@code TFConfigClusterResolver} gives), its {@code "index"} defaults to 0, and other top-level keys (such as
 * {@code "environment"} or {@code "rpc_layer"}) are kept in {@link #raw()} but not interpreted. Unlike TensorFlow,
 * the cluster's jobs must list their tasks as arrays (the sparse {@code {"1": "host:port"}} form is rejected), and
 * the task must exist in the cluster (TensorFlow checks this only later, when the server starts).
 */
public final class TfConfig {

  /** The environment variable's name. */
  public static final String VARIABLE = "TF_CONFIG";

  private final ClusterSpec cluster;
  private final String taskType;
  private final int taskIndex;
  private final Map<String, Object> raw;

  private TfConfig(ClusterSpec cluster, String taskType, int taskIndex, Map<String, Object> raw) {
    this.cluster = cluster;
    this.taskType = taskType;
    this.taskIndex = taskIndex;
    this.raw = raw;
  }

  /**
   * The configuration in the {@code TF_CONFIG} environment variable, or empty if it is unset or blank.
   *
   * @throws IllegalArgumentException if it is set but malformed (see {@link #parse})
   */
  public static Optional<TfConfig> fromEnvironment() {
    return fromValue(System.getenv(VARIABLE));
  }

  /**
   * The configuration in a {@code TF_CONFIG} value, or empty if the value is null or blank (as an unset variable).
   * For callers that read the environment themselves (tests, launchers).
   *
   * @throws IllegalArgumentException if the value is malformed (see {@link #parse})
   */
  public static Optional<TfConfig> fromValue(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parse(value));
  }

  /**
   * Parses a {@code TF_CONFIG} JSON value.
   *
   * @throws IllegalArgumentException naming the field, what was expected and what was received: text that is not
   *     a JSON object, a missing or empty {@code "cluster"}, a job that is not an array of {@code "host:port"}
   *     strings, a {@code "task"} that is not an object, a {@code "type"} that is not a string, an
   *     {@code "index"} that is not a non-negative integer, or a task that is not in the cluster
   */
  public static TfConfig parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException(VARIABLE + " must be a JSON object. Received: null");
    }
    Map<String, Object> root = Json.parseObject(json, VARIABLE);
    Object clusterValue = root.get("cluster");
    if (!(clusterValue instanceof Map<?, ?> jobs)) {
      throw new IllegalArgumentException(VARIABLE + ": \"cluster\" must be an object of job names to arrays of "
          + "\"host:port\" strings, such as {\"worker\": [\"host0:2222\", \"host1:2222\"]}. Received: "
          + describe(clusterValue, root.containsKey("cluster")));
    }
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException(VARIABLE + ": \"cluster\" has no job; expected at least one, such as "
          + "{\"worker\": [\"host0:2222\"]}. Received: {}");
    }
    Map<String, List<String>> addresses = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : jobs.entrySet()) {
      String job = (String) entry.getKey();
      String field = "\"cluster\".\"" + job + "\"";
      if (!(entry.getValue() instanceof List<?> tasks)) {
        throw new IllegalArgumentException(VARIABLE + ": " + field + " must be an array of \"host:port\" strings. "
            + "Received: " + describe(entry.getValue(), true));
      }
      List<String> list = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        if (!(tasks.get(i) instanceof String address)) {
          throw new IllegalArgumentException(VARIABLE + ": " + field + "[" + i + "] must be a \"host:port\" "
              + "string. Received: " + describe(tasks.get(i), true));
        }
        list.add(address);
      }
      addresses.put(job, list);
    }
    ClusterSpec cluster;
    try {
      cluster = new ClusterSpec(addresses);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(VARIABLE + ": invalid \"cluster\": " + e.getMessage(), e);
    }

    String type = "";
    int index = 0;
    if (root.containsKey("task")) {
      if (!(root.get("task") instanceof Map<?, ?> task)) {
        throw new IllegalArgumentException(VARIABLE + ": \"task\" must be an object such as {\"type\": \"worker\", "
            + "\"index\": 0}. Received: " + describe(root.get("task"), true));
      }
      Object typeValue = task.get("type");
      if (!(typeValue instanceof String s)) {
        throw new IllegalArgumentException(VARIABLE + ": \"task\".\"type\" must be a job name of the cluster "
            + cluster.jobs() + " as a string. Received: " + describe(typeValue, task.containsKey("type")));
      }
      type = s;
      if (task.containsKey("index")) {
        Object indexValue = task.get("index");
        if (!(indexValue instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(VARIABLE + ": \"task\".\"index\" must be a non-negative integer. "
              + "Received: " + describe(indexValue, true));
        }
        index = n.intValue();
      }
      if (!cluster.hasJob(type)) {
        throw new IllegalArgumentException(VARIABLE + ": \"task\".\"type\" is \"" + type + "\", which is not a job "
            + "of the cluster; expected one of " + cluster.jobs() + ".");
      }
      if (index >= cluster.numTasks(type)) {
        throw new IllegalArgumentException(VARIABLE + ": \"task\".\"index\" is " + index + " but job \"" + type
            + "\" has " + cluster.numTasks(type) + " task(s) (indices 0.." + (cluster.numTasks(type) - 1) + ").");
      }
    }
    return new TfConfig(cluster, type, index, root);
  }

  /** The cluster. */
  public ClusterSpec cluster() {
    return cluster;
  }

  /** This task's job name ({@code "worker"}, {@code "ps"}, {@code "chief"}), or empty if {@code "task"} is absent. */
  public String taskType() {
    return taskType;
  }

  /** This task's index in its job (0 if not given). */
  public int taskIndex() {
    return taskIndex;
  }

  /** Whether {@code "task"} was given (a client that is not a task of the cluster may leave it out). */
  public boolean hasTask() {
    return !taskType.isEmpty();
  }

  /**
   * This task's device-name prefix, {@code /job:worker/task:1}.
   *
   * @throws IllegalStateException if {@code "task"} was not given
   */
  public String device() {
    checkTask();
    return cluster.device(taskType, taskIndex);
  }

  /**
   * This task's session target, {@code grpc://host:port}.
   *
   * @throws IllegalStateException if {@code "task"} was not given
   */
  public String target() {
    checkTask();
    return cluster.target(taskType, taskIndex);
  }

  /**
   * Whether this task is the chief, as Keras decides it: the {@code "chief"} task, or worker 0 when the cluster
   * has no {@code "chief"} job.
   */
  public boolean isChief() {
    if (taskType.equals("chief")) {
      return true;
    }
    return taskType.equals("worker") && taskIndex == 0 && !cluster.hasJob("chief");
  }

  /** The whole parsed value (keys in their order), including keys this class does not interpret. */
  public Map<String, Object> raw() {
    return java.util.Collections.unmodifiableMap(raw);
  }

  @Override
  public String toString() {
    return "TfConfig{cluster=" + cluster + ", task=" + (hasTask() ? taskType + ":" + taskIndex : "none") + "}";
  }

  private void checkTask() {
    if (!hasTask()) {
      throw new IllegalStateException(VARIABLE + " has no \"task\": this process is not a task of the cluster");
    }
  }

  private static String describe(Object value, boolean present) {
    return present ? Json.describe(value) : "nothing (the key is missing)";
  }
}
