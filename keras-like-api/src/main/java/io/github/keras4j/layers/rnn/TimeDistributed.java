package io.github.keras4j.layers.rnn;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Applies a layer to every temporal slice of an input, as Keras's {@code TimeDistributed}: for inputs
 * {@code (batch, timesteps, ...)}, the same layer (the same weights) processes each {@code (batch, ...)} slice.
 *
 * <p>The time axis is folded into the batch: {@code (batch, timesteps, d...)} is reshaped to
 * {@code (batch * timesteps, d...)}, the inner layer runs once, and its output {@code (batch * timesteps, o...)} is
 * reshaped to {@code (batch, timesteps, o...)}. The number of time steps may be unknown. Keras loops over the time
 * steps instead; the results are the same for layers that treat samples independently (all built-in layers except
 * BatchNormalization, whose batch statistics then cover all time steps).
 *
 * <pre>{@code
 * KerasTensor x = Input.of(10, 16);
 * KerasTensor y = new TimeDistributed(new Dense(8)).apply(x);   // (None, 10, 8)
 * }</pre>
 *
 * <p>The inner layer's weights ({@code dense/kernel}) are tracked as this layer's: models list, save, copy
 * and train them with the others.
 */
public class TimeDistributed extends Layer {

  private final Layer layer;

  /** Wraps {@code layer}. */
  public TimeDistributed(Layer layer) {
    this(layer, null);
  }

  /**
   * @param layer the layer applied to every time step
   * @param name the layer's name, or null for a generated one
   */
  public TimeDistributed(Layer layer, String name) {
    super(name);
    if (layer == null) {
      throw new IllegalArgumentException(
          "Please initialize `TimeDistributed` layer with a `Layer` instance. Received: null");
    }
    this.layer = trackLayer(layer);
    setInputSpec(InputSpec.minRank(3));
  }

  /** Keras's attribute {@code layer}: the wrapped layer's weights are saved under {@code .../layer/vars}. */
  @Override
  public Map<String, Layer> savedChildren() {
    return Map.of("layer", layer);
  }

  /** The {@code (batch, d...)} shape the inner layer sees. */
  private Shape childShape(Shape s) {
    long[] dims = new long[s.numDimensions() - 1];
    dims[0] = s.get(0);
    for (int i = 2; i < s.numDimensions(); i++) {
      dims[i - 1] = s.get(i);
    }
    Shape child = Shape.of(dims);
    if (layer.inputSpec() != null) {
      layer.inputSpec().check(layer.name(), 0, child);
    }
    return child;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.numDimensions() < 3) {
      throw new IllegalArgumentException("Layer '" + name() + "': `TimeDistributed` Layer should be passed an "
          + "`input_shape` with at least 3 dimensions, received: " + format(inputShape));
    }
    long[] child = layer.computeOutputShape(childShape(inputShape)).asArray();
    long[] out = new long[child.length + 1];
    out[0] = inputShape.get(0);
    out[1] = inputShape.get(1);
    System.arraycopy(child, 1, out, 2, child.length - 1);
    return Shape.of(out);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    layer.ensureBuilt(runtime(), List.of(childShape(inputShape)));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Shape s = inputs.shape();
    // (batch, timesteps, d...) -> (batch * timesteps, d...); static sizes stay known for the inner layer.
    long[] fold = new long[s.numDimensions() - 1];
    fold[0] = -1;
    for (int i = 2; i < s.numDimensions(); i++) {
      fold[i - 1] = s.get(i);
    }
    Operand<TFloat32> y = layer.invoke(List.of(tf.reshape(inputs, sizes(tf, inputs, fold, 1))), training);
    // (batch * timesteps, o...) -> (batch, timesteps, o...)
    Shape ys = y.shape();
    long[] unfold = new long[ys.numDimensions() + 1];
    unfold[0] = -1;
    unfold[1] = s.get(1);
    for (int i = 1; i < ys.numDimensions(); i++) {
      unfold[i + 1] = ys.get(i);
    }
    return tf.reshape(y, sizes(tf, inputs, y, unfold));
  }

  /** {@code dims} as a constant when only the first is unknown, else taken from the runtime shape of x. */
  private static Operand<TInt32> sizes(Ops tf, Operand<TFloat32> x, long[] dims, int skipped) {
    if (knownAfterFirst(dims)) {
      return constant(tf, dims);
    }
    // (-1, x.shape[1 + skipped:]...)
    int rank = x.shape().numDimensions();
    Operand<TInt32> rest = Shapes.dims(tf, x, 1 + skipped, rank - 1 - skipped);
    return tf.concat(List.of(tf.constant(new int[] {-1}), rest), tf.constant(0));
  }

  /** The unfolded shape: a constant when known, else (x.shape[0:2], y.shape[1:]) at run time. */
  private static Operand<TInt32> sizes(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, long[] dims) {
    if (knownAfterFirst(dims)) {
      return constant(tf, dims);
    }
    int yRank = y.shape().numDimensions();
    Operand<TInt32> lead = Shapes.dims(tf, x, 0, 2);
    Operand<TInt32> tail = Shapes.dims(tf, y, 1, yRank - 1);
    return tf.concat(List.of(lead, tail), tf.constant(0));
  }

  private static boolean knownAfterFirst(long[] dims) {
    for (int i = 1; i < dims.length; i++) {
      if (dims[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private static Operand<TInt32> constant(Ops tf, long[] dims) {
    int[] v = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      v[i] = (int) dims[i];
    }
    return tf.constant(v);
  }

  /** The wrapped layer. */
  public Layer layer() {
    return layer;
  }

  /** {@code layer}: the wrapped layer's class name and config. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("class_name", layer.getClass().getSimpleName());
    inner.put("config", layer.getConfig());
    c.put("layer", inner);
    return c;
  }
}
