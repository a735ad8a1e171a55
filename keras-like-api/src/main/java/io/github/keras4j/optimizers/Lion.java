package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.LionUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"), with Keras's defaults:
 * {@code learningRate=0.001, beta1=0.9, beta2=0.99}.
 *
 * <p>Steps by the sign of an interpolation of momentum and gradient:
 * {@code w = w - learningRate * sign(beta1 * m + (1 - beta1) * g)}, then {@code m = beta2 * m + (1 - beta2) * g};
 * Keras 3's formula (see {@link LionUpdate}). Every weight moves by {@code learningRate} per step, so Lion wants a
 * learning rate 3-10 times smaller than AdamW's (and a weight decay that much larger). Slot: {@code momentum}.
 *
 * <p>The learning rate is a number or a {@link LearningRateSchedule}; clipping is set with
 * {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, weight decay with {@link #weightDecay}.
 *
 * <pre>{@code model.compile(new Lion(1e-4f).weightDecay(0.1f), "mse");}</pre>
 */
public class Lion extends Optimizer {

  private final float beta1;
  private final float beta2;

  /** Lion with Keras's defaults. */
  public Lion() {
    this(0.001f);
  }

  /** Lion with the given learning rate and Keras's other defaults. */
  public Lion(float learningRate) {
    this(learningRate, 0.9f, 0.99f);
  }

  /**
   * @param learningRate positive
   * @param beta1 weight of the momentum in the step's direction, in (0, 1] (Keras's {@code beta_1}; Keras refuses
   *     0, with which Lion degenerates to SignSGD)
   * @param beta2 decay of the momentum, in [0, 1] (Keras's {@code beta_2})
   */
  public Lion(float learningRate, float beta1, float beta2) {
    super(new LionUpdate(Backend.uniqueName("lion"), learningRate, beta1, beta2));
    this.beta1 = beta1;
    this.beta2 = beta2;
  }

  /** Lion with a learning-rate schedule and Keras's other defaults. */
  public Lion(LearningRateSchedule learningRate) {
    this(learningRate, 0.9f, 0.99f);
  }

  /**
   * As {@link #Lion(float, float, float)}, with the learning rate of step {@code k} given by
   * {@code learningRate.valueAt(k)}, computed in the graph.
   */
  public Lion(LearningRateSchedule learningRate, float beta1, float beta2) {
    super(new LionUpdate(Backend.uniqueName("lion"), inGraph(learningRate), beta1, beta2), learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    return c;
  }
}
