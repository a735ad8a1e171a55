package io.github.keras4j.examples.rl;

import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.losses.Huber;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.models.Step;
import io.github.keras4j.models.StepResult;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.Optimizer;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A deep Q-network agent (Mnih et al. 2015) for a discrete action space: an online Q-network
 * {@code Dense(h, relu) - Dense(h, relu) - Dense(actions)}, a target network of the same shape copied from it on
 * {@link #updateTarget()}, epsilon-greedy actions, and a learning step on replay minibatches with the Huber loss
 * and Adam with {@code clipnorm}.
 *
 * <p>The learning step is one {@link Step} (one {@code Session.run}): the taken actions come in as a one-hot
 * mask, {@code Q(s, a) = sum(Q(s) * mask)}; the target {@code y = r + gamma (1 - terminated) max_a' Q_target(s', a')}
 * is computed in the graph from the target network on the next states and held constant
 * ({@code stopGradient}); the loss is {@code Huber(y, Q(s, a))}.
 *
 * <pre>{@code
 * try (DqnAgent agent = new DqnAgent(4, 2, 128, 1e-3f, 10f, 0.99)) {
 *   int action = agent.act(observation, epsilon, random);
 *   float loss = agent.learn(buffer.sample(64, random));
 *   agent.updateTarget();
 * }
 * }</pre>
 */
public final class DqnAgent implements AutoCloseable {

  private final int actions;
  private final Sequential online;
  private final Sequential target;
  private final Forward onlineForward;
  private final Forward targetForward;
  private final Step learnStep;

  /**
   * Builds both networks (the target starts as a copy of the online network) and the learning step.
   *
   * @param observationSize length of an observation
   * @param actions number of discrete actions
   * @param hidden units of each of the two hidden layers
   * @param learningRate Adam's learning rate
   * @param clipnorm the largest L2 norm of each weight's gradient (Keras's {@code clipnorm})
   * @param gamma the discount factor
   */
  public DqnAgent(int observationSize, int actions, int hidden, float learningRate, float clipnorm, double gamma) {
    this.actions = actions;
    this.online = qNetwork(observationSize, actions, hidden);
    this.target = qNetwork(observationSize, actions, hidden);
    Optimizer adam = new Adam(learningRate).clipnorm(clipnorm);
    Huber huber = new Huber();
    this.learnStep = Step.build(online, b -> {
      Ops tf = b.tf();
      Operand<TFloat32> state = b.input("state", observationSize);
      Operand<TFloat32> actionMask = b.input("action_mask", actions);
      Operand<TFloat32> reward = b.input("reward");
      Operand<TFloat32> nextState = b.input("next_state", observationSize);
      Operand<TFloat32> terminated = b.input("terminated");
      Operand<TFloat32> q = tf.reduceSum(tf.math.mul(online.call(state, true), actionMask), tf.constant(1));
      Operand<TFloat32> nextQ = tf.reduceMax(target.call(nextState, false), tf.constant(1));
      Operand<TFloat32> notTerminated = tf.math.sub(tf.constant(1f), terminated);
      Operand<TFloat32> y = tf.stopGradient(
          tf.math.add(reward, tf.math.mul(tf.constant((float) gamma), tf.math.mul(notTerminated, nextQ))));
      Operand<TFloat32> loss = huber.compute(tf, tf.expandDims(y, tf.constant(1)), tf.expandDims(q, tf.constant(1)), null);
      b.minimize(loss, adam, online.trainableVariables());
      b.output("loss", loss);
      b.output("q_mean", tf.math.mean(q, tf.constant(0)));
    });
    this.onlineForward = new Forward(online, observationSize);
    this.targetForward = new Forward(target, observationSize);
    // After the steps are built: under a distribution, building the first one places the variables.
    target.setWeights(online.getWeights());
  }

  private static Sequential qNetwork(int observationSize, int actions, int hidden) {
    return new Sequential(new InputLayer(observationSize), new Dense(hidden, "relu"), new Dense(hidden, "relu"),
        new Dense(actions));
  }

  /** Epsilon-greedy: a uniformly random action with probability {@code epsilon}, else the greedy one. */
  public int act(float[] observation, double epsilon, SplittableRandom random) {
    if (random.nextDouble() < epsilon) {
      return random.nextInt(actions);
    }
    return Forward.argmax(onlineForward.apply(observation));
  }

  /** One gradient step on {@code batch} (actions stored as indices); returns the loss before the update. */
  public float learn(ReplayBuffer.Batch batch) {
    return learnResult(batch).getFloat("loss");
  }

  /** One gradient step; returns the step's outputs {@code loss} and {@code q_mean} (mean Q(s, a) of the batch). */
  public StepResult learnResult(ReplayBuffer.Batch batch) {
    float[][] mask = new float[batch.size()][actions];
    for (int i = 0; i < batch.size(); i++) {
      mask[i][(int) batch.actions()[i][0]] = 1f;
    }
    return learnStep.run(Map.of("state", batch.states(), "action_mask", mask, "reward", batch.rewards(),
        "next_state", batch.nextStates(), "terminated", batch.terminated()));
  }

  /** Copies the online network into the target network, in the graph ({@code softUpdateFrom(online, 1.0)}). */
  public void updateTarget() {
    target.softUpdateFrom(online, 1.0);
  }

  /** Q-values of the online network, one row per state. */
  public float[][] qValues(float[][] states) {
    return onlineForward.apply(states);
  }

  /** Q-values of the target network, one row per state. */
  public float[][] targetQValues(float[][] states) {
    return targetForward.apply(states);
  }

  /** The online Q-network. */
  public Sequential online() {
    return online;
  }

  /** The target network. */
  public Sequential target() {
    return target;
  }

  /** Closes both networks. */
  @Override
  public void close() {
    target.close();
    online.close();
  }
}
