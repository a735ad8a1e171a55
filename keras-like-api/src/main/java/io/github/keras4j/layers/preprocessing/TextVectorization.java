package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.data.ArrayData;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.StringTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.strings.StringNGrams;
import org.tensorflow.op.strings.StringSplit;
import org.tensorflow.op.strings.UnicodeDecode;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A preprocessing layer that turns text into token indices or token counts, as Keras 3's
 * {@code keras.layers.TextVectorization}, in the model's graph: each sample (one string) is
 * <ol>
 *   <li>standardized: {@code "lower_and_strip_punctuation"} (default), {@code "lower"}, {@code "strip_punctuation"}
 *       or null for none (lowercasing is TensorFlow's {@code strings.lower}, ASCII letters only, as Keras calls it;
 *       punctuation is Keras's character class {@code [!"#$%&()*+,-./:;<=>?@[\]^_`{|}~']});
 *   <li>split: {@code "whitespace"} (default; runs of whitespace are one separator, leading and trailing whitespace
 *       ignored), {@code "character"} (each Unicode character) or null (the string is one token);
 *   <li>optionally recombined into {@code ngrams} (all widths 1..n for {@link Builder#ngrams(int)}, or the listed
 *       widths), joined by a space, each row's tokens width by width as TensorFlow's {@code strings.ngrams};
 *   <li>looked up in the vocabulary (a {@link StringLookup} with mask token {@code ""}): index 0 is padding, 1 is the
 *       OOV token {@code "[UNK]"}, then the vocabulary;
 *   <li>output as {@code "int"} indices {@code (batch, outputSequenceLength)} (padded with 0 or cut; without an
 *       {@code outputSequenceLength}, padded to the longest sample of the batch, shape {@code (batch, None)}), or
 *       per sample {@code "multi_hot"}, {@code "count"} or {@code "tf_idf"} vectors over the vocabulary.
 * </ol>
 *
 * <p>The vocabulary is given ({@link Builder#vocabulary}) or learned by {@link #adapt(Object)} on strings, which runs
 * the same standardize/split/ngrams ops and keeps the most frequent tokens, ties broken by the larger token (UTF-8
 * bytes), as Keras's; at most {@code maxTokens} indices in all (padding and OOV included).
 *
 * <p>The input is a string tensor of shape {@code (batch,)} or {@code (batch, 1)} (with a split), from a model input
 * made with {@code Input.ofStrings()} or {@code Input.ofStrings(1)} and fed {@code String[]} / {@code String[][]}.
 *
 * <p><b>State.</b> No weights: the vocabulary (and idf weights) are written in the config, adapted or given (Keras
 * writes an adapted vocabulary to an asset file). A layer loaded from a config counts as given a vocabulary and cannot
 * be adapted again; adapt before the model is built.
 *
 * <p>Differences from Keras: outputs are float32 (Keras: int64 indices in {@code "int"} mode); no callable
 * {@code standardize} or {@code split}, no {@code ragged} or {@code sparse} output, no vocabulary file, UTF-8 only.
 *
 * <pre>{@code
 * TextVectorization vectorizer = TextVectorization.builder().maxTokens(5000).outputSequenceLength(4).build();
 * vectorizer.adapt(new String[] {"foo bar", "bar baz", "baz bada boom"});
 * KerasTensor text = Input.ofStrings(1);
 * KerasTensor ids = vectorizer.apply(text);          // [["foo qux bar"], ["qux baz"]] -> [[4, 1, 3, 0], [1, 2, 0, 0]]
 * }</pre>
 */
public class TextVectorization extends Layer {

  /** The output modes Keras accepts. */
  public static final List<String> OUTPUT_MODES = List.of("int", "multi_hot", "count", "tf_idf");
  /** The built-in standardizations. */
  public static final List<String> STANDARDIZE = List.of("lower_and_strip_punctuation", "lower", "strip_punctuation");
  /** The built-in splits. */
  public static final List<String> SPLIT = List.of("whitespace", "character");
  /** Keras's {@code DEFAULT_STRIP_REGEX}: the ASCII punctuation removed by {@code strip_punctuation}. */
  static final String STRIP_REGEX = "[!\"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~\\']";

  private final Integer maxTokens;
  private final String standardize;
  private final String split;
  private final Object ngramsArgument;
  private final long[] ngrams;
  private final String outputMode;
  private final Integer outputSequenceLength;
  private final boolean padToMaxTokens;
  private final StringLookup lookup;

  /** A layer to {@link #adapt} with Keras's defaults: lowercase and strip punctuation, whitespace split, ints. */
  public TextVectorization() {
    this(builder());
  }

  private TextVectorization(Builder b) {
    super(b.name);
    if (b.outputMode == null || !OUTPUT_MODES.contains(b.outputMode)) {
      throw new IllegalArgumentException(describe() + ": unknown `output_mode` " + b.outputMode + ". Expected one of "
          + OUTPUT_MODES + ". Received: output_mode=" + b.outputMode);
    }
    if (b.standardize != null && !STANDARDIZE.contains(b.standardize)) {
      throw new IllegalArgumentException(describe() + ": `standardize` must be one of " + STANDARDIZE + " or None. "
          + "Received: standardize=" + b.standardize);
    }
    if (b.split != null && !SPLIT.contains(b.split)) {
      throw new IllegalArgumentException(describe() + ": `split` must be one of " + SPLIT + " or None. Received: "
          + "split=" + b.split);
    }
    if (b.ngrams != null) {
      for (long n : b.ngrams) {
        if (n < 1) {
          throw new IllegalArgumentException(describe() + ": `ngrams` must be None, an integer, or a tuple of "
              + "positive integers. Received: ngrams=" + b.ngramsArgument);
        }
      }
    }
    if (b.outputSequenceLength != null && !b.outputMode.equals("int")) {
      throw new IllegalArgumentException(describe() + ": `output_sequence_length` must not be set if `output_mode` "
          + "is not 'int'. Received output_sequence_length=" + b.outputSequenceLength + ".");
    }
    if (b.outputSequenceLength != null && b.outputSequenceLength < 1) {
      throw new IllegalArgumentException(describe() + ": `output_sequence_length` must be positive. Received: "
          + "output_sequence_length=" + b.outputSequenceLength);
    }
    this.maxTokens = b.maxTokens;
    this.standardize = b.standardize;
    this.split = b.split;
    this.ngramsArgument = b.ngramsArgument;
    this.ngrams = b.ngrams;
    this.outputMode = b.outputMode;
    this.outputSequenceLength = b.outputSequenceLength;
    this.padToMaxTokens = b.padToMaxTokens;
    StringLookup.Builder lb = StringLookup.builder().name(name() + "_string_lookup").maxTokens(b.maxTokens)
        .maskToken("").outputMode(b.outputMode).padToMaxTokens(b.padToMaxTokens);
    if (b.vocabulary != null) {
      lb.vocabulary(b.vocabulary);
    }
    if (b.idfWeights != null) {
      lb.idfWeights(b.idfWeights);
    }
    this.lookup = lb.build();
  }

  /** A builder for the settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String inputDtype() {
    return KerasTensor.STRING;
  }

  // ------------------------------------------------------------------ vocabulary and adapt

  /** The vocabulary as Keras's {@code get_vocabulary()}: {@code ""} (int output), {@code "[UNK]"}, the tokens. */
  public String[] getVocabulary() {
    return lookup.getVocabulary();
  }

  /** As {@link #getVocabulary()}, without the padding and OOV tokens when {@code includeSpecialTokens} is false. */
  public String[] getVocabulary(boolean includeSpecialTokens) {
    return lookup.getVocabulary(includeSpecialTokens);
  }

  /** The number of indices, padding and OOV included; -1 before the vocabulary is known. */
  public int vocabularySize() {
    return lookup.vocabularySize();
  }

  /**
   * Learns the vocabulary from text, as Keras's {@code adapt}: each sample is standardized, split and recombined as
   * in the model (by the same TensorFlow ops, run here in a scratch graph), each sample one document for
   * {@code "tf_idf"}.
   *
   * @param data {@code String[]} (one string per sample), {@code String[][]} with one column, or an {@link ArrayData}
   *     of strings
   * @throws IllegalStateException when the layer was given a vocabulary, or is already built
   */
  public void adapt(Object data) {
    lookup.requireAdaptable();
    if (isBuilt()) {
      throw new IllegalStateException(describe() + ": the vocabulary is part of the built graph; adapt before the "
          + "model is first used by predict, fit or evaluate");
    }
    ArrayData x = ArrayData.of("adapt data of layer '" + name() + "'", data);
    if (!x.isStrings()) {
      throw new IllegalArgumentException(describe() + ": adapt() takes strings (String[] or String[][]); received "
          + "numbers");
    }
    checkInputShape(x.batchShape());
    TokenCounts<String> counts = TokenCounts.ofStrings();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TString> in = tf.placeholder(TString.class, Placeholder.shape(x.batchShape()));
      Tokens t = tokens(tf, in, x.batchShape());
      try (TString feed = TString.tensorOf(Shape.of(x.shape()),
          DataBuffers.ofObjects(x.strings()));
          Result r = s.runner().feed(in, feed).fetch(t.values).fetch(t.rowSplits).run()) {
        TString values = (TString) r.get(0);
        TInt64 splits = (TInt64) r.get(1);
        for (int row = 0; row < x.rows(); row++) {
          List<String> document = new ArrayList<>();
          for (long j = splits.getLong(row); j < splits.getLong(row + 1); j++) {
            document.add(values.getObject(j));
          }
          counts.addDocument(document);
        }
      }
    }
    lookup.finish(counts);
  }

  // ------------------------------------------------------------------ shapes

  /** Keras's rule: with a split, the input is {@code (batch,)} or {@code (batch, 1)}. */
  private void checkInputShape(Shape inputShape) {
    int rank = inputShape.numDimensions();
    if (rank < 1 || rank > 2 || (split != null && rank == 2 && inputShape.get(1) != 1)) {
      throw new IllegalArgumentException(describe() + ": when using `TextVectorization` to tokenize strings, the "
          + "input rank must be 1 or the last shape dimension must be 1" + (split == null ? " (or (batch, n) without "
          + "a split)" : "") + ". Received: inputs.shape=" + format(inputShape) + " with rank=" + rank);
    }
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    checkInputShape(inputShape);
    if (outputMode.equals("int")) {
      long width = Shape.UNKNOWN_SIZE;
      if (outputSequenceLength != null) {
        width = outputSequenceLength;
      } else if (split == null && ngrams == null) {
        width = inputShape.numDimensions() == 2 ? inputShape.get(1) : 1;
      }
      return Shape.of(inputShape.get(0), width);
    }
    return Shape.of(inputShape.get(0), lookup.depth());
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    lookup.requireVocabulary();
  }

  // ------------------------------------------------------------------ call

  /** A batch's tokens as a ragged tensor: all tokens, and row splits (row i is values[splits[i]:splits[i+1]]). */
  private record Tokens(Operand<TString> values, Operand<TInt64> rowSplits, Operand<TInt32> batch) {}

  /** Standardize, split and ngrams, as Keras's {@code _preprocess}. */
  private Tokens tokens(Ops tf, Operand<TString> input, Shape inputShape) {
    Operand<TString> x = input;
    if ("lower".equals(standardize) || "lower_and_strip_punctuation".equals(standardize)) {
      x = tf.strings.lower(x);
    }
    if ("strip_punctuation".equals(standardize) || "lower_and_strip_punctuation".equals(standardize)) {
      x = tf.strings.regexReplace(x, tf.constant(STRIP_REGEX), tf.constant(""));
    }
    int width = inputShape.numDimensions() == 2 ? (int) inputShape.get(1) : 1;
    Operand<TString> rows = tf.reshape(x, tf.constant(new int[] {-1, width}));
    Operand<TInt32> batch = tf.reshape(tf.slice(tf.shape(rows), tf.constant(new int[] {0}),
        tf.constant(new int[] {1})), tf.constant(new int[0]));
    Operand<TString> values;
    Operand<TInt64> splits;
    if (split == null) {
      values = tf.reshape(rows, tf.constant(new int[] {-1}));
      Operand<TInt64> n = tf.dtypes.cast(tf.math.mul(batch, tf.constant(width)), TInt64.class);
      splits = tf.range(tf.constant(0L), tf.math.add(n, tf.constant(1L)), tf.constant((long) width));
    } else {
      Operand<TString> flat = tf.reshape(rows, tf.constant(new int[] {-1}));
      if (split.equals("whitespace")) {
        StringSplit parts = tf.strings.stringSplit(flat, tf.constant(""));
        values = parts.values();
        Operand<TInt64> rowOf = tf.reshape(tf.slice(parts.indices(), tf.constant(new int[] {0, 0}),
            tf.constant(new int[] {-1, 1})), tf.constant(new int[] {-1}));
        Operand<TInt64> perRow = tf.math.unsortedSegmentSum(tf.onesLike(rowOf), rowOf, batch);
        splits = tf.concat(List.of(tf.constant(new long[] {0}), tf.math.cumsum(perRow, tf.constant(0))),
            tf.constant(0));
      } else {
        UnicodeDecode<TInt64> chars = tf.strings.unicodeDecode(flat, "UTF-8", TInt64.class);
        Operand<TInt64> each = tf.range(tf.constant(0L),
            tf.math.add(tf.dtypes.cast(tf.size(chars.charValues()), TInt64.class), tf.constant(1L)), tf.constant(1L));
        values = tf.strings.unicodeEncode(chars.charValues(), each, "UTF-8");
        splits = chars.rowSplits();
      }
    }
    if (ngrams != null) {
      List<Long> widths = new ArrayList<>();
      for (long n : ngrams) {
        widths.add(n);
      }
      StringNGrams<TInt64> grams = tf.strings.stringNGrams(values, splits, " ", widths, "", "", 0L, false);
      values = grams.ngrams();
      splits = grams.ngramsSplits();
    }
    return new Tokens(values, splits, batch);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TString> x = StringTensors.strings(inputs, describe());
    Tokens t = tokens(tf, x, x.shape());
    Operand<TInt32> ids = lookup.indices(tf, t.values);
    // The row of every token: the number of row ends at or before its position.
    Operand<TInt64> ends = tf.slice(t.rowSplits, tf.constant(new long[] {1}), tf.constant(new long[] {-1}));
    Operand<TInt64> position = tf.range(tf.constant(0L), tf.dtypes.cast(tf.size(t.values), TInt64.class),
        tf.constant(1L));
    Operand<TInt64> rowOf = tf.reshape(tf.upperBound(tf.expandDims(ends, tf.constant(0)),
        tf.expandDims(position, tf.constant(0)), TInt64.class), tf.constant(new int[] {-1}));
    if (!outputMode.equals("int")) {
      Operand<TFloat32> oneHot = tf.oneHot(ids, tf.constant((int) lookup.depth()), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> counts = tf.math.unsortedSegmentSum(oneHot, rowOf, t.batch);
      return switch (outputMode) {
        case "multi_hot" -> tf.math.minimum(counts, tf.constant(1f));
        case "count" -> counts;
        default -> tf.math.mul(counts, lookup.idfConstant(tf));
      };
    }
    Operand<TInt64> starts = tf.slice(t.rowSplits, tf.constant(new long[] {0}),
        tf.reshape(tf.dtypes.cast(t.batch, TInt64.class), tf.constant(new int[] {1})));
    Operand<TInt64> column = tf.math.sub(position, tf.gather(starts, rowOf, tf.constant(0)));
    Operand<TInt64> longest = tf.math.maximum(tf.max(tf.math.sub(ends, starts), tf.constant(0)), tf.constant(0L));
    Operand<TInt64> width = outputSequenceLength == null ? longest
        : tf.math.maximum(longest, tf.constant((long) outputSequenceLength));
    Operand<TInt64> denseShape = tf.stack(List.of(tf.dtypes.cast(t.batch, TInt64.class), width));
    Operand<TInt64> indices = tf.stack(List.of(rowOf, column), Stack.axis(1L));
    Operand<TInt32> dense = tf.sparse.sparseToDense(indices, denseShape, ids, tf.constant(0));
    if (outputSequenceLength != null) {
      dense = tf.slice(dense, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, outputSequenceLength}));
    }
    return tf.dtypes.cast(dense, TFloat32.class);
  }

  // ------------------------------------------------------------------ accessors and config

  /** The output mode. */
  public String outputMode() {
    return outputMode;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("max_tokens", maxTokens);
    c.put("standardize", standardize);
    c.put("split", split);
    c.put("ngrams", ngramsArgument);
    c.put("output_mode", outputMode);
    c.put("output_sequence_length", outputSequenceLength);
    c.put("pad_to_max_tokens", padToMaxTokens);
    c.put("sparse", false);
    c.put("ragged", false);
    lookup.putVocabulary(c);
    c.put("encoding", "utf-8");
    return c;
  }

  /** Settings of {@link TextVectorization}, with Keras's defaults. */
  public static final class Builder {
    private String name;
    private Integer maxTokens;
    private String standardize = "lower_and_strip_punctuation";
    private String split = "whitespace";
    private Object ngramsArgument;
    private long[] ngrams;
    private String outputMode = "int";
    private Integer outputSequenceLength;
    private boolean padToMaxTokens;
    private List<String> vocabulary;
    private float[] idfWeights;

    private Builder() {}

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The largest vocabulary, padding and OOV indices included; null (default) for no limit. */
    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** {@code "lower_and_strip_punctuation"} (default), {@code "lower"}, {@code "strip_punctuation"} or null. */
    public Builder standardize(String standardize) {
      this.standardize = standardize;
      return this;
    }

    /** {@code "whitespace"} (default), {@code "character"} or null (each string one token). */
    public Builder split(String split) {
      this.split = split;
      return this;
    }

    /** Ngrams of every width from 1 to {@code n}, as Keras's integer {@code ngrams}. */
    public Builder ngrams(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("TextVectorization: `ngrams` must be None, an integer, or a tuple of "
            + "integers. Received: ngrams=" + n);
      }
      this.ngramsArgument = n;
      this.ngrams = new long[n];
      for (int i = 0; i < n; i++) {
        ngrams[i] = i + 1;
      }
      return this;
    }

    /** Ngrams of exactly these widths, in this order, as Keras's tuple {@code ngrams}. */
    public Builder ngramWidths(int... widths) {
      List<Integer> list = new ArrayList<>();
      this.ngrams = new long[widths.length];
      for (int i = 0; i < widths.length; i++) {
        ngrams[i] = widths[i];
        list.add(widths[i]);
      }
      this.ngramsArgument = list;
      return this;
    }

    /** {@code "int"} (default), {@code "multi_hot"}, {@code "count"} or {@code "tf_idf"}. */
    public Builder outputMode(String outputMode) {
      this.outputMode = outputMode;
      return this;
    }

    /** The length {@code "int"} outputs are padded (with 0) or cut to; null (default) for the batch's longest. */
    public Builder outputSequenceLength(Integer outputSequenceLength) {
      this.outputSequenceLength = outputSequenceLength;
      return this;
    }

    /** Whether encoded outputs have {@code maxTokens} slots whatever the vocabulary's size; default false. */
    public Builder padToMaxTokens(boolean padToMaxTokens) {
      this.padToMaxTokens = padToMaxTokens;
      return this;
    }

    /** The vocabulary, optionally led by {@code ""} and {@code "[UNK]"}; then the layer needs no {@code adapt}. */
    public Builder vocabulary(String... vocabulary) {
      this.vocabulary = List.of(vocabulary);
      return this;
    }

    /** As {@link #vocabulary(String...)}; null for none. */
    public Builder vocabulary(List<String> vocabulary) {
      this.vocabulary = vocabulary == null ? null : List.copyOf(vocabulary);
      return this;
    }

    /** The inverse document frequencies of the vocabulary's entries ({@code "tf_idf"} only). */
    public Builder idfWeights(float... idfWeights) {
      this.idfWeights = idfWeights == null ? null : idfWeights.clone();
      return this;
    }

    /** The layer. */
    public TextVectorization build() {
      return new TextVectorization(this);
    }
  }
}
