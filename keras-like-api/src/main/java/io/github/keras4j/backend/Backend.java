package io.github.keras4j.backend;

import io.github.keras4j.graph.GraphRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Process-wide Keras state: unique layer names, the global random seed and the current graph.
 *
 * <p>As in Keras, layer names are unique per session ({@code dense}, {@code dense_1}, ...) until
 * {@link #clearSession()}; {@link #setRandomSeed(long)} (Keras's {@code keras.utils.set_random_seed}) makes
 * every later weight initialisation, dropout mask and shuffle repeat exactly. Without it, seeds are random.
 */
public final class Backend {

  private static final Map<String, Integer> NAME_COUNTS = new HashMap<>();
  private static SplittableRandom seeds = new SplittableRandom();
  private static GraphRuntime graph;

  private Backend() {}

  /** Seeds every random choice made after this call: initial weights, dropout masks, shuffling. */
  public static synchronized void setRandomSeed(long seed) {
    seeds = new SplittableRandom(seed);
  }

  /** The next seed of the global seed sequence. */
  public static synchronized long nextSeed() {
    return seeds.nextLong() & Long.MAX_VALUE;
  }

  private static final ThreadLocal<Integer> RANDOM_STREAM = ThreadLocal.withInitial(() -> 0);

  /**
   * Traces {@code body} as random stream {@code stream}: the engine traces the k-th copy of a chained training
   * step ({@code stepsPerExecution}) and the r-th replica of a data-parallel step in their own streams, so that
   * their dropout and noise ops, which all come from one layer with one seed, draw different values. Stream 0 is
   * the usual one (a layer traced once draws exactly as before).
   */
  public static <T> T inRandomStream(int stream, java.util.function.Supplier<T> body) {
    int before = RANDOM_STREAM.get();
    RANDOM_STREAM.set(stream);
    try {
      return body.get();
    } finally {
      RANDOM_STREAM.set(before);
    }
  }

  /**
   * The two 31-bit seeds ({@code seed}, {@code seed2}) of a TensorFlow random op for a layer's 63-bit
   * {@code seed}, {@code offset} (a layer's own index among its random ops) added to {@code seed2}, in the current
   * random stream ({@link #inRandomStream}).
   */
  public static long[] opSeeds(long seed, long offset) {
    long stream = RANDOM_STREAM.get();
    return new long[] {seed & 0x7fffffffL, ((seed >>> 31) + offset + stream * 0x9E3779B1L) & 0x7fffffffL};
  }

  /** Returns {@code prefix}, then {@code prefix_1}, {@code prefix_2}, ... on later calls. */
  public static synchronized String uniqueName(String prefix) {
    int n = NAME_COUNTS.getOrDefault(prefix, 0);
    NAME_COUNTS.put(prefix, n + 1);
    return n == 0 ? prefix : prefix + "_" + n;
  }

  /** Reserves an explicit name so that generated names do not collide with it. */
  public static synchronized void reserveName(String name) {
    NAME_COUNTS.putIfAbsent(name, 1);
  }

  /**
   * Forgets generated names and starts a new graph for the models created afterwards (Keras's
   * {@code clear_session}); the next Dense is {@code dense} again. Models created before keep working in their
   * own graph until they are closed.
   */
  public static synchronized void clearSession() {
    NAME_COUNTS.clear();
    graph = null;
  }

  /**
   * The graph new models are built in, with one more owner that the caller must {@link GraphRuntime#close()}.
   *
   * <p>As in Keras, all models of a session live in one graph, so any model can be called on any other's
   * outputs and trained in one step with it (a GAN's generator and discriminator, DDPG's actor and critic).
   * The graph is freed when its last model is closed; the next model then starts a new one.
   */
  public static synchronized GraphRuntime retainGraph() {
    if (graph == null || !graph.isOpen()) {
      graph = new GraphRuntime();
      return graph;
    }
    return graph.retain();
  }

  /**
   * Converts a class name to Keras's snake_case layer-name prefix with Keras's own rules
   * ({@code keras.src.utils.naming.to_snake_case}): {@code BatchNormalization} to {@code batch_normalization},
   * {@code Conv2D} to {@code conv2d}, {@code MaxPooling2D} to {@code max_pooling2d}, {@code SimpleRNN} to
   * {@code simple_rnn}, {@code ReLU} to {@code re_lu}.
   */
  public static String snakeCase(String className) {
    String name = className.replaceAll("\\W+", "");
    name = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

}
