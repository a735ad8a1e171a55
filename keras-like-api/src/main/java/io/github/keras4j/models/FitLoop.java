package io.github.keras4j.models;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Node;
import io.github.keras4j.layers.core.BaseEmbedding;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.losses.SparseCategoricalCrossentropy;
import io.github.keras4j.metrics.Metric;
import io.github.keras4j.training.Callback;
import io.github.keras4j.training.CallbackList;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.FitOptionsAccess;
import io.github.keras4j.training.History;
import io.github.keras4j.training.ProgbarLogger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * The loops behind fit, evaluate and predict: data checks, batching, one Session.run per batch, running means
 * and callbacks. Reads top to bottom like Keras's {@code fit}.
 */
final class FitLoop {

  private final Model model;
  private Engine engine;

  private Engine engine() {
    if (engine == null) {
      engine = model.engine();
    }
    return engine;
  }
  private final FitOptionsAccess o;

  FitLoop(Model model, FitOptions options) {
    this.model = model;
    this.o = new FitOptionsAccess(options);
  }

  // ------------------------------------------------------------------ fit

  History run(Object x, Object y) {
    List<ArrayData> xs = toArrays("x", x);
    List<ArrayData> ys = toArrays("y", y);
    ensureBuilt(xs);
    Data train = prepare(xs, ys, o.sampleWeight(), "fit");
    if (o.classWeight() != null) {
      if (o.sampleWeight() != null) {
        throw new IllegalArgumentException("fit(): you cannot give both classWeight and sampleWeight");
      }
      train = train.withWeights(classWeights(train.ys.get(0), o.classWeight()));
    }
    Data val = null;
    if (o.validationX() instanceof Dataset) {
      throw new IllegalArgumentException("fit(): validation data given as a Dataset needs training data given as a "
          + "Dataset too (fit(Dataset, FitOptions)); give validation arrays instead");
    } else if (o.validationX() != null) {
      val = prepare(toArrays("validation x", o.validationX()), toArrays("validation y", o.validationY()),
          o.validationSampleWeight(), "fit");
    } else if (o.validationSplit() > 0) {
      int splitAt = (int) Math.floor(train.rows * (1.0 - o.validationSplit()));
      if (splitAt == 0 || splitAt == train.rows) {
        throw new IllegalArgumentException("fit(): validationSplit=" + o.validationSplit() + " leaves no "
            + (splitAt == 0 ? "training" : "validation") + " samples out of " + train.rows);
      }
      val = train.slice(splitAt, train.rows);
      train = train.slice(0, splitAt);
    }
    int batch = o.batchSize();
    int stepsPerEpoch = o.stepsPerEpoch() != null ? o.stepsPerEpoch() : (train.rows + batch - 1) / batch;
    Data valData = val;
    int vb = o.validationBatchSize() != null ? o.validationBatchSize() : batch;
    return loop(new ArrayBatches(train, batch, o.shuffle()), stepsPerEpoch,
        targetShapes(train.ys), valData == null ? null : callbacks -> evaluateData(valData, vb, callbacks));
  }

  /**
   * fit on a {@link Dataset}: one pass per epoch, or {@code stepsPerEpoch} batches per epoch continuing where the
   * last epoch stopped (a new pass when one ends), as Keras with a tf.data dataset.
   */
  History run(Dataset train) {
    if (o.sampleWeight() != null || o.classWeight() != null || o.validationSplit() > 0) {
      throw new IllegalArgumentException("fit(dataset): sampleWeight, classWeight and validationSplit are not "
          + "supported with a Dataset (Keras does not split datasets either); give validationData instead");
    }
    ensureBuiltFromShapes(List.of(Shapes.withBatch(train.xShape())));
    checkDataset(train, "fit");
    List<Shape> targets = datasetTargetShapes(train, "fit");
    Validation validation = null;
    if (o.validationX() instanceof Dataset v) {
      validation = callbacks -> evaluateDataset(v, callbacks, "fit");
    } else if (o.validationX() != null) {
      Data val = prepare(toArrays("validation x", o.validationX()), toArrays("validation y", o.validationY()),
          o.validationSampleWeight(), "fit");
      int vb = o.validationBatchSize() != null ? o.validationBatchSize() : o.batchSize();
      validation = callbacks -> evaluateData(val, vb, callbacks);
    }
    try (DatasetBatches batches = new DatasetBatches(train, o.stepsPerEpoch() != null)) {
      return loop(batches, o.stepsPerEpoch(), targets, validation);
    }
  }

  /** Evaluates one validation set at the end of an epoch. */
  private interface Validation {
    Map<String, Double> run(CallbackList callbacks);
  }

  /** The training batches of each epoch. */
  private interface EpochBatches {
    /** Called once, after the training step is built and before the first epoch. */
    default void start() {}

    /** Starts an epoch. */
    void beginEpoch(int epoch);

    /** The next batch of the epoch, or null at the end of a pass. */
    BatchRef next();

    /** Ends an epoch; {@code stepsGiven} tells whether the epoch ended after a fixed number of steps. */
    void endEpoch(boolean stepsGiven);
  }

  /** {@code count} samples of {@code data} in the order {@code order[from..]}. */
  private record BatchRef(Data data, int[] order, int from, int count) {}

