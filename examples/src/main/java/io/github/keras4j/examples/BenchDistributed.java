package io.github.keras4j.examples;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.ArrayData;
import io.github.keras4j.distribution.DataParallel;
import io.github.keras4j.distribution.Distribution;
import io.github.keras4j.distribution.Distributions;
import io.github.keras4j.graph.distributed.LocalCluster;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput of data-parallel training on TensorFlow's distributed runtime: the {@link Bench} MLP
 * (784-256-256-10, ReLU, softmax, {@code sparse_categorical_crossentropy}, Adam, global batch 128) trained with
 * {@code fit} in this process, then with {@link DataParallel#fromCluster} on a {@link LocalCluster} of 1 worker + 1
 * parameter server, then of 2 workers + 1 parameter server (child JVMs on loopback; this process is the client).
 *
 * <p>Each setting starts from the same initial weights (same seed) and trains on the same batches: after warm-up
 * ({@value #WARMUP} steps), {@code --windows} timed windows of {@code --steps} steps each; the median examples per
 * second is reported with the ratios to the single process. The loss of the last window must agree across the
 * settings (replicas compute the same sums in another order): {@code max_loss_diff} reports the largest difference.
 *
 * <pre>
 * java -jar keras4j-examples.jar bench-distributed [--steps 100] [--windows 3]
 * </pre>
 *
 * <p>On one machine the workers share its cores and every step moves the batch and the weights through gRPC on
 * loopback, so expect the cluster to be slower than one process; the point here is that it is correct, the
 * speed-up comes with workers on machines of their own.
 */
public final class BenchDistributed {

  static final int DEFAULT_STEPS = 100;
  static final int DEFAULT_WINDOWS = 3;
  static final int WARMUP = 10;

  private BenchDistributed() {}

  /** Runs the three settings and returns examples per second and ratios. */
  public static Result run(ExampleOptions opts) {
    long start = System.nanoTime();
    int steps = opts.stepsOr(DEFAULT_STEPS);
    int windows = opts.windowsOr(DEFAULT_WINDOWS);
    int batch = Bench.MLP_BATCH;
    int inputs = Bench.MLP_UNITS[0];
    int n = batch * steps;
    SplittableRandom random = new SplittableRandom(opts.seed());
    float[] xs = new float[n * inputs];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) random.nextDouble();
    }
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(Bench.MLP_UNITS[Bench.MLP_UNITS.length - 1]);
    }
    ArrayData x = new ArrayData("x", xs, n, inputs);
    ArrayData y = new ArrayData("y", labels, n);
    int warmup = Math.min(WARMUP, steps);

    // The settings name their distribution explicitly: a process-wide one (the distributed launcher) is set aside.
    Distribution outer = Distributions.get();
    Distributions.set(null);
    try {
      Measure single = measure("single process", null, opts.seed(), x, y, warmup, steps, windows);
      Measure one;
      try (LocalCluster local = LocalCluster.start(1, 1)) {
        one = measure("1 worker + 1 ps " + local.cluster(), DataParallel.fromCluster(local.cluster()), opts.seed(),
            x, y, warmup, steps, windows);
      }
      Measure two;
      try (LocalCluster local = LocalCluster.start(2, 1)) {
        two = measure("2 workers + 1 ps " + local.cluster(), DataParallel.fromCluster(local.cluster()),
            opts.seed(), x, y, warmup, steps, windows);
      }
      double lossDiff = Math.max(Math.abs(one.loss - single.loss), Math.abs(two.loss - single.loss));
      System.out.printf(Locale.ROOT, "examples/s: single %.0f, 1 worker %.0f (%.2fx), 2 workers %.0f (%.2fx); "
          + "last loss %.6f / %.6f / %.6f%n", single.perSecond, one.perSecond, one.perSecond / single.perSecond,
          two.perSecond, two.perSecond / single.perSecond, single.loss, one.loss, two.loss);
      return new Result("bench-distributed")
          .put("single_per_s", single.perSecond)
          .put("workers1_per_s", one.perSecond)
          .put("workers2_per_s", two.perSecond)
          .put("workers1_ratio", one.perSecond / single.perSecond)
          .put("workers2_ratio", two.perSecond / single.perSecond)
          .put("loss", single.loss)
          .put("max_loss_diff", lossDiff)
          .seconds((System.nanoTime() - start) / 1e9);
    } finally {
      Distributions.set(outer);
    }
  }

  /** Median examples per second over the windows, and the loss of the last window. */
  private record Measure(double perSecond, double loss) {}

  private static Measure measure(String what, Distribution d, long seed, ArrayData x, ArrayData y, int warmup,
      int steps, int windows) {
    Backend.clearSession();
    Backend.setRandomSeed(seed);
    double[] perSecond = new double[windows];
    double loss = Double.NaN;
    try (Sequential model = new Sequential(
        new InputLayer(Bench.MLP_UNITS[0]),
        new Dense(Bench.MLP_UNITS[1], "relu"),
        new Dense(Bench.MLP_UNITS[2], "relu"),
        new Dense(Bench.MLP_UNITS[3], "softmax"))) {
      model.compile(new CompileOptions().optimizer(new Adam(0.001f)).loss("sparse_categorical_crossentropy")
          .distribution(d));
      FitOptions fit = new FitOptions().epochs(1).batchSize(Bench.MLP_BATCH).verbose(0).shuffle(false);
      model.fit(x.slice(0, warmup * Bench.MLP_BATCH), y.slice(0, warmup * Bench.MLP_BATCH), fit);
      for (int w = 0; w < windows; w++) {
        long t0 = System.nanoTime();
        History h = model.fit(x, y, fit);
        double seconds = (System.nanoTime() - t0) / 1e9;
        perSecond[w] = (double) steps * Bench.MLP_BATCH / seconds;
        List<Double> losses = h.get("loss");
        loss = losses.get(losses.size() - 1);
        System.out.printf(Locale.ROOT, "%s, window %d: %.0f examples/s (%.2f ms/step), loss %.6f%n", what, w + 1,
            perSecond[w], seconds * 1e3 / steps, loss);
      }
    }
    return new Measure(Bench.median(perSecond), loss);
  }
}
