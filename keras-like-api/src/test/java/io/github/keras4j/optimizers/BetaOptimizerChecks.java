package io.github.keras4j.optimizers;

import static io.github.keras4j.optimizers.KerasReference.GRADIENTS;
import static io.github.keras4j.optimizers.KerasReference.INITIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/**
 * The checks that {@link AdamaxTest} and {@link NadamTest} share: the two optimizers have the same settings
 * ({@code beta_1}, {@code beta_2}, {@code epsilon}) and Keras's same defaults, and each is checked step by step against
 * its update rule written out in {@link KerasReference}.
 */
final class BetaOptimizerChecks {

  /** An update rule of {@link KerasReference} with {@code beta_1}, {@code beta_2} and {@code epsilon}. */
  @FunctionalInterface
  interface Reference {
    /** The weights after each step (see {@link KerasReference}). */
    double[][] apply(double[] lr, double weightDecay, double b1, double b2, double eps, float[] initial,
        float[][] grads);
  }

  private BetaOptimizerChecks() {}

  /**
   * Checks the generated name's prefix, Keras's config keys in Keras's order and Keras's defaults
   * ({@code learning_rate=0.001}, {@code beta_1=0.9}, {@code beta_2=0.999}, {@code epsilon=1e-7}, as
   * {@code keras/src/optimizers/adamax.py} and {@code nadam.py}); returns the config for further checks.
   */
  static Map<String, Object> assertKerasDefaults(Optimizer optimizer, String namePrefix) {
    assertTrue(optimizer.name().startsWith(namePrefix), optimizer.name());
    Map<String, Object> config = optimizer.getConfig();
    assertEquals(List.of("name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
        "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps",
        "beta_1", "beta_2", "epsilon"), List.copyOf(config.keySet()));
    assertEquals(0.001f, config.get("learning_rate"));
    assertEquals(0.9f, config.get("beta_1"));
    assertEquals(0.999f, config.get("beta_2"));
    assertEquals(1e-7f, config.get("epsilon"));
    return config;
  }

  /**
   * Three steps of {@code optimizer} on {@link KerasReference#INITIAL} with {@link KerasReference#GRADIENTS}, against
   * {@code reference} with the learning rate of each step {@code lr}, no weight decay and the given betas and epsilon.
   */
  static void assertFollowsReference(Optimizer optimizer, Reference reference, double[] lr, float beta1, float beta2,
      float epsilon) {
    float[][] w = FedSteps.run(optimizer, INITIAL, GRADIENTS);
    FedSteps.assertClose(reference.apply(lr, 0, beta1, beta2, epsilon, INITIAL, GRADIENTS), w);
  }
}
