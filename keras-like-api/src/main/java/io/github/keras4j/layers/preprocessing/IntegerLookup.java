package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that maps integer tokens to indices, as Keras 3's {@code keras.layers.IntegerLookup}: each
 * token's position in a vocabulary, given or learned by {@link #adapt(Object)}. The same in training and inference.
 *
 * <p>The indices are laid out as Keras's: with {@code outputMode "int"}, index 0 is the {@code maskToken} (when set),
 * then {@code numOovIndices} out-of-vocabulary (OOV) indices, then the vocabulary. A token not in the vocabulary gets
 * the OOV index (with several, {@code token floormod numOovIndices}, Keras's default {@code oov_method}); with
 * {@code numOovIndices = 0} it fails the run. Vocabulary {@code [12, 36, 1138, 42]} maps
 * {@code [[12, 1138, 42], [42, 1000, 36]]} to {@code [[1, 3, 4], [4, 0, 2]]}.
 *
 * <p>Other {@code outputMode}s encode those indices ({@code "one_hot"}, {@code "multi_hot"}, {@code "count"}, as
 * {@link CategoryEncoding}) over the vocabulary size ({@code maxTokens} with {@code padToMaxTokens}); there the mask
 * token has no index and is dropped. {@code "tf_idf"} multiplies the counts by the {@code idfWeights}: given with the
 * vocabulary, or learned by {@code adapt} as {@code log(1 + documents / (1 + documents with the token))} (each sample
 * a document), the OOV slots getting the weights' mean. With {@code invert(true)} the layer maps indices back to
 * tokens ({@code oovToken}, default -1, for OOV or unknown indices).
 *
 * <p>{@link #adapt} builds the vocabulary from data as Keras does: every token but the mask and OOV tokens, the most
 * frequent first, ties broken by the larger token; at most {@code maxTokens} indices in all.
 *
 * <p><b>State.</b> The vocabulary (the tokens after the special indices) is the non-trainable weight {@code vocabulary}
 * (and {@code idf_weights} for {@code "tf_idf"}), saved and loaded with the model, so a reloaded model maps tokens the
 * same way; the config holds a given {@code vocabulary} and the {@code vocabulary_size}, as Keras writes them (Keras
 * saves an adapted vocabulary as an asset file instead). A layer made from a config alone has a placeholder (zeros)
 * vocabulary of that size until its weights are loaded. The vocabulary must be known before the model is built (given
 * or adapted); {@code adapt} once built must keep its size.
 *
 * <p>The output has no gradient (indices and tokens are integers): the layer stops gradients at its input.
 *
 * <p>Differences from Keras: inputs and outputs are float32 holding whole numbers (Keras: int64 tokens and
 * indices), so tokens must be integers of magnitude up to 2^24 (exact in float32); fractions are truncated as Keras's
 * int64 cast does. No {@code sparse} output, no vocabulary file, no {@code oov_method="farmhash"} or {@code salt}.
 * Encoded modes take inputs of rank 2 only (one-hot: any rank).
 *
 * <pre>{@code
 * IntegerLookup lookup = IntegerLookup.builder().vocabulary(12, 36, 1138, 42).build();
 * IntegerLookup adapted = new IntegerLookup();
 * adapted.adapt(new float[][] {{12, 1138, 42}, {42, 1000, 36}});   // vocabulary [-1, 42, 1138, 1000, 36, 12]
 * IntegerLookup.builder().vocabulary(12, 36).outputMode("multi_hot").numOovIndices(2).build();
 * }</pre>
 */
public class IntegerLookup extends Layer {

  /** The output modes Keras accepts ({@code "binary"} and {@code "tf-idf"} are read as their new names). */
  public static final List<String> OUTPUT_MODES = LookupArguments.OUTPUT_MODES;

  private final IndexLookup lookup;
  private final Long maskToken;
  private final long oovToken;
  private final boolean invert;
  private final long[] inputVocabulary;
  private final float[] inputIdfWeights;

  /** The tokens after the special indices, before the layer is built (from the arguments, adapt or config). */
  private float[] pendingTokens;
  /** The idf weights of every output slot (tf_idf), before the layer is built. */
  private float[] pendingIdf;
  /** The number of tokens once known (vocabulary, adapt, or the config's vocabulary_size); -1 before. */
  private int tokenCount = -1;
  private Shape inputShape;
  private GraphVariable vocabulary;
  private GraphVariable idfWeights;

  /** A layer to {@link #adapt}, with Keras's defaults: one OOV index, no mask, {@code "int"} output. */
  public IntegerLookup() {
    this(builder());
  }

  private IntegerLookup(Builder b) {
    super(b.name);
    this.lookup = b.indexLookup(describe(), "IntegerLookup", b.maskToken != null, b.vocabulary != null);
    this.maskToken = b.maskToken;
    this.oovToken = b.oovToken;
    this.invert = b.invert;
    this.inputVocabulary = b.vocabulary == null ? null : b.vocabulary.clone();
    this.inputIdfWeights = b.idfWeights == null ? null : b.idfWeights.clone();
    if (inputVocabulary != null) {
      setVocabulary(inputVocabulary, inputIdfWeights);
    } else if (b.vocabularySize != null) {
      int n = b.vocabularySize - tokenStart();
      if (n < 1) {
        throw new IllegalArgumentException(describe() + ": `vocabulary_size` " + b.vocabularySize + " leaves no "
            + "room for tokens after " + tokenStart() + " special indices");
      }
      tokenCount = n;
    }
  }

  /** A builder for the settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ index layout

  /** Keras's {@code _token_start_index}: the index of the first vocabulary token. */
  private int tokenStart() {
    return lookup.tokenStart();
  }

  /** The size of the encoded outputs. */
  private long depth() {
    return lookup.depth(tokenCount);
  }

  // ------------------------------------------------------------------ vocabulary

  /**
   * Sets the vocabulary (and idf weights for {@code "tf_idf"}), as Keras's {@code set_vocabulary}: the tokens, with
   * or without the special tokens at the front ({@code [maskToken] + [oovToken] * numOovIndices}, as
   * {@link #getVocabulary()} returns them).
   */
  private void setVocabulary(long[] vocab, float[] idf) {
    IndexLookup.Given<Long> given = lookup.checkVocabulary(Arrays.stream(vocab).boxed().toList(), maskToken,
        oovToken, invert);
    long[] tokens = given.tokens().stream().mapToLong(Long::longValue).toArray();
    for (long t : tokens) {
      if (Math.abs(t) > (1 << 24)) {
        throw new IllegalArgumentException(describe() + ": vocabulary tokens must be integers of magnitude at most "
            + "2^24 (exact in float32, Keras4J's input type). Received: " + t);
      }
    }
    float[] padded = lookup.tfIdf() ? lookup.givenIdfSlots(idf, vocab.length, given.foundSpecial()) : null;
    float[] values = new float[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      values[i] = tokens[i];
    }
    store(values, padded);
  }

  /** The special tokens at the front of the vocabulary: {@code [maskToken] * oovStart + [oovToken] * numOov}. */
  private long[] specialTokens() {
    return lookup.specialTokens(maskToken, oovToken).stream().mapToLong(Long::longValue).toArray();
  }

  /** Makes {@code tokens} (and {@code idf}) the layer's vocabulary: the weights' values once built. */
  private void store(float[] tokens, float[] idf) {
    if (!isBuilt()) {
      pendingTokens = tokens;
      pendingIdf = idf;
      tokenCount = tokens.length;
      return;
    }
    if (tokens.length != tokenCount) {
      throw new IllegalStateException(describe() + ": the vocabulary size cannot change once the layer is built "
          + "(it sizes the layer's weights and outputs). Old vocab size is " + (tokenStart() + tokenCount)
          + ", new vocab size is " + (tokenStart() + tokens.length) + "; adapt before the model is built");
    }
    List<GraphVariable> vars = new ArrayList<>(List.of(vocabulary));
    List<FloatNdArray> values = new ArrayList<>(List.of(NdArrays.wrap(Shape.of(tokens.length),
        DataBuffers.of(tokens, false, false))));
    if (idfWeights != null) {
      vars.add(idfWeights);
      values.add(NdArrays.wrap(Shape.of(idf.length), DataBuffers.of(idf, false, false)));
    }
    runtime().assign(vars, values);
  }

  /**
   * The vocabulary with the special tokens, so that a token's position is its index, as Keras's
   * {@code get_vocabulary()}: {@code [maskToken]} ({@code "int"} output with a mask), {@code numOovIndices} times
   * {@code oovToken}, then the tokens. Empty before the vocabulary is known.
   */
  public long[] getVocabulary() {
    return getVocabulary(true);
  }

  /** As {@link #getVocabulary()}, without the mask and OOV tokens when {@code includeSpecialTokens} is false. */
  public long[] getVocabulary(boolean includeSpecialTokens) {
    float[] tokens;
    if (tokenCount < 0) {
      tokens = new float[0];
    } else if (!isBuilt()) {
      tokens = pendingTokens == null ? new float[tokenCount] : pendingTokens;
    } else {
      FloatNdArray v = runtime().read(List.of(vocabulary)).get(0);
      tokens = new float[(int) v.size()];
      v.copyTo(DataBuffers.of(tokens, false, false));
    }
    long[] special = includeSpecialTokens && tokenCount >= 0 ? specialTokens() : new long[0];
    long[] out = Arrays.copyOf(special, special.length + tokens.length);
    for (int i = 0; i < tokens.length; i++) {
      out[special.length + i] = (long) tokens[i];
    }
    return out;
  }

  /** The number of indices, special ones included (Keras's {@code vocabulary_size()}); -1 before it is known. */
  public int vocabularySize() {
    return tokenCount < 0 ? -1 : tokenStart() + tokenCount;
  }

  // ------------------------------------------------------------------ adapt

  /**
   * Builds the vocabulary from the tokens of {@code data} (each sample a document for {@code "tf_idf"}), as Keras's
   * {@code adapt} on an array.
   *
   * @param data samples first: any float or double array, a {@code FloatNdArray} or an {@link ArrayData}
   * @throws IllegalStateException when the layer was given a vocabulary
   */
  public void adapt(Object data) {
    TokenCounts<Long> counts = TokenCounts.ofIntegers();
    requireAdaptable();
    ArrayData x = ArrayData.of("adapt data of layer '" + name() + "'", data);
    x.checkFinite();
    TokenCounts.addIntegerRows(counts, x);
    finish(counts);
  }

  /** As {@link #adapt(Object)} over the inputs of a {@link Dataset}, batch by batch (its targets are ignored). */
  public void adapt(Dataset data) {
    requireAdaptable();
    TokenCounts<Long> counts = TokenCounts.ofIntegers();
    try (Dataset.Pass pass = data.open(0)) {
      while (pass.hasNext()) {
        ArrayData x = pass.next().x();
        x.checkFinite();
        TokenCounts.addIntegerRows(counts, x);
      }
    }
    finish(counts);
  }

  private void requireAdaptable() {
    if (inputVocabulary != null) {
      throw new IllegalStateException(describe() + ": cannot adapt layer '" + name() + "' after setting a static "
          + "vocabulary via `vocabulary` argument");
    }
  }

  private void finish(TokenCounts<Long> counts) {
    IndexLookup.Learned<Long> learned = lookup.learn(counts, maskToken, oovToken);
    float[] values = new float[learned.tokens().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = learned.tokens().get(i);
    }
    store(values, learned.slotIdf());
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
    lookup.requireVocabulary(tokenCount >= 0);
    this.inputShape = inputShape;
    vocabulary = addWeight("vocabulary", Shape.of(tokenCount), new ConstantValues(pendingTokens, 0f), false);
    if (lookup.tfIdf()) {
      idfWeights = addWeight("idf_weights", Shape.of(depth()), new ConstantValues(pendingIdf, 0f), false);
    }
    pendingTokens = null;
    pendingIdf = null;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TInt32> x = tf.dtypes.cast(tf.stopGradient(inputs), TInt32.class);
    Operand<TFloat32> vocab = tf.stopGradient(vocabulary.value());
    if (invert) {
      return inverse(tf, x, vocab);
    }
    Operand<TInt32> flat = tf.reshape(x, tf.constant(new int[] {-1}));
    IndexLookup.Search search = IndexLookup.search(tf, tf.dtypes.cast(vocab, TInt32.class), flat, tokenCount);
    Operand<TInt32> index = tf.math.add(search.candidate(), tf.constant(tokenStart()));
    int oovStart = lookup.oovStart();
    int numOovIndices = lookup.numOovIndices();
    // The inputs as a row (1, n) in the message of the num_oov_indices=0 failure.
    Operand<TInt32> lookedUp = LookupIndices.select(tf, name(), tf.reshape(x, tf.constant(new int[] {1, -1})),
        search.keyFound(), index, numOovIndices, oovStart,
        numOovIndices > 1 ? tf.math.add(tf.math.floorMod(flat, tf.constant(numOovIndices)), tf.constant(oovStart))
            : null,
        maskToken == null ? null : tf.math.equal(flat, tf.constant(maskToken.intValue())), lookup.intOutput());
    Operand<TInt32> ids = tf.reshape(lookedUp, tf.shape(x));
    if (lookup.intOutput()) {
      return tf.dtypes.cast(ids, TFloat32.class);
    }
    Operand<TFloat32> encoded = CategoricalEncoding.encode(tf, ids, lookup.outputMode(), depth(), inputShape);
    return lookup.tfIdf() ? tf.math.mul(encoded, tf.stopGradient(idfWeights.value())) : encoded;
  }

  /** Indices back to tokens: {@code oovToken} outside the vocabulary's indices, {@code maskToken} at 0. */
  private Operand<TFloat32> inverse(Ops tf, Operand<TInt32> x, Operand<TFloat32> vocab) {
    return lookup.inverse(tf, x, vocab, tokenCount, tf.constant((float) oovToken),
        maskToken == null ? null : tf.constant((float) maskToken));
  }

  // ------------------------------------------------------------------ accessors and config

  /** Whether the layer maps indices back to tokens. */
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
    lookup.putSettings(c, oovToken, maskToken, "int64");
    IndexLookup.putVocabulary(c, inputIdfWeights,
        inputVocabulary == null ? null : Arrays.stream(inputVocabulary).boxed().toList(), vocabularySize());
    c.put("oov_method", "floormod");
    c.put("salt", null);
    return c;
  }

  /** Settings of {@link IntegerLookup}, with Keras's defaults. */
  public static final class Builder extends LookupBuilder<Builder> {
    private Long maskToken;
    private long oovToken = -1;
    private long[] vocabulary;
    private Integer vocabularySize;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The token of masked inputs (index 0 in {@code "int"} output, dropped otherwise); null (default) for none. */
    public Builder maskToken(Long maskToken) {
      this.maskToken = maskToken;
      return this;
    }

    /** The token returned for OOV indices by an inverting layer; default -1. */
    public Builder oovToken(long oovToken) {
      this.oovToken = oovToken;
      return this;
    }

    /** The vocabulary, optionally led by the special tokens; then the layer needs no {@code adapt}. */
    public Builder vocabulary(long... vocabulary) {
      this.vocabulary = vocabulary.clone();
      return this;
    }

    /**
     * The size of an adapted vocabulary, special indices included, as a saved config holds it: the layer reserves
     * its weights, whose saved values are loaded next (for loading saved models).
     */
    public Builder vocabularySize(Integer vocabularySize) {
      this.vocabularySize = vocabularySize;
      return this;
    }

    /** The layer. */
    public IntegerLookup build() {
      return new IntegerLookup(this);
    }
  }
}
