package io.github.keras4j.examples.rl;

import io.github.keras4j.examples.ExampleOptions;

/**
 * The settings every reinforcement-learning example has ({@link Dqn.Settings}, {@link Reinforce.Settings},
 * {@link Ddpg.Settings}): episodes to train, the final evaluation's episodes and the progress interval, each
 * example with its own defaults, and the discount factor {@code gamma} (0.99 in all).
 *
 * @param <S> the example's settings type, returned by every setter
 */
public abstract class AgentSettings<S extends AgentSettings<S>> {
  int episodes;
  int evalEpisodes;
  int printEvery;
  double gamma = 0.99;

  AgentSettings(int episodes, int evalEpisodes, int printEvery) {
    this.episodes = episodes;
    this.evalEpisodes = evalEpisodes;
    this.printEvery = printEvery;
  }

  /** These settings, typed as the example's. */
  abstract S self();

  /** These settings with the command line's {@code --episodes}, when given. */
  S withOptions(ExampleOptions opts) {
    return episodes(opts.episodesOr(episodes));
  }

  /** Episodes to train (at most, where the example stops once solved). */
  public S episodes(int v) {
    episodes = v;
    return self();
  }

  /** Episodes of the final evaluation. */
  public S evalEpisodes(int v) {
    evalEpisodes = v;
    return self();
  }

  /** Episodes between progress lines. */
  public S printEvery(int v) {
    printEvery = v;
    return self();
  }

  /**
   * The settings of the CartPole examples ({@link Dqn}, {@link Reinforce}): hidden units, Adam's learning rate and
   * the greedy checks during training.
   *
   * @param <S> the example's settings type
   */
  public abstract static class CartPole<S extends CartPole<S>> extends AgentSettings<S> {
    int hidden;
    float learningRate;
    int evalEvery = 10;
    int checkEpisodes = 20;

    CartPole(int episodes, int hidden, float learningRate) {
      super(episodes, 100, 10);
      this.hidden = hidden;
      this.learningRate = learningRate;
    }

    /** Units of each hidden layer. */
    public S hidden(int v) {
      hidden = v;
      return self();
    }

    /** Adam's learning rate. */
    public S learningRate(float v) {
      learningRate = v;
      return self();
    }

    /** Episodes between greedy checks, and the episodes each check plays. */
    public S checks(int every, int episodesPerCheck) {
      evalEvery = every;
      checkEpisodes = episodesPerCheck;
      return self();
    }
  }
}
