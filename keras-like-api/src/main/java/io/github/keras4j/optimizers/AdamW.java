package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.AdamUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;

/**
 * AdamW (Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization"), with Keras's defaults:
 * {@code learningRate=0.001, weightDecay=0.004, beta1=0.9, beta2=0.999, epsilon=1e-7, amsgrad=false}.
 *
 * <p>As in Keras, AdamW is {@link Adam} with the base-class weight decay set: before each update every variable
 * not excluded ({@link #excludeFromWeightDecay}) becomes {@code w - w * weightDecay * learningRate}, then Adam's
 * update is applied. Its config is Adam's, {@code weight_decay} included.
 *
 * <pre>{@code model.compile(new AdamW(0.001f, 0.01f).excludeFromWeightDecay("bias"), "mse");}</pre>
 */
public class AdamW extends Adam {

  /** AdamW with Keras's defaults. */
  public AdamW() {
    this(0.001f);
  }

  /** AdamW with the given learning rate and Keras's other defaults. */
  public AdamW(float learningRate) {
    this(learningRate, 0.004f);
  }

  /** AdamW with the given learning rate and weight decay, and Keras's other defaults. */
  public AdamW(float learningRate, float weightDecay) {
    this(learningRate, weightDecay, 0.9f, 0.999f, 1e-7f, false);
  }

  /**
   * @param learningRate positive
   * @param weightDecay decay rate of the weights per unit of learning rate, {@code >= 0}
   * @param beta1 decay of the first-moment estimate, in [0, 1) (Keras's {@code beta_1})
   * @param beta2 decay of the second-moment estimate, in [0, 1) (Keras's {@code beta_2})
   * @param epsilon added to {@code sqrt(v)}, outside the square root, {@code >= 0}
   * @param amsgrad whether to divide by the running maximum of the second-moment estimate
   */
  public AdamW(float learningRate, float weightDecay, float beta1, float beta2, float epsilon, boolean amsgrad) {
    super(new AdamUpdate(Backend.uniqueName("adamw"), learningRate, beta1, beta2, epsilon, amsgrad), null, beta1,
        beta2, epsilon, amsgrad);
    setWeightDecay(weightDecay);
  }

  /** AdamW with a learning-rate schedule and Keras's other defaults. */
  public AdamW(LearningRateSchedule learningRate) {
    this(learningRate, 0.004f, 0.9f, 0.999f, 1e-7f, false);
  }

  /**
   * As {@link #AdamW(float, float, float, float, float, boolean)}, with the learning rate of step {@code k} given by
   * {@code learningRate.valueAt(k)}, computed in the graph (the weight decay of that step uses it too).
   */
  public AdamW(LearningRateSchedule learningRate, float weightDecay, float beta1, float beta2, float epsilon,
      boolean amsgrad) {
    super(new AdamUpdate(Backend.uniqueName("adamw"), inGraph(learningRate), beta1, beta2, epsilon, amsgrad),
        learningRate, beta1, beta2, epsilon, amsgrad);
    setWeightDecay(weightDecay);
  }
}
