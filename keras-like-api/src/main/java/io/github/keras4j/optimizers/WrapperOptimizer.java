package io.github.keras4j.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.Collection;
import java.util.List;

/**
 * The base of the optimizers that wrap others ({@link LossScaleOptimizer}, {@link MultiOptimizer}): as Keras, they
 * refuse the base optimizer's own settings (clipping, weight decay, gradient accumulation, EMA), which belong on the
 * wrapped optimizers, accepting only Keras's defaults so that a saved config still loads. Their graph update is a
 * {@link WrapperUpdate}, which changes no variable.
 */
public abstract class WrapperOptimizer extends Optimizer {

  /** @param update the wrapper's own update: its name and step counter */
  WrapperOptimizer(WrapperUpdate update) {
    super(update);
  }

  @Override
  public abstract List<Optimizer> wrappedOptimizers();

  /** Where the refused settings go, in the error message ({@code "on the `innerOptimizer`"}). */
  abstract String whereToSetIt();

  /** Refused as Keras refuses {@code clipnorm}: set it on the wrapped optimizers. */
  @Override
  public Optimizer clipnorm(float clipnorm) {
    throw unsupported("clipnorm", clipnorm);
  }

  /** Refused as Keras refuses {@code clipvalue}: set it on the wrapped optimizers. */
  @Override
  public Optimizer clipvalue(float clipvalue) {
    throw unsupported("clipvalue", clipvalue);
  }

  /** Refused as Keras refuses {@code global_clipnorm}: set it on the wrapped optimizers. */
  @Override
  public Optimizer globalClipnorm(float globalClipnorm) {
    throw unsupported("globalClipnorm", globalClipnorm);
  }

  /** Refused as Keras refuses {@code weight_decay}: set it on the wrapped optimizers. */
  @Override
  public Optimizer weightDecay(float weightDecay) {
    throw unsupported("weightDecay", weightDecay);
  }

  /** Refused: weight decay is set on the wrapped optimizers. */
  @Override
  public Optimizer excludeFromWeightDecay(Collection<GraphVariable> varList, String... varNames) {
    throw unsupported("excludeFromWeightDecay", List.of(varNames));
  }

  /** Accepts only Keras's default (null); otherwise refused as Keras does: set it on the wrapped optimizers. */
  @Override
  public Optimizer gradientAccumulationSteps(Integer steps) {
    return defaultOnly("gradientAccumulationSteps", steps, null);
  }

  /** Accepts only Keras's default (false); otherwise refused as Keras does: set it on the wrapped optimizers. */
  @Override
  public Optimizer useEma(boolean useEma) {
    return defaultOnly("useEma", useEma, false);
  }

  /** Accepts only Keras's default (0.99); otherwise refused as Keras does: set it on the wrapped optimizers. */
  @Override
  public Optimizer emaMomentum(float emaMomentum) {
    return defaultOnly("emaMomentum", emaMomentum, 0.99f);
  }

  /** Accepts only Keras's default (null); otherwise refused as Keras does: set it on the wrapped optimizers. */
  @Override
  public Optimizer emaOverwriteFrequency(Integer frequency) {
    return defaultOnly("emaOverwriteFrequency", frequency, null);
  }

  /** This optimizer when {@code value} is the default, else the error of {@link #unsupported}. */
  final Optimizer defaultOnly(String setting, Object value, Object defaultValue) {
    if (value == null ? defaultValue != null : !value.equals(defaultValue)) {
      throw unsupported(setting, value);
    }
    return this;
  }

  /** Keras's error for a base setting given to a wrapper. */
  final IllegalArgumentException unsupported(String setting, Object value) {
    return new IllegalArgumentException(getClass().getSimpleName() + " does not support `" + setting
        + "`. Instead, set `" + setting + "` " + whereToSetIt() + ". Received: " + setting + "=" + value);
  }
}
