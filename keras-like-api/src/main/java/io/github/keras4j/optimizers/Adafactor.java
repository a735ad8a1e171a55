package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.AdafactorUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * Adafactor (Shazeer and Stern, 2018), with Keras's defaults: {@code learningRate=0.001, beta2Decay=-0.8,
 * epsilon1=1e-30, epsilon2=1e-3, clipThreshold=1.0, relativeStep=true}.
 *
 * <p>An adaptive method with sublinear memory: for a variable of rank 2 or more the second moment is kept factored,
 * as a row average {@code r} ({@code w.shape[:-1]}) and a column average {@code c}
 * ({@code w.shape[:-2] + w.shape[-1:]}), decayed by {@code 1 - t^beta2Decay} at step {@code t}, whose product
 * {@code v = r / mean(r) * c} stands for the full moment; smaller variables keep the full moment. The step
 * {@code g / sqrt(v)} is scaled down to an RMS of at most {@code clipThreshold} and applied with size
 * {@code max(epsilon2, rms(w)) * min(learningRate, 1 / sqrt(t))}, relative to the weights' own scale. Keras 3's
 * formula (see {@link AdafactorUpdate}). Slots: {@code velocity}, and {@code r}, {@code c} for rank 2 and more.
 *
 * <p>The learning rate is a number or a {@link LearningRateSchedule}; clipping is set with
 * {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, weight decay with {@link #weightDecay}.
 *
 * <pre>{@code model.compile(new Adafactor(0.01f), "mse");}</pre>
 *
 * <p>Where Java differs from Keras: Keras checks none of the settings; Keras4J refuses a {@code beta2Decay} above 0
 * (the decay would leave [0, 1]), negative epsilons, a {@code clipThreshold} that is not positive and non-finite
 * values. As in Keras 3, {@code relativeStep} does not change the update (the step size takes the minimum with
 * {@code 1 / sqrt(t)} in any case); it is kept in the config.
 */
public class Adafactor extends Optimizer {

  private final float beta2Decay;
  private final float epsilon1;
  private final float epsilon2;
  private final float clipThreshold;
  private final boolean relativeStep;

  /** Adafactor with Keras's defaults. */
  public Adafactor() {
    this(0.001f);
  }

  /** Adafactor with the given learning rate and Keras's other defaults. */
  public Adafactor(float learningRate) {
    this(learningRate, -0.8f, 1e-30f, 1e-3f, 1f, true);
  }

  /**
   * @param learningRate positive
   * @param beta2Decay the second moment's decay at step {@code t} is {@code 1 - t^beta2Decay}; {@code <= 0}
   *     (Keras's {@code beta_2_decay})
   * @param epsilon1 added to the squared gradients, {@code >= 0} (Keras's {@code epsilon_1})
   * @param epsilon2 the smallest weight scale a step is sized by, {@code >= 0} (Keras's {@code epsilon_2})
   * @param clipThreshold the RMS the normalized update is clipped to, positive
   * @param relativeStep Keras's {@code relative_step}, kept in the config (no effect on the update, as in Keras 3)
   */
  public Adafactor(float learningRate, float beta2Decay, float epsilon1, float epsilon2, float clipThreshold,
      boolean relativeStep) {
    this(new AdafactorUpdate(Backend.uniqueName("adafactor"), learningRate, beta2Decay, epsilon1, epsilon2,
        clipThreshold, relativeStep), null, beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep);
  }

  /** Adafactor with a learning-rate schedule and Keras's other defaults. */
  public Adafactor(LearningRateSchedule learningRate) {
    this(learningRate, -0.8f, 1e-30f, 1e-3f, 1f, true);
  }

  /**
   * As {@link #Adafactor(float, float, float, float, float, boolean)}, with the learning rate of step {@code k}
   * given by {@code learningRate.valueAt(k)}, computed in the graph.
   */
  public Adafactor(LearningRateSchedule learningRate, float beta2Decay, float epsilon1, float epsilon2,
      float clipThreshold, boolean relativeStep) {
    this(new AdafactorUpdate(Backend.uniqueName("adafactor"), inGraph(learningRate), beta2Decay, epsilon1, epsilon2,
        clipThreshold, relativeStep), learningRate, beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep);
  }

  private Adafactor(AdafactorUpdate update, LearningRateSchedule schedule, float beta2Decay, float epsilon1,
      float epsilon2, float clipThreshold, boolean relativeStep) {
    super(update, schedule);
    this.beta2Decay = beta2Decay;
    this.epsilon1 = epsilon1;
    this.epsilon2 = epsilon2;
    this.clipThreshold = clipThreshold;
    this.relativeStep = relativeStep;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("beta_2_decay", beta2Decay);
    c.put("epsilon_1", epsilon1);
    c.put("epsilon_2", epsilon2);
    c.put("clip_threshold", clipThreshold);
    c.put("relative_step", relativeStep);
    return c;
  }
}
