package io.github.keras4j.models;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Trace;
import io.github.keras4j.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Declares a custom {@link Step}: its inputs (placeholders), the losses to minimize with which optimizer over
 * which variables, extra updates (target-network soft updates) and the named values to fetch. Obtained inside
 * {@link Step#build}; the ops are built when the body returns.
 *
 * <p>Order inside one step, as one {@code Session.run}: every output and every gradient is computed from the
 * weights as they were at the start of the step; then the optimizers apply their gradients (several
 * {@link #minimize} calls update their variables from the same starting point), the weight constraints and the
 * layers' state updates (BatchNormalization statistics) run; the soft updates run last, so they copy the
 * just-trained weights.
 *
 * <p>{@link #afterUpdates} splits a step into phases run in order, still in one {@code Session.run}: what is
 * declared in its body is computed from the weights (and optimizer slots) as the updates declared before it left
 * them, as a sequential Keras {@code train_step} does. DDPG trains the critic, then the actor through the updated
 * critic:
 * <pre>{@code
 * Step step = Step.build(critic, b -> {
 *   Operand<TFloat32> s = b.input("state", 3);
 *   ...
 *   b.minimize(criticLoss, criticOptimizer, critic.trainableVariables());
 *   b.afterUpdates(() -> {
 *     Operand<TFloat32> actorLoss = tf.math.neg(tf.math.mean(critic.call(List.of(s, actor.call(s, true)), true)...));
 *     b.minimize(actorLoss, actorOptimizer, actor.trainableVariables());   // sees the updated critic
 *   });
 *   b.softUpdate(targetActor, actor, 0.005);
 * });
 * }</pre>
 */
public final class StepBuilder {

  private final GraphRuntime rt;
  private final Ops tf;
  /** The open trace of the layers' updates and losses (under data parallelism, of the current phase). */
  private Trace trace;
  /** The inputs by name: float32 placeholders, and TString ones declared by {@link #stringInput}. */
  private final Map<String, Placeholder<?>> inputs = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> outputs = new LinkedHashMap<>();
  private final List<Minimize> minimizes = new ArrayList<>();
  private final List<SoftUpdate> softUpdates = new ArrayList<>();
  private final List<Map<GraphVariable, Constraint>> constraints = new ArrayList<>();
  /** The op that marks the end of the last phase ended, or null before the first. */
  private Op phaseEnd;
  /** The first output and the first layer update of the current phase. */
  private int phaseOutputs;
  private int phaseLayerUpdates;
  /** Set once an {@link #afterUpdates} call has returned: only soft updates may follow. */
  private boolean sealed;
  /** Whether some phase applies gradients or layer updates. */
  private boolean updates;
  /** The shared, split inputs when this builder traces one replica of a data-parallel step; null otherwise. */
  private final ReplicatedStep.Inputs replicated;
  private final int replica;
  /** Under data parallelism: the body of this phase's afterUpdates call, run when every replica ended the phase. */
  private Runnable deferred;

  record Minimize(Operand<TFloat32> loss, Optimizer optimizer, List<GraphVariable> variables) {}

  record SoftUpdate(Model target, Model source, float tau) {}

  StepBuilder(GraphRuntime rt, Ops tf, Trace trace) {
    this(rt, tf, trace, null, 0);
  }

  /** A builder tracing replica {@code replica} of a data-parallel step, its inputs parts of {@code replicated}. */
  StepBuilder(GraphRuntime rt, Ops tf, Trace trace, ReplicatedStep.Inputs replicated, int replica) {
    this.rt = rt;
    this.tf = tf;
    this.trace = trace;
    this.replicated = replicated;
    this.replica = replica;
  }

  /** The op factory, in the step's name scope. */
  public Ops tf() {
    return tf;
  }

  /**
   * Declares a float input fed at every run under {@code name}, of shape {@code (None, sampleShape...)}; give no
   * sample shape for a per-sample scalar {@code (None,)}. Under data parallelism the returned operand is this
   * replica's part of the fed rows (see {@link Step}).
   */
  public Operand<TFloat32> input(String name, long... sampleShape) {
    return input(name, Shapes.withBatch(sampleShape));
  }

  /** Declares a float input of exactly {@code shape} ({@code -1} for an unknown size; {@code Shape.scalar()}). */
  public Operand<TFloat32> input(String name, Shape shape) {
    checkInputName("input()", name);
    if (replicated != null) {
      inputs.put(name, replicated.placeholder(replica, name, shape));
      return replicated.part(replica, name);
    }
    Placeholder<TFloat32> p = tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(shape));
    inputs.put(name, p);
    return p;
  }

  /**
   * Declares a string input fed at every run under {@code name} with a {@code String[]} (shape {@code (None,)}, no
   * sample shape given) or {@code String[][]} (sample shape {@code k}: {@code (None, k)}): Keras's string tensors
   * in a custom {@code train_step}. The result is a TensorFlow string operand, for TensorFlow's string ops; to apply
   * a model whose input is {@code Input.ofStrings(...)} or a text layer (TextVectorization, StringLookup) to it, pass
   * {@code StringTensors.carry(text)}, the form in which Keras4J's float-typed layer API carries strings:
   *
   * <pre>{@code
   * Step step = Step.build(model, b -> {
   *   Operand<TString> text = b.stringInput("text");                // fed a String[]
   *   Operand<TFloat32> y = b.input("y", 1);
   *   Operand<TFloat32> p = model.call(StringTensors.carry(text), true);
   *   ...
   * });
   * step.run(Map.of("text", new String[] {"a good film"}, "y", new float[][] {{1}}));
   * }</pre>
   *
   * <p>Java difference: not available in a step replicated under a data-parallel distribution (an
   * UnsupportedOperationException); Keras shards string batches as any other.
   */
  public Operand<TString> stringInput(String name, long... sampleShape) {
    return stringInput(name, Shapes.withBatch(sampleShape));
  }

  /** Declares a string input of exactly {@code shape} ({@code -1} for an unknown size; {@code Shape.scalar()}). */
  public Operand<TString> stringInput(String name, Shape shape) {
    checkInputName("stringInput()", name);
    if (replicated != null) {
      throw new UnsupportedOperationException("Step input '" + name + "': string inputs are not supported in a step "
          + "replicated under a data-parallel distribution; build the step without a distribution");
    }
    Placeholder<TString> p = tf.withName(name).placeholder(TString.class, Placeholder.shape(shape));
    inputs.put(name, p);
    return p;
  }

  private void checkInputName(String what, String name) {
    checkNotSealed(what);
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("Step input name must be a letter followed by letters, digits or '_'. "
          + "Received: '" + name + "'");
    }
    if (inputs.containsKey(name)) {
      throw new IllegalArgumentException("Step input '" + name + "' is declared twice");
    }
  }

  /** Fetches {@code value} under {@code name} at every run. */
  public void output(String name, Operand<TFloat32> value) {
    checkNotSealed("output()");
    if (outputs.containsKey(name)) {
      throw new IllegalArgumentException("Step output '" + name + "' is declared twice");
    }
    outputs.put(name, value);
  }

  /**
   * Minimizes the scalar {@code loss} over {@code variables} with {@code optimizer} (Keras's
   * {@code tape.gradient} + {@code optimizer.apply_gradients}); variables the loss does not reach get zero
   * gradients. The constraints of the given models' weights are applied after the update.
   *
   * @param variables usually {@code model.trainableVariables()}: only these change
   */
  public void minimize(Operand<TFloat32> loss, Optimizer optimizer, List<GraphVariable> variables, Model... constrained) {
    checkNotSealed("minimize()");
    if (loss.shape().numDimensions() != 0) {
      throw new IllegalArgumentException("minimize(): the loss must be a scalar, received shape "
          + Shapes.format(loss.shape()) + "; reduce it, e.g. with tf.math.mean");
    }
    if (optimizer.runtimeOrNull() != null && optimizer.runtimeOrNull() != rt) {
      throw new IllegalArgumentException("minimize(): optimizer '" + optimizer.name() + "' already trains "
          + "variables of another graph; create one optimizer per graph");
    }
    minimizes.add(new Minimize(loss, optimizer, List.copyOf(variables)));
    for (Model m : constrained) {
      constraints.add(m.constraints());
    }
  }

  /**
   * After this step's updates, moves every weight of {@code target} towards {@code source}'s:
   * {@code target = tau * source + (1 - tau) * target} (DDPG's soft target update; tau=1 copies).
   */
  public void softUpdate(Model target, Model source, double tau) {
    checkTau(tau);
    SoftUpdates.checkCompatible(target, source);
    softUpdates.add(new SoftUpdate(target, source, (float) tau));
  }

  static void checkTau(double tau) {
    if (!(tau >= 0 && tau <= 1)) {
      throw new IllegalArgumentException("softUpdate(): tau must be in [0, 1]. Received: tau=" + tau);
    }
  }

  /**
   * Declares, in {@code body}, the next phase of the step: everything it computes (outputs, losses, gradients,
   * updates) reads the weights, optimizer slots and layer states as the updates declared before this call left
   * them, in the same {@code Session.run} (Keras: statements after {@code optimizer.apply_gradients} in a
   * {@code train_step}). Values built before the call keep the weights of their own phase. Phases nest: a body may
   * end with another {@code afterUpdates}. Only {@link #softUpdate} may be declared after the call returns.
   *
   * @throws IllegalStateException when an earlier {@code afterUpdates} call has already returned
   */
  public void afterUpdates(Runnable body) {
    checkNotSealed("afterUpdates()");
    if (replicated != null) {
      // A phase ends when every replica has declared it: ReplicatedStep runs the body after that.
      deferred = body;
      sealed = true;
      return;
    }
    Op done = endPhase();
    rt.readsAfter(List.of(done), () -> {
      body.run();
      if (!sealed) {
        endPhase();
      }
      return null;
    });
    sealed = true;
  }

  private void checkNotSealed(String what) {
    if (sealed) {
      throw new IllegalStateException("Step: " + what + " after afterUpdates() returned; declare it inside the "
          + "afterUpdates body, which sees the updated weights (only softUpdate() may follow the call)");
    }
  }

  /** The losses added by layers while this step was traced (activity regularization); sum them into yours. */
  public List<Operand<TFloat32>> layerLosses() {
    return trace.losses();
  }

  /**
   * Ends the current phase: its outputs and gradients are computed first (with the previous phase's end, the
   * barrier), then the optimizers apply, then the constraints and the layers' state updates run. Returns the op
   * that marks the phase's end (its update, or a no-op after its barrier when it updates nothing) and starts the
   * next phase.
   */
  private Op endPhase() {
    List<Op> barrier = new ArrayList<>(outputs.values().stream().skip(phaseOutputs).toList());
    if (phaseEnd != null) {
      barrier.add(phaseEnd);
    }
    List<List<Operand<TFloat32>>> grads = new ArrayList<>();
    for (Minimize m : minimizes) {
      grads.add(rt.gradients(m.optimizer().scaleLoss(tf, m.loss()), m.variables()));
    }
    grads.forEach(barrier::addAll);
    List<Op> all = trace.updates();
    PhaseEnd end = applyPhase(rt, tf, minimizes, grads, barrier, constraints(),
        new ArrayList<>(all.subList(phaseLayerUpdates, all.size())), null);
    phaseEnd = end.op();
    updates |= end.updates();
    clearMinimizes();
    phaseOutputs = outputs.size();
    phaseLayerUpdates = all.size();
    return phaseEnd;
  }

  /** Under data parallelism: starts a phase traced into {@code phaseTrace}; returns the phase's body, or null. */
  Runnable startPhase(Trace phaseTrace) {
    Runnable body = deferred;
    deferred = null;
    trace = phaseTrace;
    sealed = false;
    return body;
  }

  /** Under data parallelism: whether this phase called afterUpdates. */
  boolean hasNextPhase() {
    return deferred != null;
  }

  /** Forgets the minimize calls (and their models' constraints) of the phase that ended. */
  void clearMinimizes() {
    minimizes.clear();
    constraints.clear();
  }

  /** The inputs declared so far, by name (shared placeholders under data parallelism). */
  Map<String, Placeholder<?>> inputs() {
    return inputs;
  }

  /** The outputs declared, in order. */
  Map<String, Operand<TFloat32>> outputs() {
    return outputs;
  }

  /** The minimize calls declared in the current phase. */
  List<Minimize> minimizes() {
    return minimizes;
  }

  List<SoftUpdate> softUpdates() {
    return softUpdates;
  }

  /** The constraints of the models given to the minimize calls, merged. */
  Map<GraphVariable, Constraint> constraints() {
    Map<GraphVariable, Constraint> all = new LinkedHashMap<>();
    constraints.forEach(all::putAll);
    return all;
  }

  /** The layers' state updates traced in this builder (BatchNormalization's moving statistics). */
  List<Op> layerUpdates() {
    return trace.updates();
  }

  /** The soft updates, built on {@code on}, each run after {@code end}; the op that runs them all. */
  Op softUpdateOp(Ops on, Op end) {
    List<Op> ops = new ArrayList<>();
    for (SoftUpdate s : softUpdates) {
      ops.add(SoftUpdates.build(on.withControlDependencies(List.of(end)), s.target(), s.source(),
          on.constant(s.tau())));
    }
    return on.withControlDependencies(ops).withName("soft_update").noOp();
  }

  Step finish() {
    // Each phase's barrier holds the previous phase's end, so the last end follows the whole step.
    Op end = phaseEnd != null ? phaseEnd : endPhase(); // none yet: one phase, no afterUpdates call
    Op update = updates ? end : null;
    if (!softUpdates.isEmpty()) {
      update = softUpdateOp(tf, end);
    }
    return new Step(rt, inputs, outputs, update);
  }

  /** The op that marks the end of a phase, and whether the phase updates anything. */
  record PhaseEnd(Op op, boolean updates) {}

  /**
   * Ends a phase whose gradients are built ({@code grads.get(i)} for {@code minimizes.get(i)}): every optimizer
   * applies after {@code barrier} (the phase's outputs and gradients, the previous phase's end), then the
   * constraints and {@code layerUpdates} run; a phase that updates nothing ends with a no-op after the barrier. The
   * applies are built on {@code applyDevice} when it is not null (the variable device under data parallelism).
   */
  static PhaseEnd applyPhase(GraphRuntime rt, Ops tf, List<Minimize> minimizes, List<List<Operand<TFloat32>>> grads,
      List<Op> barrier, Map<GraphVariable, Constraint> constraints, List<Op> layerUpdates, String applyDevice) {
    List<Op> applies = new ArrayList<>();
    List<GraphVariable> trained = new ArrayList<>();
    for (int i = 0; i < minimizes.size(); i++) {
      Minimize m = minimizes.get(i);
      List<Operand<TFloat32>> g = grads.get(i);
      java.util.function.Supplier<Op> apply = () -> m.optimizer().applyGradients(rt, m.variables(), g, barrier);
      applies.add(applyDevice == null ? apply.get() : rt.onDevice(applyDevice, apply));
      trained.addAll(m.variables());
    }
    if (applies.isEmpty() && layerUpdates.isEmpty()) {
      return new PhaseEnd(tf.withControlDependencies(barrier).noOp(), false);
    }
    return new PhaseEnd(finishUpdate(tf, applies.isEmpty() ? List.of(tf.withControlDependencies(barrier).noOp())
        : applies, constraints, trained, layerUpdates), true);
  }

  /**
   * Groups an optimizer update with what must follow it: the constraints of the updated variables (run after
   * the applies, as Keras) and the layers' own state updates.
   */
  static Op finishUpdate(Ops tf, List<Op> applies, Map<GraphVariable, Constraint> constraints,
      List<GraphVariable> updated, List<Op> layerUpdates) {
    List<Op> all = new ArrayList<>(applies);
    Ops afterApply = tf.withControlDependencies(applies);
    for (GraphVariable v : updated) {
      Constraint c = constraints.get(v);
      if (c != null) {
        // A fresh read after the applies: the variable's shared read op has already run earlier in the step.
        all.add(afterApply.assign(v.variable(), c.call(afterApply, afterApply.identity(v.variable()))));
      }
    }
    all.addAll(layerUpdates);
    return all.size() == 1 ? all.get(0) : tf.withControlDependencies(all).withName("step_update").noOp();
  }

  /** {@code first + sum(rest)}, or null when there is nothing to add. */
  static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> first, List<Operand<TFloat32>> rest) {
    Operand<TFloat32> total = first;
    for (Operand<TFloat32> t : rest) {
      total = total == null ? t : tf.math.add(total, t);
    }
    return total;
  }
}
