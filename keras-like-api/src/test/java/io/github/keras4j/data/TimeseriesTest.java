package io.github.keras4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timeseries: the windows of Keras's timeseries_dataset_from_array, checked on Keras's docstring examples. */
class TimeseriesTest {

  /** Rows 0..n-1 of one feature whose value is the row index, so every window shows which rows it took. */
  private static float[][] indices(int n) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = new float[] {i};
    }
    return out;
  }

  private static float[] window(ArrayData x, int i) {
    int size = x.rowSize();
    return Arrays.copyOfRange(x.values(), i * size, (i + 1) * size);
  }

  private static float[] range(int from, int step, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = from + i * step;
    }
    return out;
  }

  @Test
  void kerasDocstringExample1() {
    // Keras's docstring, example 1: indices [0, 1, ... 98], sequence_length=10, sampling_rate=2, sequence_stride=3:
    // first [0 2 ... 18], second [3 5 ... 21], third [6 8 ... 24], last [78 80 ... 96].
    Timeseries.Windows w = Timeseries.windows(indices(99), 10).samplingRate(2).sequenceStride(3);
    ArrayData x = w.inputs();
    assertArrayEquals(new long[] {27, 10, 1}, x.shape());   // positions 0, 3, ..., 78: 81 fit, every 3rd kept
    assertArrayEquals(range(0, 2, 10), window(x, 0));
    assertArrayEquals(range(3, 2, 10), window(x, 1));
    assertArrayEquals(range(6, 2, 10), window(x, 2));
    assertArrayEquals(range(78, 2, 10), window(x, 26));
    assertEquals(78, w.starts()[26]);
  }

  @Test
  void kerasDocstringExample2TargetsShiftedByTheWindow() {
    // Keras's docstring, example 2: input_data = data[:-10], targets = data[10:], sequence_length=10: the first
    // window is data[:10] and its target data[10].
    float[] data = range(100, 1, 30);
    float[][] input = new float[20][];
    float[] targets = Arrays.copyOfRange(data, 10, 30);
    for (int i = 0; i < 20; i++) {
      input[i] = new float[] {data[i]};
    }
    Timeseries.Windows w = Timeseries.windows(input, 10).targets(targets);
    assertArrayEquals(Arrays.copyOfRange(data, 0, 10), window(w.inputs(), 0));
    assertEquals(data[10], w.outputs().values()[0]);
    // 20 rows give 11 windows; the last, rows 10..19, has target targets[10] = data[20].
    assertEquals(11, w.outputs().rows());
    assertEquals(data[20], w.outputs().values()[10]);
  }

  @Test
  void startAndEndIndexLimitTheRowsAndOffsetTheTargets() {
    // Rows 5..14 with windows of 3 every 2 rows: positions 0..7 fit, stride 2 keeps 0, 2, 4, 6 -> starts 5, 7, 9, 11;
    // targets[start] (Keras slices the targets from start_index too).
    float[] targets = range(1000, 1, 40);
    Timeseries.Windows w = Timeseries.windows(indices(40), 3).targets(targets).startIndex(5).endIndex(15)
        .sequenceStride(2);
    assertArrayEquals(new int[] {5, 7, 9, 11}, w.starts());
    assertArrayEquals(new float[] {11, 12, 13}, window(w.inputs(), 3));
    assertArrayEquals(new float[] {1005, 1007, 1009, 1011}, w.outputs().values());
  }

  @Test
  void datasetYieldsEveryWindowOnceAndShufflesByEpoch() {
    float[][] data = indices(50);
    float[] targets = range(0, 1, 50);
    Timeseries.Windows w = Timeseries.windows(data, 4).targets(targets);
    // In order: batches of 16, 16, 15 windows (47 fit), each target the window's first row.
    List<Float> order = firsts(w.dataset(16, false, 0), 0);
    assertEquals(47, order.size());
    for (int i = 0; i < 47; i++) {
      assertEquals(i, order.get(i));
    }
    List<Float> epoch0 = firsts(w.dataset(8, true, 3), 0);
    List<Float> epoch1 = firsts(w.dataset(8, true, 3), 1);
    assertNotEquals(order, epoch0);
    assertNotEquals(epoch0, epoch1);
    assertEquals(epoch0, firsts(w.dataset(8, true, 3), 0), "the same seed and epoch give the same order");
    List<Float> sorted = new ArrayList<>(epoch1);
    sorted.sort(null);
    assertEquals(order, sorted, "every window once per epoch");
  }

  /** The first value of every window in one pass, checking that each window's target is that value. */
  private static List<Float> firsts(Dataset d, int epoch) {
    List<Float> out = new ArrayList<>();
    try (Dataset.Pass pass = d.open(epoch)) {
      while (pass.hasNext()) {
        Dataset.Batch b = pass.next();
        for (int i = 0; i < b.size(); i++) {
          float first = b.x().values()[i * b.x().rowSize()];
          assertEquals(first, b.y().values()[i]);
          assertEquals(first + 3, b.x().values()[i * b.x().rowSize() + 3]);
          out.add(first);
        }
      }
    }
    return out;
  }

  @Test
  void aModelLearnsTheNextValueFromTheDataset() {
    // y[t] = x[t-1] + x[t-2]: a linear model on windows of 2 can fit it exactly.
    Backend.clearSession();
    Backend.setRandomSeed(1);
    int n = 200;
    float[][] x = new float[n][];
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      x[i] = new float[] {(float) r.nextDouble(-1, 1)};
    }
    float[] next = new float[n - 2];
    for (int t = 2; t < n; t++) {
      next[t - 2] = x[t - 1][0] + x[t - 2][0];
    }
    Dataset train = Timeseries.windows(Arrays.copyOfRange(x, 0, n - 2), 2).targets(next).dataset(16, true, 5);
    try (Sequential m = new Sequential(new InputLayer(2, 1), new Flatten(), new Dense(1))) {
      m.compile(new io.github.keras4j.optimizers.Adam(0.05f), "mse");
      History h = m.fit(train, new FitOptions().epochs(20).verbose(0));
      List<Double> loss = h.get("loss");
      assertTrue(loss.get(loss.size() - 1) < 0.01 * loss.get(0), loss.toString());
    }
  }

  @Test
  void badSettingsAreNamed() {
    float[][] data = indices(10);
    assertMessage(() -> Timeseries.windows(data, 0), "`sequence_length` must be higher than 0");
    assertMessage(() -> Timeseries.windows(data, 3).samplingRate(0), "`sampling_rate` must be higher than 0");
    assertMessage(() -> Timeseries.windows(data, 3).sequenceStride(10), "sequence_stride=10, for data of length 10");
    assertMessage(() -> Timeseries.windows(data, 3).startIndex(-1), "start_index=-1");
    assertMessage(() -> Timeseries.windows(data, 3).startIndex(5).endIndex(5).starts(),
        "`end_index` must be higher than `start_index`");
    assertMessage(() -> Timeseries.windows(data, 6).samplingRate(2).starts(), "no window fits");
    assertMessage(() -> Timeseries.windows(new float[][] {{1, 2}, {3}}, 1), "row 1 has 1");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Timeseries.windows(data, 3).dataset(4, false, 0));
    assertTrue(e.getMessage().contains("call targets(...) before dataset()"), e.getMessage());
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
