package io.github.keras4j.layers.normalization;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.WeightSettings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Normalizes each sample on its own over {@code axis} (Ba et al., 2016), as Keras 3's
 * {@code keras.layers.LayerNormalization}: {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}, the
 * mean and (biased) variance taken per sample over the given axes. Same in training and inference.
 *
 * <p>{@code gamma} and {@code beta} span the normalized axes: for {@code axis = {1, 2}} on inputs
 * {@code (batch, 20, 30)} they have shape {@code (20, 30)}. Weights in Keras's order: {@code gamma} (if
 * {@code scale} or {@code rmsScaling}), {@code beta} (if {@code center} and not {@code rmsScaling}).
 *
 * <p>{@code rmsScaling=true} reproduces Keras's deprecated option exactly: {@code x * gamma / sqrt(var + epsilon)}
 * (scaled by the variance, not the root mean square, and without {@code beta}).
 *
 * <pre>{@code
 * new LayerNormalization();
 * LayerNormalization.builder().axis(1, 2).epsilon(1e-6).build();
 * }</pre>
 */
public class LayerNormalization extends Layer {

  private final int[] axis;
  private final float epsilon;
  private final boolean center;
  private final boolean scale;
  private final boolean rmsScaling;
  private final WeightSettings betaSettings;
  private final WeightSettings gammaSettings;
  private GraphVariable gamma;
  private GraphVariable beta;
  private int[] axes;
  private long[] broadcastShape;

  /** Keras's defaults: {@code axis=-1, epsilon=1e-3}, with {@code gamma} and {@code beta}. */
  public LayerNormalization() {
    this(builder());
  }

  private LayerNormalization(Builder b) {
    super(b.name);
    setSupportsMasking(true);
    if (b.axis.length == 0) {
      throw new IllegalArgumentException("LayerNormalization: give at least one axis. Received: axis=[]");
    }
    if (!(b.epsilon > 0) || Double.isInfinite(b.epsilon)) {
      throw new IllegalArgumentException("LayerNormalization: epsilon must be a positive number. Received: epsilon="
          + b.epsilon);
    }
    this.axis = b.axis.clone();
    this.epsilon = (float) b.epsilon;
    this.center = b.center;
    this.scale = b.scale;
    this.rmsScaling = b.rmsScaling;
    this.betaSettings = b.beta.resolve();
    this.gammaSettings = b.gamma.resolve();
  }

  /** A builder for the optional settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The normalized axes as sorted non-negative indices for an input shape, checked. */
  private int[] resolveAxes(Shape inputShape) {
    int[] out = resolveAxes(axis, inputShape);
    for (int a : out) {
      if (inputShape.get(a) < 0) {
        throw new IllegalArgumentException("Layer '" + name() + "': the normalized axes must have known sizes to "
            + "create gamma and beta, but the input shape is " + format(inputShape) + ". Received: axis="
            + Arrays.toString(axis));
      }
    }
    return out;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    resolveAxes(inputShape);
    return inputShape;
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    int rank = inputShape.numDimensions();
    axes = resolveAxes(inputShape);
    long[] paramDims = new long[axes.length];
    broadcastShape = new long[rank];
    Arrays.fill(broadcastShape, 1);
    Map<Integer, Long> sizes = new HashMap<>();
    for (int i = 0; i < axes.length; i++) {
      paramDims[i] = inputShape.get(axes[i]);
      broadcastShape[axes[i]] = paramDims[i];
      sizes.put(axes[i], paramDims[i]);
    }
    Shape paramShape = Shape.of(paramDims);
    if (scale || rmsScaling) {
      gamma = addWeight("gamma", paramShape, gammaSettings);
    }
    if (center && !rmsScaling) {
      beta = addWeight("beta", paramShape, betaSettings);
    }
    setInputSpec(new InputSpec(null, rank, sizes));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TInt32> reduce = tf.constant(axes);
    Operand<TFloat32> mean = tf.math.mean(inputs, reduce, Mean.keepDims(true));
    Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(inputs, tf.stopGradient(mean)), reduce,
        Mean.keepDims(true));
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon)));
    if (rmsScaling) {
      // Keras's deprecated rms_scaling: x * rsqrt(var + epsilon) * gamma.
      return tf.math.mul(tf.math.mul(inputs, inv), broadcast(tf, gamma.value()));
    }
    if (gamma != null) {
      inv = tf.math.mul(inv, broadcast(tf, gamma.value()));
    }
    Operand<TFloat32> shift = tf.math.neg(tf.math.mul(mean, inv));
    if (beta != null) {
      shift = tf.math.add(shift, broadcast(tf, beta.value()));
    }
    return tf.math.add(tf.math.mul(inputs, inv), shift);
  }

  private Operand<TFloat32> broadcast(Ops tf, Operand<TFloat32> parameter) {
    boolean lastOnly = axes.length == 1 && axes[0] == broadcastShape.length - 1;
    return lastOnly ? parameter : tf.reshape(parameter, tf.constant(broadcastShape));
  }

  /** The {@code gamma} weight, after build; null when neither {@code scale} nor {@code rmsScaling}. */
  public GraphVariable gamma() {
    return gamma;
  }

  /** The {@code beta} weight, after build; null without {@code center} or with {@code rmsScaling}. */
  public GraphVariable beta() {
    return beta;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", axis.length == 1 ? (Object) axis[0] : Arrays.stream(axis).boxed().toList());
    c.put("epsilon", epsilon);
    c.put("center", center);
    c.put("scale", scale);
    c.put("rms_scaling", rmsScaling);
    betaSettings.putConfig(c);
    gammaSettings.putConfig(c);
    return c;
  }

  /** Optional settings of {@link LayerNormalization}, with Keras's defaults. String ids are resolved at once. */
  public static final class Builder extends NormalizationBuilder<Builder> {
    private int[] axis = {-1};
    private boolean rmsScaling;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The axis or axes to normalize over; default -1. */
    public Builder axis(int... axis) {
      this.axis = axis.clone();
      return this;
    }

    /** Keras's deprecated {@code rms_scaling} (see the class comment); default false. */
    public Builder rmsScaling(boolean rmsScaling) {
      this.rmsScaling = rmsScaling;
      return this;
    }

    /** The layer. */
    public LayerNormalization build() {
      return new LayerNormalization(this);
    }
  }
}