  /** Batches of in-memory arrays, reshuffled at every pass. */
  private static final class ArrayBatches implements EpochBatches {
    private final Data data;
    private final int batch;
    private final boolean shuffle;
    private final int[] order;
    private SplittableRandom rng;
    private int cursor;

    ArrayBatches(Data data, int batch, boolean shuffle) {
      this.data = data;
      this.batch = batch;
      this.shuffle = shuffle;
      this.order = identity(data.rows);
      this.cursor = data.rows;
    }

    @Override
    public void start() {
      // Drawn after the step is built, so the seed sequence (weights, then shuffling) is as it always was.
      rng = new SplittableRandom(Backend.nextSeed());
    }

    @Override
    public void beginEpoch(int epoch) {}

    @Override
    public BatchRef next() {
      if (cursor >= data.rows) {
        if (shuffle) {
          shuffle(order, rng);
        }
        cursor = 0;
      }
      int count = Math.min(batch, data.rows - cursor);
      BatchRef ref = new BatchRef(data, order, cursor, count);
      cursor += count;
      return ref;
    }

    @Override
    public void endEpoch(boolean stepsGiven) {
      if (!stepsGiven) {
        cursor = data.rows;
      }
    }
  }

  /** Batches read from a dataset's passes. */
  private final class DatasetBatches implements EpochBatches, AutoCloseable {
    private final Dataset dataset;
    private final boolean continuePasses;
    private Dataset.Pass pass;
    private int epoch;
    private int[] identity = new int[0];

    DatasetBatches(Dataset dataset, boolean continuePasses) {
      this.dataset = dataset;
      this.continuePasses = continuePasses;
    }

    @Override
    public void beginEpoch(int epoch) {
      this.epoch = epoch;
      if (pass == null) {
        pass = dataset.open(epoch);
      }
    }

    @Override
    public BatchRef next() {
      if (!pass.hasNext()) {
        if (!continuePasses) {
          return null;
        }
        pass.close();
        pass = dataset.open(epoch);
        if (!pass.hasNext()) {
          throw new IllegalArgumentException("fit(dataset): dataset '" + dataset.name() + "' has no samples");
        }
      }
      Data d = batchData(pass.next(), "fit");
      if (identity.length < d.rows) {
        identity = FitLoop.identity(d.rows);
      }
      return new BatchRef(d, identity, 0, d.rows);
    }

    @Override
    public void endEpoch(boolean stepsGiven) {
      if (!continuePasses) {
        pass.close();
        pass = null;
      }
    }

    @Override
    public void close() {
      if (pass != null) {
        pass.close();
        pass = null;
      }
    }
  }

  /** The epoch loop shared by arrays and datasets: callbacks, one step per batch, validation, early stop. */
  private History loop(EpochBatches batches, Integer stepsPerEpoch, List<Shape> targetShapes, Validation validation) {
    History history = new History();
    // As Keras's CallbackList: the user's callbacks first, then History and the progress bar, so that both see
    // what the callbacks add to the epoch logs (learning_rate).
    List<Callback> all = new ArrayList<>(o.callbacks());
    all.add(history);
    if (o.verbose() > 0) {
      all.add(new ProgbarLogger());
    }
    CallbackList callbacks = new CallbackList(all);
    callbacks.setModel(model);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("epochs", o.epochs());
    params.put("steps", stepsPerEpoch);
    params.put("verbose", o.verbose());
    callbacks.setParams(params);
    Engine.Step step = engine().step(true, targetShapes);
    int perExecution = model.compileOptions().stepsPerExecution;
    if (perExecution > 1) {
      // Built before the first epoch (and refused there under a distribution), as the single step.
      engine().chainStep(targetShapes, perExecution);
    }
    batches.start();
    model.setStopTraining(false);
    model.clearInitialEpoch();
    callbacks.onTrainBegin(Map.of());
    // A callback may move the start (BackupAndRestore resuming), as Keras's model._initial_epoch.
    int initialEpoch = model.initialEpochOverride() != null ? model.initialEpochOverride() : o.initialEpoch();
    Map<String, Double> epochLogs = Map.of();
    for (int epoch = initialEpoch; epoch < o.epochs(); epoch++) {
      callbacks.onEpochBegin(epoch, Map.of());
      batches.beginEpoch(epoch);
      Trackers trackers = new Trackers(step);
      if (perExecution > 1) {
        runExecutions(batches, stepsPerEpoch, perExecution, step, targetShapes, trackers, callbacks);
      }
      for (int b = 0; perExecution == 1 && (stepsPerEpoch == null || b < stepsPerEpoch); b++) {
        BatchRef ref = batches.next();
        if (ref == null) {
          break;
        }
        callbacks.onTrainBatchBegin(b, Map.of());
        trackers.add(runStep(step, ref.data(), ref.order(), ref.from(), ref.count()), ref.count());
        callbacks.onTrainBatchEnd(b, trackers.logs(""));
        if (model.isStopTraining()) {
          break;
        }
      }
      batches.endEpoch(o.stepsPerEpoch() != null);
      epochLogs = trackers.logs("");
      if (validation != null && (epoch + 1) % o.validationFreq() == 0) {
        Map<String, Double> valLogs = validation.run(callbacks);
        Map<String, Double> merged = new LinkedHashMap<>(epochLogs);
        valLogs.forEach((k, v) -> merged.put("val_" + k, v));
        epochLogs = merged;
      }
      callbacks.onEpochEnd(epoch, epochLogs);
      if (model.isStopTraining()) {
        break;
      }
    }
    if (o.epochs() > 0 && model.getOptimizer() != null) {
      // Keras's fit: the optimizer's final values (the moving averages with use_ema) before onTrainEnd.
      model.getOptimizer().finalizeVariableValues(model.trainableVariables());
    }
    callbacks.onTrainEnd(epochLogs);
    return history;
  }

