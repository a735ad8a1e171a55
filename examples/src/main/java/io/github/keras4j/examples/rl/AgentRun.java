package io.github.keras4j.examples.rl;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.rl.env.Environment;
import io.github.keras4j.models.Model;
import java.util.SplittableRandom;

/**
 * What {@link Dqn}, {@link Reinforce} and {@link Ddpg} do around their own episode loops: a fresh session seeded
 * with {@code --seed}, the run's random stream, the {@link EpisodeLog} in the run folder, the seeds of the checks and
 * of the final evaluation, the checks' best weights, and the wall-clock time of the RESULT.
 *
 * <pre>{@code
 * try (AgentRun run = new AgentRun("dqn", opts, settings, 100);
 *     DqnAgent agent = new DqnAgent(...)) {
 *   float[] observation = run.startEpisode(env, episode);
 *   ...
 *   run.log.episode(episodeReturn, Map.of("loss", loss));
 * }
 * }</pre>
 */
final class AgentRun implements AutoCloseable {

  /** Seed offset of the check episodes (their seeds never meet the final evaluation's). */
  static final long CHECK_SEED_OFFSET = 1_000_000L;
  /** Seed offset of the final evaluation episodes. */
  static final long EVAL_SEED_OFFSET = 2_000_000L;

  /** The run's random stream (exploration, minibatches), seeded with {@code --seed}. */
  final SplittableRandom random;
  /** The record of the episodes, in {@code opts.runDir(name)}. */
  final EpisodeLog log;
  /** The weights of the best check so far (the CartPole examples). */
  final BestWeights best = new BestWeights();

  private final long seed;
  private final long start = System.nanoTime();
  private boolean solved;

  /**
   * Clears the session and seeds it and the run's random stream with {@code opts.seed()}; opens the log of the
   * example {@code name}, averaging the last {@code window} returns. Build the agent after this.
   */
  AgentRun(String name, ExampleOptions opts, AgentSettings<?> s, int window) {
    seed = opts.seed();
    Backend.clearSession();
    Backend.setRandomSeed(seed);
    random = new SplittableRandom(seed);
    log = new EpisodeLog(name, opts.runDir(name), s.printEvery, window, s.episodes);
  }

  /** Starts episode {@code episode} (from 1): the first one resets {@code env} with the run's seed. */
  float[] startEpisode(Environment<?> env, int episode) {
    return episode == 1 ? env.reset(seed) : env.reset();
  }

  /** The first seed of the check after {@code episode}. */
  long checkSeed(int episode) {
    return seed + CHECK_SEED_OFFSET + episode;
  }

  /** The first seed of the final evaluation. */
  long evalSeed() {
    return seed + EVAL_SEED_OFFSET;
  }

  /**
   * Records the check after {@code episode}, of mean return {@code score}: logs it as the scalar {@code tag}, keeps
   * {@code model}'s weights when it is the best so far (and says so: {@code "  <what> after episode ..."}), and
   * marks the run {@link #solved()} once the score reaches {@code solvedAt}.
   */
  void check(String tag, String what, double score, int episode, Model model, double solvedAt) {
    log.scalar(tag, score, episode);
    if (best.offer(score, episode, model)) {
      System.out.printf("  %s after episode %d: %.1f (best so far, weights kept)%n", what, episode, score);
    }
    solved = score >= solvedAt;
  }

  /** Whether the last check reached its {@code solvedAt}: training stops. */
  boolean solved() {
    return solved;
  }

  /** Seconds since the run began. */
  double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Closes the log. */
  @Override
  public void close() {
    log.close();
  }
}
