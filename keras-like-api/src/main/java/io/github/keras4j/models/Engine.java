package io.github.keras4j.models;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.distribution.Distribution;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.MaskedOperand;
import io.github.keras4j.layers.Trace;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.metrics.Metric;
import io.github.keras4j.metrics.Metrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The traced form of a model in its graph: input placeholders, the inference outputs, and compiled train and
 * test steps (one per target shape), each a set of feeds, one packed fetch and, for training, one update op.
 */
final class Engine implements AutoCloseable {

  private final Model model;
  private final GraphRuntime rt;
  /** One placeholder per model input; a string input's is a TString placeholder carried as by StringTensors. */
  private List<Operand<TFloat32>> inputFeeds;
  private List<Operand<TFloat32>> predictions;
  // Keyed by the targets' dimensions: TF Java's Shape.equals is false whenever a size is unknown (-1).
  private final Map<String, Step> trainSteps = new HashMap<>();
  private final Map<String, Step> testSteps = new HashMap<>();
  final Feeder feeder = new Feeder();

  Engine(Model model) {
    this.model = model;
    this.rt = model.runtime();
  }

  GraphRuntime runtime() {
    return rt;
  }

  synchronized List<Operand<TFloat32>> inputFeeds() {
    if (inputFeeds == null) {
      List<Operand<TFloat32>> feeds = new ArrayList<>();
      for (KerasTensor t : model.inputs()) {
        // Under the input layer's own scope ("input_layer/input"): a root op named after the layer would be
        // renamed by TF ("input_layer_1") and then collide with the scope of a later layer of that name.
        feeds.add(Model.placeholder(rt.scope(t.layer().name()), "input", t));
      }
      inputFeeds = feeds;
    }
    return inputFeeds;
  }

  synchronized List<Operand<TFloat32>> predictions() {
    Distribution d = checkDistribution();
    if (predictions == null && d != null) {
      predictions = replicatedPredictions(d);
    }
    if (predictions == null) {
      // Identity keeps fetches distinct from feeds, also for a model whose output is its input.
      List<Operand<TFloat32>> outs = new ArrayList<>();
      Ops tf = rt.scope(model.name() + "/predict");
      for (Operand<TFloat32> o : model.call(new ArrayList<>(inputFeeds()), false)) {
        outs.add(tf.identity(o));
      }
      predictions = outs;
    }
    return predictions;
  }

  /**
   * Drops the compiled steps and the traced predictions, as Keras's {@code compile} resets its train, test and
   * predict functions (so that layers changed since, e.g. by {@code enableLora}, are traced anew).
   */
  synchronized void resetSteps() {
    trainSteps.clear();
    testSteps.clear();
    predictions = null;
  }

  /**
   * The model's distribution, placed on the runtime; when it differs from the one the cached steps were built
   * for, they are dropped (predictions included).
   */
  private Distribution checkDistribution() {
    Distribution d = model.distribution();
    if (d != distribution) {
      trainSteps.clear();
      testSteps.clear();
      predictions = null;
      distribution = d;
    }
    if (d != null) {
      rt.place(d.placement());
    }
    return d;
  }

  private Distribution distribution;

  /** The compiled step for targets of the given batch shapes. */
  synchronized Step step(boolean training, List<Shape> targetShapes) {
    Distribution d = checkDistribution();
    Map<String, Step> cache = training ? trainSteps : testSteps;
    StringBuilder key = new StringBuilder();
    for (Shape shape : targetShapes) {
      key.append(java.util.Arrays.toString(shape.asArray()));
    }
    Step s = cache.get(key.toString());
    if (s == null) {
      s = d == null ? build(training, targetShapes) : buildReplicated(training, targetShapes, d);
      cache.put(key.toString(), s);
    }
    return s;
  }

  private void checkLosses(CompileOptions c, int n) {
    if (c.losses.size() != 1 && c.losses.size() != n) {
      throw new IllegalArgumentException("compile(): model '" + model.name() + "' has " + n + " outputs but "
          + c.losses.size() + " losses were given; give one loss, or one per output");
    }
    if (c.lossWeights != null && c.lossWeights.size() != n) {
      throw new IllegalArgumentException("compile(): lossWeights has " + c.lossWeights.size()
          + " entries but model '" + model.name() + "' has " + n + " outputs");
    }
  }

