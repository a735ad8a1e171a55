package io.github.keras4j.examples;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.callbacks.EarlyStopping;
import io.github.keras4j.callbacks.TensorBoard;
import io.github.keras4j.examples.data.IrisLoader;
import io.github.keras4j.examples.plot.Plots;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.metrics.ConfusionMatrix;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import io.github.keras4j.utils.Utils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.StdArrays;

/**
 * Classifies Iris flowers with the course's multi-layer perceptron (notebook 02_Multi-layer_Perceptron, section 6):
 * {@code 4 - 5 sigmoid - 3 sigmoid}, trained on one-hot targets with the squared error by full-batch gradient
 * descent with momentum 0.9, stopped early on a validation set; the result is the held-out test accuracy (course:
 * 97.3%, 36 of 37).
 *
 * <p>As the course: every feature is centred on its mean and divided by its largest absolute value (over all 150
 * flowers); the flowers are shuffled (seeded) and split 50/25/25: every second one for training (75), every fourth
 * from the second for validation (38), every fourth from the fourth for testing (37). The course's learning rate 0.1
 * on {@code 0.5 sum (y - t)^2} over the 75 flowers and 3 outputs is, for Keras's {@code mse} (the mean of the
 * 225 squares), a learning rate of {@code 0.1 * 225 / 2 = 11.25}. The course trains in chunks of 100 iterations
 * until the validation error improves by at most 0.001 twice in a row: here epochs of 100 full-batch steps and
 * {@code EarlyStopping(monitor=val_loss, patience=2)} with the same threshold in {@code mse} units
 * ({@code 0.001 * 2 / (38 * 3)}). Keras's Glorot-uniform initial weights instead of the course's uniform
 * {@code +-1/sqrt(fan_in)}.
 *
 * <pre>{@code
 * java -jar keras4j-examples.jar iris --data /path/to/datasets   // reads /path/to/datasets/iris/iris.data
 * java -jar keras4j-examples.jar iris --data /path/to/datasets --export models/iris/1   // and a SavedModel
 * }</pre>
 */
public final class Iris {

  /** At most this many epochs of {@value #STEPS_PER_EPOCH} full-batch steps (early stopping ends sooner). */
  static final int DEFAULT_EPOCHS = 100;
  static final int STEPS_PER_EPOCH = 100;

  private Iris() {}

  /** Trains and returns the test set's {@code accuracy} and {@code loss}. */
  public static Result run(ExampleOptions opts) {
    long start = System.nanoTime();
    Backend.clearSession();
    Backend.setRandomSeed(opts.seed());
    IrisLoader.Dataset data = IrisLoader.load(opts.dataDir());
    float[][] x = rows(data.features(), identity(data.size()));
    scaleLikeTheCourse(x);
    Split split = courseSplit(data.size(), new SplittableRandom(opts.seed()));
    float[][] xTrain = rows(x, split.train());
    float[][] xValid = rows(x, split.validation());
    float[][] xTest = rows(x, split.test());
    float[][] yTrain = oneHot(labels(data.labels(), split.train()));
    float[][] yValid = oneHot(labels(data.labels(), split.validation()));
    int[] testLabels = labels(data.labels(), split.test());
    System.out.printf("Iris: %d training, %d validation and %d test samples%n", xTrain.length, xValid.length,
        xTest.length);

    Path runDir = opts.runDir("iris");
    float learningRate = (float) (0.1 * xTrain.length * 3 / 2);
    EarlyStopping earlyStopping = EarlyStopping.builder().monitor("val_loss").patience(2)
        .minDelta(0.001 * 2 / (xValid.length * 3.0)).verbose(1).build();
    try (Sequential model = new Sequential(
        new InputLayer(4),
        new Dense(5, "sigmoid"),
        new Dense(3, "sigmoid"));
        TensorBoard tensorBoard = TensorBoard.builder().logDir(runDir).histogramFreq(1).build()) {
      model.compile(new SGD(learningRate, 0.9f), "mse", "accuracy");
      History history = model.fit(xTrain, yTrain, new FitOptions().epochs(opts.epochsOr(DEFAULT_EPOCHS))
          .batchSize(xTrain.length).stepsPerEpoch(STEPS_PER_EPOCH).shuffle(false).validationData(xValid, yValid)
          .verbose(1).callbacks(earlyStopping, tensorBoard));
      double[] steps = history.epoch().stream().mapToDouble(e -> (e + 1.0) * STEPS_PER_EPOCH).toArray();
      Plots.lineLogY(runDir.resolve("iris_loss.png"), "Iris, 4-5-3 sigmoid MLP: squared error", "full-batch steps",
          "loss (mse)", List.of(Plots.Series.line("loss", steps, values(history, "loss")),
              Plots.Series.line("val_loss", steps, values(history, "val_loss"))));
      Map<String, Double> scores = model.evaluate(xTest, oneHot(testLabels));
      System.out.println("Confusion matrix of the test set (rows: true class, columns: predicted):");
      System.out.println(ConfusionMatrix.format(ConfusionMatrix.compute(testLabels,
          StdArrays.array2dCopyOf(model.predict(xTest))), IrisLoader.CLASS_NAMES.toArray(new String[0])));
      System.out.println("Plot and TensorBoard logs in " + runDir.toAbsolutePath());
      Result result = new Result("iris")
          .put("accuracy", scores.get("accuracy"))
          .put("loss", scores.get("loss"));
      if (opts.exportDir() != null) {
        export(model, opts.exportDir());
        result.put("export", opts.exportDir().toString());
      }
      return result.seconds((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Writes the trained model as a SavedModel for serving ({@code --export DIR}); its inputs are standardised
   * features, as in training.
   */
  private static void export(Model model, Path dir) {
    try {
      model.export(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot export the model to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Indices of the training, validation and test samples. */
  record Split(int[] train, int[] validation, int[] test) {}

  /**
   * The course's split of {@code n} shuffled samples: positions {@code 0, 2, 4, ...} train, {@code 1, 5, 9, ...}
   * validate, {@code 3, 7, 11, ...} test.
   */
  static Split courseSplit(int n, SplittableRandom random) {
    int[] order = identity(n);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      (p % 2 == 0 ? train : p % 4 == 1 ? validation : test).add(order[p]);
    }
    return new Split(toArray(train), toArray(validation), toArray(test));
  }

  /** The course's scaling, in place: each column minus its mean, divided by its largest absolute value. */
  static void scaleLikeTheCourse(float[][] x) {
    int d = x[0].length;
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (float[] row : x) {
        mean += row[j];
      }
      mean /= x.length;
      double max = 0;
      for (float[] row : x) {
        max = Math.max(max, Math.abs(row[j] - mean));
      }
      double scale = max > 0 ? 1 / max : 1;
      for (float[] row : x) {
        row[j] = (float) ((row[j] - mean) * scale);
      }
    }
  }

  /** One-hot rows of 3 classes. */
  static float[][] oneHot(int[] labels) {
    return Utils.toCategorical(labels, 3);
  }

  private static double[] values(History history, String key) {
    return history.get(key).stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static int[] identity(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static float[][] rows(float[][] x, int[] indices) {
    float[][] out = new float[indices.length][];
    for (int i = 0; i < indices.length; i++) {
      out[i] = x[indices[i]].clone();
    }
    return out;
  }

  private static int[] labels(int[] y, int[] indices) {
    int[] out = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      out[i] = y[indices[i]];
    }
    return out;
  }
}
