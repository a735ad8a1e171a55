package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.floats;
import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.predict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expected numbers: FarmHash's {@code Fingerprint64} (farmhashna's hash for strings of up to 16 bytes, written out
 * below from the published algorithm) of each value's decimal string, modulo the bins, as TensorFlow's
 * {@code StringToHashBucketFast} computes it; the reference is first checked against Keras 3's docstring examples
 * (hashing.py, which hash the strings "A".."E").
 */
class HashingTest {

  private static final long K0 = 0xc3a5c85c97cb3127L;
  private static final long K2 = 0x9ae16a3b2f90404fL;

  private static long rotate(long v, int shift) {
    return shift == 0 ? v : (v >>> shift) | (v << (64 - shift));
  }

  private static long hashLen16(long u, long v, long mul) {
    long a = (u ^ v) * mul;
    a ^= a >>> 47;
    long b = (v ^ a) * mul;
    b ^= b >>> 47;
    return b * mul;
  }

  private static long fetch(byte[] s, int at, int bytes) {
    long v = 0;
    for (int i = bytes - 1; i >= 0; i--) {
      v = (v << 8) | (s[at + i] & 0xff);
    }
    return v;
  }

  /** FarmHash Fingerprint64 of a string of at most 16 bytes (farmhashna HashLen0to16). */
  static long fingerprint64(String text) {
    byte[] s = text.getBytes(StandardCharsets.UTF_8);
    int len = s.length;
    assertTrue(len <= 16, "reference covers up to 16 bytes");
    if (len >= 8) {
      long mul = K2 + len * 2L;
      long a = fetch(s, 0, 8) + K2;
      long b = fetch(s, len - 8, 8);
      long c = rotate(b, 37) * mul + a;
      long d = (rotate(a, 25) + b) * mul;
      return hashLen16(c, d, mul);
    }
    if (len >= 4) {
      long mul = K2 + len * 2L;
      long a = fetch(s, 0, 4);
      return hashLen16(len + (a << 3), fetch(s, len - 4, 4), mul);
    }
    if (len > 0) {
      long a = s[0] & 0xff;
      long b = s[len >> 1] & 0xff;
      long c = s[len - 1] & 0xff;
      long y = a + (b << 8);
      long z = len + (c << 2);
      long v = y * K2 ^ z * K0;
      return (v ^ (v >>> 47)) * K2;
    }
    return K2;
  }

  private static long bucket(String text, long bins) {
    return Long.remainderUnsigned(fingerprint64(text), bins);
  }

  @Test
  void referenceMatchesKerasDocstring() {
    // Keras: Hashing(num_bins=3) of 'A'..'E' -> [1, 0, 1, 1, 2]; with mask_value='' the others use 2 bins plus 1:
    // 'A', 'B', 'C', 'D' -> 1, 1, 2, 2.
    long[] three = new long[5];
    long[] two = new long[4];
    String[] letters = {"A", "B", "C", "D", "E"};
    for (int i = 0; i < 5; i++) {
      three[i] = bucket(letters[i], 3);
      if (i < 4) {
        two[i] = bucket(letters[i], 2) + 1;
      }
    }
    assertArrayEquals(new long[] {1, 0, 1, 1, 2}, three);
    assertArrayEquals(new long[] {1, 1, 2, 2}, two);
  }

  @Test
  void integersHashAsTheirDecimalStrings() {
    Backend.clearSession();
    // Values of 1 to 9 digits, negative, and a fraction (truncated to 12, as Keras casts floats to int64).
    float[] x = {0, 7, 12, -1, 1138, 99999, 1234567, 16777216, 12.9f, 42};
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = bucket(Long.toString((long) x[i]), 1000);
    }
    assertArrayEquals(expected, predict(new Hashing(1000), x, 1));
    // With a mask value: 0 -> bin 0, the others into 1..999.
    float[] masked = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      masked[i] = x[i] == 0 ? 0 : bucket(Long.toString((long) x[i]), 999) + 1;
    }
    assertArrayEquals(masked, predict(Hashing.builder(1000).maskValue(0).build(), x, 1));
  }

  @Test
  void encodedOutputs() {
    Backend.clearSession();
    float[] x = {5, 6, 5, 9};
    int[] bins = new int[4];
    for (int i = 0; i < 4; i++) {
      bins[i] = (int) bucket(Long.toString((long) x[i]), 4);
    }
    float[] count = new float[8];
    for (int i = 0; i < 4; i++) {
      count[(i / 2) * 4 + bins[i]] += 1;
    }
    assertArrayEquals(count, predict(Hashing.builder(4).outputMode("count").build(), x, 2));
    float[] oneHot = new float[16];
    for (int i = 0; i < 4; i++) {
      oneHot[i * 4 + bins[i]] = 1;
    }
    assertArrayEquals(oneHot, predict(Hashing.builder(4).outputMode("one_hot").build(), x, 1));
  }

  @Test
  void saltedHashIsDeterministicAndDifferent() {
    Backend.clearSession();
    float[] x = new float[20];
    for (int i = 0; i < x.length; i++) {
      x[i] = i * 37;
    }
    // Not checked against independent numbers (SipHash is not written out here): in range, repeatable, and not
    // FarmHash's bins.
    float[] a = predict(Hashing.builder(50).salt(133, 137).build(), x, 1);
    float[] b = predict(Hashing.builder(50).salt(133, 137).build(), x, 1);
    float[] farm = predict(new Hashing(50), x, 1);
    assertArrayEquals(a, b);
    assertNotEquals(java.util.Arrays.toString(farm), java.util.Arrays.toString(a));
    for (float v : a) {
      assertTrue(v >= 0 && v < 50 && v == Math.rint(v), "bin " + v);
    }
  }

  @Test
  void configAndErrors() {
    Backend.clearSession();
    Map<String, Object> c = Hashing.builder(8).salt(133).maskValue(0).outputMode("multi_hot").name("h").build()
        .getConfig();
    assertEquals(8, c.get("num_bins"));
    assertEquals(List.of(133L, 133L), c.get("salt"));
    assertEquals(0.0, c.get("mask_value"));
    assertEquals("multi_hot", c.get("output_mode"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Hashing.builder(0).name("none").build());
    assertTrue(e.getMessage().contains("'none'") && e.getMessage().contains("num_bins=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Hashing.builder(3).salt(1, 2, 3).name("s").build());
    assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains("[1, 2, 3]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Hashing.builder(3).outputMode("tf_idf").name("m").build());
    assertTrue(e.getMessage().contains("'m'") && e.getMessage().contains("output_mode=tf_idf"), e.getMessage());
  }
}
