package io.github.keras4j.layers;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.initializers.Initializers;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.Map;

/**
 * The initializer, regularizer and constraint of one weight, under Keras's argument prefix ({@code kernel},
 * {@code bias}, {@code depthwise}, ...): a layer creates the weight with them and writes them to its config as
 * {@code <prefix>_initializer}, {@code <prefix>_regularizer} and {@code <prefix>_constraint}.
 *
 * @param prefix Keras's argument prefix
 * @param initializer the initializer
 * @param regularizer the penalty on the weight, or null
 * @param constraint the projection after each optimizer update, or null
 */
public record WeightSettings(String prefix, Initializer initializer, Regularizer regularizer, Constraint constraint) {

  /** Writes the three config entries; null for an unset regularizer or constraint, as Keras. */
  public void putConfig(Map<String, Object> config) {
    config.put(prefix + "_initializer", Initializers.serialize(initializer));
    config.put(prefix + "_regularizer", Regularizers.serialize(regularizer));
    config.put(prefix + "_constraint", Constraints.serialize(constraint));
  }

  /** The same settings with another initializer (LSTM's bias with {@code unitForgetBias}). */
  public WeightSettings withInitializer(Initializer other) {
    return new WeightSettings(prefix, other, regularizer, constraint);
  }

  /** The builders' mutable form: an initializer by Keras id or as an object, a regularizer and a constraint. */
  public static final class Spec {
    private final String prefix;
    private String initializerId;
    private Initializer initializer;
    private Regularizer regularizer;
    private Constraint constraint;

    /**
     * @param prefix Keras's argument prefix
     * @param defaultInitializerId the initializer until one is set ({@code "glorot_uniform"}, {@code "zeros"})
     */
    public Spec(String prefix, String defaultInitializerId) {
      this.prefix = prefix;
      this.initializerId = defaultInitializerId;
    }

    /** The initializer by Keras id. */
    public void initializer(String id) {
      this.initializerId = id;
      this.initializer = null;
    }

    /** Any initializer. */
    public void initializer(Initializer initializer) {
      this.initializer = initializer;
    }

    /** The penalty; null for none. */
    public void regularizer(Regularizer regularizer) {
      this.regularizer = regularizer;
    }

    /** The constraint; null for none. */
    public void constraint(Constraint constraint) {
      this.constraint = constraint;
    }

    /** The settings, with the initializer resolved from its id when no object was given. */
    public WeightSettings resolve() {
      return new WeightSettings(prefix, initializer != null ? initializer : Initializers.get(initializerId),
          regularizer, constraint);
    }
  }
}
