package io.github.keras4j.layers.core;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.initializers.Initializers;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.WeightSettings;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Turns non-negative integer indices into dense vectors of fixed size, as Keras 3's {@code keras.layers.Embedding}:
 * row {@code i} of the {@code (inputDim, outputDim)} matrix {@code embeddings} for index {@code i}.
 *
 * <p>Input: {@code (batch, ...)} of indices, output: {@code (batch, ..., outputDim)}. Model inputs are float32 in
 * Keras4J, so the indices arrive as floats holding whole numbers. Only the rows looked up in a batch receive a
 * gradient.
 *
 * <p><b>Indices that are not whole or out of range</b> ({@code < 0} or {@code >= inputDim}): when the layer reads
 * a model input, {@code fit}, {@code evaluate} and {@code predict} refuse them before running the graph, with an
 * {@code IllegalArgumentException} naming the layer, the range and the row ({@code Input 0 of layer 'embedding'
 * must hold whole indices in [0, 1000); found 1000 at row 3 of 'x'}). This is stricter than Keras, whose int32 cast
 * reads 2.7 as row 2, and whose GPU gather returns zeros for an index out of range. Called on a graph tensor (in a
 * {@code Step}, or after another layer) the layer is Keras's: the cast truncates toward zero, and on the CPU an
 * index out of range fails the run with TensorFlow's {@code indices[0,1] = 1000 is not in [0, 1000)}.
 *
 * <p><b>Masking</b>: with {@code maskZero(true)} index 0 is padding: the output carries the mask
 * {@code inputs != 0}, so recurrent layers keep their state over padded steps, {@code GlobalAveragePooling1D}
 * averages only real steps and losses and metrics skip them (see {@link Layer}). Row 0 of {@code embeddings}
 * still exists and is looked up, as in Keras; {@code inputDim} must count it.
 *
 * <p>Differences from Keras: Keras 3 has no {@code input_length} either; no LoRA or quantization. Defaults as Keras: {@code embeddingsInitializer="uniform"}
 * (uniform on [-0.05, 0.05]).
 *
 * <pre>{@code
 * new Embedding(1000, 64);   // (None, 10) -> (None, 10, 64), 64,000 weights
 * Embedding.builder(1000, 64).embeddingsRegularizer("l2").embeddingsConstraint("unit_norm").build();
 * }</pre>
 */
public class Embedding extends Layer {

  private final int inputDim;
  private final int outputDim;
  private final WeightSettings embeddingsSettings;
  private final boolean maskZero;
  private GraphVariable embeddings;

  /**
   * @param inputDim the vocabulary size: largest index + 1
   * @param outputDim the size of each vector
   */
  public Embedding(int inputDim, int outputDim) {
    this(builder(inputDim, outputDim));
  }

  private Embedding(Builder b) {
    super(b.name);
    if (b.inputDim <= 0) {
      throw new IllegalArgumentException("`input_dim` must be a positive integer. Received: input_dim=" + b.inputDim);
    }
    if (b.outputDim <= 0) {
      throw new IllegalArgumentException("`output_dim` must be a positive integer. Received: output_dim="
          + b.outputDim);
    }
    this.inputDim = b.inputDim;
    this.outputDim = b.outputDim;
    this.embeddingsSettings = b.embeddings.resolve();
    this.maskZero = b.maskZero;
    setSupportsMasking(maskZero);
    setInputSpec(InputSpec.minRank(1));
  }

  /** A builder for the optional settings. */
  public static Builder builder(int inputDim, int outputDim) {
    return new Builder(inputDim, outputDim);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), embeddingsSettings);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] in = inputShape.asArray();
    long[] out = new long[in.length + 1];
    System.arraycopy(in, 0, out, 0, in.length);
    out[in.length] = outputDim;
    return Shape.of(out);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    // GatherV2 (tf.gather with an axis); V1 Gather has no gradient. The cast has none either, which is right:
    // indices are not differentiable.
    Operand<TInt32> ids = tf.dtypes.cast(inputs, TInt32.class);
    return tf.gather(embeddings.value(), ids, tf.constant(0));
  }

  /** With {@code maskZero}: the mask {@code inputs != 0}, shaped as the indices (Keras's compute_mask). */
  @Override
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return maskZero ? tf.math.notEqual(inputs.get(0), tf.constant(0f)) : null;
  }

  /** Whether index 0 is padding and masked. */
  public boolean maskZero() {
    return maskZero;
  }

  /** The vocabulary size. */
  public int inputDim() {
    return inputDim;
  }

  /** The size of each vector. */
  public int outputDim() {
    return outputDim;
  }

  /** The {@code (inputDim, outputDim)} matrix, after build. */
  public GraphVariable embeddings() {
    return embeddings;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("input_dim", inputDim);
    c.put("output_dim", outputDim);
    embeddingsSettings.putConfig(c);
    c.put("mask_zero", maskZero);
    return c;
  }

  /** Optional settings of {@link Embedding}, with Keras's defaults. String ids are resolved at once. */
  public static final class Builder {
    private final int inputDim;
    private final int outputDim;
    private String name;
    private final WeightSettings.Spec embeddings = new WeightSettings.Spec("embeddings", "uniform");
    private boolean maskZero;

    private Builder(int inputDim, int outputDim) {
      this.inputDim = inputDim;
      this.outputDim = outputDim;
    }

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Initializer of the embeddings by id; default {@code "uniform"} (Keras's alias of {@code "random_uniform"},
     * on [-0.05, 0.05], accepted here too).
     */
    public Builder embeddingsInitializer(String id) {
      return embeddingsInitializer(Initializers.get(id));
    }

    /** Initializer of the embeddings. */
    public Builder embeddingsInitializer(Initializer initializer) {
      embeddings.initializer(initializer);
      return this;
    }

    /** Regularizer of the embeddings by id ({@code "l2"}); null for none. */
    public Builder embeddingsRegularizer(String id) {
      return embeddingsRegularizer(Regularizers.get(id));
    }

    /** Regularizer of the embeddings; null for none. */
    public Builder embeddingsRegularizer(Regularizer regularizer) {
      embeddings.regularizer(regularizer);
      return this;
    }

    /** Constraint of the embeddings by id ({@code "unit_norm"}); null for none. */
    public Builder embeddingsConstraint(String id) {
      return embeddingsConstraint(Constraints.get(id));
    }

    /** Constraint of the embeddings; null for none. */
    public Builder embeddingsConstraint(Constraint constraint) {
      embeddings.constraint(constraint);
      return this;
    }

    /** Keras's {@code mask_zero}: whether index 0 is padding, masked for later layers; default false. */
    public Builder maskZero(boolean maskZero) {
      this.maskZero = maskZero;
      return this;
    }

    /** The layer. */
    public Embedding build() {
      return new Embedding(this);
    }
  }
}
