package io.github.keras4j.layers.core;

import io.github.keras4j.activations.ActivationFunction;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.initializers.Initializer;
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
import org.tensorflow.types.TInt32;

/**
 * Just your regular densely-connected NN layer: {@code output = activation(dot(input, kernel) + bias)}.
 *
 * <p>Input shape: {@code (batch, ..., inputDim)}; output shape: {@code (batch, ..., units)}. For inputs of rank
 * above 2 the kernel is applied along the last axis (as Keras 3).
 *
 * <p>Defaults as Keras: no activation, {@code useBias=true}, {@code kernelInitializer="glorot_uniform"},
 * {@code biasInitializer="zeros"}, no regularizers or constraints.
 *
 * <p>Regularizers add their penalty to the training loss: {@code kernelRegularizer} and {@code biasRegularizer}
 * penalize the weights, {@code activityRegularizer} the output (divided by the batch size, as Keras). Constraints
 * project the weights after every optimizer update.
 *
 * <pre>{@code
 * new Dense(64, "relu");
 * Dense.builder(10).activation("softmax").kernelInitializer("he_normal").name("logits").build();
 * Dense.builder(64).kernelRegularizer(new L2(1e-4)).kernelConstraint("max_norm").build();
 * }</pre>
 *
 * <p><b>LoRA</b> (low-rank adaptation, as Keras 3): {@link #enableLora(int)} on a built layer, or
 * {@code loraRank(...)} in the builder, adds two trainable matrices {@code lora_kernel_a} {@code (inputDim, rank)}
 * (initialized {@code he_uniform}) and {@code lora_kernel_b} {@code (rank, units)} (initialized to zeros, so the
 * output does not change when LoRA is enabled), makes {@code kernel} non-trainable, and computes with the kernel
 * {@code kernel + (loraAlpha / rank) * lora_kernel_a @ lora_kernel_b} ({@code loraAlpha} defaults to the rank).
 * The regularizer of the kernel also applies to both matrices. Saving merges the adaptation into {@code kernel}
 * and stores {@code kernel} and {@code bias} only; loading into a layer with LoRA assigns them and zeros the two
 * matrices, so files of layers with and without LoRA load into each other, as in Keras. Compile (again) after
 * enabling LoRA on a model's layer, as Keras requires.
 *
 * <pre>{@code
 * dense.enableLora(4);                               // after the model is built; then compile and fit
 * Dense.builder(64).loraRank(8).loraAlpha(16.0).build();
 * }</pre>
 *
 * <p>Java differences from Keras for LoRA: a rank below 1 is refused at once (Keras fails later, or divides by
 * zero); {@code loraRank} with a kernel constraint is refused when the layer is made (Keras: at build); a
 * {@code loraAlpha} given with {@code loraRank} to the builder is kept (Keras 3's {@code Dense.build} calls
 * {@code enable_lora(rank)} without it, so the scale silently becomes 1); the LoRA matrices are float32 like all
 * Keras4J weights; no quantization.
 */
public class Dense extends Layer {

  private final int units;
  private final ActivationFunction activation;
  private final String activationId;
  private final boolean useBias;
  private final WeightSettings kernelSettings;
  private final WeightSettings biasSettings;
  private GraphVariable kernel;
  private GraphVariable bias;
  private final Lora lora;

  /** A linear Dense layer with {@code units} outputs. */
  public Dense(int units) {
    this(units, (String) null);
  }

  /** A Dense layer with a built-in activation by Keras id ({@code "relu"}, {@code "softmax"}, ...). */
  public Dense(int units, String activation) {
    this(builder(units).activation(activation));
  }

