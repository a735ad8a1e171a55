package io.github.keras4j.initializers;

import io.github.keras4j.graph.Shapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;

/**
 * Keras's built-in initializers by string id: {@code Initializers.get("glorot_uniform")}.
 *
 * <p>Ids are Keras's snake_case names; Keras's class names ({@code "GlorotUniform"}) are accepted too. Each call
 * returns a new, unseeded instance.
 */
public final class Initializers {

  /** Snake-case id to factory; sorted, so error messages list ids alphabetically. */
  private static final Map<String, Supplier<Initializer>> BY_ID = new TreeMap<>();
  /** Class name to factory. */
  private static final Map<String, Supplier<Initializer>> BY_CLASS_NAME = new TreeMap<>();

  static {
    register("constant", "Constant", Constant::new);
    register("glorot_normal", "GlorotNormal", GlorotNormal::new);
    register("glorot_uniform", "GlorotUniform", GlorotUniform::new);
    register("he_normal", "HeNormal", HeNormal::new);
    register("he_uniform", "HeUniform", HeUniform::new);
    register("lecun_normal", "LecunNormal", LecunNormal::new);
    register("lecun_uniform", "LecunUniform", LecunUniform::new);
    register("ones", "Ones", Ones::new);
    register("orthogonal", "Orthogonal", Orthogonal::new);
    register("random_normal", "RandomNormal", RandomNormal::new);
    register("random_uniform", "RandomUniform", RandomUniform::new);
    register("stft", "STFT", STFT::new);
    register("truncated_normal", "TruncatedNormal", TruncatedNormal::new);
    register("variance_scaling", "VarianceScaling", VarianceScaling::new);
    register("zeros", "Zeros", Zeros::new);
    // Keras 3's short aliases (keras/src/initializers/__init__.py).
    BY_CLASS_NAME.put("uniform", RandomUniform::new);
    BY_CLASS_NAME.put("normal", RandomNormal::new);
    BY_CLASS_NAME.put("one", Ones::new);
    BY_CLASS_NAME.put("zero", Zeros::new);
    BY_CLASS_NAME.put("STFTInitializer", STFT::new);
  }

  private Initializers() {}

  private static void register(String id, String className, Supplier<Initializer> factory) {
    BY_ID.put(id, factory);
    BY_CLASS_NAME.put(className, factory);
  }

