package io.github.keras4j.examples.rl.env;

import java.util.SplittableRandom;

/**
 * The episode bookkeeping {@link CartPole} and {@link Pendulum} share, as Gymnasium's {@code Env} and its
 * {@code TimeLimit} wrapper do: the seeded generator of start states, the step count and the time limit, and the
 * check that an episode is running.
 *
 * <p>A subclass's {@code reset()} draws its start state from {@link #random} and returns {@link #startEpisode()};
 * its {@code step} checks the action, calls {@link #checkRunning()}, updates the state and returns
 * {@link #endStep(double, boolean)}.
 *
 * @param <A> the action type
 */
abstract class BaseEnvironment<A> implements Environment<A> {

  private final String name;
  private final int maxEpisodeSteps;
  /** The generator of start states: unseeded until {@link #reset(long)}. */
  SplittableRandom random = new SplittableRandom();
  private int elapsedSteps;
  private boolean running;

  /** An environment called {@code name} in error messages, truncated after {@code maxEpisodeSteps} steps. */
  BaseEnvironment(String name, int maxEpisodeSteps) {
    this.name = name;
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  @Override
  public int maxEpisodeSteps() {
    return maxEpisodeSteps;
  }

  @Override
  public float[] reset(long seed) {
    random = new SplittableRandom(seed);
    return reset();
  }

  /** The observation of the current state. */
  abstract float[] observation();

  /** Starts counting the steps of a new episode from the current state; returns its observation. */
  float[] startEpisode() {
    elapsedSteps = 0;
    running = true;
    return observation();
  }

  /** Throws {@link IllegalStateException} unless an episode is running. */
  void checkRunning() {
    if (!running) {
      throw new IllegalStateException(name + ": the episode is over (or never started); call reset() first");
    }
  }

  /** Counts a step that earned {@code reward}; the episode ends when {@code terminated} or at the time limit. */
  Outcome endStep(double reward, boolean terminated) {
    elapsedSteps++;
    boolean truncated = elapsedSteps >= maxEpisodeSteps;
    running = !(terminated || truncated);
    return new Outcome(observation(), reward, terminated, truncated);
  }
}
