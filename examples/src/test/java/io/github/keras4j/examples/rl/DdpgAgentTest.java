package io.github.keras4j.examples.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Step;
import io.github.keras4j.models.StepResult;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The architecture, losses and in-graph soft updates of {@link DdpgAgent}. */
class DdpgAgentTest {

  private static float[] flat(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  private static ReplayBuffer.Batch batch(SplittableRandom r, int n) {
    float[][] s = new float[n][3];
    float[][] a = new float[n][1];
    float[] rew = new float[n];
    float[][] s2 = new float[n][3];
    for (int i = 0; i < n; i++) {
      double th = r.nextDouble() * 6 - 3;
      s[i] = new float[] {(float) Math.cos(th), (float) Math.sin(th), (float) (r.nextDouble() * 2 - 1)};
      s2[i] = new float[] {(float) Math.cos(th + 0.1), (float) Math.sin(th + 0.1), (float) (r.nextDouble() * 2 - 1)};
      a[i][0] = (float) (r.nextDouble() * 4 - 2);
      rew[i] = (float) -(th * th);
    }
    return new ReplayBuffer.Batch(s, a, rew, s2, new float[n]);
  }

  /**
   * The networks evaluated separately on the feeds {@code s}, {@code a}, {@code s2} (see {@link #feeds}):
   * {@code q} = Q(s, a), {@code q_mu} = Q(s, mu(s)), {@code q_next} = Q'(s2, mu'(s2)) and {@code mu} = mu(s).
   */
  private static Step probe(DdpgAgent agent) {
    return Step.build(agent.critic(), sb -> {
      Operand<TFloat32> s = sb.input("s", 3);
      Operand<TFloat32> a = sb.input("a", 1);
      Operand<TFloat32> s2 = sb.input("s2", 3);
      sb.output("q", agent.critic().call(List.of(s, a), false).get(0));
      sb.output("q_mu", agent.critic().call(List.of(s, agent.actor().call(s, false)), false).get(0));
      sb.output("q_next", agent.targetCritic().call(List.of(s2, agent.targetActor().call(s2, false)), false).get(0));
      sb.output("mu", agent.actor().call(s, false));
    });
  }

  /** The feeds of {@link #probe} for {@code b}. */
  private static Map<String, Object> feeds(ReplayBuffer.Batch b) {
    return Map.of("s", b.states(), "a", b.actions(), "s2", b.nextStates());
  }

  /**
   * After one learning step every target weight is tau * (the online weight after the step) + (1 - tau) * (the
   * target weight before it), for both the actor and the critic, with tau = 0.005; in one run per step and in
   * keras-io's order (critic run, then actor run with the soft updates).
   */
  @ParameterizedTest(name = "criticFirst={0}")
  @ValueSource(booleans = {false, true})
  void softUpdateFollowsTheTrainingUpdateInTheSameStep(boolean criticFirst) {
    Backend.clearSession();
    Backend.setRandomSeed(11);
    SplittableRandom r = new SplittableRandom(12);
    try (DdpgAgent agent = new DdpgAgent(3, 2.0, 0.002f, 0.001f, 0.99, 0.005, criticFirst)) {
      // a few steps first, so that targets and online networks differ
      for (int k = 0; k < 3; k++) {
        agent.learn(batch(r, 16));
      }
      Model[][] pairs = {{agent.actor(), agent.targetActor()}, {agent.critic(), agent.targetCritic()}};
      List<List<FloatNdArray>> onlineBefore = List.of(pairs[0][0].getWeights(), pairs[1][0].getWeights());
      List<List<FloatNdArray>> targetBefore = List.of(pairs[0][1].getWeights(), pairs[1][1].getWeights());
      agent.learn(batch(r, 16));
      for (int p = 0; p < 2; p++) {
        List<FloatNdArray> onlineAfter = pairs[p][0].getWeights();
        List<FloatNdArray> targetAfter = pairs[p][1].getWeights();
        assertEquals(onlineBefore.get(p).size(), targetAfter.size());
        for (int w = 0; w < onlineAfter.size(); w++) {
          float[] o = flat(onlineAfter.get(w));
          float[] t0 = flat(targetBefore.get(p).get(w));
          float[] t1 = flat(targetAfter.get(w));
          float[] o0 = flat(onlineBefore.get(p).get(w));
          boolean moved = false;
          for (int i = 0; i < o.length; i++) {
            assertEquals(0.005f * o[i] + 0.995f * t0[i], t1[i], 1e-6f, pairs[p][1].name() + " weight " + w + "[" + i + "]");
            moved |= o[i] != o0[i];
          }
          assertTrue(moved, pairs[p][0].name() + " weight " + w + " trained in the step");
        }
      }
    }
  }

  /**
   * The step's losses, before its updates, match the formulas evaluated on the networks separately:
   * critic loss mean((r + 0.99 Q'(s', mu'(s')) - Q(s, a))^2), actor loss -mean(Q(s, mu(s))). In one run per step
   * both come from the weights at the start of the step.
   */
  @Test
  void lossesFollowKerasIoFormulasInOneRun() {
    Backend.clearSession();
    Backend.setRandomSeed(13);
    SplittableRandom r = new SplittableRandom(14);
    try (DdpgAgent agent = new DdpgAgent(3, 2.0, 0.002f, 0.001f, 0.99, 0.005, false)) {
      agent.learn(batch(r, 16));   // targets now lag the online networks
      ReplayBuffer.Batch b = batch(r, 8);
      StepResult v = probe(agent).run(feeds(b));
      double critic = 0;
      double actor = 0;
      for (int i = 0; i < 8; i++) {
        double y = b.rewards()[i] + 0.99 * v.get("q_next").getFloat(i, 0);
        double e = y - v.get("q").getFloat(i, 0);
        critic += e * e / 8;
        actor -= v.get("q_mu").getFloat(i, 0) / 8;
        float mu = v.get("mu").getFloat(i, 0);
        assertTrue(mu >= -2 && mu <= 2, "the actor's action is within the bound: " + mu);
        assertEquals(mu, agent.policy(b.states()[i]), 1e-6);
      }
      DdpgAgent.Losses out = agent.learn(b);
      assertEquals(critic, out.critic(), 1e-4 * Math.max(1, critic));
      assertEquals(actor, out.actor(), 1e-5 * Math.max(1, Math.abs(actor)));
    }
  }

  /**
   * In keras-io's order the actor's loss is -mean(Q(s, mu(s))) with the critic AFTER this step's critic update and
   * the actor before its own update; the critic's loss uses the weights before the step.
   */
  @Test
  void criticFirstTrainsTheActorThroughTheUpdatedCritic() {
    Backend.clearSession();
    Backend.setRandomSeed(17);
    SplittableRandom r = new SplittableRandom(18);
    try (DdpgAgent agent = new DdpgAgent(3, 2.0, 0.002f, 0.001f, 0.99, 0.005)) {
      agent.learn(batch(r, 16));
      ReplayBuffer.Batch b = batch(r, 8);
      Step probe = probe(agent);
      StepResult before = probe.run(feeds(b));
      List<FloatNdArray> actorBefore = agent.actor().getWeights();
      List<FloatNdArray> criticBefore = agent.critic().getWeights();
      DdpgAgent.Losses out = agent.learn(b);
      agent.actor().setWeights(actorBefore);   // the critic keeps its updated weights
      StepResult afterCritic = probe.run(feeds(b));
      double critic = 0;
      double actorStale = 0;
      double actorFresh = 0;
      for (int i = 0; i < 8; i++) {
        double e = b.rewards()[i] + 0.99 * before.get("q_next").getFloat(i, 0) - before.get("q").getFloat(i, 0);
        critic += e * e / 8;
        actorStale -= before.get("q_mu").getFloat(i, 0) / 8;
        actorFresh -= afterCritic.get("q_mu").getFloat(i, 0) / 8;
      }
      assertTrue(!agent.critic().getWeights().equals(criticBefore), "the critic trained");
      assertEquals(critic, out.critic(), 1e-4 * Math.max(1, critic));
      assertEquals(actorFresh, out.actor(), 1e-5 * Math.max(1, Math.abs(actorFresh)));
      assertTrue(Math.abs(actorFresh - actorStale) > 1e-4, "the two orders are told apart: " + actorStale + " vs "
          + actorFresh);
    }
  }

  /** keras-io's actor: the last kernel is uniform in [-0.003, 0.003]; the networks have keras-io's sizes. */
  @Test
  void networksHaveKerasIoShapes() {
    Backend.clearSession();
    Backend.setRandomSeed(15);
    try (DdpgAgent agent = new DdpgAgent(3, 2.0, 0.002f, 0.001f, 0.99, 0.005)) {
      // actor: 3*256+256 + 256*256+256 + 256+1 = 1024 + 65792 + 257
      assertEquals(67_073, agent.actor().countParams());
      // critic: state 3*16+16 + 16*32+32, action 1*32+32, then 64*256+256 + 256*256+256 + 256+1
      assertEquals(64 + 544 + 64 + 16_640 + 65_792 + 257, agent.critic().countParams());
      float[] lastKernel = flat(agent.actor().getWeights().get(4));
      assertEquals(256, lastKernel.length);
      double maxAbs = 0;
      for (float w : lastKernel) {
        maxAbs = Math.max(maxAbs, Math.abs(w));
      }
      assertTrue(maxAbs <= 0.003 && maxAbs > 0.002, "last kernel spread " + maxAbs);
      assertEquals(agent.actor().getWeights(), agent.targetActor().getWeights(), "targets start as copies");
      assertEquals(agent.critic().getWeights(), agent.targetCritic().getWeights());
    }
  }
}
