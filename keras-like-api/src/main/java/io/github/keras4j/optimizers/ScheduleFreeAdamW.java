package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.ScheduleFreeAdamWUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * Schedule-Free AdamW (Defazio et al., 2024, "The Road Less Scheduled"), with Keras's defaults:
 * {@code learningRate=0.0025, beta1=0.9, beta2=0.999, epsilon=1e-8, warmupSteps=0}, no weight decay.
 *
 * <p>Instead of a learning-rate schedule it keeps three sequences: {@code z}, moved by Adam-style steps without
 * first moment ({@code z = z - lr * g / (sqrt(v / (1 - beta2^t)) + epsilon)}, {@code v} the second-moment estimate);
 * {@code x}, the running average of the {@code z}s ({@code x = (1 - 1/t) x + z / t}); and their interpolation
 * {@code y = (1 - beta1) z + beta1 x}, where the gradients are taken. With {@code warmupSteps > 0} the learning
 * rate rises linearly over the first steps, {@code lr * min(t / warmupSteps, 1)}. See
 * {@link ScheduleFreeAdamWUpdate} for the formulas in Keras's order. Slots: {@code momentum} ({@code z}, starting at
 * the variable's value) and {@code velocity} ({@code v}).
 *
 * <p>Train and eval weights: as in Keras 3's {@code ScheduleFreeAdamW}, the model's variables always hold
 * {@code y}, during training and for {@code evaluate} and {@code predict} alike; nothing swaps them for the average
 * {@code x} (Keras neither stores {@code x} nor offers a swap; the reference implementation's {@code train()} and
 * {@code eval()} modes have no counterpart). {@code x} can be recovered from a variable {@code y} and its
 * {@code momentum} slot {@code z} as {@code (y - (1 - beta1) z) / beta1}.
 *
 * <p>Java differences: the {@code momentum} slot is copied from the variable by the first update (before its weight
 * decay, as Keras copies it when building the optimizer), marked by a per-variable scalar slot {@code initialized}
 * that Keras does not have. The {@code z} in the formula for {@code x} is the value before the step, as Keras's code
 * comment ("store momentum_old before any updates") and its JAX backend have it; reading Keras's code, its
 * TensorFlow backend seems to read it after the update instead ({@code momentum.value} is the variable itself there,
 * read when used), which Keras4J does not copy.
 *
 * <pre>{@code model.compile(new ScheduleFreeAdamW(0.0025f), "mse");}</pre>
 */
public class ScheduleFreeAdamW extends MomentOptimizer {

  private final int warmupSteps;

  /** ScheduleFreeAdamW with Keras's defaults. */
  public ScheduleFreeAdamW() {
    this(0.0025f);
  }

  /** ScheduleFreeAdamW with the given learning rate and Keras's other defaults. */
  public ScheduleFreeAdamW(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-8f, 0);
  }

  /**
   * @param learningRate positive
   * @param beta1 weight of the average {@code x} in the interpolation {@code y}, in (0, 1] (Keras's {@code beta_1};
   *     Keras does not check it, but divides by it)
   * @param beta2 decay of the second-moment estimate, in [0, 1) (Keras's {@code beta_2})
   * @param epsilon added to the denominator, {@code >= 0}
   * @param warmupSteps steps of linear learning-rate warmup, {@code >= 0} (Keras's {@code warmup_steps}; 0: none)
   */
  public ScheduleFreeAdamW(float learningRate, float beta1, float beta2, float epsilon, int warmupSteps) {
    super(new ScheduleFreeAdamWUpdate(Backend.uniqueName("schedule_free_adam_w"), learningRate, beta1, beta2,
        epsilon, warmupSteps), null, beta1, beta2, epsilon);
    this.warmupSteps = warmupSteps;
  }

  /** ScheduleFreeAdamW with a learning-rate schedule and Keras's other defaults. */
  public ScheduleFreeAdamW(LearningRateSchedule learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-8f, 0);
  }

  /**
   * As {@link #ScheduleFreeAdamW(float, float, float, float, int)}, with the learning rate of step {@code k} given by
   * {@code learningRate.valueAt(k)}, computed in the graph (and scaled by the warmup).
   */
  public ScheduleFreeAdamW(
      LearningRateSchedule learningRate, float beta1, float beta2, float epsilon, int warmupSteps) {
    super(new ScheduleFreeAdamWUpdate(Backend.uniqueName("schedule_free_adam_w"), inGraph(learningRate), beta1,
        beta2, epsilon, warmupSteps), learningRate, beta1, beta2, epsilon);
    this.warmupSteps = warmupSteps;
  }

  /** The {@code warmup_steps} setting. */
  public int getWarmupSteps() {
    return warmupSteps;
  }

  /** The base config followed by Keras's {@code beta_1}, {@code beta_2}, {@code epsilon} and {@code warmup_steps}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("warmup_steps", warmupSteps);
    return c;
  }
}
