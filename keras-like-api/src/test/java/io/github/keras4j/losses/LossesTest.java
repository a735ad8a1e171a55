package io.github.keras4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class LossesTest {

  @Test
  void functionIdsAndAliasesGiveLossesNamedAfterTheId() {
    assertEquals("mse", assertInstanceOf(MeanSquaredError.class, Losses.get("mse")).name());
    assertEquals("mean_squared_error", assertInstanceOf(MeanSquaredError.class, Losses.get("mean_squared_error")).name());
    assertEquals("mae", assertInstanceOf(MeanAbsoluteError.class, Losses.get("mae")).name());
    assertInstanceOf(MeanAbsoluteError.class, Losses.get("mean_absolute_error"));
    assertEquals(1.0f, assertInstanceOf(Huber.class, Losses.get("huber")).delta());
    assertFalse(assertInstanceOf(BinaryCrossentropy.class, Losses.get("binary_crossentropy")).fromLogits());
    assertFalse(assertInstanceOf(BinaryCrossentropy.class, Losses.get("bce")).fromLogits());
    assertFalse(assertInstanceOf(CategoricalCrossentropy.class, Losses.get("categorical_crossentropy")).fromLogits());
    assertFalse(assertInstanceOf(SparseCategoricalCrossentropy.class, Losses.get("sparse_categorical_crossentropy")).fromLogits());
  }

  @Test
  void classIdsGiveTheClassDefaultName() {
    assertEquals("huber_loss", Losses.get("Huber").name());
    assertEquals("mean_squared_error", Losses.get("MeanSquaredError").name());
    assertEquals("sparse_categorical_crossentropy", Losses.get("SparseCategoricalCrossentropy").name());
  }

  @Test
  void focalOverlapAndCircleIdsGiveKerasDefaults() {
    BinaryFocalCrossentropy bfce =
        assertInstanceOf(BinaryFocalCrossentropy.class, Losses.get("binary_focal_crossentropy"));
    assertEquals(Map.of("name", "binary_focal_crossentropy", "from_logits", false, "label_smoothing", 0f, "axis", -1,
        "apply_class_balancing", false, "alpha", 0.25f, "gamma", 2f), bfce.getConfig());
    assertEquals(bfce.getConfig(), Losses.get("BinaryFocalCrossentropy").getConfig());
    CategoricalFocalCrossentropy cfce =
        assertInstanceOf(CategoricalFocalCrossentropy.class, Losses.get("categorical_focal_crossentropy"));
    assertEquals(Map.of("name", "categorical_focal_crossentropy", "from_logits", false, "label_smoothing", 0f,
        "axis", -1, "alpha", 0.25f, "gamma", 2f), cfce.getConfig());
    assertEquals(cfce.getConfig(), Losses.get("CategoricalFocalCrossentropy").getConfig());
    assertNull(assertInstanceOf(Dice.class, Losses.get("dice")).axis());
    assertEquals("dice", Losses.get("Dice").name());
    Tversky tversky = assertInstanceOf(Tversky.class, Losses.get("tversky"));
    assertEquals(0.5f, tversky.alpha());
    assertEquals(0.5f, tversky.beta());
    assertEquals("tversky", Losses.get("Tversky").name());
    Circle circle = assertInstanceOf(Circle.class, Losses.get("circle"));
    assertEquals(80f, circle.gamma());
    assertEquals(0.4f, circle.margin());
    assertTrue(circle.removeDiagonal());
  }

  @Test
  void fromConfigRebuildsConfiguredAndNameOnlyClasses() {
    // A configured class through its own fromConfig, a name-only class as ofClass, another class gives null.
    assertEquals(0.5f, assertInstanceOf(Tversky.class, Losses.fromConfig("Tversky", Map.of("alpha", 0.5, "beta",
        0.5))).alpha());
    assertEquals("err", assertInstanceOf(MeanSquaredError.class,
        Losses.fromConfig("MeanSquaredError", Map.of("name", "err"))).name());
    assertEquals("mean_absolute_error", Losses.fromConfig("MeanAbsoluteError", Map.of()).name());
    assertNull(Losses.fromConfig("NoSuchLoss", Map.of()));
  }

  @Test
  void eachCallGivesANewLoss() {
    assertFalse(Losses.get("mse") == Losses.get("mse"));
  }

  @Test
  void unknownIdListsValidIds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.get("mxe"));
    assertTrue(e.getMessage().startsWith("Unknown loss: 'mxe'. Valid ids: mean_squared_error, mse, MSE, MeanSquaredError, "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("categorical_hinge, CategoricalHinge, binary_focal_crossentropy, "
        + "BinaryFocalCrossentropy, categorical_focal_crossentropy, CategoricalFocalCrossentropy, dice, Dice, tversky, "
        + "Tversky, circle, Circle, categorical_generalized_cross_entropy, CategoricalGeneralizedCrossEntropy"),
        e.getMessage());
    assertEquals(Losses.ids().size(), e.getMessage().substring(e.getMessage().indexOf(": ", 20) + 2).split(", ").length);
  }

  @Test
  void crossentropyIdIsResolvedFromShapesAsKeras3CompileUtils() {
    assertInstanceOf(BinaryCrossentropy.class, Losses.get("crossentropy", Shape.of(-1, 1), Shape.of(-1, 1)));
    assertInstanceOf(SparseCategoricalCrossentropy.class, Losses.get("ce", Shape.of(-1), Shape.of(-1, 10)));
    assertInstanceOf(SparseCategoricalCrossentropy.class, Losses.get("ce", Shape.of(-1, 1), Shape.of(-1, 10)));
    assertEquals("CE", assertInstanceOf(CategoricalCrossentropy.class, Losses.get("CE", Shape.of(-1, 10), Shape.of(-1, 10))).name());
    assertInstanceOf(MeanSquaredError.class, Losses.get("mse", Shape.of(-1, 10), Shape.of(-1, 10)));
  }
}