  /**
   * One epoch of fit with {@code perExecution} steps per {@code Session.run} (compile's stepsPerExecution), as
   * Keras 3's epoch iterator: the batches are taken {@code perExecution} at a time; {@code onTrainBatchBegin}
   * gets the index of an execution's first batch, {@code onTrainBatchEnd} that of its last and the running logs
   * after it. Fewer batches left at the end of an epoch run as one shorter execution (one left: the single step).
   * Every copy's logs are added to the trackers in order, with its batch size, as single steps add them.
   */
  private void runExecutions(EpochBatches batches, Integer stepsPerEpoch, int perExecution, Engine.Step single,
      List<Shape> targetShapes, Trackers trackers, CallbackList callbacks) {
    for (int b = 0; stepsPerEpoch == null || b < stepsPerEpoch; ) {
      int want = stepsPerEpoch == null ? perExecution : Math.min(perExecution, stepsPerEpoch - b);
      List<BatchRef> refs = new ArrayList<>();
      boolean exhausted = false;
      while (refs.size() < want) {
        BatchRef ref = batches.next();
        if (ref == null) {
          exhausted = true;
          break;
        }
        // Copied now: the next pass reshuffles the order array in place.
        int[] rows = java.util.Arrays.copyOfRange(ref.order(), ref.from(), ref.from() + ref.count());
        refs.add(new BatchRef(ref.data(), rows, 0, ref.count()));
      }
      if (refs.isEmpty()) {
        break;
      }
      callbacks.onTrainBatchBegin(b, Map.of());
      if (refs.size() == 1) {
        BatchRef ref = refs.get(0);
        trackers.add(runStep(single, ref.data(), ref.order(), ref.from(), ref.count()), ref.count());
      } else {
        Engine.Step chain = engine().chainStep(targetShapes, refs.size());
        int[] counts = new int[refs.size()];
        for (int k = 0; k < counts.length; k++) {
          counts[k] = refs.get(k).count();
        }
        float[][] logs = runChain(chain, joined(refs), counts);
        for (int k = 0; k < counts.length; k++) {
          trackers.add(logs[k], counts[k]);
        }
      }
      b += refs.size();
      callbacks.onTrainBatchEnd(b - 1, trackers.logs(""));
      if (model.isStopTraining() || exhausted) {
        break;
      }
    }
  }

  /** The rows of several batches as one {@link BatchRef}: their indices joined, or their data (datasets). */
  private static BatchRef joined(List<BatchRef> refs) {
    int total = 0;
    boolean shared = true;
    for (BatchRef r : refs) {
      total += r.count();
      shared &= r.data() == refs.get(0).data();
    }
    int[] rows = new int[total];
    if (shared) {
      int at = 0;
      for (BatchRef r : refs) {
        System.arraycopy(r.order(), r.from(), rows, at, r.count());
        at += r.count();
      }
      return new BatchRef(refs.get(0).data(), rows, 0, total);
    }
    Data first = refs.get(0).data();
    List<ArrayData> xs = new ArrayList<>();
    for (int i = 0; i < first.xs.size(); i++) {
      int input = i;
      xs.add(gatherAll(refs, r -> r.data().xs.get(input), total));
    }
    List<ArrayData> ys = new ArrayList<>();
    for (int j = 0; j < first.ys.size(); j++) {
      int output = j;
      ys.add(gatherAll(refs, r -> r.data().ys.get(output), total));
    }
    float[] weights = null;
    if (refs.stream().anyMatch(r -> r.data().weights != null)) {
      weights = new float[total];
      int at = 0;
      for (BatchRef r : refs) {
        for (int i = 0; i < r.count(); i++) {
          weights[at++] = r.data().weights == null ? 1f : r.data().weights[r.order()[r.from() + i]];
        }
      }
    }
    return new BatchRef(new Data(xs, ys, weights, total), identity(total), 0, total);
  }

  /** The batches' rows of one array (chosen by {@code pick}), concatenated. */
  private static ArrayData gatherAll(List<BatchRef> refs, java.util.function.Function<BatchRef, ArrayData> pick,
      int total) {
    ArrayData first = pick.apply(refs.get(0));
    if (first.isStrings()) {
      List<String> strings = new ArrayList<>();
      for (BatchRef r : refs) {
        strings.addAll(List.of(pick.apply(r).rows(r.order(), r.from(), r.count()).strings()));
      }
      long[] shape = first.shape();
      shape[0] = total;
      return new ArrayData(first.name(), strings.toArray(new String[0]), shape);
    }
    int size = first.rowSize();
    float[] values = new float[total * size];
    float[] buffer = new float[0];
    int at = 0;
    for (BatchRef r : refs) {
      ArrayData a = pick.apply(r);
      int n = r.count() * size;
      if (buffer.length < n) {
        buffer = new float[n];
      }
      a.gather(r.order(), r.from(), r.count(), buffer);
      System.arraycopy(buffer, 0, values, at, n);
      at += n;
    }
    long[] shape = first.shape();
    shape[0] = total;
    return new ArrayData(first.name(), values, shape);
  }

