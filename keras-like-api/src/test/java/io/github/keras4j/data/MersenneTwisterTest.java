package io.github.keras4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MersenneTwisterTest {

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void firstOutputOfTheReferenceSeed() {
    // MT19937's published check value: the first output after init_genrand(5489) is 3499211612.
    assertEquals(3499211612L, MersenneTwister.initGenrand(5489).nextUint32());
  }

  @Test
  void numpyShuffleMatchesNumpy() {
    // Printed by numpy 2.4.6: l = list(range(10)); np.random.RandomState(seed).shuffle(l); print(l)
    List<Integer> l = range(10);
    MersenneTwister.numpyShuffle(l, 0);
    assertEquals(List.of(2, 8, 4, 9, 1, 6, 7, 3, 0, 5), l);
    l = range(10);
    MersenneTwister.numpyShuffle(l, 1337);
    assertEquals(List.of(6, 3, 0, 4, 5, 2, 1, 9, 8, 7), l);
    // a = np.arange(7, dtype='int32'); np.random.RandomState(42).shuffle(a)
    l = range(7);
    MersenneTwister.numpyShuffle(l, 42);
    assertEquals(List.of(0, 1, 5, 2, 4, 3, 6), l);
  }

  @Test
  void numpyShuffleMatchesNumpyForMoreSeedsAndLengths() {
    // The permutations printed by np.random.RandomState(seed).shuffle(l) for l = list(range(n)) (NumPy 2.4.6),
    // as (seed, n); 4294967295 is the largest seed numpy accepts.
    long[][] cases = {{42, 10}, {1337, 7}, {0, 5}, {4294967295L, 12}};
    List<List<Integer>> numpy = List.of(List.of(8, 1, 5, 0, 7, 2, 9, 4, 3, 6), List.of(6, 2, 1, 3, 0, 4, 5),
        List.of(2, 0, 1, 3, 4), List.of(11, 8, 5, 9, 1, 10, 6, 0, 4, 7, 2, 3));
    for (int c = 0; c < cases.length; c++) {
      List<Integer> l = range((int) cases[c][1]);
      MersenneTwister.numpyShuffle(l, cases[c][0]);
      assertEquals(numpy.get(c), l, "seed " + cases[c][0]);
    }
  }

  @Test
  void pythonShuffleMatchesPython() {
    // Printed by CPython: l = list(range(10)); random.seed(seed); random.shuffle(l); print(l)
    List<Integer> l = range(10);
    MersenneTwister.pythonShuffle(l, 0);
    assertEquals(List.of(7, 8, 1, 5, 3, 4, 2, 0, 9, 6), l);
    l = range(10);
    MersenneTwister.pythonShuffle(l, 1337);
    assertEquals(List.of(0, 3, 7, 2, 1, 6, 4, 5, 8, 9), l);
    l = range(10);
    MersenneTwister.pythonShuffle(l, (1L << 40) + 5); // a seed of two 32-bit words
    assertEquals(List.of(1, 2, 3, 6, 7, 0, 5, 4, 9, 8), l);
  }
}
