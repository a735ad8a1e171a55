package io.github.keras4j.losses;

import io.github.keras4j.graph.Shapes;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * A loss function, Keras 3 semantics.
 *
 * <p>{@link #call} gives one value per sample (the mean over the last axis for element-wise losses);
 * {@link #compute} weights those values by the sample weights and reduces them with Keras's default
 * {@code "sum_over_batch_size"} reduction: {@code sum(values * sampleWeight) / count(values)}. The divisor is the
 * number of values, not the sum of the weights, so a weight of 0 still counts in the denominator: Keras's
 * mean squared error of {@code [[0, 1], [0, 0]]} vs {@code [[1, 1], [1, 0]]} is 0.5, and 0.25 with sample
 * weights {@code [0.7, 0.3]} ({@code (0.7 * 0.5 + 0.3 * 0.5) / 2}).
 *
 * <p>All inputs are float tensors; integer class labels (sparse losses) are fed as floats and cast inside.
 */
public abstract class Loss {

  private final String name;

  protected Loss(String name) {
    this.name = name;
  }

  /**
   * A loss from a Java lambda, usable in {@code compile} like the built-in ones:
   * {@code Loss.of("mean_fourth_power", (tf, t, p) -> tf.math.mean(tf.math.pow(tf.math.sub(p, t),
   * tf.constant(4f)), tf.constant(-1)))}.
   *
   * @param name the loss's name
   * @param fn per-sample loss values; sample weights and the mean over the batch are applied by {@link #compute}
   */
  public static Loss of(String name, LossFunction fn) {
    java.util.Objects.requireNonNull(fn, "fn");
    return new Loss(name) {
      @Override
      public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
        return fn.call(tf, yTrue, yPred);
      }
    };
  }

  /** Keras's name of the loss, such as {@code mean_squared_error}. */
  public String name() {
    return name;
  }

  /** Per-sample loss values: shape {@code (batch,)} for predictions of shape {@code (batch, d)}. */
  public abstract Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  /**
   * The reduced, weighted loss (a scalar).
   *
   * @param sampleWeight shape {@code (batch,)} or {@code (batch, 1)}, or null for weight 1
   */
  public Operand<TFloat32> compute(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred, Operand<TFloat32> sampleWeight) {
    return compute(tf, yTrue, yPred, sampleWeight, null);
  }

  /**
   * The reduced, weighted loss of masked predictions (a scalar): masked values count for nothing and the mean is
   * taken over the unmasked ones, {@code sum(values * sampleWeight * mask) / count(mask)}, as Keras 3's
   * {@code apply_mask} with the {@code "sum_over_batch_size"} reduction. With a null mask this is
   * {@link #compute(Ops, Operand, Operand, Operand)}.
   *
   * @param mask the predictions' mask, e.g. {@code (batch, timesteps)} for per-timestep losses
   * @throws IllegalArgumentException if the mask has more axes than the per-sample loss values
   */
  public Operand<TFloat32> compute(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight, Operand<TBool> mask) {
    return reduceWeighted(tf, call(tf, yTrue, yPred), sampleWeight, mask);
  }

  /**
   * Keras's {@code reduce_weighted_values} with the {@code "sum_over_batch_size"} reduction, for per-sample
   * {@code values} already computed by {@link #call}: {@code sum(values * sampleWeight * mask) / count(mask)}
   * ({@code count(values)} without a mask). Losses that mask their own values (Keras's
   * {@code set_keras_mask} on the loss, as {@link Circle} does) override {@link #compute(Ops, Operand, Operand,
   * Operand, Operand)} and end here.
   *
   * @param sampleWeight null for weight 1
   * @param mask null for none
   */
  protected Operand<TFloat32> reduceWeighted(
      Ops tf, Operand<TFloat32> values, Operand<TFloat32> sampleWeight, Operand<TBool> mask) {
    if (sampleWeight != null) {
      // Keras's reduce_weighted_values: weights (batch, 1) meet values (batch,) at the same rank.
      LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, values, sampleWeight);
      Operand<TFloat32> w = same.x2();
      // Per-sample weights (batch,) on per-timestep losses (batch, t): one weight per sample, broadcast over
      // the other axes (Keras 2's behaviour; Keras 3 would fail to broadcast).
      int valuesRank = LossUtils.rank(same.x1());
      for (int r = LossUtils.rank(w); r >= 0 && valuesRank >= 0 && r < valuesRank; r++) {
        w = tf.expandDims(w, tf.constant(-1));
      }
      values = tf.math.mul(same.x1(), w);
    }
    Operand<TFloat32> count;
    if (mask == null) {
      count = tf.dtypes.cast(tf.size(values), TFloat32.class);
    } else {
      Operand<TFloat32> m = maskLike(tf, mask, values, "loss '" + name + "'");
      values = tf.math.mul(values, m);
      count = tf.reduceSum(m, Shapes.allAxes(tf, m));
    }
    Operand<TFloat32> total = tf.reduceSum(values, Shapes.allAxes(tf, values));
    return tf.math.divNoNan(total, count);
  }

  /**
   * {@code mask} as 1/0 floats of the shape of {@code values}: trailing axes added and broadcast, e.g. a
   * {@code (batch, timesteps)} mask for {@code (batch, timesteps, d)} values.
   *
   * @param what names the loss or metric in the error
   * @throws IllegalArgumentException if the mask has more axes than the values
   */
  public static Operand<TFloat32> maskLike(Ops tf, Operand<TBool> mask, Operand<TFloat32> values, String what) {
    int maskRank = mask.shape().numDimensions();
    int valuesRank = values.shape().numDimensions();
    if (maskRank > valuesRank) {
      throw new IllegalArgumentException("The mask of the predictions, shape "
          + Shapes.format(mask.shape()) + ", cannot weight the per-sample values of "
          + what + ", shape " + Shapes.format(values.shape()) + ": a masked output needs "
          + "per-timestep losses, i.e. predictions of shape (batch, timesteps, ...) with a loss that reduces only "
          + "the last axis");
    }
    Operand<TFloat32> m = tf.dtypes.cast(mask, TFloat32.class);
    for (int r = maskRank; r < valuesRank; r++) {
      m = tf.expandDims(m, tf.constant(-1));
    }
    return tf.math.mul(m, tf.onesLike(values));
  }

  /**
   * Whether {@code fit} and {@code evaluate} require targets of the output's shape (true, the default). A loss whose
   * targets have another shape, such as {@link Circle}'s one label per embedding, returns false and checks the shapes
   * itself when it is traced.
   */
  public boolean targetsShapedLikePredictions() {
    return true;
  }

  /** The constructor's settings (e.g. {@code fromLogits}) with Keras's names, plus {@code name}. */
  public Map<String, Object> getConfig() {
    return Map.of("name", name);
  }
}