  // ------------------------------------------------------------------ evaluate / predict / on-batch

  Map<String, Double> evaluate(Object x, Object y, float[] sampleWeight, List<? extends Callback> extra) {
    List<ArrayData> xs = toArrays("x", x);
    ensureBuilt(xs);
    Data data = prepare(xs, toArrays("y", y), sampleWeight, "evaluate");
    List<Callback> all = new ArrayList<>(extra);
    CallbackList callbacks = new CallbackList(all);
    callbacks.setModel(model);
    Map<String, Double> logs = evaluateData(data, o.batchSize(), callbacks);
    if (o.verbose() > 0) {
      StringBuilder b = new StringBuilder();
      int steps = (data.rows + o.batchSize() - 1) / o.batchSize();
      b.append(steps).append('/').append(steps);
      logs.forEach((k, v) -> b.append(" - ").append(k).append(": ").append(ProgbarLogger.formatValue(v)));
      System.out.println(b);
    }
    return logs;
  }

  /** evaluate on a {@link Dataset}: one pass. */
  Map<String, Double> evaluate(Dataset data, List<? extends Callback> extra) {
    ensureBuiltFromShapes(List.of(Shapes.withBatch(data.xShape())));
    checkDataset(data, "evaluate");
    CallbackList callbacks = new CallbackList(new ArrayList<>(extra));
    callbacks.setModel(model);
    Map<String, Double> logs = evaluateDataset(data, callbacks, "evaluate");
    if (o.verbose() > 0) {
      StringBuilder b = new StringBuilder();
      logs.forEach((k, v) -> b.append(b.length() == 0 ? "" : " - ").append(k).append(": ")
          .append(ProgbarLogger.formatValue(v)));
      System.out.println(b);
    }
    return logs;
  }

  private Map<String, Double> evaluateDataset(Dataset data, CallbackList callbacks, String caller) {
    checkDataset(data, caller);
    Engine.Step step = engine().step(false, datasetTargetShapes(data, caller));
    Trackers trackers = new Trackers(step);
    callbacks.onTestBegin(Map.of());
    int[] order = new int[0];
    try (Dataset.Pass pass = data.open(0)) {
      for (int b = 0; pass.hasNext(); b++) {
        Data d = batchData(pass.next(), caller);
        if (order.length < d.rows) {
          order = identity(d.rows);
        }
        callbacks.onTestBatchBegin(b, Map.of());
        trackers.add(runStep(step, d, order, 0, d.rows), d.rows);
        callbacks.onTestBatchEnd(b, trackers.logs(""));
      }
    }
    Map<String, Double> logs = trackers.logs("");
    callbacks.onTestEnd(logs);
    return logs;
  }

