package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.NadamUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;

/**
 * Nadam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam"), with Keras's defaults:
 * {@code learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7}.
 *
 * <p>Adam whose first-moment term looks one step ahead, with Keras 3's momentum schedule
 * {@code u_t = beta1 * (1 - 0.5 * 0.96^t)}; the exact formula is in {@link NadamUpdate}. Besides the {@code momentum}
 * and {@code velocity} slots the optimizer keeps one scalar, the product of the {@code u_t} so far, saved with them.
 *
 * <p>The learning rate is a number or a {@link LearningRateSchedule}; clipping is set with
 * {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, weight decay with {@link #weightDecay}.
 *
 * <pre>{@code model.compile(new Nadam(0.002f), "mse");}</pre>
 */
public class Nadam extends MomentOptimizer {

  /** Nadam with Keras's defaults. */
  public Nadam() {
    this(0.001f);
  }

  /** Nadam with the given learning rate and Keras's other defaults. */
  public Nadam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /**
   * @param learningRate positive
   * @param beta1 decay of the first-moment estimate, in [0, 1) (Keras's {@code beta_1})
   * @param beta2 decay of the second-moment estimate, in [0, 1) (Keras's {@code beta_2})
   * @param epsilon added to the square root of the second moment, {@code >= 0}
   */
  public Nadam(float learningRate, float beta1, float beta2, float epsilon) {
    super(new NadamUpdate(Backend.uniqueName("nadam"), learningRate, beta1, beta2, epsilon), null, beta1, beta2,
        epsilon);
  }

  /** Nadam with a learning-rate schedule and Keras's other defaults. */
  public Nadam(LearningRateSchedule learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /**
   * As {@link #Nadam(float, float, float, float)}, with the learning rate of step {@code k} given by
   * {@code learningRate.valueAt(k)}, computed in the graph.
   */
  public Nadam(LearningRateSchedule learningRate, float beta1, float beta2, float epsilon) {
    super(new NadamUpdate(Backend.uniqueName("nadam"), inGraph(learningRate), beta1, beta2, epsilon),
        learningRate, beta1, beta2, epsilon);
  }
}
