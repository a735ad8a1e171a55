package io.github.keras4j.layers.normalization;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.initializers.Initializers;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.WeightSettings;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Layer that normalizes its inputs over the batch, as Keras 3's {@code keras.layers.BatchNormalization}.
 *
 * <p><b>In training</b> ({@code fit}, {@code trainOnBatch}, a custom step with {@code training=true}) the output
 * is {@code gamma * (x - mean(batch)) / sqrt(var(batch) + epsilon) + beta}, the statistics taken over every axis
 * but {@code axis} (the variance is the biased one, as {@code tf.nn.moments}). Each training step also updates
 * the non-trainable moving statistics, in the same {@code Session.run} as the step:
 * {@code moving_mean = moving_mean * momentum + mean(batch) * (1 - momentum)}, and likewise
 * {@code moving_variance} with {@code var(batch)}.
 *
 * <p><b>In inference</b> ({@code predict}, {@code evaluate}) the output is
 * {@code gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta}.
 *
 * <p><b>Frozen layer:</b> as in Keras 3, after {@code setTrainable(false)} (and the next {@code compile}) the layer
 * runs in inference mode even in training: it uses and keeps its moving statistics and its gamma and beta do not
 * change.
 *
 * <p>Weights, in Keras's order: {@code gamma} (if {@code scale}), {@code beta} (if {@code center}),
 * {@code moving_mean}, {@code moving_variance}, each of shape {@code (inputShape[axis],)}. Input: any rank with a
 * known size on {@code axis}; output: same shape.
 *
 * <p>Differences from Keras: no {@code renorm}, {@code synchronized} or masks. A layer called twice in one
 * training step (shared) updates its moving statistics from both calls in an unspecified order, where Keras applies
 * them one after the other.
 *
 * <pre>{@code
 * new BatchNormalization();
 * BatchNormalization.builder().axis(1).momentum(0.9).gammaRegularizer("l2").build();
 * }</pre>
 */
public class BatchNormalization extends Layer {

  private final int axis;
  private final float momentum;
  private final float oneMinusMomentum;
  private final float epsilon;
  private final boolean center;
  private final boolean scale;
  private final WeightSettings betaSettings;
  private final WeightSettings gammaSettings;
  private final Initializer movingMeanInitializer;
  private final Initializer movingVarianceInitializer;
  private GraphVariable gamma;
  private GraphVariable beta;
  private GraphVariable movingMean;
  private GraphVariable movingVariance;
  private int[] reductionAxes;
  private long[] broadcastShape;
  private long channels;
  private boolean lastAxis;

  /** Keras's defaults: {@code axis=-1, momentum=0.99, epsilon=1e-3}, with {@code gamma} and {@code beta}. */
  public BatchNormalization() {
    this(builder());
  }

  private BatchNormalization(Builder b) {
    super(b.name);
    if (!(b.momentum >= 0 && b.momentum <= 1)) {
      throw new IllegalArgumentException("BatchNormalization: momentum must be in [0, 1]. Received: momentum="
          + b.momentum);
    }
    if (!(b.epsilon > 0) || Double.isInfinite(b.epsilon)) {
      throw new IllegalArgumentException("BatchNormalization: epsilon must be a positive number. Received: epsilon="
          + b.epsilon);
    }
    this.axis = b.axis;
    this.momentum = (float) b.momentum;
    this.epsilon = (float) b.epsilon;
    this.center = b.center;
    this.scale = b.scale;
    this.betaSettings = b.beta.resolve();
    this.gammaSettings = b.gamma.resolve();
    this.movingMeanInitializer = b.movingMeanInitializer;
    this.movingVarianceInitializer = b.movingVarianceInitializer;
    // Keras computes 1 - momentum in double before it meets float32 tensors: (float) (1.0 - 0.99) == 0.01f.
    this.oneMinusMomentum = (float) (1.0 - b.momentum);
  }

