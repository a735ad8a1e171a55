package io.github.keras4j.models;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.metrics.Metric;
import io.github.keras4j.saving.Config;
import io.github.keras4j.saving.CustomObjects;
import io.github.keras4j.saving.H5Reader;
import io.github.keras4j.saving.H5Writer;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.KerasModules;
import io.github.keras4j.saving.LayerRegistry;
import io.github.keras4j.saving.ModelArchive;
import io.github.keras4j.saving.ModelConfig;
import io.github.keras4j.saving.TrainingSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Loads whole models saved by {@link Model#save}, as Keras's {@code keras.models.load_model} (and
 * {@code keras.saving.load_model}), and copies a model's architecture with fresh weights, as Keras's
 * {@code keras.models.clone_model} ({@link #cloneModel(Model)}).
 *
 * <pre>{@code
 * model.save(Path.of("model.keras"));
 * try (Model restored = Models.load(Path.of("model.keras"))) {
 *   FloatNdArray y = restored.predict(x);   // bit-identical to model.predict(x)
 * }
 * }</pre>
 *
 * <h2>The file</h2>
 * A zip archive like Keras's {@code .keras} file, with three entries:
 * <ul>
 *   <li>{@code config.json}: the architecture in Keras's form ({@code {"class_name": "Sequential" or "Functional",
 *       "config": {...}}}: every layer's {@code class_name} and {@code config}, and for functional models each
 *       layer's {@code inbound_nodes} and the model's {@code input_layers} and {@code output_layers}; see
 *       {@link ModelConfig}), plus {@code compile_config} when the model was compiled (the optimizer's class and
 *       config with its learning rate, the loss(es), loss weights and metrics);
 *   <li>{@code metadata.json}: {@code keras_version}, {@code keras4j_version}, {@code format_version},
 *       {@code date_saved};
 *   <li>{@code model.weights.h5}: every weight and, once the model is compiled, the optimizer's state (step
 *       counter, learning rate, slots), in Keras 3's HDF5 layout ({@link H5WeightsFile}).
 * </ul>
 * Python Keras 3 opens these files ({@code keras.saving.load_model}) when every layer is one Keras has, and Keras4J
 * opens Keras 3's (config, metadata and HDF5 weights). Files written by earlier Keras4J versions, whose weights entry
 * is {@code model.weights.bin} ({@link WeightsFile}), still load.
 *
 * <p>Loading rebuilds each layer from its config (built-in layers by class name, others through
 * {@link CustomObjects}), reconnects the graph, compiles the model as it was compiled, creates the optimizer's
 * state and restores every weight and the optimizer's state, so the loaded model predicts exactly what the saved
 * one did and its next training step is the one the saved model would have taken. The loaded model lives in the
 * current session's graph and shares nothing with the model that was saved.
 *
 * <p>Java differences from Keras: custom classes are given to each load ({@link CustomObjects}), there is no global
 * registry; a {@code Lambda} layer's function is not saved; {@code metadata.json} also holds
 * {@code keras4j_version} and {@code format_version}.
 */
public final class Models {

  /** The file name ending {@link Model#save} requires, as Keras requires {@code .keras}. */
  public static final String EXTENSION = ".keras";

  /** The version of the saved-model format written by this class. */
  public static final int FORMAT_VERSION = 1;

  private Models() {}

  /**
   * Loads a model saved by {@link Model#save}, compiled as it was saved.
   *
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   * @throws IOException when the file is truncated, corrupt or not a saved model (the message names the file and
   *     the problem)
   * @throws IllegalArgumentException when the model uses a class that is not built in (the message names it and
   *     says how to register it) or a config that cannot be rebuilt
   */
  public static Model load(Path file) throws IOException {
    return load(file, new CustomObjects(), true);
  }

  /** Loads a model that uses custom classes, given with their factories. */
  public static Model load(Path file, CustomObjects customObjects) throws IOException {
    return load(file, customObjects, true);
  }

  /**
   * Loads a model that uses custom layers, given by class as Keras's {@code custom_objects={"Scale": Scale}}: each
   * class needs a public static {@code fromConfig(Config)} or {@code fromConfig(Map<String, Object>)}.
   */
  public static Model load(Path file, Map<String, Class<? extends Layer>> customLayers) throws IOException {
    return load(file, CustomObjects.of(customLayers), true);
  }

