package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.AdadeltaUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * Adadelta (Zeiler, 2012), with Keras's defaults: {@code learningRate=0.001, rho=0.95, epsilon=1e-7}.
 *
 * <p>Moving averages of squared gradients {@code a} and of squared steps {@code d} set a per-element step:
 * {@code a = rho * a + (1 - rho) * g^2}, {@code delta = -sqrt(d + epsilon) * g / sqrt(a + epsilon)},
 * {@code d = rho * d + (1 - rho) * delta^2}, {@code w = w + learningRate * delta}; Keras 3's formula (see
 * {@link AdadeltaUpdate}). The paper has no learning rate (Keras's {@code learningRate=1.0} reproduces it); with
 * Keras's default 0.001 training is slow. Slots: {@code accumulated_grad} and {@code accumulated_delta_var}.
 *
 * <p>The learning rate is a number or a {@link LearningRateSchedule}; clipping is set with
 * {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, weight decay with {@link #weightDecay}.
 *
 * <pre>{@code model.compile(new Adadelta(1f), "mse");}</pre>
 */
public class Adadelta extends Optimizer {

  private final float rho;
  private final float epsilon;

  /** Adadelta with Keras's defaults. */
  public Adadelta() {
    this(0.001f);
  }

  /** Adadelta with the given learning rate and Keras's other defaults. */
  public Adadelta(float learningRate) {
    this(learningRate, 0.95f, 1e-7f);
  }

  /**
   * @param learningRate positive
   * @param rho decay of the moving averages, in [0, 1]
   * @param epsilon added inside the square roots, positive
   */
  public Adadelta(float learningRate, float rho, float epsilon) {
    super(new AdadeltaUpdate(Backend.uniqueName("adadelta"), learningRate, rho, epsilon));
    this.rho = rho;
    this.epsilon = epsilon;
  }

  /** Adadelta with a learning-rate schedule and Keras's other defaults. */
  public Adadelta(LearningRateSchedule learningRate) {
    this(learningRate, 0.95f, 1e-7f);
  }

  /**
   * As {@link #Adadelta(float, float, float)}, with the learning rate of step {@code k} given by
   * {@code learningRate.valueAt(k)}, computed in the graph.
   */
  public Adadelta(LearningRateSchedule learningRate, float rho, float epsilon) {
    super(new AdadeltaUpdate(Backend.uniqueName("adadelta"), inGraph(learningRate), rho, epsilon), learningRate);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("rho", rho);
    c.put("epsilon", epsilon);
    return c;
  }
}
