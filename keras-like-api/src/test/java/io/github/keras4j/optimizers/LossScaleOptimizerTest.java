package io.github.keras4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.CompileOptions;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.Sequential;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code LossScaleOptimizer} ({@code keras/src/optimizers/loss_scale_optimizer.py} and its tests): finite
 * steps apply the unscaled gradients with the inner optimizer; a step with an inf or NaN changes no weight, slot or
 * iteration and halves the scale; {@code dynamicGrowthSteps} finite steps in a row double it. Expected numbers are
 * worked by hand in the comments, or come from the inner optimizer run alone on the unscaled gradients.
 */
class LossScaleOptimizerTest {

  private static final float INF = Float.POSITIVE_INFINITY;
  private static final float NAN = Float.NaN;

  /** After each step: the weights, the scale, the wrapper's step counter and the inner optimizer's iterations. */
  private record Trace(float[][] weights, float[] scale, long[] counter, long[] iterations) {}

  /** One variable {@code w/v} stepped with the fed gradients {@code gradients[k]} through {@code lso}. */
  private static Trace run(LossScaleOptimizer lso, float[] initial, float[][] gradients) {
    int n = gradients.length;
    Trace t = new Trace(new float[n][initial.length], new float[n], new long[n], new long[n]);
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable w = rt.newVariable("w", "v", Shape.of(initial.length), o -> o.constant(initial), true);
      Placeholder<TFloat32> g = rt.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(initial.length)));
      Op step = lso.applyGradients(rt, List.of(w), List.of(g), List.of());
      for (int k = 0; k < n; k++) {
        try (TFloat32 fed = TFloat32.vectorOf(gradients[k])) {
          rt.session().runner().feed(g, fed).addTarget(step).run().close();
        }
        rt.read(List.of(w)).get(0).copyTo(DataBuffers.of(t.weights[k], false, false));
        t.scale[k] = lso.dynamicScale();
        t.counter[k] = lso.stepCounter();
        t.iterations[k] = lso.iterations();
      }
    }
    return t;
  }

  private static float[][] times(float[][] gradients, float factor) {
    float[][] out = new float[gradients.length][];
    for (int k = 0; k < gradients.length; k++) {
      out[k] = new float[gradients[k].length];
      for (int j = 0; j < out[k].length; j++) {
        out[k][j] = gradients[k][j] * factor;
      }
    }
    return out;
  }

  @Test
  void finiteStepAppliesTheUnscaledGradientLikeKeras() {
    // Keras's test_finite_step: SGD(0.5), gradient [1, 6, 7, 2] * initial_scale -> w - 0.5 * [1, 6, 7, 2].
    LossScaleOptimizer lso = new LossScaleOptimizer(new SGD(0.5f));
    float[][] g = times(new float[][] {{1f, 6f, 7f, 2f}}, lso.getInitialScale());
    Trace t = run(lso, new float[] {1f, 2f, 3f, 4f}, g);
    assertArrayEquals(new float[] {0.5f, -1f, -0.5f, 3f}, t.weights[0]);
    assertEquals(32768f, t.scale[0]); // 1 of 2000 growth steps: unchanged
    assertEquals(1, t.counter[0]);
    assertEquals(1, t.iterations[0]);
  }

  @Test
  void finiteStepsEqualTheInnerOptimizerAlone() {
    // Adam with momentum slots: the wrapper scaled by 8 (a power of two, so unscaling is exact) must give exactly
    // Adam's own weights on the unscaled gradients, step by step, whatever the scale does meanwhile (it doubles
    // after 3 steps: 8 -> 16, still exact).
    float[][] g = {{0.5f, -1f, 2f}, {1.5f, 0.25f, -3f}, {-0.75f, 1f, 0.5f}, {2f, -2f, 1f}, {0.1f, 0.2f, -0.3f}};
    float[] initial = {1f, -2f, 0.5f};
    float[][] alone = FedSteps.run(new Adam(0.1f), initial, g);
    LossScaleOptimizer lso = new LossScaleOptimizer(new Adam(0.1f), 8f, 3);
    float[][] scaled = new float[g.length][];
    float scale = 8f;
    for (int k = 0; k < g.length; k++) {
      scaled[k] = times(new float[][] {g[k]}, scale)[0];
      if (k == 2) {
        scale = 16f; // the third finite step doubles the scale for the fourth
      }
    }
    Trace t = run(lso, initial, scaled);
    for (int k = 0; k < g.length; k++) {
      assertArrayEquals(alone[k], t.weights[k], "step " + (k + 1));
    }
    assertArrayEquals(new float[] {8f, 8f, 16f, 16f, 16f}, t.scale);
    assertArrayEquals(new long[] {1, 2, 0, 1, 2}, t.counter);
    assertArrayEquals(new long[] {1, 2, 3, 4, 5}, t.iterations);
  }

  @Test
  void nonFiniteStepLeavesWeightsSlotsAndIterationsAndHalvesTheScale() {
    // Step 2 has an inf, step 4 a NaN: both are skipped. Adam's slots must not move either, so steps 1, 3, 5 equal
    // Adam alone on the three finite gradients (unscaled by the scale of their step: 4, then 2, then 1).
    float[][] finite = {{0.5f, -1f}, {1.5f, 0.25f}, {-0.75f, 1f}};
    float[] initial = {1f, -2f};
    float[][] alone = FedSteps.run(new Adam(0.1f), initial, finite);
    LossScaleOptimizer lso = new LossScaleOptimizer(new Adam(0.1f), 4f, 100);
    float[][] fed = {
        times(new float[][] {finite[0]}, 4f)[0],
        {1f, INF},
        times(new float[][] {finite[1]}, 2f)[0],
        {NAN, 1f},
        times(new float[][] {finite[2]}, 1f)[0]};
    Trace t = run(lso, initial, fed);
    assertArrayEquals(alone[0], t.weights[0]);
    assertArrayEquals(alone[0], t.weights[1], "the inf step changes no weight");
    assertArrayEquals(alone[1], t.weights[2]);
    assertArrayEquals(alone[1], t.weights[3], "the NaN step changes no weight");
    assertArrayEquals(alone[2], t.weights[4], "Adam's slots and step were left alone by the skipped steps");
    // Scale: 4, halved to 2 by the inf, kept, halved to 1 by the NaN, kept.
    assertArrayEquals(new float[] {4f, 2f, 2f, 1f, 1f}, t.scale);
    assertArrayEquals(new long[] {1, 0, 1, 0, 1}, t.counter);
    assertArrayEquals(new long[] {1, 1, 2, 2, 3}, t.iterations);
  }

  @Test
  void scaleDoublesAfterGrowthStepsAndHalvesOnEachNonFiniteStep() {
    // Keras's test_upscaling: initial 2, growth 2, 8 finite steps -> 4 doublings = 32.
    float[][] ones = new float[8][];
    for (int k = 0; k < 8; k++) {
      ones[k] = new float[] {1f, 6f, 7f, 2f};
    }
    Trace up = run(new LossScaleOptimizer(new SGD(0.5f), 2f, 2), new float[4], ones);
    assertArrayEquals(new float[] {2f, 4f, 4f, 8f, 8f, 16f, 16f, 32f}, up.scale);
    // Keras's test_downscaling: initial 400, 4 inf steps -> 400 / 16 = 25, weights never move.
    float[][] infs = new float[4][];
    for (int k = 0; k < 4; k++) {
      infs[k] = new float[] {INF, INF, INF, INF};
    }
    Trace down = run(new LossScaleOptimizer(new SGD(0.5f), 400f, 2), new float[] {1f, 2f, 3f, 4f}, infs);
    assertArrayEquals(new float[] {200f, 100f, 50f, 25f}, down.scale);
    assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, down.weights[3]);
    assertArrayEquals(new long[] {0, 0, 0, 0}, down.iterations);
    // By hand, growth 3 from 1: finite x2 (counter 1, 2), inf (0, scale 0.5), finite x3 (1, 2, then 0 and 1.0),
    // finite (1).
    float[][] mixed = {{1f}, {1f}, {INF}, {1f}, {1f}, {1f}, {1f}};
    Trace m = run(new LossScaleOptimizer(new SGD(0.5f), 1f, 3), new float[] {0f}, mixed);
    assertArrayEquals(new float[] {1f, 1f, 0.5f, 0.5f, 0.5f, 1f, 1f}, m.scale);
    assertArrayEquals(new long[] {1, 2, 0, 1, 2, 0, 1}, m.counter);
  }

  @Test
  void scaleLossMultipliesByTheCurrentScale() {
    LossScaleOptimizer lso = new LossScaleOptimizer(new SGD(0.5f), 8f, 100);
    assertEquals(8f, lso.dynamicScale()); // before training: the initial scale, as Keras's scale_loss
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable w = rt.newVariable("w", "v", Shape.of(1), o -> o.constant(new float[] {1f}), true);
      Operand<TFloat32> scaled = lso.scaleLoss(rt.tf(), rt.tf().constant(3f));
      Op skip = lso.applyGradients(rt, List.of(w), List.of(rt.tf().constant(new float[] {NAN})), List.of());
      assertEquals(24f, fetch(rt, scaled)); // 3 * 8
      rt.session().runner().addTarget(skip).run().close();
      assertEquals(12f, fetch(rt, scaled)); // 3 * 4 after the halving
      assertEquals(4f, lso.dynamicScale());
    }
  }

  private static float fetch(GraphRuntime rt, Operand<TFloat32> value) {
    try (Result r = rt.session().runner().fetch(value).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  @Test
  void innerLossScaleFactorIsTurnedOff() {
    // Keras's test_finite_step_with_inner_loss_scale: the inner factor 100 must not unscale a second time.
    SGD inner = new SGD(0.5f);
    inner.lossScaleFactor(100f);
    LossScaleOptimizer lso = new LossScaleOptimizer(inner);
    assertNull(inner.getLossScaleFactor());
    Trace t = run(lso, new float[] {1f, 2f, 3f, 4f}, times(new float[][] {{1f, 6f, 7f, 2f}}, 32768f));
    assertArrayEquals(new float[] {0.5f, -1f, -0.5f, 3f}, t.weights[0]);
  }

  @Test
  void learningRateAndIterationsAreTheInnerOptimizers() {
    SGD inner = new SGD(0.5f);
    LossScaleOptimizer lso = new LossScaleOptimizer(inner);
    assertSame(inner, lso.getInnerOptimizer());
    assertEquals(0.5f, lso.getLearningRate());
    lso.setLearningRate(0.25f);
    assertEquals(0.25f, inner.getLearningRate());
    assertTrue(lso.name().startsWith("loss_scale_optimizer"), lso.name());
  }

  @Test
  void configHasKerasKeysAndRoundTripsThroughJson() {
    SGD inner = new SGD(0.5f, 0.06f, true);
    inner.weightDecay(0.004f);
    LossScaleOptimizer lso = new LossScaleOptimizer(inner, 3f, 2);
    Map<String, Object> config = lso.getConfig();
    // Keras's test_serialization: exactly name, inner_optimizer, initial_scale, dynamic_growth_steps.
    assertEquals(List.of("name", "inner_optimizer", "initial_scale", "dynamic_growth_steps"),
        new ArrayList<>(config.keySet()));
    assertEquals(3f, config.get("initial_scale"));
    assertEquals(2, config.get("dynamic_growth_steps"));
    Object saved = Json.parse(Json.write(TrainingSerialization.serializeOptimizer(lso)), "test");
    LossScaleOptimizer back = (LossScaleOptimizer) TrainingSerialization.deserializeOptimizer(saved, null);
    assertEquals(3f, back.getInitialScale());
    assertEquals(2, back.getDynamicGrowthSteps());
    assertEquals(SGD.class, back.getInnerOptimizer().getClass());
    assertEquals(withoutName(inner.getConfig()), withoutName(back.getInnerOptimizer().getConfig()));
  }

  @Test
  void oldConfigsWithBaseDefaultsAreAcceptedAndOthersRefused() {
    // Keras's test_deserialization_backwards_compatibility, then its refusals.
    Map<String, Object> inner = TrainingSerialization.serializeOptimizer(new SGD(0.5f));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", "loss_scale_optimizer");
    config.put("weight_decay", null);
    config.put("clipnorm", null);
    config.put("use_ema", false);
    config.put("ema_momentum", 0.99);
    config.put("gradient_accumulation_steps", null);
    config.put("inner_optimizer", inner);
    config.put("initial_scale", 2.0);
    config.put("dynamic_growth_steps", 2);
    LossScaleOptimizer back = (LossScaleOptimizer) TrainingSerialization.deserializeOptimizer(
        Map.of("class_name", "LossScaleOptimizer", "config", config), null);
    assertEquals(2f, back.getInitialScale());

    config.put("clipnorm", 0.5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        TrainingSerialization.deserializeOptimizer(Map.of("class_name", "LossScaleOptimizer", "config", config), null));
    assertTrue(e.getMessage().contains("does not support `clipnorm`"), e.getMessage());
    assertTrue(e.getMessage().contains("on the `inner_optimizer`"), e.getMessage());

    config.put("clipnorm", null);
    config.put("foo", true);
    config.put("bar", 3);
    e = assertThrows(IllegalArgumentException.class, () ->
        TrainingSerialization.deserializeOptimizer(Map.of("class_name", "LossScaleOptimizer", "config", config), null));
    assertTrue(e.getMessage().contains("arguments: `foo`, `bar`"), e.getMessage());

    config.remove("foo");
    config.remove("bar");
    config.put("dynamic", false);
    e = assertThrows(IllegalArgumentException.class, () ->
        TrainingSerialization.deserializeOptimizer(Map.of("class_name", "LossScaleOptimizer", "config", config), null));
    assertTrue(e.getMessage().contains("set `loss_scale_factor`"), e.getMessage());
  }

  @Test
  void badArgumentsAreRefusedClearly() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LossScaleOptimizer(null));
    assertTrue(e.getMessage().contains("innerOptimizer=null"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LossScaleOptimizer(new SGD(), 0f, 10));
    assertTrue(e.getMessage().contains("initialScale=0.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LossScaleOptimizer(new SGD(), Float.NaN, 10));
    assertThrows(IllegalArgumentException.class, () -> new LossScaleOptimizer(new SGD(), INF, 10));
    e = assertThrows(IllegalArgumentException.class, () -> new LossScaleOptimizer(new SGD(), 2f, 0));
    assertTrue(e.getMessage().contains("dynamicGrowthSteps=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new LossScaleOptimizer(new LossScaleOptimizer(new SGD())));
    assertTrue(e.getMessage().contains("cannot be another LossScaleOptimizer"), e.getMessage());
    // Keras's test_init_base_optimizer_unsupported_args: the base settings go on the inner optimizer.
    LossScaleOptimizer lso = new LossScaleOptimizer(new SGD());
    List<Runnable> refused = List.of(() -> lso.clipnorm(0.5f), () -> lso.clipvalue(0.5f),
        () -> lso.globalClipnorm(0.5f), () -> lso.weightDecay(0.5f), () -> lso.useEma(true),
        () -> lso.emaMomentum(0.5f), () -> lso.emaOverwriteFrequency(2), () -> lso.lossScaleFactor(0.5f),
        () -> lso.gradientAccumulationSteps(2), () -> lso.excludeFromWeightDecay("bias"));
    for (Runnable r : refused) {
      e = assertThrows(IllegalArgumentException.class, r::run);
      assertTrue(e.getMessage().contains("on the `innerOptimizer`"), e.getMessage());
    }
    // The defaults are accepted (deserialization sets them).
    lso.useEma(false).emaMomentum(0.99f).lossScaleFactor(null).gradientAccumulationSteps(null);
  }

  /**
   * fit with a scale so large that the scaled loss overflows float32: the first steps are skipped and halve the
   * scale until the gradients are finite, then training proceeds and lowers the loss; the same run with 4 steps
   * per execution (the scale read afresh after each copy's update) gives the same history.
   */
  @Test
  void fitSkipsOverflowingStepsThenLowersTheLoss() {
    float[][] x = LayerChecks.randomMatrix(32, 3, 5);
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] - 2 * x[i][1] + 0.5f * x[i][2];
    }
    History[] histories = new History[2];
    long[] iterations = new long[2];
    float[] scales = new float[2];
    int[] perExecution = {1, 4};
    for (int run = 0; run < 2; run++) {
      Backend.clearSession();
      Backend.setRandomSeed(3);
      try (Sequential m = new Sequential(new InputLayer(3), new Dense(8, "tanh"), new Dense(1))) {
        // SGD, unlike Adam, would not forgive gradients left scaled.
        LossScaleOptimizer lso = new LossScaleOptimizer(new SGD(0.05f), Float.MAX_VALUE, 1000);
        m.compile(new CompileOptions().optimizer(lso).loss("mse").stepsPerExecution(perExecution[run]));
        histories[run] = m.fit(x, y, new FitOptions().epochs(6).batchSize(8).shuffle(false).verbose(0));
        iterations[run] = lso.iterations();
        scales[run] = lso.dynamicScale();
      }
    }
    List<Double> loss = histories[0].history().get("loss");
    assertTrue(loss.get(5) < 0.5 * loss.get(0), "loss by epoch " + loss);
    // 24 steps, some skipped: fewer updates, and a scale halved once per skipped step.
    assertTrue(iterations[0] < 24 && iterations[0] > 12, "updates " + iterations[0]);
    assertEquals(Float.MAX_VALUE / (1 << (24 - iterations[0])), scales[0], "scale");
    assertEquals(histories[0].history(), histories[1].history());
    assertEquals(iterations[0], iterations[1]);
    assertEquals(scales[0], scales[1]);
  }

  /**
   * A model compiled with a LossScaleOptimizer is saved and loaded with it: same class, settings, inner optimizer
   * and step count, and the same next step (SGD without momentum has no slots; the scale and slots of a stateful
   * inner optimizer are checked in models.WrappedOptimizerStateTest).
   */
  @Test
  void savedModelComesBackWithItsLossScaleOptimizer(@TempDir Path dir) throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(4);
    Path file = dir.resolve("lso.keras");
    float[][] x = LayerChecks.randomMatrix(16, 3, 7);
    float[] y = new float[16];
    for (int i = 0; i < 16; i++) {
      y[i] = x[i][0] - x[i][2];
    }
    try (Sequential a = new Sequential(new InputLayer(3), new Dense(4, "tanh"), new Dense(1))) {
      a.compile(new CompileOptions().optimizer(new LossScaleOptimizer(new SGD(0.05f), 1024f, 1000)).loss("mse"));
      for (int i = 0; i < 3; i++) {
        a.trainOnBatch(x, y);
      }
      a.save(file);
      Backend.clearSession();
      try (Model b = Models.load(file)) {
        LossScaleOptimizer loaded = (LossScaleOptimizer) b.getOptimizer();
        assertEquals(1024f, loaded.getInitialScale());
        assertEquals(1000, loaded.getDynamicGrowthSteps());
        assertEquals(SGD.class, loaded.getInnerOptimizer().getClass());
        assertEquals(0.05f, loaded.getLearningRate());
        assertEquals(3, loaded.iterations());
        assertEquals(a.trainOnBatch(x, y), b.trainOnBatch(x, y));
        List<FloatNdArray> wa = a.getWeights();
        List<FloatNdArray> wb = b.getWeights();
        for (int i = 0; i < wa.size(); i++) {
          float[] va = new float[(int) wa.get(i).size()];
          float[] vb = new float[(int) wb.get(i).size()];
          wa.get(i).copyTo(DataBuffers.of(va, false, false));
          wb.get(i).copyTo(DataBuffers.of(vb, false, false));
          assertArrayEquals(va, vb, "weight " + i + " after the 4th step");
        }
      }
    }
  }

  /** The config without {@code name}: Keras4J names optimizers itself. */
  private static Map<String, Object> withoutName(Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>(config);
    out.remove("name");
    return out;
  }
}