  /**
   * The general form.
   *
   * @param customObjects the custom classes the model uses; null for none
   * @param compile whether to compile the model as it was saved and restore its optimizer's state (Keras's
   *     {@code compile=True}); without it the model is returned uncompiled with its weights
   */
  public static Model load(Path file, CustomObjects customObjects, boolean compile) throws IOException {
    if (io.github.keras4j.saving.LegacyH5.isLegacyH5(file)) {
      return io.github.keras4j.saving.LegacyH5.loadModel(file, customObjects, compile);
    }
    CustomObjects custom = customObjects == null ? new CustomObjects() : customObjects;
    try (ModelArchive.Reader archive = ModelArchive.open(file)) {
      checkMetadata(archive);
      Map<String, Object> config = parse(archive, ModelArchive.CONFIG);
      String where = "Cannot load model from " + file + ": ";
      Model model;
      try {
        model = ModelConfig.deserialize(config, custom);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
      boolean done = false;
      try {
        // Keras's HDF5 entry, or the binary entry of files saved by earlier Keras4J versions.
        boolean legacy = !archive.has(ModelArchive.WEIGHTS) && archive.has(ModelArchive.LEGACY_WEIGHTS);
        String entry = legacy ? ModelArchive.LEGACY_WEIGHTS : ModelArchive.WEIGHTS;
        String source = "Weights entry '" + entry + "' of model file " + file;
        WeightsFile.Contents contents = null;
        H5Reader h5 = null;
        if (legacy) {
          try (InputStream in = archive.stream(entry)) {
            contents = WeightsFile.read(in, archive.size(entry), source);
          }
        } else {
          h5 = H5Reader.open(archive.bytes(entry), source);
        }
        try {
          loadWeights(model, config, custom, compile, where, contents, h5, source);
        } finally {
          if (h5 != null) {
            h5.close();
          }
        }
        done = true;
        return model;
      } finally {
        if (!done) {
          model.close();
        }
      }
    }
  }

  /**
   * Compiles the loaded model as saved (when asked), creates its optimizer's state when the file has some, then loads
   * the weights: from the HDF5 entry {@code h5}, or from the {@code contents} of a legacy binary entry.
   */
  private static void loadWeights(Model model, Map<String, Object> config, CustomObjects custom, boolean compile,
      String where, WeightsFile.Contents contents, H5Reader h5, String source) throws IOException {
    Object compileConfig = config.get("compile_config");
    if (compile && compileConfig != null) {
      try {
        model.compile(compileOptions(compileConfig, custom));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "its compile config cannot be rebuilt: " + e.getMessage()
            + " (load with compile=false to get the model without it)", e);
      }
      if (h5 != null ? H5WeightsFile.hasOptimizerState(h5) : !contents.optimizerName().isEmpty()) {
        buildOptimizerState(model);
      }
    }
    if (h5 != null) {
      H5WeightsFile.load(model, h5);
    } else {
      WeightsFile.load(model, contents, source);
    }
  }

  // ------------------------------------------------------------------ cloning

  /**
   * Keras's {@code keras.models.clone_model(model)}: a new model of the same architecture with freshly initialised
   * weights. Every layer is rebuilt from its config as {@link #load} rebuilds a saved model ({@link ModelConfig}), so
   * the clone shares no layer and no weight with {@code model}, and its weights are not copied: they are drawn again
   * by the layers' initializers (an initializer given a fixed {@code seed} draws the same values again, as in Keras).
   * Copy them with {@code clone.setWeights(model.getWeights())} if you want them.
   *
   * <p>A {@link Sequential} model gives a Sequential clone (without an input it stays unbuilt, to be built by its
   * first data or {@link Sequential#build}), any other model a functional {@link Model} of the same inputs, layers and
   * outputs; a model nested as a layer is cloned with it, with fresh weights too. The clone has the model's name and
   * its layers the layers' names, as in Keras; it lives in the current session's graph ({@code Backend}) and is
   * closed on its own. As in Keras 3, a compiled model gives a clone compiled from its compile config: a new optimizer
   * of the same class and settings, with fresh state, and the same losses and metrics.
   *
   * <pre>{@code
   * try (Model copy = Models.cloneModel(model)) {
   *   copy.setWeights(model.getWeights());   // now predicts exactly as model
   * }
   * }</pre>
   *
   * <p>Java differences from Keras: there are no {@code input_tensors}, {@code clone_function}, {@code call_function}
   * or {@code recursive} arguments (nested models are always cloned from their configs, as Keras's default
   * {@code clone_function} does); a subclass of Model other than Sequential is cloned as a functional model of its
   * graph, as {@link ModelConfig} saves it.
   *
   * @throws IllegalArgumentException when the model cannot be rebuilt from its config: a layer of a custom class
   *     (use {@link #cloneModel(Model, CustomObjects)}), a Lambda layer, or a loss or metric of the compile config
   *     that cannot be rebuilt (the message names it and says how to register it)
   */
  public static Model cloneModel(Model model) {
    return cloneModel(model, new CustomObjects());
  }

