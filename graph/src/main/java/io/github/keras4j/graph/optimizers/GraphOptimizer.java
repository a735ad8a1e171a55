package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Builds the update ops of a gradient-descent rule on TensorFlow's fused {@code tf.train.apply*} kernels (or on
 * plain assign ops where no kernel computes Keras 3's formula).
 *
 * <p>An optimizer binds to one {@link GraphRuntime} the first time it builds updates. Its state lives in
 * variables under its own name scope: the step counter ({@code adam/iteration}, int64, Keras's
 * {@code optimizer.iterations}), the learning rate ({@code adam/learning_rate}, a variable so that callbacks can
 * change it between steps; absent when the optimizer was built with a {@link LearningRateFunction}, whose value
 * is computed from the counter in the graph), per-variable slots ({@code adam/dense/kernel/m}) and rule-specific
 * scalars. The counter is not a {@link GraphVariable} (those are float) and so is not listed by
 * {@link GraphRuntime#variables()}; {@link #iterations()} reads it.
 *
 * <p>One update op, as in Keras 3's {@code BaseOptimizer.apply}: the gradients are divided by the loss scale factor
 * if set ({@link #setLossScaleFactor}), clipped if a clipping option is set ({@link #setClipping}), weight decay is
 * applied if set ({@link #setWeightDecay}), each variable is updated by {@link #applyOne} with the current learning
 * rate, the moving averages are updated if set ({@link #setEma}), then the counter is incremented. With gradient
 * accumulation ({@link #setGradientAccumulationSteps}) the clipping, weight decay and applies run only on every
 * {@code n}-th step, on the mean of the accumulated gradients; the other steps only accumulate.
 *
 * <p>Built inside {@link GraphRuntime#readsAfter} (one copy of a multi-step execution), the update reads the step
 * counter afresh, after the previous copy's update, so that every copy sees its own step number (Adam's bias
 * corrections, schedules); the slots need no reads, the apply kernels update them in place through their refs.
 *
 * <p>Updates are deterministic: every apply op waits (control dependencies) for all gradients and for the
 * caller's barrier ops (the step's loss and metric values), so no variable changes while a value computed from
 * it is still being read; rule-wide state such as the step counter is advanced only after all applies.
 */
public abstract class GraphOptimizer {

  private final String name;
  private float learningRate;
  private final LearningRateFunction schedule;
  private Float clipnorm;
  private Float clipvalue;
  private Float globalClipnorm;
  private Float weightDecay;
  private Set<GraphVariable> excludedFromWeightDecay = Set.of();
  private Pattern excludedFromWeightDecayNames;
  private GraphRuntime runtime;
  private Variable<TInt64> iterationsVariable;
  private Operand<TInt64> iterationsValue;
  private Placeholder<TInt64> iterationsFeed;
  private Op iterationsAssign;
  private Operand<TFloat32> learningRateValue;
  private Placeholder<TFloat32> learningRateFeed;
  private Op learningRateAssign;
  private final Map<String, GraphVariable> slots = new HashMap<>();
  /** Gradient accumulation, or null to update at every step. */
  private GradientAccumulation accumulation;
  /** The EMA settings and, once trained with {@code useEma}, the averages. */
  private MovingAverages ema = new MovingAverages(false, 0.99f, null);
  private Float lossScaleFactor;
  /** Keras's {@code iterations}: the counter divided by the accumulation steps, or the counter itself. */
  private Operand<TInt64> kerasIterationsValue;
  /** The counter's read for the update being built (see {@link #applyGradients}), or null outside one. */
  private Operand<TInt64> currentIterations;
  /** What the applies of the update being built wait for (barrier, gradients, weight decays), or null outside one. */
  private List<Op> currentBarrier;

  /**
   * An optimizer whose learning rate is held in a variable, changeable with {@link #setLearningRate}.
   *
   * @param name the name scope of the optimizer's variables, such as {@code "adam"}
   * @param learningRate the initial learning rate; must be positive and finite
   */
  protected GraphOptimizer(String name, float learningRate) {
    this(name, learningRate, null);
  }

  /**
   * An optimizer whose learning rate at step {@code k} is {@code schedule(k)}, computed in the graph from the
   * step counter; {@link #setLearningRate} is then refused.
   *
   * @param name the name scope of the optimizer's variables, such as {@code "adam"}
   * @param schedule builds the learning rate from the step counter
   */
  protected GraphOptimizer(String name, LearningRateFunction schedule) {
    this(name, Float.NaN, Objects.requireNonNull(schedule, "schedule"));
  }

  /**
   * Both kinds in one constructor, for a subclass whose fixed-rate and scheduled constructors delegate to one
   * private constructor that checks its settings once: with a null {@code schedule} as
   * {@link #GraphOptimizer(String, float)}, otherwise as {@link #GraphOptimizer(String, LearningRateFunction)}
   * ({@code learningRate} is then ignored).
   *
   * @param name the name scope of the optimizer's variables, such as {@code "adam"}
   * @param learningRate the initial learning rate when {@code schedule} is null; must then be positive and finite
   * @param schedule builds the learning rate from the step counter, or null for a learning rate in a variable
   */
  protected GraphOptimizer(String name, float learningRate, LearningRateFunction schedule) {
    this.name = name;
    if (schedule == null) {
      check("learningRate", learningRate, learningRate > 0 && !Float.isInfinite(learningRate),
          "a positive finite number");
    }
    this.learningRate = schedule == null ? learningRate : Float.NaN;
    this.schedule = schedule;
  }

  /** The optimizer's name scope. */
  public String name() {
    return name;
  }

  /** The runtime this optimizer is bound to, or null before the first {@link #applyGradients}. */
  public GraphRuntime runtime() {
    return runtime;
  }

  /**
   * Builds one op that updates {@code variables} (same order) from {@code gradients}, in Keras 3's order: the
   * gradients are divided by the loss scale factor (if set), then either applied (after clipping and weight decay,
   * if set) or, with gradient accumulation, accumulated and applied as their mean on every {@code n}-th step; then
   * the moving averages are updated (with {@code useEma}) and the step counter is incremented. With no variables it
   * is a no-op and does not count as a step (as in Keras).
   *
   * @param barrier ops that must finish before any variable changes (the step's fetched values)
   */
  public final synchronized Op applyGradients(
      GraphRuntime rt, List<GraphVariable> variables, List<Operand<TFloat32>> gradients, List<? extends Op> barrier) {
    if (variables.size() != gradients.size()) {
      throw new IllegalArgumentException(
          "Optimizer '" + name + "': " + variables.size() + " variables but " + gradients.size() + " gradients");
    }
    bind(rt);
    Ops tf = rt.scope(name);
    List<Op> before = new ArrayList<>(gradients);
    before.addAll(barrier);
    if (variables.isEmpty()) {
      return tf.withControlDependencies(before).withName("update").noOp();
    }
    // Inside GraphRuntime.readsAfter (a later copy of a multi-step execution) the counter is read afresh, after
    // the previous copy's increment, and a schedule is evaluated on that read.
    Operand<TInt64> counter = GraphRuntime.currentRead(iterationsVariable, iterationsValue);
    Operand<TInt64> kerasIterations = counter == iterationsValue ? kerasIterationsValue : kerasIterations(tf, counter);
    if (ema.enabled()) {
      // Keras's build: the averages are created before the accumulators.
      ema.createAverages(this, variables);
    }
    List<Operand<TFloat32>> unscaled = unscale(tf, gradients);
    List<Op> done;
    if (accumulation == null) {
      done = update(rt, tf, before, variables, unscaled, counter, kerasIterations);
    } else {
      done = accumulation.accumulateOrUpdate(tf, this, before, variables, unscaled, counter,
          (inUpdate, means) -> update(rt, tf, inUpdate, variables, means, counter, kerasIterations));
    }
    if (ema.enabled()) {
      done = ema.update(tf.withSubScope("ema"), done, variables, kerasIterations);
    }
    Op increment = tf.withControlDependencies(done).withName("iteration_increment")
        .assignAdd(iterationsVariable, tf.constant(1L));
    return tf.withControlDependencies(List.of(increment)).withName("update").noOp();
  }

  /**
   * The update proper, as Keras's {@code _backend_apply_gradients} without accumulation: clipping, weight decay,
   * each variable's apply with the current learning rate, then {@link #afterApply}; returns the ops that finish it.
   */
  private List<Op> update(GraphRuntime rt, Ops tf, List<Op> before, List<GraphVariable> variables,
      List<Operand<TFloat32>> gradients, Operand<TInt64> counter, Operand<TInt64> kerasIterations) {
    Ops gated = tf.withControlDependencies(before);
    List<Operand<TFloat32>> clipped = clip(tf, gradients);
    Operand<TFloat32> lr = learningRateValue;
    if (schedule != null && counter != iterationsValue) {
      // Gated as the applies: without it Grappler (measured, TF 2.18) lets this copy's schedule see the counter
      // of the previous copy, although the fresh read waits for that copy's update.
      lr = schedule.call(rt.scope(name + "/learning_rate").withControlDependencies(before), counter);
    }
    List<Op> prologue = beforeWeightDecay(gated, variables);
    if (!prologue.isEmpty()) {
      List<Op> afterPrologue = new ArrayList<>(before);
      afterPrologue.addAll(prologue);
      before = afterPrologue;
      gated = tf.withControlDependencies(before);
    }
    List<Op> decays = weightDecay(gated, variables, lr);
    if (!decays.isEmpty()) {
      List<Op> beforeUpdates = new ArrayList<>(before);
      beforeUpdates.addAll(decays);
      gated = tf.withControlDependencies(beforeUpdates);
    }
    List<Op> applies = new ArrayList<>();
    currentIterations = kerasIterations;
    currentBarrier = new ArrayList<>(before);
    currentBarrier.addAll(decays);
    try {
      beforeApply(gated);
      for (int i = 0; i < variables.size(); i++) {
        applies.add(applyOne(gated, variables.get(i), clipped.get(i), lr));
      }
    } finally {
      currentIterations = null;
      currentBarrier = null;
    }
    List<Op> done = new ArrayList<>(applies);
    done.addAll(afterApply(tf.withControlDependencies(applies)));
    return done;
  }

  /** Keras's {@code apply}: the gradients divided by the loss scale factor, when one is set. */
  private List<Operand<TFloat32>> unscale(Ops tf, List<Operand<TFloat32>> gradients) {
    if (lossScaleFactor == null) {
      return gradients;
    }
    Ops s = tf.withSubScope("unscale");
    Operand<TFloat32> scale = s.constant(lossScaleFactor);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      out.add(s.math.div(g, scale));
    }
    return out;
  }

  /** Keras's {@code iterations} from the step counter: divided (floor) by the accumulation steps when set. */
  private Operand<TInt64> kerasIterations(Ops tf, Operand<TInt64> counter) {
    return accumulation == null ? counter : accumulation.iterations(tf, counter);
  }

  /**
   * Keras 3's {@code _clip_gradients} ({@code keras/src/optimizers/base_optimizer.py}), in float32:
   * <ul>
   *   <li>clipnorm {@code c}: each gradient {@code g} becomes {@code g * c / max(||g||, c)}, the norm taken over
   *       all its elements (a zero gradient stays zero);
   *   <li>globalClipnorm {@code c}: with {@code n = sqrt(sum over all gradients of ||g||^2)}, each gradient is
   *       multiplied by {@code c * min(1 / n, 1 / c)} (NaN for all of them if {@code n} is not finite);
   *   <li>clipvalue {@code v}: each element is clipped to {@code [-v, v]}.
   * </ul>
   */
  private List<Operand<TFloat32>> clip(Ops tf, List<Operand<TFloat32>> gradients) {
    if (clipnorm == null && globalClipnorm == null && clipvalue == null) {
      return gradients;
    }
    Ops s = tf.withSubScope("clip");
    List<Operand<TFloat32>> out = new ArrayList<>(gradients.size());
    if (clipnorm != null) {
      Operand<TFloat32> c = s.constant(clipnorm);
      for (Operand<TFloat32> g : gradients) {
        Operand<TFloat32> l2sum = s.reduceSum(s.math.square(g), Shapes.allAxes(s, g));
        // Keras's two-tap where: sqrt only of positive sums, so a zero gradient gives no NaN.
        Operand<TBool> positive = s.math.greater(l2sum, s.constant(0f));
        Operand<TFloat32> l2sumSafe = s.select(positive, l2sum, s.onesLike(l2sum));
        Operand<TFloat32> l2norm = s.select(positive, s.math.sqrt(l2sumSafe), l2sum);
        out.add(s.math.div(s.math.mul(g, c), s.math.maximum(l2norm, c)));
      }
    } else if (globalClipnorm != null) {
      List<Operand<TFloat32>> squaredNorms = new ArrayList<>();
      for (Operand<TFloat32> g : gradients) {
        squaredNorms.add(s.reduceSum(s.math.square(g), Shapes.allAxes(s, g)));
      }
      Operand<TFloat32> norm = s.math.sqrt(s.reduceSum(s.stack(squaredNorms), s.constant(0)));
      Operand<TFloat32> scaleForFinite = s.math.mul(
          s.constant(globalClipnorm),
          s.math.minimum(s.math.div(s.constant(1f), norm), s.constant((float) (1.0 / globalClipnorm))));
      // + (n - n): NaN when the norm is inf or NaN, as in Keras.
      Operand<TFloat32> scale = s.math.add(scaleForFinite, s.math.sub(norm, norm));
      for (Operand<TFloat32> g : gradients) {
        out.add(s.math.mul(g, scale));
      }
    } else {
      Operand<TFloat32> high = s.constant(clipvalue);
      Operand<TFloat32> low = s.constant(-clipvalue);
      for (Operand<TFloat32> g : gradients) {
        out.add(s.clipByValue(g, low, high));
      }
    }
    return out;
  }

  /**
   * Keras 3's decoupled weight decay ({@code _apply_weight_decay} in {@code keras/src/optimizers/base_optimizer.py}
   * and its TensorFlow backend): before the update, each variable with a {@link #weightDecayRate} (by default each
   * variable not excluded) becomes {@code w - (w * rate) * lr}, with the learning rate of this step. One
   * {@code AssignSub} per variable; the applies wait for all of them, as Keras decays every variable before
   * updating any.
   */
  private List<Op> weightDecay(Ops tf, List<GraphVariable> variables, Operand<TFloat32> lr) {
    Ops s = null;
    Map<Float, Operand<TFloat32>> rates = new HashMap<>();
    List<Op> out = new ArrayList<>();
    for (GraphVariable v : variables) {
      Float rate = weightDecayRate(v);
      if (rate != null) {
        if (s == null) {
          s = tf.withSubScope("weight_decay");
        }
        Ops scope = s;
        Operand<TFloat32> wd = rates.computeIfAbsent(rate, r -> scope.constant(r.floatValue()));
        out.add(scope.assignSub(v.variable(), scope.math.mul(scope.math.mul(v.value(), wd), lr)));
      }
    }
    return out;
  }

  /**
   * The weight decay rate of {@code variable} ({@code w = w - w * rate * lr} before the update), or null for none:
   * by default the {@link #setWeightDecay weightDecay} setting for a variable {@link #usesWeightDecay uses weight
   * decay}. A hook for rules that decay some variables at another rate (Keras's {@code Muon}, whose Adam-updated
   * variables decay at {@code adam_weight_decay}).
   */
  protected Float weightDecayRate(GraphVariable variable) {
    return weightDecay != null && usesWeightDecay(variable) ? weightDecay : null;
  }

  /**
   * A hook for ops that must run on every update before the weight decay and the applies (which wait for them),
   * such as a rule's lazy initialisation of its slots from the variables' values (Keras's {@code build} copying
   * them, as {@code ScheduleFreeAdamW} does); {@code tf} waits for the caller's barrier and the gradients. None by
   * default. Built once per update op.
   */
  protected List<Op> beforeWeightDecay(Ops tf, List<GraphVariable> variables) {
    return List.of();
  }

  /**
   * Whether weight decay applies to {@code variable}: Keras 3's {@code _use_weight_decay}, false for a variable
   * given to {@link #excludeFromWeightDecay} or whose name contains a match of one of the names given there.
   */
  public synchronized boolean usesWeightDecay(GraphVariable variable) {
    if (excludedFromWeightDecay.contains(variable)) {
      return false;
    }
    return excludedFromWeightDecayNames == null || !excludedFromWeightDecayNames.matcher(variable.name()).find();
  }

  /**
   * Builds values shared by all applies of one update op (e.g. Adam's bias corrections), once per
   * {@link #applyGradients} call before {@link #applyOne}; {@code tf} already waits for the barrier.
   */
  protected void beforeApply(Ops tf) {}

  /** Builds the apply op of one variable; {@code tf} already waits for the barrier. */
  protected abstract Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr);

  /**
   * Ops that advance rule-wide state once per step, after every apply and before the step counter is
   * incremented.
   */
  protected List<Op> afterApply(Ops tf) {
    return List.of();
  }

  /**
   * The slot variable {@code slotName} of {@code variable}, of the same shape and filled with {@code initial};
   * created on first use and shared by every later update op of this optimizer (one set of slots per variable,
   * as in Keras, however many train ops are built).
   */
  protected GraphVariable slot(GraphVariable variable, String slotName, float initial) {
    return slot(variable, slotName, variable.shape(), initial);
  }

  /**
   * As {@link #slot(GraphVariable, String, float)}, for a slot of another shape than its variable (Adafactor's
   * factored row and column moments).
   */
  protected GraphVariable slot(GraphVariable variable, String slotName, Shape shape, float initial) {
    return slots.computeIfAbsent(variable.name() + "/" + slotName, key -> runtime.newVariable(
        name + "/" + variable.name(), slotName, shape,
        tf -> tf.fill(tf.constant(shape.asArray()), tf.constant(initial)), false));
  }

  /**
   * The value of {@code variable} an update formula reads (Keras's {@code variable} inside {@code update_step}):
   * when weight decay applies to it, a fresh read through {@code tf} (the ops given to {@link #applyOne}, which wait
   * for this step's weight decay), so the decayed value as in Keras; otherwise its read for this step
   * ({@link GraphVariable#value()}). Writes to the variable must still wait for every value computed from it
   * ({@link #afterValues}). Only valid inside {@link #applyOne}.
   */
  protected final Operand<TFloat32> variableValue(Ops tf, GraphVariable variable) {
    if (weightDecayRate(variable) != null) {
      return tf.identity(variable.variable());
    }
    return variable.value();
  }

  /**
   * Returns {@code value} if {@code valid}, otherwise throws an {@link IllegalArgumentException} naming this
   * optimizer, the setting, what was expected and what was received. For subclass constructors:
   * {@code this.rho = check("rho", rho, rho >= 0 && rho <= 1, "a number in [0, 1]");}
   */
  protected final float check(String setting, float value, boolean valid, String expected) {
    require(setting, value, valid, expected);
    return value;
  }

  /** {@link #check} for a setting of any type (an integer, a number that may be null). */
  private void require(String setting, Object value, boolean valid, String expected) {
    if (!valid) {
      throw new IllegalArgumentException(
          "Optimizer '" + name + "': " + setting + " must be " + expected + ". Received: " + setting + "=" + value);
    }
  }

  /** A scalar state variable of this optimizer. */
  protected GraphVariable scalar(String varName, float initial) {
    return runtime.newVariable(name, varName, Shape.scalar(), tf -> tf.constant(initial), false);
  }

  /**
   * The step counter as a graph value: the number of updates applied before the current one (0 during the
   * first), for rules whose formula depends on the step (Adam's bias corrections); Keras's {@code iterations}, so
   * with gradient accumulation the counter divided by the accumulation steps. Only valid once bound, that is from
   * {@link #onBind} and {@link #beforeApply} on.
   */
  protected final Operand<TInt64> iterationsValue() {
    return currentIterations != null ? currentIterations : kerasIterationsValue;
  }

  /**
   * {@code tf} that waits for {@code values} as well as for everything the applies wait for (the caller's barrier,
   * the gradients, the weight decays): for the writes of an update built from plain ops. Every write of such an
   * update should start only once all the values it needs are computed, since the {@code Identity} read of a ref
   * variable may share the variable's buffer: an earlier write into a slot could change a read of it that another
   * value has not consumed yet. Only valid inside {@link #applyOne}.
   */
  protected final Ops afterValues(Ops tf, List<? extends Op> values) {
    List<Op> deps = new ArrayList<>(currentBarrier);
    deps.addAll(values);
    return tf.withControlDependencies(deps);
  }

  /**
   * {@code 1 - x} as Keras computes it for a float setting such as {@code beta_1} when it writes
   * {@code 1 - self.beta_1}: in double precision from the Python float, then rounded to float32. Java has only the
   * float {@code x}; the double is taken from its shortest decimal form ({@code 0.9f} gives 0.9, so
   * {@code 1 - x} = 0.1f, where float arithmetic would give 0.100000024).
   */
  protected static float oneMinusAsKeras(float x) {
    return (float) (1 - Double.parseDouble(Float.toString(x)));
  }

  private void bind(GraphRuntime rt) {
    if (runtime == null) {
      runtime = rt;
      Ops tf = rt.scope(name);
      // Not a GraphVariable (those are float): created here, initialised like every init-scope variable by the
      // session's automatic initialisation before its next run.
      iterationsVariable = tf.withName("iteration").variable(tf.withInitScope().constant(0L));
      iterationsValue = tf.withName("iteration_read").identity(iterationsVariable);
      iterationsFeed = tf.withName("iteration_feed").placeholder(TInt64.class);
      iterationsAssign = tf.withName("iteration_assign").assign(iterationsVariable, iterationsFeed);
      kerasIterationsValue = kerasIterations(tf.withSubScope("iterations"), iterationsValue);
      if (schedule == null) {
        GraphVariable learningRateVariable = scalar("learning_rate", learningRate);
        // The shared read: the value does not change within a Session.run (also not in a multi-step one).
        learningRateValue = learningRateVariable.sharedValue();
        learningRateFeed = tf.withName("learning_rate_feed").placeholder(TFloat32.class);
        learningRateAssign =
            tf.withName("learning_rate_assign").assign(learningRateVariable.variable(), learningRateFeed);
      } else {
        learningRateValue = schedule.call(rt.scope(name + "/learning_rate"), iterationsValue);
      }
      onBind(rt);
    } else if (runtime != rt) {
      throw new IllegalStateException(
          "Optimizer '" + name + "' is already used by another model's graph; create one optimizer per model");
    }
  }

  /**
   * Sets the step counter {@link #iterationsCounter()} (restoring a saved optimizer); it drives Adam's bias
   * corrections and schedules, and with gradient accumulation which steps update.
   *
   * @throws IllegalStateException before the optimizer has built its first update
   */
  public synchronized void setIterations(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("Optimizer '" + name + "': iterations must be >= 0. Received: " + value);
    }
    if (runtime == null) {
      throw new IllegalStateException("Optimizer '" + name + "' has no state yet: it is created with the first "
          + "training step");
    }
    try (TInt64 t = TInt64.scalarOf(value)) {
      runtime.session().runner().feed(iterationsFeed, t).addTarget(iterationsAssign).run().close();
    }
  }

  /** Called once when the optimizer binds to a runtime; subclasses create their scalar state here. */
  protected void onBind(GraphRuntime rt) {}

  /** Whether the learning rate comes from a {@link LearningRateFunction} rather than a variable. */
  public boolean hasSchedule() {
    return schedule != null;
  }

  /**
   * The learning rate used by the next step. With a schedule, its value at the current step counter, computed
   * in the graph.
   *
   * @throws IllegalStateException with a schedule, before the first {@link #applyGradients} (the schedule's value
   *     exists only in a graph)
   */
  public synchronized float learningRate() {
    if (runtime == null) {
      if (schedule != null) {
        throw new IllegalStateException(
            "Optimizer '" + name + "': its learning rate is computed by a schedule in the graph, which exists "
                + "only after the first applyGradients");
      }
      return learningRate;
    }
    try (var result = runtime.session().runner().fetch(learningRateValue).run()) {
      return ((TFloat32) result.get(0)).getFloat();
    }
  }

  /**
   * Changes the learning rate for the following steps (callbacks).
   *
   * @throws IllegalStateException if the optimizer was built with a {@link LearningRateFunction}
   */
  public synchronized void setLearningRate(float value) {
    if (schedule != null) {
      throw new IllegalStateException(
          "Optimizer '" + name + "' was created with a learning-rate schedule, hence its learning rate is not "
              + "settable. Create the optimizer with a float learningRate to set it.");
    }
    check("learningRate", value, value >= 0 && !Float.isInfinite(value), "a finite number >= 0");
    learningRate = value;
    if (runtime != null) {
      try (Tensor t = TFloat32.scalarOf(value)) {
        runtime.session().runner().feed(learningRateFeed, t).addTarget(learningRateAssign).run().close();
      }
    }
  }

  /**
   * Keras's {@code optimizer.iterations}: the number of updates applied so far, read from the graph; 0 before
   * the first {@link #applyGradients}. With gradient accumulation over {@code n} steps, Keras's
   * {@code _iterations // n}: the updates really applied ({@link #iterationsCounter()} counts every step).
   */
  public synchronized long iterations() {
    long counter = iterationsCounter();
    return accumulation == null ? counter : accumulation.iterations(counter);
  }

  /**
   * The step counter itself, Keras's {@code optimizer._iterations}: one per run of an update op, also on the steps
   * that only accumulate gradients (the counter learning-rate schedules see); 0 before the first
   * {@link #applyGradients}. Without gradient accumulation it is {@link #iterations()}. This is what is saved with
   * the optimizer's state and restored by {@link #setIterations}.
   */
  public synchronized long iterationsCounter() {
    if (runtime == null) {
      return 0;
    }
    try (var result = runtime.session().runner().fetch(iterationsValue).run()) {
      return ((TInt64) result.get(0)).getLong();
    }
  }

  /**
   * Sets gradient clipping, Keras 3's {@code clipnorm}, {@code clipvalue} and {@code global_clipnorm}; null
   * leaves an option unset. Applied by every update op built afterwards (see {@link #applyGradients}).
   *
   * @param clipnorm each gradient is rescaled so that its L2 norm is at most this
   * @param clipvalue each gradient element is clipped to {@code [-clipvalue, clipvalue]}
   * @param globalClipnorm all gradients are rescaled together so that their global L2 norm is at most this
   * @throws IllegalArgumentException if more than one option is set, or a value is not positive and finite
   * @throws IllegalStateException once the optimizer has built its first update op
   */
  public synchronized void setClipping(Float clipnorm, Float clipvalue, Float globalClipnorm) {
    requireUnbound("clipnorm, clipvalue or globalClipnorm");
    checkPositiveFinite("clipnorm", clipnorm);
    checkPositiveFinite("clipvalue", clipvalue);
    checkPositiveFinite("globalClipnorm", globalClipnorm);
    int set = (clipnorm != null ? 1 : 0) + (clipvalue != null ? 1 : 0) + (globalClipnorm != null ? 1 : 0);
    if (set > 1) {
      throw new IllegalArgumentException(
          "Only one of clipnorm, clipvalue and globalClipnorm can be set on optimizer '" + name + "'. Received: "
              + "clipnorm=" + clipnorm + ", clipvalue=" + clipvalue + ", globalClipnorm=" + globalClipnorm);
    }
    this.clipnorm = clipnorm;
    this.clipvalue = clipvalue;
    this.globalClipnorm = globalClipnorm;
  }

  /** Checks a setting that is null (unset) or a positive finite number, as {@link #check} does. */
  private void checkPositiveFinite(String setting, Float value) {
    require(setting, value, value == null || (value > 0 && !Float.isInfinite(value)), "a positive finite number");
  }

  /**
   * Sets Keras 3's {@code weight_decay}: before each update every variable not excluded
   * ({@link #excludeFromWeightDecay}) is decayed by {@code w = w - w * weightDecay * lr}; null turns it off.
   *
   * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
   * @throws IllegalStateException once the optimizer has built its first update op
   */
  public synchronized void setWeightDecay(Float weightDecay) {
    requireUnbound("weightDecay");
    if (weightDecay != null) {
      check("weightDecay", weightDecay, weightDecay >= 0 && !Float.isInfinite(weightDecay), "a finite number >= 0");
    }
    this.weightDecay = weightDecay;
  }

  /** The weightDecay setting, or null when unset. */
  public synchronized Float weightDecay() {
    return weightDecay;
  }

  /**
   * Keras 3's {@code exclude_from_weight_decay(var_list, var_names)}: {@code variables} and every variable whose
   * name ({@link GraphVariable#name()}, such as {@code dense_1/bias}) contains a match of one of {@code names}
   * (regular expressions, searched as Keras's {@code re.search}; a plain word such as {@code "bias"} matches where
   * it occurs) are not decayed. Each call replaces the previous exclusions.
   *
   * @throws IllegalArgumentException if a name is not a valid regular expression
   * @throws IllegalStateException once the optimizer has built its first update op
   */
  public synchronized void excludeFromWeightDecay(Collection<GraphVariable> variables, Collection<String> names) {
    requireUnbound("excludeFromWeightDecay");
    Pattern pattern = null;
    if (names != null && !names.isEmpty()) {
      try {
        pattern = Pattern.compile(String.join("|", new LinkedHashSet<>(names)));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("Optimizer '" + name + "': excludeFromWeightDecay names must be regular "
            + "expressions (plain words such as \"bias\" are). Received: " + names + " (" + e.getDescription() + ")",
            e);
      }
    }
    this.excludedFromWeightDecay = variables == null ? Set.of() : Set.copyOf(variables);
    this.excludedFromWeightDecayNames = pattern;
  }

  private void requireUnbound(String setting) {
    if (runtime != null) {
      throw new IllegalStateException("Optimizer '" + name + "' has already built its update op; set " + setting
          + " before its first training step");
    }
  }

  /** The clipnorm setting, or null when unset. */
  public synchronized Float clipnorm() {
    return clipnorm;
  }

  /** The clipvalue setting, or null when unset. */
  public synchronized Float clipvalue() {
    return clipvalue;
  }

  /** The globalClipnorm setting, or null when unset. */
  public synchronized Float globalClipnorm() {
    return globalClipnorm;
  }

  /**
   * Sets Keras 3's {@code gradient_accumulation_steps}: null updates at every step; {@code n >= 2} accumulates the
   * gradients of {@code n} steps in non-trainable slots ({@code <optimizer>/<variable>/gradient_accumulator}) and
   * updates with their mean on every {@code n}-th step (see {@link #applyGradients}).
   *
   * @throws IllegalArgumentException if {@code steps} is below 2
   * @throws IllegalStateException once the optimizer has built its first update op
   */
  public synchronized void setGradientAccumulationSteps(Integer steps) {
    requireUnbound("gradientAccumulationSteps");
    require("gradientAccumulationSteps", steps, steps == null || steps >= 2, "an integer >= 2");
    this.accumulation = steps == null ? null : new GradientAccumulation(steps);
  }

  /** The gradientAccumulationSteps setting, or null when unset. */
  public synchronized Integer gradientAccumulationSteps() {
    return accumulation == null ? null : accumulation.steps();
  }

  /**
   * Sets Keras 3's {@code use_ema}, {@code ema_momentum} and {@code ema_overwrite_frequency}: with {@code useEma}
   * each update keeps an exponential moving average of every trained variable in a non-trainable slot
   * ({@code <optimizer>/<variable>/average}), and with an overwrite frequency {@code f} copies the averages into the
   * variables when {@code (iterations + 1) % f == 0}.
   *
   * @throws IllegalArgumentException if {@code emaMomentum} is not in [0, 1] or {@code emaOverwriteFrequency} is
   *     below 1 (checked whether or not {@code useEma} is set; Keras checks them only with {@code use_ema=True})
   * @throws IllegalStateException once the optimizer has built its first update op
   */
  public synchronized void setEma(boolean useEma, float emaMomentum, Integer emaOverwriteFrequency) {
    requireUnbound("useEma, emaMomentum and emaOverwriteFrequency");
    check("emaMomentum", emaMomentum, emaMomentum >= 0 && emaMomentum <= 1, "in the range [0, 1]");
    require("emaOverwriteFrequency", emaOverwriteFrequency,
        emaOverwriteFrequency == null || emaOverwriteFrequency >= 1, "an integer >= 1 or null");
    this.ema = new MovingAverages(useEma, emaMomentum, emaOverwriteFrequency);
  }

  /** The useEma setting (false by default). */
  public synchronized boolean useEma() {
    return ema.enabled();
  }

  /** The emaMomentum setting (0.99 by default). */
  public synchronized float emaMomentum() {
    return ema.momentum();
  }

  /** The emaOverwriteFrequency setting, or null when unset. */
  public synchronized Integer emaOverwriteFrequency() {
    return ema.overwriteFrequency();
  }

  /**
   * The trained variables with their moving averages (Keras's {@code _model_variables_moving_average}), in the
   * order the update ops first saw them; empty without {@code useEma} or before the first {@link #applyGradients}.
   */
  public synchronized Map<GraphVariable, GraphVariable> movingAverages() {
    return ema.averages();
  }

  /**
   * Sets Keras 3's {@code loss_scale_factor}: training steps multiply the loss by it before taking gradients
   * ({@link #scaleLoss}), and every update divides the gradients by it first.
   *
   * @throws IllegalArgumentException if {@code factor} is not positive and finite (Keras does not check)
   * @throws IllegalStateException once the optimizer has built its first update op
   */
  public synchronized void setLossScaleFactor(Float factor) {
    requireUnbound("lossScaleFactor");
    checkPositiveFinite("lossScaleFactor", factor);
    this.lossScaleFactor = factor;
  }

  /** The lossScaleFactor setting, or null when unset. */
  public synchronized Float lossScaleFactor() {
    return lossScaleFactor;
  }

  /**
   * Keras 3's {@code scale_loss}: {@code loss * lossScaleFactor}, or {@code loss} itself when no factor is set; for
   * a training step to differentiate instead of the loss.
   */
  public synchronized Operand<TFloat32> scaleLoss(Ops tf, Operand<TFloat32> loss) {
    if (lossScaleFactor == null) {
      return loss;
    }
    return tf.withName("scaled_loss").math.mul(loss, tf.constant(lossScaleFactor));
  }
}