  /**
   * A new initializer with Keras's defaults for {@code id} ({@code "glorot_uniform"} or {@code "GlorotUniform"};
   * Keras's aliases {@code "uniform"}, {@code "normal"}, {@code "one"}, {@code "zero"}, {@code "STFTInitializer"}
   * also work).
   *
   * @throws IllegalArgumentException for an unknown or null id; the message lists the valid ids
   */
  public static Initializer get(String id) {
    Supplier<Initializer> factory = id == null ? null : BY_ID.getOrDefault(id, BY_CLASS_NAME.get(id));
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown initializer: " + (id == null ? "null" : "'" + id + "'") + ". Valid ids: "
              + String.join(", ", BY_ID.keySet()));
    }
    return factory.get();
  }

  /**
   * Keras's {@code keras.initializers.serialize}: {@code {"class_name": "GlorotUniform", "config": {"seed": null}}},
   * the form layers write into their configs. The class name is the Java class's simple name (Keras's names for the
   * built-ins).
   *
   * @return null for a null initializer
   */
  public static Map<String, Object> serialize(Initializer initializer) {
    if (initializer == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("class_name", initializer.getClass().getSimpleName());
    out.put("config", new LinkedHashMap<>(initializer.getConfig()));
    return out;
  }

  /** The class names {@link #deserialize} rebuilds, sorted. */
  public static List<String> classNames() {
    return List.copyOf(FROM_CONFIG.keySet());
  }

  /**
   * Keras's {@code keras.initializers.deserialize} for the built-in initializers: a string id
   * ({@code "he_normal"}, as {@link #get}) or the {@code {"class_name": ..., "config": ...}} form written by
   * {@link #serialize}. A missing config key takes Keras's default. Keras's compatibility class name
   * {@code "STFTInitializer"} reads as {@code "STFT"}.
   *
   * @return null for null
   * @throws IllegalArgumentException for an unknown class name (listing the known ones) or a config value of the
   *     wrong type
   */
  public static Initializer deserialize(Object spec) {
    if (spec == null) {
      return null;
    }
    if (spec instanceof String id) {
      return get(id);
    }
    if (!(spec instanceof Map<?, ?> map) || !(map.get("class_name") instanceof String className)) {
      throw new IllegalArgumentException("Could not interpret initializer: expected a string id or "
          + "{\"class_name\": ..., \"config\": {...}}. Received: " + spec);
    }
    Function<Map<?, ?>, Initializer> factory = FROM_CONFIG.get(
        "STFTInitializer".equals(className) ? "STFT" : className);
    if (factory == null) {
      throw new IllegalArgumentException("Unknown initializer class '" + className + "'. Built-in classes: "
          + String.join(", ", FROM_CONFIG.keySet()));
    }
    Object config = map.get("config");
    if (config != null && !(config instanceof Map)) {
      throw new IllegalArgumentException("Initializer '" + className + "': config must be a map. Received: " + config);
    }
    try {
      return factory.apply(config == null ? Map.of() : (Map<?, ?>) config);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("Initializer '" + className + "': a config value has the wrong type in "
          + config + " (" + e.getMessage() + ")", e);
    }
  }

  /** Class name to a factory from a config map; sorted. */
  private static final Map<String, Function<Map<?, ?>, Initializer>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("Constant", c -> new Constant(number(c, "value", 0.0)));
    FROM_CONFIG.put("Zeros", c -> new Zeros());
    FROM_CONFIG.put("Ones", c -> new Ones());
    FROM_CONFIG.put("GlorotNormal", c -> seed(c) == null ? new GlorotNormal() : new GlorotNormal(seed(c)));
    FROM_CONFIG.put("GlorotUniform", c -> seed(c) == null ? new GlorotUniform() : new GlorotUniform(seed(c)));
    FROM_CONFIG.put("HeNormal", c -> seed(c) == null ? new HeNormal() : new HeNormal(seed(c)));
    FROM_CONFIG.put("HeUniform", c -> seed(c) == null ? new HeUniform() : new HeUniform(seed(c)));
    FROM_CONFIG.put("LecunNormal", c -> seed(c) == null ? new LecunNormal() : new LecunNormal(seed(c)));
    FROM_CONFIG.put("LecunUniform", c -> seed(c) == null ? new LecunUniform() : new LecunUniform(seed(c)));
    FROM_CONFIG.put("Orthogonal", c -> {
      double gain = number(c, "gain", 1.0);
      return seed(c) == null ? new Orthogonal(gain) : new Orthogonal(gain, seed(c));
    });
    FROM_CONFIG.put("RandomNormal", c -> {
      double mean = number(c, "mean", 0.0);
      double stddev = number(c, "stddev", 0.05);
      return seed(c) == null ? new RandomNormal(mean, stddev) : new RandomNormal(mean, stddev, seed(c));
    });
    FROM_CONFIG.put("RandomUniform", c -> {
      double min = number(c, "minval", -0.05);
      double max = number(c, "maxval", 0.05);
      return seed(c) == null ? new RandomUniform(min, max) : new RandomUniform(min, max, seed(c));
    });
    FROM_CONFIG.put("TruncatedNormal", c -> {
      double mean = number(c, "mean", 0.0);
      double stddev = number(c, "stddev", 0.05);
      return seed(c) == null ? new TruncatedNormal(mean, stddev) : new TruncatedNormal(mean, stddev, seed(c));
    });
    FROM_CONFIG.put("STFT", c -> {
      String side = c.get("side") == null ? "real" : (String) c.get("side");
      // Absent keys take Keras's defaults; a null window or scaling means none.
      Object window = c.containsKey("window") ? c.get("window") : "hann";
      String scaling = c.containsKey("scaling") ? (String) c.get("scaling") : "density";
      boolean periodic = c.get("periodic") != null && (Boolean) c.get("periodic");
      if (window instanceof List<?> values) {
        double[] w = new double[values.size()];
        for (int i = 0; i < w.length; i++) {
          w[i] = ((Number) values.get(i)).doubleValue();
        }
        return STFT.withWindowValues(side, w, scaling, periodic);
      }
      return new STFT(side, (String) window, scaling, periodic);
    });
    FROM_CONFIG.put("VarianceScaling", c -> {
      double scale = number(c, "scale", 1.0);
      String mode = c.get("mode") == null ? "fan_in" : (String) c.get("mode");
      String distribution = c.get("distribution") == null ? "truncated_normal" : (String) c.get("distribution");
      return seed(c) == null ? new VarianceScaling(scale, mode, distribution)
          : new VarianceScaling(scale, mode, distribution, seed(c));
    });
  }

  private static double number(Map<?, ?> config, String key, double defaultValue) {
    Object v = config.get(key);
    return v == null ? defaultValue : ((Number) v).doubleValue();
  }

  private static Long seed(Map<?, ?> config) {
    Object v = config.get("seed");
    return v == null ? null : ((Number) v).longValue();
  }

  /** The shape as an int64 vector; {@code owner} names the initializer in the error for a partial shape. */
  static Operand<TInt64> shapeTensor(Ops tf, Shape shape, String owner) {
    if (shape == null || shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException(
          "Initializer '" + owner + "' needs a fully defined shape. Received: shape="
              + Shapes.format(shape));
    }
    return tf.constant(shape.asArray());
  }
}
