package io.github.keras4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.distribution.DataParallel;
import io.github.keras4j.distribution.Distributions;
import io.github.keras4j.graph.distributed.ClusterFailure;
import io.github.keras4j.graph.distributed.LocalCluster;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.models.WeightsFile;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.Callback;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Acceptance test of issue 11's fault behaviour, on a cluster of child JVMs on loopback (worker[2] + ps[1]): a
 * worker killed in the middle of epoch 3 makes {@code fit} fail with a {@link ClusterFailure} that names it, the
 * files written so far (BackupAndRestore's backup, ModelCheckpoint's checkpoints, CSVLogger's log) are whole, and
 * after a restart of the worker a new model in a fresh runtime resumes from the backup at epoch 3 and ends with
 * the weights of a run that was never interrupted.
 *
 * <p>Tolerance: the uninterrupted reference runs on one device in this JVM; the distributed run splits every batch
 * of 8 into 4 + 4 rows on the two workers and adds the gradients on the parameter server, so results differ only by
 * the order of float32 additions (DataParallelTest: 1e-5 relative on losses, 1e-5 absolute on weights). Resuming
 * adds no error: the backup holds the weights and Adam's slots and step counter exactly.
 */
class BackupAndRestoreClusterTest {

  private static final int ROWS = 32;
  private static final int BATCH = 8;
  private static final int EPOCHS = 6;
  private static final int KILL_EPOCH = 3;
  private static final int KILL_BATCH = 2;
  private static final double TOL = 1e-5;

  @TempDir
  Path dir;

  @AfterEach
  void reset() {
    Distributions.set(null);
    Backend.clearSession();
  }

  private static float[][] xs() {
    SplittableRandom r = new SplittableRandom(11);
    float[][] x = new float[ROWS][4];
    for (float[] row : x) {
      for (int j = 0; j < 4; j++) {
        row[j] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return x;
  }

  private static float[] ys(float[][] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] - x[i][1] > 0.2 ? 2 : x[i][3] > 0 ? 1 : 0;
    }
    return y;
  }

  /** A fresh seeded model in a fresh runtime: the same initial weights every time. */
  private static Sequential model() {
    Backend.clearSession();
    Backend.setRandomSeed(7);
    Sequential m = new Sequential(new InputLayer(4), new Dense(8, "tanh"), new Dense(3, "softmax"));
    m.compile(new CompileOptions().optimizer(new Adam(0.05f)).loss("sparse_categorical_crossentropy")
        .metrics("accuracy"));
    return m;
  }

  private static FitOptions options(Callback... callbacks) {
    return new FitOptions().epochs(EPOCHS).batchSize(BATCH).shuffle(false).verbose(0).callbacks(callbacks);
  }

  /** Kills worker 1 when batch {@code KILL_BATCH} of epoch {@code KILL_EPOCH} is about to run. */
  private static final class Killer extends Callback {
    private final LocalCluster local;
    private int epoch;
    long killedAt;

    Killer(LocalCluster local) {
      this.local = local;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
      this.epoch = epoch;
    }

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
      if (epoch == KILL_EPOCH && batch == KILL_BATCH && killedAt == 0) {
        local.kill("worker", 1);
        killedAt = System.nanoTime();
      }
    }
  }

  @Test
  void aKilledWorkerIsNamedAndTrainingResumesFromTheBackup() throws Exception {
    float[][] x = xs();
    float[] y = ys(x);
    History reference;
    List<FloatNdArray> referenceWeights;
    try (Sequential m = model()) {
      reference = m.fit(x, y, options());
      referenceWeights = m.getWeights();
    }

    Path backup = dir.resolve("backup");
    Path csv = dir.resolve("log.csv");
    try (LocalCluster local = LocalCluster.start(2, 1)) {
      System.out.println("cluster " + local.cluster());
      Distributions.set(DataParallel.builder().cluster(local.cluster()).operationTimeout(Duration.ofSeconds(20))
          .build());
      Killer killer = new Killer(local);
      ClusterFailure failure;
      try (Sequential m = model()) {
        failure = assertThrows(ClusterFailure.class, () -> m.fit(x, y, options(new BackupAndRestore(backup.toString()),
            new CSVLogger(csv, ",", true), ModelCheckpoint.builder(dir.resolve("ckpt-{epoch}.weights.bin").toString())
                .saveWeightsOnly(true).build(), killer)));
      }
      double seconds = (System.nanoTime() - killer.killedAt) / 1e9;
      System.out.printf("failure %.2f s after the kill: %s%n", seconds, failure.getMessage());
      String address = local.cluster().address("worker", 1);
      assertTrue(failure.getMessage().contains("/job:worker/task:1 (" + address + ")"), failure.getMessage());
      assertEquals(List.of("/job:worker/task:1"), failure.tasks());
      assertTrue(seconds < 15, "the failure took " + seconds + " s");

      // Nothing written is corrupt: the backup is that of the last completed epoch, with no stray files.
      String metadata = Files.readString(backup.resolve(BackupAndRestore.METADATA), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("\\{\"epoch\": (\\d+), \"batch\": \\d+, \"weights\": \"([^\"]+)\"}")
          .matcher(metadata);
      assertTrue(m.matches(), metadata);
      assertEquals(KILL_EPOCH, Integer.parseInt(m.group(1)), metadata);
      try (Stream<Path> files = Files.list(backup)) {
        assertEquals(Stream.of(BackupAndRestore.METADATA, m.group(2)).sorted().toList(),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }
      WeightsFile.Contents backed = WeightsFile.read(backup.resolve(m.group(2)));
      assertEquals(KILL_EPOCH * ROWS / BATCH, backed.iterations(), "optimizer steps in the backup");
      // ModelCheckpoint wrote one whole file per completed epoch; CSVLogger a header and one row per epoch.
      for (int e = 1; e <= KILL_EPOCH; e++) {
        WeightsFile.read(dir.resolve("ckpt-" + e + ".weights.bin"));
      }
      assertTrue(Files.notExists(dir.resolve("ckpt-" + (KILL_EPOCH + 1) + ".weights.bin")));
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      assertEquals(1 + KILL_EPOCH, lines.size(), lines.toString());

      // Restart the worker; a new model in a fresh runtime resumes at the first epoch not completed.
      long t0 = System.nanoTime();
      local.restart("worker", 1);
      System.out.printf("worker 1 restarted in %.2f s%n", (System.nanoTime() - t0) / 1e9);
      try (Sequential resumed = model()) {
        History h = resumed.fit(x, y, options(new BackupAndRestore(backup.toString()), new CSVLogger(csv, ",", true)));
        assertEquals(List.of(KILL_EPOCH, KILL_EPOCH + 1, KILL_EPOCH + 2), h.epoch(), "resumed epochs");
        List<Double> expected = reference.get("loss").subList(KILL_EPOCH, EPOCHS);
        List<Double> actual = h.get("loss");
        System.out.println("resumed loss " + actual + " vs uninterrupted " + expected);
        for (int i = 0; i < expected.size(); i++) {
          assertEquals(expected.get(i), actual.get(i), TOL * Math.max(1, expected.get(i)), "loss " + i);
        }
        double diff = maxDiff(referenceWeights, resumed.getWeights());
        System.out.printf("final weights: max difference to the uninterrupted run %.3g%n", diff);
        assertTrue(diff < TOL, "final weights differ by " + diff);
      }
      assertTrue(Files.notExists(backup), "the backup is deleted when training ends");
      assertEquals(1 + EPOCHS, Files.readAllLines(csv, StandardCharsets.UTF_8).size(), "one CSV row per epoch");
    }
  }

  private static double maxDiff(List<FloatNdArray> a, List<FloatNdArray> b) {
    double max = 0;
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      FloatNdArray p = a.get(i);
      FloatNdArray q = b.get(i);
      assertEquals(p.shape(), q.shape());
      long[] index = new long[p.shape().numDimensions()];
      max = Math.max(max, walk(p, q, index, 0));
    }
    return max;
  }

  private static double walk(FloatNdArray p, FloatNdArray q, long[] index, int d) {
    if (d == index.length) {
      return Math.abs(p.getFloat(index) - q.getFloat(index));
    }
    double max = 0;
    for (long i = 0; i < p.shape().get(d); i++) {
      index[d] = i;
      max = Math.max(max, walk(p, q, index, d + 1));
    }
    return max;
  }
}
