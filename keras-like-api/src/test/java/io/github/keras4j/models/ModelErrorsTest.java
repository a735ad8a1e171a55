package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.training.FitOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelErrorsTest {

  @BeforeEach
  void names() {
    Backend.clearSession();
  }

  /** A layer whose declared output shape (None, 3) is wrong: its call returns (batch, 2). */
  static final class WrongShape extends io.github.keras4j.layers.Layer {
    @Override
    public org.tensorflow.ndarray.Shape computeOutputShape(org.tensorflow.ndarray.Shape inputShape) {
      return org.tensorflow.ndarray.Shape.of(-1, 3);
    }

    @Override
    protected org.tensorflow.Operand<org.tensorflow.types.TFloat32> call(
        org.tensorflow.op.Ops tf, org.tensorflow.Operand<org.tensorflow.types.TFloat32> x, boolean training) {
      return x;
    }
  }

  @Test
  void predictRefusesOutputsThatDisagreeWithTheInferredShape() {
    try (Sequential m = new Sequential(new InputLayer(2), new WrongShape())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(new float[][] {{1, 2}}));
      assertEquals("predict(): output 0 of model 'sequential' (layer 'wrong_shape') is inferred as (None, 3) but the "
          + "graph computed (1, 2) for a batch of 1", e.getMessage());
    }
  }

  /** A model used in the session's graph must not break the names of the next model's layers. */
  @Test
  void secondModelAfterAPredictionBuildsInTheSameGraph() {
    try (Sequential a = new Sequential(new InputLayer(2), new Dense(1));
        Sequential b = new Sequential(new InputLayer(2), new Dense(1))) {
      a.predict(new float[3][2]);
      try (Sequential c = new Sequential(new InputLayer(2), new Dense(1))) {
        assertEquals(3, c.predict(new float[3][2]).shape().get(0));
        assertEquals(3, b.predict(new float[3][2]).shape().get(0));
      }
    }
  }

  @Test
  void fitBeforeCompile() {
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> m.fit(new float[][] {{1, 2}}, new float[] {1}));
      assertEquals("You must call compile() before fit() on model 'sequential'", e.getMessage());
      assertThrows(IllegalStateException.class, () -> m.evaluate(new float[][] {{1, 2}}, new float[] {1}));
    }
  }

  @Test
  void mismatchedSampleCounts() {
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      m.compile("sgd", "mse");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.fit(new float[][] {{1, 2}, {3, 4}, {5, 6}}, new float[] {1, 2}, new FitOptions().verbose(0)));
      assertEquals("Data cardinality is ambiguous. Make sure all arrays contain the same number of samples. "
          + "'x' sizes: 3 'y' sizes: 2", e.getMessage());
    }
  }

  @Test
  void wrongInputWidthNamesTheLayerAndBothShapes() {
    try (Sequential m = new Sequential(new InputLayer(784), new Dense(10))) {
      m.compile("sgd", "mse");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.fit(new float[2][28][28], new float[2][10], new FitOptions().verbose(0)));
      assertEquals("Input 0 of layer 'dense' is incompatible with the layer: expected shape=(None, 784), "
          + "found shape=(None, 28, 28)", e.getMessage());
    }
  }

  @Test
  void wrongTargetShape() {
    try (Sequential m = new Sequential(new InputLayer(4), new Dense(3))) {
      m.compile("sgd", "mse");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.fit(new float[2][4], new float[2][5], new FitOptions().verbose(0)));
      assertEquals("Target 0 is incompatible with the output of layer 'dense': expected shape=(None, 3), "
          + "found shape=(None, 5)", e.getMessage());
    }
  }

  @Test
  void unknownIdsListTheValidOnes() {
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      IllegalArgumentException loss = assertThrows(IllegalArgumentException.class, () -> m.compile("adam", "mxe"));
      assertTrue(loss.getMessage().contains("'mxe'") && loss.getMessage().contains("mean_squared_error"),
          loss.getMessage());
      IllegalArgumentException opt = assertThrows(IllegalArgumentException.class, () -> m.compile("adma", "mse"));
      assertTrue(opt.getMessage().contains("'adma'") && opt.getMessage().contains("adam"), opt.getMessage());
    }
  }

  @Test
  void emptyData() {
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      m.compile("sgd", "mse");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.fit(new float[0][2], new float[0], new FitOptions().verbose(0)));
      assertEquals("fit(): expected input data to be non-empty, but 'x' has 0 samples", e.getMessage());
    }
  }

  @Test
  void nanInInputsIsReportedWithItsIndex() {
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      m.compile("sgd", "mse");
      float[][] x = {{1, 2}, {3, Float.NaN}};
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.fit(x, new float[] {1, 2}, new FitOptions().verbose(0)));
      assertEquals("'x' contains NaN at index [1, 1]: inputs and targets must be finite", e.getMessage());
      float[] y = {1, Float.POSITIVE_INFINITY};
      IllegalArgumentException ey = assertThrows(IllegalArgumentException.class,
          () -> m.fit(new float[][] {{1, 2}, {3, 4}}, y, new FitOptions().verbose(0)));
      assertEquals("'y' contains Inf at index [1, 0]: inputs and targets must be finite", ey.getMessage());
    }
  }

  @Test
  void predictOnUnbuiltSequentialBuildsFromData() {
    try (Sequential m = new Sequential(new Flatten(), new Dense(2))) {
      assertEquals(false, m.isBuilt());
      IllegalStateException e = assertThrows(IllegalStateException.class, m::getWeights);
      assertTrue(e.getMessage().contains("not built"), e.getMessage());
      assertEquals(2, m.predict(new float[3][2][2]).shape().get(1));
      assertEquals(4 * 2 + 2, m.countParams());
    }
  }

  @Test
  void closedModelRejectsUse() {
    Sequential m = new Sequential(new InputLayer(2), new Dense(1));
    m.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.compile("sgd", "mse"));
    assertEquals("Model 'sequential' has been closed", e.getMessage());
  }

  /** TensorFlow would truncate 2.5 to class 2 silently; out-of-range labels fail inside the step unnamed. */
  @Test
  void sparseLabelsMustBeWholeClassIndicesBelowTheOutputWidth() {
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(3, "softmax"))) {
      m.compile("adam", "sparse_categorical_crossentropy");
      float[][] x = new float[3][2];
      IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
          () -> m.fit(x, new float[] {0, 2.5f, 1}, new FitOptions().verbose(0)));
      assertEquals("Target 0 for output of layer 'dense' must hold whole class indices in [0, 3) for "
          + "sparse_categorical_crossentropy; found 2.5 at row 1 of 'y'", half.getMessage());
      IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
          () -> m.evaluate(x, new float[] {0, 1, 3}));
      assertTrue(high.getMessage().endsWith("found 3 at row 2 of 'y'"), high.getMessage());
      IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
          () -> m.fit(x, new float[] {-1, 1, 2}, new FitOptions().verbose(0)));
      assertTrue(negative.getMessage().endsWith("found -1 at row 0 of 'y'"), negative.getMessage());
      // The bounds themselves are valid: 0 and width - 1.
      assertEquals(1, m.fit(x, new float[] {0, 2, 1}, new FitOptions().verbose(0)).get("loss").size());
    }
  }

  /** Keras refuses a second layer of the same name: saving and getLayer() rely on one layer per name. */
  @Test
  void duplicateLayerNamesAreRefused() {
    Dense first = Dense.builder(2).name("hidden").build();
    IllegalArgumentException seq = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(new InputLayer(2), first, Dense.builder(1).name("hidden").build()));
    assertEquals("All layers added to a Sequential model should have unique names. Name 'hidden' is already the "
        + "name of a layer in model 'sequential'. Update the `name` argument to pass a unique name.",
        seq.getMessage());

    KerasTensor in = Input.of(2);
    KerasTensor out = Dense.builder(1).name("hidden").build().apply(Dense.builder(2).name("hidden").build().apply(in));
    IllegalArgumentException functional = assertThrows(IllegalArgumentException.class, () -> new Model(in, out));
    assertEquals("The name \"hidden\" is used 2 times in model 'functional'. All layer names should be unique.",
        functional.getMessage());
  }

  @Test
  void inputShapeErrorShowsTheValuesGiven() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InputLayer(-1, 8));
    assertEquals("InputLayer 'input_layer': every dimension of shape must be positive (only the batch size is left "
        + "open; pad sequences to one length). Received: shape=(-1, 8)", e.getMessage());
  }
}
