package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.LambUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;

/**
 * Keras's {@code keras.optimizers.Lamb} (You et al., 2020, "Large Batch Optimization for Deep Learning"), with
 * Keras's defaults: {@code learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7}.
 *
 * <p>Adam's bias-corrected direction {@code update = m_hat / (sqrt(v_hat) + epsilon)}, rescaled per variable by the
 * trust ratio {@code ||w|| / ||update||} (1 when either norm is 0): {@code w = w - ratio * learningRate * update}, so
 * every variable moves by {@code learningRate * ||w||} in norm, which keeps large-batch training stable. Keras 3's
 * formulas (see {@link LambUpdate}). Slots: {@code momentum} and {@code velocity}, as in Keras.
 *
 * <p>The learning rate is a number or a {@link LearningRateSchedule}; clipping is set with
 * {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, weight decay with {@link #weightDecay}. Java
 * differs from Keras in checking the settings: {@code beta1} and {@code beta2} must be in [0, 1) and {@code epsilon}
 * at least 0 (Keras takes any value).
 *
 * <pre>{@code model.compile(new Lamb(0.01f).weightDecay(0.01f), "mse");}</pre>
 */
public class Lamb extends MomentOptimizer {

  /** Lamb with Keras's defaults. */
  public Lamb() {
    this(0.001f);
  }

  /** Lamb with the given learning rate and Keras's other defaults. */
  public Lamb(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /**
   * @param learningRate positive
   * @param beta1 decay of the first-moment estimate, in [0, 1) (Keras's {@code beta_1})
   * @param beta2 decay of the second-moment estimate, in [0, 1) (Keras's {@code beta_2})
   * @param epsilon added to the bias-corrected {@code sqrt(v)}, outside the square root, {@code >= 0}
   */
  public Lamb(float learningRate, float beta1, float beta2, float epsilon) {
    super(new LambUpdate(Backend.uniqueName("lamb"), learningRate, beta1, beta2, epsilon), null, beta1, beta2,
        epsilon);
  }

  /** Lamb with a learning-rate schedule and Keras's other defaults. */
  public Lamb(LearningRateSchedule learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /**
   * As {@link #Lamb(float, float, float, float)}, with the learning rate of step {@code k} given by
   * {@code learningRate.valueAt(k)}, computed in the graph.
   */
  public Lamb(LearningRateSchedule learningRate, float beta1, float beta2, float epsilon) {
    super(new LambUpdate(Backend.uniqueName("lamb"), inGraph(learningRate), beta1, beta2, epsilon), learningRate,
        beta1, beta2, epsilon);
  }
}
