package io.github.keras4j.data;

import java.math.BigInteger;
import java.util.List;

/**
 * The MT19937 generator that numpy's legacy {@code RandomState} and Python's {@code random} module both use, with
 * the two shuffles Keras's directory utilities call, so that a seed picks the same order of files (and the same
 * training/validation split) as in Keras.
 *
 * <ul>
 *   <li>{@link #numpyShuffle}: {@code np.random.RandomState(seed).shuffle(x)}: the generator is seeded with
 *       MT19937's {@code init_genrand(seed)}; for {@code i = n-1 .. 1}, {@code j} is drawn in {@code [0, i]} by
 *       masking 32-bit outputs to the smallest all-ones mask covering {@code i} and rejecting values above
 *       {@code i}; {@code x[i]} and {@code x[j]} are swapped. Used by Keras's {@code index_directory}.
 *   <li>{@link #pythonShuffle}: {@code random.seed(seed); random.shuffle(x)}: seeded with {@code init_by_array}
 *       over the 32-bit words of {@code |seed|}; {@code j} is drawn in {@code [0, i]} as {@code getrandbits(k)}
 *       ({@code k} = bit length of {@code i + 1}: the top {@code k} bits of one 32-bit output) until below
 *       {@code i + 1}. Used by Keras's {@code split_dataset}.
 * </ul>
 *
 * <p>Only indices below 2<sup>32</sup> are supported (lists shorter than 2<sup>31</sup> elements in Java anyway).
 */
final class MersenneTwister {

  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int index = N + 1;

  private MersenneTwister() {}

  /** MT19937's {@code init_genrand(s)} (numpy's legacy integer seeding). */
  static MersenneTwister initGenrand(long seed) {
    MersenneTwister g = new MersenneTwister();
    g.seed((int) seed);
    return g;
  }

  /** MT19937's {@code init_by_array(key)} (Python's {@code random.seed(int)}). */
  static MersenneTwister initByArray(int[] key) {
    MersenneTwister g = new MersenneTwister();
    g.seed(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      int prev = g.mt[i - 1] ^ (g.mt[i - 1] >>> 30);
      g.mt[i] = (g.mt[i] ^ (prev * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        g.mt[0] = g.mt[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      int prev = g.mt[i - 1] ^ (g.mt[i - 1] >>> 30);
      g.mt[i] = (g.mt[i] ^ (prev * 1566083941)) - i;
      i++;
      if (i >= N) {
        g.mt[0] = g.mt[N - 1];
        i = 1;
      }
    }
    g.mt[0] = 0x80000000;
    return g;
  }

  /** Python's {@code random.seed(seed)} for an integer: {@code init_by_array} over the 32-bit words of |seed|. */
  static MersenneTwister pythonSeeded(long seed) {
    BigInteger a = BigInteger.valueOf(seed).abs();
    int words = Math.max(1, (a.bitLength() + 31) / 32);
    int[] key = new int[words];
    for (int w = 0; w < words; w++) {
      key[w] = a.shiftRight(32 * w).intValue();
    }
    return initByArray(key);
  }

  private void seed(int s) {
    mt[0] = s;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  /** The next 32-bit output, as an unsigned value. */
  long nextUint32() {
    if (index >= N) {
      for (int k = 0; k < N; k++) {
        int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : 0x9908b0df);
      }
      index = 0;
    }
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xffffffffL;
  }

  /** numpy's {@code random_interval(max)}: uniform in {@code [0, max]} by masked rejection. */
  private long interval(long max) {
    if (max == 0) {
      return 0;
    }
    long mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    long value;
    do {
      value = nextUint32() & mask;
    } while (value > max);
    return value;
  }

  /** Python's {@code _randbelow(n)}: {@code getrandbits(n.bit_length())} until below {@code n}. */
  private long below(long n) {
    int k = 64 - Long.numberOfLeadingZeros(n);
    long r;
    do {
      r = nextUint32() >>> (32 - k);
    } while (r >= n);
    return r;
  }

  /** {@code np.random.RandomState(seed).shuffle(list)}, in place; {@code seed} must be in [0, 2^32). */
  static <T> void numpyShuffle(List<T> list, long seed) {
    MersenneTwister g = initGenrand(seed);
    for (int i = list.size() - 1; i > 0; i--) {
      int j = (int) g.interval(i);
      list.set(i, list.set(j, list.get(i)));
    }
  }

  /** {@code random.seed(seed); random.shuffle(list)}, in place. */
  static <T> void pythonShuffle(List<T> list, long seed) {
    MersenneTwister g = pythonSeeded(seed);
    for (int i = list.size() - 1; i > 0; i--) {
      int j = (int) g.below(i + 1L);
      list.set(i, list.set(j, list.get(i)));
    }
  }
}
