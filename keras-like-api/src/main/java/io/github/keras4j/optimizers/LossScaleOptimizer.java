package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import io.github.keras4j.saving.Config;
import io.github.keras4j.saving.TrainingSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Merge;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras's {@code LossScaleOptimizer}: wraps another optimizer and scales the loss dynamically, against numeric
 * underflow of small gradients in low-precision training.
 *
 * <p>Training steps multiply the loss by the current loss scale ({@link #scaleLoss}); {@link #applyGradients}
 * then, all in the step's one {@code Session.run}, as Keras does:
 * <ul>
 *   <li>if every gradient is finite: divides them by the scale and applies them with the inner optimizer; after
 *       {@code dynamicGrowthSteps} such steps in a row the scale doubles;
 *   <li>otherwise (an inf or NaN anywhere): skips the step (the inner optimizer's weights, slots and
 *       {@link #iterations()} do not change) and halves the scale.
 * </ul>
 * The scale and the count of finite steps live in the graph, in {@code <name>/dynamic_scale} (float32) and
 * {@code <name>/step_counter} (int64); {@link #dynamicScale()} and {@link #stepCounter()} read them.
 *
 * <pre>{@code model.compile(new LossScaleOptimizer(new Adam(1e-3f), 1024f, 1000), "mse");}</pre>
 *
 * <p>The learning rate, {@link #iterations()} and {@link #finalizeVariableValues} are the inner optimizer's, as in
 * Keras. Clipping, weight decay, EMA, gradient accumulation and {@code lossScaleFactor} are set on the inner
 * optimizer; the wrapper's own setters for them throw as Keras's constructor does (their default values are
 * accepted). Saving a model saves the scale, the step count and
 * the inner optimizer's state (slots, step counter) with it, as Keras does ({@link #wrappedOptimizers()},
 * {@link #extraState()}). Differences from Keras: the inner optimizer's {@code lossScaleFactor} is turned off by the
 * constructor (Keras too) so it must not have trained yet with one; wrapping another {@code LossScaleOptimizer} is
 * refused.
 */
public class LossScaleOptimizer extends WrapperOptimizer {

  private final Optimizer innerOptimizer;
  private final float initialScale;
  private final int dynamicGrowthSteps;
  /** The graph holding the scale and counter once created (first {@link #scaleLoss} or {@link #applyGradients}). */
  private Graph graph;
  private Variable<TFloat32> dynamicScale;
  private Operand<TFloat32> dynamicScaleRead;
  private Variable<TInt64> stepCounter;
  private Operand<TInt64> stepCounterRead;
  /** Restoring the scale and counter: created on the first {@link #restoreExtraState}. */
  private Placeholder<TFloat32> scaleFeed;
  private Placeholder<TInt64> counterFeed;
  private Op restore;

  /** Keras's defaults: {@code initialScale = 2^15}, {@code dynamicGrowthSteps = 2000}. */
  public LossScaleOptimizer(Optimizer innerOptimizer) {
    this(innerOptimizer, 32768f, 2000);
  }

  /**
   * @param innerOptimizer the optimizer that applies the unscaled gradients (Keras's {@code inner_optimizer})
   * @param initialScale the first loss scale, positive and finite (Keras recommends a high one: a scale too high
   *     falls much faster than one too low grows)
   * @param dynamicGrowthSteps the scale doubles after this many consecutive steps with finite gradients, {@code >= 1}
   * @throws IllegalArgumentException for a null or {@code LossScaleOptimizer} inner optimizer or a bad setting
   *     (Keras checks neither number)
   * @throws IllegalStateException if the inner optimizer has a {@code lossScaleFactor} and has already trained
   */
  public LossScaleOptimizer(Optimizer innerOptimizer, float initialScale, int dynamicGrowthSteps) {
    super(new WrapperUpdate(Backend.uniqueName("loss_scale_optimizer")));
    if (innerOptimizer == null) {
      throw new IllegalArgumentException("LossScaleOptimizer: innerOptimizer must be an Optimizer such as new "
          + "SGD(0.01f). Received: innerOptimizer=null");
    }
    if (innerOptimizer instanceof LossScaleOptimizer) {
      throw new IllegalArgumentException("LossScaleOptimizer: innerOptimizer cannot be another LossScaleOptimizer "
          + "(the loss would be scaled once and unscaled twice). Received: innerOptimizer='" + innerOptimizer.name()
          + "'");
    }
    if (!(initialScale > 0) || Float.isInfinite(initialScale)) {
      throw new IllegalArgumentException("LossScaleOptimizer: initialScale must be a positive finite number. "
          + "Received: initialScale=" + initialScale);
    }
    if (dynamicGrowthSteps < 1) {
      throw new IllegalArgumentException("LossScaleOptimizer: dynamicGrowthSteps must be an integer >= 1. "
          + "Received: dynamicGrowthSteps=" + dynamicGrowthSteps);
    }
    this.innerOptimizer = innerOptimizer;
    this.initialScale = initialScale;
    this.dynamicGrowthSteps = dynamicGrowthSteps;
    // As Keras: the inner optimizer must not scale the gradients a second time.
    if (innerOptimizer.getLossScaleFactor() != null) {
      innerOptimizer.lossScaleFactor(null);
    }
  }

  /** The wrapped optimizer (Keras's {@code inner_optimizer}). */
  public Optimizer getInnerOptimizer() {
    return innerOptimizer;
  }

  /** The initialScale setting. */
  public float getInitialScale() {
    return initialScale;
  }

  /** The dynamicGrowthSteps setting. */
  public int getDynamicGrowthSteps() {
    return dynamicGrowthSteps;
  }

  /**
   * Keras's {@code dynamic_scale}: the current loss scale, read from the graph; {@link #getInitialScale()} before
   * the first training step.
   */
  public float dynamicScale() {
    GraphRuntime rt = stateRuntime();
    if (rt == null) {
      return initialScale;
    }
    try (Result r = rt.session().runner().fetch(dynamicScaleRead).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /**
   * Keras's {@code step_counter}: the finite steps since the scale last changed, read from the graph; 0 before the
   * first training step.
   */
  public long stepCounter() {
    GraphRuntime rt = stateRuntime();
    if (rt == null) {
      return 0;
    }
    try (Result r = rt.session().runner().fetch(stepCounterRead).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /** The inner optimizer: its slots and step counter are saved with the wrapper. */
  @Override
  public List<Optimizer> wrappedOptimizers() {
    return List.of(innerOptimizer);
  }

  /**
   * {@code dynamic_scale} and {@code step_counter} ({@link #dynamicScale()}, {@link #stepCounter()}) once the wrapper
   * has its state in a graph (the first training step is built); empty before.
   */
  @Override
  public Map<String, Double> extraState() {
    if (stateRuntime() == null) {
      return Map.of();
    }
    Map<String, Double> state = new LinkedHashMap<>();
    state.put("dynamic_scale", (double) dynamicScale());
    state.put("step_counter", (double) stepCounter());
    return state;
  }

  /**
   * Assigns {@code dynamic_scale} and {@code step_counter} in the graph, as loading a saved model does.
   *
   * @throws IllegalArgumentException if the keys are not exactly these two, the scale is not a positive finite
   *     float32 or the counter not a whole number {@code >= 0}
   * @throws IllegalStateException before the wrapper has its state in a graph (the first training step is built)
   */
  @Override
  public synchronized void restoreExtraState(Map<String, Double> state) {
    if (!state.keySet().equals(Set.of("dynamic_scale", "step_counter"))) {
      throw new IllegalArgumentException("Optimizer '" + name() + "': the extra state must have the keys "
          + "dynamic_scale and step_counter. Received: " + state);
    }
    double scale = state.get("dynamic_scale");
    double counter = state.get("step_counter");
    if (!(scale > 0) || Float.isInfinite((float) scale)) {
      throw new IllegalArgumentException("Optimizer '" + name() + "': dynamic_scale must be a positive finite "
          + "float32. Received: " + scale);
    }
    if (!(counter >= 0) || counter != Math.rint(counter) || counter > (double) Long.MAX_VALUE) {
      throw new IllegalArgumentException("Optimizer '" + name() + "': step_counter must be a whole number >= 0. "
          + "Received: " + counter);
    }
    GraphRuntime rt = stateRuntime();
    if (rt == null) {
      throw new IllegalStateException("Optimizer '" + name() + "' has no state yet: it is created with the first "
          + "training step");
    }
    if (scaleFeed == null) {
      Ops s = Ops.create(graph).withSubScope(name());
      scaleFeed = s.withName("dynamic_scale_feed").placeholder(TFloat32.class);
      counterFeed = s.withName("step_counter_feed").placeholder(TInt64.class);
      Op scaleAssign = s.withName("dynamic_scale_restore").assign(dynamicScale, scaleFeed);
      Op counterAssign = s.withName("step_counter_restore").assign(stepCounter, counterFeed);
      restore = s.withControlDependencies(List.of(scaleAssign, counterAssign)).withName("restore").noOp();
    }
    try (TFloat32 scaleValue = TFloat32.scalarOf((float) scale);
        TInt64 counterValue = TInt64.scalarOf((long) counter)) {
      rt.session().runner().feed(scaleFeed, scaleValue).feed(counterFeed, counterValue).addTarget(restore).run()
          .close();
    }
  }

  /** The runtime whose graph holds the scale, or null while it has none (or no session). */
  private GraphRuntime stateRuntime() {
    GraphRuntime rt = innerOptimizer.runtimeOrNull();
    return graph != null && rt != null && rt.graph() == graph ? rt : null;
  }

  /**
   * Creates the scale and counter in {@code env} the first time; afterwards checks that {@code env} is the same
   * graph. They are plain graph variables, initialised with the session's automatic initialisation, because
   * {@link #scaleLoss} (called first by training steps) receives only the ops, not the runtime.
   */
  private synchronized void state(ExecutionEnvironment env) {
    if (graph != null) {
      if (env != graph) {
        throw new IllegalStateException("Optimizer '" + name() + "' is already used by another model's graph; "
            + "create one optimizer per model");
      }
      return;
    }
    if (!(env instanceof Graph g)) {
      throw new IllegalStateException("Optimizer '" + name() + "' works in graph mode only");
    }
    Ops s = Ops.create(g).withSubScope(name());
    Ops init = s.withInitScope();
    dynamicScale = s.withName("dynamic_scale").variable(init.constant(initialScale));
    dynamicScaleRead = s.withName("dynamic_scale_read").identity(dynamicScale);
    stepCounter = s.withName("step_counter").variable(init.constant(0L));
    stepCounterRead = s.withName("step_counter_read").identity(stepCounter);
    graph = g;
  }

  /**
   * Keras's {@code scale_loss}: {@code loss * dynamicScale}, the scale read in the graph at each step (inside a
   * multi-step execution, after the previous copy's update).
   */
  @Override
  public Operand<TFloat32> scaleLoss(Ops tf, Operand<TFloat32> loss) {
    state(tf.scope().env());
    Operand<TFloat32> scale = GraphRuntime.currentRead(dynamicScale, dynamicScaleRead);
    return tf.withName("scaled_loss").math.mul(loss, scale);
  }

  /**
   * Keras's {@code apply}: if every gradient is finite, the inner optimizer's update of the gradients divided by
   * the scale, else nothing; then the scale and counter change (see the class comment). Keras's {@code ops.cond} is
   * TensorFlow's graph conditional ({@code Switch} and {@code Merge}): the inner update waits for the true output
   * of a {@code Switch} on "all finite", so on a non-finite step it is dead and none of its ops (applies, slot and
   * counter updates) runs; the scale and counter are assigned after the {@code Merge} of both branches.
   */
  @Override
  public Op applyGradients(
      GraphRuntime rt, List<GraphVariable> variables, List<Operand<TFloat32>> gradients, List<? extends Op> barrier) {
    if (variables.size() != gradients.size()) {
      throw new IllegalArgumentException("Optimizer '" + name() + "': " + variables.size() + " variables but "
          + gradients.size() + " gradients");
    }
    state(rt.graph());
    Ops tf = rt.scope(name());
    Operand<TFloat32> scale = GraphRuntime.currentRead(dynamicScale, dynamicScaleRead);
    Operand<TInt64> counter = GraphRuntime.currentRead(stepCounter, stepCounterRead);
    Operand<TBool> finite = allFinite(tf, gradients);
    SwitchCond<TBool> branch = tf.switchCond(finite, finite);
    Operand<TBool> pivotTrue = tf.withName("finite_branch").identity(branch.outputTrue());
    Operand<TBool> pivotFalse = tf.withName("non_finite_branch").identity(branch.outputFalse());
    Ops inFinite = tf.withSubScope("unscale").withControlDependencies(List.of(pivotTrue));
    List<Operand<TFloat32>> unscaled = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      unscaled.add(inFinite.math.div(g, scale));
    }
    List<Op> innerBarrier = new ArrayList<>(barrier);
    innerBarrier.add(pivotTrue);
    Op inner = innerOptimizer.applyGradients(rt, variables, unscaled, innerBarrier);
    Operand<TBool> finiteDone = tf.withControlDependencies(List.of(inner)).withName("finite_done").identity(pivotTrue);
    List<Op> skipWaits = new ArrayList<>(barrier);
    skipWaits.addAll(gradients);
    Operand<TBool> skipDone = tf.withControlDependencies(skipWaits).withName("non_finite_done").identity(pivotFalse);
    Merge<TBool> merged = tf.merge(List.of(finiteDone, skipDone));
    // Keras: finite -> (counter == growth - 1 ? (0, 2 * scale) : (counter + 1, scale)); else (0, scale / 2).
    Ops after = tf.withControlDependencies(List.of(merged));
    Operand<TBool> grow = after.math.equal(counter, after.constant((long) dynamicGrowthSteps - 1));
    Operand<TInt64> zero = after.constant(0L);
    Operand<TInt64> newCounter = after.select(finite, after.select(grow, zero, after.math.add(counter,
        after.constant(1L))), zero);
    Operand<TFloat32> newScale = after.select(finite,
        after.select(grow, after.math.mul(scale, after.constant(2f)), scale),
        after.math.mul(scale, after.constant(0.5f)));
    Ops write = tf.withControlDependencies(List.of(merged, newCounter, newScale));
    Op counterAssign = write.withName("step_counter_assign").assign(stepCounter, newCounter);
    Op scaleAssign = write.withName("dynamic_scale_assign").assign(dynamicScale, newScale);
    return tf.withControlDependencies(List.of(counterAssign, scaleAssign)).withName("update").noOp();
  }

  /** Keras's {@code check_finite}: whether no gradient has an inf or NaN (true with no gradients). */
  private static Operand<TBool> allFinite(Ops tf, List<Operand<TFloat32>> gradients) {
    Ops s = tf.withSubScope("check_finite");
    if (gradients.isEmpty()) {
      return s.constant(true);
    }
    List<Operand<TBool>> each = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      Operand<TBool> finite = s.math.isFinite(g);
      each.add(s.reduceAll(finite, Shapes.allAxes(s, finite)));
    }
    Operand<TBool> stacked = s.stack(each);
    return s.withName("all_finite").reduceAll(stacked, s.constant(0));
  }

  /** The inner optimizer's runtime: the wrapper trains in the graph its inner optimizer is bound to. */
  @Override
  public GraphRuntime runtimeOrNull() {
    return innerOptimizer.runtimeOrNull();
  }

  /** The inner optimizer's learning rate, as Keras's {@code learning_rate} property. */
  @Override
  public float getLearningRate() {
    return innerOptimizer.getLearningRate();
  }

  /** Sets the inner optimizer's learning rate, as Keras's {@code learning_rate} setter. */
  @Override
  public void setLearningRate(float learningRate) {
    innerOptimizer.setLearningRate(learningRate);
  }

  /** The inner optimizer's schedule, or null. */
  @Override
  public LearningRateSchedule getLearningRateSchedule() {
    return innerOptimizer.getLearningRateSchedule();
  }

  /** The inner optimizer's {@code iterations}: updates applied, skipped steps not counted (as Keras). */
  @Override
  public long iterations() {
    return innerOptimizer.iterations();
  }

  /** The inner optimizer's step counter. */
  @Override
  public long iterationsCounter() {
    return innerOptimizer.iterationsCounter();
  }

  /** Sets the inner optimizer's step counter. */
  @Override
  public void setIterations(long iterations) {
    innerOptimizer.setIterations(iterations);
  }

  /** The inner optimizer's {@code finalize_variable_values}, as Keras. */
  @Override
  public void finalizeVariableValues(List<GraphVariable> varList) {
    innerOptimizer.finalizeVariableValues(varList);
  }

  /** Accepts only null; otherwise refused as Keras does: the wrapper's scale replaces a fixed factor. */
  @Override
  public Optimizer lossScaleFactor(Float factor) {
    return defaultOnly("lossScaleFactor", factor, null);
  }

  @Override
  String whereToSetIt() {
    return "on the `innerOptimizer`";
  }

  /**
   * Keras's config: {@code name}, {@code inner_optimizer} ({@code {"class_name", "config"}}), {@code initial_scale}
   * and {@code dynamic_growth_steps}; none of the base optimizer's settings.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    c.put("inner_optimizer", TrainingSerialization.serializeOptimizer(innerOptimizer));
    c.put("initial_scale", initialScale);
    c.put("dynamic_growth_steps", dynamicGrowthSteps);
    return c;
  }

  /** The base optimizer's settings that old Keras configs may carry, with the only values accepted. */
  private static final Map<String, Object> BASE_DEFAULTS = baseDefaults();

  private static Map<String, Object> baseDefaults() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("weight_decay", null);
    m.put("clipnorm", null);
    m.put("global_clipnorm", null);
    m.put("clipvalue", null);
    m.put("use_ema", false);
    m.put("ema_momentum", 0.99);
    m.put("ema_overwrite_frequency", null);
    m.put("loss_scale_factor", null);
    m.put("gradient_accumulation_steps", null);
    return m;
  }

  private static final Set<String> OWN_KEYS =
      Set.of("name", "inner_optimizer", "initial_scale", "dynamic_growth_steps", "dynamic");

  /**
   * Keras's {@code from_config}: rebuilds the inner optimizer (custom classes through the config's
   * {@link Config#customObjects()}) and the wrapper. As Keras, the base optimizer's settings that older configs
   * wrote are accepted at their default values only, and {@code dynamic: false} is refused. The name is not
   * restored (Keras4J names optimizers itself).
   *
   * @throws IllegalArgumentException for an unknown key, a base setting off its default, {@code dynamic: false} or
   *     a bad inner optimizer
   */
  public static LossScaleOptimizer fromConfig(Config config) {
    if (config.has("dynamic") && !config.getBoolean("dynamic")) {
      throw new IllegalArgumentException("LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply "
          + "set `loss_scale_factor` directly on the `inner_optimizer`.");
    }
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, Object> e : config.map().entrySet()) {
      String key = e.getKey();
      if (OWN_KEYS.contains(key)) {
        continue;
      }
      if (!BASE_DEFAULTS.containsKey(key)) {
        unknown.add(key);
        continue;
      }
      Object value = e.getValue();
      Object expected = BASE_DEFAULTS.get(key);
      boolean isDefault = value == null ? expected == null
          : expected instanceof Double d ? value instanceof Number n && n.doubleValue() == d : value.equals(expected);
      if (!isDefault) {
        throw new IllegalArgumentException("LossScaleOptimizer does not support `" + key + "`. Instead, set `" + key
            + "` on the `inner_optimizer`. Received: " + key + "=" + value);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "LossScaleOptimizer does not support arguments: `" + String.join("`, `", unknown) + "`.");
    }
    if (!config.has("inner_optimizer")) {
      throw new IllegalArgumentException("LossScaleOptimizer: the config has no 'inner_optimizer' (expected "
          + "{\"class_name\": ..., \"config\": {...}})");
    }
    Optimizer inner = TrainingSerialization.deserializeOptimizer(config.get("inner_optimizer"),
        config.customObjects());
    return new LossScaleOptimizer(inner, config.getFloat("initial_scale", 32768f),
        config.getInt("dynamic_growth_steps", 2000));
  }
}
