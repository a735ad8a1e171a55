package io.github.keras4j.layers.core;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.initializers.Initializers;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.WeightSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The LoRA (low-rank adaptation) state that {@link Dense}, {@link EinsumDense} and {@link Embedding} share, as in
 * Keras 3: the requested {@code lora_rank}/{@code lora_alpha}, and once enabled the two trainable matrices
 * {@code a} (the base weight's shape with its last axis replaced by {@code rank}) and {@code b}
 * ({@code (rank, last axis)}), the frozen base weight, the effective weight
 * {@code base + (alpha / rank) * a @ b}, the config keys and the saving rule (the adaptation is merged into the
 * base weight when saving; loading assigns the base weight and zeros {@code a} and {@code b}).
 */
final class Lora {

  /** A layer's {@code addWeight(name, shape, settings)}, which is protected in {@link Layer}. */
  @FunctionalInterface
  interface WeightAdder {
    /** Creates a weight of the layer. */
    GraphVariable addWeight(String name, Shape shape, WeightSettings settings);
  }

  /** A layer's {@code setWeightTrainable(variable, trainable)}, which is protected in {@link Layer}. */
  @FunctionalInterface
  interface TrainableSetter {
    /** Marks one of the layer's own weights trainable or not. */
    void setWeightTrainable(GraphVariable variable, boolean trainable);
  }

  private final Layer layer;
  private final String owner;
  private final String weightKind;
  private final String prefix;
  private final WeightSettings baseSettings;
  private final boolean constrained;
  private final Supplier<GraphVariable> baseWeight;
  private final WeightAdder adder;
  private final TrainableSetter trainableSetter;
  private Integer rank;
  private Double alpha;
  private GraphVariable base;
  private GraphVariable a;
  private GraphVariable b;
  private Operand<TFloat32> merged;

  /**
   * The state of a layer, from its constructor's arguments.
   *
   * @param layer the layer (its build state, runtime, name and saved weights)
   * @param owner the layer's description for messages ({@code Layer 'dense' (Dense)})
   * @param weightKind the base weight's kind ({@code kernel}, {@code embeddings}): in messages, and with
   *     {@code lora_} before it the prefix of the LoRA weights' names
   * @param baseSettings the base weight's settings: its regularizer also regularizes the LoRA weights (Keras), a
   *     constraint refuses LoRA (Keras)
   * @param baseWeight the base weight, once built
   * @param adder the layer's {@code addWeight}
   * @param trainableSetter the layer's {@code setWeightTrainable}
   * @param rank Keras's {@code lora_rank}: null for no LoRA at build
   * @param alpha Keras's {@code lora_alpha}: null for the rank
   * @throws IllegalArgumentException for a rank below 1, or a rank with a constrained base weight
   */
  Lora(Layer layer, String owner, String weightKind, WeightSettings baseSettings, Supplier<GraphVariable> baseWeight,
      WeightAdder adder, TrainableSetter trainableSetter, Integer rank, Double alpha) {
    this.layer = layer;
    this.owner = owner;
    this.weightKind = weightKind;
    this.prefix = "lora_" + weightKind;
    this.baseSettings = baseSettings;
    this.constrained = baseSettings.constraint() != null;
    this.baseWeight = baseWeight;
    this.adder = adder;
    this.trainableSetter = trainableSetter;
    if (rank != null) {
      checkRank(rank);
      if (constrained) {
        throw new IllegalArgumentException(constraintMessage());
      }
    }
    this.rank = rank;
    this.alpha = rank == null ? alpha : alpha == null ? Double.valueOf(rank) : alpha;
  }

  private void checkRank(int r) {
    if (r <= 0) {
      throw new IllegalArgumentException(owner + ": `lora_rank` must be a positive integer. Received: lora_rank="
          + r);
    }
  }

  private String constraintMessage() {
    return owner + ": Lora is incompatible with " + weightKind + " constraints. In order to enable lora on this "
        + "layer, remove the `" + weightKind + "_constraint` argument.";
  }

  /** Called at the end of the layer's build: enables LoRA when the constructor asked for it. */
  void buildIfRequested() {
    if (rank != null) {
      enable(true, rank, alpha, null, null);
    }
  }

  /**
   * Keras's {@code enable_lora} on the layer as it stands.
   *
   * @see #enable(boolean, int, Double, Initializer, Initializer)
   */
  void enable(int r, Double alphaOrNull, Initializer aInit, Initializer bInit) {
    enable(layer.isBuilt(), r, alphaOrNull, aInit, bInit);
  }

  /**
   * Keras's {@code enable_lora}: creates {@code a} and {@code b}, freezes the base weight.
   *
   * @param built whether the layer is built (its base weight exists)
   * @param alphaOrNull the scale's numerator; null for {@code rank}
   * @param aInit the initializer of {@code a}; null for {@code he_uniform}
   * @param bInit the initializer of {@code b}; null for {@code zeros}
   */
  private void enable(boolean built, int r, Double alphaOrNull, Initializer aInit, Initializer bInit) {
    GraphVariable baseWeight = this.baseWeight.get();
    if (constrained) {
      throw new IllegalStateException(constraintMessage());
    }
    if (!built || baseWeight == null) {
      throw new IllegalStateException(owner + ": Cannot enable lora on a layer that isn't yet built. Apply the layer "
          + "and build its model first, or pass loraRank(...) to the builder.");
    }
    if (isEnabled()) {
      throw new IllegalStateException(owner + ": lora is already enabled. This can only be done once per layer.");
    }
    checkRank(r);
    long[] dims = baseWeight.shape().asArray();
    long[] aDims = dims.clone();
    aDims[aDims.length - 1] = r;
    GraphVariable newA = addLoraWeight("_a", Shape.of(aDims), aInit != null ? aInit : Initializers.get("he_uniform"));
    GraphVariable newB = addLoraWeight("_b", Shape.of(r, dims[dims.length - 1]),
        bInit != null ? bInit : Initializers.get("zeros"));
    trainableSetter.setWeightTrainable(baseWeight, false);
    this.base = baseWeight;
    this.a = newA;
    this.b = newB;
    this.rank = r;
    this.alpha = alphaOrNull != null ? alphaOrNull : Double.valueOf(r);
  }

  /** A trainable LoRA weight, regularized as the base weight and unconstrained (Keras). */
  private GraphVariable addLoraWeight(String suffix, Shape shape, Initializer initializer) {
    return adder.addWeight(prefix + suffix, shape, new WeightSettings(prefix + suffix, initializer,
        baseSettings.regularizer(), null));
  }

  /** Whether {@code a} and {@code b} exist. */
  boolean isEnabled() {
    return a != null;
  }

  /** The rank, or null when LoRA is neither enabled nor requested. */
  Integer rank() {
    return rank;
  }

  /** The scale's numerator, or null when LoRA is neither enabled nor requested. */
  Double alpha() {
    return alpha;
  }

  /** The matrix {@code a}, or null before LoRA is enabled. */
  GraphVariable a() {
    return a;
  }

  /** The matrix {@code b}, or null before LoRA is enabled. */
  GraphVariable b() {
    return b;
  }

  /** The weight the layer computes with: {@code baseValue} itself, or with the scaled adaptation added. */
  Operand<TFloat32> effective(Ops tf, Operand<TFloat32> baseValue) {
    if (!isEnabled()) {
      return baseValue;
    }
    return effective(tf, baseValue, a.value(), b.value());
  }

  private Operand<TFloat32> effective(Ops tf, Operand<TFloat32> baseValue, Operand<TFloat32> aValue,
      Operand<TFloat32> bValue) {
    Shape shape = base.shape();
    Operand<TFloat32> product;
    if (shape.numDimensions() == 2) {
      product = tf.linalg.matMul(aValue, bValue);
    } else {
      // Keras's matmul(a, b) contracts a's last axis with b's first: (..., r) -> (-1, r) @ (r, n) -> kernel shape.
      Operand<TFloat32> flat = tf.reshape(aValue, tf.constant(new long[] {-1, rank}));
      product = tf.reshape(tf.linalg.matMul(flat, bValue), tf.constant(shape.asArray()));
    }
    return tf.math.add(baseValue, tf.math.mul(tf.constant(scale()), product));
  }

  /** Keras's {@code lora_alpha / lora_rank}, as float32. */
  float scale() {
    return (float) (alpha / rank);
  }

  /** Adds {@code lora_rank} and {@code lora_alpha} to a config when a rank is set, as Keras. */
  void putConfig(Map<String, Object> config) {
    if (rank != null) {
      config.put("lora_rank", rank);
      // Keras's lora_alpha is an integer by default (the rank): whole values are written as integers.
      double v = alpha;
      config.put("lora_alpha", v == Math.rint(v) && Math.abs(v) < Integer.MAX_VALUE ? (Object) (int) v : v);
    }
  }

  /** The weights a file stores: all but {@code a} and {@code b}. */
  List<Layer.Weight> savedWeights(List<Layer.Weight> all) {
    if (!isEnabled()) {
      return all;
    }
    List<Layer.Weight> out = new ArrayList<>();
    for (Layer.Weight w : all) {
      if (w.variable() != a && w.variable() != b) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * Keras's {@code save_own_variables}: the stored values with the base weight replaced by the effective one,
   * computed by the same ops as the layer's forward pass (so a model loaded from the file predicts bit for bit
   * as the saved one).
   */
  List<FloatNdArray> saveOwnVariables(List<FloatNdArray> values) {
    if (!isEnabled()) {
      return values;
    }
    GraphRuntime runtime = layer.runtime();
    List<Layer.Weight> saved = layer.savedWeights();
    if (merged == null) {
      Ops tf = runtime.scope(layer.name() + "/lora_merge");
      merged = effective(tf, base.sharedValue(), a.sharedValue(), b.sharedValue());
    }
    FloatNdArray kernel;
    try (Result r = runtime.session().runner().fetch(merged).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      kernel = NdArrays.ofFloats(t.shape());
      t.copyTo(kernel);
    }
    List<FloatNdArray> out = new ArrayList<>(values);
    for (int i = 0; i < saved.size(); i++) {
      if (saved.get(i).variable() == base) {
        out.set(i, kernel);
      }
    }
    return out;
  }

  /** Keras's {@code load_own_variables}: the stored values as they are, and zeros for {@code a} and {@code b}. */
  Map<GraphVariable, FloatNdArray> loadOwnVariables(Map<GraphVariable, FloatNdArray> assignments) {
    if (!isEnabled()) {
      return assignments;
    }
    Map<GraphVariable, FloatNdArray> out = new LinkedHashMap<>(assignments);
    out.put(a, NdArrays.ofFloats(a.shape()));
    out.put(b, NdArrays.ofFloats(b.shape()));
    return out;
  }
}
