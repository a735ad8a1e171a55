package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.regularization.Dropout;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import io.github.keras4j.training.LambdaCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.StdArrays;

class ModelTrainingTest {

  static float[] labels(float[][] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] + x[i][1] > 0 ? 1 : 0;
    }
    return y;
  }

  private static List<Double> seededRun() {
    Backend.clearSession();
    Backend.setRandomSeed(1234);
    float[][] x = LayerChecks.randomMatrix(200, 3, 5);
    float[] y = labels(x);
    List<Double> batchLosses = new ArrayList<>();
    try (Sequential m = new Sequential(new InputLayer(3), new Dense(16, "relu"), new Dropout(0.2),
        new Dense(1, "sigmoid"))) {
      m.compile(new Adam(0.01f), "binary_crossentropy", "accuracy");
      m.fit(x, y, new FitOptions().epochs(3).batchSize(16).verbose(0)
          .callbacks(new LambdaCallback().onBatchEnd((b, logs) -> batchLosses.add(logs.get("loss")))));
    }
    return batchLosses;
  }

  @Test
  void seededRunsGiveBitIdenticalLosses() {
    List<Double> first = seededRun();
    List<Double> second = seededRun();
    assertEquals(39, first.size()); // 3 epochs x ceil(200/16) batches
    assertEquals(first, second);
  }

  @Test
  void learnsALinearlySeparableProblemAndReportsKerasKeys() {
    Backend.setRandomSeed(7);
    float[][] x = LayerChecks.randomMatrix(400, 2, 1);
    float[] y = labels(x);
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(8, "tanh"), new Dense(1, "sigmoid"))) {
      m.compile(new Adam(0.05f), "binary_crossentropy", "accuracy");
      History h = m.fit(x, y, new FitOptions().epochs(20).verbose(0).validationSplit(0.25));
      assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), new ArrayList<>(h.history().keySet()));
      assertEquals(20, h.epoch().size());
      assertTrue(h.last("val_accuracy") > 0.95, "val_accuracy " + h.last("val_accuracy"));
      assertTrue(h.get("loss").get(19) < h.get("loss").get(0));
    }
  }

  @Test
  void validationSplitHoldsOutTheLastSamplesBeforeShuffling() {
    Backend.setRandomSeed(3);
    float[][] x = LayerChecks.randomMatrix(100, 2, 2);
    float[] y = labels(x);
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1, "sigmoid"))) {
      m.compile(new SGD(0.1f), "binary_crossentropy", "accuracy");
      History h = m.fit(x, y, new FitOptions().epochs(2).verbose(0).validationSplit(0.2).batchSize(7));
      // The weights do not change after the last validation, so evaluating the last 20 samples must give
      // exactly the logged val_loss.
      float[][] xv = java.util.Arrays.copyOfRange(x, 80, 100);
      float[] yv = java.util.Arrays.copyOfRange(y, 80, 100);
      Map<String, Double> ev = m.evaluate(xv, yv, 7, 0);
      assertEquals(h.last("val_loss"), ev.get("loss"), 1e-7);
      assertEquals(h.last("val_accuracy"), ev.get("accuracy"), 1e-7);
    }
  }

  @Test
  void frozenLayerKeepsItsWeightsUnderFit() {
    Backend.setRandomSeed(11);
    Dense frozen = new Dense(4, "relu");
    frozen.setTrainable(false);
    Dense head = new Dense(1);
    try (Sequential m = new Sequential(new InputLayer(3), frozen, head)) {
      m.compile("adam", "mse");
      List<FloatNdArray> before = m.getWeights();
      float[][] x = LayerChecks.randomMatrix(64, 3, 4);
      m.fit(x, labels(x), new FitOptions().epochs(2).verbose(0));
      List<FloatNdArray> after = m.getWeights();
      assertEquals(before.get(0), after.get(0), "frozen kernel");
      assertEquals(before.get(1), after.get(1), "frozen bias");
      assertNotEquals(before.get(2), after.get(2), "trainable head kernel changed");
      assertEquals(2, m.trainableVariables().size());
    }
  }

  @Test
  void evaluateMatchesHandComputedWeightedMse() {
    KerasTensor in = Input.of(1);
    try (Model m = new Model(in, Dense.builder(1).useBias(false).build().apply(in))) {
      m.setWeights(List.of(StdArrays.ndCopyOf(new float[][] {{2f}})));
      m.compile("sgd", "mse", "mae");
      float[][] x = {{1}, {2}, {3}, {4}, {5}};
      float[] y = {1, 2, 3, 4, 5};
      // prediction 2x, error x: squared errors 1,4,9,16,25 -> mean 11; absolute 1..5 -> mean 3.
      Map<String, Double> ev = m.evaluate(x, y, 2, 0);
      assertEquals(11.0, ev.get("loss"), 1e-5);
      assertEquals(3.0, ev.get("mae"), 1e-6);
      // Sample weights w: Keras 3 reduces each batch as sum(l*w)/batch_size and averages batches by size,
      // so the loss is sum(l*w)/N = (1*1 + 4*0 + 9*2 + 16*1 + 25*0)/5 = 7; the metric is a weighted mean
      // sum(|e|*w)/sum(w) = (1 + 0 + 6 + 4 + 0)/4 = 2.75.
      Map<String, Double> w = m.evaluate(x, y, 2, 0, new float[] {1, 0, 2, 1, 0}, List.of());
      assertEquals(7.0, w.get("loss"), 1e-5);
      assertEquals(2.75, w.get("mae"), 1e-6);
    }
  }

  @Test
  void sgdStepMatchesHandComputedUpdate() {
    KerasTensor in = Input.of(1);
    try (Model m = new Model(in, Dense.builder(1).useBias(false).build().apply(in))) {
      m.setWeights(List.of(StdArrays.ndCopyOf(new float[][] {{0.5f}})));
      m.compile(new SGD(0.1f), "mse");
      // loss = mean((w x - y)^2) over x=[1,2], y=[2,4]; dL/dw = mean(2 (w x - y) x) = (2*-1.5*1 + 2*-3*2)/2 = -7.5
      Map<String, Double> logs = m.trainOnBatch(new float[][] {{1}, {2}}, new float[] {2, 4});
      assertEquals((1.5 * 1.5 + 3 * 3) / 2, logs.get("loss"), 1e-6);
      assertEquals(0.5 + 0.75, m.getWeights().get(0).getFloat(0, 0), 1e-6);
    }
  }

  @Test
  void functionalModelWithTwoInputsTwoOutputsAndASharedLayer() {
    Backend.setRandomSeed(5);
    KerasTensor a = Input.of("a", 3);
    KerasTensor b = Input.of("b", 3);
    Dense shared = new Dense(2, "tanh");
    KerasTensor ya = new Dense(1, "linear").apply(shared.apply(a));
    KerasTensor yb = shared.apply(b);
    try (Model m = new Model(List.of(a, b), List.of(ya, yb))) {
      // The shared Dense holds one kernel and bias: 3*2+2 = 8, plus the head 2+1 = 3.
      assertEquals(11, m.countParams());
      float[][] xa = LayerChecks.randomMatrix(32, 3, 1);
      float[][] xb = LayerChecks.randomMatrix(32, 3, 2);
      m.compile(new CompileOptions().optimizer("adam").loss("mse").lossWeights(List.of(1.0, 0.5)));
      History h = m.fit(List.of(xa, xb), List.of(labels(xa), LayerChecks.randomMatrix(32, 2, 3)),
          new FitOptions().epochs(2).verbose(0));
      String second = m.outputs().get(1).layer().name();
      assertTrue(h.history().containsKey("loss") && h.history().containsKey(second + "_loss"), h.history().keySet().toString());
      // Applying the shared layer to the same data through either path gives the same values.
      List<FloatNdArray> p = m.predictOutputs(List.of(xa, xa), 32);
      KerasTensor check = shared.apply(a);
      assertEquals(p.get(1).shape(), org.tensorflow.ndarray.Shape.of(32, 2));
      assertTrue(check.shape().get(1) == 2);
    }
  }

  @Test
  void initialEpochAndStopTrainingAreHonoured() {
    Backend.setRandomSeed(9);
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(1))) {
      m.compile("sgd", "mse");
      float[][] x = LayerChecks.randomMatrix(40, 2, 3);
      History h = m.fit(x, labels(x), new FitOptions().epochs(10).initialEpoch(2).verbose(0)
          .callbacks(new LambdaCallback().onEpochEnd((e, logs) -> {
            if (e == 4) {
              m.setStopTraining(true);
            }
          })));
      assertEquals(List.of(2, 3, 4), h.epoch());
    }
  }

  private static float oneStepKernel(FitOptions options) {
    KerasTensor in = Input.of(1);
    try (Model m = new Model(in, Dense.builder(1).useBias(false).build().apply(in))) {
      m.setWeights(List.of(StdArrays.ndCopyOf(new float[][] {{0f}})));
      m.compile(new SGD(0.1f), "mse");
      float[][] x = {{1}, {2}, {3}, {4}};
      float[] y = {1, 0, 1, 0};
      m.fit(x, y, options.epochs(1).batchSize(4).verbose(0).shuffle(false).stepsPerEpoch(1));
      return m.getWeights().get(0).getFloat(0, 0);
    }
  }

  @Test
  void classWeightActsAsPerSampleWeights() {
    // Labels 1,0,1,0 with classWeight {1: 3, 0: 0.5} are the sample weights 3, 0.5, 3, 0.5.
    float byClass = oneStepKernel(new FitOptions().classWeight(Map.of(0, 0.5, 1, 3.0)));
    float bySample = oneStepKernel(new FitOptions().sampleWeight(new float[] {3f, 0.5f, 3f, 0.5f}));
    // By hand from w = 0: loss = sum(w_i (x_i w - y_i)^2) / 4, dL/dw = sum(2 w_i (0 - y_i) x_i) / 4
    // = 2 (-3*1 - 3*3) / 4 = -6, so one SGD step of 0.1 gives w = 0.6.
    assertEquals(0.6f, bySample, 1e-6);
    assertEquals(bySample, byClass);
  }

  @Test
  void repeatedFitAndEvaluateReuseTheCompiledSteps() {
    // Each step is built once: later fit/evaluate/trainOnBatch calls add no ops to the graph.
    try (Sequential m = new Sequential(new InputLayer(2), new Dense(4, "relu"), new Dense(1))) {
      m.compile("adam", "mse", "mae");
      float[][] x = LayerChecks.randomMatrix(32, 2, 1);
      float[] y = labels(x);
      m.fit(x, y, new FitOptions().epochs(1).verbose(0).validationSplit(0.25));
      m.evaluate(x, y);
      m.trainOnBatch(x, y);
      m.predict(x);
      int ops = countOps(m);
      m.fit(x, y, new FitOptions().epochs(2).verbose(0).validationSplit(0.25));
      m.evaluate(x, y);
      m.trainOnBatch(x, y);
      m.predict(x);
      assertEquals(ops, countOps(m));
    }
  }

  private static int countOps(Model m) {
    int n = 0;
    for (var it = m.runtime().graph().operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }
}
