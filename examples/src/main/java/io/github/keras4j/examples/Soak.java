package io.github.keras4j.examples;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.LambdaCallback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A soak run: the benchmark MLP 784-256-256-10 (batch 128, Adam) trained for many steps ({@code --steps},
 * default 20,000) with {@code fit}, then predicted and evaluated, while the process's resident memory (VmRSS from
 * {@code /proc/self/status}, Linux) is sampled. A native leak of tensors or results shows as RSS growing with the
 * steps; the result reports the growth from the end of the first tenth of the run (when TensorFlow's and the JVM's
 * pools have settled) to the end ({@code rss_growth}). The JVM grows and touches its heap as it sees fit, which
 * shows in RSS without being a leak (about +10% over a default run here, flat after step 8,000). Run with a fixed,
 * pre-touched heap ({@code java -Xms768m -Xmx768m -XX:+AlwaysPreTouch -jar ...}) to see
 * RSS alone stay flat: 1,109.7 MB at step 2,000 and 1,118.7 MB at step 20,000 (+0.8%) on this project's machine.
 *
 * <pre>
 * java -jar keras4j-examples.jar soak [--steps 20000]
 * </pre>
 */
public final class Soak {

  static final int DEFAULT_STEPS = 20_000;
  static final int BATCH = 128;
  static final int ROWS = 12_800;

  private Soak() {}

  /** Trains {@code steps} steps and returns {@code rss_growth} (fraction) with the RSS figures in MB. */
  public static Result run(ExampleOptions opts) {
    long start = System.nanoTime();
    Backend.clearSession();
    Backend.setRandomSeed(opts.seed());
    int steps = opts.stepsOr(DEFAULT_STEPS);
    SplittableRandom random = new SplittableRandom(opts.seed());
    float[][] x = new float[ROWS][784];
    int[] y = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < 784; j++) {
        x[i][j] = (float) random.nextDouble();
      }
      y[i] = random.nextInt(10);
    }
    int stepsPerEpoch = ROWS / BATCH;
    int epochs = Math.max(1, (steps + stepsPerEpoch - 1) / stepsPerEpoch);
    int sampleEvery = Math.max(1, steps / 20);
    List<long[]> samples = new ArrayList<>();
    int[] done = {0};
    try (Sequential model = new Sequential(new InputLayer(784), new Dense(256, "relu"), new Dense(256, "relu"),
        new Dense(10, "softmax"))) {
      model.compile(new Adam(0.001f), "sparse_categorical_crossentropy", "accuracy");
      LambdaCallback probe = new LambdaCallback().onBatchEnd((b, logs) -> {
        done[0]++;
        if (done[0] % sampleEvery == 0) {
          samples.add(new long[] {done[0], rssKb(), Runtime.getRuntime().totalMemory() / 1024});
          if (done[0] >= steps) {
            model.setStopTraining(true);
          }
        }
      });
      model.fit(x, y, new FitOptions().epochs(epochs).batchSize(BATCH).verbose(0).callbacks(probe));
      for (int i = 0; i < 20; i++) {
        model.predict(x, 1024);
        model.evaluate(x, y, 1024, 0);
      }
    }
    long end = rssKb();
    long[] settled = samples.get(Math.min(1, samples.size() - 1));
    long[] last = samples.get(samples.size() - 1);
    System.out.println("step      RSS (MB)   Java heap committed (MB)");
    for (long[] s : samples) {
      System.out.printf("%6d    %8.1f   %8.1f%n", s[0], s[1] / 1024.0, s[2] / 1024.0);
    }
    System.out.printf("after 20 predict+evaluate passes and close: %.1f MB%n", end / 1024.0);
    double growth = (double) (last[1] - settled[1]) / settled[1];
    return new Result("soak")
        .put("steps", done[0])
        .put("rss_settled_mb", settled[1] / 1024.0)
        .put("rss_end_mb", last[1] / 1024.0)
        .put("rss_growth", growth)
        .seconds((System.nanoTime() - start) / 1e9);
  }

  /** The resident set size of this process in kB (Linux {@code /proc/self/status}), or -1 elsewhere. */
  static long rssKb() {
    return statusKb("VmRSS");
  }

  /**
   * A kB field of this process's {@code /proc/self/status} ({@code VmRSS}: resident now, {@code VmHWM}: peak
   * resident), or -1 where there is none (not Linux).
   */
  static long statusKb(String field) {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + status, e);
    }
  }
}
