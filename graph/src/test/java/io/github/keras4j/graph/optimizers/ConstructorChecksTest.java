package io.github.keras4j.graph.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each update class checks its settings once, in the private constructor both its fixed-rate and its scheduled
 * constructor delegate to: a bad setting gets the same message either way, a good one is accepted either way, and
 * a null schedule is refused.
 */
class ConstructorChecksTest {

  private static final LearningRateFunction HALF = (tf, k) -> tf.constant(0.5f);

  /** Builds an update with a bad setting, with the learning rate given as a float (0.1) or as a schedule. */
  private interface Maker {
    GraphOptimizer make(Object learningRate);
  }

  private static float rate(Object lr) {
    return (Float) lr;
  }

  private static LearningRateFunction schedule(Object lr) {
    return (LearningRateFunction) lr;
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of("Adam beta1", "beta1 must be in [0, 1). Received: beta1=1.0", (Maker) lr -> lr instanceof Float
            ? new AdamUpdate("adam", rate(lr), 1f, 0.999f, 1e-7f, true)
            : new AdamUpdate("adam", schedule(lr), 1f, 0.999f, 1e-7f, true)),
        Arguments.of("Nadam epsilon", "epsilon must be a finite number >= 0. Received: epsilon=-1.0",
            (Maker) lr -> lr instanceof Float ? new NadamUpdate("nadam", rate(lr), 0.9f, 0.999f, -1f)
                : new NadamUpdate("nadam", schedule(lr), 0.9f, 0.999f, -1f)),
        Arguments.of("Adamax beta2", "beta2 must be in [0, 1]. Received: beta2=1.5",
            (Maker) lr -> lr instanceof Float ? new AdamaxUpdate("adamax", rate(lr), 0.9f, 1.5f, 1e-7f)
                : new AdamaxUpdate("adamax", schedule(lr), 0.9f, 1.5f, 1e-7f)),
        Arguments.of("Adadelta rho", "rho must be in [0, 1]. Received: rho=-0.1",
            (Maker) lr -> lr instanceof Float ? new AdadeltaUpdate("adadelta", rate(lr), -0.1f, 1e-7f)
                : new AdadeltaUpdate("adadelta", schedule(lr), -0.1f, 1e-7f)),
        Arguments.of("Adagrad initialAccumulatorValue",
            "initialAccumulatorValue must be a finite number >= 0. Received: initialAccumulatorValue=-0.1",
            (Maker) lr -> lr instanceof Float ? new AdagradUpdate("adagrad", rate(lr), -0.1f, 1e-7f)
                : new AdagradUpdate("adagrad", schedule(lr), -0.1f, 1e-7f)),
        Arguments.of("RMSprop momentum", "momentum must be a number in [0, 1]. Received: momentum=2.0",
            (Maker) lr -> lr instanceof Float ? new RmsPropUpdate("rmsprop", rate(lr), 0.9f, 2f, 1e-7f, false)
                : new RmsPropUpdate("rmsprop", schedule(lr), 0.9f, 2f, 1e-7f, false)),
        Arguments.of("SGD momentum", "momentum must be a number in [0, 1]. Received: momentum=-1.0",
            (Maker) lr -> lr instanceof Float ? new SgdUpdate("SGD", rate(lr), -1f, false)
                : new SgdUpdate("SGD", schedule(lr), -1f, false)),
        Arguments.of("Lion beta1",
            "beta1 must be in (0, 1] (otherwise the optimizer degenerates to SignSGD). Received: beta1=0.0",
            (Maker) lr -> lr instanceof Float ? new LionUpdate("lion", rate(lr), 0f, 0.99f)
                : new LionUpdate("lion", schedule(lr), 0f, 0.99f)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void fixedAndScheduledConstructorsRefuseTheSameWay(String label, String expected, Maker maker) {
    String fixed = assertThrows(IllegalArgumentException.class, () -> maker.make(0.1f), label).getMessage();
    String scheduled = assertThrows(IllegalArgumentException.class, () -> maker.make(HALF), label).getMessage();
    assertTrue(fixed.endsWith(expected), label + ": " + fixed);
    assertTrue(fixed.startsWith("Optimizer '"), label + ": " + fixed);
    assertEquals(fixed, scheduled, label);
  }

  @Test
  void bothKindsAreBuiltFromTheirArguments() {
    Function<Object, GraphOptimizer> adam = lr -> lr instanceof Float
        ? new AdamUpdate("adam", rate(lr), 0.9f, 0.999f, 1e-7f)
        : new AdamUpdate("adam", schedule(lr), 0.9f, 0.999f, 1e-7f);
    GraphOptimizer fixed = adam.apply(0.25f);
    assertFalse(fixed.hasSchedule());
    assertEquals(0.25f, fixed.learningRate());
    GraphOptimizer scheduled = adam.apply(HALF);
    assertTrue(scheduled.hasSchedule());
    assertThrows(IllegalStateException.class, scheduled::learningRate, "a schedule's value exists only in a graph");
  }

  @Test
  void fixedRateIsCheckedAndScheduleMustNotBeNull() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LionUpdate("lion", 0f, 0.9f, 0.99f));
    assertEquals("Optimizer 'lion': learningRate must be a positive finite number. Received: learningRate=0.0",
        e.getMessage());
    assertThrows(NullPointerException.class, () -> new SgdUpdate("SGD", (LearningRateFunction) null, 0f, false));
    assertThrows(NullPointerException.class, () -> new AdamUpdate("adam", (LearningRateFunction) null, 0.9f, 0.999f,
        1e-7f, false));
  }
}
