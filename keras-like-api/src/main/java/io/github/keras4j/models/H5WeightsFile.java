package io.github.keras4j.models;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.graph.savedmodel.AtomicFile;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.SavedState;
import io.github.keras4j.optimizers.LossScaleOptimizer;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.saving.H5Reader;
import io.github.keras4j.saving.H5Writer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

/**
 * Keras 3's weights file, {@code .weights.h5}: a model's weights and its optimizer's state in HDF5, in the layout of
 * Keras's {@code saving_lib} ({@code _save_state}), so files move between Python Keras 3 and Keras4J both ways. It is
 * the format of {@link Model#saveWeights} for names ending {@value #EXTENSION}, of {@link Model#loadWeights} for
 * HDF5 files, and of the {@code model.weights.h5} entry of a {@code .keras} file ({@link Model#save}).
 *
 * <h2>Layout</h2>
 * <pre>
 * vars                       the model's own variables (none); attribute name = the model's name
 * layers/dense/vars/0, 1     each layer of model.layers() under its snake_case class name made unique in order
 * layers/dense_1/vars/...    (dense, dense_1, conv2d, ...; a functional model's input layers included), not its
 *                            runtime name; attribute name = the layer's name
 * layers/lstm/vars           an LSTM stores nothing itself ...
 * layers/lstm/cell/vars/0..2 ... its cell stores kernel, recurrent_kernel, bias
 * layers/seq/layers/dense/.. a model used as a layer: its own layers under it
 * optimizer/vars/0..n        the optimizer: iterations (int64), learning_rate, then the slots (see OptimizerLayout)
 * </pre>
 * Each object's variables are the datasets {@code 0, 1, ...} of its {@code vars} group, in Keras's
 * {@code save_own_variables} order ({@link Layer#savedState()}: a layer's {@link Layer#savedWeights()}, a LoRA layer's
 * kernel merged; sublayers under Keras's attribute names: {@code cell}, {@code forward_layer}, {@code layer},
 * {@code query_dense}, ...). Datasets are float32 except the optimizers' int64 {@code iterations} (and a
 * {@code LossScaleOptimizer}'s {@code step_counter}); other element types are refused with a message naming the
 * dataset.
 *
 * <p>Loading matches the file's groups to this model's structure by path, checks every dataset (present, count,
 * element type, shape) before any weight changes, and reports what does not fit with the path and the model's layer:
 * {@code layer dense_1: expected kernel (64, 32), file has (32, 64) (layers/dense_1/vars/0; the model's layer
 * 'dense_7' (Dense))}. Groups of objects that store nothing may be missing (Keras before 3.10 did not always write
 * them); the {@code name} attributes are not needed. A top-level {@code layers/...} group holding data that no layer
 * of the model claims is an error (Keras ignores it). The {@code metrics} groups Keras 2 wrote are ignored; Keras4J
 * writes none (Keras 3 writes none: its metrics keep no saved variables). The optimizer's state is loaded when the
 * model's optimizer has built its state with the same variables (count, shapes, element types); otherwise it is
 * skipped with a warning, as in Keras.
 *
 * <p>Files are written to a temporary file in the target's directory, then moved over it, so a reader never sees a
 * half-written file.
 *
 * <p>Java differences from Keras: the HDF5 file is written in the HDF5 1.8 format ({@link H5Writer}), not h5py's
 * oldest; Keras4J-only layers ({@code RnnStateOutput}) get empty groups of their own, which Keras ignores; a layer
 * reached twice in the structure is written twice (Keras skips objects it has visited).
 */
public final class H5WeightsFile {

  /** The file name ending Keras requires for weights files, and the default of {@link Model#saveWeights}. */
  public static final String EXTENSION = ".weights.h5";

  private static final Logger LOG = Logger.getLogger(H5WeightsFile.class.getName());

  private H5WeightsFile() {}

  /** One object of the layout with its path ({@code ""} for the model, {@code layers/dense_1}, ...). */
  private record Placed(String path, SavedState state) {
    String vars() {
      return path.isEmpty() ? "vars" : path + "/vars";
    }

