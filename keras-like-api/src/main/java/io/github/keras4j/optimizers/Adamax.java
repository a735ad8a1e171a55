package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.AdamaxUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;

/**
 * Adamax (Kingma and Ba, 2014, section 7.1), Adam with the infinity norm, with Keras's defaults:
 * {@code learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7}.
 *
 * <p>With step {@code t}: {@code m = m + (g - m) * (1 - beta1)}, {@code u = max(beta2 * u, |g|)},
 * {@code w = w - learningRate * m / ((1 - beta1^t) * (u + epsilon))}; Keras 3's formula (see
 * {@link AdamaxUpdate}). Slots: {@code momentum} and {@code norm}.
 *
 * <p>The learning rate is a number or a {@link LearningRateSchedule}; clipping is set with
 * {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, weight decay with {@link #weightDecay}.
 *
 * <pre>{@code model.compile(new Adamax(0.002f), "mse");}</pre>
 */
public class Adamax extends MomentOptimizer {

  /** Adamax with Keras's defaults. */
  public Adamax() {
    this(0.001f);
  }

  /** Adamax with the given learning rate and Keras's other defaults. */
  public Adamax(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /**
   * @param learningRate positive
   * @param beta1 decay of the first-moment estimate, in [0, 1) (Keras's {@code beta_1})
   * @param beta2 decay of the infinity norm, in [0, 1] (Keras's {@code beta_2})
   * @param epsilon added to the infinity norm, {@code >= 0}
   */
  public Adamax(float learningRate, float beta1, float beta2, float epsilon) {
    super(new AdamaxUpdate(Backend.uniqueName("adamax"), learningRate, beta1, beta2, epsilon), null, beta1, beta2,
        epsilon);
  }

  /** Adamax with a learning-rate schedule and Keras's other defaults. */
  public Adamax(LearningRateSchedule learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /**
   * As {@link #Adamax(float, float, float, float)}, with the learning rate of step {@code k} given by
   * {@code learningRate.valueAt(k)}, computed in the graph.
   */
  public Adamax(LearningRateSchedule learningRate, float beta1, float beta2, float epsilon) {
    super(new AdamaxUpdate(Backend.uniqueName("adamax"), inGraph(learningRate), beta1, beta2, epsilon),
        learningRate, beta1, beta2, epsilon);
  }
}
