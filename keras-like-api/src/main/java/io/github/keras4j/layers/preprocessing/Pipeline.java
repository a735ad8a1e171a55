package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.SavedState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Applies a series of layers to an input, one after the other, as Keras 3's {@code keras.layers.Pipeline}: useful
 * for a preprocessing or data augmentation pipeline. Unlike a {@code Sequential} model it is a plain layer. The
 * {@code training} flag of the call reaches every layer, so augmentation layers augment in training and pass
 * inputs through in inference. The layers' weights (if any) count as the pipeline's.
 *
 * <p>Differences from Keras: the pipeline takes one input tensor; masks are not passed along the layers (an input
 * mask is dropped, with the warning every layer without masking support gives).
 *
 * <pre>{@code
 * Pipeline augment = new Pipeline(List.of(new Rescaling(1 / 255.0), new RandomFlip("horizontal", 42L, null)));
 * KerasTensor y = augment.apply(Input.of(32, 32, 3));     // (None, 32, 32, 3)
 * }</pre>
 */
public class Pipeline extends Layer {

  private final List<Layer> layers;

  /** A pipeline of {@code layers}, applied in order, with a generated name. */
  public Pipeline(List<? extends Layer> layers) {
    this(layers, null);
  }

  /**
   * @param layers the layers, applied in order (at least one)
   * @param name the layer's name, or null for a generated one
   */
  public Pipeline(List<? extends Layer> layers, String name) {
    super(name);
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException(describe() + ": `Pipeline` needs a non-empty list of layers. Received: "
          + "layers=" + layers);
    }
    List<Layer> own = new ArrayList<>();
    for (Layer l : layers) {
      if (l == null) {
        throw new IllegalArgumentException(describe() + ": the list of layers contains null. Received: layers="
            + layers);
      }
      own.add(trackLayer(l));
    }
    this.layers = Collections.unmodifiableList(own);
  }

  /** The layers, in the order they are applied. */
  public List<Layer> layers() {
    return layers;
  }

  /** Keras's {@code layers} property (visited before {@code _pipeline_layers}): {@code layers/normalization}, ... */
  @Override
  public Map<String, Layer> savedChildren() {
    return SavedState.listAttribute("layers", layers);
  }

  /** The input shape of each layer in turn, then the output shape; checks each layer's input spec. */
  private List<Shape> shapes(Shape inputShape) {
    List<Shape> out = new ArrayList<>();
    Shape s = inputShape;
    for (Layer l : layers) {
      if (l.inputSpec() != null) {
        l.inputSpec().check(l.name(), 0, s);
      }
      out.add(s);
      s = l.computeOutputShape(s);
    }
    out.add(s);
    return out;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    List<Shape> s = shapes(inputShape);
    return s.get(s.size() - 1);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    List<Shape> s = shapes(inputShape);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).ensureBuilt(runtime(), List.of(s.get(i)));
    }
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> x = inputs;
    for (Layer l : layers) {
      x = l.invoke(List.of(x), training);
    }
    return x;
  }

  /** {@code layers}: each layer's class name and config, in order. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    List<Map<String, Object>> saved = new ArrayList<>();
    for (Layer l : layers) {
      Map<String, Object> inner = new LinkedHashMap<>();
      inner.put("class_name", l.className());
      inner.put("config", l.getConfig());
      saved.add(inner);
    }
    c.put("layers", saved);
    return c;
  }
}
