package io.github.keras4j.layers.attention;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializers;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Dot-product attention, a.k.a. Luong-style attention, as Keras's {@code Attention}: scores of the query against
 * the key, a softmax over the value steps, and the value steps averaged with those weights.
 *
 * <p>Called on {@code [query, value]} (the value is also the key) or {@code [query, value, key]}: query
 * {@code (batch, Tq, dim)}, value {@code (batch, Tv, valueDim)}, key {@code (batch, Tv, dim)}; output
 * {@code (batch, Tq, valueDim)}. With {@code scoreMode "dot"} the scores are {@code q . k} (times the trainable
 * scalar {@code scale}, initialized to 1, with {@code useScale}); with {@code "concat"} they are
 * {@code concat_score_weight * sum(tanh(scale * (q + k)))} over the features ({@code concat_score_weight} a trainable
 * scalar initialized to 1). {@link #applyWithScores} also returns the softmax weights {@code (batch, Tq, Tv)}.
 * Masks, dropout and the causal mask: see {@link BaseDenseAttention}.
 *
 * <pre>{@code
 * KerasTensor query = Input.of(4, 8);
 * KerasTensor value = Input.of(6, 8);
 * KerasTensor context = new Attention().apply(List.of(query, value));   // (None, 4, 8)
 * }</pre>
 *
 * <p>Java differences from Keras: {@code use_causal_mask} is a layer setting (written to the config only when
 * true) and {@code return_attention_scores} is {@link #applyWithScores}; inputs must have rank 3; Keras 3's
 * {@code AdditiveAttention} subclasses {@code Attention}, here both subclass {@link BaseDenseAttention}.
 */
public class Attention extends BaseDenseAttention {

  private final String scoreMode;
  private GraphVariable scale;
  private GraphVariable concatScoreWeight;

  /** Dot-product attention with Keras's defaults: no scale, {@code "dot"} scores, no dropout. */
  public Attention() {
    this(builder());
  }

  private Attention(Builder b) {
    super(b);
    if (!"dot".equals(b.scoreMode) && !"concat".equals(b.scoreMode)) {
      throw new IllegalArgumentException("Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
          + "Received: score_mode=" + b.scoreMode);
    }
    this.scoreMode = b.scoreMode;
  }

  /** A builder for the optional settings. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    checked(inputShapes);
    if (useScale()) {
      scale = addWeight("scale", Shape.scalar(), Initializers.get("ones"), true);
    }
    if ("concat".equals(scoreMode)) {
      concatScoreWeight = addWeight("concat_score_weight", Shape.scalar(), Initializers.get("ones"), true);
    }
  }

  @Override
  Operand<TFloat32> calculateScores(Ops tf, Operand<TFloat32> query, Operand<TFloat32> key) {
    if ("dot".equals(scoreMode)) {
      Operand<TFloat32> s = tf.linalg.einsum(List.of(query, key), "abd,acd->abc");
      return scale == null ? s : tf.math.mul(s, scale.value());
    }
    // (B, Tq, 1, dim) + (B, 1, Tv, dim), optionally scaled, tanh, summed over dim.
    Operand<TFloat32> sum = tf.math.add(tf.expandDims(query, tf.constant(-2)), tf.expandDims(key, tf.constant(-3)));
    if (scale != null) {
      sum = tf.math.mul(scale.value(), sum);
    }
    Operand<TFloat32> s = tf.reduceSum(tf.math.tanh(sum), tf.constant(-1));
    return tf.math.mul(concatScoreWeight.value(), s);
  }

  /** {@code "dot"} or {@code "concat"}. */
  public String scoreMode() {
    return scoreMode;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    // Keras's key order: use_scale, score_mode, dropout, seed.
    c.forEach((k, v) -> {
      out.put(k, v);
      if (k.equals("use_scale")) {
        out.put("score_mode", scoreMode);
      }
    });
    return out;
  }

  /**
   * Optional settings of {@link Attention}, with Keras's defaults: {@code useScale false} (when true, the scores are
   * multiplied by a trainable scalar initialized to 1), {@code scoreMode "dot"}, {@code dropout 0},
   * {@code useCausalMask false}, a seed drawn from the global seed.
   */
  public static final class Builder extends BaseDenseAttention.Builder<Builder> {
    private String scoreMode = "dot";

    private Builder() {
      super(false);
    }

    @Override
    Builder self() {
      return this;
    }

    /** {@code "dot"} (default: {@code q . k}) or {@code "concat"} ({@code sum(tanh(q + k))}). */
    public Builder scoreMode(String scoreMode) {
      this.scoreMode = scoreMode;
      return this;
    }

    /** The layer. */
    public Attention build() {
      return new Attention(this);
    }
  }
}
