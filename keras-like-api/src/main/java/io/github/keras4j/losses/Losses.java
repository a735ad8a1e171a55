package io.github.keras4j.losses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.ndarray.Shape;

/**
 * Looks losses up by Keras's string ids ({@code keras.losses.get}).
 *
 * <p>Function ids ({@code mse}, {@code mean_squared_error}, {@code huber}) give a loss named after the id, as
 * Keras's {@code compile} does; class ids ({@code MeanSquaredError}, {@code Huber}) give the class's default
 * name. Every loss comes with its Keras defaults ({@code fromLogits=false}, {@code delta=1.0}).
 *
 * <pre>{@code
 * Loss loss = Losses.get("sparse_categorical_crossentropy");
 * }</pre>
 */
public final class Losses {

  private static final Map<String, Function<String, Loss>> BY_ID = new LinkedHashMap<>();
  /** Loss classes whose only setting is the name, by class name: their constructor from a name. */
  private static final Map<String, Function<String, Loss>> NAME_ONLY = new LinkedHashMap<>();
  /** Loss classes rebuilt from their whole config, by class name. */
  private static final Map<String, Function<Map<String, Object>, Loss>> FROM_CONFIG = new LinkedHashMap<>();

  static {
    function(MeanSquaredError::new, "mean_squared_error", "mse", "MSE");
    register("MeanSquaredError", id -> new MeanSquaredError());
    function(MeanAbsoluteError::new, "mean_absolute_error", "mae", "MAE");
    register("MeanAbsoluteError", id -> new MeanAbsoluteError());
    function(id -> new Huber(1.0f, id), "huber");
    register("Huber", id -> new Huber());
    function(id -> new BinaryCrossentropy(false, 0f, id), "binary_crossentropy", "bce", "BCE");
    register("BinaryCrossentropy", id -> new BinaryCrossentropy());
    function(id -> new CategoricalCrossentropy(false, 0f, id), "categorical_crossentropy");
    register("CategoricalCrossentropy", id -> new CategoricalCrossentropy());
    function(id -> new SparseCategoricalCrossentropy(false, id), "sparse_categorical_crossentropy");
    register("SparseCategoricalCrossentropy", id -> new SparseCategoricalCrossentropy());
    nameOnly("MeanAbsolutePercentageError", MeanAbsolutePercentageError::new, "mean_absolute_percentage_error",
        "mape", "MAPE");
    nameOnly("MeanSquaredLogarithmicError", MeanSquaredLogarithmicError::new, "mean_squared_logarithmic_error",
        "msle", "MSLE");
    nameOnly("LogCosh", LogCosh::new, "log_cosh");
    nameOnly("Poisson", Poisson::new, "poisson");
    nameOnly("KLDivergence", KLDivergence::new, "kl_divergence", "kld", "KLD");
    nameOnly("CosineSimilarity", CosineSimilarity::new, "cosine_similarity");
    nameOnly("Hinge", Hinge::new, "hinge");
    nameOnly("SquaredHinge", SquaredHinge::new, "squared_hinge");
    nameOnly("CTC", CTC::new, "ctc");
    nameOnly("CategoricalHinge", CategoricalHinge::new, "categorical_hinge");
    function(id -> BinaryFocalCrossentropy.builder().name(id).build(), "binary_focal_crossentropy");
    register("BinaryFocalCrossentropy", id -> new BinaryFocalCrossentropy());
    function(id -> CategoricalFocalCrossentropy.builder().name(id).build(), "categorical_focal_crossentropy");
    register("CategoricalFocalCrossentropy", id -> new CategoricalFocalCrossentropy());
    function(id -> new Dice(null, id), "dice");
    register("Dice", id -> new Dice());
    function(id -> new Tversky(0.5f, 0.5f, null, id), "tversky");
    register("Tversky", id -> new Tversky());
    function(id -> new Circle(80f, 0.4f, true, id), "circle");
    register("Circle", id -> new Circle());
    function(id -> new CategoricalGeneralizedCrossEntropy(0.5f, id), "categorical_generalized_cross_entropy");
    register("CategoricalGeneralizedCrossEntropy", id -> new CategoricalGeneralizedCrossEntropy());
    FROM_CONFIG.put("BinaryFocalCrossentropy", BinaryFocalCrossentropy::fromConfig);
    FROM_CONFIG.put("CategoricalFocalCrossentropy", CategoricalFocalCrossentropy::fromConfig);
    FROM_CONFIG.put("Dice", Dice::fromConfig);
    FROM_CONFIG.put("Tversky", Tversky::fromConfig);
    FROM_CONFIG.put("Circle", Circle::fromConfig);
    FROM_CONFIG.put("CategoricalGeneralizedCrossEntropy", CategoricalGeneralizedCrossEntropy::fromConfig);
    NAME_ONLY.put("MeanSquaredError", MeanSquaredError::new);
    NAME_ONLY.put("MeanAbsoluteError", MeanAbsoluteError::new);
  }

