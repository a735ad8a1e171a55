package io.github.keras4j.models;

import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * A plain stack of layers, each with one input and one output, as Keras's {@code keras.Sequential}.
 *
 * <pre>{@code
 * try (Sequential model = new Sequential(
 *     new InputLayer(2),
 *     new Dense(8, "tanh"),
 *     new Dense(1, "sigmoid"))) {
 *   model.compile(new Adam(0.05f), "binary_crossentropy", "accuracy");
 *   model.fit(x, y, new FitOptions().epochs(300).verbose(0));
 * }
 * }</pre>
 *
 * <p>Like Keras, Sequential is a functional {@link Model} built for you: with an {@link InputLayer} first (or a
 * built model, {@link Model#asLayer()}), the layer graph is built at once; without one it is built from the shape
 * of the first data given to fit, evaluate or predict (or by {@link #build(long...)}). {@link #layers()} does not
 * list the input layer.
 */
public class Sequential extends Model {

  private final List<Layer> stack = new ArrayList<>();
  private InputLayer inputLayer;

  /** A Sequential model of the given layers; an {@link InputLayer} may come first. */
  public Sequential(Layer... layers) {
    this(null, List.of(layers));
  }

  /** A named Sequential model. */
  public Sequential(String name, List<Layer> layers) {
    super(name, "sequential");
    for (Layer l : layers) {
      addLayer(l);
    }
    rebuild();
  }

  /** Adds a layer on top of the stack. */
  public void add(Layer layer) {
    addLayer(layer);
    rebuild();
  }

  /**
   * Adds a model on top of the stack, as a layer sharing its weights ({@link Model#asLayer()}), as Keras's
   * {@code model.add(base)}.
   */
  public void add(Model model) {
    if (model == this) {
      throw new IllegalArgumentException("Sequential model '" + name() + "' cannot be a layer of itself");
    }
    add(model.asLayer());
  }

  /** Removes the last layer. */
  public Layer pop() {
    if (stack.isEmpty()) {
      throw new IllegalStateException("There are no layers in model '" + name() + "' to pop");
    }
    Layer removed = stack.remove(stack.size() - 1);
    rebuild();
    return removed;
  }

  private void addLayer(Layer layer) {
    if (layer == null) {
      throw new IllegalArgumentException("Sequential: layers must not be null");
    }
    if (layer instanceof InputLayer in) {
      if (inputLayer != null || !stack.isEmpty()) {
        throw new IllegalArgumentException("Sequential model '" + name() + "': an InputLayer can only be the "
            + "first layer");
      }
      inputLayer = in;
      return;
    }
    if (stack.contains(layer)) {
      throw new IllegalArgumentException("Sequential model '" + name() + "' already contains layer '"
          + layer.name() + "'");
    }
    List<Layer> present = new ArrayList<>(stack);
    if (inputLayer != null) {
      present.add(inputLayer);
    }
    for (Layer other : present) {
      if (other.name().equals(layer.name())) {
        throw new IllegalArgumentException("All layers added to a Sequential model should have unique names. Name '"
            + layer.name() + "' is already the name of a layer in model '" + name() + "'. Update the `name` "
            + "argument to pass a unique name.");
      }
    }
    stack.add(layer);
  }

  /** Builds the model for inputs of the given per-sample shape, if it has no InputLayer yet. */
  public void build(long... inputShape) {
    if (inputLayer == null) {
      inputLayer = new InputLayer(inputShape);
    }
    rebuild();
  }

  @Override
  protected void buildFromShapes(List<Shape> inputShapes) {
    if (inputShapes.size() != 1) {
      throw new IllegalArgumentException("Sequential model '" + name() + "' takes one input, received "
          + inputShapes.size());
    }
    long[] dims = inputShapes.get(0).asArray();
    build(java.util.Arrays.copyOfRange(dims, 1, dims.length));
  }

  private void rebuild() {
    if (inputLayer == null && !stack.isEmpty() && stack.get(0) instanceof NestedModel first
        && first.model().isBuilt() && first.model().inputs().size() == 1) {
      // As Keras: a built model first gives the Sequential its input shape.
      long[] dims = first.model().inputs().get(0).shape().asArray();
      inputLayer = new InputLayer(null, first.model().inputs().get(0).dtype(),
          java.util.Arrays.copyOfRange(dims, 1, dims.length));
    }
    if (inputLayer == null || stack.isEmpty()) {
      return;
    }
    KerasTensor x = inputLayer.output();
    for (Layer l : stack) {
      x = l.apply(x);
    }
    initGraph(List.of(inputLayer.output()), List.of(x));
  }

  /** The stacked layers, without the input layer. */
  @Override
  public List<Layer> layers() {
    return Collections.unmodifiableList(stack);
  }

  @Override
  List<Layer> allLayers() {
    return layers();
  }

  @Override
  boolean sequentialLike() {
    return true;
  }
}
