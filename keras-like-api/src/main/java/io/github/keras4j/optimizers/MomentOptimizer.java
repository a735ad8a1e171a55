package io.github.keras4j.optimizers;

import io.github.keras4j.graph.optimizers.GraphOptimizer;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * The settings that {@link Adam} (and {@link AdamW}), {@link Adamax}, {@link Nadam} and {@link Lamb} share: the
 * decay rates of their two moment estimates, {@code beta1} and {@code beta2}, and {@code epsilon}, written to the
 * config as Keras's {@code beta_1}, {@code beta_2} and {@code epsilon}. The graph update checks their ranges.
 */
abstract class MomentOptimizer extends Optimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;

  /**
   * @param schedule the learning-rate schedule {@code update} was built with, or null for a numeric rate
   */
  MomentOptimizer(GraphOptimizer update, LearningRateSchedule schedule, float beta1, float beta2, float epsilon) {
    super(update, schedule);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    return c;
  }
}
