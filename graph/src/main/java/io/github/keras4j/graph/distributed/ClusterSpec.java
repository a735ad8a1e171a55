package io.github.keras4j.graph.distributed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.JobDef;

/**
 * The tasks of a TensorFlow cluster: job names ({@code "worker"}, {@code "ps"}, {@code "chief"}) each mapped to
 * the ordered {@code host:port} addresses of its tasks, as in TensorFlow's {@code tf.train.ClusterSpec} and the
 * {@code "cluster"} part of {@code TF_CONFIG}:
 *
 * <pre>{@code
 * ClusterSpec cluster = ClusterSpec.builder()
 *     .job("worker", "127.0.0.1:23451", "127.0.0.1:23452")
 *     .job("ps", "127.0.0.1:23453")
 *     .build();
 * cluster.device("worker", 1);   // "/job:worker/task:1"
 * cluster.target("worker", 1);   // "grpc://127.0.0.1:23452"
 * cluster.toClusterDef();        // the proto a TensorFlow server is started with
 * }</pre>
 *
 * <p>Task {@code i} of a job is the {@code i}-th address of its list. Unlike TensorFlow's Python class, the
 * sparse form ({@code {"worker": {1: "host:port"}}}) is not supported: every job lists all its tasks. Jobs keep
 * the order they were given in. Instances are immutable.
 */
public final class ClusterSpec {

  /** TensorFlow's device-name grammar for a job name ({@code DeviceNameUtils}). */
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private final Map<String, List<String>> jobs;

