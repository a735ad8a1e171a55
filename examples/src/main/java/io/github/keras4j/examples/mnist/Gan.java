package io.github.keras4j.examples.mnist;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.ArrayData;
import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.Result;
import io.github.keras4j.examples.data.LabeledImages;
import io.github.keras4j.examples.plot.Plots;
import io.github.keras4j.graph.summary.EventFileWriter;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.activations.LeakyReLU;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.Conv2DTranspose;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.pooling.GlobalMaxPooling2D;
import io.github.keras4j.layers.reshaping.Reshape;
import io.github.keras4j.losses.BinaryCrossentropy;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.models.Step;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.ProgbarLogger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A GAN that learns to draw MNIST digits with a custom training step: the GAN of the keras.io guide "Customizing
 * what happens in fit()" (its end-to-end MNIST example; the DCGAN example "dcgan_overriding_train_step" uses the
 * same {@code train_step} on CelebA faces).
 *
 * <ul>
 *   <li>Discriminator: {@code Conv2D(64, 3, strides 2, same) - LeakyReLU(0.2) - Conv2D(128, 3, strides 2, same) -
 *       LeakyReLU(0.2) - GlobalMaxPooling2D - Dense(1)} (a logit).
 *   <li>Generator: {@code Dense(7*7*128) - LeakyReLU(0.2) - Reshape(7, 7, 128) - Conv2DTranspose(128, 4, strides 2,
 *       same) - LeakyReLU(0.2) - Conv2DTranspose(128, 4, strides 2, same) - LeakyReLU(0.2) - Conv2D(1, 7, same,
 *       sigmoid)} from a 128-dimensional normal latent vector.
 *   <li>Training as keras.io: batch 64, two Adam(3e-4), binary cross-entropy from logits; the discriminator sees
 *       generated images labelled 1 and real ones labelled 0, plus {@code 0.05 * uniform} label noise; the generator
 *       is trained to make the discriminator say 0 ("real"). Each is one {@link Step} ({@code Session.run}).
 * </ul>
 *
 * <p>CPU time: with the keras.io widths a step costs about 1.2 s of CPU on this project's 2-core machine (the
 * 28x28 transposed convolution dominates), so the default workload {@code small} narrows the networks
 * (discriminator 32/64 filters, generator 7x7x64 then 32/32 filters; about 0.13 s of CPU per step) and
 * {@code --workload keras-io} uses the widths above.
 * Default: 15 epochs over at most 8,000 training images ({@code --samples N}), 1,875 steps; keras.io suggests about
 * 20 epochs of all 70,000 digits (22,000 steps) for good digits, so expect rough strokes at the default.
 *
 * <p>Output, all in {@code tensorboard-logs/gan/<timestamp>/}: a grid of 36 generated digits per epoch
 * ({@code generated-epoch-NNN.png}, always from the same latent vectors), {@code loss.png},
 * {@code confident_fraction.png}, and TensorBoard scalars {@code d_loss}/{@code g_loss} (per step and per epoch),
 * {@code epoch_confident_fraction} and three generated images per epoch, written with the graph module's
 * {@link EventFileWriter}.
 *
 * <p>The result's {@code confident_fraction} is the share of 1,000 generated digits (the same latent vectors every
 * epoch) that the {@code mnist-cnn} convnet labels with probability {@code >= 0.9}; {@code real_confident_fraction}
 * is the same on real test digits, for scale, and {@code confident_classes} how many digit classes the confidently
 * labelled fakes cover. The convnet is loaded from the newest
 * {@code tensorboard-logs/mnist-cnn/<timestamp>/mnist-cnn.weights.bin} when one exists (not with {@code --logdir}),
 * else trained in this run for 10 epochs ({@code classifier=loaded|trained}). Read it with care: a convnet is
 * confident on many images that people would not read as digits (on the project's machine the striped noise of the
 * first epoch already scored 0.51, and the share wandered between 0.18 and 0.52 over 15 epochs while the digits
 * improved), so look at the image grids too.
 */
