package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.AdamUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * Adam, with Keras's defaults: {@code learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7, amsgrad=false}.
 *
 * <p>With step {@code t}, first and second moment estimates {@code m = m + (g - m) * (1 - beta1)},
 * {@code v = v + (g^2 - v) * (1 - beta2)}, and
 * {@code w = w - m * learningRate * sqrt(1 - beta2^t) / (1 - beta1^t) / (sqrt(v) + epsilon)}; with {@code amsgrad}
 * the running maximum of {@code v} replaces {@code v} in the last step. Keras 3's formulas; see
 * {@link AdamUpdate} for the float-rounding-level differences of the fused kernel.
 *
 * <p>The learning rate is a number or a {@link LearningRateSchedule}; clipping is set with
 * {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, weight decay with {@link #weightDecay} (or use
 * {@link AdamW}).
 *
 * <pre>{@code
 * model.compile(new Adam(0.01f), "mse");
 * model.compile(new Adam(new ExponentialDecay(0.01, 1000, 0.9)).clipnorm(1f), "mse");
 * }</pre>
 */
public class Adam extends MomentOptimizer {

  private final boolean amsgrad;

  /** Adam with Keras's defaults. */
  public Adam() {
    this(0.001f);
  }

  /** Adam with the given learning rate and Keras's other defaults. */
  public Adam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /**
   * @param learningRate positive
   * @param beta1 decay of the first-moment estimate, in [0, 1) (Keras's {@code beta_1})
   * @param beta2 decay of the second-moment estimate, in [0, 1) (Keras's {@code beta_2})
   * @param epsilon added to {@code sqrt(v)}, outside the square root, {@code >= 0}
   */
  public Adam(float learningRate, float beta1, float beta2, float epsilon) {
    this(learningRate, beta1, beta2, epsilon, false);
  }

  /**
   * As {@link #Adam(float, float, float, float)}, with Keras's {@code amsgrad}: whether to divide by the running
   * maximum of the second-moment estimate (Reddi et al., 2018, "On the Convergence of Adam and Beyond").
   */
  public Adam(float learningRate, float beta1, float beta2, float epsilon, boolean amsgrad) {
    this(new AdamUpdate(Backend.uniqueName("adam"), learningRate, beta1, beta2, epsilon, amsgrad), null, beta1, beta2,
        epsilon, amsgrad);
  }

  /** Adam with a learning-rate schedule and Keras's other defaults. */
  public Adam(LearningRateSchedule learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  /**
   * As {@link #Adam(float, float, float, float)}, with the learning rate of step {@code k} given by
   * {@code learningRate.valueAt(k)}, computed in the graph.
   */
  public Adam(LearningRateSchedule learningRate, float beta1, float beta2, float epsilon) {
    this(learningRate, beta1, beta2, epsilon, false);
  }

  /** As {@link #Adam(float, float, float, float, boolean)}, with a learning-rate schedule. */
  public Adam(LearningRateSchedule learningRate, float beta1, float beta2, float epsilon, boolean amsgrad) {
    this(new AdamUpdate(Backend.uniqueName("adam"), inGraph(learningRate), beta1, beta2, epsilon, amsgrad),
        learningRate, beta1, beta2, epsilon, amsgrad);
  }

  /** For subclasses ({@link AdamW}): Adam over {@code update}, built with the same settings. */
  protected Adam(
      AdamUpdate update, LearningRateSchedule schedule, float beta1, float beta2, float epsilon, boolean amsgrad) {
    super(update, schedule, beta1, beta2, epsilon);
    this.amsgrad = amsgrad;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("amsgrad", amsgrad);
    return c;
  }
}
