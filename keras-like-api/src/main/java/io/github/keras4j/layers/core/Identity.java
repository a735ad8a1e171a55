package io.github.keras4j.layers.core;

import io.github.keras4j.layers.Layer;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A placeholder layer that returns its input unchanged, as Keras 3's {@code keras.layers.Identity}: useful where a
 * model's structure wants a layer but no computation (an optional block switched off). Masks pass through. The
 * output is the input read through one {@code Identity} op, so it has a name in the graph ({@code identity/Identity}).
 *
 * <pre>{@code
 * Layer head = usePooling ? new GlobalAveragePooling2D() : new Identity();
 * }</pre>
 */
public class Identity extends Layer {

  /** An identity layer with a generated name ({@code identity}, {@code identity_1}, ...). */
  public Identity() {
    this(null);
  }

  /** @param name the layer's name, or null for a generated one */
  public Identity(String name) {
    super(name);
    setSupportsMasking(true);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return tf.identity(inputs);
  }
}