  /**
   * {@link #cloneModel(Model)} for a model with custom layers (or a compile config with custom losses, metrics or
   * optimizers): their classes are rebuilt by the factories of {@code customObjects}, as {@link #load(Path,
   * CustomObjects)} rebuilds them.
   *
   * @param customObjects the custom classes the model uses; null for none
   */
  public static Model cloneModel(Model model, CustomObjects customObjects) {
    if (model == null) {
      throw new IllegalArgumentException("cloneModel: expected a Model instance. Received: model=null");
    }
    CustomObjects custom = customObjects == null ? new CustomObjects() : customObjects;
    String where = "Cannot clone model '" + model.name() + "': ";
    Model clone;
    try {
      if (model instanceof Sequential sequential && !sequential.isBuilt()) {
        // No input yet, so no model config (it starts with the InputLayer): the layers one by one, as Keras does.
        List<Layer> layers = new ArrayList<>();
        for (Layer layer : sequential.layers()) {
          String source = "the config of layer '" + layer.name() + "'";
          layers.add(LayerRegistry.deserialize(Json.parse(Json.write(LayerRegistry.serialize(layer)), source), custom));
        }
        clone = new Sequential(sequential.name(), layers);
      } else {
        // Through JSON, so that the config is read exactly as load reads a saved one.
        String source = "the config of model '" + model.name() + "'";
        clone = ModelConfig.deserialize(Json.parseObject(Json.write(ModelConfig.serialize(model)), source), custom);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
    if (model.isCompiled()) {
      try {
        Object compileConfig = Json.parse(Json.write(compileConfig(model.compileOptions())), "compile_config");
        clone.compile(compileOptions(compileConfig, custom));
      } catch (IllegalArgumentException e) {
        clone.close();
        throw new IllegalArgumentException(where + "its compile config cannot be rebuilt: " + e.getMessage(), e);
      }
    }
    return clone;
  }

  private static Map<String, Object> parse(ModelArchive.Reader archive, String entry) throws IOException {
    String text = archive.text(entry);
    try {
      return Json.parseObject(text, "entry '" + entry + "' of model file " + archive.file());
    } catch (IllegalArgumentException e) {
      throw new IOException("Model file " + archive.file() + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static void checkMetadata(ModelArchive.Reader archive) throws IOException {
    if (!archive.has(ModelArchive.METADATA)) {
      return; // Keras requires none; the config and weights are checked on their own
    }
    Object version = parse(archive, ModelArchive.METADATA).get("format_version");
    if (version instanceof Number n && n.longValue() > FORMAT_VERSION) {
      throw new IOException("Model file " + archive.file() + " has format version " + n + ", newer than this "
          + "Keras4J reads (" + FORMAT_VERSION + "): load it with a newer Keras4J");
    }
  }

  /**
   * Creates the optimizer's variables (slots, learning rate, step counter) for the model's trainable weights, as
   * Keras's {@code optimizer.build(model.trainable_variables)} before loading its state: by building (never
   * running) an update with zero gradients. The first training step then reuses them.
   */
  private static void buildOptimizerState(Model model) {
    GraphRuntime rt = model.runtime();
    List<GraphVariable> vars = model.trainableVariables();
    Ops tf = rt.scope(model.name() + "/restore_optimizer");
    List<Operand<TFloat32>> zeros = new ArrayList<>();
    for (GraphVariable v : vars) {
      zeros.add(tf.zerosLike(v.value()));
    }
    model.getOptimizer().applyGradients(rt, vars, zeros, List.of());
  }

  // ------------------------------------------------------------------ saving

  /** Writes the model to {@code file}; see {@link Model#save}. */
  static void save(Model model, Path file) throws IOException {
    model.checkBuilt("save()");
    if (!file.getFileName().toString().endsWith(EXTENSION)) {
      throw new IllegalArgumentException("The filename must end in `" + EXTENSION + "`. Received: filepath=" + file
          + " (use saveWeights for a " + H5WeightsFile.EXTENSION + " file)");
    }
    Map<String, Object> config = ModelConfig.serialize(model);
    if (model.isCompiled()) {
      config.put("compile_config", compileConfig(model.compileOptions()));
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("keras_version", "3 (Keras4J)");
    String version = Models.class.getPackage().getImplementationVersion();
    metadata.put("keras4j_version", version == null ? "unknown" : version);
    metadata.put("format_version", FORMAT_VERSION);
    metadata.put("date_saved", Instant.now().toString());
    KerasModules.annotate(config);
    byte[] configBytes = Json.write(config).getBytes(StandardCharsets.UTF_8);
    byte[] metadataBytes = Json.write(metadata).getBytes(StandardCharsets.UTF_8);
    H5Writer weights = H5WeightsFile.snapshot(model);
    Map<String, ModelArchive.EntryWriter> entries = new LinkedHashMap<>();
    entries.put(ModelArchive.METADATA, out -> out.write(metadataBytes));
    entries.put(ModelArchive.CONFIG, out -> out.write(configBytes));
    entries.put(ModelArchive.WEIGHTS, weights::write);
    ModelArchive.write(file, entries);
  }

  /** Keras's {@code compile_config}: optimizer, loss, loss_weights, metrics (and Keras4J's output_metrics). */
  private static Map<String, Object> compileConfig(CompileOptions c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("optimizer", TrainingSerialization.serializeOptimizer(c.optimizer));
    List<Object> losses = new ArrayList<>();
    for (Loss l : c.losses) {
      losses.add(TrainingSerialization.serializeLoss(l));
    }
    out.put("loss", losses.size() == 1 ? losses.get(0) : losses);
    out.put("loss_weights", c.lossWeights);
    List<Object> metrics = new ArrayList<>();
    for (Object m : c.metrics) {
      metrics.add(TrainingSerialization.serializeMetric(m));
    }
    out.put("metrics", metrics);
    if (c.perOutputMetrics != null) {
      Map<String, Object> perOutput = new LinkedHashMap<>();
      c.perOutputMetrics.forEach((output, list) -> {
        List<Object> serialized = new ArrayList<>();
        list.forEach(m -> serialized.add(TrainingSerialization.serializeMetric(m)));
        perOutput.put(output, serialized);
      });
      out.put("output_metrics", perOutput);
    }
    return out;
  }

  /** The {@link CompileOptions} of a saved {@code compile_config}. */
  private static CompileOptions compileOptions(Object spec, CustomObjects custom) {
    if (!(spec instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("compile_config must be an object, found " + spec);
    }
    @SuppressWarnings("unchecked")
    Config c = new Config((Map<String, Object>) spec, "compile_config", custom);
    CompileOptions options = new CompileOptions();
    options.optimizer(TrainingSerialization.deserializeOptimizer(c.get("optimizer"), custom));
    Object loss = c.get("loss");
    if (loss instanceof List<?> list) {
      List<Loss> losses = new ArrayList<>();
      for (Object l : list) {
        losses.add(TrainingSerialization.deserializeLoss(l, custom));
      }
      options.losses(losses);
    } else {
      options.loss(TrainingSerialization.deserializeLoss(loss, custom));
    }
    if (c.has("loss_weights")) {
      List<Double> weights = new ArrayList<>();
      for (Object w : c.getList("loss_weights")) {
        if (!(w instanceof Number n)) {
          throw new IllegalArgumentException("compile_config: loss_weights must be numbers, found " + w);
        }
        weights.add(n.doubleValue());
      }
      options.lossWeights(weights);
    }
    if (c.has("metrics")) {
      for (Object m : c.getList("metrics")) {
        options.metrics(metric(m, custom));
      }
    }
    if (c.has("output_metrics")) {
      Map<String, List<Object>> perOutput = new LinkedHashMap<>();
      c.getMap("output_metrics").forEach((output, list) -> {
        List<Object> metrics = new ArrayList<>();
        if (list instanceof List<?> items) {
          items.forEach(m -> metrics.add(metric(m, custom)));
        }
        perOutput.put(output, metrics);
      });
      options.metrics(perOutput);
    }
    return options;
  }

  private static Object metric(Object spec, CustomObjects custom) {
    Object m = TrainingSerialization.deserializeMetric(spec, custom);
    if (!(m instanceof String) && !(m instanceof Metric)) {
      throw new IllegalArgumentException("compile_config: metric " + spec + " was rebuilt as a "
          + m.getClass().getName() + ", not a Metric");
    }
    return m;
  }
}