    /** {@code dense_1}, {@code lstm/cell}: the path without its leading {@code layers/}. */
    String display() {
      return path.startsWith("layers/") ? path.substring("layers/".length()) : path.isEmpty() ? "<model>" : path;
    }

    /** {@code ('dense_7', Dense)}: the model's layer these variables belong to. */
    String owner() {
      Layer l = state.layer();
      return l == null ? "" : " ('" + l.name() + "', " + l.className() + ")";
    }
  }

  // ------------------------------------------------------------------ the model's structure

  /** The model and every object under it, depth first, in Keras's order. */
  private static List<Placed> layout(Model model) {
    SavedState root = SavedState.part(model.name(), null, List.of());
    SavedState.listAttribute("layers", model.layers()).forEach((key, layer) -> root.child(key, layer.savedState()));
    List<Placed> out = new ArrayList<>();
    place(root, "", out);
    return out;
  }

  private static void place(SavedState state, String path, List<Placed> out) {
    out.add(new Placed(path, state));
    state.children().forEach((attribute, child) -> place(child, path.isEmpty() ? attribute : path + "/" + attribute,
        out));
  }

  /**
   * Checks that the layout covers every weight of the model (a layer that holds sublayers without saying where Keras
   * keeps them would lose their weights): each is stored by some object, or left out on purpose by its layer's
   * {@link Layer#savedWeights()} (LoRA matrices).
   */
  private static void checkCoverage(Model model, List<Placed> placed) {
    Set<GraphVariable> covered = new HashSet<>();
    for (Placed p : placed) {
      for (Layer.Weight w : p.state().variables()) {
        covered.add(w.variable());
      }
      if (p.state().ownedByLayer()) {
        Layer l = p.state().layer();
        for (Layer.Weight w : l.weights()) {
          covered.add(w.variable()); // what its savedWeights leave out, it leaves out on purpose
        }
      }
    }
    for (Layer layer : model.layers()) {
      for (Layer.Weight w : layer.weights()) {
        if (!covered.contains(w.variable())) {
          throw new IllegalStateException("Layer '" + layer.name() + "' (" + layer.className() + "): its weight '"
              + w.variable().name() + "' has no place in Keras's weights layout; the layer (or the layer holding it) "
              + "must describe its sublayers with savedChildren() or savedState()");
        }
      }
    }
  }

  // ------------------------------------------------------------------ saving

