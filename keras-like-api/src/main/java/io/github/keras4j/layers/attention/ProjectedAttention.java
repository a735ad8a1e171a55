package io.github.keras4j.layers.attention;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.SavedState;
import io.github.keras4j.layers.WeightSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link MultiHeadAttention} and {@link GroupedQueryAttention} share: the settings of their
 * {@link AttentionBuilder} (dropout of the attention probabilities, biases, the causal mask, the dropout seed, the
 * projections' initializers, regularizers and constraints), read once, with their accessors and config entries;
 * and the einsum projections ({@code query}, {@code key}, {@code value}, {@code attention_output}) built with them.
 */
public abstract class ProjectedAttention extends AttentionLayer {

  private final float dropout;
  private final boolean useBias;
  private final boolean useCausalMask;
  private final long seed;
  private final WeightSettings kernelSettings;
  private final WeightSettings biasSettings;

  /**
   * Reads the shared settings of {@code b}; the seed is drawn from the global one when not set.
   *
   * @throws IllegalArgumentException if the dropout rate is not in [0, 1)
   */
  ProjectedAttention(AttentionBuilder<?> b) {
    super(b.name);
    this.dropout = AttentionOps.checkDropout(b.dropout);
    this.useBias = b.useBias;
    this.useCausalMask = b.useCausalMask;
    this.seed = b.seed != null ? b.seed : Backend.nextSeed();
    this.kernelSettings = b.kernel.resolve();
    this.biasSettings = b.bias.resolve();
  }

  /** The kernel and bias of one projection (bias null without {@code useBias}). */
  record Projection(GraphVariable kernel, GraphVariable bias) {

    /** {@code einsum(equation, x, kernel) + bias}. */
    Operand<TFloat32> apply(Ops tf, String equation, Operand<TFloat32> x) {
      Operand<TFloat32> y = tf.linalg.einsum(List.of(x, kernel.value()), equation);
      return bias == null ? y : tf.math.add(y, bias.value());
    }
  }

  /** Creates the weights {@code <prefix>_kernel} and, with {@code useBias}, {@code <prefix>_bias} (call from build). */
  final Projection projection(String prefix, Shape kernelShape, Shape biasShape) {
    GraphVariable k = addWeight(prefix + "_kernel", kernelShape, kernelSettings);
    GraphVariable b = useBias ? addWeight(prefix + "_bias", biasShape, biasSettings) : null;
    return new Projection(k, b);
  }

  /**
   * Keras's layout: the layer stores nothing itself; its sublayers do, under the attribute names Keras's saving walk
   * reaches them by ({@link #projectionAttribute}), visited in Keras's order (names sorted, private ones last): each
   * projection ({@code EinsumDense} named {@code query}, {@code key}, {@code value}, {@code attention_output}) its
   * kernel and bias ({@code layers/multi_head_attention/query_dense/vars/0..1}), the {@code _dropout_layer} and
   * {@code _softmax} layers nothing.
   */
  @Override
  public SavedState savedState() {
    Map<String, SavedState> children =
        new TreeMap<>(Comparator.comparing((String a) -> a.startsWith("_") ? "~" + a : a));
    children.put("_dropout_layer", SavedState.part("dropout", this, List.of()));
    children.put(projectionAttribute("key_dense"), projectionState("key"));
    children.put(projectionAttribute("output_dense"), projectionState("attention_output"));
    children.put(projectionAttribute("query_dense"), projectionState("query"));
    children.put("_softmax", SavedState.part("softmax", this, List.of()));
    children.put(projectionAttribute("value_dense"), projectionState("value"));
    SavedState state = SavedState.part(name(), this, List.of());
    children.forEach(state::child);
    return state;
  }

  /** Keras calls attention with {@code (query, value, key)} as separate arguments. */
  @Override
  public boolean positionalInputs() {
    return true;
  }

  /**
   * The attribute name under which Keras's saving walk reaches a projection: Keras's MultiHeadAttention exposes its
   * projections as public properties ({@code query_dense}), which the walk visits before the private attributes
   * ({@code _query_dense}) that hold the same layers; GroupedQueryAttention has only the private ones.
   */
  String projectionAttribute(String name) {
    return "_" + name;
  }

  private SavedState projectionState(String prefix) {
    List<Weight> weights = new ArrayList<>();
    for (Weight w : ownWeights()) {
      if (w.name().equals(prefix + "_kernel") || w.name().equals(prefix + "_bias")) {
        weights.add(w);
      }
    }
    return SavedState.part(prefix, this, weights);
  }

  /** Dropout rate of the attention probabilities (training only). */
  public float dropout() {
    return dropout;
  }

  /** Whether the projections have biases. */
  public boolean useBias() {
    return useBias;
  }

  /** Whether step {@code i} attends only to steps {@code j <= i}. */
  public boolean useCausalMask() {
    return useCausalMask;
  }

  /** The dropout seed. */
  final long seed() {
    return seed;
  }

  /**
   * Adds the shared config entries after a subclass's own: {@code dropout}, {@code use_bias}, Keras's unsupported
   * {@code use_gate} (false) and {@code sliding_window} (null), the projections' weight settings,
   * {@code activity_regularizer}, {@code seed}, and {@code use_causal_mask} when set.
   */
  final void putSharedConfig(Map<String, Object> c) {
    c.put("dropout", dropout);
    c.put("use_bias", useBias);
    c.put("use_gate", false);
    c.put("sliding_window", null);
    kernelSettings.putConfig(c);
    biasSettings.putConfig(c);
    c.putIfAbsent("activity_regularizer", null);
    c.put("seed", seed);
    if (useCausalMask) {
      c.put("use_causal_mask", true);
    }
  }
}
