package io.github.keras4j.graph.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.JobDef;

/** Names, targets, the ClusterDef proto and the one-line form of a cluster; bad clusters and their messages. */
class ClusterSpecTest {

  private static final ClusterSpec CLUSTER = ClusterSpec.builder()
      .job("worker", "127.0.0.1:23451", "127.0.0.1:23452")
      .job("ps", "127.0.0.1:23453")
      .build();

  @Test
  void namesTasks() {
    assertEquals(List.of("worker", "ps"), List.copyOf(CLUSTER.jobs()));
    assertEquals(List.of("127.0.0.1:23451", "127.0.0.1:23452"), CLUSTER.tasks("worker"));
    assertEquals(2, CLUSTER.numTasks("worker"));
    assertEquals(0, CLUSTER.numTasks("chief"));
    assertEquals("127.0.0.1:23452", CLUSTER.address("worker", 1));
    assertEquals("grpc://127.0.0.1:23452", CLUSTER.target("worker", 1));
    assertEquals("/job:worker/task:1", CLUSTER.device("worker", 1));
    assertEquals(List.of("/job:worker/task:0", "/job:worker/task:1", "/job:ps/task:0"), CLUSTER.devices());
    assertEquals("{\"worker\": [\"127.0.0.1:23451\", \"127.0.0.1:23452\"], \"ps\": [\"127.0.0.1:23453\"]}",
        CLUSTER.toString());
  }

  @Test
  void clusterDefHasEveryTask() {
    ClusterDef expected = ClusterDef.newBuilder()
        .addJob(JobDef.newBuilder().setName("worker").putTasks(0, "127.0.0.1:23451").putTasks(1, "127.0.0.1:23452"))
        .addJob(JobDef.newBuilder().setName("ps").putTasks(0, "127.0.0.1:23453"))
        .build();
    assertEquals(expected, CLUSTER.toClusterDef());
  }

  @Test
  void oneLineFormRoundTrips() {
    assertEquals("worker=127.0.0.1:23451,127.0.0.1:23452;ps=127.0.0.1:23453", CLUSTER.toSpecString());
    assertEquals(CLUSTER, ClusterSpec.parse(CLUSTER.toSpecString()));
    assertEquals(ClusterSpec.builder().job("w", "[::1]:80").build(), ClusterSpec.parse("w=[::1]:80"));
  }

  @Test
  void badClustersSayWhatIsWrong() {
    assertMessage("A cluster needs at least one job", Map.of());
    assertMessage("Invalid job name in the cluster: expected letters, digits and underscores starting with a letter "
        + "(such as \"worker\" or \"ps\"). Received: \"1worker\"", Map.of("1worker", List.of("a:1")));
    assertMessage("Job \"ps\" of the cluster has no task: expected a list of \"host:port\" addresses. Received: []",
        Map.of("ps", List.of()));
    for (String address : List.of("localhost", "host:0", "host:70000", ":2222", "host:port", "grpc://h:1")) {
      assertMessage("Task /job:worker/task:0 of the cluster has an invalid address", Map.of("worker",
          List.of(address)));
    }
    Map<String, List<String>> shared = new LinkedHashMap<>();
    shared.put("worker", List.of("h:1"));
    shared.put("ps", List.of("h:1"));
    assertMessage("Tasks /job:worker/task:0 and /job:ps/task:0 of the cluster have the same address h:1: every "
        + "task needs its own port.", shared);
    assertEquals("The cluster has no job \"chief\"; its jobs are [worker, ps].",
        assertThrows(IllegalArgumentException.class, () -> CLUSTER.target("chief", 0)).getMessage());
    assertEquals("Job \"worker\" has tasks 0..1. Received: index=2",
        assertThrows(IllegalArgumentException.class, () -> CLUSTER.device("worker", 2)).getMessage());
    assertEquals("Invalid job \"worker\" in the cluster spec \"worker\": expected job=host:port[,host:port...]",
        assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse("worker")).getMessage());
  }

  private static void assertMessage(String expectedStart, Map<String, List<String>> jobs) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(jobs));
    if (!e.getMessage().startsWith(expectedStart)) {
      assertEquals(expectedStart, e.getMessage());
    }
  }
}
