package io.github.keras4j.models;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.graph.savedmodel.AtomicFile;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.optimizers.Optimizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Keras4J's own weights file: a model's weights (and its optimizer's state) in one checksummed binary file, which
 * {@link Model#saveWeights} writes for names ending {@value #EXTENSION} and {@link Model#loadWeights} reads (as the
 * weights entry {@code model.weights.bin} of {@code .keras} files saved by earlier Keras4J versions). Keras's own
 * format, {@code .weights.h5}, is {@link H5WeightsFile}: the default, and the one Python Keras reads.
 *
 * <h2>Format, version 2</h2>
 * All numbers are little-endian. A string is a uint32 byte length followed by that many UTF-8 bytes.
 * <pre>
 * magic       8 bytes   'K' '4' 'J' 'W' 0x0D 0x0A 0x1A 0x0A   (detects text-mode mangling, like PNG's)
 * version     uint32    2
 * weights     uint32 n, then n entries        the layers' stored weights, in {@link Model#variables()} order
 * optimizer   string    the optimizer's name ("" when there is no optimizer state)
 *             int64     the optimizer's step counter (Keras's {@code optimizer.iterations}; 0 without state)
 *             uint32 m, then m entries        the float variables (slots, learning rate) of the optimizer and of
 *                                             every optimizer it wraps, in tree order (below)
 * state       uint32 k, then k scalars        the optimizer tree's other state (below); new in version 2
 * crc32       uint32    CRC-32 (java.util.zip.CRC32) of every byte before it
 * entry:      string layer, string weight, uint32 rank, int64 dims[rank], float32 values[product(dims)]
 * scalar:     string key, float64 value
 * </pre>
 *
 * <p>Each layer stores what its {@link Layer#savedWeights()} and {@link Layer#saveOwnVariables} say (Keras's
 * {@code save_own_variables}): by default every weight as it is; a LoRA layer ({@code Dense}, {@code EinsumDense},
 * {@code Embedding} after {@code enableLora}) stores its kernel with the adaptation merged in and not the LoRA
 * matrices, and on load zeros them ({@link Layer#loadOwnVariables}), as Keras 3 does.
 *
 * <p>Version 1 files, without the {@code state} section and with only the top optimizer's own variables under
 * {@code optimizer}, are still read, and load as they did.
 *
 * <p>The optimizer's state is that of a tree: the model's optimizer, then, depth first, each optimizer it wraps
 * ({@link Optimizer#wrappedOptimizers()}: a {@code LossScaleOptimizer}'s inner optimizer, a {@code MultiOptimizer}'s
 * inner optimizers), each once and only those that have trained in this model. The {@code optimizer} entries are
 * their variables, each optimizer's in creation order and named by that optimizer's name ({@code layer = "adam_1"}).
 * The {@code state} scalars are, in the same order, for each optimizer below the top one its step counter
 * ({@code adam_1/iterations}), and for every optimizer its {@link Optimizer#extraState()}
 * ({@code loss_scale_optimizer/dynamic_scale}, {@code loss_scale_optimizer/step_counter}). Counters are exact as
 * float64 up to 2^53, float32 values always.
 *
 * <p>Layer weights are named as in Keras 3's weights files, by structure rather than by the layers' runtime
 * names: the {@code layer} of an entry is the snake_case class name of the layer numbered in model order
 * ({@code dense}, {@code dense_1}, {@code conv2d}, ...), so a file saved from one model loads into a fresh
 * model of the same architecture even though its layers got other names ({@code dense_7}). Optimizer slots are
 * named the same way: {@code dense_1/kernel/m}; the optimizer's scalars by their own name
 * ({@code learning_rate}, {@code iterations}).
 *
 * <p>Files are written to a temporary file in the target directory, flushed to disk, then moved over the
 * target ({@link StandardCopyOption#ATOMIC_MOVE}, or a plain replacing move where the file system cannot move
 * atomically), so a reader never sees a half-written file. Reading checks the magic, the version, every length
 * against the file size and the checksum, and reports a truncated or corrupt file with its path and what is
 * wrong.
 *
 * <p>Java differences from Keras: this format is Keras4J's alone (Python Keras cannot read it); use
 * {@link H5WeightsFile}'s {@code .weights.h5} to exchange weights with Keras.
 */
public final class WeightsFile {

  /**
   * The file name ending for which {@link Model#saveWeights} writes this format (Keras's {@code .weights.h5}, the
   * default, is {@link H5WeightsFile#EXTENSION}).
   */
  public static final String EXTENSION = ".weights.bin";

  /** The format version written by this class; version 1 is read too. */
  public static final int VERSION = 2;

  private static final byte[] MAGIC = {'K', '4', 'J', 'W', 0x0D, 0x0A, 0x1A, 0x0A};
  private static final int MAX_NAME_BYTES = 1 << 16;
  private static final int MAX_RANK = 64;
  private static final Logger LOG = Logger.getLogger(WeightsFile.class.getName());

  private WeightsFile() {}

  /**
   * One named array of the file.
   *
   * @param layer the layer's structural name ({@code dense_1}), or the optimizer's name for its variables
   * @param weight the weight's name in the layer ({@code kernel}), or the optimizer variable's name
   *     ({@code dense_1/kernel/m}, {@code learning_rate})
   * @param value the values, with their shape
   */
  public record Entry(String layer, String weight, FloatNdArray value) {

    /** {@code layer/weight}, as shown in messages. */
    public String path() {
      return layer + "/" + weight;
    }
  }

  /**
   * One number of the optimizer state section (version 2).
   *
   * @param key the optimizer's name and the state's, such as {@code adam_1/iterations} or
   *     {@code loss_scale_optimizer/dynamic_scale}
   * @param value the value (a counter as a whole number)
   */
  public record Scalar(String key, double value) {}

  /**
   * The contents of a weights file.
   *
   * @param weights the model's weights, in model order
   * @param optimizerName the optimizer's name, or {@code ""} when the file holds no optimizer state
   * @param iterations the optimizer's step counter
   * @param optimizer the float variables of the optimizer tree (see the class comment); in a version 1 file, the top
   *     optimizer's own only
   * @param optimizerState the optimizer tree's other state (see the class comment), or null for a version 1 file,
   *     which has none
   */
  public record Contents(
      List<Entry> weights, String optimizerName, long iterations, List<Entry> optimizer, List<Scalar> optimizerState) {

    /** Copies the lists. */
    public Contents {
      weights = List.copyOf(weights);
      optimizer = List.copyOf(optimizer);
      optimizerState = optimizerState == null ? null : List.copyOf(optimizerState);
    }

    /** Contents without optimizer state scalars (an empty {@code state} section). */
    public Contents(List<Entry> weights, String optimizerName, long iterations, List<Entry> optimizer) {
      this(weights, optimizerName, iterations, optimizer, List.of());
    }
  }

  // ------------------------------------------------------------------ model <-> entries

  /** The model's weights (and its optimizer's variables once it has trained) as file entries. */
  static Contents snapshot(Model model) {
    List<Named> stored = namedWeights(model, true);
    List<FloatNdArray> values = model.runtime().read(variables(stored));
    List<Entry> entries = new ArrayList<>();
    // Each layer decides what it stores for its saved weights (Keras's save_own_variables: LoRA merges).
    forEachLayer(stored, (owner, start, end) -> {
      List<FloatNdArray> own = owner.saveOwnVariables(values.subList(start, end));
      for (int i = start; i < end; i++) {
        entries.add(new Entry(stored.get(i).layer, stored.get(i).weight, own.get(i - start)));
      }
    });
    List<Named> weights = namedWeights(model, false);
    Optimizer optimizer = model.getOptimizer();
    List<Named> slots = optimizerVariables(model, weights, true);
    List<Entry> optimizerEntries = new ArrayList<>();
    if (!slots.isEmpty()) {
      List<FloatNdArray> slotValues = model.runtime().read(variables(slots));
      for (int i = 0; i < slots.size(); i++) {
        optimizerEntries.add(new Entry(slots.get(i).layer, slots.get(i).weight, slotValues.get(i)));
      }
    }
    // An optimizer has state once it has built its first update (slots may be empty: plain SGD with a schedule).
    boolean stepped = optimizer != null && optimizer.runtimeOrNull() == model.runtime();
    List<Scalar> state = new ArrayList<>();
    for (StateKey key : optimizerState(model)) {
      state.add(new Scalar(key.path(), key.read()));
    }
    return new Contents(entries, stepped ? optimizer.name() : "", stepped ? optimizer.iterationsCounter() : 0,
        optimizerEntries, state);
  }

  /** Writes the model's weights and optimizer state to {@code file}, atomically. */
  static void save(Model model, Path file) throws IOException {
    write(file, snapshot(model));
  }

  /**
   * Reads {@code file} into the model: every layer weight, checked by count, name and shape before anything is
   * assigned; then the optimizer's state when the file has one and the model's optimizer has the same variables
   * (otherwise it is skipped with a warning, as Keras does; silently when the model is not compiled).
   *
   * @throws IllegalArgumentException when the file's weights do not fit the model
   */
  static void load(Model model, Path file) throws IOException {
    load(model, read(file), file.toString());
  }

  /**
   * As {@link #load(Model, Path)} for contents already read; {@code source} names where they came from in messages
   * (a weights file, or the weights entry of a saved model file).
   */
  static void load(Model model, Contents contents, String source) {
    List<Named> weights = namedWeights(model, true);
    String where = "Cannot load weights from " + source + " into model '" + model.name() + "': ";
    if (contents.weights().size() != weights.size()) {
      throw new IllegalArgumentException(where + "the model has " + weights.size() + " weights "
          + paths(weights) + ", but the file has " + contents.weights().size() + " " + entryPaths(contents.weights())
          + ". Build the model with the same layers as the model that saved the file");
    }
    List<FloatNdArray> values = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Named expected = weights.get(i);
      Entry found = contents.weights().get(i);
      if (!expected.path().equals(found.path())) {
        throw new IllegalArgumentException(where + "weight " + i + " of the model is '" + expected.path()
            + "'" + expected.runtimeName() + ", but the file has '" + found.path() + "' there. Build the model with the"
            + " same layers, in the same order, as the model that saved the file");
      }
      check(where, expected, found);
      values.add(found.value());
    }
    // Each layer maps its stored arrays to its variables (Keras's load_own_variables: LoRA zeros its matrices).
    List<GraphVariable> targets = new ArrayList<>();
    List<FloatNdArray> assigned = new ArrayList<>();
    forEachLayer(weights, (owner, start, end) ->
        owner.loadOwnVariables(values.subList(start, end)).forEach((v, value) -> {
          targets.add(v);
          assigned.add(value);
        }));
    model.runtime().assign(targets, assigned);
    if (!contents.optimizerName().isEmpty()) {
      loadOptimizer(model, namedWeights(model, false), contents, source);
    }
  }

  private static void loadOptimizer(Model model, List<Named> weights, Contents contents, String file) {
    Optimizer optimizer = model.getOptimizer();
    if (optimizer == null) {
      return; // not compiled: there is no optimizer to restore, as in Keras
    }
    boolean tree = contents.optimizerState() != null;
    List<Named> slots = optimizerVariables(model, weights, tree);
    String name = optimizer.name();
    if (optimizer.runtimeOrNull() != model.runtime() || slots.size() != contents.optimizer().size()) {
      // Keras 3 (saving_lib): the same words when the optimizer is not built yet or differs.
      LOG.warning("Skipping variable loading for optimizer '" + name + "', because it has " + slots.size()
          + " variables whereas the saved optimizer has " + contents.optimizer().size() + " variables. (" + file + ")");
      return;
    }
    List<FloatNdArray> values = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      Named expected = slots.get(i);
      Entry found = contents.optimizer().get(i);
      if (!expected.weight.equals(found.weight()) || !expected.variable.shape().equals(found.value().shape())) {
        LOG.warning("Skipping variable loading for optimizer '" + name + "': its variable '" + expected.weight
            + "' " + Shapes.format(expected.variable.shape()) + " does not match the saved '" + found.weight() + "' "
            + Shapes.format(found.value().shape()) + ". (" + file + ")");
        return;
      }
      values.add(found.value());
    }
    List<StateKey> keys = tree ? optimizerState(model) : List.of();
    List<Scalar> saved = tree ? contents.optimizerState() : List.of();
    if (keys.size() != saved.size()) {
      LOG.warning("Skipping variable loading for optimizer '" + name + "', because it has " + keys.size()
          + " state values (wrapped optimizers' step counters, loss scale) whereas the saved optimizer has "
          + saved.size() + ". (" + file + ")");
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      StateKey expected = keys.get(i);
      Scalar found = saved.get(i);
      String problem = !found.key().endsWith("/" + expected.key) ? "does not match the saved '" + found.key() + "'"
          : expected.isCounter() && !isCount(found.value()) ? "cannot be " + found.value() : null;
      if (problem != null) {
        LOG.warning("Skipping variable loading for optimizer '" + name + "': its state value '" + expected.path()
            + "' " + problem + ". (" + file + ")");
        return;
      }
    }
    if (contents.iterations() < 0) {
      LOG.warning("Skipping variable loading for optimizer '" + name + "': its saved step counter is "
          + contents.iterations() + ". (" + file + ")");
      return;
    }
    // Everything fits: only now does anything change.
    model.runtime().assign(variables(slots), values);
    optimizer.setIterations(contents.iterations());
    Map<Optimizer, Map<String, Double>> extra = new IdentityHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      StateKey key = keys.get(i);
      double value = saved.get(i).value();
      if (key.isCounter()) {
        key.owner.setIterations((long) value);
      } else {
        extra.computeIfAbsent(key.owner, o -> new LinkedHashMap<>()).put(key.key, value);
      }
    }
    extra.forEach(Optimizer::restoreExtraState);
  }

  /** Whether {@code value} is a step counter: a whole number from 0 to 2^53 (exact in a double). */
  private static boolean isCount(double value) {
    return value >= 0 && value <= 0x1p53 && value == Math.rint(value);
  }

  private static void check(String where, Named expected, Entry found) {
    Shape want = expected.variable.shape();
    Shape got = found.value().shape();
    if (!want.equals(got)) {
      throw new IllegalArgumentException(where + "weight '" + expected.path() + "'" + expected.runtimeName()
          + ": expected shape " + Shapes.format(want) + ", found " + Shapes.format(got));
    }
  }

  /** What is done with the weights {@code [start, end)} of a list, all owned by {@code owner}. */
  private interface LayerRun {
    void accept(Layer owner, int start, int end);
  }

  /** Calls {@code run} for each run of consecutive weights of {@code weights} that one layer owns, in order. */
  private static void forEachLayer(List<Named> weights, LayerRun run) {
    for (int start = 0, end; start < weights.size(); start = end) {
      Layer owner = weights.get(start).owner;
      end = start;
      while (end < weights.size() && weights.get(end).owner == owner) {
        end++;
      }
      run.accept(owner, start, end);
    }
  }

  /** A graph variable with its name in the file, and the layer that owns it (null for an optimizer's). */
  private record Named(String layer, String weight, GraphVariable variable, Layer owner) {
    String path() {
      return layer + "/" + weight;
    }

    /** " (layer 'dense_7')" when the layer's runtime name differs from its structural one. */
    String runtimeName() {
      String runtime = variable.name();
      int slash = runtime.lastIndexOf('/');
      String layerName = slash < 0 ? runtime : runtime.substring(0, slash);
      return layerName.equals(layer) ? "" : " (layer '" + layerName + "')";
    }
  }

  /**
   * Every layer weight with its structural name: {@code dense/kernel}, {@code dense_1/kernel}, ...; the weights of
   * a nested model under its own: {@code sequential/dense/kernel}.
   */
  private static List<Named> namedWeights(Model model, boolean stored) {
    List<Named> out = new ArrayList<>();
    addNamedWeights(model, "", stored, out);
    return out;
  }

  /**
   * @param stored true for the weights files store ({@link Layer#savedWeights()}), false for all of each layer's
   *     {@link Layer#weights()} (to name optimizer slots)
   */
  private static void addNamedWeights(Model model, String prefix, boolean stored, List<Named> out) {
    Map<String, Integer> counts = new HashMap<>();
    for (Layer layer : model.allLayers()) {
      String base = Backend.snakeCase(layer.className());
      if (base.isEmpty()) {
        base = "layer";
      }
      int n = counts.merge(base, 1, Integer::sum) - 1;
      String key = prefix + (n == 0 ? base : base + "_" + n);
      if (layer instanceof NestedModel nested) {
        addNamedWeights(nested.model(), key + "/", stored, out);
        continue;
      }
      for (Layer.Weight w : stored ? layer.savedWeights() : layer.weights()) {
        out.add(new Named(key, w.name(), w.variable(), layer));
      }
    }
  }

  /**
   * The model's optimizer and, depth first, every optimizer it wraps, each once, in the order of the file (see the
   * class comment); only those that have trained in this model (bound to its runtime). Empty before the model's
   * optimizer's first training step is built.
   */
  private static List<Optimizer> optimizerTree(Model model) {
    Optimizer optimizer = model.getOptimizer();
    List<Optimizer> out = new ArrayList<>();
    if (optimizer != null && optimizer.runtimeOrNull() == model.runtime()) {
      addTree(model, optimizer, Collections.newSetFromMap(new IdentityHashMap<>()), out);
    }
    return out;
  }

  private static void addTree(Model model, Optimizer optimizer, Set<Optimizer> seen, List<Optimizer> out) {
    if (!seen.add(optimizer) || optimizer.runtimeOrNull() != model.runtime()) {
      return;
    }
    out.add(optimizer);
    for (Optimizer wrapped : optimizer.wrappedOptimizers()) {
      addTree(model, wrapped, seen, out);
    }
  }

  /**
   * One number of the optimizer state section: a wrapped optimizer's step counter ({@code key = "iterations"}) or
   * one of an optimizer's {@link Optimizer#extraState()}.
   */
  private record StateKey(Optimizer owner, String key, boolean isCounter) {
    String path() {
      return owner.name() + "/" + key;
    }

    double read() {
      return isCounter ? owner.iterationsCounter() : owner.extraState().get(key);
    }
  }

  /** The optimizer tree's state numbers, in file order (see the class comment). */
  private static List<StateKey> optimizerState(Model model) {
    List<Optimizer> tree = optimizerTree(model);
    List<StateKey> out = new ArrayList<>();
    for (int i = 0; i < tree.size(); i++) {
      Optimizer o = tree.get(i);
      if (i > 0) {
        out.add(new StateKey(o, "iterations", true));
      }
      for (String key : o.extraState().keySet()) {
        out.add(new StateKey(o, key, false));
      }
    }
    return out;
  }

  /**
   * The float variables of the optimizer tree (or, without {@code tree}, of the model's optimizer alone, as version 1
   * files hold), each optimizer's in creation order: slots of this model's weights named after the weight's
   * structural name, scalars by their own name. Empty before the optimizer's first training step is built.
   */
  private static List<Named> optimizerVariables(Model model, List<Named> weights, boolean tree) {
    List<Optimizer> optimizers = optimizerTree(model);
    List<Named> out = new ArrayList<>();
    for (Optimizer o : tree ? optimizers : optimizers.subList(0, Math.min(1, optimizers.size()))) {
      addOptimizerVariables(model, weights, o, out);
    }
    return out;
  }

  private static void addOptimizerVariables(Model model, List<Named> weights, Optimizer optimizer, List<Named> out) {
    String prefix = optimizer.name() + "/";
    for (GraphVariable v : model.runtime().variables()) {
      if (!v.name().startsWith(prefix)) {
        continue;
      }
      String rest = v.name().substring(prefix.length());
      if (rest.indexOf('/') < 0) {
        out.add(new Named(optimizer.name(), rest, v, null));
        continue;
      }
      for (Named w : weights) {
        String owner = w.variable.name() + "/";
        if (rest.startsWith(owner) && rest.indexOf('/', owner.length()) < 0) {
          out.add(new Named(optimizer.name(), w.path() + "/" + rest.substring(owner.length()), v, null));
          break;
        }
      }
    }
  }

  private static List<GraphVariable> variables(List<Named> named) {
    List<GraphVariable> out = new ArrayList<>();
    named.forEach(n -> out.add(n.variable));
    return out;
  }

  private static String paths(List<Named> named) {
    List<String> out = new ArrayList<>();
    named.forEach(n -> out.add(n.path()));
    return abbreviate(out);
  }

  private static String entryPaths(List<Entry> entries) {
    List<String> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.path()));
    return abbreviate(out);
  }

  private static String abbreviate(List<String> names) {
    if (names.size() <= 8) {
      return names.toString();
    }
    return names.subList(0, 8).toString().replace("]", ", ...]");
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes {@code contents} to {@code file} atomically: a temporary file in the same directory, flushed to disk,
   * then moved over {@code file}. The parent directory must exist.
   */
  public static void write(Path file, Contents contents) throws IOException {
    AtomicFile.write(file, tmp -> {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(out, contents);
      }
    });
  }

  /**
   * Writes {@code contents} in this format to {@code stream} (flushed, not closed): the bytes of a weights file, for
   * a container that holds one (a saved model file).
   */
  static void write(OutputStream stream, Contents contents) throws IOException {
    CRC32 crc = new CRC32();
    Writer out = new Writer(new BufferedOutputStream(new CheckedOutputStream(stream, crc), 1 << 16));
    out.bytes(MAGIC);
    out.u32(VERSION);
    out.entries(contents.weights());
    out.string(contents.optimizerName());
    out.i64(contents.iterations());
    out.entries(contents.optimizer());
    List<Scalar> state = contents.optimizerState() == null ? List.of() : contents.optimizerState();
    out.u32(state.size());
    for (Scalar scalar : state) {
      out.string(scalar.key());
      out.f64(scalar.value());
    }
    out.flush();
    long checksum = crc.getValue();
    out.u32((int) checksum);
    out.flush();
  }

  /** Little-endian writer over a buffered stream. */
  private static final class Writer {
    private final OutputStream out;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    Writer(OutputStream out) {
      this.out = out;
    }

    void bytes(byte[] b) throws IOException {
      drain();
      out.write(b);
    }

    void u32(int v) throws IOException {
      room(4);
      buf.putInt(v);
    }

    void i64(long v) throws IOException {
      room(8);
      buf.putLong(v);
    }

    void f64(double v) throws IOException {
      room(8);
      buf.putDouble(v);
    }

    void string(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u32(b.length);
      bytes(b);
    }

    void entries(List<Entry> entries) throws IOException {
      u32(entries.size());
      for (Entry e : entries) {
        string(e.layer());
        string(e.weight());
        long[] dims = e.value().shape().asArray();
        u32(dims.length);
        for (long d : dims) {
          i64(d);
        }
        float[] values = new float[Math.toIntExact(e.value().size())];
        e.value().copyTo(DataBuffers.of(values, false, false));
        for (float f : values) {
          room(4);
          buf.putFloat(f);
        }
      }
    }

    private void room(int n) throws IOException {
      if (buf.remaining() < n) {
        drain();
      }
    }

    private void drain() throws IOException {
      out.write(buf.array(), 0, buf.position());
      buf.clear();
    }

    void flush() throws IOException {
      drain();
      out.flush();
    }
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads and checks a weights file.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when the file is truncated or corrupt; the message names the file and the problem
   */
  public static Contents read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "weights file not found");
    }
    try (InputStream stream = Files.newInputStream(file)) {
      return read(stream, Files.size(file), "Weights file " + file);
    }
  }

  /**
   * Reads and checks the bytes of a weights file from {@code stream} (not closed), as {@link #read(Path)}.
   *
   * @param size the number of bytes the stream holds
   * @param source names the bytes in messages: {@code "Weights file /tmp/m.weights.bin"}
   * @throws IOException when the bytes are truncated or corrupt; the message starts with {@code source}
   */
  static Contents read(InputStream stream, long size, String source) throws IOException {
    CRC32 crc = new CRC32();
    InputStream raw = new BufferedInputStream(stream, 1 << 16);
    Reader in = new Reader(new CheckedInputStream(raw, crc), source, size);
    byte[] magic = in.bytes(MAGIC.length, "the magic bytes");
    if (!Arrays.equals(magic, MAGIC)) {
      throw in.corrupt("not a Keras4J weights file (the magic bytes are wrong)");
    }
    int version = in.u32("the format version");
    if (version != 1 && version != VERSION) {
      throw in.corrupt("unsupported format version " + Integer.toUnsignedString(version) + " (this Keras4J reads "
          + "versions 1 to " + VERSION + ")");
    }
    List<Entry> weights = in.entries("weight");
    String optimizerName = in.string("the optimizer name");
    long iterations = in.i64("the optimizer's step counter");
    List<Entry> optimizer = in.entries("optimizer variable");
    List<Scalar> state = version == 1 ? null : in.scalars("optimizer state value");
    long computed = crc.getValue();
    long stored = Integer.toUnsignedLong(in.u32("the checksum"));
    if (stored != computed) {
      throw in.corrupt(String.format("checksum mismatch (stored 0x%08x, computed 0x%08x): the file is corrupt",
          stored, computed));
    }
    if (raw.read() >= 0) {
      throw in.corrupt("unexpected bytes after the checksum");
    }
    return new Contents(weights, optimizerName, iterations, optimizer, state);
  }

  /** Little-endian reader that checks every length against the bytes left in the file. */
  private static final class Reader {
    private final InputStream in;
    private final String source;
    private final long size;
    private long position;

    Reader(InputStream in, String source, long size) {
      this.in = in;
      this.source = source;
      this.size = size;
    }

    IOException corrupt(String what) {
      return new IOException(source + " is corrupt: " + what);
    }

    private IOException truncated(String what) {
      return new IOException(source + " is truncated: the file ends (after " + size
          + " bytes) while reading " + what);
    }

    byte[] bytes(int n, String what) throws IOException {
      if (n > size - position) {
        throw truncated(what);
      }
      byte[] b = new byte[n];
      if (in.readNBytes(b, 0, n) < n) {
        throw truncated(what);
      }
      position += n;
      return b;
    }

    int u32(String what) throws IOException {
      return ByteBuffer.wrap(bytes(4, what)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    long i64(String what) throws IOException {
      return ByteBuffer.wrap(bytes(8, what)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    double f64(String what) throws IOException {
      return ByteBuffer.wrap(bytes(8, what)).order(ByteOrder.LITTLE_ENDIAN).getDouble();
    }

    List<Scalar> scalars(String kind) throws IOException {
      int count = u32("the number of " + kind + "s");
      if (count < 0) {
        throw corrupt("invalid number of " + kind + "s: " + Integer.toUnsignedString(count));
      }
      List<Scalar> out = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        String where = kind + " " + (i + 1) + " of " + count;
        String key = string("the key of " + where);
        out.add(new Scalar(key, f64("the value of '" + key + "' (" + where + ")")));
      }
      return out;
    }

    String string(String what) throws IOException {
      int n = u32(what);
      if (n < 0 || n > MAX_NAME_BYTES) {
        throw corrupt("invalid length " + Integer.toUnsignedString(n) + " of " + what);
      }
      return new String(bytes(n, what), StandardCharsets.UTF_8);
    }

    List<Entry> entries(String kind) throws IOException {
      int count = u32("the number of " + kind + "s");
      if (count < 0) {
        throw corrupt("invalid number of " + kind + "s: " + Integer.toUnsignedString(count));
      }
      List<Entry> out = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        String where = kind + " " + (i + 1) + " of " + count;
        String layer = string("the layer name of " + where);
        String weight = string("the name of " + where);
        String name = "'" + layer + "/" + weight + "' (" + where + ")";
        int rank = u32("the rank of " + name);
        if (rank < 0 || rank > MAX_RANK) {
          throw corrupt("invalid rank " + Integer.toUnsignedString(rank) + " of " + name);
        }
        long[] dims = new long[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
          dims[d] = i64("the shape of " + name);
          if (dims[d] < 0 || dims[d] > Integer.MAX_VALUE) {
            throw corrupt("invalid dimension " + dims[d] + " in the shape of " + name);
          }
          elements *= dims[d];
          if (elements > Integer.MAX_VALUE - 8) {
            throw corrupt("the shape of " + name + " is too large: " + Arrays.toString(dims));
          }
        }
        if (elements * 4 > size - position) {
          throw truncated("the values of " + name + ": its shape " + Shapes.format(Shape.of(dims)) + " needs "
              + elements * 4 + " bytes but only " + (size - position) + " remain");
        }
        float[] values = new float[(int) elements];
        ByteBuffer data = ByteBuffer.wrap(bytes((int) elements * 4, "the values of " + name))
            .order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().get(values);
        out.add(new Entry(layer, weight, NdArrays.wrap(Shape.of(dims), DataBuffers.of(values, false, false))));
      }
      return out;
    }
  }
}
