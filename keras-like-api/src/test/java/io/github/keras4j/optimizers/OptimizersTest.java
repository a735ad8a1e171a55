package io.github.keras4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptimizersTest {

  @Test
  void getsOptimizersByKerasIdIgnoringCase() {
    assertInstanceOf(SGD.class, Optimizers.get("sgd"));
    assertInstanceOf(SGD.class, Optimizers.get("SGD"));
    assertInstanceOf(RMSprop.class, Optimizers.get("rmsprop"));
    assertInstanceOf(RMSprop.class, Optimizers.get("RMSprop"));
    assertInstanceOf(Adagrad.class, Optimizers.get("Adagrad"));
    assertInstanceOf(Adam.class, Optimizers.get("adam"));
    assertInstanceOf(Adam.class, Optimizers.get("ADAM"));
    assertInstanceOf(AdamW.class, Optimizers.get("adamw"));
    assertInstanceOf(AdamW.class, Optimizers.get("AdamW"));
    assertInstanceOf(Nadam.class, Optimizers.get("nadam"));
    assertInstanceOf(Adamax.class, Optimizers.get("Adamax"));
    assertInstanceOf(Adadelta.class, Optimizers.get("adadelta"));
    assertInstanceOf(Lion.class, Optimizers.get("Lion"));
    assertInstanceOf(Lamb.class, Optimizers.get("lamb"));
    assertInstanceOf(Ftrl.class, Optimizers.get("ftrl"));
    assertInstanceOf(Ftrl.class, Optimizers.get("Ftrl"));
    assertInstanceOf(Adafactor.class, Optimizers.get("adafactor"));
    assertInstanceOf(Adafactor.class, Optimizers.get("Adafactor"));
    assertInstanceOf(Muon.class, Optimizers.get("Muon"));
    assertInstanceOf(ScheduleFreeAdamW.class, Optimizers.get("ScheduleFreeAdamW"));
  }

  @Test
  void returnsAFreshOptimizerWithKerasDefaults() {
    Optimizer first = Optimizers.get("adam");
    assertNotSame(first, Optimizers.get("adam"));
    assertEquals(new Adam().getConfig().get("learning_rate"), first.getConfig().get("learning_rate"));
    assertEquals(0.01f, Optimizers.get("sgd").getConfig().get("learning_rate"));
  }

  @Test
  void unknownIdListsTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.get("adamz"));
    assertTrue(e.getMessage().contains("'adamz'"), e.getMessage());
    assertTrue(e.getMessage().contains("adadelta, adafactor, adagrad, adam, adamax, adamw, ftrl, lamb, lion, muon, "
        + "nadam, rmsprop, schedulefreeadamw, sgd"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizers.get(null));
  }
}
