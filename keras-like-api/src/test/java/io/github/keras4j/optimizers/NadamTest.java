package io.github.keras4j.optimizers;

import static io.github.keras4j.optimizers.KerasReference.constant;
import static io.github.keras4j.optimizers.KerasReference.exponential;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Nadam against keras/src/optimizers/nadam.py, written out in {@link KerasReference#nadam}. */
class NadamTest {

  @Test
  void defaultsAreKeras() {
    Map<String, Object> config = BetaOptimizerChecks.assertKerasDefaults(new Nadam(), "nadam");
    assertEquals(null, config.get("weight_decay"));
  }

  @Test
  void threeStepsFollowKerasFormulaWithItsMomentumSchedule() {
    // Learning rate 0.1, so that every step is large against float32 rounding.
    BetaOptimizerChecks.assertFollowsReference(new Nadam(0.1f), KerasReference::nadam, constant(0.1f, 3), 0.9f,
        0.999f, 1e-7f);
  }

  @Test
  void otherSettingsAndAScheduleFollowKerasFormula() {
    // ExponentialDecay(0.2, 1, 0.5): the rate of step k (from 0) is 0.2 * 0.5^k.
    BetaOptimizerChecks.assertFollowsReference(new Nadam(new ExponentialDecay(0.2, 1, 0.5), 0.8f, 0.9f, 1e-3f),
        KerasReference::nadam, exponential(0.2, 0.5, 3), 0.8f, 0.9f, 1e-3f);
  }

  @Test
  void rejectsBadArgumentsNamingOptimizerAndArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Nadam(0.001f, 1f, 0.999f,
        1e-7f));
    assertTrue(e.getMessage().matches("Optimizer 'nadam(_\\d+)?': beta1 must be in \\[0, 1\\)\\. Received: "
        + "beta1=1\\.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Nadam(0.001f, 0.9f, 0.999f, -1f));
    assertTrue(e.getMessage().contains("epsilon must be a finite number >= 0. Received: epsilon=-1.0"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Nadam(0f));
    assertTrue(e.getMessage().contains("learningRate must be a positive finite number. Received: learningRate=0.0"),
        e.getMessage());
  }
}
