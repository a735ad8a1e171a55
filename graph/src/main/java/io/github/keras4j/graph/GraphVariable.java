package io.github.keras4j.graph;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A float variable in a {@link GraphRuntime}.
 *
 * @param name the full op name, such as {@code dense/kernel}
 * @param variable the ref variable, the target of assign and apply ops
 * @param value the variable's shared read through an {@code Identity} (see {@link #value()} and
 *     {@link #sharedValue()})
 * @param shape the variable's shape
 * @param trainable whether optimizers should update it
 */
public record GraphVariable(
    String name, Variable<TFloat32> variable, Operand<TFloat32> value, Shape shape, boolean trainable) {

  /**
   * The variable read through an {@code Identity}: use this in computations. Normally the one shared read
   * created with the variable ({@link #sharedValue()}), which runs at most once per {@code Session.run}; while a
   * step is traced inside {@link GraphRuntime#readsAfter} (one copy of a multi-step execution), a fresh read of
   * this variable that waits for the given ops (the previous copy's update), one per variable and context.
   */
  @Override
  public Operand<TFloat32> value() {
    return GraphRuntime.currentRead(variable, value);
  }

  /** The one shared {@code Identity} read created with the variable, whatever read context is active. */
  public Operand<TFloat32> sharedValue() {
    return value;
  }

  /** Number of scalars in the variable. */
  public long size() {
    return shape.size();
  }
}
