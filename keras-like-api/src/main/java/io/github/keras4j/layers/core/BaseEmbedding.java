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
 * What {@link Embedding} and {@link ReversibleEmbedding} share: the {@code (inputDim, outputDim)} table
 * {@code embeddings} with its initializer, regularizer and constraint, the lookup of float32 indices, the mask of
 * {@code maskZero}, the output shape and the config keys; and the builder settings of both.
 */
public abstract class BaseEmbedding extends Layer {

  private final int inputDim;
  private final int outputDim;
  private final WeightSettings embeddingsSettings;
  private final boolean maskZero;
  private GraphVariable embeddings;

  /**
   * The layer with a builder's settings, for the subclasses' builders.
   *
   * @throws IllegalArgumentException if {@code inputDim} or {@code outputDim} is not positive
   */
  protected BaseEmbedding(BaseBuilder<?> b) {
    super(b.name);
    if (b.inputDim <= 0) {
      throw new IllegalArgumentException(describe() + ": `input_dim` must be a positive integer. Received: "
          + "input_dim=" + b.inputDim);
    }
    if (b.outputDim <= 0) {
      throw new IllegalArgumentException(describe() + ": `output_dim` must be a positive integer. Received: "
          + "output_dim=" + b.outputDim);
    }
    this.inputDim = b.inputDim;
    this.outputDim = b.outputDim;
    this.embeddingsSettings = b.embeddings.resolve();
    this.maskZero = b.maskZero;
    setSupportsMasking(maskZero);
    setInputSpec(InputSpec.minRank(1));
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
    return tf.gather(embeddingsValue(tf), ids, tf.constant(0));
  }

  /**
   * The table the lookup reads: {@code embeddings}, or for {@link Embedding} with LoRA the table with the adaptation
   * added (Keras's {@code embeddings} property).
   */
  protected Operand<TFloat32> embeddingsValue(Ops tf) {
    return embeddings.value();
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

  /** The embeddings' initializer, regularizer and constraint. */
  protected final WeightSettings embeddingsSettings() {
    return embeddingsSettings;
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

  /**
   * The settings every embedding layer has ({@link Embedding}, {@link ReversibleEmbedding}), with Keras's defaults;
   * each setter returns the concrete builder {@code B}.
   */
  public abstract static class BaseBuilder<B extends BaseBuilder<B>> {
    private final int inputDim;
    private final int outputDim;
    private String name;
    private final WeightSettings.Spec embeddings = new WeightSettings.Spec("embeddings", "uniform");
    private boolean maskZero;

    /** The builder of a layer for {@code inputDim} indices and vectors of {@code outputDim}. */
    protected BaseBuilder(int inputDim, int outputDim) {
      this.inputDim = inputDim;
      this.outputDim = outputDim;
    }

    /** This builder, as its concrete type. */
    protected abstract B self();

    /** The layer's name. */
    public B name(String name) {
      this.name = name;
      return self();
    }

    /**
     * Initializer of the embeddings by id; default {@code "uniform"} (Keras's alias of {@code "random_uniform"},
     * on [-0.05, 0.05], accepted here too).
     */
    public B embeddingsInitializer(String id) {
      return embeddingsInitializer(Initializers.get(id));
    }

    /** Initializer of the embeddings. */
    public B embeddingsInitializer(Initializer initializer) {
      embeddings.initializer(initializer);
      return self();
    }

    /** Regularizer of the embeddings by id ({@code "l2"}); null for none. */
    public B embeddingsRegularizer(String id) {
      return embeddingsRegularizer(Regularizers.get(id));
    }

    /** Regularizer of the embeddings; null for none. */
    public B embeddingsRegularizer(Regularizer regularizer) {
      embeddings.regularizer(regularizer);
      return self();
    }

    /** Constraint of the embeddings by id ({@code "unit_norm"}); null for none. */
    public B embeddingsConstraint(String id) {
      return embeddingsConstraint(Constraints.get(id));
    }

    /** Constraint of the embeddings; null for none. */
    public B embeddingsConstraint(Constraint constraint) {
      embeddings.constraint(constraint);
      return self();
    }

    /** Keras's {@code mask_zero}: whether index 0 is padding, masked for later layers; default false. */
    public B maskZero(boolean maskZero) {
      this.maskZero = maskZero;
      return self();
    }
  }
}
