package io.github.keras4j.layers.attention;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Multi-head attention ("Attention is all you need", Vaswani et al. 2017), as Keras's {@code MultiHeadAttention}:
 * the query, key and value are projected to {@code numHeads} heads, each head attends with scaled dot products
 * ({@code softmax(q k^T / sqrt(keyDim))}), and the heads' results are projected back to the output size.
 *
 * <p>Called on {@code [query, value]} (the value is also the key), {@code [query, value, key]} or
 * {@code [query, value, key, attentionMask]}: query {@code (batch, T, queryDim)}, value {@code (batch, S, valueDim')},
 * key {@code (batch, S, keyDim')}, and the attention mask {@code (batch, T, S)} of 1 (attend) and 0 (do not; Keras's
 * boolean {@code attention_mask}, any nonzero value counts as true). Output {@code (batch, T, outputShape)},
 * {@code outputShape} defaulting to {@code queryDim}; {@link #applyWithScores} also returns the attention scores
 * {@code (batch, numHeads, T, S)} after the softmax (and before dropout).
 *
 * <p>Weights, in Keras's order and shapes: {@code query_kernel (queryDim, numHeads, keyDim)}, {@code query_bias
 * (numHeads, keyDim)}, {@code key_kernel (keyDim', numHeads, keyDim)}, {@code key_bias}, {@code value_kernel
 * (valueDim', numHeads, valueDim)}, {@code value_bias (numHeads, valueDim)}, {@code attention_output_kernel
 * (numHeads, valueDim, outputShape)}, {@code attention_output_bias (outputShape)}; the biases only with
 * {@code useBias}. Kernel and bias initializers, regularizers and constraints apply to all four projections.
 *
 * <p>Masks: as Keras, the Keras masks of the inputs ({@code Embedding(maskZero=true)}, {@code Masking}) join the
 * attention mask: a padded value (or key) step is never attended to, a padded query step attends to nothing (its
 * scores are all 0), and the output carries the query's mask. {@code useCausalMask} lets step {@code i} attend to
 * steps {@code j <= i} only. Masked scores are replaced by {@code -1e9} before the softmax and set to 0 after it
 * (Keras's {@code Softmax} with a mask).
 *
 * <pre>{@code
 * KerasTensor x = Input.of(10, 16);
 * MultiHeadAttention mha = new MultiHeadAttention(2, 8);
 * KerasTensor y = mha.apply(List.of(x, x));                         // self-attention, (None, 10, 16)
 * List<KerasTensor> withScores = MultiHeadAttention.builder(2, 8).useCausalMask(true).build()
 *     .applyWithScores(List.of(x, x));                              // + scores (None, 2, 10, 10)
 * }</pre>
 *
 * <p>Java differences from Keras: weights are named {@code query_kernel}, ... (Keras: {@code query/kernel}; TF Java
 * op names cannot nest a layer's weights one level deeper); {@code use_causal_mask} is a layer setting (written to
 * the config as {@code use_causal_mask} only when true) and {@code return_attention_scores} is
 * {@link #applyWithScores}, since a layer call records only its inputs; only rank-3 inputs and the default
 * {@code attention_axes}; {@code outputShape} is one size (Keras also accepts a tuple); no {@code use_gate},
 * {@code sliding_window} or flash attention. {@code activityRegularizer} (Layer's) penalizes the layer's output;
 * Keras passes it to the four projections instead.
 */
public class MultiHeadAttention extends ProjectedAttention {

  private final int numHeads;
  private final int keyDim;
  private final int valueDim;
  private final Integer outputShape;
  private Projection query;
  private Projection key;
  private Projection value;
  private Projection output;

  /** Multi-head attention with {@code numHeads} heads of size {@code keyDim} and Keras's other defaults. */
  public MultiHeadAttention(int numHeads, int keyDim) {
    this(builder(numHeads, keyDim));
  }

  private MultiHeadAttention(Builder b) {
    super(b);
    if (b.numHeads <= 0) {
      throw new IllegalArgumentException("Received an invalid value for argument `num_heads`, expected a positive "
          + "integer. Received: num_heads=" + b.numHeads);
    }
    if (b.keyDim <= 0) {
      throw new IllegalArgumentException("Received an invalid value for argument `key_dim`, expected a positive "
          + "integer. Received: key_dim=" + b.keyDim);
    }
    if (b.valueDim != null && b.valueDim <= 0) {
      throw new IllegalArgumentException("Received an invalid value for argument `value_dim`, expected a positive "
          + "integer or `None`. Received: value_dim=" + b.valueDim);
    }
    if (b.outputShape != null && b.outputShape <= 0) {
      throw new IllegalArgumentException("Invalid `output_shape`: " + b.outputShape + ". When specified, it must be "
          + "a positive integer");
    }
    this.numHeads = b.numHeads;
    this.keyDim = b.keyDim;
    this.valueDim = b.valueDim != null ? b.valueDim : b.keyDim;
    this.outputShape = b.outputShape;
  }

  /** A builder for the optional settings. */
  public static Builder builder(int numHeads, int keyDim) {
    return new Builder(numHeads, keyDim);
  }

  // ---------------------------------------------------------------- shapes

  private List<Shape> checked(List<Shape> shapes) {
    return AttentionOps.checkInputs(describe(), shapes);
  }

  /** {@code (batch, T, outputShape)}, {@code outputShape} defaulting to the query's last size. */
  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    Shape q = checked(inputShapes).get(0);
    return Shape.of(q.get(0), q.get(1), outputShape != null ? outputShape : q.get(2));
  }

  // ---------------------------------------------------------------- weights

  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    List<Shape> s = checked(inputShapes);
    long outDim = outputShape != null ? outputShape : s.get(0).get(2);
    // Keras's order: query, key, value, attention_output (kernel then bias each).
    query = projection("query", Shape.of(s.get(0).get(2), numHeads, keyDim), Shape.of(numHeads, keyDim));
    key = projection("key", Shape.of(s.get(2).get(2), numHeads, keyDim), Shape.of(numHeads, keyDim));
    value = projection("value", Shape.of(s.get(1).get(2), numHeads, valueDim), Shape.of(numHeads, valueDim));
    output = projection("attention_output", Shape.of(numHeads, valueDim, outDim), Shape.of(outDim));
  }

  // ---------------------------------------------------------------- call

  @Override
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks,
      boolean training) {
    Operand<TFloat32> q = inputs.get(0);
    Operand<TFloat32> v = inputs.get(1);
    Operand<TFloat32> k = inputs.size() > 2 ? inputs.get(2) : v;
    Operand<TBool> mask = AttentionOps.attentionMask(tf, inputs, masks, useCausalMask());
    // Projections: (B, T, dim) x (dim, N, H) -> (B, T, N, H).
    Operand<TFloat32> qh = query.apply(tf, "abc,cde->abde", q);
    Operand<TFloat32> kh = key.apply(tf, "abc,cde->abde", k);
    Operand<TFloat32> vh = value.apply(tf, "abc,cde->abde", v);
    AttentionOps.Attended attended = AttentionOps.attend(tf, qh, kh, vh, mask, keyDim, training ? dropout() : 0f, seed());
    // The output projection (N, Hv, out): (B, T, N, Hv) -> (B, T, out).
    Operand<TFloat32> out = output.apply(tf, "abcd,cde->abe", attended.context());
    recordScores(out, attended.scores());
    return out;
  }

  /** The attention probabilities' shape {@code (batch, numHeads, T, S)}. */
  @Override
  Shape scoresShape(Shape q, Shape v) {
    return Shape.of(q.get(0), numHeads, q.get(1), v.get(1));
  }

  // ---------------------------------------------------------------- accessors and config

  /** Number of attention heads. */
  public int numHeads() {
    return numHeads;
  }

  /** Size of each head for query and key. */
  public int keyDim() {
    return keyDim;
  }

  /** Size of each head for value. */
  public int valueDim() {
    return valueDim;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("num_heads", numHeads);
    c.put("key_dim", keyDim);
    c.put("value_dim", valueDim);
    c.put("output_shape", outputShape == null ? null : List.of(outputShape));
    c.put("attention_axes", null);
    putSharedConfig(c);
    return c;
  }

  /**
   * Optional settings of {@link MultiHeadAttention}, with Keras's defaults: {@code valueDim = keyDim},
   * {@code dropout 0}, {@code useBias true}, {@code outputShape} the query's last size,
   * {@code kernelInitializer "glorot_uniform"}, {@code biasInitializer "zeros"}, no regularizers or constraints.
   */
  public static final class Builder extends AttentionBuilder<Builder> {
    private final int numHeads;
    private final int keyDim;
    private Integer valueDim;
    private Integer outputShape;

    private Builder(int numHeads, int keyDim) {
      this.numHeads = numHeads;
      this.keyDim = keyDim;
    }

    @Override
    public Builder self() {
      return this;
    }

    /** Size of each head for value; null (default) for {@code keyDim}. */
    public Builder valueDim(Integer valueDim) {
      this.valueDim = valueDim;
      return this;
    }

    /** The output's last size; null (default) for the query's last size. */
    public Builder outputShape(Integer outputShape) {
      this.outputShape = outputShape;
      return this;
    }

    /**
     * The axes attention is applied over. Keras4J supports only Keras's default for rank-3 inputs, the sequence
     * axis ({@code 1}, or {@code -2} counted on the projected {@code (batch, T, heads, size)} tensor); anything
     * else is refused.
     */
    public Builder attentionAxes(int... axes) {
      if (axes != null && !(axes.length == 1 && (axes[0] == 1 || axes[0] == -2))) {
        throw new IllegalArgumentException("MultiHeadAttention in Keras4J supports only the default attention_axes "
            + "(the sequence axis of rank-3 inputs: None, 1 or -2). Received: attention_axes="
            + java.util.Arrays.toString(axes));
      }
      return this;
    }

    /** The layer. */
    public MultiHeadAttention build() {
      return new MultiHeadAttention(this);
    }
  }

  /** Keras's MultiHeadAttention saves its projections under its public properties ({@code query_dense}). */
  @Override
  String projectionAttribute(String name) {
    return name;
  }
}
