package io.github.keras4j.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.distributed.ClusterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TF_CONFIG values written by hand in the shape TensorFlow's documentation gives them. */
class TfConfigTest {

  private static final String CLUSTER = "{\"worker\": [\"host0:2222\", \"host1:2222\"], \"ps\": [\"host2:2222\"]}";

  @Test
  void parsesClusterAndTask() {
    TfConfig config = TfConfig.parse("{\"cluster\": " + CLUSTER + ", \"task\": {\"type\": \"worker\", "
        + "\"index\": 1}, \"environment\": \"cloud\"}");
    assertEquals(ClusterSpec.builder().job("worker", "host0:2222", "host1:2222").job("ps", "host2:2222").build(),
        config.cluster());
    assertEquals("worker", config.taskType());
    assertEquals(1, config.taskIndex());
    assertEquals("/job:worker/task:1", config.device());
    assertEquals("grpc://host1:2222", config.target());
    assertFalse(config.isChief());
    assertEquals("cloud", config.raw().get("environment"));
    assertEquals("TfConfig{cluster={\"worker\": [\"host0:2222\", \"host1:2222\"], \"ps\": [\"host2:2222\"]}, "
        + "task=worker:1}", config.toString());
  }

  @Test
  void chiefFollowsKeras() {
    // No chief job: worker 0 is the chief. With a chief job: only it.
    assertTrue(TfConfig.parse("{\"cluster\": " + CLUSTER + ", \"task\": {\"type\": \"worker\"}}").isChief());
    TfConfig withChief = TfConfig.parse("{\"cluster\": {\"chief\": [\"c:1\"], \"worker\": [\"w:1\"]}, "
        + "\"task\": {\"type\": \"worker\", \"index\": 0}}");
    assertFalse(withChief.isChief());
    assertTrue(TfConfig.parse("{\"cluster\": {\"chief\": [\"c:1\"], \"worker\": [\"w:1\"]}, "
        + "\"task\": {\"type\": \"chief\"}}").isChief());
  }

  @Test
  void taskIsOptional() {
    TfConfig config = TfConfig.parse("{\"cluster\": " + CLUSTER + "}");
    assertFalse(config.hasTask());
    assertEquals("", config.taskType());
    assertEquals(0, config.taskIndex());
    IllegalStateException e = assertThrows(IllegalStateException.class, config::device);
    assertEquals("TF_CONFIG has no \"task\": this process is not a task of the cluster", e.getMessage());
  }

  @Test
  void blankOrNullValueIsAbsent() {
    assertTrue(TfConfig.fromValue(null).isEmpty());
    assertTrue(TfConfig.fromValue("  ").isEmpty());
    assertEquals(1, TfConfig.fromValue("{\"cluster\": {\"worker\": [\"a:1\"]}}").orElseThrow().cluster()
        .numTasks("worker"));
    // The surefire JVM has no TF_CONFIG unless someone exported one: then it must at least parse.
    if (System.getenv("TF_CONFIG") == null) {
      assertTrue(TfConfig.fromEnvironment().isEmpty());
    }
  }

  @Test
  void malformedInputNamesTheFieldExpectationAndValue() {
    assertMessage("Invalid JSON in TF_CONFIG", "{\"cluster\": ");
    assertMessage("Invalid JSON in TF_CONFIG: expected an object ({...}), found an array", "[1]");
    assertMessage("TF_CONFIG: \"cluster\" must be an object of job names to arrays of \"host:port\" strings, such "
        + "as {\"worker\": [\"host0:2222\", \"host1:2222\"]}. Received: nothing (the key is missing)",
        "{\"task\": {\"type\": \"worker\"}}");
    assertMessage("TF_CONFIG: \"cluster\" has no job; expected at least one, such as {\"worker\": "
        + "[\"host0:2222\"]}. Received: {}", "{\"cluster\": {}}");
    assertMessage("TF_CONFIG: \"cluster\".\"worker\" must be an array of \"host:port\" strings. Received: the "
        + "string \"host0:2222\"", "{\"cluster\": {\"worker\": \"host0:2222\"}}");
    assertMessage("TF_CONFIG: \"cluster\".\"worker\"[1] must be a \"host:port\" string. Received: the number 2222",
        "{\"cluster\": {\"worker\": [\"host0:2222\", 2222]}}");
    assertMessage("TF_CONFIG: invalid \"cluster\": Task /job:worker/task:0 of the cluster has an invalid address: "
        + "expected \"host:port\" with a port in 1..65535 (no scheme: \"127.0.0.1:23451\", not "
        + "\"grpc://127.0.0.1:23451\"). Received: \"grpc://host0:2222\"",
        "{\"cluster\": {\"worker\": [\"grpc://host0:2222\"]}}");
    assertMessage("TF_CONFIG: \"task\" must be an object such as {\"type\": \"worker\", \"index\": 0}. Received: "
        + "the string \"worker\"", "{\"cluster\": " + CLUSTER + ", \"task\": \"worker\"}");
    assertMessage("TF_CONFIG: \"task\".\"type\" must be a job name of the cluster [worker, ps] as a string. "
        + "Received: nothing (the key is missing)", "{\"cluster\": " + CLUSTER + ", \"task\": {\"index\": 0}}");
    assertMessage("TF_CONFIG: \"task\".\"index\" must be a non-negative integer. Received: the string \"1\"",
        "{\"cluster\": " + CLUSTER + ", \"task\": {\"type\": \"worker\", \"index\": \"1\"}}");
    assertMessage("TF_CONFIG: \"task\".\"index\" must be a non-negative integer. Received: the number 1.5",
        "{\"cluster\": " + CLUSTER + ", \"task\": {\"type\": \"worker\", \"index\": 1.5}}");
    assertMessage("TF_CONFIG: \"task\".\"type\" is \"chief\", which is not a job of the cluster; expected one of "
        + "[worker, ps].", "{\"cluster\": " + CLUSTER + ", \"task\": {\"type\": \"chief\", \"index\": 0}}");
    assertMessage("TF_CONFIG: \"task\".\"index\" is 2 but job \"worker\" has 2 task(s) (indices 0..1).",
        "{\"cluster\": " + CLUSTER + ", \"task\": {\"type\": \"worker\", \"index\": 2}}");
  }

  @Test
  void clusterKeepsJobOrder() {
    TfConfig config = TfConfig.parse("{\"cluster\": {\"ps\": [\"p:1\"], \"chief\": [\"c:1\"], \"worker\": "
        + "[\"w:1\", \"w:2\"]}}");
    assertEquals(List.of("ps", "chief", "worker"), List.copyOf(config.cluster().jobs()));
    assertEquals(Map.of("ps", List.of("p:1"), "chief", List.of("c:1"), "worker", List.of("w:1", "w:2")),
        config.cluster().asMap());
  }

  private static void assertMessage(String expectedStart, String json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfConfig.parse(json));
    assertTrue(e.getMessage().startsWith(expectedStart), "message: " + e.getMessage());
  }
}