public final class Gan {

  static final int LATENT = 128;
  static final int BATCH = 64;
  static final int DEFAULT_EPOCHS = 15;
  static final int DEFAULT_SAMPLES = 8_000;
  static final int SCORED = 1_000;
  static final int GRID = 36;

  /** Layer widths: discriminator filters, generator's 7x7 channels and its two transposed convolutions. */
  record Widths(int d1, int d2, int g0, int g1, int g2) {
    static Widths of(String workload) {
      return switch (workload) {
        case "small" -> new Widths(32, 64, 64, 32, 32);
        case "keras-io" -> new Widths(64, 128, 128, 128, 128);
        default -> throw new IllegalArgumentException("gan: --workload must be 'small' (default) or 'keras-io'. "
            + "Received: workload=" + workload);
      };
    }
  }

  private Gan() {}

  /** The discriminator: 28x28x1 images to one logit (1 = generated). */
  static Sequential discriminator(Widths w) {
    return new Sequential("discriminator", List.of(
        new InputLayer(28, 28, 1),
        Conv2D.builder(w.d1(), 3).strides(2).padding("same").build(),
        new LeakyReLU(0.2),
        Conv2D.builder(w.d2(), 3).strides(2).padding("same").build(),
        new LeakyReLU(0.2),
        new GlobalMaxPooling2D(),
        new Dense(1)));
  }

  /** The generator: latent vectors to 28x28x1 images in [0, 1]. */
  static Sequential generator(Widths w) {
    return new Sequential("generator", List.of(
        new InputLayer(LATENT),
        new Dense(7 * 7 * w.g0()),
        new LeakyReLU(0.2),
        new Reshape(7, 7, w.g0()),
        Conv2DTranspose.builder(w.g1(), 4).strides(2).padding("same").build(),
        new LeakyReLU(0.2),
        Conv2DTranspose.builder(w.g2(), 4).strides(2).padding("same").build(),
        new LeakyReLU(0.2),
        Conv2D.builder(1, 7).padding("same").activation("sigmoid").build()));
  }