  private Losses() {}

  private static void function(Function<String, Loss> factory, String... ids) {
    for (String id : ids) {
      register(id, factory);
    }
  }

  /**
   * A loss class whose only setting is its name: its function ids (the loss named after the id), its class name
   * (the default name), and its entry for {@link #ofClass}.
   */
  private static void nameOnly(String className, Function<String, Loss> constructor, String... functionIds) {
    function(constructor, functionIds);
    register(className, id -> constructor.apply(functionIds[0]));
    NAME_ONLY.put(className, constructor);
  }

  /**
   * A loss of a built-in class whose only setting is its name ({@code LogCosh}, {@code Hinge}, ...), named
   * {@code name}, as a saved compile config rebuilds it; null for another class.
   */
  public static Loss ofClass(String className, String name) {
    Function<String, Loss> constructor = NAME_ONLY.get(className);
    if (constructor == null) {
      return null;
    }
    return name == null ? BY_ID.get(className).apply(className) : constructor.apply(name);
  }

  /**
   * A loss of a built-in class rebuilt from its config, as Keras's {@code from_config}: the classes with settings
   * besides their name ({@code BinaryFocalCrossentropy}, {@code CategoricalFocalCrossentropy}, {@code Dice},
   * {@code Tversky}, {@code Circle}, {@code CategoricalGeneralizedCrossEntropy}) by their own {@code fromConfig},
   * and those whose only setting is the name as
   * {@link #ofClass}. Null for another class. {@link io.github.keras4j.metrics.Metrics#fromConfig} is the same for
   * metrics.
   *
   * @param className the saved class name ({@code "Dice"})
   * @param config the config as {@link Loss#getConfig} (or Keras's {@code get_config}) writes it
   * @throws IllegalArgumentException for a bad entry of the config
   */
  public static Loss fromConfig(String className, Map<String, Object> config) {
    Function<Map<String, Object>, Loss> factory = FROM_CONFIG.get(className);
    if (factory != null) {
      return factory.apply(config);
    }
    Object name = config == null ? null : config.get("name");
    return ofClass(className, name instanceof String s ? s : null);
  }

  private static void register(String id, Function<String, Loss> factory) {
    BY_ID.put(id, factory);
  }

  /**
   * A new loss for a Keras id.
   *
   * @throws IllegalArgumentException for an unknown id, listing the valid ones
   */
  public static Loss get(String id) {
    Function<String, Loss> factory = id == null ? null : BY_ID.get(id);
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown loss: " + (id == null ? "null" : "'" + id + "'") + ". Valid ids: "
              + String.join(", ", BY_ID.keySet()));
    }
    return factory.apply(id);
  }

  /**
   * A new loss for a Keras id, where {@code "crossentropy"} and {@code "ce"} (any case) pick binary, sparse
   * categorical or categorical cross-entropy from the shapes of {@code y_true} and {@code y_pred}, as Keras 3's
   * {@code compile_utils.get_loss} does (see {@link LossUtils#targetKind}). Other ids are as in {@link #get(String)}.
   *
   * @param yTrueShape the labels' shape, such as {@code (None,)} or {@code (None, 1)}
   * @param yPredShape the model output's shape, such as {@code (None, 10)}
   */
  public static Loss get(String id, Shape yTrueShape, Shape yPredShape) {
    if (id == null) {
      return get(id);
    }
    String lower = id.toLowerCase(Locale.ROOT);
    if (!lower.equals("crossentropy") && !lower.equals("ce")) {
      return get(id);
    }
    switch (LossUtils.targetKind(yTrueShape, yPredShape)) {
      case BINARY:
        return new BinaryCrossentropy(false, 0f, id);
      case SPARSE_CATEGORICAL:
        return new SparseCategoricalCrossentropy(false, id);
      default:
        return new CategoricalCrossentropy(false, 0f, id);
    }
  }

  /** The ids accepted by {@link #get(String)}, in a stable order. */
  public static List<String> ids() {
    return List.copyOf(BY_ID.keySet());
  }
}