  /** A builder for the optional settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The axis index for an input of {@code rank}; checks it is in range and names a known size. */
  private int resolveAxis(Shape inputShape) {
    int rank = inputShape.numDimensions();
    if (axis >= rank || axis < -rank) {
      throw new IllegalArgumentException("Layer '" + name() + "': axis " + axis + " is out of bounds for input shape "
          + format(inputShape) + ". Received: axis=" + axis);
    }
    int a = axis < 0 ? rank + axis : axis;
    if (inputShape.get(a) < 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': the size of the normalized axis " + axis
          + " must be known to create its weights, but the input shape is " + format(inputShape)
          + ". Received: axis=" + axis);
    }
    return a;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    resolveAxis(inputShape);
    return inputShape;
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    int rank = inputShape.numDimensions();
    int a = resolveAxis(inputShape);
    channels = inputShape.get(a);
    lastAxis = a == rank - 1;
    Shape paramShape = Shape.of(channels);
    if (scale) {
      gamma = addWeight("gamma", paramShape, gammaSettings);
    }
    if (center) {
      beta = addWeight("beta", paramShape, betaSettings);
    }
    movingMean = addWeight("moving_mean", paramShape, movingMeanInitializer, false);
    movingVariance = addWeight("moving_variance", paramShape, movingVarianceInitializer, false);
    reductionAxes = new int[rank - 1];
    broadcastShape = new long[rank];
    for (int i = 0, k = 0; i < rank; i++) {
      broadcastShape[i] = i == a ? channels : 1;
      if (i != a) {
        reductionAxes[k++] = i;
      }
    }
    setInputSpec(new InputSpec(null, rank, Map.of(a, channels)));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> mean;
    Operand<TFloat32> variance;
    if (training && isTrainable()) {
      // tf.nn.moments: the biased variance around the (gradient-stopped) batch mean.
      Operand<TInt32> axes = tf.constant(reductionAxes);
      mean = tf.math.mean(inputs, axes, Mean.keepDims(true));
      variance = tf.math.mean(tf.math.squaredDifference(inputs, tf.stopGradient(mean)), axes,
          Mean.keepDims(true));
      addUpdate(movingAverage(tf, movingMean, mean));
      addUpdate(movingAverage(tf, movingVariance, variance));
    } else {
      mean = broadcast(tf, movingMean.value());
      variance = broadcast(tf, movingVariance.value());
    }
    // tf.nn.batch_normalization: x * inv + (beta - mean * inv), inv = gamma / sqrt(variance + epsilon).
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon)));
    if (scale) {
      inv = tf.math.mul(inv, broadcast(tf, gamma.value()));
    }
    Operand<TFloat32> shift = tf.math.neg(tf.math.mul(mean, inv));
    if (center) {
      shift = tf.math.add(shift, broadcast(tf, beta.value()));
    }
    return tf.math.add(tf.math.mul(inputs, inv), shift);
  }

  /** {@code variable = variable * momentum + batchStatistic * (1 - momentum)}, as an assign op. */
  private Op movingAverage(Ops tf, GraphVariable variable, Operand<TFloat32> batchStatistic) {
    Operand<TFloat32> statistic = tf.reshape(batchStatistic, tf.constant(new long[] {channels}));
    Operand<TFloat32> updated = tf.math.add(tf.math.mul(variable.value(), tf.constant(momentum)),
        tf.math.mul(statistic, tf.constant(oneMinusMomentum)));
    return tf.assign(variable.variable(), updated);
  }

  /** A {@code (channels,)} parameter reshaped to broadcast against the input (not needed on the last axis). */
  private Operand<TFloat32> broadcast(Ops tf, Operand<TFloat32> parameter) {
    return lastAxis ? parameter : tf.reshape(parameter, tf.constant(broadcastShape));
  }

  /** The {@code gamma} weight, after build; null without {@code scale}. */
  public GraphVariable gamma() {
    return gamma;
  }

  /** The {@code beta} weight, after build; null without {@code center}. */
  public GraphVariable beta() {
    return beta;
  }

  /** The moving mean, after build. */
  public GraphVariable movingMean() {
    return movingMean;
  }

  /** The moving variance, after build. */
  public GraphVariable movingVariance() {
    return movingVariance;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", axis);
    c.put("momentum", momentum);
    c.put("epsilon", epsilon);
    c.put("center", center);
    c.put("scale", scale);
    betaSettings.putConfig(c);
    gammaSettings.putConfig(c);
    c.put("moving_mean_initializer", Initializers.serialize(movingMeanInitializer));
    c.put("moving_variance_initializer", Initializers.serialize(movingVarianceInitializer));
    return c;
  }

  /** Optional settings of {@link BatchNormalization}, with Keras's defaults. String ids are resolved at once. */
  public static final class Builder extends NormalizationBuilder<Builder> {
    private int axis = -1;
    private double momentum = 0.99;
    private Initializer movingMeanInitializer = Initializers.get("zeros");
    private Initializer movingVarianceInitializer = Initializers.get("ones");

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The normalized (features) axis; default -1. Use 1 for channels-first data. */
    public Builder axis(int axis) {
      this.axis = axis;
      return this;
    }

    /** Momentum of the moving averages, in [0, 1]; default 0.99. */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Initializer of the moving mean by id; default {@code "zeros"}. */
    public Builder movingMeanInitializer(String id) {
      return movingMeanInitializer(Initializers.get(id));
    }

    /** Initializer of the moving mean. */
    public Builder movingMeanInitializer(Initializer initializer) {
      this.movingMeanInitializer = initializer;
      return this;
    }

    /** Initializer of the moving variance by id; default {@code "ones"}. */
    public Builder movingVarianceInitializer(String id) {
      return movingVarianceInitializer(Initializers.get(id));
    }

    /** Initializer of the moving variance. */
    public Builder movingVarianceInitializer(Initializer initializer) {
      this.movingVarianceInitializer = initializer;
      return this;
    }

    /** The layer. */
    public BatchNormalization build() {
      return new BatchNormalization(this);
    }
  }
}
