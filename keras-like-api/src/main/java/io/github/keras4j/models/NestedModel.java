package io.github.keras4j.models;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.SavedState;
import io.github.keras4j.saving.ModelConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A model used as a layer of another model, as a Keras model is a layer: a pretrained base under a new head, or
 * one encoder applied to two inputs. Get it from {@link Model#asLayer()}, or let {@link Model#apply(KerasTensor)}
 * and {@link Sequential#add(Model)} get it for you:
 *
 * <pre>{@code
 * Sequential base = new Sequential(new InputLayer(784), new Dense(64, "relu"));
 * base.setTrainable(false);                                   // freeze the base, as base.trainable = False
 * Sequential classifier = new Sequential(base.asLayer(), new Dense(10, "softmax"));
 * // or functional: KerasTensor features = base.apply(inputs);
 * }</pre>
 *
 * <p>The layer shares the model's weights: training the outer model trains them (unless frozen), and the model
 * itself predicts with the trained values. Its trainable weights are the model's, so {@link Model#setTrainable}
 * on the model, or {@link #setTrainable} on this layer, freezes it; a frozen {@code BatchNormalization} inside
 * runs in inference mode, as in Keras. The outer model's summary shows the layer as {@code base (Sequential)} or
 * {@code (Functional)}, and {@link Model#save} stores the model's config nested in the outer one, as Keras does.
 *
 * <p>A model on string inputs ({@code Input.ofStrings}, feeding a {@code StringLookup} or {@code TextVectorization})
 * nests the same way: the layer takes string tensors at those inputs and numbers at the others (each input's dtype
 * is checked when the layer is applied), and its output has the dtype of the model's output.
 *
 * <p>Java differences from Keras: the model has to be wrapped once by {@code asLayer()} where Keras passes the
 * model itself (a Java {@code Model} is not a {@link Layer}); {@code getLayer("base")} of the outer model returns
 * this layer, whose {@link #model()} is the model. As every Keras4J layer, it has one output: a model with several
 * outputs cannot be nested. A mask reaching the layer is dropped (with Keras's warning), and the layers of the
 * model are those it has when the outer model is built.
 */
public final class NestedModel extends Layer {

  private final Model model;
  private final boolean owned;

  private NestedModel(Model model, boolean owned) {
    super(model.name());
    if (model.isBuilt()) {
      checkOneOutput(model);
    }
    this.model = model;
    this.owned = owned;
  }

  /** Engine use: the layer of {@link Model#asLayer()}, which leaves the model to its owner. */
  static NestedModel of(Model model) {
    return new NestedModel(model, false);
  }

  /**
   * A layer for a model that nothing else holds, such as one rebuilt by loading: the outer model closes it when it
   * is closed itself. Loading uses it; code that builds models uses {@link Model#asLayer()}.
   */
  public static NestedModel owning(Model model) {
    return new NestedModel(model, true);
  }

  /** The model this layer applies. */
  public Model model() {
    return model;
  }

  /** Whether the outer model closes the model (a model rebuilt by loading). */
  boolean owned() {
    return owned;
  }

  /**
   * The dtype of the model's first input ({@link KerasTensor#STRING} for a model on {@code Input.ofStrings}); float32
   * while a deferred Sequential has no input yet.
   */
  @Override
  public String inputDtype() {
    return inputDtype(0);
  }

  /**
   * The dtype of the model's input {@code index}, so that applying this layer checks each tensor against the input it
   * feeds: a string tensor may feed only a string input, and the reverse. Float32 while a deferred Sequential has no
   * input yet, or past the model's inputs (the count is checked with the shapes).
   */
  @Override
  public String inputDtype(int index) {
    List<KerasTensor> ins = model.isBuilt() ? model.inputs() : List.of();
    return index < ins.size() ? ins.get(index).dtype() : KerasTensor.FLOAT32;
  }

  /** The dtype of the model's output: strings for a model ending in a string layer ({@code invert} StringLookup). */
  @Override
  public String outputDtype() {
    return model.isBuilt() ? model.outputs().get(0).dtype() : KerasTensor.FLOAT32;
  }

  /** {@code Sequential} or {@code Functional}, Keras's class name of the model, for summaries and saving. */
  @Override
  public String className() {
    return model instanceof Sequential ? "Sequential" : "Functional";
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return computeOutputShape(List.of(inputShape));
  }

  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    if (!model.isBuilt()) {
      model.buildFromShapes(inputShapes);
    }
    List<KerasTensor> ins = model.inputs();
    if (inputShapes.size() != ins.size()) {
      throw new IllegalArgumentException("Layer '" + name() + "' (model) expects " + ins.size() + " input(s), but it "
          + "received " + inputShapes.size() + " input tensors");
    }
    for (int i = 0; i < ins.size(); i++) {
      Shape expected = ins.get(i).shape();
      Shape found = inputShapes.get(i);
      if (!Shapes.compatible(expected, found)) {
        throw new IllegalArgumentException("Input " + i + " of layer '" + name() + "' is incompatible with the "
            + "layer: expected shape=" + Shapes.format(expected) + ", found shape=" + Shapes.format(found));
      }
    }
    checkOneOutput(model);
    long[] out = model.outputs().get(0).shape().asArray().clone();
    out[0] = inputShapes.get(0).get(0);
    return Shape.of(out);
  }

  /** A layer has one output. */
  private static void checkOneOutput(Model model) {
    if (model.outputs().size() != 1) {
      throw new IllegalArgumentException("Model '" + model.name() + "' has " + model.outputs().size()
          + " outputs; only a model with one output can be used as a layer of another model");
    }
  }

  /** Tracks the model's layers; {@link #computeOutputShape} has built a deferred model already. */
  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {
    if (model.runtime() != runtime()) {
      throw new IllegalArgumentException("Model '" + model.name() + "' was built in another graph than the model "
          + "using it as a layer: models created before Backend.clearSession() cannot be mixed with later ones");
    }
    if (contains(model, new HashSet<>())) {
      throw new IllegalArgumentException("Model '" + model.name() + "' cannot be a layer of itself (directly or "
          + "through a model nested in it)");
    }
    for (Layer l : model.allLayers()) {
      if (!(l instanceof InputLayer)) {
        trackLayer(l);
      }
    }
  }

  /** Whether {@code m}, or a model nested in it, holds this layer. */
  private boolean contains(Model m, Set<Model> visited) {
    if (!visited.add(m)) {
      return false;
    }
    for (Layer l : m.allLayers()) {
      if (l == this || (l instanceof NestedModel n && contains(n.model, visited))) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return model.call(List.of(inputs), training).get(0);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, boolean training) {
    return model.call(inputs, training).get(0);
  }

  /** Freezes or unfreezes every layer of the model, as {@link Model#setTrainable}. */
  @Override
  public void setTrainable(boolean trainable) {
    super.setTrainable(trainable);
    model.setTrainable(trainable);
  }

  /** Whether any layer of the model is trainable. */
  @Override
  public boolean isTrainable() {
    return model.isTrainable();
  }

  /** The model's trainable weights (its frozen layers' excluded). */
  @Override
  public List<GraphVariable> trainableVariables() {
    return new ArrayList<>(model.trainableVariables());
  }

  /**
   * Keras's layout of a model used as a layer: its {@code layers} ({@code layers/dense}, {@code layers/dense_1}, ...,
   * with the input layers of a functional model), each under the nested model's own group.
   */
  @Override
  public Map<String, Layer> savedChildren() {
    return SavedState.listAttribute("layers", model.layers());
  }

  /** The model's config ({@code name}, {@code trainable}, {@code layers}, ...), as Keras nests it. */
  @Override
  public Map<String, Object> getConfig() {
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) ModelConfig.serialize(model).get("config");
    return config;
  }
}
