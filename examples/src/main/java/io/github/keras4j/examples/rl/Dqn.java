package io.github.keras4j.examples.rl;

import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.Result;
import io.github.keras4j.examples.rl.env.CartPole;
import io.github.keras4j.examples.rl.env.Outcome;
import java.util.Map;

/**
 * Deep Q-learning on CartPole-v1: {@link DqnAgent} with a replay buffer, a linearly decaying epsilon-greedy
 * policy, the Huber loss, Adam with {@code clipnorm} and a target network.
 *
 * <p>The settings are the tuned CartPole-v1 DQN hyperparameters of the RL Baselines3 Zoo: two hidden layers of
 * 256, Adam 2.3e-3, batch 64, gamma 0.99, 1,000 random warm-up steps, epsilon from 1 to 0.04 over 8,000 steps, and
 * training in phases: every 256 environment steps, 128 gradient steps. The target network is copied from the online
 * one every 10 environment steps, so during each phase it holds the weights of the phase's start. (Per-weight
 * {@code clipnorm=10} stands for the Zoo's global gradient-norm limit of 10.)
 *
 * <p>Every {@code evalEvery} episodes the greedy policy plays {@code checkEpisodes} separate episodes; the best
 * weights so far are kept, and training stops once a check scores the maximum (500 every time), as
 * Stable-Baselines3's {@code EvalCallback} with {@code StopTrainingOnRewardThreshold}. The result is the greedy
 * policy of the best weights on 100 new episodes ({@code mean_return}; CartPole-v1 counts as solved at 475) and the
 * mean training return of the last 100 episodes ({@code mean_return_last100}, with exploration).
 *
 * <pre>
 * java -jar keras4j-examples.jar dqn [--episodes 1000] [--seed 42]
 * </pre>
 */
public final class Dqn {

  /** The example's settings; {@link #defaults()} are those of the command line. */
  public static final class Settings extends AgentSettings.CartPole<Settings> {
    float clipnorm = 10f;
    int batchSize = 64;
    int bufferSize = 100_000;
    int warmupSteps = 1_000;
    int trainEvery = 256;
    int gradientSteps = 128;
    int targetUpdateEvery = 10;
    double epsilonStart = 1.0;
    double epsilonEnd = 0.04;
    int epsilonDecaySteps = 8_000;

    private Settings() {
      super(1000, 256, 2.3e-3f);
    }

    @Override
    Settings self() {
      return this;
    }

    /** The defaults. */
    public static Settings defaults() {
      return new Settings();
    }

    /** Minibatch size. */
    public Settings batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** Environment steps before learning starts (random actions fill the buffer meanwhile). */
    public Settings warmupSteps(int v) {
      warmupSteps = v;
      return this;
    }

    /** Environment steps between target-network copies. */
    public Settings targetUpdateEvery(int v) {
      targetUpdateEvery = v;
      return this;
    }

    /** Environment steps between training phases, and the gradient steps of each phase. */
    public Settings training(int every, int steps) {
      trainEvery = every;
      gradientSteps = steps;
      return this;
    }

    /** Final epsilon. */
    public Settings epsilonEnd(double v) {
      epsilonEnd = v;
      return this;
    }

    /** Environment steps over which epsilon decays. */
    public Settings epsilonDecaySteps(int v) {
      epsilonDecaySteps = v;
      return this;
    }
  }

  private Dqn() {}

  /** Trains with the default settings ({@code --episodes} and {@code --seed} apply). */
  public static Result run(ExampleOptions opts) {
    return run(opts, Settings.defaults().withOptions(opts));
  }

  /** Trains with the given settings; returns {@code mean_return}, {@code mean_return_last100} and more. */
  public static Result run(ExampleOptions opts, Settings s) {
    CartPole env = new CartPole();
    ReplayBuffer buffer = new ReplayBuffer(s.bufferSize, env.observationSize(), 1);
    EpsilonSchedule epsilon = new EpsilonSchedule(s.epsilonStart, s.epsilonEnd, s.epsilonDecaySteps);
    long steps = 0;
    long updates = 0;
    try (AgentRun run = new AgentRun("dqn", opts, s, 100);
        DqnAgent agent = new DqnAgent(env.observationSize(), CartPole.ACTIONS, s.hidden, s.learningRate, s.clipnorm,
            s.gamma)) {
      System.out.printf("DQN on CartPole-v1: up to %d episodes, logs in %s%n", s.episodes, run.log.runDir());
      for (int episode = 1; episode <= s.episodes && !run.solved(); episode++) {
        float[] observation = run.startEpisode(env, episode);
        double episodeReturn = 0;
        double lossSum = 0;
        int losses = 0;
        Outcome o;
        do {
          int action = agent.act(observation, epsilon.value(steps), run.random);
          o = env.step(action);
          buffer.add(observation, new float[] {action}, o.reward(), o.observation(), o.terminated());
          observation = o.observation();
          episodeReturn += o.reward();
          steps++;
          if (steps >= s.warmupSteps && steps % s.trainEvery == 0) {
            for (int g = 0; g < s.gradientSteps; g++) {
              lossSum += agent.learn(buffer.sample(s.batchSize, run.random));
              losses++;
              updates++;
            }
          }
          if (steps % s.targetUpdateEvery == 0) {
            agent.updateTarget();
          }
        } while (!o.done());
        run.log.episode(episodeReturn, Map.of("epsilon", epsilon.value(steps),
            "loss", losses == 0 ? 0.0 : lossSum / losses));
        if (episode % s.evalEvery == 0) {
          double check = Evaluation.mean(Evaluation.greedy(CartPole::new, agent::qValues, s.checkEpisodes,
              run.checkSeed(episode)));
          run.check("greedy_check_return", "greedy check", check, episode, agent.online(), CartPole.MAX_EPISODE_STEPS);
        }
      }
      run.best.restore(agent.online());
      double meanReturn = Evaluation.mean(Evaluation.greedy(CartPole::new, agent::qValues, s.evalEpisodes,
          run.evalSeed()));
      run.log.plot("DQN on CartPole-v1");
      System.out.printf("Greedy evaluation over %d episodes (weights of episode %d): mean return %.1f%n",
          s.evalEpisodes, run.best.bestEpisode(), meanReturn);
      return new Result("dqn")
          .put("mean_return", meanReturn)
          .put("mean_return_last100", run.log.meanLast(100))
          .put("episodes", run.log.episodes())
          .put("env_steps", steps)
          .put("updates", updates)
          .put("best_episode", run.best.bestEpisode())
          .seconds(run.seconds());
    }
  }
}
