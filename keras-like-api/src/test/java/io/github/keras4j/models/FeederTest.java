package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.keras4j.data.ArrayData;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

class FeederTest {

  private static float[] values(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }

  @Test
  void consecutiveAndShuffledBatchesHoldTheRowsOfTheirIndicesInOneReusedTensor() {
    // Four samples of two values: sample i is (10 i, 10 i + 1).
    ArrayData data = new ArrayData("x", new float[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2);
    try (Feeder feeder = new Feeder()) {
      TFloat32 a = feeder.rows("x0", data, new int[] {0, 1, 2, 3}, 1, 2);
      assertArrayEquals(new float[] {10, 11, 20, 21}, values(a));
      TFloat32 b = feeder.rows("x0", data, new int[] {3, 0, 2, 1}, 0, 2);
      assertSame(a, b);
      assertArrayEquals(new float[] {30, 31, 0, 1}, values(b));
      // Consecutive again after a shuffled batch: the direct copy overwrites the gathered rows.
      assertArrayEquals(new float[] {20, 21, 30, 31}, values(feeder.rows("x0", data, new int[] {2, 3}, 0, 2)));
    }
  }

  @Test
  void weightsAreOnesWithoutSampleWeightsAlsoAfterABatchWithThem() {
    try (Feeder feeder = new Feeder()) {
      int[] order = {2, 0, 1};
      assertArrayEquals(new float[] {1, 1, 1}, values(feeder.weights("w0", null, order, 0, 3)));
      assertArrayEquals(new float[] {0.5f, 2, 3}, values(feeder.weights("w0", new float[] {2, 3, 0.5f}, order, 0, 3)));
      assertArrayEquals(new float[] {1, 1, 1}, values(feeder.weights("w0", null, order, 0, 3)));
      assertArrayEquals(new float[] {1, 1}, values(feeder.weights("w0", null, order, 1, 2)));
    }
  }
}
