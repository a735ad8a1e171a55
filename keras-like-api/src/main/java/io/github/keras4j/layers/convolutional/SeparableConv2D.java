package io.github.keras4j.layers.convolutional;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.WeightSettings;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Depthwise separable 2-D convolution: a {@link DepthwiseConv2D} (each channel convolved on its own,
 * {@code depthMultiplier} kernels per channel) followed by a 1x1 convolution that mixes the channels into
 * {@code filters} outputs, then bias and activation. Fewer weights than a {@link Conv2D} of the same window.
 *
 * <p>Input shape: {@code (batch, height, width, channels)}; output shape
 * {@code (batch, newHeight, newWidth, filters)}, spatial sizes as {@link Conv2D}. Weights as Keras:
 * {@code depthwise_kernel} {@code (kh, kw, channels, depthMultiplier)}, {@code pointwise_kernel}
 * {@code (1, 1, channels * depthMultiplier, filters)} and {@code bias} {@code (filters,)}.
 *
 * <p>Defaults as Keras: {@code strides=1}, {@code padding="valid"}, {@code dilationRate=1},
 * {@code depthMultiplier=1}, no activation, {@code useBias=true}, {@code depthwiseInitializer} and
 * {@code pointwiseInitializer} {@code "glorot_uniform"}, {@code biasInitializer="zeros"}, no regularizers
 * ({@code depthwiseRegularizer}, {@code pointwiseRegularizer}, {@code biasRegularizer},
 * {@code activityRegularizer}) or constraints ({@code depthwiseConstraint}, {@code pointwiseConstraint},
 * {@code biasConstraint}; see {@link BaseConv}). Channels-last only.
 *
 * <pre>{@code
 * new SeparableConv2D(32, 3, "relu");
 * SeparableConv2D.builder(32, 3).depthMultiplier(2).padding("same").build();
 * }</pre>
 */
public class SeparableConv2D extends BaseConv {

  private final int filters;
  private final int depthMultiplier;
  private final WeightSettings depthwiseSettings;
  private final WeightSettings pointwiseSettings;
  private GraphVariable depthwiseKernel;
  private GraphVariable pointwiseKernel;

  /** A linear SeparableConv2D with a square window. */
  public SeparableConv2D(int filters, int kernelSize) {
    this(builder(filters, kernelSize));
  }

  /** A SeparableConv2D with a square window and a built-in activation by Keras id. */
  public SeparableConv2D(int filters, int kernelSize, String activation) {
    this(builder(filters, kernelSize).activation(activation));
  }

  private SeparableConv2D(Builder b) {
    super(2, b, "separable_conv2d", false, true);
    String owner = "Layer '" + name() + "'";
    this.filters = positive(owner, "filters", b.filters);
    this.depthMultiplier = positive(owner, "depth_multiplier", b.depthMultiplier);
    this.depthwiseSettings = b.depthwise.resolve();
    this.pointwiseSettings = b.pointwise.resolve();
  }

  /**
   * A builder for the optional settings.
   *
   * @param kernelSize the depthwise window: one value for a square window, or {@code (height, width)}
   */
  public static Builder builder(int filters, int... kernelSize) {
    return new Builder(filters, kernelSize);
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return filters;
  }

  @Override
  protected void buildKernels(Ops tf, long inputChannels) {
    int[] k = kernelSize();
    depthwiseKernel = addWeight("depthwise_kernel", Shape.of(k[0], k[1], inputChannels, depthMultiplier),
        depthwiseSettings);
    pointwiseKernel = addWeight("pointwise_kernel", Shape.of(1, 1, inputChannels * depthMultiplier, filters),
        pointwiseSettings);
  }

  @Override
  protected Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> inputs) {
    Operand<TFloat32> depthwise = tf.nn.depthwiseConv2dNative(inputs, dilateKernel(tf, depthwiseKernel.value()),
        strides4(), tfPadding());
    return tf.nn.conv2d(depthwise, pointwiseKernel.value(), List.of(1L, 1L, 1L, 1L), "VALID");
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

  /** The pointwise (1x1) kernel variable, after build. */
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

  /** Optional settings of {@link SeparableConv2D}, with Keras's defaults. */
  public static final class Builder extends BaseConv.DepthwiseBuilder<Builder> {
    private final int filters;
    private final WeightSettings.Spec pointwise = new WeightSettings.Spec("pointwise", "glorot_uniform");

    private Builder(int filters, int... kernelSize) {
      super(kernelSize);
      this.filters = filters;
    }

    @Override
    public Builder self() {
      return this;
    }

    /** The pointwise kernel's initializer by Keras id; default {@code "glorot_uniform"}. */
    public Builder pointwiseInitializer(String id) {
      pointwise.initializer(id);
      return this;
    }

    /** Any pointwise kernel initializer. */
    public Builder pointwiseInitializer(Initializer initializer) {
      pointwise.initializer(initializer);
      return this;
    }

    /** Penalty on the pointwise kernel by Keras id; null for none. */
    public Builder pointwiseRegularizer(String id) {
      return pointwiseRegularizer(Regularizers.get(id));
    }

    /** Penalty on the pointwise kernel; null for none. */
    public Builder pointwiseRegularizer(Regularizer regularizer) {
      pointwise.regularizer(regularizer);
      return this;
    }

    /** Constraint on the pointwise kernel by Keras id; null for none. */
    public Builder pointwiseConstraint(String id) {
      return pointwiseConstraint(Constraints.get(id));
    }

    /** Constraint on the pointwise kernel, applied after every optimizer update; null for none. */
    public Builder pointwiseConstraint(Constraint constraint) {
      pointwise.constraint(constraint);
      return this;
    }

    /** The layer. */
    public SeparableConv2D build() {
      return new SeparableConv2D(this);
    }
  }
}
