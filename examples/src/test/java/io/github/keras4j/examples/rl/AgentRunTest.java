package io.github.keras4j.examples.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.examples.ExampleOptions;
import io.github.keras4j.examples.rl.env.CartPole;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/** The seeds, checks and best weights that {@link AgentRun} keeps for the three examples. */
class AgentRunTest {

  @TempDir
  Path dir;

  /**
   * Every stream comes from {@code --seed}: the run's random stream, the first episode's reset (later ones continue the
   * environment's generator), the checks at seed + 1,000,000 + episode and the final evaluation at seed + 2,000,000.
   */
  @Test
  void seedsComeFromTheRunSeed() {
    try (AgentRun run = new AgentRun("t", new ExampleOptions().seed(7).logDir(dir), Dqn.Settings.defaults(), 100)) {
      assertEquals(new SplittableRandom(7).nextLong(), run.random.nextLong());
      CartPole env = new CartPole();
      CartPole reference = new CartPole();
      assertArrayEquals(reference.reset(7), run.startEpisode(env, 1));
      assertArrayEquals(reference.reset(), run.startEpisode(env, 2));
      assertEquals(1_000_017L, run.checkSeed(10));
      assertEquals(2_000_007L, run.evalSeed());
    }
  }

  /**
   * Checks scoring 10, 5 and 475: the first is kept (the second is worse), the last is kept and solves (475 reached);
   * each is logged as a scalar at its episode, and restoring puts back the kept weights.
   */
  @Test
  void checksKeepTheBestWeightsAndSayWhenSolved() throws Exception {
    Reinforce.Settings s = Reinforce.Settings.defaults().episodes(3);
    try (AgentRun run = new AgentRun("t", new ExampleOptions().seed(3).logDir(dir), s, 100);
        ReinforceAgent agent = new ReinforceAgent(4, CartPole.ACTIONS, 8, 0.1f)) {
      List<FloatNdArray> first = agent.policy().getWeights();
      run.check("check_return", "check", 10, 1, agent.policy(), 475);
      assertFalse(run.solved());
      agent.learn(new float[][] {{0.1f, 0.2f, 0.3f, 0.4f}}, new int[] {1}, new float[] {1f});
      assertNotEquals(first, agent.policy().getWeights(), "the learning step changed the weights");
      run.check("check_return", "check", 5, 2, agent.policy(), 475);
      assertFalse(run.solved());
      assertEquals(1, run.best.bestEpisode());
      run.best.restore(agent.policy());
      assertEquals(first, agent.policy().getWeights());
      run.check("check_return", "check", 475, 3, agent.policy(), 475);
      assertTrue(run.solved());
      assertEquals(3, run.best.bestEpisode());
    }
    assertEquals(List.of(10f, 5f, 475f), EventScalars.read(dir).get("check_return"));
  }
}
