package io.github.keras4j.losses;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.normalization.UnitNormalization;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.models.Step;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.TrainingSerialization;
import io.github.keras4j.training.FitOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Training smoke tests and the saved-form round trip shared by the tests of the focal, overlap and Circle losses. */
final class LossTraining {

  private LossTraining() {}

  /** The kind of toy problem a loss is trained on. */
  enum Task {
    /** One sigmoid output: is {@code x0 + x1 > 0}. */
    BINARY,
    /** Three softmax outputs: which of {@code x0, x1, x2} is largest. */
    CATEGORICAL,
    /** Four sigmoid outputs, a mask: is {@code x_j > 0}. */
    SEGMENTATION,
    /** Unit embeddings of 8 values for 4 classes of points (labels {@code (batch, 1)}), by a custom step. */
    EMBEDDING
  }

  /**
   * Fits a small model compiled with the loss {@code id} (Adam 0.02, 25 epochs, seed 3) and tells whether the last
   * epoch's loss is below 0.7 times the first's.
   */
  static boolean lossFalls(String id, Task task) {
    List<Double> losses = fit(id, task);
    boolean falls = losses.get(losses.size() - 1) < 0.7 * losses.get(0);
    if (!falls) {
      System.err.println(id + " on " + task + ": losses " + losses);
    }
    return falls;
  }

  /** The per-epoch training losses of {@link #lossFalls}. */
  static List<Double> fit(String id, Task task) {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    int n = 128;
    float[][] x = LayerChecks.randomMatrix(n, 4, 11);
    float[][] y;
    Sequential model;
    int batchSize = 32;
    switch (task) {
      case BINARY -> {
        y = new float[n][1];
        for (int i = 0; i < n; i++) {
          y[i][0] = x[i][0] + x[i][1] > 0 ? 1 : 0;
        }
        model = new Sequential(new InputLayer(4), new Dense(8, "tanh"), new Dense(1, "sigmoid"));
      }
      case CATEGORICAL -> {
        y = new float[n][3];
        for (int i = 0; i < n; i++) {
          int k = x[i][0] >= x[i][1] && x[i][0] >= x[i][2] ? 0 : x[i][1] >= x[i][2] ? 1 : 2;
          y[i][k] = 1;
        }
        model = new Sequential(new InputLayer(4), new Dense(8, "tanh"), new Dense(3, "softmax"));
      }
      case SEGMENTATION -> {
        y = new float[n][4];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < 4; j++) {
            y[i][j] = x[i][j] > 0 ? 1 : 0;
          }
        }
        model = new Sequential(new InputLayer(4), new Dense(8, "tanh"), new Dense(4, "sigmoid"));
      }
      default -> {
        // Class k: noise around the k-th corner of a square, so classes separate after a linear map.
        y = new float[n][1];
        for (int i = 0; i < n; i++) {
          int k = i % 4;
          y[i][0] = k;
          x[i][0] = (k % 2 == 0 ? 1 : -1) + 0.3f * x[i][0];
          x[i][1] = (k < 2 ? 1 : -1) + 0.3f * x[i][1];
        }
        model = new Sequential(new InputLayer(4), new Dense(8), new UnitNormalization());
        batchSize = 64;
      }
    }
    try (model) {
      if (task == Task.EMBEDDING) {
        return customStep(model, id, x, y);
      }
      model.compile(new Adam(0.02f), id);
      return model.fit(x, y, new FitOptions().epochs(25).batchSize(batchSize).verbose(0)).get("loss");
    }
  }

  /**
   * Keras's custom {@code train_step} over the whole set, 25 steps: fit refuses targets whose shape is not the
   * output's (but for sparse categorical cross-entropy), and Circle's labels are {@code (batch, 1)} against
   * embeddings {@code (batch, 8)}.
   */
  private static List<Double> customStep(Sequential model, String id, float[][] x, float[][] y) {
    Loss loss = Losses.get(id);
    Adam adam = new Adam(0.02f);
    Step step = Step.build(model, b -> {
      Operand<TFloat32> value = loss.compute(b.tf(), b.input("y", 1), model.call(b.input("x", 4), true), null);
      b.minimize(value, adam, model.trainableVariables());
      b.output("loss", value);
    });
    List<Double> losses = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      losses.add((double) step.run(Map.of("x", x, "y", y)).getFloat("loss"));
    }
    return losses;
  }

  /** {@code loss} written as a saved compile config does (through JSON) and read back. */
  static Loss throughSavedForm(Loss loss) {
    Object saved = Json.parse(Json.write(TrainingSerialization.serializeLoss(loss)), "test");
    return TrainingSerialization.deserializeLoss(saved, null);
  }
}
