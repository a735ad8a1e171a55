package io.github.keras4j.examples.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Timeseries;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The examples' windows, made by the library's Timeseries, are the notebook's and keras.io's. */
class CourseWindowsTest {

  /** A series whose row r holds {@code [r, 1000 + r]}, so every value names its row. */
  private static float[][] series(int rows) {
    float[][] s = new float[rows][];
    for (int r = 0; r < rows; r++) {
      s[r] = new float[] {r, 1000 + r};
    }
    return s;
  }

  private static float[] rowIndex(int rows) {
    float[] t = new float[rows];
    for (int r = 0; r < rows; r++) {
      t[r] = r;
    }
    return t;
  }

  /** The notebook: x_final[k] = X[k:k+50], y_final[k] = y[k+51]; 55 rows give 55 - 51 = 4 windows. */
  @Test
  void courseWindowsAreFiftyConsecutiveRowsAndTheTargetTwoRowsLater() {
    CourseRnn.Windows w = CourseRnn.windows(series(55), rowIndex(55));
    assertArrayEquals(new int[] {0, 1, 2, 3}, w.starts());
    ArrayData x = w.x();
    assertArrayEquals(new long[] {4, 50, 2}, x.shape());
    // Window 0: rows 0..49 of both features, row-major (time, feature).
    assertEquals(0f, x.get(0, 0));
    assertEquals(1000f, x.get(0, 1));
    assertEquals(49f, x.get(0, 98));
    assertEquals(1049f, x.get(0, 99));
    // Window 3 starts at row 3 and ends at row 52.
    assertEquals(3f, x.get(3, 0));
    assertEquals(52f, x.get(3, 98));
    // Targets: row k + 51, the last one row 54 (the last row of the series).
    assertArrayEquals(new float[] {51, 52, 53, 54}, w.y());
  }

  /** keras.io's weather windows: rows start, start+6, ..., start+714; target row start+792. */
  @Test
  void weatherWindowsSampleEverySixthRowAndTargetRow792() {
    float[][] s = series(20 + 793);
    // The targets shifted by 792 rows leave 21 of them, so the starts from row 10 that have one are rows 10..20,
    // every 5th kept.
    Timeseries.Windows w = Timeseries.windows(s, 120).samplingRate(6).startIndex(10).sequenceStride(5)
        .targets(Arrays.copyOfRange(rowIndex(s.length), 792, s.length));
    assertArrayEquals(new int[] {10, 15, 20}, w.starts());
    ArrayData x = w.inputs();
    assertArrayEquals(new long[] {3, 120, 2}, x.shape());
    for (int t = 0; t < 120; t++) {
      assertEquals(10f + 6 * t, x.get(0, 2 * t), "step " + t);
      assertEquals(1010f + 6 * t, x.get(0, 2 * t + 1), "step " + t);
    }
    assertEquals(20f + 714, x.get(2, 2 * 119));
    assertArrayEquals(new float[] {802, 807, 812}, w.outputs().values());
  }
}
