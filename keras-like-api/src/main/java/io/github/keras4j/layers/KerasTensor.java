package io.github.keras4j.layers;

import io.github.keras4j.graph.Shapes;
import org.tensorflow.ndarray.Shape;

/**
 * A symbolic tensor: the output of calling a layer on {@link Input}s or on other symbolic tensors.
 *
 * <p>It holds no data and no TensorFlow op, only its shape (batch dimension unknown, printed {@code None}) and
 * the {@link Node} that produced it. A {@link io.github.keras4j.models.Model} is defined by its input and output
 * KerasTensors and traces the graph of nodes between them into TensorFlow ops when it needs them.
 */
public final class KerasTensor {

  /** The dtype of numeric tensors: every tensor of a model but string inputs and text layers' string outputs. */
  public static final String FLOAT32 = "float32";
  /** The dtype of string tensors ({@link Input#ofStrings}); only text preprocessing layers take them. */
  public static final String STRING = "string";

  private final Shape shape;
  private final String dtype;
  private final Node node;
  private final int index;

  KerasTensor(Shape shape, String dtype, Node node, int index) {
    this.shape = shape;
    this.dtype = dtype;
    this.node = node;
    this.index = index;
  }

  /** The shape, with -1 for the batch dimension. */
  public Shape shape() {
    return shape;
  }

  /** {@link #FLOAT32} (numbers, as float32) or {@link #STRING}, as Keras's {@code KerasTensor.dtype}. */
  public String dtype() {
    return dtype;
  }

  /** The node (layer call) that produced this tensor. */
  public Node node() {
    return node;
  }

  /** The position of this tensor among its node's outputs. */
  public int index() {
    return index;
  }

  /** The layer that produced this tensor. */
  public Layer layer() {
    return node.layer();
  }

  @Override
  public String toString() {
    return "<KerasTensor shape=" + Shapes.format(shape) + (dtype.equals(FLOAT32) ? "" : ", dtype=" + dtype)
        + ", name=" + node.layer().name() + ">";
  }
}
