package io.github.keras4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.schedules.CosineDecayRestarts;
import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.TrainingSerialization;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * AdamW, Nadam, Adamax, Adadelta, Lion, Ftrl, Adafactor, Muon, ScheduleFreeAdamW, Lamb (and Adam with amsgrad, weight
 * decay on other optimizers) in real training: fit reduces the loss; several steps per execution train
 * bit-identically to single steps; a saved model comes back with the optimizer's class, config (weight decay
 * included) and state (slots, Nadam's {@code u_product}, ScheduleFreeAdamW's momentum copied from the weights, step
 * counter), so it takes the same next step; the config survives serialization through JSON.
 */
class OptimizerTrainingTest {

  @TempDir
  Path dir;

  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("AdamW", (Supplier<Optimizer>) () -> new AdamW(0.02f, 0.05f)),
        Arguments.of("Adam amsgrad", (Supplier<Optimizer>) () -> new Adam(0.02f, 0.9f, 0.99f, 1e-7f, true)),
        Arguments.of("Nadam", (Supplier<Optimizer>) () -> new Nadam(0.02f)),
        Arguments.of("Nadam schedule", (Supplier<Optimizer>) () -> new Nadam(new ExponentialDecay(0.03, 5, 0.9))),
        Arguments.of("Adamax", (Supplier<Optimizer>) () -> new Adamax(0.03f).weightDecay(0.01f)),
        Arguments.of("Adadelta", (Supplier<Optimizer>) () -> new Adadelta(1f)),
        Arguments.of("Lion", (Supplier<Optimizer>) () -> new Lion(0.005f).weightDecay(0.1f)),
        Arguments.of("SGD decay", (Supplier<Optimizer>) () -> new SGD(0.05f, 0.9f).weightDecay(0.01f)),
        Arguments.of("Ftrl", (Supplier<Optimizer>) () -> new Ftrl(0.5f, -0.5f, 0.1f, 0.001f, 0.001f, 0.01f, 0.1f)),
        Arguments.of("Adafactor", (Supplier<Optimizer>) () -> new Adafactor(0.05f).weightDecay(0.01f)),
        Arguments.of("Adafactor restarts",
            (Supplier<Optimizer>) () -> new Adafactor(new CosineDecayRestarts(0.1, 10, 2.0, 0.8, 0.1))),
        // Keras's muon_test.py test_model_fit excludes the output layer ("last") from Muon.
        Arguments.of("Muon", (Supplier<Optimizer>) () -> Muon.builder().learningRate(0.02f).excludeLayers("last")
            .build()),
        Arguments.of("Muon schedule, no rms", (Supplier<Optimizer>) () -> Muon.builder()
            .learningRate(new ExponentialDecay(0.05, 10, 0.9)).rmsRate(null).weightDecay(null).nesterov(false)
            .build()),
        Arguments.of("ScheduleFreeAdamW", (Supplier<Optimizer>) () -> new ScheduleFreeAdamW(0.02f).weightDecay(0.01f)),
        Arguments.of("ScheduleFreeAdamW warmup", (Supplier<Optimizer>) () -> new ScheduleFreeAdamW(
            new ExponentialDecay(0.03, 10, 0.9), 0.9f, 0.99f, 1e-8f, 5)),
        Arguments.of("Lamb", (Supplier<Optimizer>) () -> new Lamb(0.05f).weightDecay(0.01f)));
  }

  private static final float[][] X = LayerChecks.randomMatrix(64, 3, 21);
  private static final float[] Y = target(X);

  private static float[] target(float[][] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.sin(2 * x[i][0]) + x[i][1] * x[i][2];
    }
    return y;
  }

  private static Sequential mlp() {
    return new Sequential(new InputLayer(3), new Dense(8, "tanh"), Dense.builder(1).name("last").build());
  }

  private static List<float[]> values(List<FloatNdArray> weights) {
    List<float[]> out = new ArrayList<>();
    for (FloatNdArray w : weights) {
      float[] v = new float[(int) w.size()];
      w.copyTo(DataBuffers.of(v, false, false));
      out.add(v);
    }
    return out;
  }

  /** A fresh model (fixed seed) fitted 5 epochs of 8 batches with {@code perExecution} steps per run. */
  private static History fit(Supplier<Optimizer> optimizer, int perExecution, List<float[]> weightsOut) {
    Backend.clearSession();
    Backend.setRandomSeed(42);
    try (Sequential m = mlp()) {
      m.compile(new CompileOptions().optimizer(optimizer.get()).loss("mse").stepsPerExecution(perExecution));
      History h = m.fit(X, Y, new FitOptions().epochs(5).batchSize(8).shuffle(false).verbose(0));
      weightsOut.addAll(values(m.getWeights()));
      assertEquals(40, m.getOptimizer().iterations());
      return h;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void fitReducesTheLossAndChainedStepsTrainAsSingleSteps(String label, Supplier<Optimizer> optimizer) {
    List<float[]> single = new ArrayList<>();
    History one = fit(optimizer, 1, single);
    List<Double> loss = one.history().get("loss");
    assertTrue(loss.get(4) < 0.8 * loss.get(0), label + ": loss by epoch " + loss);
    List<float[]> chained = new ArrayList<>();
    History four = fit(optimizer, 4, chained);
    assertEquals(one.history(), four.history(), label + ": history with 4 steps per execution");
    for (int i = 0; i < single.size(); i++) {
      assertArrayEquals(single.get(i), chained.get(i), label + ": weight " + i);
    }
  }

  /**
   * Train A 3 steps, save, load into B (fresh session), then one more step on both: the weights are identical, so
   * the optimizer's settings, slots, scalars and step counter were all restored.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void savedModelTakesTheSameNextTrainingStep(String label, Supplier<Optimizer> optimizer) throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(4);
    Path file = dir.resolve("compiled.keras");
    float[][] x = LayerChecks.randomMatrix(16, 3, 7);
    float[] y = target(x);
    try (Sequential a = mlp()) {
      a.compile(new CompileOptions().optimizer(optimizer.get()).loss("mse"));
      for (int i = 0; i < 3; i++) {
        a.trainOnBatch(x, y);
      }
      a.save(file);
      Backend.clearSession(); // B lives in a graph of its own
      try (Model b = Models.load(file)) {
        assertEquals(a.getOptimizer().getClass(), b.getOptimizer().getClass(), label);
        assertEquals(withoutName(a.getOptimizer().getConfig()), withoutName(b.getOptimizer().getConfig()), label);
        assertEquals(3, b.getOptimizer().iterations());
        assertEquals(a.trainOnBatch(x, y), b.trainOnBatch(x, y), label + ": loss of the 4th step");
        List<float[]> wa = values(a.getWeights());
        List<float[]> wb = values(b.getWeights());
        for (int i = 0; i < wa.size(); i++) {
          assertArrayEquals(wa.get(i), wb.get(i), label + ": weight " + i + " after the 4th step");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void configRoundTripsThroughJson(String label, Supplier<Optimizer> optimizer) {
    Optimizer o = optimizer.get();
    Object saved = Json.parse(Json.write(TrainingSerialization.serializeOptimizer(o)), "test");
    Optimizer back = TrainingSerialization.deserializeOptimizer(saved, null);
    assertEquals(o.getClass(), back.getClass(), label);
    assertEquals(withoutName(o.getConfig()), withoutName(back.getConfig()), label);
    assertEquals(o.getWeightDecay(), back.getWeightDecay(), label);
  }

  /** The config without {@code name}: Keras4J names optimizers itself (adam, adam_1, ...). */
  private static Map<String, Object> withoutName(Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>(config);
    out.remove("name");
    return out;
  }
}
