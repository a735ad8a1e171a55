package io.github.keras4j.saving;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.graph.savedmodel.AtomicFile;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.NestedModel;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's legacy HDF5 weights ({@code keras/src/legacy/saving/legacy_h5_format.py}): the {@code .h5} files written by
 * Keras 2's {@code model.save_weights("x.h5")} and by {@code model.save("x.h5")} (Keras 2 and 3), among them the
 * pretrained weights of {@code keras.applications}. {@link Model#loadWeights} reads them when the file name ends in
 * {@code .h5} or {@code .hdf5} but not {@code .weights.h5}, as Keras's {@code load_weights} does; this class adds
 * Keras's {@code by_name} and {@code skip_mismatch} options and writes such files.
 *
 * <pre>{@code
 * model.loadWeights(Path.of("resnet50_weights_tf_dim_ordering_tf_kernels.h5"));   // by order, as Keras
 * LegacyH5.loadWeights(model, Path.of("old_model.h5"), true, true);                 // by name, skipping mismatches
 * }</pre>
 *
 * <h2>Layout</h2>
 * The weights group is the file's root (a weights file) or its {@code model_weights} group (a whole-model file). Its
 * attribute {@code layer_names} lists the model's layers (split into {@code layer_names0}, {@code layer_names1}, ...
 * when large); each layer has a group of that name whose attribute {@code weight_names} lists its weights
 * ({@code dense/kernel:0} in Keras 2, {@code lstm/lstm_cell/kernel} in Keras 3), each a dataset at that path inside
 * the group. A layer's weights are listed in Keras's legacy order: the trainable weights, then the non-trainable ones
 * (a BatchNormalization's {@code gamma}, {@code beta}, {@code moving_mean}, {@code moving_variance}).
 *
 * <h2>Loading by order</h2>
 * As {@code load_weights_from_hdf5_group}: the file's layers that have weights are matched, in order, to this model's
 * layers that have weights, in Keras's layer order ({@link Model#layers()}: by depth from the outputs, as Keras's
 * {@code Functional.layers}, which is not always the order of {@link Model#layers()}); names do not matter. The layer
 * counts, each layer's weight count and each weight's shape must agree, with Keras's messages ({@code Layer count
 * mismatch when loading weights from file. Model expected 16 layers, found 13 saved layers.}, {@code Shape mismatch in
 * layer #3 (named conv2) for weight conv2/kernel. Weight expects shape (3, 3, 32, 64). Received saved weight with
 * shape (3, 3, 16, 64)}). With {@code skipMismatch}, weights of another shape are skipped with a warning instead.
 *
 * <h2>Loading by name</h2>
 * As {@code load_weights_from_hdf5_group_by_name}: each of the file's layers loads into this model's layer of the same
 * name, if any; other layers are left as they are. A weight count or shape mismatch is an error, or with
 * {@code skipMismatch} a warning and that layer (count) or weight (shape) is skipped.
 *
 * <p>Java differences from Keras: every count and shape is checked before any weight changes, so a failed load leaves
 * the model as it was (Keras assigns layer by layer and stops at the first error); files that are not Keras weights
 * files, and files whose datasets are missing, are reported with an {@link IOException} naming the file; the optimizer
 * state of a whole-model file is not read.
 */
public final class LegacyH5 {

  private static final System.Logger LOG = System.getLogger(LegacyH5.class.getName());
  private static final String TOP_LEVEL = "top_level_model_weights";

  private LegacyH5() {}

