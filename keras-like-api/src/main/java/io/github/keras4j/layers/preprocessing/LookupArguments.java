package io.github.keras4j.layers.preprocessing;

import java.util.List;

/**
 * The argument checks Keras's {@code IndexLookup} makes for both lookup layers ({@link IntegerLookup},
 * {@link StringLookup}): the same rules and messages, naming the layer.
 */
final class LookupArguments {

  /** The output modes Keras accepts ({@code "binary"} and {@code "tf-idf"} are read as their new names). */
  static final List<String> OUTPUT_MODES = List.of("int", "one_hot", "multi_hot", "count", "tf_idf");

  private LookupArguments() {}

  /**
   * Checks the settings and returns the output mode with Keras's old names ({@code "binary"}, {@code "tf-idf"})
   * replaced by the new ones.
   *
   * @param layer the layer's description for messages
   * @param className {@code IntegerLookup} or {@code StringLookup}
   * @param idfWeights the given idf weights (only their presence and text matter here), or null
   * @throws IllegalArgumentException naming the layer and the argument
   */
  static String check(String layer, String className, String outputMode, Integer maxTokens, int numOovIndices,
      boolean invert, Object idfWeights, String idfText, boolean hasVocabulary, boolean padToMaxTokens) {
    String mode = "binary".equals(outputMode) ? "multi_hot" : "tf-idf".equals(outputMode) ? "tf_idf" : outputMode;
    CategoricalEncoding.outputMode(layer, mode, OUTPUT_MODES);
    if (maxTokens != null && maxTokens <= 1) {
      throw new IllegalArgumentException(layer + ": if `max_tokens` is set for `" + className + "`, it must be "
          + "greater than 1. Received: max_tokens=" + maxTokens);
    }
    if (numOovIndices < 0) {
      throw new IllegalArgumentException(layer + ": the value of `num_oov_indices` argument for `" + className
          + "` must >= 0. Received: num_oov_indices=" + numOovIndices);
    }
    if (invert && !mode.equals("int")) {
      throw new IllegalArgumentException(layer + ": `output_mode` must be `'int'` when `invert` is true. "
          + "Received: output_mode=" + mode);
    }
    if (idfWeights != null && !mode.equals("tf_idf")) {
      throw new IllegalArgumentException(layer + ": `idf_weights` should only be set if `output_mode` is "
          + "`'tf_idf'`. Received: idf_weights=" + idfText + " and output_mode=" + mode);
    }
    if (mode.equals("tf_idf") && hasVocabulary && idfWeights == null) {
      throw new IllegalArgumentException(layer + ": when specifying the `vocabulary` argument, in TF-IDF output "
          + "mode, the `idf_weights` argument must also be provided");
    }
    if (padToMaxTokens && maxTokens == null) {
      throw new IllegalArgumentException(layer + ": `pad_to_max_tokens=True` needs `max_tokens`. Received: "
          + "max_tokens=None");
    }
    return mode;
  }
}