  private Dense(Builder b) {
    super(b.layerName());
    setSupportsMasking(true);
    if (b.units <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `units`, expected a positive integer. Received: units=" + b.units);
    }
    this.units = b.units;
    this.activation = b.activationFunction();
    this.activationId = b.activationId();
    this.useBias = b.hasBias();
    this.kernelSettings = b.kernel.resolve();
    this.biasSettings = b.biasSettings();
    this.lora = new Lora(this, describe(), "kernel", kernelSettings, () -> kernel, this::addWeight,
        this::setWeightTrainable, b.loraRank, b.loraAlpha);
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
      throw new IllegalArgumentException("Layer '" + name() + "': the last dimension of the inputs to a Dense layer "
          + "should be defined. Found None. Full input shape received: " + format(inputShape));
    }
    kernel = addWeight("kernel", Shape.of(inputDim, units), kernelSettings);
    if (useBias) {
      bias = addWeight("bias", Shape.of(units), biasSettings);
    }
    setInputSpec(new InputSpec(2, null, Map.of(-1, inputDim)));
    lora.buildIfRequested();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] dims = inputShape.asArray().clone();
    dims[dims.length - 1] = units;
    return activation.computeOutputShape(Shape.of(dims));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> x = inputs;
    int rank = inputs.shape().numDimensions();
    Operand<TFloat32> w = lora.effective(tf, kernel.value());
    Operand<TFloat32> y;
    if (rank == 2) {
      y = tf.linalg.matMul(x, w);
    } else {
      // Apply along the last axis: (..., in) -> (-1, in) x (in, units) -> (..., units).
      Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, kernel.shape().get(0)}));
      Operand<TFloat32> prod = tf.linalg.matMul(flat, w);
      y = tf.reshape(prod, leadingShapeAnd(tf, x, units));
    }
    if (useBias) {
      y = tf.nn.biasAdd(y, bias.value());
    }
    return activation.apply(tf, y);
  }

  /**
   * The shape {@code (..., units)} for {@code x}'s leading axes: a constant when at most one of them is unknown (it
   * becomes -1), so that the output keeps the input's static sizes, as Keras's tensordot does; else read at run time.
   */
  private static Operand<TInt32> leadingShapeAnd(Ops tf, Operand<TFloat32> x, int units) {
    int rank = x.shape().numDimensions();
    int[] dims = new int[rank];
    int unknown = 0;
    for (int i = 0; i < rank - 1; i++) {
      long d = x.shape().get(i);
      dims[i] = (int) d;
      unknown += d < 0 ? 1 : 0;
    }
    dims[rank - 1] = units;
    if (unknown <= 1) {
      return tf.constant(dims);
    }
    return tf.concat(List.of(Shapes.dims(tf, x, 0, rank - 1), tf.constant(new int[] {units})), tf.constant(0));
  }

  /** Number of output units. */
  public int units() {
    return units;
  }

  /** The kernel variable, after build. */
  public GraphVariable kernel() {
    return kernel;
  }

  /** The bias variable, after build (null without bias). */
  public GraphVariable bias() {
    return bias;
  }

  /**
   * Keras's {@code enable_lora(rank)}: LoRA of rank {@code rank} with {@code loraAlpha = rank} (scale 1),
   * {@code lora_kernel_a} initialized {@code he_uniform} and {@code lora_kernel_b} zeros.
   *
   * @throws IllegalStateException when the layer is not built, LoRA is already enabled, or the kernel has a
   *     constraint
   * @throws IllegalArgumentException when {@code rank < 1}
   */
  public void enableLora(int rank) {
    enableLora(rank, null, null, null);
  }

  /**
   * Keras's {@code enable_lora(rank, lora_alpha, a_initializer, b_initializer)}.
   *
   * @param loraAlpha the numerator of the scale {@code loraAlpha / rank}; null for {@code rank}
   * @param aInitializer the initializer of {@code lora_kernel_a}; null for {@code he_uniform}
   * @param bInitializer the initializer of {@code lora_kernel_b}; null for {@code zeros}
   * @throws IllegalStateException when the layer is not built, LoRA is already enabled, or the kernel has a
   *     constraint
   * @throws IllegalArgumentException when {@code rank < 1}
   */
  public void enableLora(int rank, Double loraAlpha, Initializer aInitializer, Initializer bInitializer) {
    lora.enable(rank, loraAlpha, aInitializer, bInitializer);
  }

  /** Whether LoRA is enabled (Keras's {@code lora_enabled}). */
  public boolean loraEnabled() {
    return lora.isEnabled();
  }

  /** Keras's {@code lora_rank}: the rank, or null without LoRA. */
  public Integer loraRank() {
    return lora.rank();
  }

  /** Keras's {@code lora_alpha}: the scale's numerator, or null without LoRA. */
  public Double loraAlpha() {
    return lora.alpha();
  }

  /** The matrix {@code lora_kernel_a} {@code (inputDim, rank)}, or null before LoRA is enabled. */
  public GraphVariable loraKernelA() {
    return lora.a();
  }

  /** The matrix {@code lora_kernel_b} {@code (rank, units)}, or null before LoRA is enabled. */
  public GraphVariable loraKernelB() {
    return lora.b();
  }

  /** With LoRA: {@code kernel} and {@code bias}, without the LoRA matrices (Keras's {@code save_own_variables}). */
  @Override
  public List<Weight> savedWeights() {
    return lora.savedWeights(super.savedWeights());
  }

  /** With LoRA: the kernel with the adaptation merged in, as Keras saves it. */
  @Override
  public List<FloatNdArray> saveOwnVariables(List<FloatNdArray> values) {
    return lora.saveOwnVariables(values);
  }

  /** With LoRA: the stored kernel and bias, and zeros for the LoRA matrices, as Keras loads them. */
  @Override
  public Map<GraphVariable, FloatNdArray> loadOwnVariables(List<FloatNdArray> stored) {
    return lora.loadOwnVariables(super.loadOwnVariables(stored));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("units", units);
    c.put("activation", activationId);
    c.put("use_bias", useBias);
    kernelSettings.putConfig(c);
    biasSettings.putConfig(c);
    c.putIfAbsent("activity_regularizer", null);
    lora.putConfig(c);
    return c;
  }

  /**
   * Optional settings of {@link Dense}, with Keras's defaults: the shared ones of {@link LayerBuilder} (name,
   * activation, bias, activity regularizer) and the kernel's ({@link KernelOptions}).
   */
  public static final class Builder extends LayerBuilder<Builder> implements KernelOptions<Builder> {
    private final int units;
    private final WeightSettings.Spec kernel = new WeightSettings.Spec("kernel", "glorot_uniform");
    private Integer loraRank;
    private Double loraAlpha;

    private Builder(int units) {
      super(null);
      this.units = units;
    }

    /** Keras's {@code lora_rank}: enables LoRA of this rank when the layer is built; null (default) for none. */
    public Builder loraRank(Integer loraRank) {
      this.loraRank = loraRank;
      return this;
    }

    /** Keras's {@code lora_alpha}: the scale's numerator with {@code loraRank}; null (default) for the rank. */
    public Builder loraAlpha(Double loraAlpha) {
      this.loraAlpha = loraAlpha;
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
    public Dense build() {
      return new Dense(this);
    }
  }
}
