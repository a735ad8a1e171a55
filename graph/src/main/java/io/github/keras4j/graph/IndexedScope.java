package io.github.keras4j.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;

/**
 * A {@link Scope} that names operations as TF Java's own {@code OpScope} does ({@code dense/MatMul},
 * {@code dense/MatMul_1}, sub-scopes, {@code withName}, devices, control dependencies, init scopes), but in constant
 * time per name.
 *
 * <p>Why: TF Java 1.1.0's {@code OpScope.withSubScope} reads the name of every operation already in the graph (to
 * learn which names its new scope may not reuse), and {@code tf.zeros} / {@code tf.ones} open a sub-scope on each
 * call. Building a model therefore took time quadratic in its size: ResNet152 (about 500 layers) spent most of its
 * build walking the graph. Here the names handed out are remembered per name scope, shared by every scope object of
 * that prefix in the graph, and a candidate name is also checked against the graph (one lookup), so that names made
 * by other means (TF's gradients, another {@code Ops} on the same graph) are never reused either.
 *
 * <p>Naming differs from TF Java's only in which free name is picked when names were taken outside this scope: TF
 * continues after the highest number it finds under the prefix, this picks the next one not taken. Names are unique
 * either way.
 */
final class IndexedScope implements Scope {

  /** TF Java's rule for op and scope names. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");

  /** The names handed out in each name scope of one graph, by prefix ("" for the root). */
  private static final class Names {
    private final Graph graph;
    private final Map<String, Map<String, Integer>> used = new HashMap<>();

    Names(Graph graph) {
      this.graph = graph;
    }

    /** A name {@code id}, {@code id_1}, {@code id_2}, ... not yet used in scope {@code prefix}. */
    synchronized String unique(String prefix, String id) {
      Map<String, Integer> ids = used.computeIfAbsent(prefix, p -> new HashMap<>());
      int k = ids.getOrDefault(id, 0);
      String candidate;
      do {
        candidate = k == 0 ? id : id + "_" + k;
        k++;
      } while (graph.operation(qualify(prefix, candidate)) != null);
      ids.put(id, k);
      return candidate;
    }
  }

  private final Names names;
  private final String prefix;
  private final String opName;
  private final List<Operation> controls;
  private final DeviceSpec device;
  private final boolean init;

  private IndexedScope(Names names, String prefix, String opName, List<Operation> controls, DeviceSpec device,
      boolean init) {
    this.names = names;
    this.prefix = prefix;
    this.opName = opName;
    this.controls = controls;
    this.device = device;
    this.init = init;
  }

  /** An {@link Ops} at the root of {@code graph} whose scopes are all {@code IndexedScope}s. */
  static Ops rootOps(Graph graph) {
    IndexedScope root = new IndexedScope(new Names(graph), "", null, List.of(), DeviceSpec.newBuilder().build(),
        false);
    // Ops' only public way in from a Scope is Ops.create(env), which asks the environment for its base scope.
    return Ops.create(new ExecutionEnvironment() {
      @Override
      public OperationBuilder opBuilder(String type, String name, Scope scope) {
        return graph.opBuilder(type, name, scope);
      }

      @Override
      public void attachFunction(ConcreteFunction function) {
        graph.attachFunction(function);
      }

      @Override
      public void checkInput(Operation input) {
        graph.checkInput(input);
      }

      @Override
      public Types environmentType() {
        return Types.GRAPH;
      }

      @Override
      public Scope baseScope() {
        return root;
      }

      @Override
      public boolean isInitializer(Operation op) {
        return graph.isInitializer(op);
      }
    });
  }

  private static String qualify(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String checked(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid name: '" + name + "' does not match the regular expression "
          + NAME.pattern());
    }
    return name;
  }

  @Override
  public ExecutionEnvironment env() {
    return names.graph;
  }

  @Override
  public Scope withSubScope(String childScopeName) {
    checked(childScopeName);
    String actual = opName != null ? opName : childScopeName;
    String child = qualify(prefix, names.unique(prefix, actual));
    return new IndexedScope(names, child, null, controls, device, init);
  }

  @Override
  public Scope withName(String name) {
    return new IndexedScope(names, prefix, checked(name), controls, device, init);
  }

  @Override
  public Scope withNameAsSubScope(String defaultName) {
    // The sub-scope takes the unique op name this scope would give (OpScope: a sub-scope named by makeOpName).
    checked(defaultName);
    String child = qualify(prefix, names.unique(prefix, opName != null ? opName : defaultName));
    return new IndexedScope(names, child, null, controls, device, init);
  }

  @Override
  public Scope withDevice(DeviceSpec newDevice) {
    return new IndexedScope(names, prefix, opName, controls, newDevice, init);
  }

  @Override
  public Scope withInitScope() {
    return new IndexedScope(names, prefix, opName, List.of(), device, true);
  }

  @Override
  public String makeOpName(String defaultName) {
    checked(defaultName);
    return qualify(prefix, names.unique(prefix, opName != null ? opName : defaultName));
  }

  @Override
  public String makeUnique(String id) {
    return names.unique(prefix, id);
  }

  @Override
  public void refreshNames() {
    // Nothing to refresh: every candidate name is checked against the graph when it is handed out.
  }

  @Override
  public Scope withControlDependencyOps(Iterable<Operation> ops) {
    List<Operation> kept = new ArrayList<>();
    for (Operation op : ops) {
      names.graph.checkInput(op);
      boolean initializer = names.graph.isInitializer(op);
      if (init && !initializer) {
        throw new IllegalArgumentException("Init scope can not have non-init control dependency.");
      }
      if (init || !initializer) {
        kept.add(op);
      }
    }
    return new IndexedScope(names, prefix, opName, List.copyOf(kept), device, init);
  }

  @Override
  public OperationBuilder apply(OperationBuilder builder) {
    builder.setDevice(device.toString());
    for (Operation control : controls) {
      if (init || !names.graph.isInitializer(control)) {
        builder.addControlInput(control);
      }
    }
    return builder;
  }

  @Override
  public String getDeviceString() {
    return device.toString();
  }

  @Override
  public boolean isInit() {
    return init;
  }
}
