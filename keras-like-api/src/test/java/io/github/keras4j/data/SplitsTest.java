package io.github.keras4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitsTest {

  /** x[i] = (i, -i), y[i] = 10 i: sample i is recognisable. */
  private static float[][] xs(int n) {
    float[][] x = new float[n][];
    for (int i = 0; i < n; i++) {
      x[i] = new float[] {i, -i};
    }
    return x;
  }

  private static int[] ys(int n) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = 10 * i;
    }
    return y;
  }

  /** The sample ids of a part, checking x and y agree. */
  private static int[] ids(Splits.Part p) {
    int[] ids = new int[p.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Math.round(p.x().get(i, 0));
      assertEquals(-ids[i], p.x().get(i, 1), 0f);
      assertEquals(10 * ids[i], p.y().get(i, 0), 0f);
    }
    return ids;
  }

  @Test
  void shuffledSplitPicksTheSamplesPythonPicks() {
    // Printed by CPython: l = list(range(10)); random.seed(7); random.shuffle(l) -> [8, 3, 1, 4, 7, 0, 9, 6, 2, 5];
    // left_size=0.7 -> round(7.0) = 7: the first 7, right = the last 3 (Keras's _split_dataset_tf).
    Splits.Split s = Splits.splitDataset(List.of(xs(10), ys(10)), 0.7, null, true, 7L);
    assertArrayEquals(new int[] {8, 3, 1, 4, 7, 0, 9}, ids(s.left()));
    assertArrayEquals(new int[] {6, 2, 5}, ids(s.right()));
  }

  @Test
  void sizesAsCountsFractionsAndComplements() {
    Splits.Split s = Splits.splitDataset(List.of(xs(10), ys(10)), 3);
    assertArrayEquals(new int[] {0, 1, 2}, ids(s.left()));
    assertArrayEquals(new int[] {3, 4, 5, 6, 7, 8, 9}, ids(s.right()));
    // right_size=0.25 -> Python's round(2.5) = 2 (half to even), left = the complement, 8.
    s = Splits.splitDataset(List.of(xs(10), ys(10)), null, 0.25, false, null);
    assertEquals(8, s.left().size());
    assertArrayEquals(new int[] {8, 9}, ids(s.right()));
    // Sizes that do not add up: the first 2 and the last 3; samples 2..6 are in neither.
    s = Splits.splitDataset(List.of(xs(10), ys(10)), 2, 3, false, null);
    assertArrayEquals(new int[] {0, 1}, ids(s.left()));
    assertArrayEquals(new int[] {7, 8, 9}, ids(s.right()));
    // One array alone.
    Splits.Split one = Splits.splitDataset(xs(4), 0.5);
    assertEquals(1, one.left().arrays().size());
    assertArrayEquals(new long[] {2, 2}, one.right().x().shape());
    assertEquals(2f, one.right().x().get(0, 0), 0f);
    assertThrows(IllegalStateException.class, () -> one.left().y());
    // A part of (x, y) is a Dataset.
    assertArrayEquals(new long[] {2}, s.right().dataset().xShape());
  }

  @Test
  void aDatasetSplitsIntoTwoDatasetsWithItsBatchSize() {
    Dataset d = Dataset.fromArrays(xs(10), ys(10)).batch(4);
    Splits.DatasetSplit s = Splits.splitDataset(d, 0.6, null, false, null);
    assertEquals(4, s.left().batchSize());
    int n = 0;
    try (Dataset.Pass p = s.right().open(0)) {
      while (p.hasNext()) {
        Dataset.Batch b = p.next();
        for (int i = 0; i < b.size(); i++) {
          assertEquals(6 + n, b.x().get(i, 0), 0f); // the last 4 samples, in order
          n++;
        }
      }
    }
    assertEquals(4, n);
  }

  private static String message(Number left, Number right) {
    return assertThrows(IllegalArgumentException.class, () -> Splits.splitDataset(List.of(xs(10), ys(10)), left,
        right, false, null)).getMessage();
  }

  @Test
  void badSizesAreRefusedWithKerasMessages() {
    assertEquals("At least one of the `left_size` or `right_size` must be specified. Received: left_size=None and "
        + "right_size=None", message(null, null));
    assertEquals("Both `left_size` and `right_size` are zero. At least one of the split sizes must be non-zero.",
        message(0, 0.0));
    assertEquals("`left_size` should be either a positive integer smaller than 10, or a float within the range "
        + "`[0, 1]`. Received: left_size=10", message(10, null));
    assertTrue(message(1.0, null).endsWith("Received: left_size=1.0"));
    assertEquals("`right_size` should be either a positive integer and smaller than 10 or a float within the range "
        + "`[0, 1]`. Received: right_size=-2", message(null, -2));
    assertEquals("The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal to 1.",
        message(0.6, 0.5));
    assertTrue(message(6, 5).startsWith("The sum of `left_size` and `right_size` should be smaller than the 10."));
    // round(0.01 * 10) = 0 samples on the left.
    assertTrue(message(0.01, null).contains("Resulting left side dataset split will be empty"));
    assertTrue(message(new BigDecimal("0.5"), null).startsWith("Invalid `left_size` Type."));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Splits.splitDataset(List.of(xs(10), ys(9)), 0.5))
        .getMessage().startsWith("The arrays of `dataset` must have the same number of samples. Received: [10, 9]"));
  }
}
