package io.github.keras4j.callbacks;

import io.github.keras4j.optimizers.LossScaleOptimizer;
import io.github.keras4j.optimizers.MultiOptimizer;
import io.github.keras4j.optimizers.Optimizer;
import java.util.List;
import java.util.Map;

/**
 * How the learning-rate callbacks see an optimizer, as Keras's do: a {@link MultiOptimizer} has no learning rate of
 * its own, so its inner optimizers' rates are read, set and logged one by one ({@code learning_rate_<name>}), Keras's
 * {@code hasattr(optimizer, "optimizers")} branch; a {@link LossScaleOptimizer} is seen through to its inner
 * optimizer (its learning rate is the inner one's anyway).
 */
final class LearningRates {

  private LearningRates() {}

  /**
   * The optimizers whose learning rates are handled one by one: the inner optimizers of a {@link MultiOptimizer}
   * (also one wrapped in a {@link LossScaleOptimizer}), in {@link MultiOptimizer#optimizers()} order; null for an
   * optimizer with one learning rate.
   */
  static List<Optimizer> perOptimizer(Optimizer optimizer) {
    Optimizer unwrapped = optimizer instanceof LossScaleOptimizer l ? l.getInnerOptimizer() : optimizer;
    return unwrapped instanceof MultiOptimizer m ? m.optimizers() : null;
  }

  /**
   * Writes the learning rate into {@code logs}: {@code learning_rate}, or for a {@link MultiOptimizer}
   * {@code learning_rate_<inner optimizer's name>} for each inner optimizer.
   */
  static void log(Optimizer optimizer, Map<String, Double> logs) {
    List<Optimizer> each = perOptimizer(optimizer);
    if (each == null) {
      logs.put("learning_rate", (double) optimizer.getLearningRate());
      return;
    }
    for (Optimizer o : each) {
      logs.put("learning_rate_" + o.name(), (double) o.getLearningRate());
    }
  }
}