  /**
   * A cluster from job names to their task addresses.
   *
   * @param jobs job name to the {@code host:port} of each task, task 0 first; the map's iteration order is kept
   * @throws IllegalArgumentException for no jobs, a job with no task, a job name TensorFlow does not accept
   *     (letters, digits and underscores, starting with a letter), an address that is not {@code host:port} with
   *     a port in 1..65535, or the same address used by two tasks
   */
  public ClusterSpec(Map<String, ? extends List<String>> jobs) {
    if (jobs == null || jobs.isEmpty()) {
      throw new IllegalArgumentException("A cluster needs at least one job, such as {\"worker\": "
          + "[\"127.0.0.1:23451\"]}. Received: " + jobs);
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (Map.Entry<String, ? extends List<String>> entry : jobs.entrySet()) {
      String job = entry.getKey();
      if (job == null || !JOB_NAME.matcher(job).matches()) {
        throw new IllegalArgumentException("Invalid job name in the cluster: expected letters, digits and "
            + "underscores starting with a letter (such as \"worker\" or \"ps\"). Received: "
            + (job == null ? "null" : "\"" + job + "\""));
      }
      List<String> tasks = entry.getValue();
      if (tasks == null || tasks.isEmpty()) {
        throw new IllegalArgumentException("Job \"" + job + "\" of the cluster has no task: expected a list of "
            + "\"host:port\" addresses. Received: " + tasks);
      }
      List<String> addresses = new ArrayList<>(tasks.size());
      for (int i = 0; i < tasks.size(); i++) {
        String address = tasks.get(i);
        checkAddress(job, i, address);
        String device = deviceName(job, i);
        String previous = owners.putIfAbsent(address, device);
        if (previous != null) {
          throw new IllegalArgumentException("Tasks " + previous + " and " + device + " of the cluster have the "
              + "same address " + address + ": every task needs its own port.");
        }
        addresses.add(address);
      }
      copy.put(job, Collections.unmodifiableList(addresses));
    }
    this.jobs = Collections.unmodifiableMap(copy);
  }

  /** A builder that adds jobs in order. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the one-line form {@link #toSpecString()} writes: {@code worker=h:p,h:p;ps=h:p} (jobs separated by
   * {@code ;}, addresses by {@code ,}). This is the form {@link TaskServerMain} takes on its command line.
   *
   * @throws IllegalArgumentException for text not of that form, or a cluster the constructor rejects
   */
  public static ClusterSpec parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("Empty cluster spec: expected jobs such as "
          + "\"worker=127.0.0.1:23451,127.0.0.1:23452;ps=127.0.0.1:23453\". Received: "
          + (spec == null ? "null" : "\"" + spec + "\""));
    }
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (String part : spec.split(";")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("Invalid job \"" + part + "\" in the cluster spec \"" + spec
            + "\": expected job=host:port[,host:port...]");
      }
      String job = part.substring(0, eq).trim();
      List<String> addresses = new ArrayList<>();
      for (String address : part.substring(eq + 1).split(",", -1)) {
        addresses.add(address.trim());
      }
      if (jobs.put(job, addresses) != null) {
        throw new IllegalArgumentException("Job \"" + job + "\" appears twice in the cluster spec \"" + spec
            + "\"");
      }
    }
    return new ClusterSpec(jobs);
  }

  /** The one-line form {@link #parse} reads, such as {@code worker=127.0.0.1:23451,127.0.0.1:23452;ps=...}. */
  public String toSpecString() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<String>> entry : jobs.entrySet()) {
      if (out.length() > 0) {
        out.append(';');
      }
      out.append(entry.getKey()).append('=').append(String.join(",", entry.getValue()));
    }
    return out.toString();
  }

  /** The job names, in order. */
  public Set<String> jobs() {
    return jobs.keySet();
  }

  /** Whether the cluster has this job. */
  public boolean hasJob(String job) {
    return jobs.containsKey(job);
  }

  /**
   * The task addresses of a job, task 0 first.
   *
   * @throws IllegalArgumentException if the cluster has no such job
   */
  public List<String> tasks(String job) {
    List<String> tasks = jobs.get(job);
    if (tasks == null) {
      throw new IllegalArgumentException("The cluster has no job \"" + job + "\"; its jobs are " + jobs.keySet()
          + ".");
    }
    return tasks;
  }

  /** The number of tasks of a job (0 if the cluster has no such job, as TensorFlow's {@code num_tasks}). */
  public int numTasks(String job) {
    List<String> tasks = jobs.get(job);
    return tasks == null ? 0 : tasks.size();
  }

  /**
   * The {@code host:port} of a task.
   *
   * @throws IllegalArgumentException if the cluster has no such job or task
   */
  public String address(String job, int index) {
    List<String> tasks = tasks(job);
    if (index < 0 || index >= tasks.size()) {
      throw new IllegalArgumentException("Job \"" + job + "\" has tasks 0.." + (tasks.size() - 1)
          + ". Received: index=" + index);
    }
    return tasks.get(index);
  }

  /** The session target of a task, {@code grpc://host:port}. */
  public String target(String job, int index) {
    return "grpc://" + address(job, index);
  }

  /**
   * The device-name prefix of a task, {@code /job:worker/task:1}, for {@code Ops.withDevice(DeviceSpec.newBuilder()
   * .job(job).task(index).build())} or to name the task in messages. The task is checked to exist.
   */
  public String device(String job, int index) {
    address(job, index);
    return deviceName(job, index);
  }

  private static String deviceName(String job, int index) {
    return "/job:" + job + "/task:" + index;
  }

  /** Every task as its device name ({@code /job:ps/task:0}), jobs in order, tasks in order. */
  public List<String> devices() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> entry : jobs.entrySet()) {
      for (int i = 0; i < entry.getValue().size(); i++) {
        out.add(deviceName(entry.getKey(), i));
      }
    }
    return out;
  }

  /** The jobs and their addresses as an unmodifiable map (the shape of {@code TF_CONFIG}'s {@code "cluster"}). */
  public Map<String, List<String>> asMap() {
    return jobs;
  }

  /** TensorFlow's {@code ClusterDef} proto of this cluster, for a {@code ServerDef} or a session's config. */
  public ClusterDef toClusterDef() {
    ClusterDef.Builder cluster = ClusterDef.newBuilder();
    for (Map.Entry<String, List<String>> entry : jobs.entrySet()) {
      JobDef.Builder job = JobDef.newBuilder().setName(entry.getKey());
      for (int i = 0; i < entry.getValue().size(); i++) {
        job.putTasks(i, entry.getValue().get(i));
      }
      cluster.addJob(job);
    }
    return cluster.build();
  }

  /** The cluster as TensorFlow prints a cluster spec: {@code {"worker": ["127.0.0.1:23451"], "ps": [...]}}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, List<String>> entry : jobs.entrySet()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append('"').append(entry.getKey()).append("\": [");
      for (int i = 0; i < entry.getValue().size(); i++) {
        out.append(i > 0 ? ", " : "").append('"').append(entry.getValue().get(i)).append('"');
      }
      out.append(']');
    }
    return out.append('}').toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClusterSpec that && jobs.equals(that.jobs);
  }

  @Override
  public int hashCode() {
    return jobs.hashCode();
  }

  private static void checkAddress(String job, int index, String address) {
    String where = "Task " + deviceName(job, index) + " of the cluster";
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException(where + " has no address: expected \"host:port\". Received: "
          + (address == null ? "null" : "\"" + address + "\""));
    }
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? "" : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon + 1);
    boolean ipv6 = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
    boolean hostOk = !host.isEmpty() && !host.contains("/") && !host.contains(" ")
        && (ipv6 || !host.contains(":"));
    int portNumber = -1;
    if (port.matches("[0-9]{1,5}")) {
      portNumber = Integer.parseInt(port);
    }
    if (!hostOk || portNumber < 1 || portNumber > 65535) {
      throw new IllegalArgumentException(where + " has an invalid address: expected \"host:port\" with a port "
          + "in 1..65535 (no scheme: \"127.0.0.1:23451\", not \"grpc://127.0.0.1:23451\"). Received: \""
          + address + "\"");
    }
  }

  /** Adds jobs in order; see {@link ClusterSpec#builder()}. */
  public static final class Builder {
    private final Map<String, List<String>> jobs = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a job and its task addresses, task 0 first.
     *
     * @throws IllegalArgumentException if the job was already added
     */
    public Builder job(String name, String... addresses) {
      return job(name, List.of(addresses));
    }

    /**
     * Adds a job and its task addresses, task 0 first.
     *
     * @throws IllegalArgumentException if the job was already added
     */
    public Builder job(String name, List<String> addresses) {
      if (jobs.containsKey(name)) {
        throw new IllegalArgumentException("Job \"" + name + "\" was already added to the cluster");
      }
      jobs.put(name, new ArrayList<>(addresses));
      return this;
    }

    /** The cluster; see the {@link ClusterSpec#ClusterSpec(Map) constructor} for what is checked. */
    public ClusterSpec build() {
      return new ClusterSpec(jobs);
    }
  }
}
