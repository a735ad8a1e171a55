package io.github.keras4j.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.SessionSettings;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Server;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * DataParallel on a TensorFlow cluster in this JVM: three in-process servers, worker[2] and ps[1], on free
 * localhost ports. Replicas run on the two workers, the variables live on the parameter server, and the client's
 * session is on worker 0. TensorFlow cannot stop servers in-process (Server.stop is unimplemented), so they live
 * until the test JVM ends; keep every cluster test in this class.
 */
class DataParallelClusterTest {

  private static final List<Server> SERVERS = new ArrayList<>();
  private static int[] ports;

  @BeforeAll
  static void startCluster() throws IOException {
    ports = new int[] {freePort(), freePort(), freePort()};
    ClusterDef cluster = ClusterDef.newBuilder()
        .addJob(JobDef.newBuilder().setName("worker").putTasks(0, "127.0.0.1:" + ports[0])
            .putTasks(1, "127.0.0.1:" + ports[1]))
        .addJob(JobDef.newBuilder().setName("ps").putTasks(0, "127.0.0.1:" + ports[2]))
        .build();
    String[] jobs = {"worker", "worker", "ps"};
    int[] tasks = {0, 1, 0};
    for (int i = 0; i < 3; i++) {
      Server s = new Server(ServerDef.newBuilder().setCluster(cluster).setJobName(jobs[i]).setTaskIndex(tasks[i])
          .setProtocol("grpc").build());
      s.start();
      SERVERS.add(s);
    }
  }

  @AfterAll
  static void leaveServers() {
    // Server.stop() is not implemented by TensorFlow: the servers end with the JVM.
    Distributions.set(null);
    Backend.clearSession();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void workersAndAParameterServerTrainAsOneDevice() {
    DataParallelTest.Run single = DataParallelTest.fit(null, 23, 8, 4);

    Backend.clearSession();
    Backend.setRandomSeed(42);
    DataParallel dp = DataParallel.builder().devices("/job:worker/task:0", "/job:worker/task:1")
        .target("grpc://127.0.0.1:" + ports[0]).build();
    assertEquals(List.of("/job:ps/task:0"), dp.variableDevices());
    Distributions.set(dp);
    float[][] x = DataParallelTest.xs(23, 3);
    try (Sequential m = DataParallelTest.model()) {
      m.compile(new CompileOptions().optimizer(new Adam(0.05f)).loss("sparse_categorical_crossentropy")
          .metrics("accuracy"));
      History h = m.fit(x, DataParallelTest.classes(x), new FitOptions().epochs(4).batchSize(8).shuffle(false)
          .verbose(0).sampleWeight(DataParallelTest.sampleWeights(23)));
      DataParallelTest.Run parallel = new DataParallelTest.Run(h, m.getWeights(),
          m.predict(DataParallelTest.xs(7, 9), 3));
      DataParallelTest.compare(single, parallel);

      GraphRuntime rt = m.runtime();
      List<String> devices = rt.listDevices();
      assertTrue(devices.stream().anyMatch(d -> d.startsWith("/job:ps/replica:0/task:0/")), devices.toString());
      for (GraphVariable v : rt.variables()) {
        assertEquals("/job:ps/task:0", ((org.tensorflow.GraphOperation) v.variable().op()).device(), v.name());
      }
      // The variables live once, on the parameter server: another client, with a graph of its own that only
      // names the variables (VariableV2 ops share state by name on their device), reads the same values through
      // a session on either worker.
      List<FloatNdArray> client = m.getWeights();
      List<GraphVariable> weights = m.variables();
      for (int w = 0; w < 2; w++) {
        float[][] read = DataParallelLocalClusterTest.readByName(weights, "grpc://127.0.0.1:" + ports[w],
            SessionSettings.config());
        for (int i = 0; i < weights.size(); i++) {
          assertArrayEquals(DataParallelTest.flat(client.get(i)), read[i], "worker " + w + ", " + weights.get(i).name());
        }
      }
    }
  }
}
