package io.github.keras4j.layers.attention;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.regularization.Noise;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The base of {@link Attention} and {@link AdditiveAttention} (Keras 2's {@code BaseDenseAttention}; in Keras 3
 * {@code AdditiveAttention} subclasses {@code Attention}): scores of the query against the key (each subclass's
 * formula), a softmax over the value steps, and the value steps averaged with those weights.
 *
 * <p>Called on {@code [query, value]} (the value is also the key) or {@code [query, value, key]}: query
 * {@code (batch, Tq, dim)}, value {@code (batch, Tv, valueDim)}, key {@code (batch, Tv, dim)}; output
 * {@code (batch, Tq, valueDim)}. {@link #applyWithScores} also returns the softmax weights {@code (batch, Tq, Tv)}.
 *
 * <p>Masks, as Keras: the value's Keras mask keeps padded value steps out of the softmax (their scores get
 * {@code -1e9}), the query's mask sets the output of padded query steps to 0 and is the output's mask.
 * {@code useCausalMask} lets query step {@code i} attend to value steps {@code j <= i} only. {@code dropout} drops
 * attention weights in training.
 *
 * <p>Java differences from Keras: {@code use_causal_mask} is a layer setting (written to the config only when
 * true) and {@code return_attention_scores} is {@link #applyWithScores}; inputs must have rank 3.
 */
public abstract class BaseDenseAttention extends AttentionLayer {

  private final boolean useScale;
  private final float dropout;
  private final boolean useCausalMask;
  private final long seed;

  /** The layer of {@code b}'s settings. */
  BaseDenseAttention(Builder<?> b) {
    super(b.name);
    this.dropout = AttentionOps.checkDropout(b.dropout);
    this.useScale = b.useScale;
    this.seed = b.seed != null ? b.seed : Backend.nextSeed();
    this.useCausalMask = b.useCausalMask;
  }

  // ---------------------------------------------------------------- shapes

  /** Checks [query, value(, key)] and returns [query, value, key]. */
  final List<Shape> checked(List<Shape> shapes) {
    String layer = describe();
    if (shapes.size() < 2 || shapes.size() > 3) {
      throw new IllegalArgumentException(layer + " accepts an inputs list of length 2 or 3, namely [query, value] "
          + "or [query, value, key]. Received length: " + shapes.size());
    }
    Shape q = shapes.get(0);
    Shape v = shapes.get(1);
    Shape k = shapes.size() > 2 ? shapes.get(2) : v;
    AttentionOps.checkRank3(layer, "query", q);
    AttentionOps.checkRank3(layer, "value", v);
    AttentionOps.checkRank3(layer, "key", k);
    if (!Shapes.compatible(v.get(1), k.get(1))) {
      throw new IllegalArgumentException(layer + ": `value` and `key` must have the same number of timesteps. "
          + "Received: value_shape=" + format(v) + " and key_shape=" + format(k));
    }
    if (q.get(2) < 0 || !Shapes.compatible(q.get(2), k.get(2))) {
      throw new IllegalArgumentException(layer + ": the last dimension of `query` and `key` must be defined and "
          + "equal (the scores combine them feature by feature). Received: query_shape=" + format(q)
          + " and key_shape=" + format(k));
    }
    if (!Shapes.compatible(q.get(0), v.get(0)) || !Shapes.compatible(q.get(0), k.get(0))) {
      throw new IllegalArgumentException(layer + ": query, value and key must have the same batch size. Received: "
          + "query_shape=" + format(q) + ", value_shape=" + format(v) + ", key_shape=" + format(k));
    }
    return List.of(q, v, k);
  }

  /** {@code (batch, Tq, valueDim)}. */
  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    List<Shape> s = checked(inputShapes);
    return Shape.of(s.get(0).get(0), s.get(0).get(1), s.get(1).get(2));
  }

  /** Checks the input shapes; subclasses create their weights. */
  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    checked(inputShapes);
  }

  /** The scores {@code (batch, Tq, Tv)} of query {@code (batch, Tq, dim)} against key {@code (batch, Tv, dim)}. */
  abstract Operand<TFloat32> calculateScores(Ops tf, Operand<TFloat32> query, Operand<TFloat32> key);

  // ---------------------------------------------------------------- call

  @Override
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks,
      boolean training) {
    Operand<TFloat32> q = inputs.get(0);
    Operand<TFloat32> v = inputs.get(1);
    Operand<TFloat32> k = inputs.size() > 2 ? inputs.get(2) : v;
    Operand<TFloat32> s = calculateScores(tf, q, k);
    // Keras's _calculate_score_mask: the value mask (B, 1, Tv), and with it the causal mask (1, Tq, Tv).
    Operand<TBool> scoresMask = masks.get(1) == null ? null : tf.expandDims(masks.get(1), tf.constant(-2));
    if (useCausalMask) {
      scoresMask = AttentionOps.and(tf, scoresMask, AttentionOps.causalMask(tf, q, v));
    }
    // Keras's _apply_scores: padded steps get scores - 1e9 (not replaced), then softmax; no zeroing afterwards.
    if (scoresMask != null) {
      s = tf.select(scoresMask, s, tf.math.sub(s, tf.constant(-AttentionOps.LARGE_NEGATIVE)));
    }
    Operand<TFloat32> weights = tf.nn.softmax(s);
    Operand<TFloat32> dropped = weights;
    if (training && dropout > 0f) {
      dropped = tf.math.mul(weights, Noise.dropoutMask(tf, tf.shape(weights), dropout, seed, 0));
    }
    Operand<TFloat32> out = tf.linalg.einsum(List.of(dropped, v), "abc,acd->abd");
    if (masks.get(0) != null) {
      Operand<TBool> qMask = tf.expandDims(masks.get(0), tf.constant(-1));
      out = tf.select(qMask, out, tf.zerosLike(out));
    }
    recordScores(out, weights);
    return out;
  }

  /** The softmax weights' shape {@code (batch, Tq, Tv)}. */
  @Override
  Shape scoresShape(Shape q, Shape v) {
    return Shape.of(q.get(0), q.get(1), v.get(1));
  }

  // ---------------------------------------------------------------- accessors and config

  /** Whether the scores are scaled by a trainable weight. */
  public boolean useScale() {
    return useScale;
  }

  /** Dropout rate of the attention weights (training only). */
  public float dropout() {
    return dropout;
  }

  /** Whether query step {@code i} attends only to value steps {@code j <= i}. */
  public boolean useCausalMask() {
    return useCausalMask;
  }

  /** The dropout seed. */
  public long seed() {
    return seed;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("use_scale", useScale);
    c.put("dropout", dropout);
    c.put("seed", seed);
    if (useCausalMask) {
      c.put("use_causal_mask", true);
    }
    return c;
  }

  /**
   * The settings {@link Attention} and {@link AdditiveAttention} share: the name, {@code useScale}, {@code dropout}
   * (default 0), the dropout {@code seed} and {@code useCausalMask} (default false).
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class Builder<B extends Builder<B>> {
    private String name;
    private boolean useScale;
    private double dropout;
    private Long seed;
    private boolean useCausalMask;

    Builder(boolean useScale) {
      this.useScale = useScale;
    }

    /** This builder, typed. */
    abstract B self();

    /** The layer's name; by default a unique one from the class name ({@code attention}, {@code attention_1}, ...). */
    public B name(String name) {
      this.name = name;
      return self();
    }

    /** Whether the scores are scaled by a trainable weight (see the layer for its shape and default). */
    public B useScale(boolean useScale) {
      this.useScale = useScale;
      return self();
    }

    /** Dropout rate of the attention weights, in [0, 1); default 0. */
    public B dropout(double dropout) {
      this.dropout = dropout;
      return self();
    }

    /** The dropout seed; null (default) for one drawn from the global seed. */
    public B seed(Long seed) {
      this.seed = seed;
      return self();
    }

    /** Whether query step {@code i} attends only to value steps {@code j <= i} (Keras's call argument). */
    public B useCausalMask(boolean useCausalMask) {
      this.useCausalMask = useCausalMask;
      return self();
    }
  }
}
