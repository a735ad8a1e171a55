package io.github.keras4j.graph.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Diagnosis without TensorFlow servers: a port nobody listens on, a socket that accepts but never answers, and
 * messages TensorFlow 2.18 gave in LocalClusterTest's runs (pasted).
 */
class ClusterFailureTest {

  /** TensorFlow's message for a run after worker 1 was restarted (pasted from a measured run). */
  private static final String RESTARTED = "\n=====================\nABORTED: From /job:worker/replica:0/task:1:\n"
      + "Session handle is not found: 37197e6d13ddc823. Possibly this worker (\"/job:worker/replica:0/task:1\") "
      + "just restarted.\nABORTED: From /job:worker/replica:0/task:0:\nRecvTensor expects a different device "
      + "incarnation: 1761491402774465886 vs. 9025367379058946646. Your worker job (\"/job:worker/replica:0/task:1\")"
      + " was probably restarted. Check your worker job for the reason why it was restarted.\n"
      + "\t [[{{node ReduceSum_S3}}]]\n=====================\n";

  @Test
  void unreachableAndSilentTasksAreNamed() throws IOException {
    int closedPort;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = closed.getLocalPort();
    }
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ClusterSpec cluster = ClusterSpec.builder()
          .job("worker", "127.0.0.1:" + silent.getLocalPort(), "127.0.0.1:" + closedPort)
          .build();
      // The silent socket accepts (the kernel's backlog) but never answers the HTTP/2 preface.
      assertEquals(TaskProbe.State.NOT_RESPONDING, TaskProbe.probe(cluster.address("worker", 0),
          Duration.ofMillis(300)));
      assertEquals(TaskProbe.State.NOT_REACHABLE, TaskProbe.probe(cluster.address("worker", 1),
          Duration.ofMillis(300)));
      RuntimeException error = ClusterFailure.diagnose(cluster, new RuntimeException(
          "From /job:worker/replica:0/task:1:\nSocket closed\nAdditional GRPC error information from remote target "
          + "/job:worker/replica:0/task:1 while calling /tensorflow.WorkerService/RunGraph:\n:{\"created\":\"@1\"}"));
      ClusterFailure failure = assertInstanceOf(ClusterFailure.class, error);
      assertEquals("Task /job:worker/task:1 (127.0.0.1:" + closedPort + ") is not reachable (nothing listens on "
          + "the port: the process is gone): From /job:worker/replica:0/task:1: Socket closed", failure.getMessage());
      assertEquals(List.of("/job:worker/task:1"), failure.tasks());
    }
  }

  @Test
  void restartedTaskIsReadFromTheMessage() throws IOException {
    // A cluster whose tasks all "answer": a tiny server that replies with an empty HTTP/2 SETTINGS frame.
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread responder = new Thread(() -> {
        try {
          while (true) {
            try (Socket s = server.accept()) {
              s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
              s.getOutputStream().flush();
              s.getInputStream().readNBytes(33);
            }
          }
        } catch (IOException e) {
          // Closed by the test.
        }
      });
      responder.setDaemon(true);
      responder.start();
      ClusterSpec cluster = ClusterSpec.builder().job("worker", "127.0.0.1:" + server.getLocalPort(), "h:2")
          .build();
      assertEquals(TaskProbe.State.RESPONDING, TaskProbe.probe(cluster.address("worker", 0),
          Duration.ofMillis(1000)));
      assertEquals(List.of("/job:worker/task:1", "/job:worker/task:0"),
          ClusterFailure.namedTasks(cluster, RESTARTED));
    }
  }

  @Test
  void condensedMessageDropsGrpcDetails() {
    assertEquals("ABORTED: From /job:worker/replica:0/task:1: Session handle is not found: 37197e6d13ddc823. "
        + "Possibly this worker (\"/job:worker/replica:0/task:1\") just restarted. | ABORTED: From "
        + "/job:worker/replica:0/task:0: RecvTensor expects a different device incarnation: 1761491402774465886 vs. "
        + "9025367379058946646. Your worker job (\"/job:worker/replica:0/task:1\") was probably restarted. Check "
        + "your worker job for the reason why it was restarted. [[{{node ReduceSum_S3}}]]",
        ClusterFailure.condense(RESTARTED));
  }

  @Test
  void otherErrorsPassThrough() {
    ClusterSpec cluster = ClusterSpec.builder().job("worker", "127.0.0.1:1").build();
    RuntimeException shapes = new IllegalArgumentException("Matrix size-incompatible: In[0]: [2,3], In[1]: [4,1]");
    assertSame(shapes, ClusterFailure.diagnose(cluster, shapes));
    ClusterFailure already = new ClusterFailure("x", List.of(), null);
    assertSame(already, ClusterFailure.diagnose(cluster, already));
  }
}
