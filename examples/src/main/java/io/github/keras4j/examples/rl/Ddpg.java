package io.github.keras4j.examples.rl;

import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.Result;
import io.github.keras4j.examples.rl.env.Outcome;
import io.github.keras4j.examples.rl.env.Pendulum;
import java.util.Map;

/**
 * keras-io's DDPG on the pendulum, on Pendulum-v1: {@link DdpgAgent}, Ornstein-Uhlenbeck exploration noise
 * (std 0.2, theta 0.15, dt 0.01, never reset, as keras-io), a replay buffer of 50,000 transitions, minibatches of
 * 64 drawn with replacement, one learning step after every environment step (from the first one on, as keras-io),
 * gamma 0.99, tau 0.005, 100 episodes of 200 steps. Each learning step updates the critic, then the actor through
 * the updated critic, then both target networks in the graph, as keras-io ({@link Settings#criticFirst}).
 *
 * <p>The result is the mean training return of the last 40 episodes ({@code avg_reward_last40}, keras-io's
 * "Avg Reward"; it reports about -130 to -175 after 100 episodes) and, as an extra, the mean return of the
 * noise-free actor on 10 new episodes ({@code eval_return}).
 *
 * <pre>
 * java -jar keras4j-examples.jar ddpg [--episodes 100] [--seed 42]
 * </pre>
 */
public final class Ddpg {

  /** The example's settings; {@link #defaults()} are those of keras-io. */
  public static final class Settings extends AgentSettings<Settings> {
    double stdDev = 0.2;
    int batchSize = 64;
    int bufferSize = 50_000;
    double tau = 0.005;
    float criticLearningRate = 0.002f;
    float actorLearningRate = 0.001f;
    boolean criticFirst = true;

    private Settings() {
      super(100, 10, 1);
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

    /**
     * True (default): each learning step updates the critic, then the actor through the updated critic, as
     * keras-io; false: both gradients from the weights before the step. One {@code Session.run} either way.
     */
    public Settings criticFirst(boolean v) {
      criticFirst = v;
      return this;
    }
  }

  private Ddpg() {}

  /** Trains with keras-io's settings ({@code --episodes} and {@code --seed} apply). */
  public static Result run(ExampleOptions opts) {
    return run(opts, Settings.defaults().withOptions(opts));
  }

  /** Trains with the given settings; returns {@code avg_reward_last40}, {@code eval_return} and more. */
  public static Result run(ExampleOptions opts, Settings s) {
    Pendulum env = new Pendulum();
    ReplayBuffer buffer = new ReplayBuffer(s.bufferSize, env.observationSize(), 1);
    long updates = 0;
    try (AgentRun run = new AgentRun("ddpg", opts, s, 40);
        DdpgAgent agent = new DdpgAgent(env.observationSize(), Pendulum.MAX_TORQUE, s.criticLearningRate,
            s.actorLearningRate, s.gamma, s.tau, s.criticFirst)) {
      OrnsteinUhlenbeckNoise noise = new OrnsteinUhlenbeckNoise(0.0, s.stdDev, run.random.split());
      System.out.printf("DDPG on Pendulum-v1: %d episodes, logs in %s%n", s.episodes, run.log.runDir());
      for (int episode = 1; episode <= s.episodes; episode++) {
        float[] state = run.startEpisode(env, episode);
        double episodeReturn = 0;
        double criticLoss = 0;
        double actorLoss = 0;
        int steps = 0;
        Outcome o;
        do {
          double a = agent.policy(state) + noise.next();
          float[] action = {(float) Math.max(-Pendulum.MAX_TORQUE, Math.min(Pendulum.MAX_TORQUE, a))};
          o = env.step(action);
          buffer.add(state, action, o.reward(), o.observation(), o.terminated());
          episodeReturn += o.reward();
          DdpgAgent.Losses losses = agent.learn(buffer.sample(s.batchSize, run.random));
          criticLoss += losses.critic();
          actorLoss += losses.actor();
          updates++;
          steps++;
          state = o.observation();
        } while (!o.done());
        run.log.episode(episodeReturn, Map.of("critic_loss", criticLoss / steps, "actor_loss", actorLoss / steps));
      }
      double evalReturn = evaluate(agent, s.evalEpisodes, run.evalSeed());
      run.log.plot("DDPG on Pendulum-v1");
      System.out.printf("Noise-free actor over %d new episodes: mean return %.1f%n", s.evalEpisodes, evalReturn);
      return new Result("ddpg")
          .put("avg_reward_last40", run.log.meanLast(40))
          .put("eval_return", evalReturn)
          .put("episodes", s.episodes)
          .put("updates", updates)
          .seconds(run.seconds());
    }
  }

  /** The mean return of the actor without noise, episode {@code i} reset with {@code seed + i}. */
  static double evaluate(DdpgAgent agent, int episodes, long seed) {
    double total = 0;
    for (int i = 0; i < episodes; i++) {
      Pendulum env = new Pendulum();
      float[] state = env.reset(seed + i);
      Outcome o;
      do {
        o = env.step(new float[] {agent.policy(state)});
        total += o.reward();
        state = o.observation();
      } while (!o.done());
    }
    return total / episodes;
  }
}
