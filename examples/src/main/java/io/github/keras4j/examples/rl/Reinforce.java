package io.github.keras4j.examples.rl;

import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.Result;
import io.github.keras4j.examples.rl.env.CartPole;
import io.github.keras4j.examples.rl.env.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * REINFORCE on CartPole-v1: {@link ReinforceAgent}, one update per episode on its normalised discounted returns
 * (discount 0.99).
 *
 * <p>Every {@code evalEvery} episodes the policy as trained (actions drawn from the softmax) plays
 * {@code checkEpisodes} separate episodes; the best weights so far are kept, and training stops once a check's mean
 * return reaches 475 (CartPole-v1's threshold). The result reports the best weights on 100 new episodes:
 * {@code mean_return} with the greedy policy (the most probable action) and
 * {@code mean_return_sampled} with actions drawn from the softmax; {@code mean_return_last100} is the mean
 * training return of the last 100 episodes.
 *
 * <pre>
 * java -jar keras4j-examples.jar reinforce [--episodes 1000] [--seed 42]
 * </pre>
 */
public final class Reinforce {

  /** The example's settings; {@link #defaults()} are those of the command line. */
  public static final class Settings extends AgentSettings.CartPole<Settings> {
    double solvedAt = 475;

    private Settings() {
      super(1000, 128, 5e-3f);
    }

    @Override
    Settings self() {
      return this;
    }

    /** The defaults. */
    public static Settings defaults() {
      return new Settings();
    }
  }

  private Reinforce() {}

  /** Trains with the default settings ({@code --episodes} and {@code --seed} apply). */
  public static Result run(ExampleOptions opts) {
    return run(opts, Settings.defaults().withOptions(opts));
  }

  /** Trains with the given settings; returns {@code mean_return}, {@code mean_return_sampled} and more. */
  public static Result run(ExampleOptions opts, Settings s) {
    CartPole env = new CartPole();
    long steps = 0;
    try (AgentRun run = new AgentRun("reinforce", opts, s, 100);
        ReinforceAgent agent = new ReinforceAgent(env.observationSize(), CartPole.ACTIONS, s.hidden, s.learningRate)) {
      System.out.printf("REINFORCE on CartPole-v1: up to %d episodes, logs in %s%n", s.episodes, run.log.runDir());
      for (int episode = 1; episode <= s.episodes && !run.solved(); episode++) {
        float[] observation = run.startEpisode(env, episode);
        List<float[]> states = new ArrayList<>();
        List<Integer> actions = new ArrayList<>();
        List<Double> rewards = new ArrayList<>();
        Outcome o;
        do {
          int action = agent.act(observation, run.random);
          o = env.step(action);
          states.add(observation);
          actions.add(action);
          rewards.add(o.reward());
          observation = o.observation();
        } while (!o.done());
        steps += rewards.size();
        float[] returns = ReinforceAgent.returns(rewards.stream().mapToDouble(Double::doubleValue).toArray(), s.gamma,
            true);
        float loss = agent.learn(states.toArray(new float[0][]), actions.stream().mapToInt(Integer::intValue).toArray(),
            returns);
        run.log.episode(rewards.size(), Map.of("loss", (double) loss));
        if (episode % s.evalEvery == 0) {
          double check = sampledReturn(agent, s.checkEpisodes, run.checkSeed(episode));
          run.check("sampled_check_return", "check", check, episode, agent.policy(), s.solvedAt);
        }
      }
      run.best.restore(agent.policy());
      double greedy = Evaluation.mean(Evaluation.greedy(CartPole::new, agent::logits, s.evalEpisodes, run.evalSeed()));
      double sampled = sampledReturn(agent, s.evalEpisodes, run.evalSeed());
      run.log.plot("REINFORCE on CartPole-v1");
      System.out.printf("Evaluation over %d episodes (weights of episode %d): greedy %.1f, sampled %.1f%n",
          s.evalEpisodes, run.best.bestEpisode(), greedy, sampled);
      return new Result("reinforce")
          .put("mean_return", greedy)
          .put("mean_return_sampled", sampled)
          .put("mean_return_last100", run.log.meanLast(100))
          .put("episodes", run.log.episodes())
          .put("env_steps", steps)
          .put("best_episode", run.best.bestEpisode())
          .seconds(run.seconds());
    }
  }

  /**
   * The mean return of the policy as trained (actions drawn from the softmax) on {@code episodes} episodes, episode
   * {@code i} reset with {@code seed + i}; the draws come from a stream seeded with {@code seed}.
   */
  private static double sampledReturn(ReinforceAgent agent, int episodes, long seed) {
    SplittableRandom sampling = new SplittableRandom(seed);
    return Evaluation.mean(Evaluation.run(CartPole::new, agent::logits,
        logits -> ReinforceAgent.sample(logits, sampling), episodes, seed));
  }
}