  /**
   * Checks, before any batch is read, that {@code data} has targets and that its dtype is the dtype of the model's
   * input: a string dataset for an {@code Input.ofStrings} input, a float one for a float input.
   */
  private void checkDataset(Dataset data, String caller) {
    if (!data.hasTargets()) {
      throw new IllegalArgumentException(caller + "(dataset): dataset '" + data.name() + "' has no targets "
          + "(it was built without labels, e.g. TextDatasets with labelMode(null)); " + caller + " needs (input, "
          + "target) samples");
    }
    List<KerasTensor> inputs = model.inputs();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(caller + "(dataset): model '" + model.name() + "' has " + inputs.size()
          + " inputs, but a Dataset yields one input per sample; give " + caller + " arrays instead");
    }
    KerasTensor in = inputs.get(0);
    if (!in.dtype().equals(data.dtype())) {
      boolean wantsStrings = in.dtype().equals(KerasTensor.STRING);
      throw new IllegalArgumentException(caller + "(dataset): input 0 of model '" + model.name() + "' (layer '"
          + in.layer().name() + "') expects dtype " + in.dtype() + ", but dataset '" + data.name() + "' yields "
          + "inputs of dtype " + data.dtype() + (wantsStrings
          ? ". Build the dataset with Dataset.fromStrings(...) or Dataset.fromStringSamples(...)"
          : ". Declare the input with Input.ofStrings(...), or build a float dataset"));
    }
  }

  /** A dataset's batch, checked against the model (shapes only: the dataset has checked its values). */
  private Data batchData(Dataset.Batch batch, String caller) {
    List<ArrayData> xs = List.of(batch.x());
    checkInputs(xs, caller);
    return new Data(xs, checkTargets(List.of(batch.y()), caller), null, batch.size());
  }

  /** The batch shapes of a dataset's targets as the model's losses see them. */
  private List<Shape> datasetTargetShapes(Dataset data, String caller) {
    long[] shape = new long[data.yShape().length + 1];
    System.arraycopy(data.yShape(), 0, shape, 1, shape.length - 1);
    ArrayData empty = new ArrayData("y", new float[0], shape);
    return targetShapes(checkTargets(List.of(empty), caller));
  }

  private Map<String, Double> evaluateData(Data data, int batch, CallbackList callbacks) {
    Engine.Step step = engine().step(false, targetShapes(data.ys));
    Trackers trackers = new Trackers(step);
    int[] order = identity(data.rows);
    callbacks.onTestBegin(Map.of());
    int b = 0;
    for (int from = 0; from < data.rows; from += batch, b++) {
      int count = Math.min(batch, data.rows - from);
      callbacks.onTestBatchBegin(b, Map.of());
      trackers.add(runStep(step, data, order, from, count), count);
      callbacks.onTestBatchEnd(b, trackers.logs(""));
    }
    Map<String, Double> logs = trackers.logs("");
    callbacks.onTestEnd(logs);
    return logs;
  }

  Map<String, Double> onBatch(Object x, Object y, boolean training) {
    List<ArrayData> xs = toArrays("x", x);
    ensureBuilt(xs);
    Data data = prepare(xs, toArrays("y", y), null, training ? "trainOnBatch" : "testOnBatch");
    Engine.Step step = engine().step(training, targetShapes(data.ys));
    Trackers trackers = new Trackers(step);
    trackers.add(runStep(step, data, identity(data.rows), 0, data.rows), data.rows);
    return trackers.logs("");
  }

  List<FloatNdArray> predict(Object x) {
    List<FloatNdArray> result = new ArrayList<>();
    for (Predicted p : predictValues(x, "predict")) {
      result.add(NdArrays.wrap(Shape.of(p.shape()), DataBuffers.of(p.floats(), false, false)));
    }
    return result;
  }

  /** The string outputs of the model for every sample of {@code x} (every output must have dtype string). */
  List<NdArray<String>> predictStrings(Object x) {
    List<NdArray<String>> result = new ArrayList<>();
    for (Predicted p : predictValues(x, PREDICT_STRINGS)) {
      result.add(NdArrays.wrap(Shape.of(p.shape()), DataBuffers.ofObjects(p.strings())));
    }
    return result;
  }

  /** The caller name of {@link #predictStrings}, whose outputs must be strings where other callers' are numbers. */
  static final String PREDICT_STRINGS = "predictStrings";

  /** One output's values for all samples, row-major: {@code floats} for a float32 output, else {@code strings}. */
  private record Predicted(long[] shape, float[] floats, String[] strings) {}

  private List<Predicted> predictValues(Object x, String caller) {
    List<ArrayData> xs = toArrays("x", x);
    ensureBuilt(xs);
    int rows = checkCardinality(xs, List.of(), null, caller);
    checkInputs(xs, caller);
    List<org.tensorflow.Operand<TFloat32>> outs = engine().predictions();
    List<Predicted> values = new ArrayList<>();
    for (KerasTensor t : model.outputs()) {
      long[] s = t.shape().asArray().clone();
      s[0] = rows;
      long size = 1;
      for (int i = 1; i < s.length; i++) {
        if (s[i] < 0) {
          throw new IllegalStateException(caller + "(): output of layer '" + t.layer().name()
              + "' has an unknown dimension: " + Shapes.format(t.shape()));
        }
        size *= s[i];
      }
      int n = Math.toIntExact(size * rows);
      boolean strings = t.dtype().equals(KerasTensor.STRING);
      values.add(new Predicted(s, strings ? null : new float[n], strings ? new String[n] : null));
    }
    int[] order = identity(rows);
    int batch = o.batchSize();
    Session session = engine().runtime().session();
    for (int from = 0; from < rows; from += batch) {
      int count = Math.min(batch, rows - from);
      Session.Runner runner = session.runner();
      feedInputs(runner, xs, order, from, count);
      outs.forEach(runner::fetch);
      try (Result r = runner.run()) {
        for (int j = 0; j < outs.size(); j++) {
          Tensor t = r.get(j);
          long[] real = t.shape().asArray();
          Predicted p = values.get(j);
          long[] expected = p.shape().clone();
          expected[0] = count;
          if (!java.util.Arrays.equals(real, expected)) {
            // A layer's computeOutputShape disagrees with what its call computes: never pad or cut silently.
            KerasTensor out = model.outputs().get(j);
            throw new IllegalStateException(caller + "(): output " + j + " of model '" + model.name() + "' (layer '"
                + out.layer().name() + "') is inferred as " + Shapes.format(out.shape()) + " but the graph computed "
                + Shapes.format(Shape.of(real)) + " for a batch of " + count);
          }
          int n = (int) t.size();
          int offset = (int) ((long) from * n / count);
          if (p.strings() != null) {
            int[] position = {offset};
            ((TString) t).scalars().forEach(v -> p.strings()[position[0]++] = v.getObject());
          } else {
            ((TFloat32) t).asRawTensor().data().asFloats().read(p.floats(), offset, n);
          }
        }
      }
    }
    return values;
  }

  // ------------------------------------------------------------------ one step

  private float[] runStep(Engine.Step step, Data data, int[] order, int from, int count) {
    Session.Runner runner = engine().runtime().session().runner();
    feedInputs(runner, data.xs, order, from, count);
    for (int j = 0; j < step.outputs(); j++) {
      runner.feed(step.targets().get(j), engine().feeder.rows("y" + j, data.ys.get(j), order, from, count));
      runner.feed(step.sampleWeights().get(j), engine().feeder.weights("w" + j, data.weights, order, from, count));
    }
    runner.fetch(step.fetch());
    if (step.update() != null) {
      runner.addTarget(step.update());
    }
    if (step.update() != null) {
      engine().trainRuns++;
    }
    try (Result r = runner.run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  /**
   * One multi-step execution: the rows {@code ref} of all its batches fed at once, {@code counts[k]} rows for
   * copy {@code k}; returns each copy's packed logs.
   */
  private float[][] runChain(Engine.Step step, BatchRef ref, int[] counts) {
    Session.Runner runner = engine().runtime().session().runner();
    Data data = ref.data();
    feedInputs(runner, data.xs, ref.order(), ref.from(), ref.count());
    for (int j = 0; j < step.outputs(); j++) {
      runner.feed(step.targets().get(j), engine().feeder.rows("y" + j, data.ys.get(j), ref.order(), ref.from(),
          ref.count()));
      runner.feed(step.sampleWeights().get(j), engine().feeder.weights("w" + j, data.weights, ref.order(),
          ref.from(), ref.count()));
    }
    try (org.tensorflow.types.TInt32 rows = org.tensorflow.types.TInt32.vectorOf(counts)) {
      runner.feed(step.rows(), rows);
      runner.fetch(step.fetch());
      runner.addTarget(step.update());
      engine().trainRuns++;
      try (Result r = runner.run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[][] out = new float[counts.length][(int) t.shape().get(1)];
        for (int k = 0; k < counts.length; k++) {
          for (int i = 0; i < out[k].length; i++) {
            out[k][i] = t.getFloat(k, i);
          }
        }
        return out;
      }
    }
  }

  private void feedInputs(Session.Runner runner, List<ArrayData> xs, int[] order, int from, int count) {
    List<org.tensorflow.Operand<TFloat32>> feeds = engine().inputFeeds();
    for (int i = 0; i < xs.size(); i++) {
      ArrayData x = xs.get(i);
      runner.feed(feeds.get(i), x.isStrings() ? engine().feeder.strings("x" + i, x, order, from, count)
          : engine().feeder.rows("x" + i, x, order, from, count));
    }
  }

  /** Running means over an epoch: losses weighted by batch size, metrics by their sample weights. */
  private static final class Trackers {
    private final Engine.Step step;
    private final double[] lossTotals;
    private double samples;

    Trackers(Engine.Step step) {
      this.step = step;
      this.lossTotals = new double[step.lossNames().size()];
      step.metrics().forEach(Metric::resetState);
    }

    void add(float[] packed, int batchSize) {
      for (int i = 0; i < lossTotals.length; i++) {
        lossTotals[i] += (double) packed[i] * batchSize;
      }
      samples += batchSize;
      int k = lossTotals.length;
      for (Metric m : step.metrics()) {
        m.updateState(packed, k);
        k += m.stateSize();
      }
    }

    Map<String, Double> logs(String prefix) {
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int i = 0; i < lossTotals.length; i++) {
        logs.put(prefix + step.lossNames().get(i), samples == 0 ? 0 : lossTotals[i] / samples);
      }
      for (Metric m : step.metrics()) {
        logs.put(prefix + m.name(), m.result());
      }
      return logs;
    }
  }

  // ------------------------------------------------------------------ data preparation and checks

  /** Inputs, targets and weights of one data set, checked against the model. */
  private record Data(List<ArrayData> xs, List<ArrayData> ys, float[] weights, int rows) {
    Data slice(int from, int to) {
      List<ArrayData> sx = new ArrayList<>();
      xs.forEach(a -> sx.add(a.slice(from, to)));
      List<ArrayData> sy = new ArrayList<>();
      ys.forEach(a -> sy.add(a.slice(from, to)));
      return new Data(sx, sy, weights == null ? null : java.util.Arrays.copyOfRange(weights, from, to), to - from);
    }

    Data withWeights(float[] w) {
      return new Data(xs, ys, w, rows);
    }
  }

  private Data prepare(List<ArrayData> xs, List<ArrayData> ys, float[] sampleWeight, String caller) {
    int rows = checkCardinality(xs, ys, sampleWeight, caller);
    checkInputs(xs, caller);
    List<ArrayData> targets = checkTargets(ys, caller);
    for (ArrayData a : xs) {
      a.checkFinite();
    }
    for (ArrayData a : targets) {
      a.checkFinite();
    }
    if (sampleWeight != null) {
      for (int i = 0; i < sampleWeight.length; i++) {
        if (!Float.isFinite(sampleWeight[i]) || sampleWeight[i] < 0) {
          throw new IllegalArgumentException("'sampleWeight' must hold finite values >= 0; found " + sampleWeight[i]
              + " at index " + i);
        }
      }
    }
    return new Data(xs, targets, sampleWeight, rows);
  }

  private void ensureBuilt(List<ArrayData> xs) {
    List<Shape> shapes = new ArrayList<>();
    xs.forEach(a -> shapes.add(a.batchShape()));
    ensureBuiltFromShapes(shapes);
  }

  private void ensureBuiltFromShapes(List<Shape> shapes) {
    if (!model.isBuilt()) {
      model.buildFromShapes(shapes);
    }
  }

  private void checkInputs(List<ArrayData> xs, String caller) {
    checkOutputDtypes(caller);
    List<KerasTensor> inputs = model.inputs();
    if (xs.size() != inputs.size()) {
      throw new IllegalArgumentException(caller + "(): model '" + model.name() + "' expects " + inputs.size()
          + " input array(s), but it received " + xs.size());
    }
    for (int i = 0; i < xs.size(); i++) {
      boolean wantsStrings = inputs.get(i).dtype().equals(KerasTensor.STRING);
      if (wantsStrings != xs.get(i).isStrings()) {
        throw new IllegalArgumentException(caller + "(): input " + i + " of model '" + model.name() + "' (layer '"
            + inputs.get(i).layer().name() + "') has dtype " + inputs.get(i).dtype() + ", but '" + xs.get(i).name()
            + "' holds " + (xs.get(i).isStrings() ? "strings; declare the input with Input.ofStrings(...)"
            : "numbers; feed it a String array (String[], String[][], ...)"));
      }
      Shape expected = inputs.get(i).shape();
      Shape found = xs.get(i).batchShape();
      if (!Shapes.compatible(expected, found)) {
        throw new IllegalArgumentException("Input " + i + " of layer '" + consumer(inputs.get(i))
            + "' is incompatible with the layer: expected shape=" + Shapes.format(expected) + ", found shape="
            + Shapes.format(found));
      }
      checkEmbeddingIndices(xs.get(i), inputs.get(i), i);
    }
  }

  /**
   * Every output of the model must be float32 (fit, evaluate, predict) or, for {@link #PREDICT_STRINGS}, string: the
   * message says which method returns the other kind.
   */
  private void checkOutputDtypes(String caller) {
    boolean strings = caller.equals(PREDICT_STRINGS);
    String wanted = strings ? KerasTensor.STRING : KerasTensor.FLOAT32;
    for (int j = 0; j < model.outputs().size(); j++) {
      KerasTensor out = model.outputs().get(j);
      if (out.dtype().equals(wanted)) {
        continue;
      }
      String what = caller + "(): output " + j + " of model '" + model.name() + "' (layer '" + out.layer().name()
          + "') has dtype " + out.dtype() + "; ";
      if (strings) {
        throw new UnsupportedOperationException(what + "predictStrings returns string outputs only. Call predict() "
            + "for a numeric output");
      }
      if (caller.equals("predict")) {
        throw new UnsupportedOperationException(what + "predict returns float32 arrays only. Call "
            + "predictStrings(x) to get the strings (Keras's predict returns them as a numpy array of bytes)");
      }
      throw new UnsupportedOperationException(what + "fit and evaluate compute losses on float32 outputs only. "
          + "End the trained model with a numeric layer, and apply the string layer in a second model sharing its "
          + "layers");
    }
  }

  /**
   * Indices that a model input hands straight to an Embedding or ReversibleEmbedding ({@link BaseEmbedding}; also
   * the first layer of a nested model) must be whole and below its {@code inputDim}: TensorFlow would truncate 2.7
   * to row 2, and on a GPU its gather returns zeros for an index out of range instead of failing.
   */
  private void checkEmbeddingIndices(ArrayData x, KerasTensor input, int position) {
    if (x.isStrings()) {
      return;
    }
    for (BaseEmbedding e : embeddingsFedBy(model, input)) {
      int bad = firstBadIndex(x.values(), e.inputDim());
      if (bad >= 0) {
        throw new IllegalArgumentException("Input " + position + " of layer '" + e.name() + "' must hold whole "
            + "indices in " + indexRange(e.inputDim()) + "; found " + describeBadIndex(x, bad));
      }
    }
  }

  /** The Embeddings that {@code input} of {@code m} reaches with no layer between, inside nested models too. */
  private static List<BaseEmbedding> embeddingsFedBy(Model m, KerasTensor input) {
    List<BaseEmbedding> out = new ArrayList<>();
    for (Node n : m.nodes()) {
      int k = n.inputs().indexOf(input);
      if (k < 0) {
        continue;
      }
      if (n.layer() instanceof BaseEmbedding e) {
        out.add(e);
      } else if (n.layer() instanceof NestedModel nested) {
        out.addAll(embeddingsFedBy(nested.model(), nested.model().inputs().get(k)));
      }
    }
    return out;
  }

  private String consumer(KerasTensor input) {
    for (Node n : model.nodes()) {
      if (n.inputs().contains(input)) {
        return n.layer().name();
      }
    }
    return input.layer().name();
  }

  private int checkCardinality(List<ArrayData> xs, List<ArrayData> ys, float[] sw, String caller) {
    int rows = xs.get(0).rows();
    boolean same = true;
    for (ArrayData a : xs) {
      same &= a.rows() == rows;
    }
    for (ArrayData a : ys) {
      same &= a.rows() == rows;
    }
    if (sw != null) {
      same &= sw.length == rows;
    }
    if (!same) {
      StringBuilder b = new StringBuilder("Data cardinality is ambiguous. Make sure all arrays contain the same "
          + "number of samples. 'x' sizes: ");
      xs.forEach(a -> b.append(a.rows()).append(' '));
      if (!ys.isEmpty()) {
        b.append("'y' sizes: ");
        ys.forEach(a -> b.append(a.rows()).append(' '));
      }
      if (sw != null) {
        b.append("'sampleWeight' sizes: ").append(sw.length);
      }
      throw new IllegalArgumentException(b.toString().trim());
    }
    if (rows == 0) {
      throw new IllegalArgumentException(caller + "(): expected input data to be non-empty, but 'x' has 0 samples");
    }
    return rows;
  }

  private List<ArrayData> checkTargets(List<ArrayData> ys, String caller) {
    List<KerasTensor> outputs = model.outputs();
    if (ys.size() != outputs.size()) {
      throw new IllegalArgumentException(caller + "(): model '" + model.name() + "' has " + outputs.size()
          + " output(s), but it received " + ys.size() + " target array(s)");
    }
    List<Loss> losses = model.compileOptions().losses;
    List<ArrayData> out = new ArrayList<>();
    for (int j = 0; j < ys.size(); j++) {
      ArrayData y = ys.get(j);
      Shape pred = outputs.get(j).shape();
      Loss loss = losses.size() == 1 ? losses.get(0) : losses.get(Math.min(j, losses.size() - 1));
      Shape found = y.batchShape();
      String layer = outputs.get(j).layer().name();
      if (loss instanceof SparseCategoricalCrossentropy) {
        boolean ok = found.numDimensions() == pred.numDimensions() - 1
            || (found.numDimensions() == pred.numDimensions() && found.get(found.numDimensions() - 1) == 1);
        if (!ok) {
          throw new IllegalArgumentException("Target " + j + " for output of layer '" + layer + "' must hold one "
              + "class index per sample for sparse_categorical_crossentropy: expected shape "
              + Shapes.format(Shapes.dropLast(pred)) + ", found shape " + Shapes.format(found));
        }
        checkClassIndices(y, pred.get(pred.numDimensions() - 1), j, layer);
        out.add(y);
        continue;
      }
      if (!loss.targetsShapedLikePredictions()) {
        out.add(y);
        continue;
      }
      if (found.numDimensions() == pred.numDimensions() - 1 && pred.get(pred.numDimensions() - 1) == 1) {
        long[] s = y.shape();
        long[] s2 = java.util.Arrays.copyOf(s, s.length + 1);
        s2[s.length] = 1;
        y = new ArrayData(y.name(), y.values(), s2);
        found = y.batchShape();
      }
      if (!Shapes.compatible(pred, found)) {
        throw new IllegalArgumentException("Target " + j + " is incompatible with the output of layer '" + layer
            + "': expected shape=" + Shapes.format(pred) + ", found shape=" + Shapes.format(found));
      }
      out.add(y);
    }
    return out;
  }

  /**
   * Sparse labels must be whole class indices below the output's width. TensorFlow would truncate 2.5 to class 2
   * without a word, and report an index out of range only from inside the step, without naming the output.
   */
  private static void checkClassIndices(ArrayData y, long classes, int output, String layer) {
    int bad = firstBadIndex(y.values(), classes);
    if (bad >= 0) {
      throw new IllegalArgumentException("Target " + output + " for output of layer '" + layer + "' must hold "
          + "whole class indices in " + indexRange(classes) + " for sparse_categorical_crossentropy; found "
          + describeBadIndex(y, bad));
    }
  }

  /**
   * The position of the first finite value that is not a whole number in {@code [0, bound)} ({@code bound <= 0}:
   * no upper limit), or -1. Non-finite values are left to {@link ArrayData#checkFinite}.
   */
  private static int firstBadIndex(float[] values, long bound) {
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (Float.isFinite(v) && (v != Math.rint(v) || v < 0 || (bound > 0 && v >= bound))) {
        return i;
      }
    }
    return -1;
  }

  private static String indexRange(long bound) {
    return bound > 0 ? "[0, " + bound + ")" : ">= 0";
  }

  /** {@code 2.5 at row 1 of 'y'}; whole values print without a fraction. */
  private static String describeBadIndex(ArrayData a, int position) {
    float v = a.values()[position];
    String value = v == Math.rint(v) ? Long.toString((long) v) : Float.toString(v);
    return value + " at row " + (position / Math.max(1, a.rowSize())) + " of '" + a.name() + "'";
  }

  private static List<Shape> targetShapes(List<ArrayData> ys) {
    List<Shape> shapes = new ArrayList<>();
    ys.forEach(a -> shapes.add(a.batchShape()));
    return shapes;
  }

  private static float[] classWeights(ArrayData y, Map<Integer, Double> classWeight) {
    float[] w = new float[y.rows()];
    int k = y.rowSize();
    for (int i = 0; i < w.length; i++) {
      int label;
      if (k == 1) {
        label = Math.round(y.get(i, 0));
      } else {
        label = 0;
        for (int j = 1; j < k; j++) {
          if (y.get(i, j) > y.get(i, label)) {
            label = j;
          }
        }
      }
      w[i] = classWeight.getOrDefault(label, 1.0).floatValue();
    }
    return w;
  }

  /** Inputs given as one array, or a List of arrays for several inputs. */
  static List<ArrayData> toArrays(String name, Object data) {
    List<ArrayData> out = new ArrayList<>();
    if (data instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        out.add(ArrayData.of(name + "[" + i + "]", list.get(i)));
      }
    } else {
      out.add(ArrayData.of(name, data));
    }
    return out;
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
