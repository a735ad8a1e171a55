package io.github.keras4j.layers.normalization;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.WeightSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Group normalization (Wu and He, 2018), as Keras 3's {@code keras.layers.GroupNormalization}: the channels of
 * {@code axis} are split into {@code groups} consecutive groups, and each sample is normalized per group with the
 * mean and (biased) variance over the group's channels and every other non-batch axis:
 * {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}, with {@code gamma} and {@code beta} one value per channel.
 * Same in training and inference (no moving statistics), so it works with any batch size.
 *
 * <p>{@code groups=1} is close to {@link LayerNormalization} over all non-batch axes; {@code groups=-1} (one group
 * per channel) is instance normalization. The channel count must be a multiple of {@code groups}. Defaults as Keras:
 * {@code groups=32, axis=-1, epsilon=1e-3}, with {@code gamma} (ones) and {@code beta} (zeros).
 *
 * <p>Weights in Keras's order: {@code gamma} (if {@code scale}), {@code beta} (if {@code center}), each of shape
 * {@code (channels,)}. Input: rank 2 or more with a known size on {@code axis}; output: the same shape. Masks pass
 * through (as Keras, the statistics include masked steps).
 *
 * <pre>{@code
 * new GroupNormalization(8);                                   // (None, 32, 32, 64): 8 groups of 8 channels
 * GroupNormalization.builder().groups(-1).axis(1).epsilon(1e-5).build();
 * }</pre>
 */
public class GroupNormalization extends Layer {

  private final int groups;
  private final int axis;
  private final float epsilon;
  private final boolean center;
  private final boolean scale;
  private final WeightSettings betaSettings;
  private final WeightSettings gammaSettings;
  private GraphVariable gamma;
  private GraphVariable beta;
  private int resolvedAxis;
  private int resolvedGroups;
  private long channels;

  /** Keras's defaults: 32 groups over the last axis. */
  public GroupNormalization() {
    this(builder());
  }

  /** {@code groups} groups over the last axis ({@code -1}: one per channel). */
  public GroupNormalization(int groups) {
    this(builder().groups(groups));
  }

  private GroupNormalization(Builder b) {
    super(b.name);
    setSupportsMasking(true);
    if (b.groups <= 0 && b.groups != -1) {
      throw new IllegalArgumentException("GroupNormalization: received an invalid value for argument `groups`, "
          + "expected a positive integer (or -1 for instance normalization). Received: groups=" + b.groups);
    }
    if (!(b.epsilon > 0) || Double.isInfinite(b.epsilon)) {
      throw new IllegalArgumentException("GroupNormalization: epsilon must be a positive number. Received: epsilon="
          + b.epsilon);
    }
    this.groups = b.groups;
    this.axis = b.axis;
    this.epsilon = (float) b.epsilon;
    this.center = b.center;
    this.scale = b.scale;
    this.betaSettings = b.beta.resolve();
    this.gammaSettings = b.gamma.resolve();
  }

