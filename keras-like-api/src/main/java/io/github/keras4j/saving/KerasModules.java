package io.github.keras4j.saving;

import java.util.List;
import java.util.Map;

/**
 * Adds to a config the {@code "module"} (and {@code "registered_name"}) keys Keras 3 writes beside each serialized
 * object's {@code class_name}: Python Keras looks built-in classes up by module ({@code keras.layers.Dense}), so a
 * {@code .keras} file without them does not load there. The module follows from where the object stands, as Keras's
 * {@code serialize_keras_object} gives it: {@code keras} for a Sequential model and a {@code DTypePolicy},
 * {@code keras.src.models.functional} for a functional one, {@code keras.layers} for layers (in {@code layers},
 * {@code layer}, {@code forward_layer}, {@code backward_layer}, {@code cell}, {@code cells}),
 * {@code keras.initializers}, {@code keras.regularizers} and {@code keras.constraints} for the {@code *_initializer},
 * {@code *_regularizer} and {@code *_constraint} arguments, {@code keras.optimizers} for optimizers,
 * {@code keras.optimizers.schedules} for a learning-rate schedule, {@code keras.losses} and {@code keras.metrics} in
 * the compile config. Keys already present are kept; objects elsewhere are left as they are.
 */
public final class KerasModules {

  private KerasModules() {}

  /** Annotates {@code json} (maps and lists as {@link Json} reads and writes them) in place. */
  public static void annotate(Object json) {
    annotate(json, "");
  }

  @SuppressWarnings("unchecked")
  private static void annotate(Object node, String key) {
    if (node instanceof Map<?, ?> raw) {
      Map<String, Object> map = (Map<String, Object>) raw;
      Object className = map.get("class_name");
      if (className instanceof String name && map.containsKey("config") && !map.containsKey("module")) {
        String module = module(key, name);
        if (module != null) {
          map.put("module", module);
          map.putIfAbsent("registered_name", name.equals("Functional") ? "Functional" : null);
        }
      }
      for (Map.Entry<String, Object> e : map.entrySet()) {
        annotate(e.getValue(), e.getKey());
      }
    } else if (node instanceof List<?> list) {
      for (Object item : list) {
        annotate(item, key);
      }
    }
  }

  private static String module(String key, String className) {
    if (className.equals("Sequential") || className.equals("DTypePolicy")) {
      return "keras";
    }
    if (className.equals("Functional")) {
      return "keras.src.models.functional";
    }
    if (key.endsWith("_initializer")) {
      return "keras.initializers";
    }
    if (key.endsWith("_regularizer")) {
      return "keras.regularizers";
    }
    if (key.endsWith("_constraint")) {
      return "keras.constraints";
    }
    return switch (key) {
      case "layers", "layer", "forward_layer", "backward_layer", "cell", "cells" -> "keras.layers";
      case "optimizer", "inner_optimizer", "optimizers" -> "keras.optimizers";
      case "learning_rate" -> "keras.optimizers.schedules";
      case "loss" -> "keras.losses";
      case "metrics", "weighted_metrics" -> "keras.metrics";
      default -> null;
    };
  }
}
