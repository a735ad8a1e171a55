package io.github.keras4j.layers.preprocessing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * What Keras's {@code IndexLookup} base class does for both lookup layers ({@link IntegerLookup},
 * {@link StringLookup}), whatever their token type: the index layout (mask, OOV indices, tokens), the checks of a
 * given vocabulary, the vocabulary learned by {@code adapt} with its idf weights, the idf weight of every output slot,
 * the binary search of the vocabulary in the graph, the inverse lookup, and the config keys. Each layer holds one, and
 * keeps its own state (IntegerLookup: weights; StringLookup: graph constants) and its token type's details.
 */
final class IndexLookup {

  private final String layer;
  private final Integer maxTokens;
  private final int numOovIndices;
  private final boolean hasMaskToken;
  private final boolean invert;
  private final String outputMode;
  private final boolean padToMaxTokens;

  /**
   * Checks the settings as Keras does ({@link LookupArguments}) and keeps them.
   *
   * @param layer the layer's description for messages
   * @param className {@code IntegerLookup} or {@code StringLookup}
   * @param idfWeights the given idf weights (only their presence matters), or null
   * @param idfText their text for messages
   */
  IndexLookup(String layer, String className, String outputMode, Integer maxTokens, int numOovIndices,
      boolean hasMaskToken, boolean invert, boolean padToMaxTokens, Object idfWeights, String idfText,
      boolean hasVocabulary) {
    this.layer = layer;
    this.outputMode = LookupArguments.check(layer, className, outputMode, maxTokens, numOovIndices, invert, idfWeights,
        idfText, hasVocabulary, padToMaxTokens);
    this.maxTokens = maxTokens;
    this.numOovIndices = numOovIndices;
    this.hasMaskToken = hasMaskToken;
    this.invert = invert;
    this.padToMaxTokens = padToMaxTokens;
  }

  /** The output mode, Keras's old names replaced by the new ones. */
  String outputMode() {
    return outputMode;
  }

  /** Whether the output mode is {@code "int"}. */
  boolean intOutput() {
    return outputMode.equals("int");
  }

  /** Whether the output mode is {@code "tf_idf"}. */
  boolean tfIdf() {
    return outputMode.equals("tf_idf");
  }

  /** The number of OOV indices. */
  int numOovIndices() {
    return numOovIndices;
  }

  // ------------------------------------------------------------------ index layout

  /** Keras's {@code _oov_start_index}: 1 when a mask token takes index 0 ({@code "int"} output), else 0. */
  int oovStart() {
    return hasMaskToken && intOutput() ? 1 : 0;
  }

  /** Keras's {@code _token_start_index}: the index of the first vocabulary token. */
  int tokenStart() {
    return oovStart() + numOovIndices;
  }

  /**
   * The size of the encoded outputs: {@code maxTokens} when padded, else the special indices and the tokens.
   *
   * @param tokenCount the number of tokens, or -1 while the vocabulary is unknown (an error unless padded)
   */
  long depth(int tokenCount) {
    if (padToMaxTokens) {
      return maxTokens;
    }
    if (tokenCount < 0) {
      throw new IllegalStateException(layer + ": when using `output_mode=" + outputMode + "` and "
          + "`pad_to_max_tokens=False`, you must set the layer's vocabulary before calling it. Either pass a "
          + "`vocabulary` argument to the layer, or call `adapt` with some sample data");
    }
    return tokenStart() + tokenCount;
  }

  /** The special tokens at the front of the vocabulary: {@code [maskToken] * oovStart + [oovToken] * numOov}. */
  <T> List<T> specialTokens(T maskToken, T oovToken) {
    List<T> out = new ArrayList<>(java.util.Collections.nCopies(tokenStart(), oovToken));
    if (oovStart() == 1) {
      out.set(0, maskToken);
    }
    return out;
  }

  /** The layer cannot be built without a vocabulary. */
  void requireVocabulary(boolean known) {
    if (!known) {
      throw new IllegalStateException(layer + " has no vocabulary: pass a `vocabulary` argument to the layer, "
          + "or call adapt(data) before the model is first used by predict, fit or evaluate");
    }
  }

  // ------------------------------------------------------------------ a given vocabulary

  /** A given vocabulary's tokens (the special tokens left out), and whether it started with them. */
  record Given<T>(List<T> tokens, boolean foundSpecial) {}

