package io.github.keras4j.optimizers;

import static io.github.keras4j.optimizers.KerasReference.constant;
import static io.github.keras4j.optimizers.KerasReference.exponential;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import org.junit.jupiter.api.Test;

/** Adamax against keras/src/optimizers/adamax.py, written out in {@link KerasReference#adamax}. */
class AdamaxTest {

  @Test
  void defaultsAreKeras() {
    BetaOptimizerChecks.assertKerasDefaults(new Adamax(), "adamax");
  }

  @Test
  void threeStepsFollowKerasFormula() {
    BetaOptimizerChecks.assertFollowsReference(new Adamax(0.1f), KerasReference::adamax, constant(0.1f, 3), 0.9f,
        0.999f, 1e-7f);
  }

  @Test
  void otherSettingsAndAScheduleFollowKerasFormula() {
    // beta2 0.5 lets the infinity norm decay below |g| of later steps, so both sides of the max are taken.
    BetaOptimizerChecks.assertFollowsReference(new Adamax(new ExponentialDecay(0.2, 1, 0.5), 0.7f, 0.5f, 1e-2f),
        KerasReference::adamax, exponential(0.2, 0.5, 3), 0.7f, 0.5f, 1e-2f);
  }

  @Test
  void rejectsBadArgumentsNamingOptimizerAndArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adamax(0.001f, 0.9f, 1.5f,
        1e-7f));
    assertTrue(e.getMessage().matches("Optimizer 'adamax(_\\d+)?': beta2 must be in \\[0, 1\\]\\. Received: "
        + "beta2=1\\.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Adamax(0.001f, -0.1f, 0.999f, 1e-7f));
    assertTrue(e.getMessage().contains("beta1 must be in [0, 1). Received: beta1=-0.1"), e.getMessage());
  }
}
