package io.github.keras4j.examples.timeseries;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.callbacks.EarlyStopping;
import io.github.keras4j.callbacks.ModelCheckpoint;
import io.github.keras4j.callbacks.TensorBoard;
import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Timeseries;
import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.Result;
import io.github.keras4j.examples.data.JenaClimateLoader;
import io.github.keras4j.examples.plot.Plots;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.rnn.LSTM;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * keras.io's "Timeseries forecasting for weather prediction" on the Jena climate record: 7 of its 14 measurements
 * (pressure, temperature, saturation vapour pressure, vapour-pressure deficit, specific humidity, air density, wind
 * speed) normalised with the mean and standard deviation of the first 71.5 % of the rows (the training part); each
 * window samples the 720 rows (5 days) of its past once an hour ({@code sampling_rate=6}: 120 steps) and predicts
 * the normalised temperature 72 rows (12 hours) after that past, i.e. row {@code start + 792}, exactly as keras.io
 * builds its targets; {@code LSTM(32) - Dense(1)} (5,153 parameters), Adam 0.001, batch 256, mean squared error,
 * {@code EarlyStopping(monitor="val_loss", patience=5)} and {@code ModelCheckpoint(saveBestOnly, saveWeightsOnly)};
 * training windows are not shuffled, as keras.io's dataset is not. The result is the {@code mse} and {@code mae} on
 * the validation windows (the remaining 28.5 %) of the best checkpoint, reloaded after training, plus the
 * {@code mae} in degrees Celsius.
 *
 * <p>keras.io's figures on the full data: validation loss (MSE) 0.1636 after 1 epoch and 0.1336 after 2 in its
 * TF 2 run of 10 epochs (0.1336 stays the best in the epochs its log shows), 0.1564 after the single epoch of its
 * Keras 3 version. Its 299,979 training windows
 * take 1,172 steps per epoch. On 2 CPU cores the statically unrolled LSTM over 120 steps costs about 30 ms per
 * step of 256 windows (see {@code bench --workload lstm}), so by default this example trains on every 10th window (29,998
 * windows, and every 10th validation window: neighbouring windows are 10 minutes apart and nearly identical), for
 * 10 epochs of 118 steps; {@code --windows N} chooses the number of training windows ({@code --windows 300000}
 * takes them all: about 40 s per epoch on 2 idle cores, so about 7 minutes for 10 epochs, and 1.4 GB of window
 * arrays, so give the JVM a heap of 3 GB: {@code java -Xmx3g -jar ...}). The reported figures are those of the
 * validation windows used (every {@code stride}-th, as for training).
 *
 * <p>Writes {@code loss.png}, {@code forecast.png} (one validation window's history, truth and prediction, as
 * keras.io's plots), {@code val_predictions.png} (predicted vs true temperature over the first validation weeks),
 * the best weights {@code model_checkpoint.weights.bin} and the TensorBoard logs into
 * {@code tensorboard-logs/weather/<timestamp>/}.
 *
 * <pre>
 * java -jar keras4j-examples.jar weather --data DIR   // DIR/jena_climate/jena_climate_2009_2016.csv (or .csv.zip)
 * java -jar keras4j-examples.jar weather              // ~/.keras4j/datasets/jena_climate/, downloaded when missing
 * </pre>
 */
public final class WeatherForecast {

  /** The 7 columns keras.io selects (its feature indices 0, 1, 5, 7, 8, 10, 11). */
  static final List<String> FEATURES = List.of("p (mbar)", "T (degC)", "VPmax (mbar)", "VPdef (mbar)", "sh (g/kg)",
      "rho (g/m**3)", "wv (m/s)");
  /** Index of the temperature among {@link #FEATURES}. */
  static final int TEMPERATURE = 1;
  static final double SPLIT_FRACTION = 0.715;
  static final int UNITS = 32;
  static final int BATCH_SIZE = 256;
  static final float LEARNING_RATE = 0.001f;
  static final int DEFAULT_EPOCHS = 10;
  static final int PATIENCE = 5;
  /** Training windows used by default (every 10th of the full data's 299,979). */
  static final int DEFAULT_WINDOWS = 30_000;

  /**
   * The window geometry, in rows of 10 minutes: {@code past} rows sampled every {@code step} rows, target
   * {@code future} rows after the past. keras.io: 720, 72, 6.
   */
  record Geometry(int past, int future, int step) {
    static final Geometry KERAS_IO = new Geometry(720, 72, 6);

    int sequenceLength() {
      return past / step;
    }

    int targetOffset() {
      return past + future;
    }

    /** Windows that fit into {@code rows} rows: Keras's {@code len - (sequence_length - 1) * sampling_rate}. */
    int windowsIn(int rows) {
      return rows - (sequenceLength() - 1) * step;
    }
  }

  /** The normalised features, the split and the windows of a data set. */
  record Prepared(float[][] features, double[] mean, double[] std, int trainSplit, int allTrain, int allVal,
      int stride, Timeseries.Windows train, Timeseries.Windows val) {

    /** The first row of each training window. */
    int[] trainStarts() {
      return train.starts();
    }

    /** The first row of each validation window. */
    int[] valStarts() {
      return val.starts();
    }
  }

  private WeatherForecast() {}

  /** Runs keras.io's setup; see the class notes. */
  public static Result run(ExampleOptions opts) {
    return run(opts, Geometry.KERAS_IO);
  }

  /** Runs with another window geometry (tests use short windows). */
  static Result run(ExampleOptions opts, Geometry g) {
    long start = System.nanoTime();
    Backend.clearSession();
    Backend.setRandomSeed(opts.seed());
    JenaClimateLoader.Dataset data = JenaClimateLoader.load(opts.dataDir());
    Prepared p = prepare(data, g, opts.windowsOr(DEFAULT_WINDOWS));
    float[] temperature = temperature(p.features());
    ArrayData xTrain = p.train().inputs();
    ArrayData yTrain = p.train().outputs();
    ArrayData xVal = p.val().inputs();
    ArrayData yVal = p.val().outputs();
    float[] yValues = yVal.values();
    System.out.printf(Locale.ROOT, "weather: %d rows (%s to %s), training part %d rows; windows of %d steps x %d "
        + "features every %d rows: %d of %d for training, %d of %d for validation (every %d%s)%n", data.size(),
        data.dateTimes()[0], data.dateTimes()[data.size() - 1], p.trainSplit(), g.sequenceLength(), FEATURES.size(),
        g.step(), xTrain.rows(), p.allTrain(), xVal.rows(), p.allVal(), p.stride(),
        p.stride() == 1 ? ": all" : "; --windows " + p.allTrain() + " for all");

    Path runDir = opts.runDir("weather");
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the run folder " + runDir + ": " + e, e);
    }
    Path checkpoint = runDir.resolve("model_checkpoint.weights.bin");
    EarlyStopping earlyStopping = EarlyStopping.builder().monitor("val_loss").minDelta(0).patience(PATIENCE).build();
    ModelCheckpoint modelCheckpoint = ModelCheckpoint.builder(checkpoint.toString()).monitor("val_loss").verbose(1)
        .saveWeightsOnly(true).saveBestOnly(true).build();
    KerasTensor inputs = Input.of(g.sequenceLength(), FEATURES.size());
    KerasTensor outputs = new Dense(1).apply(new LSTM(UNITS).apply(inputs));
    try (Model model = new Model(inputs, outputs);
        TensorBoard tensorBoard = TensorBoard.builder().logDir(runDir).build()) {
      model.compile(new Adam(LEARNING_RATE), "mse", "mae");
      model.summary();
      History history = model.fit(xTrain, yTrain, new FitOptions().epochs(opts.epochsOr(DEFAULT_EPOCHS))
          .batchSize(BATCH_SIZE).shuffle(false).validationData(xVal, yVal).verbose(1)
          .callbacks(earlyStopping, modelCheckpoint, tensorBoard));
      try {
        model.loadWeights(checkpoint);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not reload the best checkpoint " + checkpoint + ": " + e, e);
      }
      Map<String, Double> val = model.evaluate(xVal, yVal, BATCH_SIZE, 0);
      double stdT = p.std()[TEMPERATURE];
      System.out.printf(Locale.ROOT, "Best checkpoint on the validation windows: MSE %.4f, MAE %.4f (normalised "
          + "temperature), MAE %.2f degC. keras.io (full data): val_loss 0.1336 after 2 epochs (TF 2), 0.1564 after "
          + "1 (Keras 3)%n", val.get("loss"), val.get("mae"), val.get("mae") * stdT);

      float[] pred = CourseRnn.column(model.predict(xVal, BATCH_SIZE));
      plots(runDir, g, p, temperature, yValues, pred, history);
      System.out.println("TensorBoard logs, plots and the best weights in " + runDir.toAbsolutePath());
      return new Result("weather")
          .put("mse", val.get("loss"))
          .put("mae", val.get("mae"))
          .put("mae_celsius", val.get("mae") * stdT)
          .put("epochs_run", history.epoch().size())
          .put("train_windows", xTrain.rows())
          .seconds((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Selects and normalises the features, splits at {@code int(0.715 * rows)} and chooses the window starts: all of
   * keras.io's windows, or every {@code stride}-th so that about {@code windows} training windows remain (the same
   * stride for validation).
   */
  static Prepared prepare(JenaClimateLoader.Dataset data, Geometry g, int windows) {
    int n = data.size();
    int trainSplit = (int) (SPLIT_FRACTION * n);
    int allTrain = g.windowsIn(trainSplit);
    int allVal = g.windowsIn(n - trainSplit - g.targetOffset());
    if (allTrain <= 0 || allVal <= 0) {
      throw new IllegalArgumentException("The Jena climate data has " + n + " rows: too few for windows of "
          + g.sequenceLength() + " steps every " + g.step() + " rows with targets " + g.targetOffset()
          + " rows after their start in both the training part (71.5 %) and the validation part. The complete file "
          + "has " + JenaClimateLoader.ROWS + " rows.");
    }
    double[] mean = new double[FEATURES.size()];
    double[] std = new double[FEATURES.size()];
    float[][] features = new float[n][FEATURES.size()];
    for (int j = 0; j < FEATURES.size(); j++) {
      double[] column = data.column(FEATURES.get(j));
      double sum = 0;
      for (int i = 0; i < trainSplit; i++) {
        sum += column[i];
      }
      mean[j] = sum / trainSplit;
      double squares = 0;
      for (int i = 0; i < trainSplit; i++) {
        squares += (column[i] - mean[j]) * (column[i] - mean[j]);
      }
      std[j] = Math.sqrt(squares / trainSplit); // numpy's std: divided by n
      if (std[j] == 0) {
        throw new IllegalArgumentException("The column '" + FEATURES.get(j) + "' is constant over the training part "
            + "of the Jena climate data, so it cannot be normalised");
      }
      for (int i = 0; i < n; i++) {
        features[i][j] = (float) ((column[i] - mean[j]) / std[j]);
      }
    }
    int stride = Math.max(1, (allTrain + windows - 1) / windows);
    // keras.io's windows: the temperature targetOffset rows after each window's first row, training windows in
    // rows [0, trainSplit), validation windows from trainSplit on; every stride-th window.
    float[] temperature = temperature(features);
    float[] targets = Arrays.copyOfRange(temperature, g.targetOffset(), n);
    Timeseries.Windows train = Timeseries.windows(features, g.sequenceLength()).samplingRate(g.step())
        .endIndex(trainSplit).sequenceStride(stride).targets(targets);
    Timeseries.Windows val = Timeseries.windows(features, g.sequenceLength()).samplingRate(g.step())
        .startIndex(trainSplit).endIndex(n - g.targetOffset()).sequenceStride(stride).targets(targets);
    return new Prepared(features, mean, std, trainSplit, allTrain, allVal, stride, train, val);
  }

  private static float[] temperature(float[][] features) {
    float[] out = new float[features.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = features[i][TEMPERATURE];
    }
    return out;
  }

  private static void plots(Path dir, Geometry g, Prepared p, float[] temperature, float[] yVal, float[] pred,
      History history) {
    double[] epochs = new double[history.epoch().size()];
    for (int i = 0; i < epochs.length; i++) {
      epochs[i] = i + 1;
    }
    Plots.line(dir.resolve("loss.png"), "Training and validation loss", "epoch", "loss (MSE, normalised)",
        List.of(Plots.Series.line("training loss", epochs, CourseRnn.toArray(history.get("loss"))),
            Plots.Series.line("validation loss", epochs, CourseRnn.toArray(history.get("val_loss")))));

    // keras.io's "Single Step Prediction": the window's temperatures, in hours before the end of its past, and the
    // target 12 hours after it.
    double mean = p.mean()[TEMPERATURE];
    double std = p.std()[TEMPERATURE];
    int first = p.valStarts()[0];
    double hoursPerRow = 1.0 / 6;
    double[] t = new double[g.sequenceLength()];
    double[] history0 = new double[g.sequenceLength()];
    for (int k = 0; k < t.length; k++) {
      int row = first + k * g.step();
      t[k] = (row - (first + g.past())) * hoursPerRow;
      history0[k] = temperature[row] * std + mean;
    }
    double[] at = {g.future() * hoursPerRow};
    XYChart forecast = Plots.chart("Single step prediction (first validation window)",
        "hours after the window's 5-day past", "temperature (degC)",
        List.of(Plots.Series.line("history", t, history0),
            Plots.Series.points("true future", at, new double[] {yVal[0] * std + mean}),
            Plots.Series.points("model prediction", at, new double[] {pred[0] * std + mean})), false);
    forecast.getStyler().setXAxisMax((at[0] + 5) * 2); // keras.io's xlim
    forecast.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    forecast.getStyler().setMarkerSize(10);
    Plots.write(dir.resolve("forecast.png"), forecast);

    int shown = Math.min(pred.length, Math.max(1, 24 * 28 * 6 / p.stride())); // about four weeks
    double[] hours = new double[shown];
    double[] truth = new double[shown];
    double[] predicted = new double[shown];
    for (int i = 0; i < shown; i++) {
      hours[i] = (p.valStarts()[i] + g.targetOffset() - p.trainSplit()) * hoursPerRow;
      truth[i] = yVal[i] * std + mean;
      predicted[i] = pred[i] * std + mean;
    }
    List<Plots.Series> series = new ArrayList<>();
    series.add(Plots.Series.line("true temperature", hours, truth));
    series.add(Plots.Series.line("prediction", hours, predicted));
    Plots.line(dir.resolve("val_predictions.png"), "Validation: temperature 12 h after each window's past",
        "hours after the start of the validation part", "temperature (degC)", series);
  }
}
