package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.data.ArrayData;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.StringTensors;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * A preprocessing layer that maps strings to indices, as Keras 3's {@code keras.layers.StringLookup}: each token's
 * position in a vocabulary, given or learned by {@link #adapt(Object)}. The same in training and inference. Its input
 * is a string tensor: a model input made with {@code Input.ofStrings(...)} and fed {@code String} arrays.
 *
 * <p>The indices are laid out as Keras's (and {@link IntegerLookup}'s): with {@code outputMode "int"}, index 0 is the
 * {@code maskToken} (when set), then {@code numOovIndices} out-of-vocabulary (OOV) indices, then the vocabulary. A
 * token not in the vocabulary gets the OOV index (with several, FarmHash64 of the token modulo {@code numOovIndices},
 * TensorFlow's {@code StringToHashBucketFast} that Keras calls); with {@code numOovIndices = 0} it fails the run.
 * Vocabulary {@code ["a", "b", "c", "d"]} maps {@code [["a", "c", "d"], ["d", "z", "b"]]} to
 * {@code [[1, 3, 4], [4, 0, 2]]}.
 *
 * <p>Other {@code outputMode}s encode those indices ({@code "one_hot"}, {@code "multi_hot"}, {@code "count"}, as
 * {@link CategoryEncoding}) over the vocabulary size ({@code maxTokens} with {@code padToMaxTokens}); there the mask
 * token has no index and is dropped. {@code "tf_idf"} multiplies the counts by the {@code idfWeights}: given with the
 * vocabulary, or learned by {@code adapt} as {@code log(1 + documents / (1 + documents with the token))} (each sample
 * a document), the OOV slots getting the weights' mean. With {@code invert(true)} the layer maps float indices back to
 * strings ({@code oovToken}, default {@code "[UNK]"}, for OOV or unknown indices); its output is then a string tensor,
 * which only another string layer can take, and which a model returns through {@code Model.predictStrings} (fit,
 * evaluate and predict work on numbers only).
 *
 * <p>{@link #adapt} builds the vocabulary as Keras does: every token but the mask and OOV tokens, the most frequent
 * first, ties broken by the larger token (compared by UTF-8 bytes, as numpy sorts TensorFlow's strings); at most
 * {@code maxTokens} indices in all.
 *
 * <p><b>State.</b> The layer has no weights: its vocabulary (and idf weights) are graph constants, written in its
 * config under {@code vocabulary} and {@code idf_weights}, adapted or given (Keras writes an adapted vocabulary to an
 * asset file instead). A layer loaded from a config therefore counts as given a vocabulary and cannot be adapted
 * again. The vocabulary must be known before the model is built; {@code adapt} after that is an error.
 *
 * <p>Lookup in the graph: the vocabulary's FarmHash64 fingerprints are sorted once, each input is found by binary
 * search on its fingerprint and confirmed by comparing the strings, so a lookup costs {@code O(log V)}.
 *
 * <p>Differences from Keras: the output is float32 holding whole numbers (Keras: int64 indices); inverted input is
 * float32 indices. No {@code sparse} output, no vocabulary file, no {@code encoding} other than UTF-8. Encoded modes
 * other than one-hot take inputs of rank 2 only.
 *
 * <pre>{@code
 * StringLookup lookup = StringLookup.builder().vocabulary("a", "b", "c", "d").build();
 * StringLookup adapted = new StringLookup();
 * adapted.adapt(new String[][] {{"a", "c", "d"}, {"d", "z", "b"}});   // vocabulary [[UNK], d, z, c, b, a]
 * }</pre>
 */
public class StringLookup extends Layer {

  /** The output modes Keras accepts ({@code "binary"} and {@code "tf-idf"} are read as their new names). */
  public static final List<String> OUTPUT_MODES = LookupArguments.OUTPUT_MODES;

  private final IndexLookup lookup;
  private final String maskToken;
  private final String oovToken;
  private final boolean invert;
  private boolean hasInputVocabulary;

  /** The tokens after the special indices; null before the vocabulary is known. */
  private String[] tokens;
  /** The idf weights of the tokens as given or learned ({@code "tf_idf"}), for the config. */
  private float[] tokenIdf;
  /** The idf weight of every output slot ({@code "tf_idf"}). */
  private float[] slotIdf;
  private Shape inputShape;

  /** A layer to {@link #adapt}, with Keras's defaults: one OOV index {@code "[UNK]"}, no mask, {@code "int"}. */
  public StringLookup() {
    this(builder());
  }

  private StringLookup(Builder b) {
    super(b.name);
    this.lookup = b.indexLookup(describe(), "StringLookup", b.maskToken != null, b.vocabulary != null);
    if (b.oovToken == null) {
      throw new IllegalArgumentException(describe() + ": `oov_token` must be a string. Received: oov_token=None");
    }
    this.maskToken = b.maskToken;
    this.oovToken = b.oovToken;
    this.invert = b.invert;
    if (b.vocabulary != null) {
      setVocabulary(b.vocabulary, b.idfWeights);
      hasInputVocabulary = true;
    }
  }

  /** A builder for the settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String inputDtype() {
    return invert ? KerasTensor.FLOAT32 : KerasTensor.STRING;
  }

  @Override
  public String outputDtype() {
    return invert ? KerasTensor.STRING : KerasTensor.FLOAT32;
  }

  // ------------------------------------------------------------------ index layout

  /** Keras's {@code _token_start_index}: the index of the first vocabulary token. */
  int tokenStart() {
    return lookup.tokenStart();
  }

  /** The size of the encoded outputs. */
  long depth() {
    return lookup.depth(tokens == null ? -1 : tokens.length);
  }

  // ------------------------------------------------------------------ vocabulary

  /**
   * Sets the vocabulary (and idf weights for {@code "tf_idf"}), as Keras's {@code set_vocabulary}: the tokens, with
   * or without the special tokens at the front (as {@link #getVocabulary()} returns them).
   */
  private void setVocabulary(String[] vocab, float[] idf) {
    if (isBuilt()) {
      throw new IllegalStateException(describe() + ": the vocabulary is part of the built graph; set or adapt it "
          + "before the model is first used by predict, fit or evaluate");
    }
    IndexLookup.Given<String> given = lookup.checkVocabulary(Arrays.asList(vocab), maskToken, oovToken,
        lookup.numOovIndices() > 0);
    if (lookup.tfIdf()) {
      slotIdf = lookup.givenIdfSlots(idf, vocab.length, given.foundSpecial());
      tokenIdf = lookup.tokenIdf(idf, given.foundSpecial());
    }
    tokens = given.tokens().toArray(new String[0]);
  }

  /** The special tokens at the front of the vocabulary: {@code [maskToken] * oovStart + [oovToken] * numOov}. */
  private String[] specialTokens() {
    return lookup.specialTokens(maskToken, oovToken).toArray(new String[0]);
  }

  /**
   * The vocabulary with the special tokens, so that a token's position is its index, as Keras's
   * {@code get_vocabulary()}: {@code [maskToken]} ({@code "int"} output with a mask), {@code numOovIndices} times
   * {@code oovToken}, then the tokens. Empty before the vocabulary is known.
   */
  public String[] getVocabulary() {
    return getVocabulary(true);
  }

  /** As {@link #getVocabulary()}, without the mask and OOV tokens when {@code includeSpecialTokens} is false. */
  public String[] getVocabulary(boolean includeSpecialTokens) {
    if (tokens == null) {
      return new String[0];
    }
    String[] special = includeSpecialTokens ? specialTokens() : new String[0];
    String[] out = Arrays.copyOf(special, special.length + tokens.length);
    System.arraycopy(tokens, 0, out, special.length, tokens.length);
    return out;
  }

  /** The number of indices, special ones included (Keras's {@code vocabulary_size()}); -1 before it is known. */
  public int vocabularySize() {
    return tokens == null ? -1 : tokenStart() + tokens.length;
  }

  /** The idf weight of every output slot ({@code "tf_idf"} output), or null. */
  public float[] idfWeights() {
    return slotIdf == null ? null : slotIdf.clone();
  }

  // ------------------------------------------------------------------ adapt

  /**
   * Builds the vocabulary from the strings of {@code data} (each sample a document for {@code "tf_idf"}), as Keras's
   * {@code adapt} on an array.
   *
   * @param data samples first: {@code String[]}, {@code String[][]}, ... or an {@link ArrayData} of strings
   * @throws IllegalStateException when the layer was given a vocabulary, or is already built
   */
  public void adapt(Object data) {
    requireAdaptable();
    ArrayData x = ArrayData.of("adapt data of layer '" + name() + "'", data);
    if (!x.isStrings()) {
      throw new IllegalArgumentException(describe() + ": adapt() takes strings (String[], String[][], ...); "
          + "received numbers");
    }
    TokenCounts<String> counts = TokenCounts.ofStrings();
    String[] s = x.strings();
    int size = x.rowSize();
    for (int r = 0; r < x.rows(); r++) {
      counts.addDocument(Arrays.asList(s).subList(r * size, (r + 1) * size));
    }
    finish(counts);
  }

  void requireAdaptable() {
    if (hasInputVocabulary) {
      throw new IllegalStateException(describe() + ": cannot adapt layer '" + name() + "' after setting a static "
          + "vocabulary via `vocabulary` argument (a layer loaded from a config has its vocabulary there)");
    }
    if (isBuilt()) {
      throw new IllegalStateException(describe() + ": the vocabulary is part of the built graph; adapt before the "
          + "model is first used by predict, fit or evaluate");
    }
  }

  /** Makes the vocabulary (and idf weights) of {@code counts} the layer's, as Keras's {@code finalize_state}. */
  void finish(TokenCounts<String> counts) {
    IndexLookup.Learned<String> learned = lookup.learn(counts, maskToken, oovToken);
    if (lookup.tfIdf()) {
      tokenIdf = learned.tokenIdf();
      slotIdf = learned.slotIdf();
    }
    tokens = learned.tokens().toArray(new String[0]);
  }

  // ------------------------------------------------------------------ build and call

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return CategoricalEncoding.outputShape(describe(), lookup.outputMode(), inputShape,
        lookup.intOutput() ? 0 : depth());
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    requireVocabulary();
    this.inputShape = inputShape;
  }

  void requireVocabulary() {
    lookup.requireVocabulary(tokens != null);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    if (invert) {
      return StringTensors.carry(inverse(tf, tf.dtypes.cast(tf.stopGradient(inputs), TInt32.class)));
    }
    Operand<TString> x = StringTensors.strings(inputs, describe());
    Operand<TInt32> ids = tf.reshape(indices(tf, tf.reshape(x, tf.constant(new int[] {-1}))), tf.shape(x));
    if (lookup.intOutput()) {
      return tf.dtypes.cast(ids, TFloat32.class);
    }
    Operand<TFloat32> encoded = CategoricalEncoding.encode(tf, ids, lookup.outputMode(), depth(), inputShape);
    return lookup.tfIdf() ? tf.math.mul(encoded, tf.constant(slotIdf)) : encoded;
  }

  /**
   * The index of every string of the 1-D {@code flat}; -1 for a mask token outside {@code "int"} output (dropped by
   * the encodings). With {@code numOovIndices = 0}, an OOV string fails the run.
   */
  Operand<TInt32> indices(Ops tf, Operand<TString> flat) {
    Operand<TString> vocab = tf.constant(NdArrays.vectorOfObjects(tokens));
    // Searched by FarmHash64 fingerprint, then confirmed by comparing the strings.
    IndexLookup.Search search = IndexLookup.search(tf, tf.strings.toHashBucketFast(vocab, Long.MAX_VALUE),
        tf.strings.toHashBucketFast(flat, Long.MAX_VALUE), tokens.length);
    Operand<TBool> found = tf.math.equal(tf.gather(vocab, search.candidate(), tf.constant(0)), flat);
    Operand<TInt32> index = tf.math.add(search.candidate(), tf.constant(tokenStart()));
    int oovStart = lookup.oovStart();
    int numOovIndices = lookup.numOovIndices();
    return LookupIndices.select(tf, name(), flat, found, index, numOovIndices, oovStart,
        numOovIndices > 1 ? tf.math.add(tf.dtypes.cast(tf.strings.toHashBucketFast(flat, (long) numOovIndices),
            TInt32.class), tf.constant(oovStart)) : null,
        maskToken == null ? null : tf.math.equal(flat, tf.constant(maskToken)), lookup.intOutput());
  }

  /** Indices back to strings: {@code oovToken} outside the vocabulary's indices, {@code maskToken} at 0. */
  private Operand<TString> inverse(Ops tf, Operand<TInt32> x) {
    return lookup.inverse(tf, x, tf.constant(NdArrays.vectorOfObjects(tokens)), tokens.length, tf.constant(oovToken),
        maskToken == null ? null : tf.constant(maskToken));
  }

  /** The idf weights of the output slots as a constant ({@code "tf_idf"}). */
  Operand<TFloat32> idfConstant(Ops tf) {
    return tf.constant(slotIdf);
  }

  // ------------------------------------------------------------------ accessors and config

  /** Whether the layer maps indices back to strings. */
  public boolean invert() {
    return invert;
  }

  /** The output mode. */
  public String outputMode() {
    return lookup.outputMode();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    lookup.putSettings(c, oovToken, maskToken, "string");
    putVocabulary(c);
    c.put("encoding", "utf-8");
    return c;
  }

  /** Writes {@code idf_weights}, {@code vocabulary} and {@code vocabulary_size} (the tokens, special ones left out). */
  void putVocabulary(Map<String, Object> c) {
    IndexLookup.putVocabulary(c, tokenIdf, tokens == null ? null : List.of(tokens), vocabularySize());
  }

  /** Settings of {@link StringLookup}, with Keras's defaults. */
  public static final class Builder extends LookupBuilder<Builder> {
    private String maskToken;
    private String oovToken = "[UNK]";
    private String[] vocabulary;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The token of masked inputs (index 0 in {@code "int"} output, dropped otherwise); null (default) for none. */
    public Builder maskToken(String maskToken) {
      this.maskToken = maskToken;
      return this;
    }

    /** The OOV token, in the vocabulary and returned for OOV indices by an inverting layer; default "[UNK]". */
    public Builder oovToken(String oovToken) {
      this.oovToken = oovToken;
      return this;
    }

    /** The vocabulary, optionally led by the special tokens; then the layer needs no {@code adapt}. */
    public Builder vocabulary(String... vocabulary) {
      this.vocabulary = vocabulary.clone();
      return this;
    }

    /** As {@link #vocabulary(String...)}; null for none. */
    public Builder vocabulary(List<String> vocabulary) {
      this.vocabulary = vocabulary == null ? null : vocabulary.toArray(new String[0]);
      return this;
    }

    /** The layer. */
    public StringLookup build() {
      return new StringLookup(this);
    }
  }
}