  /**
   * Checks a given vocabulary as Keras's {@code set_vocabulary}: not empty, no repeated or null token, no mask token
   * (nor OOV token when {@code oovReserved}) among the tokens, at most {@code maxTokens} indices in all.
   *
   * @param vocab the tokens, with or without the special tokens at the front
   * @param oovReserved whether the OOV token may not be a token (IntegerLookup: when inverting; StringLookup: with
   *     OOV indices)
   */
  <T extends Comparable<T>> Given<T> checkVocabulary(List<T> vocab, T maskToken, T oovToken, boolean oovReserved) {
    if (vocab.isEmpty()) {
      throw new IllegalArgumentException(layer + ": cannot set an empty vocabulary. Received: vocabulary=[]");
    }
    List<T> special = specialTokens(maskToken, oovToken);
    boolean foundSpecial = vocab.size() >= special.size() && vocab.subList(0, special.size()).equals(special);
    List<T> tokens = foundSpecial ? vocab.subList(special.size(), vocab.size()) : vocab;
    Set<T> seen = new HashSet<>();
    Set<T> repeated = new TreeSet<>();
    for (T t : tokens) {
      if (t == null) {
        throw new IllegalArgumentException(layer + ": the vocabulary holds a null token");
      }
      if (!seen.add(t)) {
        repeated.add(t);
      }
    }
    if (!repeated.isEmpty()) {
      throw new IllegalArgumentException(layer + ": the passed vocabulary has at least one repeated term. "
          + "Please uniquify your dataset. The repeated terms are: " + repeated);
    }
    if (maskToken != null && seen.contains(maskToken)) {
      throw new IllegalArgumentException(layer + ": found reserved mask token at unexpected location in "
          + "`vocabulary`. Either remove all mask and OOV tokens, or include them only at the start of the "
          + "vocabulary in precisely this order: " + special + ". Received: mask_token=" + maskToken);
    }
    if (oovReserved && seen.contains(oovToken)) {
      throw new IllegalArgumentException(layer + ": found reserved OOV token at unexpected location in "
          + "`vocabulary`. Either remove all mask and OOV tokens, or include them only at the start of the "
          + "vocabulary in precisely this order: " + special + ". Received: oov_token=" + oovToken);
    }
    if (maxTokens != null && tokenStart() + tokens.size() > maxTokens) {
      throw new IllegalArgumentException(layer + ": attempted to set a vocabulary larger than the maximum vocab "
          + "size. Received vocabulary size is " + (tokenStart() + tokens.size()) + "; `max_tokens` is " + maxTokens);
    }
    return new Given<>(List.copyOf(tokens), foundSpecial);
  }

  /**
   * The idf weight of every output slot from given weights ({@code "tf_idf"}): the special slots take the given
   * vocabulary's leading weights when it started with the special tokens, else the weights' mean; then the tokens'
   * weights, zeros up to the depth.
   *
   * @throws IllegalArgumentException when {@code idf} is missing or not as long as the vocabulary
   */
  float[] givenIdfSlots(float[] idf, int vocabularyLength, boolean foundSpecial) {
    if (idf == null || idf.length != vocabularyLength) {
      throw new IllegalArgumentException(layer + ": `idf_weights` must be the same length as vocabulary. "
          + "len(idf_weights) is " + (idf == null ? "None" : idf.length) + "; len(vocabulary) is " + vocabularyLength);
    }
    if (foundSpecial) {
      return slots(Arrays.copyOf(idf, tokenStart()), tokenIdf(idf, true));
    }
    return slots(frontOf(mean(idf)), idf);
  }

  /** The tokens' own weights of given idf weights (the special tokens' left out), as the config writes them. */
  float[] tokenIdf(float[] idf, boolean foundSpecial) {
    return foundSpecial ? Arrays.copyOfRange(idf, tokenStart(), idf.length) : idf.clone();
  }

  // ------------------------------------------------------------------ adapt

  /** A learned vocabulary, its tokens' idf weights and every slot's ({@code "tf_idf"} only, else null). */
  record Learned<T>(List<T> tokens, float[] tokenIdf, float[] slotIdf) {}

  /**
   * The vocabulary Keras's {@code finalize_state} makes from {@code counts}: every token but the mask and OOV
   * tokens, most frequent first, at most {@code maxTokens} indices in all; for {@code "tf_idf"} the tokens' inverse
   * document frequencies, the special slots getting their mean.
   *
   * @throws IllegalArgumentException when no token is left
   */
  <T> Learned<T> learn(TokenCounts<T> counts, T maskToken, T oovToken) {
    Set<T> special = new HashSet<>();
    if (maskToken != null) {
      special.add(maskToken);
    }
    special.add(oovToken);
    List<T> learned = counts.vocabulary(special, maxTokens == null ? -1 : maxTokens - tokenStart());
    if (learned.isEmpty()) {
      throw new IllegalArgumentException(layer + ": adapt() found no tokens besides the mask and OOV tokens");
    }
    if (!tfIdf()) {
      return new Learned<>(learned, null, null);
    }
    float[] w = counts.inverseDocumentFrequencies(learned);
    return new Learned<>(learned, w, slots(frontOf(mean(w)), w));
  }

