package io.github.keras4j.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the config of a loss saved by {@link Loss#getConfig} (or by Keras's {@code get_config}), for the
 * {@code fromConfig} factories: absent or null keys take Keras's defaults, numbers may be of any Java number type
 * (as a JSON parser gives them), and a Keras {@code "reduction"} other than {@code "sum_over_batch_size"} (or its
 * synonym {@code "mean"}) is refused, since Keras4J's losses reduce only that way.
 */
final class LossConfig {

  private final String className;
  private final Map<String, Object> map;

  /**
   * A view of {@code map}.
   *
   * @throws IllegalArgumentException for a reduction Keras4J does not have
   */
  LossConfig(String className, Map<String, Object> map) {
    this.className = className;
    this.map = map;
    Object reduction = map.get("reduction");
    if (reduction != null && !"sum_over_batch_size".equals(reduction) && !"mean".equals(reduction)) {
      throw new IllegalArgumentException(className + ": Keras4J losses reduce with \"sum_over_batch_size\" only. "
          + "Received: reduction=" + reduction + ". Call loss.call(...) for the per-sample values (reduction=None) "
          + "and reduce them yourself.");
    }
  }

  String name(String defaultName) {
    Object v = map.get("name");
    return v == null ? defaultName : v.toString();
  }

  boolean getBoolean(String key, boolean defaultValue) {
    Object v = map.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrong(key, "true or false", v);
  }

  float getFloat(String key, float defaultValue) {
    Object v = map.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Number n) {
      return n.floatValue();
    }
    throw wrong(key, "a number", v);
  }

  int getInt(String key, int defaultValue) {
    Object v = map.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.intValue();
    }
    throw wrong(key, "an integer", v);
  }

  /** A list of integers (or one integer) as an array; null when absent or null (Keras's {@code None}). */
  int[] getIntsOrNull(String key) {
    List<Number> numbers = numbers(key, "an integer or a list of integers");
    if (numbers == null) {
      return null;
    }
    int[] out = new int[numbers.size()];
    for (int i = 0; i < out.length; i++) {
      double d = numbers.get(i).doubleValue();
      if (d != Math.rint(d)) {
        throw wrong(key, "an integer or a list of integers", map.get(key));
      }
      out[i] = (int) d;
    }
    return out;
  }

  /** The raw value of {@code key}: a number, a list, or null. */
  Object get(String key) {
    return map.get(key);
  }

  /** A list of numbers (or one number) as an array; null when absent or null. */
  float[] getFloatsOrNull(String key) {
    List<Number> numbers = numbers(key, "a number or a list of numbers");
    if (numbers == null) {
      return null;
    }
    float[] out = new float[numbers.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = numbers.get(i).floatValue();
    }
    return out;
  }

  private List<Number> numbers(String key, String expected) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return List.of(n);
    }
    if (v instanceof List<?> items) {
      List<Number> out = new ArrayList<>();
      for (Object item : items) {
        if (!(item instanceof Number n)) {
          throw wrong(key, expected, v);
        }
        out.add(n);
      }
      return out;
    }
    throw wrong(key, expected, v);
  }

  private IllegalArgumentException wrong(String key, String expected, Object found) {
    return new IllegalArgumentException(className + ": config entry '" + key + "' must be " + expected
        + ". Received: " + key + "=" + found);
  }
}
