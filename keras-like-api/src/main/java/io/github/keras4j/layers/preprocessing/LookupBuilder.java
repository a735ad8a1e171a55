package io.github.keras4j.layers.preprocessing;

import java.util.Arrays;

/**
 * The settings {@link IntegerLookup.Builder} and {@link StringLookup.Builder} share (Keras's {@code IndexLookup}
 * arguments), with Keras's defaults; each builder adds its token-typed settings (mask and OOV tokens, vocabulary).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class LookupBuilder<B extends LookupBuilder<B>> {
  String name;
  Integer maxTokens;
  int numOovIndices = 1;
  float[] idfWeights;
  boolean invert;
  String outputMode = "int";
  boolean padToMaxTokens;

  LookupBuilder() {}

  abstract B self();

  /** The layer's name. */
  public B name(String name) {
    this.name = name;
    return self();
  }

  /** The largest vocabulary, special indices included (more than 1); null (default) for no limit. */
  public B maxTokens(Integer maxTokens) {
    this.maxTokens = maxTokens;
    return self();
  }

  /** The number of OOV indices (default 1); 0 makes unknown tokens fail the run. */
  public B numOovIndices(int numOovIndices) {
    this.numOovIndices = numOovIndices;
    return self();
  }

  /** The inverse document frequencies of the vocabulary's entries ({@code "tf_idf"} only); null for none. */
  public B idfWeights(float... idfWeights) {
    this.idfWeights = idfWeights == null ? null : idfWeights.clone();
    return self();
  }

  /** Whether to map indices back to tokens ({@code "int"} output only); default false. */
  public B invert(boolean invert) {
    this.invert = invert;
    return self();
  }

  /** {@code "int"} (default), {@code "one_hot"}, {@code "multi_hot"}, {@code "count"} or {@code "tf_idf"}. */
  public B outputMode(String outputMode) {
    this.outputMode = outputMode;
    return self();
  }

  /** Whether encoded outputs have {@code maxTokens} slots whatever the vocabulary's size; default false. */
  public B padToMaxTokens(boolean padToMaxTokens) {
    this.padToMaxTokens = padToMaxTokens;
    return self();
  }

  /** The shared lookup stages of layer {@code describe} ({@code className}), checked against these settings. */
  IndexLookup indexLookup(String describe, String className, boolean hasMaskToken, boolean hasVocabulary) {
    return new IndexLookup(describe, className, outputMode, maxTokens, numOovIndices, hasMaskToken, invert,
        padToMaxTokens, idfWeights, Arrays.toString(idfWeights), hasVocabulary);
  }
}
