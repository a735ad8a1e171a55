package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.data.ArrayData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of the lookup layers' {@code adapt} ({@link IntegerLookup}, {@link StringLookup},
 * {@link TextVectorization}), as Keras's {@code IndexLookup.update_state} keeps it: how often each token occurs, in
 * how many documents (rows) it occurs, and the number of documents.
 *
 * @param <T> the token type: {@link Long} for integer tokens, {@link String} for strings
 */
final class TokenCounts<T> {

  private final Comparator<T> order;
  private final Map<T, Long> counts = new HashMap<>();
  private final Map<T, Long> documentCounts = new HashMap<>();
  private long documents;

  /** @param order the order of tokens that breaks ties between equal counts (the larger token first) */
  private TokenCounts(Comparator<T> order) {
    this.order = order;
  }

  /** Counts of integer tokens, ties broken by the larger number first. */
  static TokenCounts<Long> ofIntegers() {
    return new TokenCounts<>(Long::compare);
  }

  /**
   * Counts of string tokens, ties broken as numpy's sort of TensorFlow's byte strings: by their UTF-8 bytes,
   * unsigned, the larger first.
   */
  static TokenCounts<String> ofStrings() {
    return new TokenCounts<>(TokenCounts::compareUtf8);
  }

  /** Counts the tokens of {@code x}, each row (sample) one document; values are truncated to integers. */
  static void addIntegerRows(TokenCounts<Long> counts, ArrayData x) {
    float[] v = x.values();
    int rows = x.rows();
    int size = rows == 0 ? 0 : v.length / rows;
    for (int r = 0; r < rows; r++) {
      List<Long> document = new ArrayList<>(size);
      for (int j = r * size; j < (r + 1) * size; j++) {
        document.add((long) v[j]);
      }
      counts.addDocument(document);
    }
  }

  /** Counts the tokens of one document. */
  void addDocument(List<T> tokens) {
    Set<T> seen = new HashSet<>();
    for (T token : tokens) {
      counts.merge(token, 1L, Long::sum);
      if (seen.add(token)) {
        documentCounts.merge(token, 1L, Long::sum);
      }
    }
    documents++;
  }

  /**
   * The vocabulary Keras's {@code finalize_state} makes: every token but the special ones, by count (most frequent
   * first), ties broken by the token, highest first; at most {@code limit} tokens (none when negative).
   */
  List<T> vocabulary(Set<T> special, int limit) {
    List<T> tokens = new ArrayList<>();
    for (T t : counts.keySet()) {
      if (!special.contains(t)) {
        tokens.add(t);
      }
    }
    tokens.sort((a, b) -> {
      int c = Long.compare(counts.get(b), counts.get(a));
      return c != 0 ? c : order.compare(b, a);
    });
    int n = limit >= 0 ? Math.min(limit, tokens.size()) : tokens.size();
    return new ArrayList<>(tokens.subList(0, n));
  }

  /**
   * Keras's inverse document frequencies of {@code tokens}: {@code log(1 + documents / (1 + documentCount))},
   * computed in double as TensorFlow divides int64 tensors, then float32.
   */
  float[] inverseDocumentFrequencies(List<T> tokens) {
    float[] out = new float[tokens.size()];
    for (int i = 0; i < out.length; i++) {
      long d = documentCounts.getOrDefault(tokens.get(i), 0L);
      out[i] = (float) Math.log(1 + (double) documents / (1 + d));
    }
    return out;
  }

  /** Compares strings by their UTF-8 bytes, unsigned (numpy's order of byte strings). */
  static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
