package io.github.keras4j.layers.attention;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.KernelOptions;
import io.github.keras4j.layers.WeightSettings;
import io.github.keras4j.layers.regularization.Noise;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.ArrayList;
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
public class MultiHeadAttention extends AttentionLayer {

  private final int numHeads;
  private final int keyDim;
  private final int valueDim;
  private final float dropout;
  private final boolean useBias;
  private final Integer outputShape;
  private final boolean useCausalMask;
  private final long seed;
  private final WeightSettings kernelSettings;
  private final WeightSettings biasSettings;
  private Projection query;
  private Projection key;
  private Projection value;
  private Projection output;

  /** The kernel and bias of one projection (bias null without {@code useBias}). */
  private record Projection(GraphVariable kernel, GraphVariable bias) {}

  /** Multi-head attention with {@code numHeads} heads of size {@code keyDim} and Keras's other defaults. */
  public MultiHeadAttention(int numHeads, int keyDim) {
    this(builder(numHeads, keyDim));
  }

  private MultiHeadAttention(Builder b) {
    super(b.name);
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
    this.dropout = AttentionOps.checkDropout(b.dropout);
    this.useBias = b.useBias;
    this.outputShape = b.outputShape;
    this.useCausalMask = b.useCausalMask;
    this.seed = b.seed != null ? b.seed : Backend.nextSeed();
    this.kernelSettings = b.kernel.resolve();
    this.biasSettings = b.bias.resolve();
  }

  /** A builder for the optional settings. */
  public static Builder builder(int numHeads, int keyDim) {
    return new Builder(numHeads, keyDim);
  }

  // ---------------------------------------------------------------- shapes

