package io.github.keras4j.optimizers;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.optimizers.GraphOptimizer;
import io.github.keras4j.graph.optimizers.LearningRateFunction;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras optimizer: its settings with Keras's names and defaults, over the graph module's update ops.
 *
 * <p>One optimizer instance trains one model (or several models in one graph); its state (slots, learning
 * rate, step counter) lives in that graph.
 *
 * <p>The learning rate is a number, changeable between steps with {@link #setLearningRate} (callbacks do), or a
 * {@link LearningRateSchedule} of the step counter {@link #iterations()}, computed in the graph at every step.
 *
 * <p>Gradient clipping, Keras's {@code clipnorm}, {@code clipvalue} and {@code global_clipnorm} constructor
 * arguments, is set with fluent setters before the first training step (at most one of the three):
 * <pre>{@code model.compile(new Adam(0.01f).clipnorm(1f), "mse");}</pre>
 *
 * <p>Decoupled weight decay, Keras's base-class {@code weight_decay} argument, is set the same way, with the
 * variables to leave alone ({@code exclude_from_weight_decay}):
 * <pre>{@code model.compile(new SGD(0.1f).weightDecay(0.01f).excludeFromWeightDecay("bias"), "mse");}</pre>
 *
 * <p>Keras's other base-class arguments are set the same way: {@link #gradientAccumulationSteps(Integer)} (update
 * every {@code n} steps with the mean gradient), {@link #useEma(boolean)}, {@link #emaMomentum(float)} and
 * {@link #emaOverwriteFrequency(Integer)} (a moving average of the weights, copied into them at the end of
 * {@code fit}; see also the {@code SwapEMAWeights} callback) and {@link #lossScaleFactor(Float)}:
 * <pre>{@code model.compile(new SGD(0.1f).gradientAccumulationSteps(4).useEma(true), "mse");}</pre>
 */
public abstract class Optimizer {

  private final GraphOptimizer update;
  private final LearningRateSchedule schedule;

  /** An optimizer with a numeric learning rate held by {@code update}. */
  protected Optimizer(GraphOptimizer update) {
    this(update, null);
  }

  /**
   * An optimizer whose {@code update} was built with {@link #inGraph(LearningRateSchedule) inGraph(schedule)}.
   *
   * @param schedule the schedule, kept for {@link #getLearningRate()} and {@link #getConfig()}; null for a
   *     numeric learning rate
   */
  protected Optimizer(GraphOptimizer update, LearningRateSchedule schedule) {
    this.update = update;
    this.schedule = schedule;
  }

  /**
   * The graph form of {@code schedule}, for the graph update's constructor: {@code new SgdUpdate(name,
   * inGraph(schedule), ...)}.
   *
   * @throws NullPointerException if {@code schedule} is null
   */
  protected static LearningRateFunction inGraph(LearningRateSchedule schedule) {
    Objects.requireNonNull(schedule, "learningRate schedule");
    return schedule::call;
  }

  /** Keras's name, such as {@code adam}. */
  public String name() {
    return update.name();
  }

  /** Builds the op applying {@code gradients} to {@code variables}; see {@link GraphOptimizer#applyGradients}. */
  public Op applyGradients(
      GraphRuntime rt, List<GraphVariable> variables, List<Operand<TFloat32>> gradients, List<? extends Op> barrier) {
    return update.applyGradients(rt, variables, gradients, barrier);
  }

  /** The graph this optimizer's state lives in, or null before its first step. */
  public GraphRuntime runtimeOrNull() {
    return update.runtime();
  }

  /**
   * The learning rate of the next step. With a schedule, its value at the current {@link #iterations()}
   * (computed in the graph once the optimizer has built its update, by {@link LearningRateSchedule#valueAt}
   * before).
   */
  public float getLearningRate() {
    if (schedule != null && update.runtime() == null) {
      return (float) schedule.valueAt(0);
    }
    return update.learningRate();
  }

  /**
   * Sets the learning rate used by the following steps.
   *
   * @throws IllegalStateException if the optimizer was created with a {@link LearningRateSchedule} (Keras raises
   *     a TypeError)
   */
  public void setLearningRate(float learningRate) {
    if (schedule != null) {
      throw new IllegalStateException(
          "This optimizer was created with a LearningRateSchedule object as its learningRate constructor argument, "
              + "hence its learning rate is not settable. If you need the learning rate to be settable, you should "
              + "instantiate the optimizer with a float learningRate argument.");
    }
    update.setLearningRate(learningRate);
  }

  /** The schedule this optimizer was created with, or null if its learning rate is a number. */
  public LearningRateSchedule getLearningRateSchedule() {
    return schedule;
  }

  /**
   * Keras's {@code optimizer.iterations}: the number of update steps applied so far (0 before the first),
   * read from the graph. With {@link #gradientAccumulationSteps(Integer) gradientAccumulationSteps} {@code n}, as in
   * Keras, the training steps divided by {@code n} (rounded down): the updates really applied.
   */
  public long iterations() {
    return update.iterations();
  }

  /**
   * Keras's {@code optimizer._iterations}: every training step, also those that only accumulate gradients (the
   * step learning-rate schedules see); equal to {@link #iterations()} without gradient accumulation. This is the
   * counter saved with the optimizer's state.
   */
  public long iterationsCounter() {
    return update.iterationsCounter();
  }

  /**
   * Sets the step counter {@link #iterationsCounter()}, as restoring a saved optimizer does; only once the
   * optimizer has stepped.
   */
  public void setIterations(long iterations) {
    update.setIterations(iterations);
  }

  /**
   * Keras's {@code gradient_accumulation_steps}: with {@code n >= 2}, variables are updated only on every
   * {@code n}-th training step, with the mean of the gradients of the last {@code n} steps (kept in non-trainable
   * accumulators, one per variable, reset after each update); null (the default) updates at every step. As in
   * Keras, {@link #iterations()} counts updates (steps divided by {@code n}), learning-rate schedules see the steps
   * ({@link #iterationsCounter()}) and an EMA is still updated at every step.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if {@code steps} is below 2
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer gradientAccumulationSteps(Integer steps) {
    update.setGradientAccumulationSteps(steps);
    return this;
  }

  /** The gradientAccumulationSteps setting, or null when unset. */
  public Integer getGradientAccumulationSteps() {
    return update.gradientAccumulationSteps();
  }

  /**
   * Keras's {@code use_ema}: after each update, an exponential moving average of every trained variable is updated
   * in a non-trainable variable, {@code average = emaMomentum * average + (1 - emaMomentum) * variable} (the first
   * step, while {@link #iterations()} is 0, copies the variable). {@code fit} copies the averages into the
   * variables at its end ({@link #finalizeVariableValues}); with {@link #emaOverwriteFrequency(Integer)} they are
   * also copied every so many steps.
   *
   * @return this optimizer
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer useEma(boolean useEma) {
    update.setEma(useEma, update.emaMomentum(), update.emaOverwriteFrequency());
    return this;
  }

  /**
   * Keras's {@code ema_momentum} (default 0.99), used with {@link #useEma(boolean)}.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if {@code emaMomentum} is not in [0, 1] (checked also without useEma, unlike
   *     Keras)
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer emaMomentum(float emaMomentum) {
    update.setEma(update.useEma(), emaMomentum, update.emaOverwriteFrequency());
    return this;
  }

  /**
   * Keras's {@code ema_overwrite_frequency}, used with {@link #useEma(boolean)}: every {@code frequency} updates
   * (when {@code (iterations + 1) % frequency == 0}, {@link #iterations()} read before the update) the variables are
   * overwritten by their moving averages; null (the default) overwrites only at the end of {@code fit}.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if {@code frequency} is below 1 (checked also without useEma, unlike Keras)
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer emaOverwriteFrequency(Integer frequency) {
    update.setEma(update.useEma(), update.emaMomentum(), frequency);
    return this;
  }

  /** The useEma setting (false by default). */
  public boolean getUseEma() {
    return update.useEma();
  }

  /** The emaMomentum setting (0.99 by default). */
  public float getEmaMomentum() {
    return update.emaMomentum();
  }

  /** The emaOverwriteFrequency setting, or null when unset. */
  public Integer getEmaOverwriteFrequency() {
    return update.emaOverwriteFrequency();
  }

  /**
   * The trained variables with their moving averages (Keras's {@code _model_variables_moving_average}, paired with
   * the variables), in the order the optimizer first updated them; empty without {@link #useEma(boolean)} or before
   * the first training step.
   */
  public Map<GraphVariable, GraphVariable> movingAverages() {
    return update.movingAverages();
  }

  /**
   * Keras's {@code finalize_variable_values(var_list)}: with {@link #useEma(boolean)}, overwrites each variable of
   * {@code varList} with its moving average; otherwise does nothing. {@code fit} calls it with the model's trainable
   * variables after the last epoch, before {@code onTrainEnd}, as Keras does. Nothing happens before the optimizer's
   * first training step (there are no averages yet).
   *
   * @throws IllegalArgumentException if a variable of {@code varList} has no moving average (the optimizer never
   *     updated it; Keras raises when the lists differ in length)
   */
  public void finalizeVariableValues(List<GraphVariable> varList) {
    GraphRuntime rt = update.runtime();
    if (!getUseEma() || rt == null) {
      return;
    }
    Map<GraphVariable, GraphVariable> averages = movingAverages();
    List<GraphVariable> sources = new ArrayList<>();
    for (GraphVariable v : varList) {
      GraphVariable average = averages.get(v);
      if (average == null) {
        throw new IllegalArgumentException("Optimizer '" + name() + "' has no moving average of variable '"
            + v.name() + "': it averages only the variables it updated (" + averages.size() + " variables). Check "
            + "that the optimizer was called on your model.");
      }
      sources.add(average);
    }
    rt.assign(varList, rt.read(sources));
  }

  /**
   * Keras's {@code loss_scale_factor}: training steps multiply the loss by {@code factor} before computing the
   * gradients ({@link #scaleLoss}) and the update divides the gradients by it (against float underflow in mixed
   * precision; Keras4J trains in float32). Null (the default) does neither. The loss reported in the logs is the
   * unscaled one, as in Keras.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if {@code factor} is not positive and finite (Keras does not check)
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer lossScaleFactor(Float factor) {
    update.setLossScaleFactor(factor);
    return this;
  }

  /** The lossScaleFactor setting, or null when unset. */
  public Float getLossScaleFactor() {
    return update.lossScaleFactor();
  }

  /**
   * Keras's {@code scale_loss(loss)}: {@code loss * lossScaleFactor}, or {@code loss} when no factor is set. Built-in
   * training steps ({@code fit}, {@code StepBuilder.minimize}) differentiate this instead of the loss; a step that
   * computes its own gradients for {@link #applyGradients} should too.
   */
  public Operand<TFloat32> scaleLoss(Ops tf, Operand<TFloat32> loss) {
    return update.scaleLoss(tf, loss);
  }

  /**
   * Clips each gradient to an L2 norm of at most {@code clipnorm} before the update (Keras's {@code clipnorm}):
   * {@code g * clipnorm / max(||g||, clipnorm)}, the norm over all the gradient's elements.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if {@code clipnorm} is not positive and finite, or clipvalue or
   *     globalClipnorm is already set
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer clipnorm(float clipnorm) {
    update.setClipping(clipnorm, update.clipvalue(), update.globalClipnorm());
    return this;
  }

  /**
   * Clips each gradient element to {@code [-clipvalue, clipvalue]} before the update (Keras's
   * {@code clipvalue}).
   *
   * @return this optimizer
   * @throws IllegalArgumentException if {@code clipvalue} is not positive and finite, or clipnorm or
   *     globalClipnorm is already set
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer clipvalue(float clipvalue) {
    update.setClipping(update.clipnorm(), clipvalue, update.globalClipnorm());
    return this;
  }

  /**
   * Rescales all gradients together so that their global L2 norm (the norm of all their elements as one vector)
   * is at most {@code globalClipnorm} (Keras's {@code global_clipnorm}).
   *
   * @return this optimizer
   * @throws IllegalArgumentException if {@code globalClipnorm} is not positive and finite, or clipnorm or
   *     clipvalue is already set
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer globalClipnorm(float globalClipnorm) {
    update.setClipping(update.clipnorm(), update.clipvalue(), globalClipnorm);
    return this;
  }

  /**
   * Keras's {@code weight_decay}: before each update, every variable not excluded ({@link #excludeFromWeightDecay})
   * is decayed by {@code w = w - w * weightDecay * learningRate}, with the learning rate of that step (decoupled
   * from the gradient, as in Loshchilov and Hutter's AdamW; {@link AdamW} is Adam with this set by default).
   *
   * @return this optimizer
   * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer weightDecay(float weightDecay) {
    setWeightDecay(weightDecay);
    return this;
  }

  /** Sets the weight decay, for subclass constructors ({@link AdamW}); see {@link #weightDecay(float)}. */
  protected final void setWeightDecay(float weightDecay) {
    update.setWeightDecay(weightDecay);
  }

  /** The weightDecay setting, or null when unset (Keras's default {@code None}: no decay). */
  public Float getWeightDecay() {
    return update.weightDecay();
  }

  /**
   * Keras's {@code exclude_from_weight_decay(var_names=...)}: variables whose name contains one of
   * {@code varNames} are not decayed, such as {@code excludeFromWeightDecay("bias", "gamma", "beta")}. As in Keras
   * each name is a regular expression searched in the name (plain words match where they occur). Keras searches
   * the variable's short name ({@code kernel}); Keras4J searches its full name, layer included
   * ({@code dense_1/kernel}), so a layer name excludes all that layer's variables. Each call replaces the previous
   * exclusions; they are not part of {@link #getConfig()} (nor of Keras's).
   *
   * @return this optimizer
   * @throws IllegalStateException once the optimizer has built its first update (Keras: before it is built)
   */
  public Optimizer excludeFromWeightDecay(String... varNames) {
    return excludeFromWeightDecay(List.of(), varNames);
  }

  /**
   * Keras's {@code exclude_from_weight_decay(var_list, var_names)}: the variables of {@code varList} (such as
   * {@code layer.trainableVariables()}) and those matching {@code varNames} (see
   * {@link #excludeFromWeightDecay(String...)}) are not decayed.
   *
   * @return this optimizer
   * @throws IllegalStateException once the optimizer has built its first update (first training step)
   */
  public Optimizer excludeFromWeightDecay(Collection<GraphVariable> varList, String... varNames) {
    update.excludeFromWeightDecay(varList, Arrays.asList(varNames));
    return this;
  }

  /** The clipnorm setting, or null when unset. */
  public Float getClipnorm() {
    return update.clipnorm();
  }

  /** The clipvalue setting, or null when unset. */
  public Float getClipvalue() {
    return update.clipvalue();
  }

  /** The globalClipnorm setting, or null when unset. */
  public Float getGlobalClipnorm() {
    return update.globalClipnorm();
  }

  /**
   * The optimizers this one wraps, whose state is saved with it: none for an ordinary optimizer (the default), the
   * inner optimizer of a {@link LossScaleOptimizer}, the inner optimizers of a {@link MultiOptimizer} in
   * {@link MultiOptimizer#optimizers()} order. Keras tracks them as the wrapper's sub-objects; a weights file saves
   * the whole tree (see {@code WeightsFile}).
   */
  public List<Optimizer> wrappedOptimizers() {
    return List.of();
  }

  /**
   * State this optimizer keeps outside its float graph variables (which a weights file saves by themselves) and
   * outside its step counter {@link #iterationsCounter()}, as numbers by name in a fixed order, for saving: empty by
   * default; a {@link LossScaleOptimizer}'s {@code dynamic_scale} and {@code step_counter} once it has stepped. The
   * values are doubles, exact for float32 values and for counters up to 2^53.
   */
  public Map<String, Double> extraState() {
    return Map.of();
  }

  /**
   * Restores state read back from {@link #extraState()}: {@code state} has exactly its keys, in any order. The
   * default accepts only an empty map.
   *
   * @throws IllegalArgumentException if {@code state}'s keys are not those of {@link #extraState()}
   * @throws IllegalStateException if the optimizer has no state yet (before its first training step is built)
   */
  public void restoreExtraState(Map<String, Double> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException("Optimizer '" + name() + "' keeps no extra state. Received: " + state);
    }
  }

  /** The constructor's settings with Keras's names ({@code learning_rate}, {@code beta_1}, ...). */
  public abstract Map<String, Object> getConfig();

  /**
   * The settings every optimizer has, in Keras's order, for subclasses' {@link #getConfig()} to extend:
   * {@code name}, {@code learning_rate} (the current rate, or with a schedule
   * {@code {"class_name": ..., "config": ...}} as Keras serializes it), {@code weight_decay}, {@code clipnorm},
   * {@code global_clipnorm}, {@code clipvalue} (null when unset), {@code use_ema}, {@code ema_momentum},
   * {@code ema_overwrite_frequency}, {@code loss_scale_factor} and {@code gradient_accumulation_steps} (null when
   * unset).
   */
  protected final Map<String, Object> baseConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    if (schedule == null) {
      c.put("learning_rate", getLearningRate());
    } else {
      Map<String, Object> serialized = new LinkedHashMap<>();
      serialized.put("class_name", schedule.getClass().getSimpleName());
      serialized.put("config", schedule.getConfig());
      c.put("learning_rate", serialized);
    }
    c.put("weight_decay", getWeightDecay());
    c.put("clipnorm", getClipnorm());
    c.put("global_clipnorm", getGlobalClipnorm());
    c.put("clipvalue", getClipvalue());
    c.put("use_ema", getUseEma());
    c.put("ema_momentum", getEmaMomentum());
    c.put("ema_overwrite_frequency", getEmaOverwriteFrequency());
    c.put("loss_scale_factor", getLossScaleFactor());
    c.put("gradient_accumulation_steps", getGradientAccumulationSteps());
    return c;
  }
}
