package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.saving.Config;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code MultiOptimizer}: trains different variables with different optimizers, chosen per variable by an
 * {@link OptimizerMap} (by variable path, see there) or by any function of the variable.
 *
 * <pre>{@code
 * OptimizerMap map = new OptimizerMap(new SGD(0.1f));   // the rest: SGD
 * map.put("encoder/.*", new Adam(1e-3f));                 // the encoder's variables: Adam
 * model.compile(new MultiOptimizer(map), "mse");
 * }</pre>
 *
 * <p>At its first {@link #applyGradients} each variable gets its optimizer (Keras's {@code build}); each inner
 * optimizer then updates its own variables, with its own slots, learning rate, clipping, weight decay, EMA and
 * step counter, all in the one update op; the wrapper's own {@link #iterations()} advances once per step after
 * them. The inner optimizers are listed by {@link #optimizers()} (the map's, in key order, then the default, then
 * those a function returned, in order of first use); their learning rates are set on them: the wrapper's
 * {@link #getLearningRate()} and {@link #setLearningRate} throw, as Keras's {@code learning_rate} does.
 *
 * <p>{@link #lossScaleFactor(Float)} scales the loss by the factor and sets the same factor on every inner
 * optimizer (replacing theirs, as Keras does; the constructor sets theirs to the wrapper's, null by default). The
 * other base settings (clipping, weight decay, EMA, gradient accumulation) are set on the inner optimizers; the
 * wrapper's setters for them throw (their default values are accepted). Differences from Keras: Keras refuses
 * gradients for variables it was not built with, here a later update may include new variables (they get their
 * optimizer then). Saving a model saves the wrapper's step counter and every inner optimizer's state (slots, step
 * counter) with it, as Keras does ({@link #wrappedOptimizers()}).
 */
public class MultiOptimizer extends WrapperOptimizer {

  private final WrapperUpdate own;
  private final OptimizerMap optimizerMap;
  private final Function<GraphVariable, ? extends Optimizer> selector;
  private final List<Optimizer> optimizers = new ArrayList<>();
  /** Each variable's optimizer, fixed at the first update that includes it. */
  private final Map<GraphVariable, Optimizer> assigned = new LinkedHashMap<>();
  private Float lossScaleFactor;

  /** A MultiOptimizer choosing by {@code optimizerMap}, without loss scaling. */
  public MultiOptimizer(OptimizerMap optimizerMap) {
    this(optimizerMap, null);
  }

  /**
   * @param optimizerMap the optimizer of each variable
   * @param lossScaleFactor Keras's {@code loss_scale_factor}: the loss is multiplied by it and the inner optimizers
   *     divide the gradients by it (set on each of them, replacing theirs); null for none
   * @throws IllegalArgumentException if {@code optimizerMap} is null or the factor is not positive and finite
   */
  public MultiOptimizer(OptimizerMap optimizerMap, Float lossScaleFactor) {
    this(requireMap(optimizerMap), optimizerMap, lossScaleFactor);
  }

  /**
   * A MultiOptimizer choosing by {@code selector} (Keras's callable {@code optimizer_map}), which must return an
   * optimizer for every trained variable. Such a MultiOptimizer has no config: a model compiled with it cannot be
   * saved with its optimizer.
   *
   * @throws IllegalArgumentException if {@code selector} is null
   */
  public MultiOptimizer(Function<GraphVariable, ? extends Optimizer> selector) {
    this(requireSelector(selector), null, null);
  }

  private MultiOptimizer(Function<GraphVariable, ? extends Optimizer> selector, OptimizerMap map, Float factor) {
    this(new WrapperUpdate(Backend.uniqueName("multi_optimizer")), selector, map, factor);
  }

  private MultiOptimizer(
      WrapperUpdate own, Function<GraphVariable, ? extends Optimizer> selector, OptimizerMap map, Float factor) {
    super(own);
    this.own = own;
    this.selector = selector;
    this.optimizerMap = map;
    if (map != null) {
      for (Optimizer o : map.entries().values()) {
        addOptimizer(o);
      }
      addOptimizer(map.defaultOptimizer());
    }
    lossScaleFactor(factor);
  }

  private static OptimizerMap requireMap(OptimizerMap map) {
    if (map == null) {
      throw new IllegalArgumentException("MultiOptimizer: optimizerMap must be an OptimizerMap or a function of the "
          + "variable. Received: optimizerMap=null");
    }
    return map;
  }

  private static Function<GraphVariable, ? extends Optimizer> requireSelector(
      Function<GraphVariable, ? extends Optimizer> selector) {
    if (selector == null) {
      throw new IllegalArgumentException("MultiOptimizer: optimizerMap must be an OptimizerMap or a function of the "
          + "variable. Received: optimizerMap=null");
    }
    return selector;
  }

  private void addOptimizer(Optimizer o) {
    for (Optimizer known : optimizers) {
      if (known == o) {
        return;
      }
    }
    optimizers.add(o);
  }

  /** The OptimizerMap this was built with, or null when built with a function. */
  public OptimizerMap getOptimizerMap() {
    return optimizerMap;
  }

  /** Keras's {@code optimizers}: the inner optimizers, each once (see the class comment for the order). */
  public List<Optimizer> optimizers() {
    return List.copyOf(optimizers);
  }

  /** The inner optimizers, as {@link #optimizers()}: their slots and step counters are saved with the wrapper. */
  @Override
  public List<Optimizer> wrappedOptimizers() {
    return optimizers();
  }

  /**
   * The optimizer that trains {@code variable}: the one fixed by a previous update, else the map's (or the
   * function's) choice.
   *
   * @throws IllegalArgumentException if the map is ambiguous for the variable, or the choice is null, a
   *     {@link LossScaleOptimizer} or a {@link MultiOptimizer} (as Keras's {@code build})
   */
  public Optimizer optimizerFor(GraphVariable variable) {
    Optimizer known = assigned.get(variable);
    if (known != null) {
      return known;
    }
    Optimizer o = selector.apply(variable);
    if (o == null) {
      throw new IllegalArgumentException("Optimizer for variable " + variable.name() + " is not an Optimizer "
          + "instance. Received: null from the MultiOptimizer's function");
    }
    if (o instanceof LossScaleOptimizer) {
      throw new IllegalArgumentException("LossScaleOptimizer cannot be used inside an MultiOptimizer (variable "
          + variable.name() + " got '" + o.name() + "'); wrap the MultiOptimizer in it instead.");
    }
    if (o instanceof MultiOptimizer) {
      throw new IllegalArgumentException("MultiOptimizer cannot be used inside an MultiOptimizer (variable "
          + variable.name() + " got '" + o.name() + "').");
    }
    return o;
  }

  /**
   * Keras's {@code apply}: the variables are grouped by optimizer ({@link #optimizerFor}), each inner optimizer
   * builds its update of its group (waiting for {@code barrier} and for every group's gradients), and the wrapper's step counter is incremented
   * after all of them. With no variables it is a no-op that does not count.
   */
  @Override
  public synchronized Op applyGradients(
      GraphRuntime rt, List<GraphVariable> variables, List<Operand<TFloat32>> gradients, List<? extends Op> barrier) {
    if (variables.size() != gradients.size()) {
      throw new IllegalArgumentException("Optimizer '" + name() + "': " + variables.size() + " variables but "
          + gradients.size() + " gradients");
    }
    Map<Optimizer, List<Integer>> groups = new IdentityHashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      groups.computeIfAbsent(optimizerFor(variables.get(i)), o -> new ArrayList<>()).add(i);
    }
    // Only once every choice is known valid: remember them, and adopt new optimizers with the wrapper's factor.
    for (int i = 0; i < variables.size(); i++) {
      GraphVariable v = variables.get(i);
      Optimizer o = optimizerFor(v);
      if (!optimizers.contains(o)) {
        if (!Objects.equals(o.getLossScaleFactor(), lossScaleFactor)) {
          o.lossScaleFactor(lossScaleFactor);
        }
        addOptimizer(o);
      }
      assigned.putIfAbsent(v, o);
    }
    // Every group's update waits for every gradient, not only its own: a gradient of one group reads the weights
    // of another (a lower layer's gradient goes through the upper layer's kernel), so none may change first.
    List<Op> allGradients = new ArrayList<>(barrier);
    allGradients.addAll(gradients);
    List<Op> done = new ArrayList<>();
    for (Optimizer o : optimizers) {
      List<Integer> group = groups.get(o);
      if (group == null) {
        continue;
      }
      List<GraphVariable> vars = new ArrayList<>();
      List<Operand<TFloat32>> grads = new ArrayList<>();
      for (int i : group) {
        vars.add(variables.get(i));
        grads.add(gradients.get(i));
      }
      done.add(o.applyGradients(rt, vars, grads, allGradients));
    }
    // The wrapper's own counter (Keras's _iterations.assign_add(1)) after every inner update.
    return own.applyGradients(rt, variables, gradients, done);
  }

  /** Refused as Keras's {@code learning_rate} is: each inner optimizer has its own. */
  @Override
  public float getLearningRate() {
    throw new IllegalStateException("Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate "
        + "on the individual sub-optimizers instead (optimizers()).");
  }

  /** Refused as Keras's {@code learning_rate} setter is: each inner optimizer has its own. */
  @Override
  public void setLearningRate(float learningRate) {
    throw new IllegalStateException("Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
        + "individual sub-optimizers instead (optimizers()).");
  }

  /**
   * Keras's {@code finalize_variable_values}: each inner optimizer finalizes its own variables of {@code varList}
   * (with EMA, copies their moving averages into them).
   */
  @Override
  public void finalizeVariableValues(List<GraphVariable> varList) {
    Map<Optimizer, List<GraphVariable>> groups = new IdentityHashMap<>();
    for (GraphVariable v : varList) {
      groups.computeIfAbsent(optimizerFor(v), o -> new ArrayList<>()).add(v);
    }
    for (Optimizer o : optimizers) {
      List<GraphVariable> group = groups.get(o);
      if (group != null) {
        o.finalizeVariableValues(group);
      }
    }
  }

  /**
   * Keras's {@code loss_scale_factor} setter: the wrapper's factor, set on every inner optimizer too (replacing
   * theirs); null for none.
   *
   * @throws IllegalArgumentException if {@code factor} is not positive and finite
   * @throws IllegalStateException if an inner optimizer has already built its update (first training step)
   */
  @Override
  public Optimizer lossScaleFactor(Float factor) {
    if (factor != null && (!(factor > 0) || Float.isInfinite(factor))) {
      throw new IllegalArgumentException("Optimizer '" + name() + "': lossScaleFactor must be a positive finite "
          + "number. Received: lossScaleFactor=" + factor);
    }
    for (Optimizer o : optimizers) {
      if (!Objects.equals(o.getLossScaleFactor(), factor)) {
        o.lossScaleFactor(factor);
      }
    }
    this.lossScaleFactor = factor;
    return this;
  }

  /** The wrapper's lossScaleFactor, or null. */
  @Override
  public Float getLossScaleFactor() {
    return lossScaleFactor;
  }

  /** Keras's {@code scale_loss}: {@code loss * lossScaleFactor}, or {@code loss} when none is set. */
  @Override
  public Operand<TFloat32> scaleLoss(Ops tf, Operand<TFloat32> loss) {
    if (lossScaleFactor == null) {
      return loss;
    }
    return tf.withName("scaled_loss").math.mul(loss, tf.constant(lossScaleFactor));
  }

  @Override
  String whereToSetIt() {
    return "on its sub-optimizers (optimizers())";
  }

  /**
   * Keras's config: {@code optimizer_map} ({@code {"class_name": "OptimizerMap", "config": ...}}, see
   * {@link OptimizerMap#getConfig()}), {@code loss_scale_factor} and {@code name}.
   *
   * @throws IllegalStateException when built with a function, which has no config
   */
  @Override
  public Map<String, Object> getConfig() {
    if (optimizerMap == null) {
      throw new IllegalStateException("MultiOptimizer '" + name() + "' was built with a function, which cannot be "
          + "serialized; build it with an OptimizerMap to save it");
    }
    Map<String, Object> serializedMap = new LinkedHashMap<>();
    serializedMap.put("class_name", "OptimizerMap");
    serializedMap.put("config", optimizerMap.getConfig());
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("optimizer_map", serializedMap);
    c.put("loss_scale_factor", lossScaleFactor);
    c.put("name", name());
    return c;
  }

  /**
   * Keras's {@code from_config}: rebuilds the OptimizerMap and its optimizers (custom classes through the config's
   * {@link Config#customObjects()}) and the factor. The name is not restored (Keras4J names optimizers itself).
   *
   * @throws IllegalArgumentException for a missing or bad {@code optimizer_map}
   */
  public static MultiOptimizer fromConfig(Config config) {
    Map<String, Object> spec = config.getMap("optimizer_map");
    Object mapConfig = spec.get("config");
    if (!"OptimizerMap".equals(spec.get("class_name")) || !(mapConfig instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("MultiOptimizer: 'optimizer_map' must be {\"class_name\": \"OptimizerMap\", "
          + "\"config\": {...}}, found " + spec);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) mapConfig;
    OptimizerMap map = OptimizerMap.fromConfig(new Config(m, "OptimizerMap", config.customObjects()));
    Double factor = config.getDoubleOrNull("loss_scale_factor");
    return new MultiOptimizer(map, factor == null ? null : factor.floatValue());
  }
}