  /** Writes the model's weights and its optimizer's state to {@code file}, atomically. */
  static void save(Model model, Path file) throws IOException {
    H5Writer h5 = snapshot(model);
    AtomicFile.write(file, tmp -> {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        h5.write(out);
      }
    });
  }

  /** Writes the model's weights file to {@code out} (flushed, not closed): the weights entry of a .keras file. */
  static void write(Model model, OutputStream out) throws IOException {
    snapshot(model).write(out);
  }

  /** The file's contents, read from the model now. */
  static H5Writer snapshot(Model model) {
    List<Placed> placed = layout(model);
    checkCoverage(model, placed);
    GraphRuntime rt = model.runtime();
    // Each variable once (a wrapper may store its sublayer's kernel too, as SpectralNormalization does).
    Set<GraphVariable> distinct = new java.util.LinkedHashSet<>();
    for (Placed p : placed) {
      p.state().variables().forEach(w -> distinct.add(w.variable()));
    }
    List<GraphVariable> vars = new ArrayList<>(distinct);
    List<FloatNdArray> read = vars.isEmpty() ? List.of() : rt.read(vars);
    Map<GraphVariable, FloatNdArray> values = new LinkedHashMap<>();
    for (int i = 0; i < vars.size(); i++) {
      values.put(vars.get(i), read.get(i));
    }
    H5Writer h5 = new H5Writer();
    for (Placed p : placed) {
      H5Writer.Group group = group(h5, p.vars());
      group.attribute("name", p.state().name());
      List<FloatNdArray> arrays = new ArrayList<>();
      for (Layer.Weight w : p.state().variables()) {
        arrays.add(values.get(w.variable()));
      }
      if (p.state().ownedByLayer()) {
        arrays = p.state().layer().saveOwnVariables(arrays);
      }
      for (int i = 0; i < arrays.size(); i++) {
        group.floats(String.valueOf(i), arrays.get(i));
      }
    }
    OptimizerLayout.Group optimizer = OptimizerLayout.of(model);
    if (optimizer != null) {
      writeOptimizer(h5, "optimizer", optimizer, model);
    }
    return h5;
  }

  private static H5Writer.Group group(H5Writer h5, String path) {
    H5Writer.Group g = h5.root();
    for (String part : path.split("/")) {
      g = g.group(part);
    }
    return g;
  }

  private static void writeOptimizer(H5Writer h5, String path, OptimizerLayout.Group layout, Model model) {
    H5Writer.Group group = group(h5, path + "/vars");
    group.attribute("name", layout.name());
    List<GraphVariable> graphVars = new ArrayList<>();
    for (OptimizerLayout.Slot s : layout.slots()) {
      if (s instanceof OptimizerLayout.Variable v) {
        graphVars.add(v.variable());
      }
    }
    List<FloatNdArray> read = graphVars.isEmpty() ? List.of() : model.runtime().read(graphVars);
    int next = 0;
    for (int i = 0; i < layout.slots().size(); i++) {
      String key = String.valueOf(i);
      OptimizerLayout.Slot slot = layout.slots().get(i);
      if (slot instanceof OptimizerLayout.Iterations it) {
        group.int64(key, it.optimizer().iterationsCounter());
      } else if (slot instanceof OptimizerLayout.LearningRate lr) {
        group.floats(key, NdArrays.scalarOf(lr.zero() ? 0f : lr.optimizer().getLearningRate()));
      } else if (slot instanceof OptimizerLayout.Variable) {
        group.floats(key, read.get(next++));
      } else if (slot instanceof OptimizerLayout.Placeholder) {
        group.floats(key, NdArrays.scalarOf(0f));
      } else if (slot instanceof OptimizerLayout.ScaleState s) {
        Map<String, Double> state = s.optimizer().extraState();
        if (s.isCounter()) {
          group.int64(key, state.isEmpty() ? 0 : state.get("step_counter").longValue());
        } else {
          group.floats(key, NdArrays.scalarOf(state.isEmpty() ? s.optimizer().getInitialScale()
              : state.get("dynamic_scale").floatValue()));
        }
      }
    }
    layout.children().forEach((attribute, child) -> writeOptimizer(h5, path + "/" + attribute, child, model));
  }

  // ------------------------------------------------------------------ loading

  /** Whether {@code file} is an HDF5 file (by its first bytes, whatever its name). */
  public static boolean isHdf5(Path file) throws IOException {
    return H5Reader.isHdf5(file);
  }

  /** Reads the weights file {@code file} into the model; see the class comment. */
  static void load(Model model, Path file) throws IOException {
    try (H5Reader h5 = H5Reader.open(file, "Weights file " + file)) {
      load(model, h5);
    }
  }

  /**
   * Whether the file holds the state of an optimizer that has trained: more than an unbuilt optimizer's step counter
   * and learning rate, or a step counter above 0 (an SGD without momentum has no slots).
   */
  static boolean hasOptimizerState(H5Reader h5) throws IOException {
    List<String> vars = h5.members("optimizer/vars");
    if (vars.size() > 2) {
      return true;
    }
    String counter = "optimizer/vars/0";
    return h5.isDataset(counter) && h5.dtype(counter).contains("int") && h5.shape(counter).numDimensions() == 0
        && h5.integer(counter) > 0;
  }

  /**
   * Reads the open file into the model: every layer weight, checked before anything is assigned; then the optimizer's
   * state when the model's optimizer has the same variables (otherwise skipped with a warning).
   *
   * @throws IllegalArgumentException when the file's weights do not fit the model
   * @throws IOException when the file is corrupt
   */
  static void load(Model model, H5Reader h5) throws IOException {
    String where = "Cannot load weights from " + h5.source() + " into model '" + model.name() + "': ";
    List<Placed> placed = layout(model);
    checkCoverage(model, placed);
    checkNoStrangers(h5, placed, where);
    Map<GraphVariable, FloatNdArray> assign = new LinkedHashMap<>();
    for (Placed p : placed) {
      List<Layer.Weight> expected = p.state().variables();
      String vars = p.vars();
      if (!h5.isGroup(vars)) {
        if (expected.isEmpty()) {
          continue; // Keras before 3.10 wrote no group for an object storing nothing
        }
        throw new IllegalArgumentException(where + "the file has no group " + vars + " for layer " + p.display()
            + p.owner() + ", which stores " + expected.size() + " weights: " + describe(expected));
      }
      List<String> keys = h5.members(vars);
      if (keys.size() != expected.size()) {
        throw new IllegalArgumentException(where + "layer " + p.display() + p.owner() + ": expected "
            + expected.size() + " variables " + (expected.isEmpty() ? "" : "(" + describe(expected) + ")")
            + ", the file has " + keys.size() + " in " + vars + ". Build the model with the same layers and settings "
            + "as the model that saved the file");
      }
      List<FloatNdArray> arrays = new ArrayList<>();
      for (int i = 0; i < expected.size(); i++) {
        String path = vars + "/" + i;
        Layer.Weight w = expected.get(i);
        if (!h5.isDataset(path)) {
          throw new IllegalArgumentException(where + "layer " + p.display() + p.owner() + ": the file has no dataset "
              + path + " for " + w.name() + " (its " + vars + " holds " + keys + ")");
        }
        checkFloat32(h5, path, where);
        Shape want = w.variable().shape();
        Shape got = h5.shape(path);
        if (!want.equals(got)) {
          throw new IllegalArgumentException(where + "layer " + p.display() + ": expected " + w.name() + " "
              + Shapes.format(want) + ", file has " + Shapes.format(got) + " (" + path + "; the model's layer"
              + p.owner() + ")");
        }
        arrays.add(h5.floats(path));
      }
      if (p.state().ownedByLayer()) {
        assign.putAll(p.state().layer().loadOwnVariables(arrays));
      } else {
        for (int i = 0; i < expected.size(); i++) {
          assign.put(expected.get(i).variable(), arrays.get(i));
        }
      }
    }
    model.runtime().assign(new ArrayList<>(assign.keySet()), new ArrayList<>(assign.values()));
    OptimizerLayout.Group optimizer = OptimizerLayout.of(model);
    if (optimizer != null && h5.isGroup("optimizer/vars")) {
      loadOptimizer(model, optimizer, h5, where);
    }
  }

  private static String describe(List<Layer.Weight> weights) {
    List<String> out = new ArrayList<>();
    for (Layer.Weight w : weights) {
      out.add(w.name() + " " + Shapes.format(w.variable().shape()));
    }
    return String.join(", ", out);
  }

  private static void checkFloat32(H5Reader h5, String path, String where) {
    String dtype = h5.dtype(path);
    if (!dtype.equals("float32")) {
      throw new IllegalArgumentException(where + "dataset " + path + " is " + dtype + "; Keras4J loads float32 weights "
          + "(and integer optimizer step counters) only");
    }
  }

  /** A top-level {@code layers/...} group with data that no layer of the model claims: another architecture. */
  private static void checkNoStrangers(H5Reader h5, List<Placed> placed, String where) {
    Set<String> known = new HashSet<>();
    for (Placed p : placed) {
      known.add(p.path());
    }
    List<String> strangers = new ArrayList<>();
    for (String member : h5.members("layers")) {
      String path = "layers/" + member;
      if (!known.contains(path) && h5.holdsData(path)) {
        strangers.add(path);
      }
    }
    if (!strangers.isEmpty()) {
      List<String> ours = new ArrayList<>();
      for (Placed p : placed) {
        if (p.path().startsWith("layers/") && p.path().indexOf('/', "layers/".length()) < 0) {
          ours.add(p.path());
        }
      }
      throw new IllegalArgumentException(where + "the file has weights for layers this model does not have: "
          + strangers + " (the model's layers are " + ours + "). Build the model with the same layers as the model "
          + "that saved the file");
    }
  }

  private static void loadOptimizer(Model model, OptimizerLayout.Group layout, H5Reader h5, String where)
      throws IOException {
    String name = layout.name();
    List<String> keys = h5.members("optimizer/vars");
    if (keys.size() != layout.slots().size()) {
      // Keras 3 (BaseOptimizer.load_own_variables): the same words.
      LOG.warning("Skipping variable loading for optimizer '" + name + "', because it has " + layout.slots().size()
          + " variables whereas the saved optimizer has " + keys.size() + " variables. (" + h5.source() + ")"
          + (layout.slots().size() <= 2 ? " This is likely because the optimizer has not been called/built yet." : ""));
      return;
    }
    // Check everything first, then change everything.
    for (int i = 0; i < layout.slots().size(); i++) {
      String path = "optimizer/vars/" + i;
      OptimizerLayout.Slot slot = layout.slots().get(i);
      if (!h5.isDataset(path)) {
        LOG.warning("Skipping variable loading for optimizer '" + name + "': the file has no dataset " + path
            + ". (" + h5.source() + ")");
        return;
      }
      boolean integer = slot instanceof OptimizerLayout.Iterations
          || (slot instanceof OptimizerLayout.ScaleState s && s.isCounter());
      Shape want = slot instanceof OptimizerLayout.Variable v ? v.variable().shape() : Shape.scalar();
      String dtype = h5.dtype(path);
      boolean isInteger = dtype.startsWith("int") || dtype.startsWith("uint");
      if (!integer) {
        checkFloat32(h5, path, where);
      }
      Shape got = h5.shape(path);
      if (integer != isInteger || !got.equals(want)) {
        LOG.warning("Skipping variable loading for optimizer '" + name + "': its variable " + i + " ('"
            + slot.label() + "') is " + (integer ? "an integer" : "float32") + " " + Shapes.format(want)
            + ", the saved one (" + path + ") is " + dtype + " " + Shapes.format(got) + ". (" + h5.source() + ")");
        return;
      }
    }
    List<GraphVariable> targets = new ArrayList<>();
    List<FloatNdArray> values = new ArrayList<>();
    Map<Optimizer, Long> iterations = new LinkedHashMap<>();
    Map<Optimizer, Float> rates = new LinkedHashMap<>();
    Map<LossScaleOptimizer, Map<String, Double>> scales = new IdentityHashMap<>();
    for (int i = 0; i < layout.slots().size(); i++) {
      String path = "optimizer/vars/" + i;
      OptimizerLayout.Slot slot = layout.slots().get(i);
      if (slot instanceof OptimizerLayout.Iterations it) {
        iterations.put(it.optimizer(), h5.integer(path));
      } else if (slot instanceof OptimizerLayout.LearningRate lr && !lr.zero()) {
        rates.put(lr.optimizer(), h5.floats(path).getFloat());
      } else if (slot instanceof OptimizerLayout.Variable v) {
        targets.add(v.variable());
        values.add(h5.floats(path));
      } else if (slot instanceof OptimizerLayout.ScaleState s) {
        double value = s.isCounter() ? h5.integer(path) : h5.floats(path).getFloat();
        scales.computeIfAbsent(s.optimizer(), k -> new LinkedHashMap<>()).put(s.key(), value);
      }
    }
    GraphRuntime rt = model.runtime();
    for (GraphVariable flag : layout.setAfterLoad()) {
      targets.add(flag);
      values.add(NdArrays.scalarOf(1f));
    }
    if (!targets.isEmpty()) {
      rt.assign(targets, values);
    }
    iterations.forEach((o, count) -> {
      if (o instanceof LossScaleOptimizer) {
        return; // its counter is its inner optimizer's, loaded with it
      }
      if (o.runtimeOrNull() == rt) {
        o.setIterations(count);
      } else if (count > 0) {
        LOG.warning("Skipping the step counter (" + count + ") of optimizer '" + o.name() + "': it has not built its "
            + "state yet (train a step first, or load a .keras file with Models.load). (" + h5.source() + ")");
      }
    });
    rates.forEach(Optimizer::setLearningRate);
    scales.forEach((lso, state) -> {
      if (!lso.extraState().isEmpty()) {
        lso.restoreExtraState(state);
      }
    });
  }
}
