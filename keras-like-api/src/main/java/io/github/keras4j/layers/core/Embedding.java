package io.github.keras4j.layers.core;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.Layer;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

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
 * <p><b>LoRA</b> as Keras 3 (see {@link Dense} for the workflow and the saving rule): {@link #enableLora(int)} or
 * {@code loraRank(...)} adds {@code lora_embeddings_a} {@code (inputDim, rank)} ({@code he_uniform}) and
 * {@code lora_embeddings_b} {@code (rank, outputDim)} (zeros), freezes {@code embeddings}, and looks rows up in
 * {@code embeddings + (loraAlpha / rank) * lora_embeddings_a @ lora_embeddings_b}. Java differences for LoRA: a
 * rank below 1 is refused at once, {@code loraRank} with an embeddings constraint when the layer is made (Keras: at
 * build), and a {@code loraAlpha} given with {@code loraRank} is kept (Keras 3's {@code Embedding.build} drops it:
 * the scale silently becomes 1).
 *
 * <p>Differences from Keras: Keras 3 has no {@code input_length} either; no quantization. Defaults as Keras:
 * {@code embeddingsInitializer="uniform"} (uniform on [-0.05, 0.05]).
 *
 * <pre>{@code
 * new Embedding(1000, 64);   // (None, 10) -> (None, 10, 64), 64,000 weights
 * Embedding.builder(1000, 64).embeddingsRegularizer("l2").embeddingsConstraint("unit_norm").build();
 * }</pre>
 */
public class Embedding extends BaseEmbedding {

  private final Lora lora;

  /**
   * @param inputDim the vocabulary size: largest index + 1
   * @param outputDim the size of each vector
   */
  public Embedding(int inputDim, int outputDim) {
    this(builder(inputDim, outputDim));
  }

  private Embedding(Builder b) {
    super(b);
    this.lora = new Lora(this, describe(), "embeddings", embeddingsSettings(), this::embeddings, this::addWeight,
        this::setWeightTrainable, b.loraRank, b.loraAlpha);
  }

  /** A builder for the optional settings. */
  public static Builder builder(int inputDim, int outputDim) {
    return new Builder(inputDim, outputDim);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    super.build(tf, inputShape);
    lora.buildIfRequested();
  }

  @Override
  protected Operand<TFloat32> embeddingsValue(Ops tf) {
    return lora.effective(tf, super.embeddingsValue(tf));
  }

  /**
   * Keras's {@code enable_lora(rank)}: LoRA of rank {@code rank} with {@code loraAlpha = rank} (scale 1),
   * {@code lora_embeddings_a} initialized {@code he_uniform} and {@code lora_embeddings_b} zeros.
   *
   * @throws IllegalStateException when the layer is not built, LoRA is already enabled, or the embeddings have
   *     a constraint
   * @throws IllegalArgumentException when {@code rank < 1}
   */
  public void enableLora(int rank) {
    enableLora(rank, null, null, null);
  }

  /**
   * Keras's {@code enable_lora(rank, lora_alpha, a_initializer, b_initializer)}.
   *
   * @param loraAlpha the numerator of the scale {@code loraAlpha / rank}; null for {@code rank}
   * @param aInitializer the initializer of {@code lora_embeddings_a}; null for {@code he_uniform}
   * @param bInitializer the initializer of {@code lora_embeddings_b}; null for {@code zeros}
   * @throws IllegalStateException when the layer is not built, LoRA is already enabled, or the embeddings have
   *     a constraint
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

  /** The matrix {@code lora_embeddings_a} {@code (inputDim, rank)}, or null before LoRA is enabled. */
  public GraphVariable loraEmbeddingsA() {
    return lora.a();
  }

  /** The matrix {@code lora_embeddings_b} {@code (rank, outputDim)}, or null before LoRA is enabled. */
  public GraphVariable loraEmbeddingsB() {
    return lora.b();
  }

  /** With LoRA: {@code embeddings}, without the LoRA matrices (Keras's {@code save_own_variables}). */
  @Override
  public List<Weight> savedWeights() {
    return lora.savedWeights(super.savedWeights());
  }

  /** With LoRA: the embeddings with the adaptation merged in, as Keras saves it. */
  @Override
  public List<FloatNdArray> saveOwnVariables(List<FloatNdArray> values) {
    return lora.saveOwnVariables(values);
  }

  /** With LoRA: the stored embeddings, and zeros for the LoRA matrices, as Keras loads them. */
  @Override
  public Map<GraphVariable, FloatNdArray> loadOwnVariables(List<FloatNdArray> stored) {
    return lora.loadOwnVariables(super.loadOwnVariables(stored));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    lora.putConfig(c);
    return c;
  }

  /** Optional settings of {@link Embedding}, with Keras's defaults. String ids are resolved at once. */
  public static final class Builder extends BaseEmbedding.BaseBuilder<Builder> {
    private Integer loraRank;
    private Double loraAlpha;

    private Builder(int inputDim, int outputDim) {
      super(inputDim, outputDim);
    }

    @Override
    protected Builder self() {
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
    public Embedding build() {
      return new Embedding(this);
    }
  }
}
