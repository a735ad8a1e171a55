package io.github.keras4j.layers.normalization;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.TruncatedNormal;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.SavedState;
import io.github.keras4j.layers.convolutional.BaseDepthwiseConv;
import io.github.keras4j.layers.convolutional.KernelConv;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.Embedding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceAll;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Divides the kernel of a wrapped layer by an estimate of its spectral norm (its largest singular value), as Keras
 * 3's {@code keras.layers.SpectralNormalization} (Miyato et al., 2018): this bounds the layer's Lipschitz constant,
 * which stabilises the training of GAN discriminators.
 *
 * <p>The kernel, reshaped to a matrix {@code W} of shape {@code (-1, kernel.shape[-1])}, comes with a non-trainable
 * weight {@code vector_u} {@code (1, kernel.shape[-1])} (initialised from a truncated normal of stddev 0.02). In
 * training, {@code powerIterations} steps of the power method refine it, as Keras: {@code v = normalize(u W^T)},
 * {@code u = normalize(v W)} ({@code normalize(x) = x / sqrt(max(sum(x^2), 1e-14))}); then {@code sigma = v W u^T},
 * with {@code u} and {@code v} held out of the gradient, the layer runs with the kernel {@code W / sigma}, and
 * {@code vector_u} is assigned the new {@code u} in the same {@code Session.run} as the training step (a state
 * update, like BatchNormalization's moving statistics). An all-zero kernel is left as it is and {@code u} unchanged,
 * as Keras. In inference {@code vector_u} does not change: {@code sigma = v W u^T} with {@code u = normalize(vector_u)}
 * and {@code v = normalize(u W^T)}.
 *
 * <p>Supported layers: those whose kernel multiplies their input ({@link Dense}, Conv1D/2D/3D and their transposes,
 * DepthwiseConv1D/2D) and {@link Embedding} (its {@code embeddings}). For these, running the layer on
 * {@code inputs / sigma} gives exactly what the layer gives with the kernel {@code kernel / sigma} (the kernel is
 * applied linearly to the input, before the bias and activation; an embedding's output is divided instead), so the
 * wrapped layer and its variables stay as they are and the division is an ordinary differentiable op.
 *
 * <p>Where Java differs from Keras: Keras writes the normalized kernel into the wrapped layer's kernel variable at
 * every training call (the optimizer then updates that normalized kernel, and inference uses the stored kernel as
 * it is, unnormalized if the layer never trained). Keras4J never overwrites the kernel: the kernel variable holds the
 * unnormalized weights, every forward pass (training and inference) uses {@code kernel / sigma}, and the gradient
 * reaches the kernel through the division, {@code sigma} included (as in the paper). Other layers with a
 * {@code kernel} (SeparableConv has none, as in Keras; recurrent layers are not supported here) are rejected.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(10, 10, 1);
 * KerasTensor y = new SpectralNormalization(new Conv2D(2, 2)).apply(x);   // (None, 9, 9, 2)
 * }</pre>
 *
 * <p>Weights in Keras's order: {@code vector_u}, then the wrapped layer's ({@code kernel}, {@code bias}).
 */
public class SpectralNormalization extends Layer {

  /** Keras's {@code backend.epsilon()}: {@code normalize} clamps the squared norm at its square. */
  private static final float EPSILON = 1e-7f;

  private final Layer layer;
  private final int powerIterations;
  private final boolean scalesOutput;
  private GraphVariable kernel;
  private GraphVariable vectorU;

  /** Wraps {@code layer} with one power iteration per training step. */
  public SpectralNormalization(Layer layer) {
    this(layer, 1, null);
  }

  /**
   * @param layer the layer whose kernel is normalized: Dense, Conv1D/2D/3D, Conv1D/2D/3DTranspose,
   *     DepthwiseConv1D/2D or Embedding
   * @param powerIterations power-method steps per training call, at least 1
   * @param name the layer's name, or null for a generated one ({@code spectral_normalization}, ...)
   */
  public SpectralNormalization(Layer layer, int powerIterations, String name) {
    super(name);
    if (layer == null) {
      throw new IllegalArgumentException("Layer '" + name() + "': please initialize `SpectralNormalization` with a "
          + "`Layer` instance. Received: layer=null");
    }
    if (!(layer instanceof Dense || layer instanceof KernelConv || layer instanceof BaseDepthwiseConv
        || layer instanceof Embedding)) {
      throw new IllegalArgumentException("Layer '" + name() + "': " + layer.getClass().getSimpleName() + " layer '"
          + layer.name() + "' has no 'kernel' nor 'embeddings' that SpectralNormalization can normalize; wrap a Dense, "
          + "Conv1D/2D/3D, Conv1D/2D/3DTranspose, DepthwiseConv1D/2D or Embedding layer");
    }
    if (powerIterations <= 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': `power_iterations` should be greater than zero. "
          + "Received: `power_iterations=" + powerIterations + "`");
    }
    this.layer = trackLayer(layer);
    this.powerIterations = powerIterations;
    this.scalesOutput = layer instanceof Embedding;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (layer.inputSpec() != null) {
      layer.inputSpec().check(layer.name(), 0, inputShape);
    }
    return layer.computeOutputShape(inputShape);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    layer.ensureBuilt(runtime(), List.of(inputShape));
    for (Weight w : layer.weights()) {
      if (w.name().equals(scalesOutput ? "embeddings" : "kernel")) {
        kernel = w.variable();
      }
    }
    if (kernel == null) {
      throw new IllegalStateException(describe() + ": the wrapped layer '" + layer.name() + "' built no kernel");
    }
    long columns = kernel.shape().get(kernel.shape().numDimensions() - 1);
    vectorU = addWeight("vector_u", Shape.of(1, columns), new TruncatedNormal(0, 0.02), false);
    setInputSpec(new InputSpec(1, null, Map.of(-1, inputShape.get(inputShape.numDimensions() - 1))));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> w = tf.reshape(kernel.value(), tf.constant(new long[] {-1, kernel.shape().get(
        kernel.shape().numDimensions() - 1)}));
    Operand<TFloat32> u = vectorU.value();
    Operand<TFloat32> v;
    if (training) {
      v = null;
      for (int i = 0; i < powerIterations; i++) {
        v = normalize(tf, tf.linalg.matMul(u, w, MatMul.transposeB(true)));
        u = normalize(tf, tf.linalg.matMul(v, w));
      }
      // Keras holds u and v out of the gradient.
      u = tf.stopGradient(u);
    } else {
      // Here u is the variable itself, not a function of the kernel: holding it out of the gradient would change
      // nothing that trains, so it is not (its gradient, unused, stays the true derivative).
      u = normalize(tf, u);
      v = normalize(tf, tf.linalg.matMul(u, w, MatMul.transposeB(true)));
    }
    // Exact in inference too: v maximises v W u^T over unit vectors, so sigma's derivative through v is zero.
    v = tf.stopGradient(v);
    Operand<TFloat32> sigma = tf.reshape(tf.linalg.matMul(tf.linalg.matMul(v, w), u, MatMul.transposeB(true)),
        tf.constant(new long[0]));
    // Keras leaves an all-zero kernel (and u) as they are: divide by 1 instead of 0.
    Operand<TBool> zero = tf.reduceAll(tf.math.equal(w, tf.constant(0f)),
        tf.constant(new int[] {0, 1}), ReduceAll.keepDims(false));
    sigma = tf.select(zero, tf.constant(1f), sigma);
    if (training) {
      addUpdate(tf.assign(vectorU.variable(), tf.select(zero, vectorU.value(), u)));
    }
    if (scalesOutput) {
      return tf.math.div(layer.invoke(List.of(inputs), training), sigma);
    }
    return layer.invoke(List.of(tf.math.div(inputs, sigma)), training);
  }

  /** Keras's {@code normalize(x, axis=None)}: {@code x * rsqrt(max(sum(x^2), epsilon^2))} over all elements. */
  private static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> squareSum = tf.reduceSum(tf.math.square(x), tf.constant(new int[] {0, 1}),
        ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squareSum, tf.constant(EPSILON * EPSILON))));
  }

  /** The wrapped layer. */
  public Layer layer() {
    return layer;
  }

  /** Power-method steps per training call. */
  public int powerIterations() {
    return powerIterations;
  }

  /** The non-trainable {@code vector_u} weight {@code (1, kernel.shape[-1])}, after build. */
  public GraphVariable vectorU() {
    return vectorU;
  }

  /** {@code layer} (the wrapped layer's class name and config) and {@code power_iterations}. */
  /**
   * Keras's layout: the wrapper stores the wrapped layer's kernel (Keras tracks it as the wrapper's own
   * {@code kernel} attribute, a trainable variable listed first) and {@code vector_u}; the wrapped layer, attribute
   * {@code layer}, stores its own weights ({@code kernel}, {@code bias}) under {@code .../layer/vars}.
   */
  @Override
  public SavedState savedState() {
    List<Weight> own = new ArrayList<>();
    for (Weight w : layer.weights()) {
      if (w.variable().equals(kernel)) {
        own.add(w);
      }
    }
    own.addAll(ownWeights());
    return SavedState.part(name(), this, own).child("layer", layer.savedState());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("class_name", layer.className());
    inner.put("config", layer.getConfig());
    c.put("layer", inner);
    c.put("power_iterations", powerIterations);
    return c;
  }
}
