package io.github.keras4j.examples.timeseries;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.callbacks.TensorBoard;
import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Timeseries;
import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.Result;
import io.github.keras4j.examples.plot.Plots;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.rnn.LSTM;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The recurrent model of the course notebook {@code 05_RNN_intro.ipynb}, shared by {@link OzoneRnn} and
 * {@link Sp500Rnn}: windows of 50 days ({@code X[k:k+50]}) predict the target two days after the window's last day
 * ({@code y[k+51]}, as the notebook indexes it); the first 90 % of the windows (rounded up) train
 * {@code LSTM(64) - Dense(1)} with Adam (learning rate 0.001) on the mean squared error for 5 epochs, batch 32,
 * the last 5 % of them held out for validation; the last 10 % are the test part.
 *
 * <p>Cell by cell against the notebook's ozone part: inputs {@code X = PNoz[:,:]} and target {@code y = PNoz[:,2:3]}
 * unscaled (cell 7; its cell 9 notes the missing normalisation), windows and targets (cell 9), the model (cell 11),
 * {@code Adam(0.001)} and {@code loss='mse'} (cell 12), {@code tr = ceil(0.9 * count)} (cell 13), {@code fit} with
 * {@code epochs=5, validation_split=0.05} and Keras's defaults {@code batch_size=32, shuffle=True}, then
 * {@code evaluate(x_test, y_test)}: the MSE of the values as stored in the file (Dobson units / 1000) on the test
 * part (cell 14), our {@code mse}.
 *
 * <p>Besides the test {@code mse} and {@code mae}, two baselines put the figure in context: {@code persistence_mse}
 * (predict the last value of the window) and {@code mean_mse} (predict the training targets' mean).
 */
final class CourseRnn {

  static final int TIME_STEPS = 50;
  /** The notebook's target {@code y[k + time_steps + 1]}: two steps after the window's last row. */
  static final int TARGET_OFFSET = TIME_STEPS + 1;
  static final int UNITS = 64;
  static final int DEFAULT_EPOCHS = 5;
  static final int BATCH_SIZE = 32;
  static final double TRAIN_FRACTION = 0.9;
  static final double VALIDATION_SPLIT = 0.05;
  static final float LEARNING_RATE = 0.001f;

  /**
   * A series to model.
   *
   * @param name the example's name (also its log folder)
   * @param inputs {@code inputs[row][feature]}, the model's input features per time step
   * @param target the value to predict per time step
   * @param time each row's date as a fractional year (for the plots' x axis)
   * @param yLabel what the target is, for the plots
   * @param courseMse the notebook's test MSE, printed for comparison
   */
  record Series(String name, float[][] inputs, float[] target, double[] time, String yLabel, double courseMse) {}

  /** The windows and the train/test split of a series (the notebook's {@code x_final}, {@code y_final}, {@code tr}). */
  record Windows(int[] starts, ArrayData x, float[] y, int trainSize) {
    ArrayData xTrain() {
      return x.slice(0, trainSize);
    }

    ArrayData xTest() {
      return x.slice(trainSize, x.rows());
    }
  }

  private CourseRnn() {}

  /** Builds the notebook's windows: {@code n - 51} of them, the first {@code ceil(0.9 * count)} for training. */
  static Windows windows(float[][] inputs, float[] target) {
    int count = inputs.length - TIME_STEPS - 1;
    if (count < 2) {
      throw new IllegalArgumentException("The series has " + inputs.length + " rows; windows of " + TIME_STEPS
          + " steps with the target " + TARGET_OFFSET + " rows after the start need at least " + (TIME_STEPS + 3));
    }
    // X[k : k + 50] with the target y[k + 51]: the targets shifted by 51 rows, as Keras's windows take them.
    Timeseries.Windows windows = Timeseries.windows(inputs, TIME_STEPS)
        .targets(Arrays.copyOfRange(target, TARGET_OFFSET, target.length));
    int[] starts = windows.starts();
    ArrayData x = windows.inputs();
    float[] y = windows.outputs().values();
    int trainSize = (int) Math.ceil(count * TRAIN_FRACTION);
    return new Windows(starts, x, y, trainSize);
  }

  /** Trains, evaluates on the test part, writes the plots; {@code start} is when the example started (nanoTime). */
  static Result run(ExampleOptions opts, Series s, long start) {
    Backend.clearSession();
    Backend.setRandomSeed(opts.seed());
    Windows w = windows(s.inputs(), s.target());
    int n = w.y().length;
    int tr = w.trainSize();
    ArrayData yTrain = new ArrayData("y", Arrays.copyOfRange(w.y(), 0, tr), tr, 1);
    ArrayData yTest = new ArrayData("y", Arrays.copyOfRange(w.y(), tr, n), n - tr, 1);
    int features = s.inputs()[0].length;
    System.out.printf(Locale.ROOT, "%s: %d windows of %d steps x %d features; %d for training (%d of them for "
        + "validation), %d for testing%n", s.name(), n, TIME_STEPS, features, tr,
        tr - (int) Math.floor(tr * (1 - VALIDATION_SPLIT)), n - tr);

    Path runDir = opts.runDir(s.name());
    int epochs = opts.epochsOr(DEFAULT_EPOCHS);
    try (Sequential model = new Sequential(
            new InputLayer(TIME_STEPS, features),
            new LSTM(UNITS),
            new Dense(1));
        TensorBoard tensorBoard = TensorBoard.builder().logDir(runDir).build()) {
      model.compile(new Adam(LEARNING_RATE), "mse", "mae");
      History history = model.fit(w.xTrain(), yTrain, new FitOptions().epochs(epochs).batchSize(BATCH_SIZE)
          .validationSplit(VALIDATION_SPLIT).verbose(1).callbacks(tensorBoard));
      System.out.println("Test part:");
      Map<String, Double> test = model.evaluate(w.xTest(), yTest, BATCH_SIZE, 1);
      float[] predTrain = column(model.predict(w.xTrain(), 256));
      float[] predTest = column(model.predict(w.xTest(), 256));

      double persistence = 0;
      double mean = 0;
      for (int i = 0; i < tr; i++) {
        mean += w.y()[i];
      }
      mean /= tr;
      double meanMse = 0;
      for (int i = tr; i < n; i++) {
        double last = s.target()[w.starts()[i] + TIME_STEPS - 1];
        persistence += (last - w.y()[i]) * (last - w.y()[i]);
        meanMse += (mean - w.y()[i]) * (mean - w.y()[i]);
      }
      persistence /= n - tr;
      meanMse /= n - tr;
      double mse = test.get("loss");
      System.out.printf(Locale.ROOT, "Test MSE %.4e (course notebook: %.4e); baselines: last value of the window "
          + "%.4e, training mean %.4e%n", mse, s.courseMse(), persistence, meanMse);

      plots(runDir, s, w, predTrain, predTest, history);
      System.out.println("TensorBoard logs and plots in " + runDir.toAbsolutePath());
      return new Result(s.name())
          .put("mse", mse)
          .put("mae", test.get("mae"))
          .put("persistence_mse", persistence)
          .put("mean_mse", meanMse)
          .seconds((System.nanoTime() - start) / 1e9);
    }
  }

  private static void plots(Path dir, Series s, Windows w, float[] predTrain, float[] predTest, History history) {
    int n = w.y().length;
    int tr = w.trainSize();
    double[] tAll = new double[n];
    double[] yAll = new double[n];
    for (int i = 0; i < n; i++) {
      tAll[i] = s.time()[w.starts()[i] + TARGET_OFFSET];
      yAll[i] = w.y()[i];
    }
    double[] tTrain = Arrays.copyOfRange(tAll, 0, tr);
    double[] tTest = Arrays.copyOfRange(tAll, tr, n);
    double[] yTest = Arrays.copyOfRange(yAll, tr, n);
    Plots.write(dir.resolve("test_predictions.png"), yearChart(s.name() + ": test part, prediction vs truth",
        s.yLabel(), List.of(Plots.Series.line("true value", tTest, yTest),
            Plots.Series.line("prediction", tTest, toDouble(predTest)))));
    // As the notebook's plot: the truth in light grey under the in-sample and out-of-sample predictions.
    XYChart all = yearChart(s.name() + ": in-sample and out-of-sample predictions", s.yLabel(),
        List.of(Plots.Series.line("true value", tAll, yAll),
            Plots.Series.line("in-sample prediction", tTrain, toDouble(predTrain)),
            Plots.Series.line("out-of-sample prediction", tTest, toDouble(predTest))));
    all.getSeriesMap().get("true value").setLineColor(Color.LIGHT_GRAY);
    Plots.write(dir.resolve("predictions.png"), all);
    double[] epochs = new double[history.epoch().size()];
    for (int i = 0; i < epochs.length; i++) {
      epochs[i] = i + 1;
    }
    // The losses are small (1e-5 to 1e-3): a linear axis in scientific notation reads better than a log axis
    // within one decade, which XChart leaves unlabelled.
    XYChart loss = Plots.chart(s.name() + ": training and validation loss (MSE)", "epoch", "loss",
        List.of(Plots.Series.line("loss", epochs, toArray(history.get("loss"))),
            Plots.Series.line("val_loss", epochs, toArray(history.get("val_loss")))), false);
    loss.getStyler().setYAxisDecimalPattern("0.0E0");
    Plots.write(dir.resolve("loss.png"), loss);
  }

  /** A line chart over fractional years, the years printed without a thousands separator. */
  private static XYChart yearChart(String title, String yLabel, List<Plots.Series> series) {
    XYChart chart = Plots.chart(title, "year", yLabel, series, false);
    chart.getStyler().setXAxisDecimalPattern("0.0");
    chart.getStyler().setYAxisDecimalPattern("0.000");
    return chart;
  }

  static float[] column(FloatNdArray predictions) {
    float[] out = new float[(int) predictions.shape().get(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = predictions.getFloat(i, 0);
    }
    return out;
  }

  static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
