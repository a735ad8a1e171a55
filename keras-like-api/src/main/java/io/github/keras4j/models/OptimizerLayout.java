package io.github.keras4j.models;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.optimizers.Adadelta;
import io.github.keras4j.optimizers.Adafactor;
import io.github.keras4j.optimizers.Adagrad;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.Adamax;
import io.github.keras4j.optimizers.Ftrl;
import io.github.keras4j.optimizers.Lamb;
import io.github.keras4j.optimizers.Lion;
import io.github.keras4j.optimizers.LossScaleOptimizer;
import io.github.keras4j.optimizers.MultiOptimizer;
import io.github.keras4j.optimizers.Muon;
import io.github.keras4j.optimizers.Nadam;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.RMSprop;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.optimizers.ScheduleFreeAdamW;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An optimizer's variables in the order of Keras 3's {@code optimizer.variables}, which a weights file stores as
 * {@code optimizer/vars/0..n} ({@code save_own_variables}), mapped to Keras4J's optimizer state.
 *
 * <p>Keras's order, for an optimizer built on the trainable variables {@code w_0, w_1, ...}:
 * <ol>
 *   <li>{@code iterations} (int64), then {@code learning_rate} (float32 scalar) unless it is a schedule;
 *   <li>with {@code use_ema}, an {@code average} per variable; with {@code gradient_accumulation_steps}, a
 *       {@code gradient_accumulator} per variable (the base class's {@code build});
 *   <li>the rule's slots, as its {@code build} creates them: each {@code add_optimizer_variables} call interleaves its
 *       names per variable (Adam: {@code m_0, v_0, m_1, v_1, ...}, then with amsgrad {@code v_hat_0, v_hat_1, ...});
 *       RMSprop: velocities, then momenta (only when {@code momentum > 0}), then average gradients (centered);
 *       Adafactor: per variable {@code r, c, velocity}, {@code r} and {@code c} a float32 zero scalar for a variable of
 *       rank below 2; Nadam: then its {@code u_product} scalar;
 *   <li>a {@code LossScaleOptimizer}: its own {@code iterations}, {@code learning_rate} (0), {@code step_counter}
 *       (int64) and {@code dynamic_scale}, then all of its inner optimizer's, which is also saved alone in the child
 *       group {@code inner_optimizer}; a {@code MultiOptimizer}: its {@code iterations} and {@code learning_rate} (0),
 *       then each inner optimizer's, each also saved alone under {@code optimizers/<snake_case class>}.
 * </ol>
 * Keras4J state Keras has not (RMSprop's momentum slot when {@code momentum} is 0, which the update overwrites at every
 * step; ScheduleFreeAdamW's {@code initialized} flags, set when its momentum has been initialised, as Keras's
 * {@code build} does) is not stored; after loading, the flags are set. An optimizer class this table does not know
 * (a custom one) stores its slots per variable in creation order.
 */
final class OptimizerLayout {

  /** What one dataset of an optimizer's {@code vars} group holds. */
  sealed interface Slot {
    /** A description for messages ({@code "adam/dense/kernel/m"}). */
    String label();
  }

  /** The optimizer's step counter, int64. */
  record Iterations(Optimizer optimizer) implements Slot {
    @Override
    public String label() {
      return optimizer.name() + "/iterations";
    }
  }

  /** The learning rate, a float32 scalar; {@code zero} for a wrapper's unused one (always 0). */
  record LearningRate(Optimizer optimizer, boolean zero) implements Slot {
    @Override
    public String label() {
      return optimizer.name() + "/learning_rate";
    }
  }

  /** A float variable of the graph (slot or scalar). */
  record Variable(GraphVariable variable) implements Slot {
    @Override
    public String label() {
      return variable.name();
    }
  }

  /** A float32 zero scalar Keras keeps and Keras4J has not (Adafactor's {@code r}/{@code c} of a vector). */
  record Placeholder(String label) implements Slot {}

  /** A {@code LossScaleOptimizer}'s {@code step_counter} (int64) or {@code dynamic_scale} (float32). */
  record ScaleState(LossScaleOptimizer optimizer, String key) implements Slot {
    @Override
    public String label() {
      return optimizer.name() + "/" + key;
    }

    boolean isCounter() {
      return key.equals("step_counter");
    }
  }

  /**
   * One optimizer's group: its name (the {@code vars} group's {@code name} attribute), its datasets in order, the
   * groups Keras also writes for its sub-optimizers, and the Keras4J-only flags to set after loading.
   */
  record Group(String name, List<Slot> slots, Map<String, Group> children, List<GraphVariable> setAfterLoad) {}

  /** Keras's slot groups per rule, by Keras4J slot name (see the class comment); absent: creation order. */
  private record Spec(List<List<String>> groups, Set<String> placeholders, List<String> trailing, Set<String> javaOnly) {
    static Spec of(List<List<String>> groups) {
      return new Spec(groups, Set.of(), List.of(), Set.of());
    }
  }

  private OptimizerLayout() {}

  /** The layout of the model's optimizer, or null when the model is not compiled. */
  static Group of(Model model) {
    Optimizer optimizer = model.getOptimizer();
    if (optimizer == null) {
      return null;
    }
    GraphRuntime rt = model.runtime();
    Map<String, GraphVariable> byName = new HashMap<>();
    for (GraphVariable v : rt.variables()) {
      byName.put(v.name(), v);
    }
    return group(optimizer, rt, model.variables(), byName);
  }

  private static Group group(Optimizer o, GraphRuntime rt, List<GraphVariable> weights, Map<String, GraphVariable> byName) {
    List<Slot> slots = new ArrayList<>();
    Map<String, Group> children = new LinkedHashMap<>();
    List<GraphVariable> after = new ArrayList<>();
    slots.add(new Iterations(o));
    if (o instanceof LossScaleOptimizer lso) {
      slots.add(new LearningRate(o, true));
      slots.add(new ScaleState(lso, "step_counter"));
      slots.add(new ScaleState(lso, "dynamic_scale"));
      Group inner = group(lso.getInnerOptimizer(), rt, weights, byName);
      slots.addAll(inner.slots());
      after.addAll(inner.setAfterLoad());
      children.put("inner_optimizer", inner);
      return new Group(o.name(), slots, children, after);
    }
    if (o instanceof MultiOptimizer multi) {
      slots.add(new LearningRate(o, true));
      Map<String, Integer> used = new HashMap<>();
      for (Optimizer inner : multi.optimizers()) {
        Group g = group(inner, rt, weights, byName);
        slots.addAll(g.slots());
        after.addAll(g.setAfterLoad());
        String base = Backend.snakeCase(inner.getClass().getSimpleName());
        int n = used.merge(base, 0, (old, zero) -> old + 1);
        children.put("optimizers/" + (n == 0 ? base : base + "_" + n), g);
      }
      return new Group(o.name(), slots, children, after);
    }
    if (o.getLearningRateSchedule() == null) {
      slots.add(new LearningRate(o, false));
    }
    if (o.runtimeOrNull() != rt) {
      return new Group(o.name(), slots, children, after); // not built: Keras's unbuilt optimizer has only these two
    }
    String prefix = o.name() + "/";
    // Each weight's slots (those of this optimizer) by slot name, in creation order.
    Map<GraphVariable, Map<String, GraphVariable>> perWeight = new LinkedHashMap<>();
    List<GraphVariable> scalars = new ArrayList<>();
    for (GraphVariable v : rt.variables()) {
      if (!v.name().startsWith(prefix)) {
        continue;
      }
      String rest = v.name().substring(prefix.length());
      if (rest.indexOf('/') < 0) {
        scalars.add(v);
        continue;
      }
      for (GraphVariable w : weights) {
        String owner = w.name() + "/";
        if (rest.startsWith(owner) && rest.indexOf('/', owner.length()) < 0) {
          perWeight.computeIfAbsent(w, k -> new LinkedHashMap<>()).put(rest.substring(owner.length()), v);
          break;
        }
      }
    }
    // In Keras's order: the built variables in the model's order.
    List<GraphVariable> built = new ArrayList<>();
    for (GraphVariable w : weights) {
      if (perWeight.containsKey(w)) {
        built.add(w);
      }
    }
    Spec spec = spec(o);
    List<List<String>> groups = new ArrayList<>();
    groups.add(List.of("average"));
    groups.add(List.of("gradient_accumulator"));
    Set<String> known = new java.util.HashSet<>(Set.of("average", "gradient_accumulator"));
    if (spec != null) {
      groups.addAll(spec.groups());
      spec.groups().forEach(known::addAll);
      known.addAll(spec.javaOnly());
    }
    for (List<String> names : groups) {
      for (GraphVariable w : built) {
        Map<String, GraphVariable> own = perWeight.get(w);
        for (String name : names) {
          GraphVariable slot = own.get(name);
          if (slot != null) {
            slots.add(new Variable(slot));
          } else if (spec != null && spec.placeholders().contains(name)) {
            slots.add(new Placeholder(o.name() + "/" + w.name() + "/" + name));
          }
        }
      }
    }
    // Slots of a rule this table does not know (or not listed for it): per variable, in creation order.
    for (GraphVariable w : built) {
      perWeight.get(w).forEach((name, slot) -> {
        if (!known.contains(name)) {
          slots.add(new Variable(slot));
        }
      });
    }
    for (String name : spec == null ? List.<String>of() : spec.trailing()) {
      GraphVariable scalar = byName.get(prefix + name);
      if (scalar != null) {
        slots.add(new Variable(scalar));
      }
    }
    for (GraphVariable scalar : scalars) {
      String name = scalar.name().substring(prefix.length());
      if (!name.equals("learning_rate") && (spec == null || !spec.trailing().contains(name))) {
        slots.add(new Variable(scalar));
      }
    }
    if (o instanceof ScheduleFreeAdamW) {
      for (GraphVariable w : built) {
        GraphVariable flag = perWeight.get(w).get("initialized");
        if (flag != null) {
          after.add(flag);
        }
      }
    }
    return new Group(o.name(), slots, children, after);
  }

  /** Keras's slot groups for the built-in rules (see the class comment); null for a class it does not know. */
  private static Spec spec(Optimizer o) {
    if (o instanceof Adam) { // and AdamW
      return Spec.of(List.of(List.of("m", "v"), List.of("v_hat")));
    }
    if (o instanceof SGD || o instanceof Lion) {
      return Spec.of(List.of(List.of("momentum")));
    }
    if (o instanceof Adamax) {
      return Spec.of(List.of(List.of("momentum", "norm")));
    }
    if (o instanceof Adagrad) {
      return Spec.of(List.of(List.of("accumulator")));
    }
    if (o instanceof Adadelta) {
      return Spec.of(List.of(List.of("accumulated_grad", "accumulated_delta_var")));
    }
    if (o instanceof Ftrl) {
      return Spec.of(List.of(List.of("accumulator", "linear")));
    }
    if (o instanceof Lamb || o instanceof Muon) {
      return Spec.of(List.of(List.of("momentum", "velocity")));
    }
    if (o instanceof Nadam) {
      return new Spec(List.of(List.of("momentum", "velocity")), Set.of(), List.of("u_product"), Set.of());
    }
    if (o instanceof ScheduleFreeAdamW) {
      return new Spec(List.of(List.of("momentum", "velocity")), Set.of(), List.of(), Set.of("initialized"));
    }
    if (o instanceof Adafactor) {
      return new Spec(List.of(List.of("r", "c", "velocity")), Set.of("r", "c"), List.of(), Set.of());
    }
    if (o instanceof RMSprop) {
      Object momentum = o.getConfig().get("momentum");
      boolean withMomentum = momentum instanceof Number n && n.doubleValue() > 0;
      List<List<String>> groups = new ArrayList<>();
      groups.add(List.of("velocity"));
      if (withMomentum) {
        groups.add(List.of("momentum"));
      }
      groups.add(List.of("average_gradient"));
      return new Spec(groups, Set.of(), List.of(), withMomentum ? Set.of() : Set.of("momentum"));
    }
    return null;
  }
}
