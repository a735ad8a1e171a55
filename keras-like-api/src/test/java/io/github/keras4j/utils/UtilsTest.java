package io.github.keras4j.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UtilsTest {

  @Test
  void toCategoricalAsKerasDocstring() {
    // Keras's docstring: to_categorical([0, 1, 2, 3], num_classes=4) is the 4x4 identity.
    assertArrayEquals(new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}},
        Utils.toCategorical(new int[] {0, 1, 2, 3}, 4));
    // Without num_classes: max + 1 = 3 columns.
    assertArrayEquals(new float[][] {{0, 0, 1}, {1, 0, 0}}, Utils.toCategorical(new int[] {2, 0}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Utils.toCategorical(new int[] {0, 3}, 3));
    assertTrue(e.getMessage().contains("labels must be in [0, 3). Received: 3 at index 1"), e.getMessage());
  }

  @Test
  void padSequencesAsKerasDocstring() {
    // Keras's docstring: pad_sequences([[1], [2, 3], [4, 5, 6]]) -> [[0 0 1] [0 2 3] [4 5 6]]; value=-1 ->
    // [[-1 -1 1] ...]; padding='post' -> [[1 0 0] [2 3 0] [4 5 6]]; maxlen=2 -> [[0 1] [2 3] [5 6]].
    int[][] seqs = {{1}, {2, 3}, {4, 5, 6}};
    assertArrayEquals(new float[][] {{0, 0, 1}, {0, 2, 3}, {4, 5, 6}}, Utils.padSequences(seqs, -1));
    assertArrayEquals(new float[][] {{-1, -1, 1}, {-1, 2, 3}, {4, 5, 6}},
        Utils.padSequences(seqs, -1, "pre", "pre", -1f));
    assertArrayEquals(new float[][] {{1, 0, 0}, {2, 3, 0}, {4, 5, 6}}, Utils.padSequences(seqs, -1, "post", "pre", 0f));
    assertArrayEquals(new float[][] {{0, 1}, {2, 3}, {5, 6}}, Utils.padSequences(seqs, 2));
    // truncating='post' keeps the first values.
    assertArrayEquals(new float[][] {{0, 1}, {2, 3}, {4, 5}}, Utils.padSequences(seqs, 2, "pre", "post", 0f));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Utils.padSequences(seqs, 2, "middle", "pre", 0f));
    assertTrue(e.getMessage().contains("padding type \"middle\" not understood"), e.getMessage());
  }
}
