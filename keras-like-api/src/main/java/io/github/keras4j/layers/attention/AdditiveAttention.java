package io.github.keras4j.layers.attention;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializers;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Additive attention, a.k.a. Bahdanau-style attention, as Keras's {@code AdditiveAttention}: attention with the
 * scores {@code sum(scale * tanh(q + k))} over the features, {@code scale} a trainable vector of the query's
 * last size (initialized {@code glorot_uniform}) with {@code useScale} (the default), or 1.
 *
 * <p>Inputs, outputs, masks, {@code dropout}, {@code useCausalMask} and {@link #applyWithScores} as
 * {@link Attention}; the config has Keras's keys {@code use_scale}, {@code dropout} and {@code seed}.
 *
 * <pre>{@code
 * KerasTensor query = Input.of(4, 8);
 * KerasTensor value = Input.of(6, 8);
 * KerasTensor context = new AdditiveAttention().apply(List.of(query, value));   // (None, 4, 8)
 * }</pre>
 */
public class AdditiveAttention extends BaseDenseAttention {

  private GraphVariable scale;

  /** Additive attention with Keras's defaults: {@code useScale true}, no dropout. */
  public AdditiveAttention() {
    this(builder());
  }

  private AdditiveAttention(Builder b) {
    super(b);
  }

  /** A builder for the optional settings. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    long dim = checked(inputShapes).get(0).get(2);
    if (useScale()) {
      scale = addWeight("scale", Shape.of(dim), Initializers.get("glorot_uniform"), true);
    }
  }

  @Override
  Operand<TFloat32> calculateScores(Ops tf, Operand<TFloat32> query, Operand<TFloat32> key) {
    // (B, Tq, 1, dim) + (B, 1, Tv, dim) -> tanh -> times scale -> sum over dim -> (B, Tq, Tv).
    Operand<TFloat32> t = tf.math.tanh(tf.math.add(tf.expandDims(query, tf.constant(-2)),
        tf.expandDims(key, tf.constant(-3))));
    if (scale != null) {
      t = tf.math.mul(scale.value(), t);
    }
    return tf.reduceSum(t, tf.constant(-1));
  }

  /**
   * Optional settings of {@link AdditiveAttention}, with Keras's defaults: {@code useScale true} (the tanh terms are
   * weighted by a trainable vector), {@code dropout 0}, {@code useCausalMask false}, a seed drawn from the global
   * seed.
   */
  public static final class Builder extends BaseDenseAttention.Builder<Builder> {

    private Builder() {
      super(true);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public AdditiveAttention build() {
      return new AdditiveAttention(this);
    }
  }
}