  private Step build(boolean training, List<Shape> targetShapes) {
    CompileOptions c = model.compileOptions();
    int n = model.outputs().size();
    checkLosses(c, n);
    Ops tf = rt.scope(model.name() + (training ? "/train_step" : "/test_step"));
    List<Placeholder<TFloat32>> targets = new ArrayList<>();
    List<Placeholder<TFloat32>> weights = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      targets.add(tf.withName("target_" + j).placeholder(TFloat32.class, Placeholder.shape(targetShapes.get(j))));
      weights.add(tf.withName("sample_weight_" + j).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1))));
    }
    List<List<Metric>> perOutputMetrics = resolveMetrics(c, model.outputs(), targetShapes);
    Traced t = trace(tf, new ArrayList<>(inputFeeds()), new ArrayList<>(targets), new ArrayList<>(weights),
        training, perOutputMetrics);
    Op update = null;
    if (training) {
      update = trainUpdate(tf, t, List.of(t.fetch()));
    }
    return new Step(targets, weights, t.fetch(), update, t.names(), t.metrics(), n);
  }

  /** One traced copy of a step: the loss to minimize, the packed logs, their names and metrics, layer updates. */
  private record Traced(Operand<TFloat32> total, Operand<TFloat32> fetch, List<String> names, List<Metric> metrics,
      List<Op> layerUpdates) {}

  /**
   * Traces the model on {@code xs} with the losses and metrics against {@code ys} weighted by {@code ws}: the total
   * loss (with the layers' penalties, as Keras 3's compute_loss) and the packed logs
   * {@code [loss, (per-output losses), metric sum, weight sum, ...]}.
   */
  private Traced trace(Ops tf, List<Operand<TFloat32>> xs, List<Operand<TFloat32>> ys, List<Operand<TFloat32>> ws,
      boolean training, List<List<Metric>> perOutputMetrics) {
    CompileOptions c = model.compileOptions();
    List<KerasTensor> outputs = model.outputs();
    int n = outputs.size();
    List<Loss> losses = c.losses;
    List<Operand<TFloat32>> preds = new ArrayList<>();
    List<Operand<TBool>> masks = new ArrayList<>();
    List<Op> layerUpdates;
    List<Operand<TFloat32>> layerLosses;
    try (Trace trace = Trace.open()) {
      for (MaskedOperand o : model.callWithMasks(xs, training)) {
        preds.add(o.value());
        masks.add(o.mask());
      }
      layerUpdates = List.copyOf(trace.updates());
      layerLosses = List.copyOf(trace.losses());
    }
    List<Operand<TFloat32>> packed = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Operand<TFloat32>> perOutput = new ArrayList<>();
    Operand<TFloat32> total = null;
    for (int j = 0; j < n; j++) {
      Loss loss = losses.size() == 1 ? losses.get(0) : losses.get(j);
      Operand<TFloat32> l = loss.compute(tf, ys.get(j), preds.get(j), ws.get(j), masks.get(j));
      perOutput.add(l);
      Operand<TFloat32> weighted = c.lossWeights == null ? l : tf.math.mul(l, tf.constant(c.lossWeights.get(j).floatValue()));
      total = total == null ? weighted : tf.math.add(total, weighted);
    }
    Operand<TFloat32> penalties = StepBuilder.sum(tf, model.regularizationLoss(tf), layerLosses);
    total = packLosses(tf, total, penalties, perOutput::get, outputs, packed, names);
    List<Metric> metrics = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      for (Metric m : perOutputMetrics.get(j)) {
        packed.add(metricState(tf, m, ys.get(j), preds.get(j), ws.get(j), masks.get(j)));
        metrics.add(m);
      }
    }
    return new Traced(total, packLogs(tf, packed), names, metrics, layerUpdates);
  }

  /**
   * Packs the step's loss logs: {@code "loss"}, the total plus the penalties (Keras 3's {@code compute_loss}: the
   * reported and minimized loss includes {@code model.losses}), then, for a model of several outputs,
   * {@code "<output>_loss"} for each; returns the total.
   */
  private static Operand<TFloat32> packLosses(Ops tf, Operand<TFloat32> total, Operand<TFloat32> penalties,
      java.util.function.IntFunction<Operand<TFloat32>> outputLoss, List<KerasTensor> outputs,
      List<Operand<TFloat32>> packed, List<String> names) {
    Operand<TFloat32> withPenalties = penalties == null ? total : tf.math.add(total, penalties);
    packed.add(withPenalties);
    names.add("loss");
    if (outputs.size() > 1) {
      for (int j = 0; j < outputs.size(); j++) {
        packed.add(outputLoss.apply(j));
        names.add(outputs.get(j).layer().name() + "_loss");
      }
    }
    return withPenalties;
  }

  /**
   * The update of one traced training copy: gradients of its loss, the optimizer's apply (waiting for
   * {@code barrier}), then constraints and the layers' state updates.
   */
  private Op trainUpdate(Ops tf, Traced t, List<Op> barrier) {
    CompileOptions c = model.compileOptions();
    List<GraphVariable> vars = model.trainableVariables();
    List<Operand<TFloat32>> grads = rt.gradients(c.optimizer.scaleLoss(tf, t.total()), vars);
    Op apply = c.optimizer.applyGradients(rt, vars, grads, barrier);
    return StepBuilder.finishUpdate(tf, List.of(apply), model.constraints(), vars, t.layerUpdates());
  }

  /**
   * The training step that runs {@code copies} steps in one {@code Session.run} (compile's stepsPerExecution):
   * the batches of all copies are fed together, one tensor of their rows per input, target and weight, with the
   * rows of each copy in {@link Step#rows()}, and split in the graph. Copy {@code k} is the single step traced on
   * its part inside {@link GraphRuntime#readsAfter} the update op of copy {@code k - 1}: every variable it reads
   * (weights, BatchNormalization statistics, the optimizer's step counter) is read afresh after that update, and
   * its apply ops wait for it too (the slots, updated in place, so in order). The fetch stacks the copies' packed
   * logs, shape {@code (copies, P)}; the update op is the last copy's, which waits for all the others.
   */
  synchronized Step chainStep(List<Shape> targetShapes, int copies) {
    Distribution d = checkDistribution();
    if (d != null) {
      throw new IllegalArgumentException("fit(): stepsPerExecution=" + model.compileOptions().stepsPerExecution
          + " is not supported with a distribution (" + d.getClass().getSimpleName() + " over " + d.devices()
          + ") in Keras4J; compile with stepsPerExecution(1) to train model '" + model.name() + "' distributed");
    }
    StringBuilder key = new StringBuilder("chain" + copies);
    for (Shape shape : targetShapes) {
      key.append(java.util.Arrays.toString(shape.asArray()));
    }
    Step s = trainSteps.get(key.toString());
    if (s == null) {
      s = buildChain(targetShapes, copies);
      trainSteps.put(key.toString(), s);
    }
    return s;
  }

  private Step buildChain(List<Shape> targetShapes, int copies) {
    CompileOptions c = model.compileOptions();
    int n = model.outputs().size();
    checkLosses(c, n);
    String scope = model.name() + "/train_steps_" + copies;
    Ops tf = rt.scope(scope);
    List<Placeholder<TFloat32>> targets = new ArrayList<>();
    List<Placeholder<TFloat32>> weights = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      targets.add(tf.withName("target_" + j).placeholder(TFloat32.class, Placeholder.shape(targetShapes.get(j))));
      weights.add(tf.withName("sample_weight_" + j).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1))));
    }
    Placeholder<TInt32> rows = tf.withName("rows").placeholder(TInt32.class, Placeholder.shape(Shape.of(copies)));
    List<List<Operand<TFloat32>>> xParts = new ArrayList<>();
    inputFeeds().forEach(f -> xParts.add(split(tf, f, rows, copies)));
    List<List<Operand<TFloat32>>> yParts = new ArrayList<>();
    targets.forEach(t -> yParts.add(split(tf, t, rows, copies)));
    List<List<Operand<TFloat32>>> wParts = new ArrayList<>();
    weights.forEach(w -> wParts.add(split(tf, w, rows, copies)));
    List<List<Metric>> perOutputMetrics = resolveMetrics(c, model.outputs(), targetShapes);
    List<Operand<TFloat32>> logs = new ArrayList<>();
    Op previous = null;
    Traced first = null;
    for (int k = 0; k < copies; k++) {
      int part = k;
      Ops tk = rt.scope(scope + "/copy_" + k);
      List<Op> after = previous == null ? List.of() : List.of(previous);
      Traced[] traced = new Traced[1];
      previous = rt.readsAfter(after, () -> Backend.inRandomStream(part, () -> {
        List<Operand<TFloat32>> xs = new ArrayList<>();
        xParts.forEach(p -> xs.add(p.get(part)));
        List<Operand<TFloat32>> ys = new ArrayList<>();
        yParts.forEach(p -> ys.add(p.get(part)));
        List<Operand<TFloat32>> ws = new ArrayList<>();
        wParts.forEach(p -> ws.add(p.get(part)));
        traced[0] = trace(tk, xs, ys, ws, true, perOutputMetrics);
        List<Op> barrier = new ArrayList<>(after);
        barrier.add(traced[0].fetch());
        return trainUpdate(tk, traced[0], barrier);
      }));
      logs.add(traced[0].fetch());
      if (first == null) {
        first = traced[0];
      }
    }
    Operand<TFloat32> fetch = tf.withName("logs").stack(logs);
    return new Step(targets, weights, fetch, previous, first.names(), first.metrics(), n, copies, rows);
  }

  /** The metrics of every output, resolved from the compile options. */
  private List<List<Metric>> resolveMetrics(CompileOptions c, List<KerasTensor> outputs, List<Shape> targetShapes) {
    int n = outputs.size();
    if (c.perOutputMetrics != null) {
      for (String key : c.perOutputMetrics.keySet()) {
        if (outputs.stream().noneMatch(o -> o.layer().name().equals(key))) {
          throw new IllegalArgumentException("compile(): metrics were given for '" + key + "', which is not an "
              + "output of model '" + model.name() + "'. Outputs are: " + outputNames(outputs));
        }
      }
    }
    List<List<Metric>> all = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      String outputName = outputs.get(j).layer().name();
      String prefix = n > 1 ? outputName + "_" : "";
      List<Object> specs = new ArrayList<>(c.metrics);
      if (c.perOutputMetrics != null) {
        specs.addAll(c.perOutputMetrics.getOrDefault(outputName, List.of()));
      }
      List<Metric> ms = new ArrayList<>();
      for (Object spec : specs) {
        ms.add(resolveMetric(spec, prefix, targetShapes.get(j), outputs.get(j).shape(), n));
      }
      all.add(ms);
    }
    return all;
  }

  /**
   * The metric's state for the batch ({@link Metric#batchState}): for a mean metric the weighted sum of its
   * per-sample values and the sum of their weights.
   */
  private static Operand<TFloat32> metricState(Ops tf, Metric m, Operand<TFloat32> target,
      Operand<TFloat32> pred, Operand<TFloat32> weight, Operand<TBool> mask) {
    if (mask == null) {
      return m.batchState(tf, target, pred, weight);
    }
    // Keras 3's MeanMetricWrapper multiplies the sample weights by the predictions' mask, on per-step
    // values. Metrics here give one value per sample, so each time step is made a sample first:
    // (batch, t, ...) -> (batch * t, ...), with weight sample_weight * mask.
    Operand<TFloat32> maskValues = tf.dtypes.cast(mask, TFloat32.class);
    Operand<TFloat32> perStep = tf.math.mul(maskValues, tf.expandDims(weight, tf.constant(-1)));
    return m.batchState(tf, foldTime(tf, target), foldTime(tf, pred),
        tf.reshape(perStep, tf.constant(new long[] {-1})));
  }

  /** The step's logs as one vector: the scalar losses, then each metric's state. */
  private static Operand<TFloat32> packLogs(Ops tf, List<Operand<TFloat32>> parts) {
    List<Operand<TFloat32>> flat = new ArrayList<>();
    Operand<TInt32> vector = tf.constant(new int[] {-1});
    parts.forEach(p -> flat.add(tf.reshape(p, vector)));
    // ConcatV2 takes at least two tensors.
    return flat.size() == 1 ? tf.withName("logs").identity(flat.get(0))
        : tf.withName("logs").concat(flat, tf.constant(0));
  }

  // ------------------------------------------------------------------ data parallel (one client, R devices)

  /**
   * Rows of a batch of {@code n} per replica, as numpy's {@code array_split}: {@code n / R} each, one more for the
   * first {@code n % R}; so replica 0 has rows whenever the batch has.
   */
  static Operand<TInt32> splitSizes(Ops tf, Operand<TFloat32> batch, int replicas) {
    Operand<TInt32> n = tf.gather(tf.shape(batch), tf.constant(0), tf.constant(0));
    Operand<TInt32> r = tf.constant(replicas);
    Operand<TInt32> base = tf.math.floorDiv(n, r);
    Operand<TInt32> rem = tf.math.floorMod(n, r);
    int[] index = new int[replicas];
    for (int i = 0; i < replicas; i++) {
      index[i] = i;
    }
    // base + (i < rem ? 1 : 0) = base + min(max(rem - i, 0), 1)
    Operand<TInt32> extra = tf.math.minimum(tf.math.maximum(tf.math.sub(rem, tf.constant(index)), tf.constant(0)),
        tf.constant(1));
    return tf.math.add(base, extra);
  }

  /** {@code x} split along axis 0 into the replicas' parts (static shapes kept but for the batch size). */
  private static List<Operand<TFloat32>> split(Ops tf, Operand<TFloat32> x, Operand<TInt32> sizes, int replicas) {
    List<Operand<TFloat32>> parts = new ArrayList<>();
    tf.splitV(x, sizes, tf.constant(0), (long) replicas).forEach(parts::add);
    return parts;
  }

  /** {@code sum(terms)} on the given ops (AddN), or the one term. */
  private static Operand<TFloat32> addAll(Ops tf, List<Operand<TFloat32>> terms) {
    return terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
  }

  /**
   * Per variable, the sum of its gradients in every list of {@code grads} (one list per replica, each in the order of
   * {@code vars}), built on the variable's device, where the optimizer applies it ({@code tf}'s device if unplaced).
   */
  static List<Operand<TFloat32>> sumPerVariable(GraphRuntime rt, Ops tf, List<GraphVariable> vars,
      List<List<Operand<TFloat32>>> grads) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      String device = rt.deviceOf(vars.get(i));
      Ops on = device.isEmpty() ? tf : tf.withDevice(GraphRuntime.Devices.spec(device));
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (List<Operand<TFloat32>> g : grads) {
        parts.add(g.get(i));
      }
      out.add(addAll(on, parts));
    }
    return out;
  }

  /** One replica's trace: its inputs, outputs and masks, and what its layers added. */
  private record Replica(String device, List<Operand<TFloat32>> targets, List<Operand<TFloat32>> weights,
      List<Operand<TFloat32>> preds, List<Operand<TBool>> masks, List<Op> updates, List<Operand<TFloat32>> losses,
      Operand<TInt32> rows) {}

  private List<Operand<TFloat32>> replicatedPredictions(Distribution d) {
    List<String> devices = d.devices();
    int replicas = devices.size();
    Ops tf = rt.scope(model.name() + "/predict");
    List<Operand<TFloat32>> feeds = inputFeeds();
    Operand<TInt32> sizes = splitSizes(tf, feeds.get(0), replicas);
    List<List<Operand<TFloat32>>> inputs = new ArrayList<>();
    for (Operand<TFloat32> f : feeds) {
      inputs.add(split(tf, f, sizes, replicas));
    }
    List<List<Operand<TFloat32>>> perReplica = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      List<Operand<TFloat32>> xs = new ArrayList<>();
      for (List<Operand<TFloat32>> in : inputs) {
        xs.add(in.get(r));
      }
      perReplica.add(rt.onDevice(devices.get(r), () -> model.call(xs, false)));
    }
    List<Operand<TFloat32>> outs = new ArrayList<>();
    for (int j = 0; j < perReplica.get(0).size(); j++) {
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (List<Operand<TFloat32>> p : perReplica) {
        parts.add(p.get(j));
      }
      outs.add(tf.identity(replicas == 1 ? parts.get(0) : tf.concat(parts, tf.constant(0))));
    }
    return outs;
  }

  /**
   * The train or test step under data parallelism. The fed batch is split over the replicas; replica r computes
   * {@code obj_r = sum_j lossWeight_j * share_rj * loss_rj + rowShare_r * layerLosses_r}, where {@code share_rj} is
   * its share of the values output j's loss averages over (rows, or unmasked steps for a masked output), so that
   * {@code sum_r obj_r} is exactly the whole batch's loss (each loss is a weighted sum divided by that count); the
   * weight penalties are added once, on the variable device. The gradients of each {@code obj_r} are taken on its
   * replica's device and summed on the variable device, where the optimizer applies them once. Metric sums and
   * weight sums add up across replicas.
   */
  private Step buildReplicated(boolean training, List<Shape> targetShapes, Distribution d) {
    CompileOptions c = model.compileOptions();
    List<KerasTensor> outputs = model.outputs();
    int n = outputs.size();
    checkLosses(c, n);
    List<String> devices = d.devices();
    int replicas = devices.size();
    String variableDevice = d.variableDevices().get(0);
    String stepName = model.name() + (training ? "/train_step" : "/test_step");
    Ops tf = rt.scope(stepName);
    List<Placeholder<TFloat32>> targets = new ArrayList<>();
    List<Placeholder<TFloat32>> weights = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      targets.add(tf.withName("target_" + j).placeholder(TFloat32.class, Placeholder.shape(targetShapes.get(j))));
      weights.add(tf.withName("sample_weight_" + j).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1))));
    }
    List<Operand<TFloat32>> feeds = inputFeeds();
    Operand<TInt32> sizes = splitSizes(tf, feeds.get(0), replicas);
    List<List<Operand<TFloat32>>> xParts = new ArrayList<>();
    feeds.forEach(f -> xParts.add(split(tf, f, sizes, replicas)));
    List<List<Operand<TFloat32>>> yParts = new ArrayList<>();
    targets.forEach(t -> yParts.add(split(tf, t, sizes, replicas)));
    List<List<Operand<TFloat32>>> wParts = new ArrayList<>();
    weights.forEach(w -> wParts.add(split(tf, w, sizes, replicas)));
    Operand<TFloat32> batch = tf.dtypes.cast(tf.gather(tf.shape(feeds.get(0)), tf.constant(0), tf.constant(0)),
        TFloat32.class);

    // Trace every replica on its device.
    List<Replica> rs = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      int k = r;
      rs.add(rt.onDevice(devices.get(r), () -> Backend.inRandomStream(k, () -> {
        List<Operand<TFloat32>> xs = new ArrayList<>();
        xParts.forEach(p -> xs.add(p.get(k)));
        List<Operand<TFloat32>> ys = new ArrayList<>();
        yParts.forEach(p -> ys.add(p.get(k)));
        List<Operand<TFloat32>> ws = new ArrayList<>();
        wParts.forEach(p -> ws.add(p.get(k)));
        List<Operand<TFloat32>> preds = new ArrayList<>();
        List<Operand<TBool>> masks = new ArrayList<>();
        try (Trace trace = Trace.open()) {
          for (MaskedOperand o : model.callWithMasks(xs, training)) {
            preds.add(o.value());
            masks.add(o.mask());
          }
          Ops tr = rt.scope(stepName + "/replica_" + k);
          Operand<TInt32> rows = tr.gather(sizes, tr.constant(k), tr.constant(0));
          return new Replica(devices.get(k), ys, ws, preds, masks, List.copyOf(trace.updates()),
              List.copyOf(trace.losses()), rows);
        }
      })));
    }
    // What each output's loss averages over, summed over the replicas: unmasked steps for a masked output.
    List<Operand<TFloat32>> maskTotals = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      if (rs.get(0).masks().get(j) == null) {
        maskTotals.add(null);
        continue;
      }
      List<Operand<TFloat32>> counts = new ArrayList<>();
      for (Replica rep : rs) {
        Operand<TFloat32> m = tf.dtypes.cast(rep.masks().get(j), TFloat32.class);
        counts.add(tf.reduceSum(m, Shapes.allAxes(tf, m)));
      }
      maskTotals.add(addAll(tf, counts));
    }
    List<Operand<TFloat32>> objectives = new ArrayList<>();
    List<List<Operand<TFloat32>>> perOutput = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      perOutput.add(new ArrayList<>());
    }
    List<List<Metric>> perOutputMetrics = resolveMetrics(c, outputs, targetShapes);
    List<List<Operand<TFloat32>>> metricTerms = new ArrayList<>();
    for (Replica rep : rs) {
      List<Operand<TFloat32>> terms = new ArrayList<>();
      int k = rs.indexOf(rep);
      Operand<TFloat32> objective = rt.onDevice(rep.device(), () -> {
        Ops tr = rt.scope(stepName + "/replica_" + k);
        Operand<TFloat32> rowShare = tr.math.divNoNan(tr.dtypes.cast(rep.rows(), TFloat32.class), batch);
        Operand<TFloat32> obj = null;
        for (int j = 0; j < n; j++) {
          Loss loss = c.losses.size() == 1 ? c.losses.get(0) : c.losses.get(j);
          Operand<TFloat32> l = loss.compute(tr, rep.targets().get(j), rep.preds().get(j), rep.weights().get(j),
              rep.masks().get(j));
          Operand<TFloat32> share = rowShare;
          if (maskTotals.get(j) != null) {
            Operand<TFloat32> m = tr.dtypes.cast(rep.masks().get(j), TFloat32.class);
            share = tr.math.divNoNan(tr.reduceSum(m, Shapes.allAxes(tr, m)), maskTotals.get(j));
          }
          Operand<TFloat32> part = tr.math.mul(l, share);
          perOutput.get(j).add(part);
          Operand<TFloat32> weighted = c.lossWeights == null ? part
              : tr.math.mul(part, tr.constant(c.lossWeights.get(j).floatValue()));
          obj = obj == null ? weighted : tr.math.add(obj, weighted);
        }
        Operand<TFloat32> layerLosses = StepBuilder.sum(tr, null, rep.losses());
        if (layerLosses != null) {
          // Activity penalties are per-sample means (divided by the replica's rows): weighted by the row share.
          obj = tr.math.add(obj, tr.math.mul(layerLosses, rowShare));
        }
        for (int j = 0; j < n; j++) {
          for (Metric m : perOutputMetrics.get(j)) {
            terms.add(metricState(tr, m, rep.targets().get(j), rep.preds().get(j), rep.weights().get(j),
                rep.masks().get(j)));
          }
        }
        return obj;
      });
      objectives.add(objective);
      metricTerms.add(terms);
    }
    Operand<TFloat32> penalties = rt.onDevice(variableDevice,
        () -> model.regularizationLoss(rt.scope(stepName + "/penalties")));
    List<Operand<TFloat32>> packed = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Operand<TFloat32> total = packLosses(tf, addAll(tf, objectives), penalties, j -> addAll(tf, perOutput.get(j)),
        outputs, packed, names);
    List<Metric> metrics = new ArrayList<>();
    perOutputMetrics.forEach(metrics::addAll);
    for (int i = 0; i < metricTerms.get(0).size(); i++) {
      List<Operand<TFloat32>> sums = new ArrayList<>();
      for (List<Operand<TFloat32>> terms : metricTerms) {
        sums.add(terms.get(i));
      }
      packed.add(addAll(tf, sums));
    }
    Operand<TFloat32> fetch = packLogs(tf, packed);
    Op update = null;
    if (training) {
      List<GraphVariable> vars = model.trainableVariables();
      List<List<Operand<TFloat32>>> grads = new ArrayList<>();
      for (int r = 0; r < replicas; r++) {
        int replica = r;
        Operand<TFloat32> scaled = rt.onDevice(devices.get(r),
            () -> c.optimizer.scaleLoss(rt.scope(stepName + "/replica_" + replica), objectives.get(replica)));
        grads.add(rt.gradients(scaled, vars, devices.get(r)));
      }
      if (penalties != null) {
        Operand<TFloat32> scaled = rt.onDevice(variableDevice,
            () -> c.optimizer.scaleLoss(rt.scope(stepName + "/penalties"), penalties));
        grads.add(rt.gradients(scaled, vars, variableDevice));
      }
      List<Operand<TFloat32>> summed = rt.onDevice(variableDevice,
          () -> sumPerVariable(rt, rt.scope(stepName + "/gradient_sum"), vars, grads));
      Op apply = rt.onDevice(variableDevice, () -> c.optimizer.applyGradients(rt, vars, summed, List.of(fetch)));
      // Layer state updates (BatchNormalization's moving statistics) of replica 0 only.
      update = StepBuilder.finishUpdate(tf, List.of(apply), model.constraints(), vars, rs.get(0).updates());
    }
    return new Step(targets, weights, fetch, update, names, metrics, n);
  }

  private static List<String> outputNames(List<KerasTensor> outputs) {
    List<String> names = new ArrayList<>();
    outputs.forEach(o -> names.add(o.layer().name()));
    return names;
  }

  private Metric resolveMetric(Object spec, String prefix, Shape yTrue, Shape yPred, int outputs) {
    if (spec instanceof Metric m) {
      // Per output, a fresh metric with the output's prefix (out1_max_error), computing the same values.
      return outputs > 1 ? m.withName(prefix + m.name()) : m;
    }
    String id = (String) spec;
    // "accuracy" is chosen from the shapes as Keras 3's compile_utils.get_metric does (see Metrics.get).
    return Metrics.get(id, yTrue, yPred, prefix + id);
  }

  /** {@code (batch, t, d...)} as {@code (batch * t, d...)}: each time step a sample. */
  private static Operand<TFloat32> foldTime(Ops tf, Operand<TFloat32> x) {
    Shape s = x.shape();
    long[] dims = new long[Math.max(1, s.numDimensions() - 1)];
    dims[0] = -1;
    boolean known = s.numDimensions() >= 2;
    for (int i = 2; i < s.numDimensions(); i++) {
      dims[i - 1] = s.get(i);
      known &= s.get(i) >= 0;
    }
    if (known) {
      return tf.reshape(x, tf.constant(dims));
    }
    Operand<TInt32> rest = Shapes.dims(tf, x, 2, -1);
    return tf.reshape(x, tf.concat(List.of(tf.constant(new int[] {-1}), rest), tf.constant(0)));
  }

  @Override
  public void close() {
    feeder.close();
  }

  /**
   * A compiled train or test step; with {@code copies > 1} a multi-step execution (see {@link #chainStep}) whose
   * fetch has one row of packed logs per copy and whose {@code rows} placeholder takes each copy's batch size.
   */
  record Step(
      List<Placeholder<TFloat32>> targets,
      List<Placeholder<TFloat32>> sampleWeights,
      Operand<TFloat32> fetch,
      Op update,
      List<String> lossNames,
      List<Metric> metrics,
      int outputs,
      int copies,
      Placeholder<TInt32> rows) {

    /** A single step. */
    Step(List<Placeholder<TFloat32>> targets, List<Placeholder<TFloat32>> sampleWeights, Operand<TFloat32> fetch,
        Op update, List<String> lossNames, List<Metric> metrics, int outputs) {
      this(targets, sampleWeights, fetch, update, lossNames, metrics, outputs, 1, null);
    }
  }

  /** Session.runs of training steps (single or multi-step) made by fit, trainOnBatch included; for tests. */
  long trainRuns;
}
