package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.data.ArrayData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of {@link IntegerLookup#adapt}, as Keras's {@code IndexLookup.update_state} keeps it: how often each
 * token occurs, in how many documents (rows) it occurs, and the number of documents.
 */
final class TokenCounts {

  private final Map<Long, Long> counts = new HashMap<>();
  private final Map<Long, Long> documentCounts = new HashMap<>();
  private long documents;

  /** Counts the tokens of {@code x}, each row (sample) one document; values are truncated to integers. */
  void add(ArrayData x) {
    float[] v = x.values();
    int rows = x.rows();
    int size = rows == 0 ? 0 : v.length / rows;
    for (int r = 0; r < rows; r++) {
      Set<Long> seen = new HashSet<>();
      for (int j = r * size; j < (r + 1) * size; j++) {
        long token = (long) v[j];
        counts.merge(token, 1L, Long::sum);
        if (seen.add(token)) {
          documentCounts.merge(token, 1L, Long::sum);
        }
      }
    }
    documents += rows;
  }

  /**
   * The vocabulary Keras's {@code finalize_state} makes: every token but the special ones, by count (most frequent
   * first), ties broken by the token, highest first; at most {@code limit} tokens (none when negative).
   */
  long[] vocabulary(Set<Long> special, int limit) {
    List<Long> tokens = new ArrayList<>();
    for (Long t : counts.keySet()) {
      if (!special.contains(t)) {
        tokens.add(t);
      }
    }
    tokens.sort((a, b) -> {
      int c = Long.compare(counts.get(b), counts.get(a));
      return c != 0 ? c : Long.compare(b, a);
    });
    int n = limit >= 0 ? Math.min(limit, tokens.size()) : tokens.size();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = tokens.get(i);
    }
    return out;
  }

  /**
   * Keras's inverse document frequencies of {@code tokens}: {@code log(1 + documents / (1 + documentCount))},
   * computed in double as TensorFlow divides int64 tensors, then float32.
   */
  float[] inverseDocumentFrequencies(long[] tokens) {
    float[] out = new float[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      long d = documentCounts.getOrDefault(tokens[i], 0L);
      out[i] = (float) Math.log(1 + (double) documents / (1 + d));
    }
    return out;
  }
}
