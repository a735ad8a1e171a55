package io.github.keras4j.layers.merging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/** Functional models with two inputs joined by merging layers, trained with fit. */
class MergingModelTest {

  @Test
  void twoInputsThroughDenseAndConcatenateTrainWithFit() {
    Backend.clearSession();
    Backend.setRandomSeed(42);
    float[][] a = LayerChecks.randomMatrix(256, 3, 1);
    float[][] b = LayerChecks.randomMatrix(256, 2, 2);
    float[][] y = new float[256][1];
    for (int i = 0; i < 256; i++) {
      y[i][0] = a[i][0] + 2 * a[i][1] - a[i][2] + b[i][0] * b[i][1];
    }
    KerasTensor inA = Input.of("a", 3);
    KerasTensor inB = Input.of("b", 2);
    KerasTensor ha = new Dense(8, "tanh").apply(inA);
    KerasTensor hb = new Dense(8, "tanh").apply(inB);
    KerasTensor merged = new Concatenate().apply(List.of(ha, hb));
    assertEquals(16, merged.shape().get(1));
    KerasTensor out = new Dense(1).apply(merged);
    try (Model model = new Model(List.of(inA, inB), List.of(out))) {
      List<String> lines = new ArrayList<>();
      model.summary(lines::add);
      assertTrue(lines.stream().anyMatch(l -> l.contains("concatenate") && l.contains("(None, 16)")),
          String.join("\n", lines));
      model.compile(new Adam(0.02f), "mse");
      History h = model.fit(List.of(a, b), y, new FitOptions().epochs(30).batchSize(32).verbose(0));
      List<Double> loss = h.get("loss");
      // Seen: 1.09 after the first epoch, 0.0078 after 30.
      assertTrue(loss.get(loss.size() - 1) < 0.2 * loss.get(0), "loss did not decrease: " + loss);
      FloatNdArray p = model.predict(List.of(a, b));
      assertEquals(256, p.shape().get(0));
    }
  }

  @Test
  void siameseModelWithSharedDenseAndDotTrains() {
    Backend.clearSession();
    Backend.setRandomSeed(7);
    // Target: the dot product of the first two coordinates, a bilinear form the shared projection can learn.
    float[][] a = LayerChecks.randomMatrix(256, 4, 3);
    float[][] b = LayerChecks.randomMatrix(256, 4, 4);
    float[][] y = new float[256][1];
    for (int i = 0; i < 256; i++) {
      y[i][0] = a[i][0] * b[i][0] + a[i][1] * b[i][1];
    }
    KerasTensor inA = Input.of(4);
    KerasTensor inB = Input.of(4);
    Dense shared = Dense.builder(3).useBias(false).build();
    KerasTensor dot = Merging.dot(List.of(shared.apply(inA), shared.apply(inB)), 1);
    KerasTensor out = new Dense(1).apply(dot);
    try (Model model = new Model(List.of(inA, inB), List.of(out))) {
      model.compile(new Adam(0.02f), "mse");
      History h = model.fit(List.of(a, b), y, new FitOptions().epochs(30).batchSize(32).verbose(0));
      List<Double> loss = h.get("loss");
      // Seen: 0.64 after the first epoch, 0.00033 after 30.
      assertTrue(loss.get(loss.size() - 1) < 0.2 * loss.get(0), "loss did not decrease: " + loss);
    }
  }
}
