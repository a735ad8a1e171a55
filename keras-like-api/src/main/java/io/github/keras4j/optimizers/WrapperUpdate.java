package io.github.keras4j.optimizers;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.optimizers.GraphOptimizer;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The graph update behind a wrapper optimizer ({@link LossScaleOptimizer}, {@link MultiOptimizer}): it changes no
 * variable, it only gives the wrapper its name and, when its {@link #applyGradients} runs, a step counter that
 * advances once the update's barrier (the inner optimizers' updates) is done. Its learning rate is a constant 0
 * (Keras builds its wrappers with {@code learning_rate=0.0}); the wrappers never use it.
 */
final class WrapperUpdate extends GraphOptimizer {

  /** A wrapper's update named {@code name} ({@code multi_optimizer}). */
  WrapperUpdate(String name) {
    super(name, (tf, iterations) -> tf.constant(0f));
  }

  /** Changes nothing: the wrapped optimizers update the variables. */
  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    return tf.noOp();
  }
}
