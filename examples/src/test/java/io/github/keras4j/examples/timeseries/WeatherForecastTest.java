package io.github.keras4j.examples.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.Result;
import io.github.keras4j.examples.data.JenaClimateLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeatherForecastTest {

  @TempDir Path dir;

  /**
   * keras.io's counts on the full file: train_split = int(0.715 * 420551) = 300693 rows ("300,693 rows" in its
   * text), 300693 - 119 * 6 = 299979 training windows (1,172 batches of 256 in its log) and
   * 420551 - 300693 - 792 - 714 = 118352 validation windows.
   */
  @Test
  void kerasIoGeometryAndCounts() {
    WeatherForecast.Geometry g = WeatherForecast.Geometry.KERAS_IO;
    assertEquals(120, g.sequenceLength());
    assertEquals(792, g.targetOffset());
    assertEquals(300693, (int) (WeatherForecast.SPLIT_FRACTION * JenaClimateLoader.ROWS));
    assertEquals(299979, g.windowsIn(300693));
    assertEquals(1172, (299979 + 255) / 256);
    assertEquals(118352, g.windowsIn(JenaClimateLoader.ROWS - 300693 - 792));
  }

  /**
   * 100 rows whose temperature is the row number: the training part is rows 0..70 (int(71.5)), so the mean is 35
   * and the (population) standard deviation sqrt((71^2 - 1) / 12) = sqrt(420). Windows of 4 steps every 3 rows:
   * 71 - 9 = 62 training windows, every 4th of them for about 20; 100 - 71 - 18 = 11 validation rows hold
   * 11 - 9 = 2 windows, the first starting at row 71.
   */
  @Test
  void prepareNormalisesWithTheTrainingPartAndStridesTheWindows() {
    int n = 100;
    double[][] values = new double[14][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 14; j++) {
        values[j][i] = j + (i % 2); // constant columns would not normalise
      }
      values[1][i] = i; // "T (degC)"
    }
    JenaClimateLoader.Dataset d = new JenaClimateLoader.Dataset(new String[n],
        JenaClimateLoader.COLUMNS.subList(1, 15), values);
    WeatherForecast.Prepared p = WeatherForecast.prepare(d, new WeatherForecast.Geometry(12, 6, 3), 20);
    assertEquals(71, p.trainSplit());
    assertEquals(35.0, p.mean()[WeatherForecast.TEMPERATURE], 1e-12);
    assertEquals(Math.sqrt(420), p.std()[WeatherForecast.TEMPERATURE], 1e-12);
    assertEquals((float) ((99 - 35) / Math.sqrt(420)), p.features()[99][WeatherForecast.TEMPERATURE]);
    assertEquals(62, p.allTrain());
    assertEquals(2, p.allVal());
    assertEquals(4, p.stride());
    assertEquals(16, p.trainStarts().length);
    assertEquals(60, p.trainStarts()[15]);
    assertArrayEquals(new int[] {71}, p.valStarts());
    // The other selected columns: "p (mbar)" alternates 0, 1 (mean 35/71 over 71 rows), rows beyond too.
    assertEquals(35.0 / 71, p.mean()[0], 1e-12);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WeatherForecast.prepare(d, WeatherForecast.Geometry.KERAS_IO, 20));
    assertTrue(e.getMessage().contains("has 100 rows: too few"), e.getMessage());
  }

  /**
   * Short windows (10 hourly steps, target 12 h after) on a generated file with a daily temperature cycle: the
   * best checkpoint's validation MSE beats predicting the training mean (0 after normalisation), computed here.
   */
  @Test
  void learnsTheDailyCycleOfAGeneratedFile() throws IOException {
    TimeseriesFiles.writeJena(dir, 3000, 4);
    Path runDir = dir.resolve("run");
    WeatherForecast.Geometry g = new WeatherForecast.Geometry(60, 12, 6);
    Result r = WeatherForecast.run(new ExampleOptions().dataDir(dir).logDir(runDir).epochs(10), g);
    Map<String, String> fields = Result.parse(r.line());
    assertEquals(List.of("name", "mse", "mae", "mae_celsius", "epochs_run", "train_windows", "seconds"),
        List.copyOf(fields.keySet()));
    assertEquals(2145 - 54, (int) r.get("train_windows"));

    double[] t = JenaClimateLoader.parse(dir.resolve("jena_climate/jena_climate_2009_2016.csv")).column("T (degC)");
    double mean = 0;
    for (int i = 0; i < 2145; i++) {
      mean += t[i];
    }
    mean /= 2145;
    double var = 0;
    for (int i = 0; i < 2145; i++) {
      var += (t[i] - mean) * (t[i] - mean);
    }
    double std = Math.sqrt(var / 2145);
    double zeroMse = 0;
    int windows = (3000 - 2145 - 72) - 54;
    for (int j = 0; j < windows; j++) {
      double z = (t[2145 + j + 72] - mean) / std;
      zeroMse += z * z;
    }
    zeroMse /= windows;
    assertTrue(r.get("mse") < 0.7 * zeroMse, r.line() + " vs predicting the mean: " + zeroMse);
    assertEquals(r.get("mae") * std, r.get("mae_celsius"), 1e-6 * std);

    assertTrue(Files.size(runDir.resolve("model_checkpoint.weights.bin")) > 0);
    for (String png : List.of("loss.png", "forecast.png", "val_predictions.png")) {
      assertTrue(Files.size(runDir.resolve(png)) > 1000, png);
    }
    assertTrue(Files.isDirectory(runDir.resolve("validation")));
  }

  /**
   * keras.io's 120-step geometry on 6,000 generated rows, without training (the examples' tests keep clear of the
   * 120-step graph, which costs over 10 s of CPU to build): int(0.715 * 6000) = 4290 rows, 4290 - 714 = 3576
   * training windows, every ceil(3576 / 256) = 14th of them: 256; 6000 - 4290 - 792 - 714 = 204 validation
   * windows, every 14th: 15, from row 4290.
   */
  @Test
  void defaultGeometryStridesToTheRequestedWindows() throws IOException {
    JenaClimateLoader.Dataset d = JenaClimateLoader.parse(TimeseriesFiles.writeJena(dir, 6000, 7));
    WeatherForecast.Prepared p = WeatherForecast.prepare(d, WeatherForecast.Geometry.KERAS_IO, 256);
    assertEquals(4290, p.trainSplit());
    assertEquals(3576, p.allTrain());
    assertEquals(204, p.allVal());
    assertEquals(14, p.stride());
    assertEquals(256, p.trainStarts().length);
    assertEquals(255 * 14, p.trainStarts()[255]);
    assertEquals(15, p.valStarts().length);
    assertEquals(4290 + 14 * 14, p.valStarts()[14]);
    // The last validation window's target, row 4290 + 196 + 792 = 5278, lies inside the file.
    assertEquals(15, p.val().outputs().rows());
    assertEquals(p.features()[5278][WeatherForecast.TEMPERATURE], p.val().outputs().values()[14]);
  }

  @Test
  void withoutDataTheMessageSaysWhereToPutTheFile() {
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> WeatherForecast.run(new ExampleOptions().dataDir(dir).logDir(dir.resolve("run"))));
    assertTrue(e.getMessage().contains(dir.resolve("jena_climate").resolve("jena_climate_2009_2016.csv").toString()),
        e.getMessage());
    assertTrue(e.getMessage().contains("put it (or the CSV inside it) into " + dir.resolve("jena_climate")),
        e.getMessage());
  }
}
