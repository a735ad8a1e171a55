package io.github.keras4j.optimizers;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.optimizers.GraphOptimizer;
import io.github.keras4j.graph.optimizers.LearningRateFunction;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
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
   * read from the graph.
   */
  public long iterations() {
    return update.iterations();
  }

  /** Sets the step counter, as restoring a saved optimizer does; only once the optimizer has stepped. */
  public void setIterations(long iterations) {
    update.setIterations(iterations);
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

  /** The constructor's settings with Keras's names ({@code learning_rate}, {@code beta_1}, ...). */
  public abstract Map<String, Object> getConfig();

  /**
   * The settings every optimizer has, in Keras's order, for subclasses' {@link #getConfig()} to extend:
   * {@code name}, {@code learning_rate} (the current rate, or with a schedule
   * {@code {"class_name": ..., "config": ...}} as Keras serializes it), {@code weight_decay}, {@code clipnorm},
   * {@code global_clipnorm}, {@code clipvalue} (null when unset). Keras's {@code use_ema},
   * {@code ema_momentum}, {@code ema_overwrite_frequency}, {@code loss_scale_factor} and
   * {@code gradient_accumulation_steps} are not supported and not written.
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
    return c;
  }
}