  /**
   * Whether {@link Model#loadWeights} reads {@code file} as a legacy HDF5 file: its name ends in {@code .h5} or
   * {@code .hdf5} (any case) and not in {@code .weights.h5}, as Keras's {@code saving_api.load_weights} decides.
   */
  public static boolean isLegacyH5(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return false;
    }
    String n = name.toString().toLowerCase(Locale.ROOT);
    return (n.endsWith(".h5") || n.endsWith(".hdf5")) && !n.endsWith(".weights.h5");
  }

  /**
   * Loads a legacy {@code .h5} file by order, as Keras's {@code model.load_weights("x.h5")}; see the class comment.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when it is not a readable Keras HDF5 weights file
   * @throws IllegalArgumentException when its layers or weights do not fit this model (Keras's messages)
   */
  public static void loadWeights(Model model, Path file) throws IOException {
    loadWeights(model, file, false, false);
  }

  /**
   * Loads a legacy {@code .h5} file, as Keras's {@code model.load_weights("x.h5", skip_mismatch=..., by_name=...)};
   * see the class comment.
   *
   * @param byName match the file's layers to this model's by name rather than by order
   * @param skipMismatch skip, with a warning, weights whose shape differs (and by name, layers whose weight count
   *     differs) instead of failing
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when it is not a readable Keras HDF5 weights file
   * @throws IllegalArgumentException when its layers or weights do not fit this model (Keras's messages)
   */
  public static void loadWeights(Model model, Path file, boolean byName, boolean skipMismatch) throws IOException {
    if (!model.isBuilt()) {
      throw new IllegalStateException("Model '" + model.name() + "' is not built yet: build it (call it on data or "
          + "give it an input) before loading weights from " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such weights file");
    }
    try (HdfFile h5 = new HdfFile(file)) {
      load(weightsGroup(h5, file), model, byName, skipMismatch, file);
    } catch (HdfException e) {
      throw new IOException("Could not read " + file + " as an HDF5 file: " + e.getMessage(), e);
    }
  }

  /** Plans the whole load (every check), then reads and assigns the weights in batches of at most 16M values. */
  private static void load(Group group, Model model, boolean byName, boolean skipMismatch, Path file)
      throws IOException {
    List<Assignment> plan = byName ? planByName(group, model, skipMismatch, file)
        : planByOrder(group, model, skipMismatch, file);
    List<GraphVariable> variables = new ArrayList<>();
    List<FloatNdArray> values = new ArrayList<>();
    long pending = 0;
    for (Assignment a : plan) {
      variables.add(a.variable);
      values.add(H5Values.read(a.dataset, file));
      pending += a.variable.size();
      if (pending >= (1L << 24)) {
        model.runtime().assign(variables, values);
        variables.clear();
        values.clear();
        pending = 0;
      }
    }
    model.runtime().assign(variables, values);
  }

  /**
   * Loads a whole model from a legacy {@code .h5} file, as Keras's {@code keras.models.load_model("x.h5")}; see
   * {@link #loadModel(Path, CustomObjects, boolean)}.
   */
  public static Model loadModel(Path file) throws IOException {
    return loadModel(file, null, true);
  }

  /**
   * Loads a whole model from a legacy {@code .h5} file written by Keras's {@code model.save("x.h5")}, as Keras's
   * {@code load_model_from_hdf5}: the architecture from the root attribute {@code model_config} (rebuilt as
   * {@link io.github.keras4j.models.Models#load} rebuilds a {@code .keras} file's config), the weights from the {@code model_weights} group by
   * order, and with {@code compile} the loss, metrics and optimizer from {@code training_config}. Without a
   * {@code training_config} the model is returned uncompiled, with Keras's warning.
   *
   * <p>Java differences from Keras: the optimizer's saved state ({@code optimizer_weights}) is not restored, so
   * training resumes with fresh optimizer slots; {@code weighted_metrics} and nested per-output metrics of the
   * training config are not read.
   *
   * @param customObjects the custom classes the model uses; null for none
   * @param compile whether to compile the model from its training config
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when it is not a readable Keras HDF5 model file (no {@code model_config}, Keras's "No model
   *     config found in the file at ...")
   * @throws IllegalArgumentException when the config uses a class that is not built in, or the weights do not fit it
   */
  public static Model loadModel(Path file, CustomObjects customObjects, boolean compile) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such model file");
    }
    CustomObjects custom = customObjects == null ? new CustomObjects() : customObjects;
    try (HdfFile h5 = new HdfFile(file)) {
      String modelConfig = H5Values.stringAttribute(h5, "model_config");
      if (modelConfig == null) {
        throw new IOException("No model config found in the file at " + file + ".");
      }
      Model model;
      try {
        model = ModelConfig.deserialize(Json.parseObject(modelConfig, "model_config of " + file), custom);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Cannot load model from " + file + ": " + e.getMessage(), e);
      }
      boolean done = false;
      try {
        load(weightsGroup(h5, file), model, false, false, file);
        String trainingConfig = compile ? H5Values.stringAttribute(h5, "training_config") : null;
        if (compile && trainingConfig == null) {
          LOG.log(System.Logger.Level.WARNING, "No training configuration found in the save file, so the model was "
              + "*not* compiled. Compile it manually.");
        } else if (trainingConfig != null) {
          try {
            model.compile(compileOptions(Json.parseObject(trainingConfig, "training_config of " + file), custom));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot load model from " + file + ": its training config cannot be "
                + "rebuilt: " + e.getMessage() + " (load with compile=false to get the model without it)", e);
          }
        }
        done = true;
        return model;
      } finally {
        if (!done) {
          model.close();
        }
      }
    } catch (HdfException e) {
      throw new IOException("Could not read " + file + " as an HDF5 file: " + e.getMessage(), e);
    }
  }

  /** Keras's {@code compile_args_from_training_config}: optimizer, loss (one or per output), loss weights, metrics. */
  private static CompileOptions compileOptions(Map<String, Object> config, CustomObjects custom) {
    CompileOptions options = new CompileOptions();
    options.optimizer(TrainingSerialization.deserializeOptimizer(config.get("optimizer_config"), custom));
    Object loss = config.get("loss");
    if (loss instanceof List<?> list) {
      List<Loss> losses = new ArrayList<>();
      for (Object l : list) {
        losses.add(TrainingSerialization.deserializeLoss(l, custom));
      }
      options.losses(losses);
    } else {
      options.loss(TrainingSerialization.deserializeLoss(loss, custom));
    }
    if (config.get("loss_weights") instanceof List<?> weights) {
      List<Double> w = new ArrayList<>();
      for (Object x : weights) {
        if (!(x instanceof Number n)) {
          throw new IllegalArgumentException("training_config: loss_weights must be numbers, found " + x);
        }
        w.add(n.doubleValue());
      }
      options.lossWeights(w);
    }
    if (config.get("metrics") instanceof List<?> metrics) {
      List<Object> rebuilt = new ArrayList<>();
      for (Object m : metrics) {
        rebuilt.add(TrainingSerialization.deserializeMetric(m, custom));
      }
      options.metrics(rebuilt.toArray());
    }
    return options;
  }

  /**
   * Writes the model's weights to a legacy {@code .h5} weights file, the layout of Keras's
   * {@code save_weights_to_hdf5_group} (what Keras 2's {@code save_weights("x.h5")} wrote, and the
   * {@code model_weights} group of {@code model.save("x.h5")}): root attributes {@code layer_names} (the layers in
   * Keras's order), {@code backend} and {@code keras_version}, and a group per layer with its {@code weight_names} and
   * one float32 dataset per weight, in the legacy order. Keras 3 reads it with {@code model.load_weights("x.h5")}
   * (by order or by name), and Keras4J with {@link Model#loadWeights}. The file is written through a temporary file,
   * read back, and only then moved into place.
   *
   * <p>Java differences from Keras: Keras 3's {@code save_weights} refuses {@code .h5} names and writes
   * {@code .weights.h5} files only, so this is a static method rather than a {@code saveWeights} option. Only the
   * layers that have weights are listed and get a group (Keras lists every layer and writes empty groups and an empty
   * {@code top_level_model_weights} group, which its loaders skip; jhdf 0.13 corrupts the file when a group without
   * datasets is written last). The {@code backend} attribute is {@code "tensorflow"} and {@code keras_version} is
   * {@code "3"}; weight names are {@code <layer>/<weight>} ({@code lstm/kernel} where Keras 3 writes
   * {@code lstm/lstm_cell/kernel}), which loading by order or by layer name does not look at.
   *
   * @param file the file, whose name should end in {@code .h5} or {@code .hdf5} (not {@code .weights.h5}) for
   *     {@link Model#loadWeights} to read it back
   * @throws IOException when the file cannot be written
   */
  public static void saveWeights(Model model, Path file) throws IOException {
    List<Layer> layers = new ArrayList<>();
    Map<Layer, List<Layer.Weight>> weights = new HashMap<>();
    List<GraphVariable> all = new ArrayList<>();
    for (Layer layer : model.layers()) {
      List<Layer.Weight> w = legacyWeights(layer);
      if (!w.isEmpty()) {
        layers.add(layer);
        weights.put(layer, w);
        w.forEach(x -> all.add(x.variable()));
      }
    }
    List<FloatNdArray> values = model.runtime().read(all);
    Map<GraphVariable, FloatNdArray> byVariable = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      byVariable.put(all.get(i), values.get(i));
    }
    AtomicFile.write(file.toAbsolutePath(), tmp -> {
      try {
        try (WritableHdfFile h5 = HdfFile.write(tmp)) {
          h5.putAttribute("layer_names", layers.stream().map(Layer::name).toArray(String[]::new));
          h5.putAttribute("backend", "tensorflow");
          h5.putAttribute("keras_version", "3");
          for (Layer layer : layers) {
            WritableGroup g = h5.putGroup(layer.name());
            List<Layer.Weight> w = weights.get(layer);
            String[] names = new String[w.size()];
            for (int i = 0; i < w.size(); i++) {
              names[i] = weightPath(layer, w.get(i));
              H5Values.putDataset(g, names[i], byVariable.get(w.get(i).variable()));
            }
            g.putAttribute("weight_names", names);
          }
        }
        // Read the file back: a writer bug shows here rather than when the file is loaded.
        try (HdfFile check = new HdfFile(tmp)) {
          for (Layer layer : layers) {
            savedLayer(check, layer.name(), file);
          }
        }
      } catch (HdfException e) {
        throw new IOException("Could not write " + file + " as an HDF5 file: " + e.getMessage(), e);
      }
    });
  }

  // ------------------------------------------------------------------ Keras's orders

  /**
   * A layer's weights in Keras's legacy order ({@code _legacy_weights}: {@code trainable_weights} then
   * {@code non_trainable_weights}). For a nested model, the weights of its layers in Keras's order, the trainable ones
   * of them first; a frozen layer's weights all count as non-trainable, so they keep their own order.
   */
  public static List<Layer.Weight> legacyWeights(Layer layer) {
    return LegacyWeightOrder.legacyWeights(layer);
  }

  // ------------------------------------------------------------------ planning the load

  /** One weight to assign from one dataset. */
  private record Assignment(GraphVariable variable, Dataset dataset) {}

  /** A layer group of the file: its name and its weights' datasets, in the listed order. */
  private record SavedLayer(String name, List<Dataset> datasets) {}

  private static List<Assignment> planByOrder(Group group, Model model, boolean skipMismatch, Path file)
      throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (Layer layer : model.layers()) {
      if (!legacyWeights(layer).isEmpty()) {
        layers.add(layer);
      }
    }
    List<SavedLayer> saved = new ArrayList<>();
    for (String name : H5Values.strings(group, "layer_names")) {
      SavedLayer s = savedLayer(group, name, file);
      if (!s.datasets.isEmpty()) {
        saved.add(s);
      }
    }
    if (saved.size() != layers.size()) {
      throw new IllegalArgumentException("Layer count mismatch when loading weights from file. Model expected "
          + layers.size() + " layers, found " + saved.size() + " saved layers. (File: " + file + ")");
    }
    List<Assignment> plan = new ArrayList<>();
    for (int k = 0; k < layers.size(); k++) {
      Layer layer = layers.get(k);
      SavedLayer s = saved.get(k);
      List<Layer.Weight> weights = legacyWeights(layer);
      if (weights.size() != s.datasets.size()) {
        throw new IllegalArgumentException("Weight count mismatch for layer #" + k + " (named " + layer.name()
            + " in the current model, " + s.name + " in the save file). Layer expects " + weights.size()
            + " weight(s). Received " + s.datasets.size() + " saved weight(s)");
      }
      match(layer, weights, s.datasets, "layer #" + k + " (named " + layer.name() + ")", skipMismatch, plan);
    }
    checkTopLevel(group, file, false);
    return plan;
  }

  private static List<Assignment> planByName(Group group, Model model, boolean skipMismatch, Path file)
      throws IOException {
    Map<String, Layer> index = new HashMap<>();
    for (Layer layer : model.layers()) {
      index.putIfAbsent(layer.name(), layer);
    }
    List<Assignment> plan = new ArrayList<>();
    List<String> names = H5Values.strings(group, "layer_names");
    for (int k = 0; k < names.size(); k++) {
      Layer layer = index.get(names.get(k));
      if (layer == null) {
        continue;
      }
      SavedLayer s = savedLayer(group, names.get(k), file);
      List<Layer.Weight> weights = legacyWeights(layer);
      if (weights.size() != s.datasets.size()) {
        String message = "Weight count mismatch for layer #" + k + " (named " + layer.name() + "). Layer expects "
            + weights.size() + " weight(s). Received " + s.datasets.size() + " saved weight(s)";
        if (skipMismatch) {
          LOG.log(System.Logger.Level.WARNING, "Skipping loading of weights for layer #" + k + " (named "
              + layer.name() + ") due to mismatch in number of weights. Layer expects " + weights.size()
              + " weight(s). Received " + s.datasets.size() + " saved weight(s)");
          continue;
        }
        throw new IllegalArgumentException(message);
      }
      match(layer, weights, s.datasets, "layer #" + k + " (named " + layer.name() + ")", skipMismatch, plan);
    }
    checkTopLevel(group, file, skipMismatch);
    return plan;
  }

  /** Keras's {@code _set_weights}: each dataset to its weight, shapes checked (skipped with a warning if asked). */
  private static void match(Layer layer, List<Layer.Weight> weights, List<Dataset> datasets, String what,
      boolean skipMismatch, List<Assignment> plan) {
    for (int i = 0; i < datasets.size(); i++) {
      Layer.Weight w = weights.get(i);
      long[] expected = w.variable().shape().asArray();
      long[] received = datasets.get(i).getDimensionsAsLong();
      if (!Arrays.equals(expected, received)) {
        String detail = "for weight " + weightPath(layer, w) + ". Weight expects shape " + Shapes.format(expected)
            + ". Received saved weight with shape " + Shapes.format(received);
        if (skipMismatch) {
          LOG.log(System.Logger.Level.WARNING, "Skipping loading weights for " + what + " due to mismatch in shape "
              + detail);
          continue;
        }
        throw new IllegalArgumentException("Shape mismatch in " + what + " " + detail);
      }
      plan.add(new Assignment(w.variable(), datasets.get(i)));
    }
  }

  /** Keras4J models have no top-level weights: a file with some does not fit (Keras's message). */
  private static void checkTopLevel(Group group, Path file, boolean skipMismatch) throws IOException {
    Node top = group.getChild(TOP_LEVEL);
    if (!(top instanceof Group g)) {
      return;
    }
    int n = H5Values.strings(g, "weight_names").size();
    if (n == 0) {
      return;
    }
    String message = "Weight count mismatch for top-level weights when loading weights from file. Model expects 0 "
        + "top-level weight(s). Received " + n + " saved top-level weight(s) (File: " + file + ")";
    if (skipMismatch) {
      LOG.log(System.Logger.Level.WARNING, "Skipping loading top-level weights for model due to mismatch in number "
          + "of weights. " + message);
      return;
    }
    throw new IllegalArgumentException(message);
  }

  // ------------------------------------------------------------------ reading the file

  /** The root, or {@code model_weights} when the root has no {@code layer_names} (a whole-model file). */
  private static Group weightsGroup(HdfFile h5, Path file) throws IOException {
    if (h5.getAttribute("layer_names") != null || h5.getAttribute("layer_names0") != null) {
      return h5;
    }
    Node child = h5.getChild("model_weights");
    if (child instanceof Group g) {
      return g;
    }
    throw new IOException(file + " is not a Keras legacy HDF5 weights file: its root has no attribute 'layer_names' "
        + "and no group 'model_weights'. (A Keras 3 weights file is named *.weights.h5; a Keras4J one "
        + "*.weights.bin.)");
  }

  private static SavedLayer savedLayer(Group group, String name, Path file) throws IOException {
    Node node = group.getChild(name);
    if (!(node instanceof Group layerGroup)) {
      throw new IOException("Group " + name + " not found in " + file + " (it is listed in 'layer_names')");
    }
    List<Dataset> datasets = new ArrayList<>();
    for (String weightName : H5Values.strings(layerGroup, "weight_names")) {
      Node d;
      try {
        d = layerGroup.getByPath(weightName);
      } catch (HdfException e) {
        d = null;
      }
      if (!(d instanceof Dataset dataset)) {
        throw new IOException("Dataset " + weightName + " of layer " + name + " not found in " + file
            + " (it is listed in 'weight_names')");
      }
      datasets.add(dataset);
    }
    return new SavedLayer(name, datasets);
  }

  // ------------------------------------------------------------------ writing

  private static String weightPath(Layer layer, Layer.Weight w) {
    String name = w.variable().name();
    return name.startsWith(layer.name() + "/") || layer instanceof NestedModel ? name
        : layer.name() + "/" + w.name();
  }
}
