package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TBool;
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

  private final Integer maxTokens;
  private final int numOovIndices;
  private final Long maskToken;
  private final long oovToken;
  private final boolean invert;
  private final String outputMode;
  private final boolean padToMaxTokens;
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
    this.outputMode = LookupArguments.check(describe(), "IntegerLookup", b.outputMode, b.maxTokens, b.numOovIndices,
        b.invert, b.idfWeights, Arrays.toString(b.idfWeights), b.vocabulary != null, b.padToMaxTokens);
    this.maxTokens = b.maxTokens;
    this.numOovIndices = b.numOovIndices;
    this.maskToken = b.maskToken;
    this.oovToken = b.oovToken;
    this.invert = b.invert;
    this.padToMaxTokens = b.padToMaxTokens;
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

  /** Keras's {@code _oov_start_index}: 1 when a mask token takes index 0 ({@code "int"} output), else 0. */
  private int oovStart() {
    return maskToken != null && outputMode.equals("int") ? 1 : 0;
  }

  /** Keras's {@code _token_start_index}: the index of the first vocabulary token. */
  private int tokenStart() {
    return oovStart() + numOovIndices;
  }

  /** The size of the encoded outputs. */
  private long depth() {
    if (padToMaxTokens) {
      return maxTokens;
    }
    if (tokenCount < 0) {
      throw new IllegalStateException(describe() + ": when using `output_mode=" + outputMode + "` and "
          + "`pad_to_max_tokens=False`, you must set the layer's vocabulary before calling it. Either pass a "
          + "`vocabulary` argument to the layer, or call `adapt` with some sample data");
    }
    return tokenStart() + tokenCount;
  }

  // ------------------------------------------------------------------ vocabulary

  /**
   * Sets the vocabulary (and idf weights for {@code "tf_idf"}), as Keras's {@code set_vocabulary}: the tokens, with
   * or without the special tokens at the front ({@code [maskToken] + [oovToken] * numOovIndices}, as
   * {@link #getVocabulary()} returns them).
   */
  private void setVocabulary(long[] vocab, float[] idf) {
    if (vocab.length == 0) {
      throw new IllegalArgumentException(describe() + ": cannot set an empty vocabulary. Received: vocabulary=[]");
    }
    long[] special = specialTokens();
    boolean foundSpecial = vocab.length >= special.length
        && Arrays.equals(Arrays.copyOf(vocab, special.length), special);
    long[] tokens = foundSpecial ? Arrays.copyOfRange(vocab, special.length, vocab.length) : vocab;
    Set<Long> seen = new HashSet<>();
    Set<Long> repeated = new TreeSet<>();
    for (long t : tokens) {
      if (!seen.add(t)) {
        repeated.add(t);
      }
    }
    if (!repeated.isEmpty()) {
      throw new IllegalArgumentException(describe() + ": the passed vocabulary has at least one repeated term. "
          + "Please uniquify your dataset. The repeated terms are: " + repeated);
    }
    if (maskToken != null && seen.contains(maskToken)) {
      throw new IllegalArgumentException(describe() + ": found reserved mask token at unexpected location in "
          + "`vocabulary`. Either remove all mask and OOV tokens, or include them only at the start of the "
          + "vocabulary in precisely this order: " + Arrays.toString(special) + ". Received: mask_token=" + maskToken);
    }
    if (invert && seen.contains(oovToken)) {
      throw new IllegalArgumentException(describe() + ": found reserved OOV token at unexpected location in "
          + "`vocabulary`. Either remove all mask and OOV tokens, or include them only at the start of the "
          + "vocabulary in precisely this order: " + Arrays.toString(special) + ". Received: oov_token=" + oovToken);
    }
    if (maxTokens != null && tokenStart() + tokens.length > maxTokens) {
      throw new IllegalArgumentException(describe() + ": attempted to set a vocabulary larger than the maximum vocab "
          + "size. Received vocabulary size is " + (tokenStart() + tokens.length) + "; `max_tokens` is " + maxTokens);
    }
    for (long t : tokens) {
      if (Math.abs(t) > (1 << 24)) {
        throw new IllegalArgumentException(describe() + ": vocabulary tokens must be integers of magnitude at most "
            + "2^24 (exact in float32, Keras4J's input type). Received: " + t);
      }
    }
    float[] padded = null;
    if (outputMode.equals("tf_idf")) {
      if (idf == null || idf.length != vocab.length) {
        throw new IllegalArgumentException(describe() + ": `idf_weights` must be the same length as vocabulary. "
            + "len(idf_weights) is " + (idf == null ? "None" : idf.length) + "; len(vocabulary) is " + vocab.length);
      }
      int front = foundSpecial ? 0 : tokenStart();
      float average = 0;
      for (float w : idf) {
        average += w;
      }
      average /= idf.length;
      padded = idfSlots(idf, front, foundSpecial ? 0 : average, tokens.length);
    }
    float[] values = new float[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      values[i] = tokens[i];
    }
    store(values, padded);
  }

  /** The idf weight of every output slot: {@code front} slots of {@code frontValue}, the weights, zeros to depth. */
  private float[] idfSlots(float[] weights, int front, float frontValue, int tokens) {
    int size = padToMaxTokens ? maxTokens : tokenStart() + tokens;
    float[] out = new float[size];
    Arrays.fill(out, 0, front, frontValue);
    System.arraycopy(weights, 0, out, front, Math.min(weights.length, size - front));
    return out;
  }

  /** The special tokens at the front of the vocabulary: {@code [maskToken] * oovStart + [oovToken] * numOov}. */
  private long[] specialTokens() {
    long[] out = new long[tokenStart()];
    Arrays.fill(out, oovToken);
    if (oovStart() == 1) {
      out[0] = maskToken;
    }
    return out;
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
    Set<Long> special = new HashSet<>();
    if (maskToken != null) {
      special.add(maskToken);
    }
    special.add(oovToken);
    List<Long> learned = counts.vocabulary(special, maxTokens == null ? -1 : maxTokens - tokenStart());
    long[] tokens = learned.stream().mapToLong(Long::longValue).toArray();
    if (tokens.length == 0) {
      throw new IllegalArgumentException(describe() + ": adapt() found no tokens besides the mask and OOV tokens");
    }
    float[] idf = null;
    if (outputMode.equals("tf_idf")) {
      float[] w = counts.inverseDocumentFrequencies(learned);
      float mean = 0;
      for (float v : w) {
        mean += v;
      }
      idf = idfSlots(w, tokenStart(), mean / w.length, tokens.length);
    }
    float[] values = new float[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      values[i] = tokens[i];
    }
    store(values, idf);
  }

  // ------------------------------------------------------------------ build and call

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return CategoricalEncoding.outputShape(describe(), outputMode, inputShape,
        outputMode.equals("int") ? 0 : depth());
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    if (tokenCount < 0) {
      throw new IllegalStateException(describe() + " has no vocabulary: pass a `vocabulary` argument to the layer, "
          + "or call adapt(data) before the model is first used by predict, fit or evaluate");
    }
    this.inputShape = inputShape;
    vocabulary = addWeight("vocabulary", Shape.of(tokenCount), new ConstantValues(pendingTokens, 0f), false);
    if (outputMode.equals("tf_idf")) {
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
    Operand<TInt32> flat = tf.reshape(x, tf.constant(new int[] {1, -1}));
    // The vocabulary sorted ascending, with each token's position, then a binary search for every input.
    TopK<TInt32, TInt32> sorted = tf.nn.topK(tf.math.neg(tf.dtypes.cast(vocab, TInt32.class)),
        tf.constant(tokenCount), TInt32.class);
    Operand<TInt32> ascending = tf.math.neg(sorted.values());
    Operand<TInt32> position = tf.math.minimum(tf.lowerBound(tf.expandDims(ascending, tf.constant(0)), flat),
        tf.constant(tokenCount - 1));
    Operand<TBool> found = tf.math.equal(tf.gather(ascending, position, tf.constant(0)), flat);
    Operand<TInt32> index = tf.math.add(tf.gather(sorted.indices(), position, tf.constant(0)),
        tf.constant(tokenStart()));
    Operand<TInt32> lookup = LookupIndices.select(tf, name(), flat, found, index, numOovIndices, oovStart(),
        numOovIndices > 1 ? tf.math.add(tf.math.floorMod(flat, tf.constant(numOovIndices)), tf.constant(oovStart()))
            : null,
        maskToken == null ? null : tf.math.equal(flat, tf.constant(maskToken.intValue())), outputMode.equals("int"));
    Operand<TInt32> ids = tf.reshape(lookup, tf.shape(x));
    if (outputMode.equals("int")) {
      return tf.dtypes.cast(ids, TFloat32.class);
    }
    Operand<TFloat32> encoded = CategoricalEncoding.encode(tf, ids, outputMode, depth(), inputShape);
    return outputMode.equals("tf_idf") ? tf.math.mul(encoded, tf.stopGradient(idfWeights.value())) : encoded;
  }

  /** Indices back to tokens: {@code oovToken} outside the vocabulary's indices, {@code maskToken} at 0. */
  private Operand<TFloat32> inverse(Ops tf, Operand<TInt32> x, Operand<TFloat32> vocab) {
    Operand<TInt32> offset = tf.math.sub(x, tf.constant(tokenStart()));
    Operand<TBool> inRange = tf.math.logicalAnd(tf.math.greaterEqual(offset, tf.constant(0)),
        tf.math.less(offset, tf.constant(tokenCount)));
    Operand<TInt32> clipped = tf.clipByValue(offset, tf.constant(0), tf.constant(tokenCount - 1));
    Operand<TFloat32> token = tf.gather(vocab, clipped, tf.constant(0));
    Operand<TFloat32> out = tf.select(inRange, token, tf.fill(tf.shape(x), tf.constant((float) oovToken)));
    if (maskToken != null) {
      out = tf.select(tf.math.equal(x, tf.constant(0)), tf.fill(tf.shape(x), tf.constant((float) maskToken)), out);
    }
    return out;
  }

  // ------------------------------------------------------------------ accessors and config

  /** Whether the layer maps indices back to tokens. */
  public boolean invert() {
    return invert;
  }

  /** The output mode. */
  public String outputMode() {
    return outputMode;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("invert", invert);
    c.put("max_tokens", maxTokens);
    c.put("num_oov_indices", numOovIndices);
    c.put("oov_token", oovToken);
    c.put("mask_token", maskToken);
    c.put("output_mode", outputMode);
    c.put("sparse", false);
    c.put("pad_to_max_tokens", padToMaxTokens);
    c.put("vocabulary_dtype", "int64");
    List<Double> idf = null;
    if (inputIdfWeights != null) {
      idf = new ArrayList<>();
      for (float w : inputIdfWeights) {
        idf.add((double) w);
      }
    }
    c.put("idf_weights", idf);
    c.put("vocabulary", inputVocabulary == null ? null : Arrays.stream(inputVocabulary).boxed().toList());
    c.put("vocabulary_size", tokenCount < 0 ? null : vocabularySize());
    c.put("oov_method", "floormod");
    c.put("salt", null);
    return c;
  }

  /** Settings of {@link IntegerLookup}, with Keras's defaults. */
  public static final class Builder {
    private String name;
    private Integer maxTokens;
    private int numOovIndices = 1;
    private Long maskToken;
    private long oovToken = -1;
    private long[] vocabulary;
    private float[] idfWeights;
    private boolean invert;
    private String outputMode = "int";
    private boolean padToMaxTokens;
    private Integer vocabularySize;

    private Builder() {}

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The largest vocabulary, special indices included (more than 1); null (default) for no limit. */
    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** The number of OOV indices (default 1); 0 makes unknown tokens fail the run. */
    public Builder numOovIndices(int numOovIndices) {
      this.numOovIndices = numOovIndices;
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

    /** The inverse document frequencies of the vocabulary's entries ({@code "tf_idf"} only). */
    public Builder idfWeights(float... idfWeights) {
      this.idfWeights = idfWeights.clone();
      return this;
    }

    /** Whether to map indices back to tokens ({@code "int"} output only); default false. */
    public Builder invert(boolean invert) {
      this.invert = invert;
      return this;
    }

    /** {@code "int"} (default), {@code "one_hot"}, {@code "multi_hot"}, {@code "count"} or {@code "tf_idf"}. */
    public Builder outputMode(String outputMode) {
      this.outputMode = outputMode;
      return this;
    }

    /** Whether encoded outputs have {@code maxTokens} slots whatever the vocabulary's size; default false. */
    public Builder padToMaxTokens(boolean padToMaxTokens) {
      this.padToMaxTokens = padToMaxTokens;
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