  /** A builder for the optional settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The channel axis for {@code inputShape}, checked: in range, not the batch axis, a known size. */
  private int resolveAxis(Shape inputShape) {
    int rank = inputShape.numDimensions();
    if (axis >= rank || axis < -rank) {
      throw new IllegalArgumentException("Layer '" + name() + "': axis " + axis + " is out of bounds for input shape "
          + format(inputShape) + ". Received: axis=" + axis);
    }
    int a = axis < 0 ? axis + rank : axis;
    if (a == 0 || inputShape.get(a) < 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': axis " + axis + " of input tensor should have a "
          + "defined dimension but the layer received an input with shape " + format(inputShape)
          + (a == 0 ? " (axis 0 is the batch axis)" : ""));
    }
    return a;
  }

  /** The number of groups for {@code channels} ({@code -1} resolved), checked. */
  private int resolveGroups(long channelCount) {
    int g = groups == -1 ? (int) channelCount : groups;
    if (channelCount < g) {
      throw new IllegalArgumentException("Layer '" + name() + "': the number of groups (" + g + ") cannot be more "
          + "than the number of channels (" + channelCount + "). Received: groups=" + groups);
    }
    if (channelCount % g != 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': the number of channels (" + channelCount
          + ") must be a multiple of the number of groups (" + g + "). Received: groups=" + groups);
    }
    return g;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    resolveGroups(inputShape.get(resolveAxis(inputShape)));
    return inputShape;
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    resolvedAxis = resolveAxis(inputShape);
    channels = inputShape.get(resolvedAxis);
    resolvedGroups = resolveGroups(channels);
    if (scale) {
      gamma = addWeight("gamma", Shape.of(channels), gammaSettings);
    }
    if (center) {
      beta = addWeight("beta", Shape.of(channels), betaSettings);
    }
    setInputSpec(new InputSpec(null, inputShape.numDimensions(), Map.of(resolvedAxis, channels)));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    int rank = inputs.shape().numDimensions();
    int a = resolvedAxis;
    int perGroup = (int) (channels / resolvedGroups);
    // (..., channels at a, ...) -> (..., groups at a, perGroup at a + 1, ...), other sizes read at run time.
    Operand<TInt32> shape = tf.shape(inputs);
    Operand<TInt32> grouped = tf.concat(List.of(
        tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {a})),
        tf.constant(new int[] {resolvedGroups, perGroup}),
        tf.slice(shape, tf.constant(new int[] {a + 1}), tf.constant(new int[] {rank - a - 1}))), tf.constant(0));
    Operand<TFloat32> x = tf.reshape(inputs, grouped);
    // Statistics per sample and group: over every axis of the grouped tensor but the batch and the group axes.
    int[] reduce = new int[rank - 1];
    for (int d = 1, k = 0; d <= rank; d++) {
      if (d != a) {
        reduce[k++] = d;
      }
    }
    Operand<TInt32> axes = tf.constant(reduce);
    Operand<TFloat32> mean = tf.math.mean(x, axes, Mean.keepDims(true));
    Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), axes,
        Mean.keepDims(true));
    long[] broadcast = new long[rank + 1];
    Arrays.fill(broadcast, 1);
    broadcast[a] = resolvedGroups;
    broadcast[a + 1] = perGroup;
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon)));
    if (gamma != null) {
      inv = tf.math.mul(inv, tf.reshape(gamma.value(), tf.constant(broadcast)));
    }
    Operand<TFloat32> shift = tf.math.neg(tf.math.mul(mean, inv));
    if (beta != null) {
      shift = tf.math.add(shift, tf.reshape(beta.value(), tf.constant(broadcast)));
    }
    return tf.reshape(tf.math.add(tf.math.mul(x, inv), shift), shape);
  }

  /** The {@code gamma} weight, after build; null without {@code scale}. */
  public GraphVariable gamma() {
    return gamma;
  }

  /** The {@code beta} weight, after build; null without {@code center}. */
  public GraphVariable beta() {
    return beta;
  }

  /** The number of groups as given ({@code -1}: one per channel). */
  public int groups() {
    return groups;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("groups", groups);
    c.put("axis", axis);
    c.put("epsilon", epsilon);
    c.put("center", center);
    c.put("scale", scale);
    betaSettings.putConfig(c);
    gammaSettings.putConfig(c);
    return c;
  }

  /** Optional settings of {@link GroupNormalization}, with Keras's defaults. String ids are resolved at once. */
  public static final class Builder extends NormalizationBuilder<Builder> {
    private int groups = 32;
    private int axis = -1;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The number of groups; default 32. {@code -1} makes one group per channel (instance normalization). */
    public Builder groups(int groups) {
      this.groups = groups;
      return this;
    }

    /** The channel axis; default -1. Use 1 for channels-first data. */
    public Builder axis(int axis) {
      this.axis = axis;
      return this;
    }

    /** The layer. */
    public GroupNormalization build() {
      return new GroupNormalization(this);
    }
  }
}