  /** Trains the GAN and returns {@code confident_fraction}, the last epoch's mean losses and how it was judged. */
  public static Result run(ExampleOptions opts) {
    long start = System.nanoTime();
    Backend.clearSession();
    Backend.setRandomSeed(opts.seed());
    Widths widths = Widths.of(opts.workloadOr("small"));
    MnistData.Sets data = MnistData.load(opts);
    Path runDir = MnistMlp.createRunDir(opts.runDir("gan"));
    LabeledImages real = data.train();
    int n = Math.min(real.size(), opts.samplesOr(DEFAULT_SAMPLES));
    int steps = n / BATCH;
    if (steps == 0) {
      throw new IllegalArgumentException("gan: needs at least " + BATCH + " training images. Received: " + n);
    }
    int epochs = opts.epochsOr(DEFAULT_EPOCHS);
    float[] pixels = real.scaledPixels();
    int size = real.imageSize();
    SplittableRandom random = new SplittableRandom(opts.seed());

    try (Sequential classifier = MnistCnn.buildModel();
        Sequential discriminator = discriminator(widths);
        Sequential generator = generator(widths);
        EventFileWriter writer = new EventFileWriter(runDir.resolve("train"))) {
      String classifierSource = DigitJudge.prepare(classifier, data, opts);
      System.out.printf("GAN on %d MNIST images (%s), %d steps of %d per epoch, workload %s%n", n, data.source(),
          steps, BATCH, opts.workloadOr("small"));
      generator.summary();
      discriminator.summary();

      Steps train = trainSteps(generator, discriminator);

      float[][] gridLatents = normal(random, GRID, LATENT);
      float[][] scoredLatents = normal(random, SCORED, LATENT);
      double startMean = ImageRows.mean(ImageRows.of(generator.predict(gridLatents), size));
      List<Double> confidentByEpoch = new ArrayList<>();
      ProgbarLogger progress = new ProgbarLogger();
      Map<String, Object> params = new HashMap<>();
      params.put("epochs", epochs);
      params.put("steps", steps);
      params.put("verbose", 1);
      progress.setParams(params);
      List<Double> dLosses = new ArrayList<>();
      List<Double> gLosses = new ArrayList<>();
      double dMean = Double.NaN;
      double gMean = Double.NaN;
      int[] order = new int[real.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      long step = 0;
      for (int epoch = 0; epoch < epochs; epoch++) {
        progress.onEpochBegin(epoch, Map.of());
        shuffle(order, random);
        double dSum = 0;
        double gSum = 0;
        for (int s = 0; s < steps; s++) {
          float[] batch = new float[BATCH * size];
          for (int i = 0; i < BATCH; i++) {
            System.arraycopy(pixels, order[s * BATCH + i] * size, batch, i * size, size);
          }
          // Label noise 0.05 * uniform, per row: the generated images' labels first, then the real ones'.
          float[][] fakeNoise = new float[BATCH][1];
          float[][] realNoise = new float[BATCH][1];
          for (int i = 0; i < 2 * BATCH; i++) {
            (i < BATCH ? fakeNoise[i] : realNoise[i - BATCH])[0] = 0.05f * (float) random.nextDouble();
          }
          float d = train.discriminator().run(Map.of("real", new ArrayData("real", batch, BATCH, 28, 28, 1),
              "z", normal(random, BATCH, LATENT), "fake_noise", fakeNoise, "real_noise", realNoise))
              .getFloat("d_loss");
          float g = train.generator().run(Map.of("z", normal(random, BATCH, LATENT))).getFloat("g_loss");
          dSum += d;
          gSum += g;
          step++;
          dLosses.add((double) d);
          gLosses.add((double) g);
          writer.scalar("d_loss", d, step);
          writer.scalar("g_loss", g, step);
          Map<String, Double> logs = new LinkedHashMap<>();
          logs.put("d_loss", dSum / (s + 1));
          logs.put("g_loss", gSum / (s + 1));
          progress.onTrainBatchEnd(s, logs);
        }
        dMean = dSum / steps;
        gMean = gSum / steps;
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("d_loss", dMean);
        logs.put("g_loss", gMean);
        progress.onEpochEnd(epoch, logs);
        writer.scalar("epoch_d_loss", dMean, epoch);
        writer.scalar("epoch_g_loss", gMean, epoch);
        float[][] scoredNow = ImageRows.of(generator.predict(scoredLatents), size);
        double confidentNow = DigitJudge.confidentFraction(classifier, scoredNow);
        confidentByEpoch.add(confidentNow);
        System.out.printf(Locale.ROOT, "confident_fraction after epoch %d: %.4f%n", epoch + 1, confidentNow);
        writer.scalar("epoch_confident_fraction", confidentNow, epoch);
        float[][] grid = ImageRows.of(generator.predict(gridLatents), size);
        writer.image("generated", ImageRows.concat(grid, 3), 3, 28, 28, 1, epoch);
        writer.flush();
        Plots.imageGrid(runDir.resolve(String.format(Locale.ROOT, "generated-epoch-%03d.png", epoch + 1)), grid, 28,
            28, 6);
      }
      plotLosses(runDir, dLosses, gLosses);
      Plots.line(runDir.resolve("confident_fraction.png"), "gan: generated digits labelled with confidence >= 0.9",
          "epoch", "confident_fraction", List.of(Plots.Series.line("confident_fraction",
              Curves.epochs(confidentByEpoch.size()), Curves.values(confidentByEpoch))));

      float[][] fakes = ImageRows.of(generator.predict(scoredLatents), size);
      double confident = DigitJudge.confidentFraction(classifier, fakes);
      double realConfident = DigitJudge.confidentFraction(classifier, ImageRows.of(data.test(), SCORED));
      int classes = DigitJudge.confidentClasses(classifier, fakes);
      double fakeMean = ImageRows.mean(fakes);
      double realMean = ImageRows.mean(new float[][] {pixels});
      System.out.printf(Locale.ROOT, "Mean pixel of generated digits: %.3f before training, %.3f after; real "
          + "digits: %.3f%n", startMean, fakeMean, realMean);
      System.out.printf(Locale.ROOT, "%.1f%% of %d generated digits are labelled with confidence >= %.1f by the "
          + "mnist-cnn classifier (%s), covering %d digit classes; real test digits: %.1f%%. Images in %s%n",
          100 * confident, SCORED, DigitJudge.CONFIDENCE, classifierSource, classes, 100 * realConfident, runDir);
      return new Result("gan")
          .put("confident_fraction", confident)
          .put("real_confident_fraction", realConfident)
          .put("confident_classes", (long) classes)
          .put("fake_mean_pixel", fakeMean)
          .put("real_mean_pixel", realMean)
          .put("d_loss", dMean)
          .put("g_loss", gMean)
          .put("classifier", classifierSource)
          .put("workload", opts.workloadOr("small"))
          .put("data", data.source())
          .put("epochs", (long) epochs)
          .seconds((System.nanoTime() - start) / 1e9);
    }
  }

  /** The two training steps of keras.io's {@code GAN.train_step}. */
  record Steps(Step discriminator, Step generator) {}

  /**
   * Builds the steps: the discriminator learns to label generated images 1 and real ones 0 (the label noise is
   * fed, one value per image, so that every input has one row per real image and a data-parallel step splits them
   * together); the generator learns to make it say 0. Each has its own Adam(3e-4); the loss is binary
   * cross-entropy from logits.
   */
  static Steps trainSteps(Sequential generator, Sequential discriminator) {
    Adam dOptimizer = new Adam(3e-4f);
    Adam gOptimizer = new Adam(3e-4f);
    BinaryCrossentropy bce = new BinaryCrossentropy(true);
    Step dStep = Step.build(discriminator, b -> {
      Ops tf = b.tf();
      Operand<TFloat32> realImages = b.input("real", 28, 28, 1);
      Operand<TFloat32> z = b.input("z", LATENT);
      Operand<TFloat32> labels = tf.concat(List.of(tf.math.add(tf.constant(1f), b.input("fake_noise", 1)),
          b.input("real_noise", 1)), tf.constant(0));
      Operand<TFloat32> combined = tf.concat(List.of(generator.call(z, true), realImages), tf.constant(0));
      Operand<TFloat32> loss = bce.compute(tf, labels, discriminator.call(combined, true), null);
      b.minimize(loss, dOptimizer, discriminator.trainableVariables());
      b.output("d_loss", loss);
    });
    Step gStep = Step.build(generator, b -> {
      Ops tf = b.tf();
      Operand<TFloat32> z = b.input("z", LATENT);
      Operand<TFloat32> predictions = discriminator.call(generator.call(z, true), true);
      Operand<TFloat32> loss = bce.compute(tf, tf.zerosLike(predictions), predictions, null);
      b.minimize(loss, gOptimizer, generator.trainableVariables());
      b.output("g_loss", loss);
    });
    return new Steps(dStep, gStep);
  }

  /** {@code n} latent vectors of independent standard normal values (Box-Muller). */
  static float[][] normal(SplittableRandom random, int n, int d) {
    float[][] z = new float[n][d];
    for (float[] row : z) {
      for (int j = 0; j < d; j++) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        row[j] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      }
    }
    return z;
  }

  private static void shuffle(int[] order, SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  private static void plotLosses(Path runDir, List<Double> d, List<Double> g) {
    double[] x = Curves.epochs(d.size());
    Plots.line(runDir.resolve("loss.png"), "gan: losses per step", "step", "loss",
        List.of(Plots.Series.line("d_loss", x, Curves.values(d)), Plots.Series.line("g_loss", x, Curves.values(g))));
  }
}
