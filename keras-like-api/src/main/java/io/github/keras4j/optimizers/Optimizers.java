package io.github.keras4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Optimizers by name, as in Keras's {@code keras.optimizers.get}: {@code compile(..., "adam")}.
 *
 * <pre>{@code Optimizer opt = Optimizers.get("rmsprop"); // new RMSprop() with Keras's defaults}</pre>
 */
public final class Optimizers {

  private static final Map<String, Supplier<Optimizer>> BY_ID = new LinkedHashMap<>();

  static {
    BY_ID.put("adadelta", Adadelta::new);
    BY_ID.put("adafactor", Adafactor::new);
    BY_ID.put("adagrad", Adagrad::new);
    BY_ID.put("adam", Adam::new);
    BY_ID.put("adamax", Adamax::new);
    BY_ID.put("adamw", AdamW::new);
    BY_ID.put("ftrl", Ftrl::new);
    BY_ID.put("lamb", Lamb::new);
    BY_ID.put("lion", Lion::new);
    BY_ID.put("muon", Muon::new);
    BY_ID.put("nadam", Nadam::new);
    BY_ID.put("rmsprop", RMSprop::new);
    BY_ID.put("schedulefreeadamw", ScheduleFreeAdamW::new);
    BY_ID.put("sgd", SGD::new);
  }

  private Optimizers() {}

  /**
   * A new optimizer with Keras's defaults for {@code id}, ignoring case: {@code "sgd"}, {@code "rmsprop"},
   * {@code "adagrad"}, {@code "adam"}, {@code "adamw"}, {@code "adamax"}, {@code "nadam"}, {@code "adadelta"},
   * {@code "lion"}, {@code "lamb"}, {@code "ftrl"}, {@code "adafactor"}, {@code "muon"}, {@code "schedulefreeadamw"}
   * (Keras's class names such as {@code "SGD"}, {@code "RMSprop"}, {@code "AdamW"} or {@code "ScheduleFreeAdamW"} work
   * too).
   *
   * @throws IllegalArgumentException for an unknown id; the message lists the valid ones
   */
  public static Optimizer get(String id) {
    Supplier<Optimizer> factory = id == null ? null : BY_ID.get(id.toLowerCase(Locale.ROOT));
    if (factory == null) {
      throw new IllegalArgumentException(
          "Could not interpret optimizer identifier: " + (id == null ? "null" : "'" + id + "'")
              + ". Expected one of: " + String.join(", ", BY_ID.keySet())
              + " (or pass an Optimizer instance such as new Adam(0.01f))");
    }
    return factory.get();
  }
}