  /** [query, value, key, attention mask or null] after the checks; the key defaults to the value. */
  private List<Shape> checked(List<Shape> shapes) {
    String layer = describe();
    if (shapes.size() < 2 || shapes.size() > 4) {
      throw new IllegalArgumentException(layer + " must be called on a list of 2 to 4 inputs: [query, value], "
          + "[query, value, key] or [query, value, key, attention_mask]. Received " + shapes.size() + " input(s)");
    }
    Shape q = shapes.get(0);
    Shape v = shapes.get(1);
    Shape k = shapes.size() > 2 ? shapes.get(2) : v;
    AttentionOps.checkRank3(layer, "query", q);
    AttentionOps.checkRank3(layer, "value", v);
    AttentionOps.checkRank3(layer, "key", k);
    if (!Shapes.compatible(v.get(1), k.get(1))) {
      throw new IllegalArgumentException(layer + ": all dimensions of `value` and `key`, except the last one, must "
          + "be equal. Received: value_shape=" + format(v) + " and key_shape=" + format(k));
    }
    for (Shape s : List.of(q, v, k)) {
      if (s.get(2) < 0) {
        throw new IllegalArgumentException(layer + ": the last dimension of query, value and key must be defined. "
            + "Received: query_shape=" + format(q) + ", value_shape=" + format(v) + ", key_shape=" + format(k));
      }
    }
    if (!Shapes.compatible(q.get(0), v.get(0)) || !Shapes.compatible(q.get(0), k.get(0))) {
      throw new IllegalArgumentException(layer + ": query, value and key must have the same batch size. Received: "
          + "query_shape=" + format(q) + ", value_shape=" + format(v) + ", key_shape=" + format(k));
    }
    Shape m = shapes.size() > 3 ? shapes.get(3) : null;
    if (m != null && (m.numDimensions() != 3 || !Shapes.compatible(m.get(1), q.get(1))
        || !Shapes.compatible(m.get(2), v.get(1)))) {
      throw new IllegalArgumentException(layer + ": `attention_mask` must have shape (batch_size, T, S) = "
          + format(Shape.of(q.get(0), q.get(1), v.get(1))) + " for query_shape=" + format(q) + " and value_shape="
          + format(v) + ". Received: attention_mask.shape=" + format(m));
    }
    List<Shape> out = new ArrayList<>(List.of(q, v, k));
    out.add(m);
    return out;
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

  private Projection projection(String prefix, Shape kernelShape, Shape biasShape) {
    GraphVariable k = addWeight(prefix + "_kernel", kernelShape, kernelSettings);
    GraphVariable b = useBias ? addWeight(prefix + "_bias", biasShape, biasSettings) : null;
    return new Projection(k, b);
  }

  private static Operand<TFloat32> project(Ops tf, String equation, Operand<TFloat32> x, Projection p) {
    Operand<TFloat32> y = tf.linalg.einsum(List.of(x, p.kernel().value()), equation);
    return p.bias() == null ? y : tf.math.add(y, p.bias().value());
  }

  // ---------------------------------------------------------------- call

  @Override
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks,
      boolean training) {
    Operand<TFloat32> q = inputs.get(0);
    Operand<TFloat32> v = inputs.get(1);
    Operand<TFloat32> k = inputs.size() > 2 ? inputs.get(2) : v;
    // Keras's _compute_attention_mask: query mask (B, T, 1) & value mask (B, 1, S) & key mask (B, 1, S) & causal
    // (1, T, S) & the explicit attention mask (B, T, S).
    Operand<TBool> mask = null;
    if (masks.get(0) != null) {
      mask = tf.expandDims(masks.get(0), tf.constant(-1));
    }
    if (masks.get(1) != null) {
      mask = AttentionOps.and(tf, mask, tf.expandDims(masks.get(1), tf.constant(-2)));
    }
    if (inputs.size() > 2 && masks.get(2) != null) {
      mask = AttentionOps.and(tf, mask, tf.expandDims(masks.get(2), tf.constant(-2)));
    }
    if (useCausalMask) {
      mask = AttentionOps.and(tf, mask, AttentionOps.causalMask(tf, q, v));
    }
    if (inputs.size() > 3) {
      mask = AttentionOps.and(tf, mask, tf.math.notEqual(inputs.get(3), tf.constant(0f)));
    }
    // Projections: (B, T, dim) x (dim, N, H) -> (B, T, N, H).
    Operand<TFloat32> qh = project(tf, "abc,cde->abde", q, query);
    Operand<TFloat32> kh = project(tf, "abc,cde->abde", k, key);
    Operand<TFloat32> vh = project(tf, "abc,cde->abde", v, value);
    qh = tf.math.mul(qh, tf.constant((float) (1.0 / Math.sqrt(keyDim))));
    // Scores (B, N, T, S), softmax over S; the mask gets the heads axis.
    Operand<TFloat32> logits = tf.linalg.einsum(List.of(kh, qh), "aecd,abcd->acbe");
    Operand<TBool> headMask = mask == null ? null : tf.expandDims(mask, tf.constant(1));
    Operand<TFloat32> probs = AttentionOps.maskedSoftmax(tf, logits, headMask);
    Operand<TFloat32> dropped = probs;
    if (training && dropout > 0f) {
      dropped = tf.math.mul(probs, Noise.dropoutMask(tf, tf.shape(probs), dropout, seed, 0));
    }
    // Combine (B, T, N, Hv), then the output projection (N, Hv, out) -> (B, T, out).
    Operand<TFloat32> context = tf.linalg.einsum(List.of(dropped, vh), "acbe,aecd->abcd");
    Operand<TFloat32> out = project(tf, "abcd,cde->abe", context, output);
    recordScores(out, probs);
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

  /** Dropout rate of the attention probabilities (training only). */
  public float dropout() {
    return dropout;
  }

  /** Whether the projections have biases. */
  public boolean useBias() {
    return useBias;
  }

  /** Whether step {@code i} attends only to steps {@code j <= i}. */
  public boolean useCausalMask() {
    return useCausalMask;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("num_heads", numHeads);
    c.put("key_dim", keyDim);
    c.put("value_dim", valueDim);
    c.put("dropout", dropout);
    c.put("use_bias", useBias);
    c.put("use_gate", false);
    c.put("output_shape", outputShape == null ? null : List.of(outputShape));
    c.put("attention_axes", null);
    c.put("sliding_window", null);
    kernelSettings.putConfig(c);
    biasSettings.putConfig(c);
    c.putIfAbsent("activity_regularizer", null);
    c.put("seed", seed);
    if (useCausalMask) {
      c.put("use_causal_mask", true);
    }
    return c;
  }

  /**
   * Optional settings of {@link MultiHeadAttention}, with Keras's defaults: {@code valueDim = keyDim},
   * {@code dropout 0}, {@code useBias true}, {@code outputShape} the query's last size,
   * {@code kernelInitializer "glorot_uniform"}, {@code biasInitializer "zeros"}, no regularizers or constraints.
   */
  public static final class Builder implements KernelOptions<Builder> {
    private final int numHeads;
    private final int keyDim;
    private Integer valueDim;
    private double dropout;
    private boolean useBias = true;
    private Integer outputShape;
    private boolean useCausalMask;
    private Long seed;
    private String name;
    private final WeightSettings.Spec kernel = new WeightSettings.Spec("kernel", "glorot_uniform");
    private final WeightSettings.Spec bias = new WeightSettings.Spec("bias", "zeros");

    private Builder(int numHeads, int keyDim) {
      this.numHeads = numHeads;
      this.keyDim = keyDim;
    }

    @Override
    public Builder self() {
      return this;
    }

    @Override
    public WeightSettings.Spec kernelSpec() {
      return kernel;
    }

    /** The layer's name; by default a unique one ({@code multi_head_attention}, ...). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Size of each head for value; null (default) for {@code keyDim}. */
    public Builder valueDim(Integer valueDim) {
      this.valueDim = valueDim;
      return this;
    }

    /** Dropout rate of the attention probabilities, in [0, 1); default 0. */
    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /** Whether the projections have biases; default true. */
    public Builder useBias(boolean useBias) {
      this.useBias = useBias;
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

    /** Whether step {@code i} attends only to steps {@code j <= i} (Keras's call argument); default false. */
    public Builder useCausalMask(boolean useCausalMask) {
      this.useCausalMask = useCausalMask;
      return this;
    }

    /** The dropout seed; null (default) for one drawn from the global seed. */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /** The bias initializer by Keras id; default {@code "zeros"}. */
    public Builder biasInitializer(String id) {
      bias.initializer(id);
      return this;
    }

    /** Any bias initializer. */
    public Builder biasInitializer(Initializer initializer) {
      bias.initializer(initializer);
      return this;
    }

    /** Penalty on the biases by Keras id; null for none. */
    public Builder biasRegularizer(String id) {
      return biasRegularizer(Regularizers.get(id));
    }

    /** Penalty on the biases; null for none (the default). */
    public Builder biasRegularizer(Regularizer regularizer) {
      bias.regularizer(regularizer);
      return this;
    }

    /** Constraint on the biases by Keras id; null for none. */
    public Builder biasConstraint(String id) {
      return biasConstraint(Constraints.get(id));
    }

    /** Constraint on the biases, applied after every optimizer update; null for none (the default). */
    public Builder biasConstraint(Constraint constraint) {
      bias.constraint(constraint);
      return this;
    }

    /** The layer. */
    public MultiHeadAttention build() {
      return new MultiHeadAttention(this);
    }
  }
}
