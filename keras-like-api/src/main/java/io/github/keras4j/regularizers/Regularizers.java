package io.github.keras4j.regularizers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Regularizers by Keras's string ids, as {@code keras.regularizers.get}, and their (de)serialization. */
public final class Regularizers {

  private static final List<String> CLASS_NAMES = List.of("L1", "L1L2", "L2", "OrthogonalRegularizer");

  private Regularizers() {}

  /**
   * {@code "l1"} (0.01), {@code "l2"} (0.01), {@code "l1_l2"}, {@code "orthogonal_regularizer"} (0.01,
   * {@code "rows"}); Keras's class names work too; null gives null. As in Keras 3's code,
   * {@code "l1_l2"} is {@code L1L2()} with both factors 0 (its docstring says 0.01): give
   * {@code new L1L2(0.01, 0.01)} to get a penalty.
   */
  public static Regularizer get(String id) {
    if (id == null) {
      return null;
    }
    return switch (id) {
      case "l1", "L1" -> new L1();
      case "l2", "L2" -> new L2();
      case "l1_l2", "L1L2" -> new L1L2(0, 0);
      case "orthogonal_regularizer", "OrthogonalRegularizer" -> new OrthogonalRegularizer();
      default -> throw new IllegalArgumentException("Could not interpret regularizer identifier: '" + id
          + "'. Expected one of: l1, l2, l1_l2, orthogonal_regularizer");
    };
  }

  /**
   * Keras's {@code keras.regularizers.serialize}: {@code {"class_name": "L2", "config": {"l2": 0.01}}}, the form
   * layers write into their configs. The class name is the Java class's simple name (Keras's names for the
   * built-ins).
   *
   * @return null for a null regularizer
   */
  public static Map<String, Object> serialize(Regularizer regularizer) {
    if (regularizer == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("class_name", regularizer.getClass().getSimpleName());
    out.put("config", new LinkedHashMap<>(regularizer.getConfig()));
    return out;
  }

  /** The class names {@link #deserialize} rebuilds. */
  public static List<String> classNames() {
    return CLASS_NAMES;
  }

  /**
   * Keras's {@code keras.regularizers.deserialize} for the built-in regularizers: a string id (as {@link #get}) or
   * the {@code {"class_name": ..., "config": ...}} form written by {@link #serialize}. A missing factor takes
   * Keras's default (0.01 for {@code L1} and {@code L2}, 0 for {@code L1L2}; {@code factor=0.01, mode="rows"} for
   * {@code OrthogonalRegularizer}).
   *
   * @return null for null
   * @throws IllegalArgumentException for an unknown class name or a config value of the wrong type
   */
  public static Regularizer deserialize(Object spec) {
    if (spec == null) {
      return null;
    }
    if (spec instanceof String id) {
      return get(id);
    }
    if (!(spec instanceof Map<?, ?> map) || !(map.get("class_name") instanceof String className)) {
      throw new IllegalArgumentException("Could not interpret regularizer: expected a string id or "
          + "{\"class_name\": ..., \"config\": {...}}. Received: " + spec);
    }
    Map<?, ?> config = map.get("config") instanceof Map<?, ?> m ? m : Map.of();
    return switch (className) {
      case "L1" -> new L1(factor(config, "l1", 0.01, className));
      case "L2" -> new L2(factor(config, "l2", 0.01, className));
      case "L1L2" -> new L1L2(factor(config, "l1", 0.0, className), factor(config, "l2", 0.0, className));
      case "OrthogonalRegularizer" -> new OrthogonalRegularizer(factor(config, "factor", 0.01, className),
          mode(config, className));
      default -> throw new IllegalArgumentException("Unknown regularizer class '" + className + "'. Built-in "
          + "classes: " + String.join(", ", CLASS_NAMES));
    };
  }

  private static String mode(Map<?, ?> config, String className) {
    Object v = config.get("mode");
    if (v == null) {
      return "rows";
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("Regularizer '" + className + "': mode must be a string. Received: mode="
          + v);
    }
    return s;
  }

  private static double factor(Map<?, ?> config, String key, double defaultValue, String className) {
    Object v = config.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("Regularizer '" + className + "': " + key + " must be a number. Received: "
          + key + "=" + v);
    }
    return n.doubleValue();
  }
}
