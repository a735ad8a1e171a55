package io.github.keras4j.graph;

import io.github.keras4j.graph.distributed.ClusterFailure;
import io.github.keras4j.graph.distributed.ClusterSessions;
import io.github.keras4j.graph.distributed.ClusterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One TensorFlow {@link Graph} with its {@link Session}: the place where variables live and where traces of
 * models are built.
 *
 * <p>Several models that train together (a GAN's generator and discriminator, DQN's online and target nets)
 * share one runtime. The runtime is reference counted: every owner calls {@link #retain()} once and
 * {@link #close()} once; the graph and session are closed when the last owner closes.
 *
 * <p>Variables are TF "ref" variables ({@code VariableV2}), the kind that {@code Session.save} and the
 * SavedModel exporter handle, and they are always read through an {@code Identity} op (using the ref output
 * directly in some ops crashes the JVM when gradients are built; see TFJAVA-NOTES).
 */
public final class GraphRuntime implements AutoCloseable {

  private final Graph graph;
  private final Ops tf;
  private Session session;
  private int owners = 1;
  private boolean closed;
  private final List<GraphVariable> variables = new ArrayList<>();
  private int gradientCount;

  /** Creates a runtime with one owner, the caller. */
  public GraphRuntime() {
    CustomGradients.registerAll();
    this.graph = new Graph();
    this.tf = IndexedScope.rootOps(graph);
  }

  /** The op factory of this graph, at its root scope. */
  public Ops tf() {
    checkOpen();
    return tf;
  }

  /** The underlying graph. */
  public Graph graph() {
    checkOpen();
    return graph;
  }

  /**
   * The session of this graph, created on first use. Variables created since the last call are initialised
   * before it is returned, so callers never see an uninitialised variable.
   */
  public synchronized Session session() {
    checkOpen();
    if (session == null) {
      session = openSession();
    }
    if (uninitialised > 0) {
      session.initialize();
      uninitialised = 0;
    }
    return session;
  }

  private int uninitialised;

  /**
   * Creates a float variable whose initial value is computed by {@code initialValue} in the init scope.
   *
   * @param scopeName the name scope, such as {@code "dense"}; may contain {@code /} for nesting
   * @param name the variable's name inside the scope, such as {@code "kernel"}
   * @param shape the fully defined shape
   * @param initialValue builds the initial value with the given init-scope ops
   * @param trainable recorded on the variable for callers that collect trainable variables
   */
  public synchronized GraphVariable newVariable(
      String scopeName,
      String name,
      Shape shape,
      java.util.function.Function<Ops, Operand<TFloat32>> initialValue,
      boolean trainable) {
    checkOpen();
    Objects.requireNonNull(initialValue, "initialValue");
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException(
          "Variable '" + scopeName + "/" + name + "' needs a fully defined shape, received "
              + Shapes.format(shape));
    }
    String device = variableDevice(scopeName);
    Ops scoped = device.isEmpty() ? scope(scopeName) : baseScope(scopeName).withDevice(Devices.spec(device));
    Ops init = scoped.withInitScope();
    Operand<TFloat32> value = initialValue.apply(init);
    Variable<TFloat32> variable = scoped.withName(name).variable(value);
    Operand<TFloat32> read = scoped.withName(name + "_read").identity(variable);
    GraphVariable v = new GraphVariable(variable.op().name(), variable, read, shape, trainable);
    variables.add(v);
    variableDevices.put(v.name(), device);
    uninitialised++;
    return v;
  }

  /** All variables created through this runtime, in creation order. */
  public synchronized List<GraphVariable> variables() {
    return List.copyOf(variables);
  }

  // ------------------------------------------------------------------ ordered reads (multi-step executions)

  /** The read context of this thread: fresh reads wait for {@code after}; one read per variable, cached. */
  private record ReadContext(GraphRuntime runtime, List<org.tensorflow.op.Op> after,
      java.util.Map<org.tensorflow.Operation, Operand<?>> reads) {}

  private static final ThreadLocal<ReadContext> READS = new ThreadLocal<>();

  /**
   * Runs {@code body} (the tracing of one copy of a training step) so that every variable read it asks for,
   * through {@link GraphVariable#value()} or {@link #currentRead}, is a fresh {@code Identity} of the variable
   * with control dependencies on {@code after} (the previous copy's update op), built once per variable inside
   * this call. Several copies of a step chained in one graph so read the weights, slots and counters as the
   * previous copy left them, although TensorFlow runs each op, the variables' shared reads included, at most
   * once per {@code Session.run}. With {@code after} empty the shared reads are used, as outside.
   *
   * <p>Only reads are affected: assign and apply ops take the ref variable itself. The context is per thread
   * and nests (the inner one wins).
   */
  public <T> T readsAfter(List<? extends org.tensorflow.op.Op> after, java.util.function.Supplier<T> body) {
    checkOpen();
    ReadContext before = READS.get();
    READS.set(new ReadContext(this, List.copyOf(after), new java.util.HashMap<>()));
    try {
      return body.get();
    } finally {
      if (before == null) {
        READS.remove();
      } else {
        READS.set(before);
      }
    }
  }

  /**
   * The read of ref variable {@code variable} to use now: inside {@link #readsAfter} on this runtime's graph, a
   * fresh ordered read (see there); otherwise {@code shared}, the variable's own shared read.
   */
  @SuppressWarnings("unchecked")
  public static <T extends org.tensorflow.types.family.TType> Operand<T> currentRead(
      Variable<T> variable, Operand<T> shared) {
    ReadContext c = READS.get();
    if (c == null || c.after().isEmpty() || variable.env() != c.runtime().graph) {
      return shared;
    }
    return (Operand<T>) c.reads().computeIfAbsent(variable.op(), k -> c.runtime().freshRead(variable, shared,
        c.after()));
  }

  private synchronized <T extends org.tensorflow.types.family.TType> Operand<T> freshRead(
      Variable<T> variable, Operand<T> shared, List<org.tensorflow.op.Op> after) {
    String name = variable.op().name();
    int slash = name.lastIndexOf('/');
    Ops s = slash < 0 ? tf : baseScope(name.substring(0, slash));
    String device = ((org.tensorflow.GraphOperation) shared.op()).device();
    if (!device.isEmpty()) {
      s = s.withDevice(Devices.spec(device));
    }
    // TF makes the name unique (kernel_read_1, kernel_read_2, ...).
    return s.withControlDependencies(after).withName(name.substring(slash + 1) + "_read").identity(variable);
  }

  /**
   * Gradients of a scalar {@code loss} with respect to exactly the given variables, in the same order. A
   * variable the loss does not depend on gets a zero gradient rather than an error, so frozen or unused
   * branches never break a training step.
   */
  public synchronized List<Operand<TFloat32>> gradients(
      Operand<TFloat32> loss, List<GraphVariable> wrt) {
    return gradients(loss, wrt, null);
  }

  /**
   * As {@link #gradients(Operand, List)}, with every op of the backward pass placed on {@code device} (null for
   * TensorFlow's default placement). TensorFlow's C++ gradient builder places nothing, so without this the whole
   * backward pass of every replica would land on the default device; here the ops it created are given
   * {@code device} afterwards ({@code TF_SetRequestedDevice}), before any session has run them.
   */
  @SuppressWarnings("unchecked")
  public synchronized List<Operand<TFloat32>> gradients(
      Operand<TFloat32> loss, List<GraphVariable> wrt, String device) {
    checkOpen();
    if (wrt.isEmpty()) {
      return List.of();
    }
    // TF refuses variables the loss does not reach; those get zeros instead.
    java.util.Set<org.tensorflow.GraphOperation> ancestors = graph.subgraphTo(java.util.Set.of(loss));
    List<Integer> reachable = new ArrayList<>();
    for (int i = 0; i < wrt.size(); i++) {
      if (ancestors.contains((org.tensorflow.GraphOperation) wrt.get(i).variable().op())) {
        reachable.add(i);
      }
    }
    Output<?>[] dys = new Output<?>[0];
    if (!reachable.isEmpty()) {
      Output<?>[] xs = new Output<?>[reachable.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = wrt.get(reachable.get(i)).variable().asOutput();
      }
      String prefix = gradientCount == 0 ? "gradients" : "gradients_" + gradientCount;
      gradientCount++;
      dys = graph.addGradients(prefix, new Output<?>[] {loss.asOutput()}, xs, null);
      if (device != null) {
        placeUnplaced(prefix + "/", Devices.canonical(device));
      }
    }
    Ops zeros = device == null ? tf : tf.withDevice(Devices.spec(device));
    List<Operand<TFloat32>> out = new ArrayList<>(wrt.size());
    for (int i = 0; i < wrt.size(); i++) {
      int k = reachable.indexOf(i);
      // TF gives no gradient (a null operation handle) for a variable reached only through StopGradient.
      if (k < 0 || dys[k] == null || dys[k].op() == null
          || ((org.tensorflow.GraphOperation) dys[k].op()).getUnsafeNativeHandle() == null
          || ((org.tensorflow.GraphOperation) dys[k].op()).getUnsafeNativeHandle().isNull()) {
        out.add(zeros.zerosLike(wrt.get(i).value()));
      } else {
        out.add((Operand<TFloat32>) dys[k]);
      }
    }
    return out;
  }

  /**
   * The {@link Ops} of the slash-separated name scope {@code path} ({@code "dense"}, {@code "adam/dense/kernel"}).
   * The same path always gives the same scope, so a layer's variables and ops all live under its own name
   * ({@code dense/kernel}, {@code dense/MatMul}) however often it is asked for.
   */
  public synchronized Ops scope(String path) {
    checkOpen();
    if (device == null) {
      return baseScope(path);
    }
    String key = device + "|" + (path == null ? "" : path);
    Ops cached = deviceScopes.get(key);
    if (cached == null) {
      // Same name scope as without the device (withDevice keeps it), so names stay as they would be.
      cached = baseScope(path).withDevice(Devices.spec(device));
      deviceScopes.put(key, cached);
    }
    return cached;
  }

  private final java.util.Map<String, Ops> deviceScopes = new java.util.HashMap<>();

  private Ops baseScope(String path) {
    if (path == null || path.isEmpty()) {
      return tf;
    }
    Ops cached = scopes.get(path);
    if (cached != null) {
      return cached;
    }
    int slash = path.lastIndexOf('/');
    Ops parent = slash < 0 ? tf : baseScope(path.substring(0, slash));
    Ops created = parent.withSubScope(path.substring(slash + 1));
    scopes.put(path, created);
    return created;
  }

  private final java.util.Map<String, Ops> scopes = new java.util.HashMap<>();

  // ------------------------------------------------------------------ devices and distributed sessions

  /**
   * Where the variables of a runtime live and how its session is opened, for data-parallel training: the
   * replica devices (checked to exist when the session opens), the devices that hold the variables (a variable
   * goes to {@code variableDevices[k % size]}, k counting variables in creation order; an optimizer slot, whose
   * scope ends with its variable's name, goes with its variable), the session target ({@code grpc://host:port},
   * or null for an in-process session) and how many CPU devices an in-process session has
   * ({@code device_count {"CPU": n}}); for a session on a cluster, the cluster (or null if unknown) and the
   * operation timeout of its session ({@code operation_timeout_in_ms}, see
   * {@link ClusterSessions}; null for its default).
   *
   * <p>With a cluster, opening the session first checks that every task answers, the session's runs time out
   * after the operation timeout instead of hanging on a lost task, and {@link #diagnose} turns run failures into
   * {@link ClusterFailure}s naming the task.
   */
  public record Placement(List<String> replicaDevices, List<String> variableDevices, String target, int cpuDevices,
      ClusterSpec cluster, Duration operationTimeout) {
    /** Copies the lists and checks the values. */
    public Placement {
      replicaDevices = List.copyOf(replicaDevices);
      variableDevices = List.copyOf(variableDevices);
      if (replicaDevices.isEmpty() || variableDevices.isEmpty()) {
        throw new IllegalArgumentException("A placement needs at least one replica device and one variable device");
      }
      if (cpuDevices < 1) {
        throw new IllegalArgumentException("cpuDevices must be >= 1. Received: " + cpuDevices);
      }
      if (cluster != null && target == null) {
        throw new IllegalArgumentException("A placement on a cluster needs the session target (grpc://host:port)");
      }
      if (operationTimeout != null && (operationTimeout.isNegative() || operationTimeout.isZero())) {
        throw new IllegalArgumentException("The operation timeout must be positive. Received: " + operationTimeout);
      }
    }

    /** A placement without a cluster description (in-process, or a bare target with no operation timeout). */
    public Placement(List<String> replicaDevices, List<String> variableDevices, String target, int cpuDevices) {
      this(replicaDevices, variableDevices, target, cpuDevices, null, null);
    }
  }

  /**
   * Explains an exception thrown while running this runtime's session: with a placement on a cluster, a failure
   * of TensorFlow's distributed runtime (a task died, stalled or restarted) becomes a
   * {@link ClusterFailure} naming the task (see
   * {@link ClusterFailure#diagnose}); anything else is returned unchanged.
   *
   * @return the exception to throw
   */
  public RuntimeException diagnose(RuntimeException error) {
    Placement p;
    synchronized (this) {
      p = placement;
    }
    if (p == null || p.cluster() == null) {
      return error;
    }
    return ClusterFailure.diagnose(p.cluster(), error);
  }

  private Placement placement;
  private String device;
  private int placedPrimaries;
  private final java.util.Map<String, String> variableDevices = new java.util.HashMap<>();

  /** The placement set by {@link #place}, or null. */
  public synchronized Placement placement() {
    return placement;
  }

  /**
   * Places this runtime's variables and session as {@code p} says. Variables that exist already and have no
   * device yet are moved to their variable device (nothing has run them); the session is opened (on the target,
   * if any) and every replica and variable device is checked to exist. Setting the same placement again does
   * nothing.
   *
   * @throws IllegalStateException if a variable already lives on another device, or the session is already open
   *     with other settings (its variables' values would be lost)
   * @throws IllegalArgumentException if a device does not exist; the message lists the devices there are
   */
  public synchronized void place(Placement p) {
    checkOpen();
    Objects.requireNonNull(p, "placement");
    if (p.equals(placement)) {
      return;
    }
    if (session != null) {
      throw new IllegalStateException("The session of this graph is already open (weights were read, set or "
          + "trained) without the distribution's devices " + p.replicaDevices() + "; set the distribution "
          + "(Distributions.set(...) or CompileOptions.distribution(...)) before the model's weights are used, or "
          + "call Backend.clearSession() and build the model again");
    }
    // Check everything first so that a refused placement changes nothing.
    int primaries = 0;
    List<String> wanted = new ArrayList<>();
    java.util.Map<String, String> chosen = new java.util.HashMap<>();
    for (GraphVariable v : variables) {
      String scopeName = v.name().contains("/") ? v.name().substring(0, v.name().lastIndexOf('/')) : "";
      String slotOf = slotOwner(scopeName, chosen);
      String target = slotOf != null ? chosen.get(slotOf)
          : Devices.canonical(p.variableDevices().get(primaries++ % p.variableDevices().size()));
      String current = ((org.tensorflow.GraphOperation) v.variable().op()).device();
      if (!current.isEmpty() && !Devices.matches(Devices.canonical(current), target)) {
        throw new IllegalStateException("Variable '" + v.name() + "' already lives on " + current + " but the "
            + "distribution keeps variables on " + target + ". Call Distributions.set(...) before building the "
            + "model (or call Backend.clearSession() and build it again)");
      }
      chosen.put(v.name(), target);
      wanted.add(target);
    }
    for (int i = 0; i < variables.size(); i++) {
      GraphVariable v = variables.get(i);
      setDevice((org.tensorflow.GraphOperation) v.variable().op(), wanted.get(i));
      setDevice((org.tensorflow.GraphOperation) v.value().op(), wanted.get(i));
      variableDevices.put(v.name(), wanted.get(i));
    }
    placement = p;
    placedPrimaries = primaries;
    try {
      if (p.cluster() != null) {
        // A session's first run waits for every task of the cluster: fail at once, naming the missing task.
        ClusterSessions.checkReachable(p.cluster(),
            ClusterFailure.PROBE_TIMEOUT);
      }
      Session opened = openSession();
      session = opened;
      checkDevices(p);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
        session = null;
      }
      RuntimeException explained = diagnose(e);
      placement = null;
      throw explained;
    }
  }

  private void checkDevices(Placement p) {
    List<String> available = listDevices();
    List<String> wanted = new ArrayList<>(p.replicaDevices());
    wanted.addAll(p.variableDevices());
    for (String d : wanted) {
      String c = Devices.canonical(d);
      if (available.stream().noneMatch(a -> Devices.matches(a, c))) {
        throw new IllegalArgumentException("Device '" + d + "' does not exist in this session"
            + (p.target() == null ? " (in-process, " + p.cpuDevices() + " CPU device(s))" : " (target "
            + p.target() + ")") + ". Available devices: " + available + ". For more CPU devices in one process "
            + "use DataParallel.builder().localCpuDevices(n)");
      }
    }
  }

  /**
   * Runs {@code body} with {@code device} as the device of every op built through {@link #scope} (and of the
   * ops built on those scopes) on this thread; variables still go to their variable device. Used to trace one
   * replica of a model on its device.
   */
  public synchronized <T> T onDevice(String device, java.util.function.Supplier<T> body) {
    checkOpen();
    String before = this.device;
    this.device = device == null ? null : Devices.canonical(device);
    try {
      return body.get();
    } finally {
      this.device = before;
    }
  }

  /** The device set by the enclosing {@link #onDevice}, or null. */
  public synchronized String currentDevice() {
    return device;
  }

  /** The canonical device of variable {@code v} ("" when TensorFlow places it). */
  public synchronized String deviceOf(GraphVariable v) {
    return variableDevices.getOrDefault(v.name(), "");
  }

  /**
   * The devices of this runtime's session, as TensorFlow names them
   * ({@code /job:localhost/replica:0/task:0/device:CPU:0}); opens the session if needed.
   */
  public synchronized List<String> listDevices() {
    return Devices.list(session());
  }

  private String variableDevice(String scopeName) {
    if (placement == null) {
      return "";
    }
    String owner = slotOwner(scopeName, variableDevices);
    if (owner != null) {
      return variableDevices.get(owner);
    }
    return Devices.canonical(placement.variableDevices().get(placedPrimaries++ % placement.variableDevices().size()));
  }

  /** The variable whose slot a variable in {@code scopeName} is (the scope ends with its name), or null. */
  private static String slotOwner(String scopeName, java.util.Map<String, String> known) {
    for (String name : known.keySet()) {
      if (scopeName.endsWith("/" + name)) {
        return name;
      }
    }
    return null;
  }

  private Session openSession() {
    if (placement == null) {
      return new Session(graph, SessionSettings.config());
    }
    org.tensorflow.proto.ConfigProto config = SessionSettings.config(placement.cpuDevices());
    if (placement.target() != null) {
      if (placement.cluster() != null) {
        Duration timeout = placement.operationTimeout() != null ? placement.operationTimeout()
            : ClusterSessions.DEFAULT_OPERATION_TIMEOUT;
        config = config.toBuilder().mergeFrom(
            ClusterSessions.config(placement.cluster(), timeout)).build();
        ClusterSessions.awaitChannels(placement.cluster(), placement.target(), config, timeout);
      } else if (placement.operationTimeout() != null) {
        config = config.toBuilder().setOperationTimeoutInMs(placement.operationTimeout().toMillis()).build();
      }
      return io.github.keras4j.graph.distributed.RemoteSession.open(graph, placement.target(), config);
    }
    return new Session(graph, config);
  }

  private void placeUnplaced(String prefix, String device) {
    java.util.Iterator<org.tensorflow.GraphOperation> it = graph.operations();
    while (it.hasNext()) {
      org.tensorflow.GraphOperation op = it.next();
      if (op.name().startsWith(prefix) && op.device().isEmpty()) {
        setDevice(op, device);
      }
    }
  }

  private void setDevice(org.tensorflow.GraphOperation op, String device) {
    org.tensorflow.internal.c_api.global.tensorflow.TF_SetRequestedDevice(
        nativeGraph(), op.getUnsafeNativeHandle(), device);
  }

  private org.tensorflow.internal.c_api.TF_Graph nativeGraph() {
    try {
      java.lang.reflect.Field field = Graph.class.getDeclaredField("nativeHandle");
      field.setAccessible(true);
      return (org.tensorflow.internal.c_api.TF_Graph) field.get(graph);
    } catch (NoSuchFieldException | IllegalAccessException e) {
      throw new IllegalStateException("This TF Java version does not expose Graph.nativeHandle as 1.1.0 does; "
          + "placing ops on devices needs it", e);
    }
  }

  /**
   * Device names: parsing ({@code /cpu:1}, {@code cpu:1}, {@code /device:GPU:0}, {@code /job:worker/task:1},
   * {@code /job:worker/replica:0/task:1/device:CPU:0}), a canonical form, matching and listing.
   */
  public static final class Devices {

    private Devices() {}

    /** The fields of a device name; null where not given. */
    private record Parts(String job, Integer replica, Integer task, String type, Integer index) {}

    private static Parts parse(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("A device name must not be empty");
      }
      String job = null;
      Integer replica = null;
      Integer task = null;
      String type = null;
      Integer index = null;
      String[] parts = name.trim().split("/");
      try {
        for (int i = 0; i < parts.length; i++) {
          String part = parts[i];
          if (part.isEmpty()) {
            continue;
          }
          String[] kv = part.split(":");
          String key = kv[0].toLowerCase(java.util.Locale.ROOT);
          if (key.equals("job") && kv.length == 2) {
            job = kv[1];
          } else if (key.equals("replica") && kv.length == 2) {
            replica = Integer.parseInt(kv[1]);
          } else if (key.equals("task") && kv.length == 2) {
            task = Integer.parseInt(kv[1]);
          } else if (key.equals("device") && kv.length == 3) {
            type = kv[1].toUpperCase(java.util.Locale.ROOT);
            index = kv[2].equals("*") ? null : Integer.parseInt(kv[2]);
          } else if (kv.length == 2 && !key.isEmpty()) {
            type = kv[0].toUpperCase(java.util.Locale.ROOT);
            index = kv[1].equals("*") ? null : Integer.parseInt(kv[1]);
          } else {
            throw new IllegalArgumentException(part);
          }
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Cannot read device name '" + name + "': expected e.g. \"/cpu:1\", "
            + "\"gpu:0\", \"/job:worker/task:1\" or \"/job:worker/replica:0/task:1/device:CPU:0\"");
      }
      return new Parts(job, replica, task, type, index);
    }

    /**
     * The canonical form of a device name: {@code /job:J/replica:R/task:T/device:TYPE:N} with only the given
     * fields ({@code "cpu:1"} becomes {@code /device:CPU:1}).
     */
    public static String canonical(String name) {
      Parts p = parse(name);
      StringBuilder b = new StringBuilder();
      if (p.job() != null) {
        b.append("/job:").append(p.job());
      }
      if (p.replica() != null) {
        b.append("/replica:").append(p.replica());
      }
      if (p.task() != null) {
        b.append("/task:").append(p.task());
      }
      if (p.type() != null) {
        b.append("/device:").append(p.type()).append(':').append(p.index() == null ? "*" : p.index());
      }
      return b.toString();
    }

    /** The device as a TF Java {@link org.tensorflow.DeviceSpec}, for {@code Ops.withDevice}. */
    public static org.tensorflow.DeviceSpec spec(String name) {
      Parts p = parse(name);
      org.tensorflow.DeviceSpec.Builder b = org.tensorflow.DeviceSpec.newBuilder();
      if (p.job() != null) {
        b.job(p.job());
      }
      if (p.replica() != null) {
        b.replica(p.replica());
      }
      if (p.task() != null) {
        b.task(p.task());
      }
      if (p.type() != null) {
        org.tensorflow.DeviceSpec.DeviceType t;
        try {
          t = org.tensorflow.DeviceSpec.DeviceType.valueOf(p.type());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("Device '" + name + "': unknown device type " + p.type()
              + "; expected CPU, GPU or TPU");
        }
        b.deviceType(t).deviceIndex(p.index());
      }
      return b.build();
    }

    /**
     * Whether the device {@code full} (a name TensorFlow lists) is one that {@code requested} names: every field
     * given in {@code requested} is equal in {@code full}.
     */
    public static boolean matches(String full, String requested) {
      Parts f = parse(full);
      Parts r = parse(requested);
      return (r.job() == null || r.job().equals(f.job()))
          && (r.replica() == null || r.replica().equals(f.replica()))
          && (r.task() == null || r.task().equals(f.task()))
          && (r.type() == null || r.type().equals(f.type()))
          && (r.index() == null || r.index().equals(f.index()));
    }

    /** The devices of a session, as TensorFlow names them. */
    public static List<String> list(Session session) {
      org.tensorflow.internal.c_api.TF_Session handle;
      try {
        java.lang.reflect.Field field = Session.class.getDeclaredField("nativeHandle");
        field.setAccessible(true);
        handle = (org.tensorflow.internal.c_api.TF_Session) field.get(session);
      } catch (NoSuchFieldException | IllegalAccessException e) {
        throw new IllegalStateException("This TF Java version does not expose Session.nativeHandle as 1.1.0 does; "
            + "listing devices needs it", e);
      }
      List<String> out = new ArrayList<>();
      try (org.tensorflow.internal.c_api.TF_Status status = org.tensorflow.internal.c_api.TF_Status.newStatus()) {
        org.tensorflow.internal.c_api.TF_DeviceList list =
            org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices(handle, status);
        status.throwExceptionIfNotOK();
        try {
          int n = org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount(list);
          for (int i = 0; i < n; i++) {
            out.add(org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName(list, i, status).getString());
            status.throwExceptionIfNotOK();
          }
        } finally {
          org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList(list);
        }
      }
      return out;
    }
  }

  /** Reads the current values of {@code vars} in one session call. */
  public List<org.tensorflow.ndarray.FloatNdArray> read(List<GraphVariable> vars) {
    List<org.tensorflow.ndarray.FloatNdArray> out = new ArrayList<>();
    if (vars.isEmpty()) {
      return out;
    }
    Session.Runner runner = session().runner();
    for (GraphVariable v : vars) {
      runner.fetch(v.value());
    }
    try (org.tensorflow.Result result = runner.run()) {
      for (int i = 0; i < vars.size(); i++) {
        TFloat32 t = (TFloat32) result.get(i);
        org.tensorflow.ndarray.FloatNdArray copy = org.tensorflow.ndarray.NdArrays.ofFloats(t.shape());
        t.copyTo(copy);
        out.add(copy);
      }
    }
    return out;
  }

  /**
   * Assigns new values to {@code vars} in one session call; each value must have the variable's shape
   * (checked here, with the variable's name in the message).
   */
  public synchronized void assign(List<GraphVariable> vars, List<? extends org.tensorflow.ndarray.FloatNdArray> values) {
    if (vars.size() != values.size()) {
      throw new IllegalArgumentException("Expected " + vars.size() + " values, received " + values.size());
    }
    if (vars.isEmpty()) {
      return;
    }
    List<TFloat32> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session().runner();
      for (int i = 0; i < vars.size(); i++) {
        GraphVariable v = vars.get(i);
        org.tensorflow.ndarray.FloatNdArray value = values.get(i);
        if (!value.shape().equals(v.shape())) {
          throw new IllegalArgumentException("Weight '" + v.name() + "' has shape " + Shapes.format(v.shape())
              + " but the value given for it has shape " + Shapes.format(value.shape()));
        }
        Assigner a = assigners.computeIfAbsent(v.name(), k -> {
          Ops s = scope("weight_assign");
          org.tensorflow.op.core.Placeholder<TFloat32> p =
              s.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(v.shape()));
          return new Assigner(p, s.assign(v.variable(), p));
        });
        TFloat32 t = TFloat32.tensorOf(value.shape());
        tensors.add(t);
        value.copyTo(t);
        runner.feed(a.feed(), t).addTarget(a.assign());
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  private record Assigner(org.tensorflow.op.core.Placeholder<TFloat32> feed, org.tensorflow.op.core.Assign<TFloat32> assign) {}

  private final java.util.Map<String, Assigner> assigners = new java.util.HashMap<>();

  /** Adds an owner; each owner must call {@link #close()} once. */
  public synchronized GraphRuntime retain() {
    checkOpen();
    owners++;
    return this;
  }

  /** Whether the graph is still open. */
  public synchronized boolean isOpen() {
    return !closed;
  }

  /** Releases one owner; the last release closes the session and the graph. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (--owners > 0) {
      return;
    }
    closed = true;
    if (session != null) {
      session.close();
    }
    graph.close();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This graph runtime has been closed");
    }
  }
}
