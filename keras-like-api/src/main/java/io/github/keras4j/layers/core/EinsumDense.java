package io.github.keras4j.layers.core;

import io.github.keras4j.activations.ActivationFunction;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.KernelOptions;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerBuilder;
import io.github.keras4j.layers.WeightSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A layer that uses {@code einsum} as the backing computation, as Keras's {@code EinsumDense}:
 * {@code output = activation(einsum(equation, inputs, kernel) + bias)}, a Dense layer of any dimensionality.
 *
 * <p>{@code equation} has Keras's forms {@code ab,bc->ac}, {@code ...ab,bc->...ac} or {@code ab...,bc->ac...}
 * (input, kernel, output; letters {@code a-z A-Z}); {@code outputShape} is the output's shape without the batch
 * axis and without the axes of {@code ...}, {@code null} entries for sizes taken from the input. The kernel's shape
 * follows from the equation: a kernel letter shared with the output takes the output's size, otherwise the input's.
 * {@code biasAxes} names the output letters that get a bias (null, the default, for none); the bias spans the output
 * from its first bias letter on, with size 1 on the letters in between.
 *
 * <p>Examples from Keras's documentation: {@code new EinsumDense("ab,bc->ac", 64)} with {@code biasAxes("c")} on
 * {@code (None, 32)} gives {@code (None, 64)} (Dense(64)); {@code "abc,cd->abd"} with {@code outputShape(null, 64)}
 * and {@code biasAxes("d")} on {@code (None, 32, 128)} gives {@code (None, 32, 64)}; {@code "...x,xy->...y"} with
 * {@code 64} on {@code (None, 32, 128)} gives {@code (None, 32, 64)}.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(32, 128);
 * KerasTensor y = EinsumDense.builder("abc,cd->abd", null, 64).biasAxes("d").activation("relu").build().apply(x);
 * KerasTensor heads = EinsumDense.builder("abc,cde->abde", null, 4, 8).build().apply(x);   // (None, 32, 4, 8)
 * }</pre>
 *
 * <p><b>LoRA</b> as Keras 3 (see {@link Dense} for the workflow and the saving rule): {@link #enableLora(int)} or
 * {@code loraRank(...)} adds {@code lora_kernel_a}, the kernel's shape with its last axis replaced by the rank
 * ({@code he_uniform}), and {@code lora_kernel_b} {@code (rank, kernel's last axis)} (zeros), freezes
 * {@code kernel}, and computes with {@code kernel + (loraAlpha / rank) * lora_kernel_a @ lora_kernel_b} (the product
 * contracts {@code a}'s last axis with {@code b}'s first). Java differences for LoRA: a rank below 1 is refused at
 * once, {@code loraRank} with a kernel constraint when the layer is made (Keras: at build); no quantization.
 *
 * <p>Java differences from Keras: no quantization ({@code quantize}, {@code quantization_config}); the equation is checked when the layer is made (Keras: at build),
 * must match one of the forms completely (Keras's regular expression accepts a matching prefix) and may not repeat a
 * letter within a term; {@code None} entries of {@code outputShape} take the input's size in the inferred output
 * shape, as in Keras's traced output. Keras gives a {@code VarianceScaling} kernel initializer (Glorot, He, ...) the
 * equation's input and output axes to compute its fans; Keras4J's initializers compute the fans from the kernel shape
 * (the last axis is the fan out, the one before it the fan in, the others the receptive field), which agrees for 2-D
 * kernels. The builder has no {@code useBias}: the bias is set by {@code biasAxes} ({@code useBias(false)} is
 * rejected).
 */
public class EinsumDense extends Layer {

  private final EinsumEquation parsed;
  private final String equation;
  private final String biasAxes;
  private final ActivationFunction activation;
  private final String activationId;
  private final WeightSettings kernelSettings;
  private final WeightSettings biasSettings;
  private GraphVariable kernel;
  private GraphVariable bias;
  private final Lora lora;

  /**
   * A linear layer without bias: {@code new EinsumDense("ab,bc->ac", 64)}, {@code new EinsumDense("abc,cd->abd",
   * null, 64)}.
   *
   * @param equation the einsum equation, e.g. {@code "ab,bc->ac"}
   * @param outputShape the output shape without the batch axis (and the ellipsis' axes); null for sizes taken from
   *     the input, e.g. {@code 64} or {@code null, 64}
   */
  public EinsumDense(String equation, Integer... outputShape) {
    this(builder(equation, outputShape));
  }

  private EinsumDense(Builder b) {
    super(b.layerName());
    if (!b.hasBias()) {
      throw new IllegalArgumentException(describe() + " has no `use_bias` argument: the bias is set by `bias_axes` "
          + "(null for no bias)");
    }
    this.parsed = new EinsumEquation(describe(), b.equation, b.outputShape, b.biasAxes);
    this.equation = b.equation;
    this.biasAxes = b.biasAxes;
    this.activation = b.activationFunction();
    this.activationId = b.activationId();
    this.kernelSettings = b.kernel.resolve();
    this.biasSettings = b.biasSettings();
    this.lora = new Lora(this, describe(), "kernel", kernelSettings, () -> kernel, this::addWeight,
        this::setWeightTrainable, b.loraRank, b.loraAlpha);
    setActivityRegularizer(b.activityPenalty());
  }

  /**
   * A builder for the optional settings.
   *
   * @param equation the einsum equation
   * @param outputShape the output shape without the batch axis (and the ellipsis' axes), null entries for None
   */
  public static Builder builder(String equation, Integer... outputShape) {
    return new Builder(equation, outputShape);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return activation.computeOutputShape(parsed.analyze(inputShape).output());
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    EinsumEquation.Shapes3 shapes = parsed.analyze(inputShape);
    kernel = addWeight("kernel", shapes.kernel(), kernelSettings);
    if (shapes.bias() != null) {
      bias = addWeight("bias", shapes.bias(), biasSettings);
    }
    setInputSpec(new InputSpec(null, inputShape.numDimensions(), Map.of()));
    lora.buildIfRequested();
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> y = tf.linalg.einsum(List.of(inputs, lora.effective(tf, kernel.value())), equation);
    if (bias != null) {
      y = tf.math.add(y, bias.value());
    }
    return activation.apply(tf, y);
  }

  /** The einsum equation. */
  public String equation() {
    return equation;
  }

  /** The output shape as given (without the batch axis and the ellipsis' axes), null entries for None. */
  public Integer[] outputShape() {
    return parsed.partialOutput();
  }

  /** The output letters that get a bias, or null for none. */
  public String biasAxes() {
    return biasAxes;
  }

  /** The kernel variable, after build. */
  public GraphVariable kernel() {
    return kernel;
  }

  /** The bias variable, after build (null without {@code biasAxes}). */
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

  /** The matrix {@code lora_kernel_a} (the kernel's shape, last axis {@code rank}), or null before LoRA is enabled. */
  public GraphVariable loraKernelA() {
    return lora.a();
  }

  /** The matrix {@code lora_kernel_b} {@code (rank, kernel's last axis)}, or null before LoRA is enabled. */
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
    c.put("output_shape", Arrays.asList(parsed.partialOutput()));
    c.put("equation", equation);
    c.put("activation", activationId);
    c.put("bias_axes", biasAxes);
    kernelSettings.putConfig(c);
    biasSettings.putConfig(c);
    c.putIfAbsent("activity_regularizer", null);
    lora.putConfig(c);
    return c;
  }

  /**
   * Optional settings of {@link EinsumDense}, with Keras's defaults: the shared ones of {@link LayerBuilder} (name,
   * activation, bias initializer, regularizer and constraint, activity regularizer), {@code biasAxes} (none) and the
   * kernel's ({@link KernelOptions}).
   */
  public static final class Builder extends LayerBuilder<Builder> implements KernelOptions<Builder> {
    private final String equation;
    private final Integer[] outputShape;
    private String biasAxes;
    private final WeightSettings.Spec kernel = new WeightSettings.Spec("kernel", "glorot_uniform");
    private Integer loraRank;
    private Double loraAlpha;

    private Builder(String equation, Integer[] outputShape) {
      super(null);
      this.equation = equation;
      this.outputShape = outputShape == null ? null : outputShape.clone();
    }

    @Override
    public Builder self() {
      return this;
    }

    @Override
    public WeightSettings.Spec kernelSpec() {
      return kernel;
    }

    /** The output letters that get a bias ({@code "c"}, {@code "de"}); null (default) for no bias. */
    public Builder biasAxes(String biasAxes) {
      this.biasAxes = biasAxes;
      return this;
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

    /** The layer. */
    public EinsumDense build() {
      return new EinsumDense(this);
    }
  }
}
