package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.StringTensors;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.preprocessing.TextVectorization;
import io.github.keras4j.optimizers.SGD;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** A custom {@link Step} fed strings: {@link StepBuilder#stringInput}. */
class StepStringInputTest {

  private static final String[] TEXT = {"a b a", "zz", "c a b"};
  private static final float[][] Y = {{2}, {0}, {1}};

  /** Input.ofStrings() -> multi_hot over [UNK], a, b, c -> Dense(1) without bias, every kernel weight 0.5. */
  private static Model model() {
    TextVectorization v = TextVectorization.builder().vocabulary("a", "b", "c").outputMode("multi_hot").build();
    KerasTensor text = Input.ofStrings();
    Dense dense = Dense.builder(1).useBias(false).kernelInitializer(new Constant(0.5)).build();
    return new Model(text, dense.apply(v.apply(text)));
  }

  /** An MSE training step on string inputs with SGD(0.3), fetching the predictions and the loss. */
  private static Step mseStep(Model model) {
    SGD sgd = new SGD(0.3f);
    return Step.build(model, b -> {
      Ops tf = b.tf();
      Operand<TString> text = b.stringInput("text");
      Operand<TFloat32> y = b.input("y", 1);
      Operand<TFloat32> p = model.call(StringTensors.carry(text), true);
      Operand<TFloat32> loss = tf.math.mean(tf.math.square(tf.math.sub(p, y)), tf.constant(new int[] {0, 1}));
      b.minimize(loss, sgd, model.trainableVariables());
      b.output("p", p);
      b.output("loss", loss);
    });
  }

  @Test
  void aStepFedStringsComputesAndTrainsAsWorkedByHand() {
    Backend.clearSession();
    try (Model model = model()) {
      Step step = mseStep(model);
      // By hand: multi-hot rows [UNK, a, b, c] = [0,1,1,0], [1,0,0,0], [0,1,1,1]; p = 0.5 * row sums = 1, 0.5, 1.5.
      // Errors p - y = -1, 0.5, 0.5: loss = (1 + 0.25 + 0.25) / 3 = 0.5.
      StepResult first = step.run(Map.of("text", TEXT, "y", Y));
      FloatNdArray p = first.get("p");
      assertEquals(1f, p.getFloat(0, 0), 1e-6f);
      assertEquals(0.5f, p.getFloat(1, 0), 1e-6f);
      assertEquals(1.5f, p.getFloat(2, 0), 1e-6f);
      assertEquals(0.5f, first.getFloat("loss"), 1e-6f);
      // Gradient (2/3) * sum_i e_i * row_i = [1/3, -1/3, -1/3, 1/3]; SGD 0.3 -> weights [0.4, 0.6, 0.6, 0.4].
      // Second run: p = 1.2, 0.4, 1.6; errors -0.8, 0.4, 0.6; loss = (0.64 + 0.16 + 0.36) / 3.
      StepResult second = step.run(Map.of("text", TEXT, "y", Y));
      assertEquals(1.2f, second.get("p").getFloat(0, 0), 1e-6f);
      assertEquals(0.4f, second.get("p").getFloat(1, 0), 1e-6f);
      assertEquals(1.6f, second.get("p").getFloat(2, 0), 1e-6f);
      assertEquals(1.16f / 3, second.getFloat("loss"), 1e-6f);
      // A String[][] with one column feeds a (None, 1) string input; a String a scalar one.
      Step lengths = Step.build(model, b -> {
        Ops tf = b.tf();
        Operand<TString> rows = b.stringInput("rows", 1);
        Operand<TString> word = b.stringInput("word", Shape.scalar());
        Operand<TFloat32> chars = tf.dtypes.cast(tf.strings.stringLength(rows), TFloat32.class);
        b.output("total", tf.math.add(tf.sum(chars, tf.constant(new int[] {0, 1})),
            tf.dtypes.cast(tf.strings.stringLength(word), TFloat32.class)));
      });
      // 5 + 2 + 0 bytes in the rows, 4 in the word.
      assertEquals(11f, lengths.run(Map.of("rows", new String[][] {{"hello"}, {"hi"}, {""}}, "word", "word"))
          .getFloat("total"), 0f);
    }
  }

  @Test
  void stringsForAFloatInputAndNumbersForAStringInputAreRefused() {
    Backend.clearSession();
    try (Model model = model()) {
      Step step = mseStep(model);
      IllegalArgumentException numbers = assertThrows(IllegalArgumentException.class,
          () -> step.run(Map.of("text", new float[] {1, 2, 3}, "y", Y)));
      assertTrue(numbers.getMessage().contains("'text'") && numbers.getMessage().contains("dtype string")
          && numbers.getMessage().contains("received numbers"), numbers.getMessage());
      IllegalArgumentException strings = assertThrows(IllegalArgumentException.class,
          () -> step.run(Map.of("text", TEXT, "y", new String[][] {{"2"}, {"0"}, {"1"}})));
      assertTrue(strings.getMessage().contains("'y'") && strings.getMessage().contains("dtype float32")
          && strings.getMessage().contains("received strings") && strings.getMessage().contains("stringInput"),
          strings.getMessage());
      IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
          () -> step.run(Map.of("text", new String[][] {{"a"}}, "y", new float[][] {{1}})));
      assertTrue(shape.getMessage().contains("(None,)") && shape.getMessage().contains("(1, 1)"), shape.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Step.build(model, b -> {
        b.stringInput("x");
        b.input("x", 1);
      }));
    }
  }
}
