package io.github.keras4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/** One call of a layer on symbolic inputs: the layer, the tensors it consumed and the tensors it produced. */
public final class Node {

  private final Layer layer;
  private final List<KerasTensor> inputs;
  private final List<KerasTensor> outputs = new ArrayList<>();

  Node(Layer layer, List<KerasTensor> inputs, List<Shape> outputShapes, String outputDtype) {
    this.layer = layer;
    this.inputs = List.copyOf(inputs);
    for (int i = 0; i < outputShapes.size(); i++) {
      outputs.add(new KerasTensor(outputShapes.get(i), outputDtype, this, i));
    }
  }

  /** The called layer. */
  public Layer layer() {
    return layer;
  }

  /** The symbolic inputs of the call (empty for an input layer). */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** The symbolic outputs of the call. */
  public List<KerasTensor> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  /** The input shapes of the call. */
  public List<Shape> inputShapes() {
    List<Shape> shapes = new ArrayList<>();
    for (KerasTensor t : inputs) {
      shapes.add(t.shape());
    }
    return shapes;
  }
}
