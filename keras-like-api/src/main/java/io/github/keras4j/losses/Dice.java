package io.github.keras4j.losses;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Computes the Dice loss between {@code y_true} and {@code y_pred}, an overlap loss for segmentation.
 *
 * <p>Formula, the sums taken over {@code axis}, as Keras 3's {@code dice}:
 *
 * <pre>
 * loss = 1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + eps)
 * </pre>
 *
 * with {@code eps = }{@link LossUtils#EPSILON}. With Keras's default {@code axis=null} the sums run over every axis,
 * batch included, and {@link #call} gives one number for the whole batch; {@code axis = {1, 2, 3}} on images
 * {@code (batch, h, w, c)} gives one value per sample, which sample weights then scale.
 *
 * <p>Defaults: {@code axis=null} (all axes), {@code name="dice"}. Ids in {@link Losses#get}: {@code dice},
 * {@code Dice}. Java differs from Keras in refusing shapes that differ (Keras would broadcast them).
 *
 * <p>Example (Keras 3's docstring, checked in {@code DiceAndTverskyLossTest}):
 *
 * <pre>{@code
 * // y_true = [[[[1], [1]], [[0], [0]]], [[[1], [1]], [[0], [0]]]]
 * // y_pred = [[[[0], [1]], [[0], [1]]], [[[0.4], [0]], [[0], [0.9]]]]
 * new Dice(1, 2, 3).call(tf, yTrue, yPred);           // [0.5, 0.75757575]
 * new Dice().compute(tf, yTrue, yPred, null);         // 0.6164384
 * }</pre>
 */
public class Dice extends Loss {

  private final int[] axis;

  /** A Dice loss over every axis, named {@code dice}. */
  public Dice() {
    this((int[]) null, "dice");
  }

  /** A Dice loss over the given axes, named {@code dice}. */
  public Dice(int... axis) {
    this(axis, "dice");
  }

  /**
   * A Dice loss.
   *
   * @param axis the axes the sums run over; null for every axis
   * @param name the loss's name
   */
  public Dice(int[] axis, String name) {
    super(name);
    this.axis = axis == null ? null : axis.clone();
  }

  /** The axes the sums run over, or null for every axis. */
  public int[] axis() {
    return axis == null ? null : axis.clone();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    LossUtils.checkSameShape(name(), same.x1(), same.x2(), "");
    Operand<TInt32> axes = LossUtils.checkAxes(tf, name(), axis, same.x2());
    Operand<TFloat32> intersection = tf.reduceSum(tf.math.mul(same.x1(), same.x2()), axes);
    Operand<TFloat32> total = tf.math.add(
        tf.math.add(tf.reduceSum(same.x1(), axes), tf.reduceSum(same.x2(), axes)), tf.constant(LossUtils.EPSILON));
    return tf.math.sub(tf.constant(1f), tf.math.div(tf.math.mul(tf.constant(2f), intersection), total));
  }

  /** Keras's config keys: name and axis (null, or a list of integers). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name());
    config.put("axis", axisConfig(axis));
    return config;
  }

  /** {@code axis} as a config value: null, or a list of integers. */
  static List<Integer> axisConfig(int[] axis) {
    return axis == null ? null : Arrays.stream(axis).boxed().toList();
  }

  /**
   * The loss a config describes, as Keras's {@code from_config}; {@code axis} may be null, an integer or a list.
   *
   * @throws IllegalArgumentException for a bad entry or a reduction other than {@code "sum_over_batch_size"}
   */
  public static Dice fromConfig(Map<String, Object> config) {
    LossConfig c = new LossConfig("Dice", config);
    return new Dice(c.getIntsOrNull("axis"), c.name("dice"));
  }
}
