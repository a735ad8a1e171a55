package io.github.keras4j.optimizers;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.saving.Config;
import io.github.keras4j.saving.TrainingSerialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Keras's {@code OptimizerMap}: which optimizer of a {@link MultiOptimizer} trains which variable, by the variable's
 * path ({@link GraphVariable#name()}, such as {@code dense_1/kernel}; Keras's {@code variable.path}).
 *
 * <p>{@link #get(String)} follows Keras's rule: a key equal to the path wins; otherwise every key is a regular
 * expression that must match the whole path ({@code re.fullmatch}), and exactly one may; with none the
 * {@link #defaultOptimizer()} is used, with several it is an error. So {@code "encoder"} matches only the path
 * {@code encoder}, {@code "encoder/.*"} every variable under it.
 *
 * <pre>{@code
 * OptimizerMap map = new OptimizerMap(new SGD(0.01f));
 * map.put("dense_1/.*", new Adam(1e-3f));
 * model.compile(new MultiOptimizer(map), "mse");
 * }</pre>
 *
 * <p>Java differs from Keras's mapping protocol in names only: {@code map[key] = opt} is {@link #put}, {@code del}
 * is {@link #remove}, {@code len} is {@link #size()}, iteration is {@link #keys()}; calling the map with a variable
 * is {@link #apply(GraphVariable)}. The constructor's entries are checked as {@link #put} checks them (Keras does
 * not check them there).
 */
public final class OptimizerMap implements Function<GraphVariable, Optimizer> {

  private final Optimizer defaultOptimizer;
  private final Map<String, Optimizer> optimizers = new LinkedHashMap<>();

  /**
   * An empty map: every variable goes to {@code defaultOptimizer}.
   *
   * @throws IllegalArgumentException if {@code defaultOptimizer} is null
   */
  public OptimizerMap(Optimizer defaultOptimizer) {
    this(defaultOptimizer, Map.of());
  }

  /**
   * A map with the entries of {@code optimizerMap} (path or regular expression to optimizer), in its iteration
   * order (use a {@link LinkedHashMap} for a fixed order), and {@code defaultOptimizer} for other variables.
   *
   * @throws IllegalArgumentException if {@code defaultOptimizer} is null, or an entry is refused by {@link #put}
   */
  public OptimizerMap(Optimizer defaultOptimizer, Map<String, ? extends Optimizer> optimizerMap) {
    if (defaultOptimizer == null) {
      throw new IllegalArgumentException("OptimizerMap: defaultOptimizer must be an Optimizer such as new SGD(). "
          + "Received: defaultOptimizer=null");
    }
    this.defaultOptimizer = defaultOptimizer;
    if (optimizerMap != null) {
      optimizerMap.forEach(this::put);
    }
  }

  /** The optimizer of the variables no key matches (Keras's {@code default_optimizer}). */
  public Optimizer defaultOptimizer() {
    return defaultOptimizer;
  }

  /**
   * Keras's {@code __getitem__}: the optimizer for the path {@code key}, by exact key, then by the one key whose
   * regular expression matches the whole path, else the default optimizer.
   *
   * @throws IllegalArgumentException if several keys match {@code key} (Keras's {@code ValueError})
   */
  public Optimizer get(String key) {
    Optimizer exact = optimizers.get(key);
    if (exact != null) {
      return exact;
    }
    List<String> matching = new ArrayList<>();
    for (String pattern : optimizers.keySet()) {
      if (Pattern.compile(pattern).matcher(key).matches()) {
        matching.add(pattern);
      }
    }
    if (matching.size() > 1) {
      throw new IllegalArgumentException("Multiple optimizers assigned to variable " + key + ": keys " + matching
          + " all match it. Make the keys exclusive, or add the exact path as a key.");
    }
    return matching.isEmpty() ? defaultOptimizer : optimizers.get(matching.get(0));
  }

  /** Keras's {@code __call__(variable)}: {@link #get(String) get(variable.name())}. */
  @Override
  public Optimizer apply(GraphVariable variable) {
    return get(variable.name());
  }

  /**
   * Keras's {@code __setitem__}: the variables whose path is {@code key}, or matches it as a whole-path regular
   * expression, go to {@code optimizer}.
   *
   * @throws IllegalArgumentException if {@code key} is already in the map, is null or is not a valid regular
   *     expression, or {@code optimizer} is null, a {@link LossScaleOptimizer} or a {@link MultiOptimizer}
   */
  public void put(String key, Optimizer optimizer) {
    if (key == null) {
      throw new IllegalArgumentException("key must be a string. Received: null");
    }
    if (optimizers.containsKey(key)) {
      throw new IllegalArgumentException("'" + key + "' already exists in the OptimizerMap with value "
          + optimizers.get(key).name() + ". Please make sure to not use duplicated keys.");
    }
    if (optimizer == null) {
      throw new IllegalArgumentException("optimizer must be a Keras Optimizer instance. Received: null (key '" + key
          + "')");
    }
    if (optimizer instanceof LossScaleOptimizer) {
      throw new IllegalArgumentException("optimizer cannot be LossScaleOptimizer. Received: '" + optimizer.name()
          + "' for key '" + key + "'; wrap the MultiOptimizer in the LossScaleOptimizer instead.");
    }
    if (optimizer instanceof MultiOptimizer) {
      throw new IllegalArgumentException("optimizer cannot be MultiOptimizer. Received: '" + optimizer.name()
          + "' for key '" + key + "'");
    }
    try {
      Pattern.compile(key);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("OptimizerMap keys are variable paths or regular expressions. Received: '"
          + key + "' (" + e.getDescription() + ")", e);
    }
    optimizers.put(key, optimizer);
  }

  /** Keras's {@code __delitem__}: removes {@code key}; returns its optimizer, or null if it was absent. */
  public Optimizer remove(String key) {
    return optimizers.remove(key);
  }

  /** Keras's {@code __len__}: the number of keys (the default optimizer not counted). */
  public int size() {
    return optimizers.size();
  }

  /** The keys in insertion order (Keras's iteration over the map). */
  public List<String> keys() {
    return List.copyOf(optimizers.keySet());
  }

  /** The keys with their optimizers, in insertion order, unmodifiable (Keras's {@code items()}). */
  public Map<String, Optimizer> entries() {
    return Collections.unmodifiableMap(optimizers);
  }

  /**
   * Keras's config: {@code default_optimizer} and {@code optimizer_map} (key to optimizer), each optimizer as
   * {@code {"class_name", "config"}}.
   */
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("default_optimizer", TrainingSerialization.serializeOptimizer(defaultOptimizer));
    Map<String, Object> map = new LinkedHashMap<>();
    optimizers.forEach((key, optimizer) -> map.put(key, TrainingSerialization.serializeOptimizer(optimizer)));
    c.put("optimizer_map", map);
    return c;
  }

  /**
   * Keras's {@code from_config}: rebuilds the optimizers of {@link #getConfig()} (custom classes through the
   * config's {@link Config#customObjects()}). An optimizer that appeared under several keys comes back as one
   * instance per key.
   *
   * @throws IllegalArgumentException for a missing {@code default_optimizer} or a bad optimizer config
   */
  public static OptimizerMap fromConfig(Config config) {
    if (!config.has("default_optimizer")) {
      throw new IllegalArgumentException("OptimizerMap: the config has no 'default_optimizer' (expected "
          + "{\"class_name\": ..., \"config\": {...}})");
    }
    Optimizer defaultOptimizer =
        TrainingSerialization.deserializeOptimizer(config.get("default_optimizer"), config.customObjects());
    OptimizerMap map = new OptimizerMap(defaultOptimizer);
    if (config.has("optimizer_map")) {
      config.getMap("optimizer_map").forEach((key, spec) ->
          map.put(key, TrainingSerialization.deserializeOptimizer(spec, config.customObjects())));
    }
    return map;
  }
}