  /** {@code front}, then {@code weights}, then zeros, cut or padded to the depth. */
  private float[] slots(float[] front, float[] weights) {
    int size = padToMaxTokens ? maxTokens : front.length + weights.length;
    float[] out = new float[size];
    System.arraycopy(front, 0, out, 0, Math.min(front.length, size));
    System.arraycopy(weights, 0, out, front.length, Math.min(weights.length, size - front.length));
    return out;
  }

  private float[] frontOf(float value) {
    float[] front = new float[tokenStart()];
    Arrays.fill(front, value);
    return front;
  }

  private static float mean(float[] w) {
    float sum = 0;
    for (float v : w) {
      sum += v;
    }
    return sum / w.length;
  }

  // ------------------------------------------------------------------ the graph

  /** The vocabulary position of each query ({@code candidate}) and whether its key equals the query's. */
  record Search(Operand<TInt32> candidate, Operand<TBool> keyFound) {}

  /**
   * Binary search of 1-D {@code queries} among the vocabulary's {@code keys} (one per token, in vocabulary order): the
   * keys are sorted ascending once (descending top-k of their negation, with each one's position), then each query
   * takes the first key not below it ({@code O(log V)}). {@code candidate} is that key's vocabulary position;
   * {@code keyFound} whether it equals the query (a layer whose keys are hashes confirms with the tokens themselves).
   */
  static <K extends TNumber> Search search(Ops tf, Operand<K> keys, Operand<K> queries, int size) {
    TopK<K, TInt32> sorted = tf.nn.topK(tf.math.neg(keys), tf.constant(size), TInt32.class);
    Operand<K> ascending = tf.math.neg(sorted.values());
    Operand<TInt32> position = tf.math.minimum(tf.reshape(tf.lowerBound(tf.expandDims(ascending, tf.constant(0)),
        tf.expandDims(queries, tf.constant(0))), tf.constant(new int[] {-1})), tf.constant(size - 1));
    return new Search(tf.gather(sorted.indices(), position, tf.constant(0)),
        tf.math.equal(tf.gather(ascending, position, tf.constant(0)), queries));
  }

  /**
   * Indices back to tokens, as Keras's inverse table: index {@code tokenStart + i} gives {@code tokens[i]}, any other
   * index {@code oovToken}, and index 0 {@code maskToken} when there is one.
   *
   * @param maskToken the mask token as a scalar, or null without one
   */
  <T extends TType> Operand<T> inverse(Ops tf, Operand<TInt32> x, Operand<T> tokens, int tokenCount,
      Operand<T> oovToken, Operand<T> maskToken) {
    Operand<TInt32> offset = tf.math.sub(x, tf.constant(tokenStart()));
    Operand<TBool> inRange = tf.math.logicalAnd(tf.math.greaterEqual(offset, tf.constant(0)),
        tf.math.less(offset, tf.constant(tokenCount)));
    Operand<TInt32> clipped = tf.clipByValue(offset, tf.constant(0), tf.constant(tokenCount - 1));
    Operand<T> out = tf.select(inRange, tf.gather(tokens, clipped, tf.constant(0)), tf.fill(tf.shape(x), oovToken));
    if (maskToken != null) {
      out = tf.select(tf.math.equal(x, tf.constant(0)), tf.fill(tf.shape(x), maskToken), out);
    }
    return out;
  }

  // ------------------------------------------------------------------ config

  /**
   * Writes Keras's settings keys shared by both layers, in Keras's order: {@code invert} to
   * {@code vocabulary_dtype}.
   */
  void putSettings(Map<String, Object> c, Object oovToken, Object maskToken, String vocabularyDtype) {
    c.put("invert", invert);
    c.put("max_tokens", maxTokens);
    c.put("num_oov_indices", numOovIndices);
    c.put("oov_token", oovToken);
    c.put("mask_token", maskToken);
    c.put("output_mode", outputMode);
    c.put("sparse", false);
    c.put("pad_to_max_tokens", padToMaxTokens);
    c.put("vocabulary_dtype", vocabularyDtype);
  }

  /**
   * Writes {@code idf_weights} (as doubles), {@code vocabulary} and {@code vocabulary_size}, each null when unknown.
   *
   * @param vocabularySize the number of indices, special ones included, or -1
   */
  static void putVocabulary(Map<String, Object> c, float[] idf, List<?> vocabulary, int vocabularySize) {
    List<Double> weights = null;
    if (idf != null) {
      weights = new ArrayList<>();
      for (float w : idf) {
        weights.add((double) w);
      }
    }
    c.put("idf_weights", weights);
    c.put("vocabulary", vocabulary);
    c.put("vocabulary_size", vocabularySize < 0 ? null : vocabularySize);
  }
}
