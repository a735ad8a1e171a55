package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.optimizers.FtrlUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * FTRL, "Follow The Regularized Leader" (McMahan et al., 2013), with Keras's defaults:
 * {@code learningRate=0.001, learningRatePower=-0.5, initialAccumulatorValue=0.1, l1RegularizationStrength=0,
 * l2RegularizationStrength=0, l2ShrinkageRegularizationStrength=0, beta=0}.
 *
 * <p>Made for shallow models with large, sparse feature spaces (click-through prediction). Per element, with an
 * accumulator {@code n} of squared gradients and a linear term {@code z}:
 * {@code n_new = n + g^2}, {@code z = z + g - (n_new^-p - n^-p) / learningRate * w} (p the
 * {@code learningRatePower}), then {@code w = 0} where {@code |z| <= l1}, otherwise
 * {@code w = (sign(z) * l1 - z) / (n_new^-p / learningRate + 2 * (l2 + beta / (2 * learningRate)))}. The L1
 * strength makes weights exactly zero; the L2 shrinkage strength adds {@code 2 * l2Shrinkage * w} to the gradient.
 * Keras 3's formula (see {@link FtrlUpdate}). Slots: {@code accumulator} and {@code linear}.
 *
 * <p>The learning rate is a number or a {@link LearningRateSchedule}; clipping is set with
 * {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, weight decay with {@link #weightDecay}.
 *
 * <pre>{@code model.compile(new Ftrl(0.1f, -0.5f, 0.1f, 0.001f, 0.001f, 0f, 0f), "binary_crossentropy");}</pre>
 *
 * <p>Where Java differs from Keras: besides Keras's checks ({@code learningRatePower <= 0}, the accumulator's start
 * and the three strengths {@code >= 0}), infinite or NaN settings are refused.
 */
public class Ftrl extends Optimizer {

  private final float learningRatePower;
  private final float initialAccumulatorValue;
  private final float l1RegularizationStrength;
  private final float l2RegularizationStrength;
  private final float l2ShrinkageRegularizationStrength;
  private final float beta;

  /** Ftrl with Keras's defaults. */
  public Ftrl() {
    this(0.001f);
  }

  /** Ftrl with the given learning rate and Keras's other defaults. */
  public Ftrl(float learningRate) {
    this(learningRate, -0.5f, 0.1f, 0f, 0f, 0f, 0f);
  }

  /**
   * @param learningRate positive
   * @param learningRatePower how the per-element rate falls as squared gradients accumulate, {@code <= 0}
   *     (0: a fixed rate); Keras's {@code learning_rate_power}
   * @param initialAccumulatorValue the accumulators' starting value, {@code >= 0}
   * @param l1RegularizationStrength {@code >= 0}
   * @param l2RegularizationStrength the paper's stabilizing L2 penalty, {@code >= 0}
   * @param l2ShrinkageRegularizationStrength an L2 penalty on the weights' magnitude, added to the gradient,
   *     {@code >= 0}
   * @param beta the paper's beta (added as {@code beta / (2 * learningRate)} to the L2 strength)
   */
  public Ftrl(float learningRate, float learningRatePower, float initialAccumulatorValue,
      float l1RegularizationStrength, float l2RegularizationStrength, float l2ShrinkageRegularizationStrength,
      float beta) {
    this(new FtrlUpdate(Backend.uniqueName("ftrl"), learningRate, learningRatePower, initialAccumulatorValue,
        l1RegularizationStrength, l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta), null,
        learningRatePower, initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength,
        l2ShrinkageRegularizationStrength, beta);
  }

  /** Ftrl with a learning-rate schedule and Keras's other defaults. */
  public Ftrl(LearningRateSchedule learningRate) {
    this(learningRate, -0.5f, 0.1f, 0f, 0f, 0f, 0f);
  }

  /**
   * As {@link #Ftrl(float, float, float, float, float, float, float)}, with the learning rate of step {@code k}
   * given by {@code learningRate.valueAt(k)}, computed in the graph.
   */
  public Ftrl(LearningRateSchedule learningRate, float learningRatePower, float initialAccumulatorValue,
      float l1RegularizationStrength, float l2RegularizationStrength, float l2ShrinkageRegularizationStrength,
      float beta) {
    this(new FtrlUpdate(Backend.uniqueName("ftrl"), inGraph(learningRate), learningRatePower,
        initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength,
        l2ShrinkageRegularizationStrength, beta), learningRate, learningRatePower, initialAccumulatorValue,
        l1RegularizationStrength, l2RegularizationStrength, l2ShrinkageRegularizationStrength, beta);
  }

  private Ftrl(FtrlUpdate update, LearningRateSchedule schedule, float learningRatePower,
      float initialAccumulatorValue, float l1RegularizationStrength, float l2RegularizationStrength,
      float l2ShrinkageRegularizationStrength, float beta) {
    super(update, schedule);
    this.learningRatePower = learningRatePower;
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.l1RegularizationStrength = l1RegularizationStrength;
    this.l2RegularizationStrength = l2RegularizationStrength;
    this.l2ShrinkageRegularizationStrength = l2ShrinkageRegularizationStrength;
    this.beta = beta;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("learning_rate_power", learningRatePower);
    c.put("initial_accumulator_value", initialAccumulatorValue);
    c.put("l1_regularization_strength", l1RegularizationStrength);
    c.put("l2_regularization_strength", l2RegularizationStrength);
    c.put("l2_shrinkage_regularization_strength", l2ShrinkageRegularizationStrength);
    c.put("beta", beta);
    return c;
  }
}
