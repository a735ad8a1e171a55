package io.github.keras4j.layers.convolutional;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.WeightSettings;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The shared part of {@link SeparableConv1D} and {@link SeparableConv2D}, as Keras's {@code BaseSeparableConv}: a
 * depthwise convolution (each channel convolved on its own, {@code depthMultiplier} kernels per channel) followed by
 * a pointwise (size-1) convolution that mixes the channels into {@code filters} outputs, then bias and activation.
 * Fewer weights than a plain convolution of the same window.
 *
 * <p>Weights as Keras: {@code depthwise_kernel} {@code (k..., channels, depthMultiplier)}, {@code pointwise_kernel}
 * {@code (1..., channels * depthMultiplier, filters)} and {@code bias} {@code (filters,)}. A 1-D layer runs as a
 * 2-D one on inputs with a height of 1.
 */
public abstract class BaseSeparableConv extends BaseConv {

  private final int filters;
  private final int depthMultiplier;
  private final WeightSettings depthwiseSettings;
  private final WeightSettings pointwiseSettings;
  private GraphVariable depthwiseKernel;
  private GraphVariable pointwiseKernel;

  BaseSeparableConv(int rank, SeparableBuilder<?> b, String kerasName) {
    super(rank, b, kerasName, false, true);
    String owner = "Layer '" + name() + "'";
    this.filters = positive(owner, "filters", b.filters);
    this.depthMultiplier = positive(owner, "depth_multiplier", b.depthMultiplier);
    this.depthwiseSettings = b.depthwise.resolve();
    this.pointwiseSettings = b.pointwise.resolve();
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return filters;
  }

  @Override
  protected void buildKernels(Ops tf, long inputChannels) {
    depthwiseKernel = addWeight("depthwise_kernel", depthwiseShape(inputChannels, depthMultiplier),
        depthwiseSettings);
    long[] pointwise = new long[rank + 2];
    Arrays.fill(pointwise, 1L);
    pointwise[rank] = inputChannels * depthMultiplier;
    pointwise[rank + 1] = filters;
    pointwiseKernel = addWeight("pointwise_kernel", Shape.of(pointwise), pointwiseSettings);
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    Operand<TFloat32> depthwise = depthwise4d(tf, inputs, depthwiseKernel.value());
    Operand<TFloat32> pointwise = pointwiseKernel.value();
    if (rank == 1) {
      pointwise = tf.expandDims(pointwise, tf.constant(0));
    }
    return from4d(tf, tf.nn.conv2d(depthwise, pointwise, List.of(1L, 1L, 1L, 1L), "VALID"));
  }

  /** The number of filters (output channels). */
  public int filters() {
    return filters;
  }

  /** The number of depthwise output channels per input channel. */
  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** The depthwise kernel variable, after build. */
  public GraphVariable depthwiseKernel() {
    return depthwiseKernel;
  }

  /** The pointwise kernel variable, after build. */
  public GraphVariable pointwiseKernel() {
    return pointwiseKernel;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("filters", filters);
    c.put("depth_multiplier", depthMultiplier);
    depthwiseSettings.putConfig(c);
    pointwiseSettings.putConfig(c);
    return c;
  }

  /**
   * The builder of the separable layers: the depthwise settings, and {@code pointwiseInitializer} (default
   * {@code "glorot_uniform"}), {@code pointwiseRegularizer} and {@code pointwiseConstraint} (default none).
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class SeparableBuilder<B extends SeparableBuilder<B>> extends DepthwiseBuilder<B> {
    final int filters;
    final WeightSettings.Spec pointwise = new WeightSettings.Spec("pointwise", "glorot_uniform");

    /**
     * @param filters the number of output channels
     * @param kernelSize the depthwise window: one value for every spatial axis, or one value per axis
     */
    protected SeparableBuilder(int filters, int... kernelSize) {
      super(kernelSize);
      this.filters = filters;
    }

    /** The pointwise kernel's initializer by Keras id; default {@code "glorot_uniform"}. */
    public B pointwiseInitializer(String id) {
      pointwise.initializer(id);
      return self();
    }

    /** Any pointwise kernel initializer. */
    public B pointwiseInitializer(Initializer initializer) {
      pointwise.initializer(initializer);
      return self();
    }

    /** Penalty on the pointwise kernel by Keras id; null for none. */
    public B pointwiseRegularizer(String id) {
      return pointwiseRegularizer(Regularizers.get(id));
    }

    /** Penalty on the pointwise kernel; null for none. */
    public B pointwiseRegularizer(Regularizer regularizer) {
      pointwise.regularizer(regularizer);
      return self();
    }

    /** Constraint on the pointwise kernel by Keras id; null for none. */
    public B pointwiseConstraint(String id) {
      return pointwiseConstraint(Constraints.get(id));
    }

    /** Constraint on the pointwise kernel, applied after every optimizer update; null for none. */
    public B pointwiseConstraint(Constraint constraint) {
      pointwise.constraint(constraint);
      return self();
    }
  }
}
