package io.github.keras4j.layers;

import io.github.keras4j.graph.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * The entry point of a model: declares the shape of one input (without the batch dimension).
 *
 * <p>Use {@link Input#of(long...)} in functional models and {@code new InputLayer(784)} as the first layer of
 * a {@link io.github.keras4j.models.Sequential}.
 */
public class InputLayer extends Layer {

  private final long[] shape;
  private final String dtype;
  private final KerasTensor output;

  /** An input of the given per-sample shape, such as {@code 784} or {@code 28, 28, 1}. */
  public InputLayer(long... shape) {
    this(null, shape);
  }

  /** A named input; the name becomes the input's name in exported SavedModels. */
  public InputLayer(String name, long... shape) {
    this(name, KerasTensor.FLOAT32, shape);
  }

  /**
   * A named input of the given dtype: {@link KerasTensor#FLOAT32} or {@link KerasTensor#STRING} (fed
   * {@code String[]}, {@code String[][]}, ...; only text preprocessing layers take it).
   *
   * @param name the input's name, or null for a generated one
   */
  public InputLayer(String name, String dtype, long... shape) {
    super(name);
    if (!KerasTensor.FLOAT32.equals(dtype) && !KerasTensor.STRING.equals(dtype)) {
      throw new IllegalArgumentException("InputLayer '" + name() + "': dtype must be 'float32' or 'string'. "
          + "Received: dtype=" + dtype);
    }
    this.dtype = dtype;
    for (long d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException("InputLayer '" + name() + "': every dimension of shape must be positive "
            + "(only the batch size is left open; pad sequences to one length). Received: shape="
            + Shapes.formatAsGiven(shape));
      }
    }
    this.shape = shape.clone();
    long[] batched = new long[shape.length + 1];
    batched[0] = Shape.UNKNOWN_SIZE;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    this.output = recordInputNode(Shape.of(batched), dtype);
  }

  /** The symbolic tensor this input provides. */
  public KerasTensor output() {
    return output;
  }

  /** The per-sample shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** The input's dtype: {@link KerasTensor#FLOAT32} or {@link KerasTensor#STRING}. */
  public String dtype() {
    return dtype;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    // Keras's form: a list with null for the unknown batch size.
    List<Long> batchShape = new ArrayList<>();
    for (long d : output.shape().asArray()) {
      batchShape.add(d < 0 ? null : d);
    }
    c.put("batch_shape", batchShape);
    c.put("dtype", dtype);
    return c;
  }
}
