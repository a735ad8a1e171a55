package io.github.keras4j.layers.core;

import io.github.keras4j.activations.ActivationFunction;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.KernelOptions;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerBuilder;
import io.github.keras4j.layers.WeightSettings;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A densely-connected layer trained with ternary weights through a straight-through estimator (STE), as Keras 3's
 * {@code keras.layers.TernaryDense} (BitNet b1.58, arXiv:2402.17764 section 3.1).
 *
 * <p>The layer keeps a float {@code kernel}; every forward pass ternarizes it:
 * <pre>
 *   kernel_ternary[i][j] = sign(kernel[i][j])  if |kernel[i][j]| > t,  else 0
 *   t = threshold, or 0.5 * mean(|kernel|) when threshold is null (the default)
 *   output = activation(beta * dot(input, kernel_ternary) + bias)
 * </pre>
 * where {@code beta = mean(|kernel|)} when {@code threshold} is null and there is no {@code beta} (1) when a
 * threshold is given, as Keras's code does (its docstring mentions beta without that condition). Threshold 0 maps
 * every non-zero weight to +-1; a huge threshold gives an all-zero effective kernel.
 *
 * <p>Gradients: as Keras, the ternary kernel is computed as {@code kernel + stop_gradient(kernel_ternary - kernel)},
 * so its forward value is ternary and its gradient is the identity (the STE): {@code d output / d kernel} is the
 * gradient a plain Dense layer with kernel {@code kernel_ternary} would get (times {@code beta}), plus, with the
 * default threshold, the gradient through {@code beta = mean(|kernel|)}, which is not stopped
 * ({@code sign(kernel) / kernel.size} times the loss's derivative with respect to {@code beta}). The threshold gets
 * no gradient. The float kernel therefore trains although the forward value is piecewise constant in it.
 *
 * <p>Input shape: {@code (batch, ..., inputDim)}; output shape: {@code (batch, ..., units)}. Defaults as Keras:
 * {@code threshold=null}, no activation, {@code useBias=true}, {@code kernelInitializer="glorot_uniform"},
 * {@code biasInitializer="zeros"}, no regularizers or constraints.
 *
 * <p>Difference from Keras: only the training path. Keras's post-training {@code quantize("ternary")}, which
 * replaces the float kernel by a packed {@code uint8} kernel (five trits per byte) and a {@code kernel_scale}, is
 * not implemented; a saved quantized Keras TernaryDense (a {@code ternary} dtype policy) is rejected when loaded.
 * To export ternary weights, read {@link #ternaryKernel()} after training.
 *
 * <pre>{@code
 * new TernaryDense(64, "relu");
 * TernaryDense.builder(10).threshold(0.05).useBias(false).kernelInitializer("he_normal").build();
 * }</pre>
 */
public class TernaryDense extends Layer {

  private final int units;
  private final Double threshold;
  private final ActivationFunction activation;
  private final String activationId;
  private final boolean useBias;
  private final WeightSettings kernelSettings;
  private final WeightSettings biasSettings;
  private GraphVariable kernel;
  private GraphVariable bias;

  /** A linear TernaryDense layer with {@code units} outputs and the default threshold. */
  public TernaryDense(int units) {
    this(units, (String) null);
  }

  /** A TernaryDense layer with a built-in activation by Keras id ({@code "relu"}, ...) and the default threshold. */
  public TernaryDense(int units, String activation) {
    this(builder(units).activation(activation));
  }

  private TernaryDense(Builder b) {
    super(b.layerName());
    setSupportsMasking(true);
    if (b.units <= 0) {
      throw new IllegalArgumentException(describe() + ": Received an invalid value for `units`, expected a positive "
          + "integer. Received: units=" + b.units);
    }
    if (b.threshold != null && !(b.threshold >= 0)) {
      throw new IllegalArgumentException(describe() + ": Received an invalid value for `threshold`, expected a "
          + "non-negative float or None. Received: threshold=" + b.threshold);
    }
    this.units = b.units;
    this.threshold = b.threshold;
    this.activation = b.activationFunction();
    this.activationId = b.activationId();
    this.useBias = b.hasBias();
    this.kernelSettings = b.kernel.resolve();
    this.biasSettings = b.biasSettings();
    setActivityRegularizer(b.activityPenalty());
    setInputSpec(InputSpec.minRank(2));
  }

  /** A builder for the optional settings. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    long inputDim = inputShape.get(inputShape.numDimensions() - 1);
    if (inputDim < 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': the last dimension of the inputs to a TernaryDense "
          + "layer should be defined. Found None. Full input shape received: " + format(inputShape));
    }
    kernel = addWeight("kernel", Shape.of(inputDim, units), kernelSettings);
    if (useBias) {
      bias = addWeight("bias", Shape.of(units), biasSettings);
    }
    setInputSpec(new InputSpec(2, null, Map.of(-1, inputDim)));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] dims = inputShape.asArray().clone();
    dims[dims.length - 1] = units;
    return activation.computeOutputShape(Shape.of(dims));
  }

  /**
   * The ternarized kernel with the straight-through gradient: forward value in {-1, 0, +1}, gradient the identity
   * to the float kernel. Keras's {@code _ternary_kernel()}.
   */
  private Operand<TFloat32> straightThroughKernel(Ops tf, Operand<TFloat32> k) {
    Operand<TFloat32> abs = tf.math.abs(k);
    Operand<TFloat32> t = threshold == null
        ? tf.math.mul(tf.constant(0.5f), tf.math.mean(abs, Shapes.allAxes(tf, abs)))
        : tf.constant(threshold.floatValue());
    Operand<TFloat32> ternary = tf.math.mul(tf.math.sign(k), tf.dtypes.cast(tf.math.greater(abs, t), TFloat32.class));
    return tf.math.add(k, tf.stopGradient(tf.math.sub(ternary, k)));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> k = kernel.value();
    Operand<TFloat32> ternary = straightThroughKernel(tf, k);
    Operand<TFloat32> y = inputs.shape().numDimensions() == 2 ? tf.linalg.matMul(inputs, ternary)
        : tf.linalg.einsum(List.of(inputs, ternary), "...i,ij->...j");
    if (threshold == null) {
      Operand<TFloat32> abs = tf.math.abs(k);
      y = tf.math.mul(y, tf.math.mean(abs, Shapes.allAxes(tf, abs)));
    }
    if (useBias) {
      y = tf.nn.biasAdd(y, bias.value());
    }
    return activation.apply(tf, y);
  }

  /**
   * The ternary kernel the layer uses now, in {-1, 0, +1} ({@code inputDim x units}, row-major), read from the
   * trained float kernel with the layer's threshold rule in plain Java; to export the weights (Keras's
   * {@code quantize("ternary")} stores the same values packed). Multiply by {@link #beta()} to get the effective
   * weights when the threshold is null.
   *
   * @throws IllegalStateException before the layer is built
   */
  public float[][] ternaryKernel() {
    float[][] k = kernelValues();
    double t = threshold != null ? threshold : 0.5 * meanAbs(k);
    float[][] out = new float[k.length][k[0].length];
    for (int i = 0; i < k.length; i++) {
      for (int j = 0; j < k[0].length; j++) {
        out[i][j] = Math.abs(k[i][j]) > t ? Math.signum(k[i][j]) : 0f;
      }
    }
    return out;
  }

  /**
   * The output scale: {@code mean(|kernel|)} with the default threshold, 1 with a fixed one (Keras's
   * {@code kernel_scale} after {@code quantize("ternary")}).
   *
   * @throws IllegalStateException before the layer is built
   */
  public double beta() {
    float[][] k = kernelValues();
    return threshold == null ? meanAbs(k) : 1.0;
  }

  private float[][] kernelValues() {
    if (kernel == null) {
      throw new IllegalStateException(describe() + " is not built yet: apply it to an input (or build a model with "
          + "it) before reading its ternary kernel");
    }
    FloatNdArray value = runtime().read(List.of(kernel)).get(0);
    int rows = (int) value.shape().get(0);
    int cols = (int) value.shape().get(1);
    float[][] k = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        k[i][j] = value.getFloat(i, j);
      }
    }
    return k;
  }

  private static double meanAbs(float[][] k) {
    double sum = 0;
    for (float[] row : k) {
      for (float v : row) {
        sum += Math.abs(v);
      }
    }
    return sum / (k.length * (double) k[0].length);
  }

  /** Number of output units. */
  public int units() {
    return units;
  }

  /** The fixed threshold, or null for {@code 0.5 * mean(|kernel|)} per forward pass. */
  public Double threshold() {
    return threshold;
  }

  /** The float kernel variable, after build. */
  public GraphVariable kernel() {
    return kernel;
  }

  /** The bias variable, after build (null without bias). */
  public GraphVariable bias() {
    return bias;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("units", units);
    c.put("threshold", threshold);
    c.put("activation", activationId);
    c.put("use_bias", useBias);
    kernelSettings.putConfig(c);
    biasSettings.putConfig(c);
    c.putIfAbsent("activity_regularizer", null);
    return c;
  }

  /**
   * Optional settings of {@link TernaryDense}, with Keras's defaults: {@code threshold} and the settings
   * {@link Dense.Builder} has (the shared ones of {@link LayerBuilder} and the kernel's, {@link KernelOptions}).
   */
  public static final class Builder extends LayerBuilder<Builder> implements KernelOptions<Builder> {
    private final int units;
    private Double threshold;
    private final WeightSettings.Spec kernel = new WeightSettings.Spec("kernel", "glorot_uniform");

    private Builder(int units) {
      super(null);
      this.units = units;
    }

    /**
     * The fixed quantization boundary on {@code |kernel|}, {@code >= 0}, with no {@code beta} scaling; null (the
     * default) for {@code 0.5 * mean(|kernel|)} per forward pass with {@code beta = mean(|kernel|)}.
     */
    public Builder threshold(Double threshold) {
      this.threshold = threshold;
      return this;
    }

    @Override
    public Builder self() {
      return this;
    }

    @Override
    public WeightSettings.Spec kernelSpec() {
      return kernel;
    }

    /** The layer. */
    public TernaryDense build() {
      return new TernaryDense(this);
    }
  }
}
