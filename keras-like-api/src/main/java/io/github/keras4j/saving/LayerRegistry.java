package io.github.keras4j.saving;

import io.github.keras4j.layers.Layer;
import io.github.keras4j.models.NestedModel;
import io.github.keras4j.regularizers.Regularizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Layers to and from their saved form {@code {"class_name": "Dense", "config": {...}}}: Keras's
 * {@code keras.layers.serialize} and {@code keras.layers.deserialize}.
 *
 * <p>Every built-in layer of {@code io.github.keras4j.layers} is known by its class name (Keras's names:
 * {@code Dense}, {@code Conv2D}, {@code BatchNormalization}, {@code LSTM}, {@code Bidirectional}, ...); wrappers
 * ({@code Bidirectional}, {@code TimeDistributed}) rebuild the layer they wrap from their config's {@code layer}
 * entry. A model nested as a layer ({@link NestedModel}) is saved as Keras nests it, its own {@code Sequential} or
 * {@code Functional} config, and rebuilt as a model again. Other classes are rebuilt by the factories of a
 * {@link CustomObjects}, which are looked up first.
 *
 * <pre>{@code
 * Map<String, Object> saved = LayerRegistry.serialize(new Dense(4, "relu"));
 * Layer copy = LayerRegistry.deserialize(saved, new CustomObjects());
 * }</pre>
 *
 * <p>Java differences from Keras: there is no {@code module} or {@code registered_name} entry; a {@code Lambda}
 * layer's Java function cannot be saved, so a Lambda is rebuilt only by a factory registered for {@code "Lambda"}.
 */
public final class LayerRegistry {

  /** The class names of models nested as layers, as Keras saves them. */
  private static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Functional", "Model");

  private LayerRegistry() {}

  /** The class names of the built-in layers, sorted. */
  public static List<String> builtinClassNames() {
    return List.copyOf(BuiltinLayers.FACTORIES.keySet());
  }

  /** Whether {@code className} is a built-in layer. */
  public static boolean isBuiltin(String className) {
    return BuiltinLayers.FACTORIES.containsKey(className);
  }

  /**
   * The layer's saved form: {@code {"class_name": layer.className(), "config": layer.getConfig()}}.
   *
   * @throws IllegalArgumentException for an anonymous or local class, which no class name could find again
   */
  public static Map<String, Object> serialize(Layer layer) {
    String className = layer.className();
    if (className.isEmpty() || layer.getClass().isAnonymousClass() || layer.getClass().isLocalClass()) {
      throw new IllegalArgumentException("Layer '" + layer.name() + "' is an instance of the anonymous or local "
          + "class " + layer.getClass().getName() + ", which cannot be saved: declare it as a named (top-level or "
          + "static nested) class and register it when loading (CustomObjects.layer)");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("class_name", className);
    out.put("config", layer.getConfig());
    return out;
  }

  /**
   * Rebuilds a layer from its saved form: through {@code customObjects}' factory for its class name if there is
   * one, else the built-in layer's. The config's {@code trainable} and {@code activity_regularizer} are then set on
   * the layer.
   *
   * @param spec {@code {"class_name": ..., "config": {...}}}
   * @param customObjects custom classes, or null for none
   * @throws IllegalArgumentException for an unknown class (the message says how to register it) or a config the
   *     layer rejects
   */
  public static Layer deserialize(Object spec, CustomObjects customObjects) {
    CustomObjects custom = customObjects == null ? new CustomObjects() : customObjects;
    if (!(spec instanceof Map<?, ?> map) || !(map.get("class_name") instanceof String className)) {
      throw new IllegalArgumentException("A saved layer must be {\"class_name\": ..., \"config\": {...}}, found "
          + Json.describe(spec));
    }
    Config config = new Config(Map.of(), className, custom).nestedConfig(spec);
    ObjectFactory<? extends Layer> factory = custom.layerFactory(className);
    if (factory == null && MODEL_CLASSES.contains(className)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> model = (Map<String, Object>) map;
      return NestedModel.owning(ModelConfig.deserialize(model, custom));
    }
    if (factory == null) {
      factory = BuiltinLayers.FACTORIES.get(className);
    }
    if (factory == null) {
      throw unknown(config);
    }
    Layer layer;
    try {
      layer = factory.fromConfig(config);
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      if (message.startsWith("Cannot rebuild layer ") || message.startsWith("Unknown layer class ")) {
        throw e;
      }
      if (message.startsWith(config.owner() + ": ")) {
        message = message.substring(config.owner().length() + 2);
      }
      throw new IllegalArgumentException("Cannot rebuild layer " + config.owner() + " from its config: " + message, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Cannot rebuild layer " + config.owner() + " from its config: " + e, e);
    }
    if (layer == null) {
      throw new IllegalArgumentException("The factory of layer class '" + className + "' returned null");
    }
    if (config.has("trainable")) {
      layer.setTrainable(config.getBoolean("trainable"));
    }
    Regularizer activity = config.regularizer("activity_regularizer");
    if (activity != null) {
      layer.setActivityRegularizer(activity);
    }
    return layer;
  }

  private static IllegalArgumentException unknown(Config config) {
    String className = config.className();
    String what = config.name() == null ? "" : " (layer '" + config.name() + "')";
    if (className.equals("RnnStateOutput")) {
      return new IllegalArgumentException("Layer class 'RnnStateOutput'" + what + " is the final state of a "
          + "recurrent layer: it is rebuilt with its model (BaseRnn.applyWithState), not on its own");
    }
    if (className.equals("AttentionScores")) {
      return new IllegalArgumentException("Layer class 'AttentionScores'" + what + " holds the scores of an "
          + "attention layer: it is rebuilt with its model (applyWithScores), not on its own");
    }
    return new IllegalArgumentException("Unknown layer class '" + className + "'" + what + ": it is not a "
        + "built-in Keras4J layer. If it is your own Layer subclass, register it when loading: Models.load(path, "
        + "new CustomObjects().layer(\"" + className + "\", config -> ...)) or Models.load(path, Map.of(\""
        + className + "\", " + className + ".class)) with a static " + className + ".fromConfig(Config)");
  }
}
