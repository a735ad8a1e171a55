package io.github.keras4j.examples.rl;

import io.github.keras4j.initializers.RandomUniform;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.Lambda;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Step;
import io.github.keras4j.models.StepBuilder;
import io.github.keras4j.models.StepResult;
import io.github.keras4j.optimizers.Adam;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Deep Deterministic Policy Gradient (Lillicrap et al. 2015) as keras-io's "DDPG on the inverted pendulum"
 * ({@code examples/rl/ddpg_pendulum.py}) builds it: an actor, a critic, and target copies of both moved towards
 * them with {@code tau} after every learning step.
 *
 * <ul>
 *   <li>Actor: {@code Dense(256, relu) - Dense(256, relu) - Dense(1, tanh)}, the last kernel initialised
 *       uniformly in {@code [-0.003, 0.003]}, times the action bound (2 for Pendulum).
 *   <li>Critic: state branch {@code Dense(16, relu) - Dense(32, relu)}, action branch {@code Dense(32, relu)},
 *       concatenated, then {@code Dense(256, relu) - Dense(256, relu) - Dense(1)}.
 *   <li>Critic loss {@code mean((y - Q(s, a))^2)} with {@code y = r + gamma (1 - terminated) Q'(s', mu'(s'))} from
 *       the target networks; actor loss {@code -mean(Q(s, mu(s)))}; Adam with 0.002 (critic) and 0.001 (actor).
 *   <li>Soft target updates {@code w' = tau w + (1 - tau) w'}, {@code tau = 0.005}.
 * </ul>
 *
 * <p>A learning step follows keras-io's order: the critic update, then the actor update through the updated critic,
 * then both soft target updates in the graph ({@link io.github.keras4j.models.StepBuilder#softUpdate}), all in
 * one {@link Step}: one {@code Session.run}, the actor's phase declared in
 * {@link io.github.keras4j.models.StepBuilder#afterUpdates} so that it reads the updated critic. With
 * {@code criticFirst=false} both gradients come from the weights at the start of the step, so the actor follows
 * the critic of the step before. keras-io has no terminal mask (Pendulum never terminates, so the two
 * targets agree there).
 */
public final class DdpgAgent implements AutoCloseable {

  private final Model actor;
  private final Model critic;
  private final Model targetActor;
  private final Model targetCritic;
  private final Forward actorForward;
  private final Step learnStep;

  /**
   * Builds the four networks (targets start as copies) and the learning step, in keras-io's order (critic first).
   *
   * @param stateSize length of a state
   * @param upperBound the largest action magnitude; the actor's tanh output is scaled by it
   * @param criticLearningRate Adam's learning rate for the critic
   * @param actorLearningRate Adam's learning rate for the actor
   * @param gamma the discount factor
   * @param tau the soft-update rate of the target networks
   */
  public DdpgAgent(int stateSize, double upperBound, float criticLearningRate, float actorLearningRate, double gamma,
      double tau) {
    this(stateSize, upperBound, criticLearningRate, actorLearningRate, gamma, tau, true);
  }

  /**
   * As {@link #DdpgAgent(int, double, float, float, double, double)}, choosing the order of a learning step.
   *
   * @param criticFirst true: as keras-io, the critic update, then the actor update through the updated critic
   *     ({@link StepBuilder#afterUpdates}), then the soft updates; false: both gradients from the weights at the
   *     start of the step. One {@code Session.run} either way
   */
  public DdpgAgent(int stateSize, double upperBound, float criticLearningRate, float actorLearningRate, double gamma,
      double tau, boolean criticFirst) {
    this.actor = actor("actor", stateSize, upperBound);
    this.critic = critic("critic", stateSize);
    this.targetActor = actor("target_actor", stateSize, upperBound);
    this.targetCritic = critic("target_critic", stateSize);
    Adam criticOptimizer = new Adam(criticLearningRate);
    Adam actorOptimizer = new Adam(actorLearningRate);
    this.learnStep = Step.build(critic, b -> {
      Ops tf = b.tf();
      Inputs in = inputs(b, stateSize);
      Operand<TFloat32> criticLoss = criticLoss(tf, in, gamma);
      b.minimize(criticLoss, criticOptimizer, critic.trainableVariables());
      b.output("critic_loss", criticLoss);
      Runnable actorPhase = () -> {
        Operand<TFloat32> actorLoss = actorLoss(tf, in);
        b.minimize(actorLoss, actorOptimizer, actor.trainableVariables());
        b.output("actor_loss", actorLoss);
      };
      if (criticFirst) {
        b.afterUpdates(actorPhase);
      } else {
        actorPhase.run();
      }
      b.softUpdate(targetActor, actor, tau);
      b.softUpdate(targetCritic, critic, tau);
    });
    this.actorForward = new Forward(actor, stateSize);
    // After the steps are built: under a distribution, building the first one places the variables.
    targetActor.setWeights(actor.getWeights());
    targetCritic.setWeights(critic.getWeights());
  }

  private record Inputs(Operand<TFloat32> state, Operand<TFloat32> action, Operand<TFloat32> reward,
      Operand<TFloat32> nextState, Operand<TFloat32> terminated) {}

  private static Inputs inputs(StepBuilder b, int stateSize) {
    return new Inputs(b.input("state", stateSize), b.input("action", 1), b.input("reward"),
        b.input("next_state", stateSize), b.input("terminated"));
  }

  /** mean((y - Q(s, a))^2), y = r + gamma (1 - terminated) Q'(s', mu'(s')) held constant. */
  private Operand<TFloat32> criticLoss(Ops tf, Inputs in, double gamma) {
    Operand<TFloat32> reward = tf.expandDims(in.reward(), tf.constant(1));
    Operand<TFloat32> notTerminated = tf.expandDims(tf.math.sub(tf.constant(1f), in.terminated()), tf.constant(1));
    Operand<TFloat32> nextQ = targetCritic.call(List.of(in.nextState(), targetActor.call(in.nextState(), true)), true)
        .get(0);
    Operand<TFloat32> y = tf.stopGradient(
        tf.math.add(reward, tf.math.mul(tf.constant((float) gamma), tf.math.mul(notTerminated, nextQ))));
    Operand<TFloat32> q = critic.call(List.of(in.state(), in.action()), true).get(0);
    return tf.math.mean(tf.math.square(tf.math.sub(y, q)), tf.constant(new int[] {0, 1}));
  }

  /** -mean(Q(s, mu(s))). */
  private Operand<TFloat32> actorLoss(Ops tf, Inputs in) {
    Operand<TFloat32> q = critic.call(List.of(in.state(), actor.call(in.state(), true)), true).get(0);
    return tf.math.neg(tf.math.mean(q, tf.constant(new int[] {0, 1})));
  }

  private static Model actor(String name, int stateSize, double upperBound) {
    KerasTensor inputs = Input.of(stateSize);
    KerasTensor h = new Dense(256, "relu").apply(inputs);
    h = new Dense(256, "relu").apply(h);
    KerasTensor out = Dense.builder(1).activation("tanh").kernelInitializer(new RandomUniform(-0.003, 0.003)).build()
        .apply(h);
    float bound = (float) upperBound;
    out = new Lambda((tf, x) -> tf.math.mul(x, tf.constant(bound)), Shape.of(1)).apply(out);
    return new Model(List.of(inputs), List.of(out), name);
  }

  private static Model critic(String name, int stateSize) {
    KerasTensor stateInput = Input.of(stateSize);
    KerasTensor stateOut = new Dense(16, "relu").apply(stateInput);
    stateOut = new Dense(32, "relu").apply(stateOut);
    KerasTensor actionInput = Input.of(1);
    KerasTensor actionOut = new Dense(32, "relu").apply(actionInput);
    KerasTensor concat = new Concatenate().apply(List.of(stateOut, actionOut));
    KerasTensor h = new Dense(256, "relu").apply(concat);
    h = new Dense(256, "relu").apply(h);
    KerasTensor out = new Dense(1).apply(h);
    return new Model(List.of(stateInput, actionInput), List.of(out), name);
  }

  /** The actor's action for one state (without exploration noise). */
  public float policy(float[] state) {
    return actorForward.apply(state)[0];
  }

  /** The two losses of a learning step: the critic's before any update, the actor's before its own update. */
  public record Losses(float critic, float actor) {}

  /** One learning step on {@code batch}: critic and actor updates, then both soft target updates. */
  public Losses learn(ReplayBuffer.Batch batch) {
    Map<String, Object> feeds = Map.of("state", batch.states(), "action", batch.actions(), "reward", batch.rewards(),
        "next_state", batch.nextStates(), "terminated", batch.terminated());
    StepResult r = learnStep.run(feeds);
    return new Losses(r.getFloat("critic_loss"), r.getFloat("actor_loss"));
  }

  /** The actor. */
  public Model actor() {
    return actor;
  }

  /** The critic, inputs {@code [state, action]}. */
  public Model critic() {
    return critic;
  }

  /** The target actor. */
  public Model targetActor() {
    return targetActor;
  }

  /** The target critic. */
  public Model targetCritic() {
    return targetCritic;
  }

  /** Closes the four networks. */
  @Override
  public void close() {
    targetCritic.close();
    targetActor.close();
    critic.close();
    actor.close();
  }
}
