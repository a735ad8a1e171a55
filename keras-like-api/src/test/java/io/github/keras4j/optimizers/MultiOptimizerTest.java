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
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code MultiOptimizer} and {@code OptimizerMap} ({@code keras/src/optimizers/multi_optimizer.py} and its
 * tests): each variable is trained by the optimizer its path selects (exact key, else the one whole-path regular
 * expression, else the default), exactly as that optimizer alone would train it; ambiguous keys are an error.
 */
class MultiOptimizerTest {

  private static GraphVariable variable(GraphRuntime rt, String path, float... initial) {
    int slash = path.indexOf('/');
    return rt.newVariable(path.substring(0, slash), path.substring(slash + 1), Shape.of(initial.length),
        o -> o.constant(initial), true);
  }

  private static float[] values(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Test
  void mapPicksExactKeyThenTheOneFullMatchThenTheDefault() {
    // Keras's OptimizerMap docstring example.
    Optimizer adam = new Adam();
    Optimizer sgd = new SGD();
    Optimizer rmsprop = new RMSprop();
    OptimizerMap map = new OptimizerMap(rmsprop);
    map.put("encoder/layer_0/dense", adam);
    map.put("encoder/.*", sgd);
    map.put("decoder", adam);
    assertSame(adam, map.get("decoder"));
    assertSame(adam, map.get("encoder/layer_0/dense")); // exact key, although "encoder/.*" matches too
    assertSame(sgd, map.get("encoder/layer_0/attention/query"));
    assertSame(rmsprop, map.get("decoder/layer_0/dense")); // "decoder" must match the whole path
    // Whole-path matching: "dense" is not found inside "dense_1/kernel" (Keras's re.fullmatch, not re.search).
    OptimizerMap whole = new OptimizerMap(rmsprop, Map.of("dense", adam, "^conv/.*", sgd));
    assertSame(rmsprop, whole.get("dense_1/kernel"));
    assertSame(sgd, whole.get("conv/kernel"));
    assertEquals(2, whole.size());
  }

  @Test
  void ambiguousMatchIsAnError() {
    // Keras's test_optimizer_map_matching, conflict part.
    OptimizerMap map = new OptimizerMap(new RMSprop());
    map.put(".*kernel.*", new Adam());
    map.put(".*dense.*", new SGD());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> map.get("dense/kernel"));
    assertTrue(e.getMessage().contains("Multiple optimizers assigned to variable dense/kernel"), e.getMessage());
    assertSame(map.get("conv/kernel"), map.entries().get(".*kernel.*"));
    MultiOptimizer multi = new MultiOptimizer(map);
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable w = variable(rt, "dense/kernel", 1f);
      e = assertThrows(IllegalArgumentException.class,
          () -> multi.applyGradients(rt, List.of(w), List.of(rt.tf().constant(new float[] {1f})), List.of()));
      assertTrue(e.getMessage().contains("Multiple optimizers assigned to variable dense/kernel"), e.getMessage());
    }
  }

  @Test
  void mapRefusesBadEntries() {
    OptimizerMap map = new OptimizerMap(new SGD());
    map.put("a/.*", new SGD());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> map.put("a/.*", new Adam())).getMessage()
        .contains("'a/.*' already exists in the OptimizerMap"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> map.put("b", new LossScaleOptimizer(new SGD())))
        .getMessage().contains("optimizer cannot be LossScaleOptimizer"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> map.put("b", new MultiOptimizer(new OptimizerMap(new SGD())))).getMessage()
        .contains("optimizer cannot be MultiOptimizer"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> map.put("b", null)).getMessage()
        .contains("Received: null"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> map.put("dense[", new SGD())).getMessage()
        .contains("'dense['"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new OptimizerMap(null)).getMessage()
        .contains("defaultOptimizer=null"));
    assertThrows(IllegalArgumentException.class, () -> new MultiOptimizer((OptimizerMap) null));
  }

  @Test
  void eachVariableIsTrainedExactlyAsByItsOptimizerAlone() {
    // dense_1's kernel and bias by SGD with momentum, dense_2's kernel by the default Adam, over 4 fed steps; each
    // compared with the same optimizer alone on just its variables (other instances, other graphs).
    String[] names = {"dense_1/kernel", "dense_1/bias", "dense_2/kernel"};
    float[][] initial = {{0.5f, -1f, 2f}, {0.1f}, {1f, -0.5f}};
    float[][][] g = new float[4][][];
    for (int k = 0; k < 4; k++) {
      g[k] = new float[][] {LayerChecks.randomValues(3, 10 + k), LayerChecks.randomValues(1, 20 + k),
          LayerChecks.randomValues(2, 30 + k)};
    }
    OptimizerMap map = new OptimizerMap(new Adam(0.05f));
    map.put("dense_1/.*", new SGD(0.1f, 0.9f));
    float[][][] multi = FedSteps.run(new MultiOptimizer(map), names, initial, g);
    float[][][] sgdGrads = new float[4][][];
    float[][][] adamGrads = new float[4][][];
    for (int k = 0; k < 4; k++) {
      sgdGrads[k] = new float[][] {g[k][0], g[k][1]};
      adamGrads[k] = new float[][] {g[k][2]};
    }
    float[][][] sgd = FedSteps.run(new SGD(0.1f, 0.9f), new String[] {names[0], names[1]},
        new float[][] {initial[0], initial[1]}, sgdGrads);
    float[][][] adam = FedSteps.run(new Adam(0.05f), new String[] {names[2]}, new float[][] {initial[2]}, adamGrads);
    for (int k = 0; k < 4; k++) {
      assertArrayEquals(sgd[k][0], multi[k][0], "dense_1/kernel after step " + (k + 1));
      assertArrayEquals(sgd[k][1], multi[k][1], "dense_1/bias after step " + (k + 1));
      assertArrayEquals(adam[k][0], multi[k][2], "dense_2/kernel after step " + (k + 1));
    }
    // And the first SGD step by hand: velocity = -0.1 g, w = w + velocity.
    assertEquals(0.5f - 0.1f * g[0][0][0], multi[0][0][0], 1e-7f);
  }

  @Test
  void statefulApplyCountsStepsLikeKeras() {
    // Keras's test_stateful_apply: SGD 0.1 on dense_1, SGD 1.0 on dense_2, default SGD 0.0 on the rest.
    SGD sgd1 = new SGD(0.1f);
    SGD sgd2 = new SGD(1.0f);
    SGD fallback = new SGD(0.01f);
    OptimizerMap map = new OptimizerMap(fallback);
    map.put("^dense_1/.*", sgd1);
    map.put("^dense_2/.*", sgd2);
    MultiOptimizer multi = new MultiOptimizer(map);
    assertEquals(List.of(sgd1, sgd2, fallback), multi.optimizers());
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable w1 = variable(rt, "dense_1/kernel", 2f, 2f);
      GraphVariable w2 = variable(rt, "dense_2/kernel", 3f, 3f);
      GraphVariable w3 = variable(rt, "other/kernel", 4f, 4f);
      List<Operand<TFloat32>> ones = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ones.add(rt.tf().constant(new float[] {1f, 1f}));
      }
      Op step = multi.applyGradients(rt, List.of(w1, w2, w3), ones, List.of());
      assertEquals(0, multi.iterations());
      rt.session().runner().addTarget(step).run().close();
      List<FloatNdArray> w = rt.read(List.of(w1, w2, w3));
      assertArrayEquals(new float[] {1.9f, 1.9f}, values(w.get(0)), 1e-6f); // 2 - 0.1
      assertArrayEquals(new float[] {2f, 2f}, values(w.get(1)), 1e-6f); // 3 - 1
      assertArrayEquals(new float[] {3.99f, 3.99f}, values(w.get(2)), 1e-6f); // 4 - 0.01
      assertEquals(1, multi.iterations());
      for (Optimizer o : multi.optimizers()) {
        assertEquals(1, o.iterations(), o.name());
      }
      assertSame(sgd1, multi.optimizerFor(w1));
      assertSame(fallback, multi.optimizerFor(w3));
      assertSame(rt, multi.runtimeOrNull());
    }
  }

  @Test
  void lossScaleFactorReplacesTheInnerOnes() {
    // Keras's test_loss_scaling and test_gradient_unscaling: the wrapper's 5 replaces the inner factors; the loss is
    // scaled by 5 and a gradient of 10 unscaled to 2: w = 2 - 0.1 * 2 = 1.8.
    SGD sgd = new SGD(0.1f);
    sgd.lossScaleFactor(2f);
    Adam adam = new Adam();
    adam.lossScaleFactor(3f);
    OptimizerMap map = new OptimizerMap(sgd);
    map.put("^dense_1/.*", sgd);
    map.put("^dense_2/.*", adam);
    MultiOptimizer multi = new MultiOptimizer(map, 5f);
    assertEquals(5f, multi.getLossScaleFactor());
    assertEquals(5f, sgd.getLossScaleFactor());
    assertEquals(5f, adam.getLossScaleFactor());
    assertEquals(2, multi.optimizers().size()); // sgd is listed once
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable w = variable(rt, "dense_1/kernel", 2f, 2f);
      Operand<TFloat32> scaled = multi.scaleLoss(rt.tf(), rt.tf().constant(2f));
      Op step = multi.applyGradients(rt, List.of(w), List.of(rt.tf().constant(new float[] {10f, 10f})), List.of());
      rt.session().runner().addTarget(step).run().close();
      assertArrayEquals(new float[] {1.8f, 1.8f}, values(rt.read(List.of(w)).get(0)), 1e-6f);
      try (var r = rt.session().runner().fetch(scaled).run()) {
        assertEquals(10f, ((TFloat32) r.get(0)).getFloat());
      }
    }
  }

  @Test
  void lossScaleOptimizerCanWrapAMultiOptimizer() {
    // Keras's test_multi_optimizer_wrapped_in_loss_scale_optimizer: the LossScaleOptimizer turns the factor 5 off
    // everywhere; scale 10, gradient 10 -> unscaled 1 -> w = 2 - 0.1 = 1.9 for both variables.
    SGD opt1 = new SGD(0.1f);
    SGD opt2 = new SGD(0.1f);
    OptimizerMap map = new OptimizerMap(opt2);
    map.put(".*dense_1/.*", opt1);
    MultiOptimizer multi = new MultiOptimizer(map, 5f);
    LossScaleOptimizer lso = new LossScaleOptimizer(multi, 10f, 1000);
    assertNull(multi.getLossScaleFactor());
    assertNull(opt1.getLossScaleFactor());
    assertNull(opt2.getLossScaleFactor());
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable w1 = variable(rt, "dense_1/kernel", 2f, 2f);
      GraphVariable w2 = variable(rt, "dense_2/kernel", 2f, 2f);
      Operand<TFloat32> ten = rt.tf().constant(new float[] {10f, 10f});
      Op step = lso.applyGradients(rt, List.of(w1, w2), List.of(ten, ten), List.of());
      rt.session().runner().addTarget(step).run().close();
      assertArrayEquals(new float[] {1.9f, 1.9f}, values(rt.read(List.of(w1)).get(0)), 1e-6f);
      assertArrayEquals(new float[] {1.9f, 1.9f}, values(rt.read(List.of(w2)).get(0)), 1e-6f);
      assertEquals(1, lso.iterations()); // the MultiOptimizer's own counter
      // A non-finite step skips every inner optimizer and the MultiOptimizer's counter.
      Op bad = lso.applyGradients(rt, List.of(w1, w2), List.of(ten, rt.tf().constant(new float[] {1f, Float.NaN})),
          List.of());
      rt.session().runner().addTarget(bad).run().close();
      assertArrayEquals(new float[] {1.9f, 1.9f}, values(rt.read(List.of(w1)).get(0)), 1e-6f);
      assertEquals(1, lso.iterations());
      assertEquals(1, opt1.iterations());
      assertEquals(5f, lso.dynamicScale());
    }
  }

  @Test
  void functionSelectorAndNestedWrappersRefused() {
    // Keras's test_custom_callable_function and test_multi_optimizer_blocks_nested_optimizers.
    Adam adam = new Adam(1e-3f);
    SGD sgd = new SGD(1e-2f);
    MultiOptimizer multi = new MultiOptimizer(v -> v.name().contains("dense_1") ? adam : sgd);
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable w1 = variable(rt, "dense_1/kernel", 1f);
      GraphVariable w2 = variable(rt, "dense_2/kernel", 1f);
      Operand<TFloat32> one = rt.tf().constant(new float[] {1f});
      Op step = multi.applyGradients(rt, List.of(w1, w2), List.of(one, one), List.of());
      assertEquals(List.of(adam, sgd), multi.optimizers());
      rt.session().runner().addTarget(step).run().close();
      assertArrayEquals(new float[] {0.99f}, values(rt.read(List.of(w2)).get(0)), 1e-6f);
      IllegalStateException noConfig = assertThrows(IllegalStateException.class, multi::getConfig);
      assertTrue(noConfig.getMessage().contains("OptimizerMap"), noConfig.getMessage());

      MultiOptimizer nested = new MultiOptimizer(v -> v == w1 ? new LossScaleOptimizer(new SGD()) : null);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> nested.applyGradients(rt, List.of(w1), List.of(one), List.of()));
      assertTrue(e.getMessage().contains("LossScaleOptimizer cannot be used inside an MultiOptimizer"),
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> nested.applyGradients(rt, List.of(w2), List.of(one), List.of()));
      assertTrue(e.getMessage().contains("Optimizer for variable dense_2/kernel is not an Optimizer"),
          e.getMessage());
    }
  }

  @Test
  void learningRateAndBaseSettingsBelongToTheInnerOptimizers() {
    MultiOptimizer multi = new MultiOptimizer(new OptimizerMap(new SGD()));
    assertTrue(assertThrows(IllegalStateException.class, multi::getLearningRate).getMessage()
        .contains("Learning rate cannot be accessed on a MultiOptimizer"));
    assertTrue(assertThrows(IllegalStateException.class, () -> multi.setLearningRate(0.1f)).getMessage()
        .contains("Learning rate cannot be set on a MultiOptimizer"));
    List<Runnable> refused = List.of(() -> multi.clipnorm(1f), () -> multi.clipvalue(1f),
        () -> multi.globalClipnorm(1f), () -> multi.weightDecay(0.1f), () -> multi.useEma(true),
        () -> multi.gradientAccumulationSteps(2), () -> multi.excludeFromWeightDecay("bias"));
    for (Runnable r : refused) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
      assertTrue(e.getMessage().contains("on its sub-optimizers"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> multi.lossScaleFactor(0f));
    assertTrue(multi.name().startsWith("multi_optimizer"), multi.name());
  }

  @Test
  void configRoundTripsThroughJson() {
    // Keras's test_serialization: the optimizers come back in order, with their classes and settings.
    OptimizerMap map = new OptimizerMap(new RMSprop(1e-4f));
    map.put("^dense_1/.*", new Adam(1e-3f));
    map.put("^dense_2/.*", new SGD(1e-2f, 0.5f));
    MultiOptimizer multi = new MultiOptimizer(map, 4f);
    Map<String, Object> config = multi.getConfig();
    assertEquals(List.of("optimizer_map", "loss_scale_factor", "name"), new ArrayList<>(config.keySet()));
    Object saved = Json.parse(Json.write(TrainingSerialization.serializeOptimizer(multi)), "test");
    MultiOptimizer back = (MultiOptimizer) TrainingSerialization.deserializeOptimizer(saved, null);
    assertEquals(List.of(Adam.class, SGD.class, RMSprop.class),
        back.optimizers().stream().map(Object::getClass).toList());
    assertEquals(4f, back.getLossScaleFactor());
    assertEquals(List.of("^dense_1/.*", "^dense_2/.*"), back.getOptimizerMap().keys());
    assertEquals(withoutNames(config), withoutNames(back.getConfig()));
    for (int i = 0; i < 3; i++) {
      assertEquals(4f, back.optimizers().get(i).getLossScaleFactor());
    }
  }

  /**
   * Two Dense layers, one fit step: dense_1 trained by SGD(0.1), dense_2 by Adam(0.01). The gradient comes from an
   * independent model (same seed, same initial weights) trained one step by SGD(1), g = w0 - w1; the expected
   * weights are then SGD's and Adam's first step in doubles (Adam: m = 0.1 g, v = 0.001 g^2,
   * w -= 0.01 * sqrt(1 - 0.999) / (1 - 0.9) * m / (sqrt(v) + 1e-7)).
   */
  @Test
  void twoDenseLayersGetTheirOwnOptimizersUpdates() {
    float[][] x = LayerChecks.randomMatrix(8, 3, 2);
    float[] y = new float[8];
    for (int i = 0; i < 8; i++) {
      y[i] = x[i][0] * x[i][1] - x[i][2];
    }
    List<float[]> w0 = new ArrayList<>();
    List<float[]> bySgd1 = trainOneStep(new SGD(1f), x, y, w0);
    OptimizerMap map = new OptimizerMap(new Adam(0.01f));
    map.put("dense_1/.*", new SGD(0.1f));
    List<float[]> start = new ArrayList<>();
    List<float[]> byMulti = trainOneStep(new MultiOptimizer(map), x, y, start);
    assertEquals(4, w0.size()); // dense_1/kernel, dense_1/bias, dense_2/kernel, dense_2/bias
    double correction = 0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9);
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(w0.get(i), start.get(i), "same initial weights");
      for (int j = 0; j < w0.get(i).length; j++) {
        double g = (double) w0.get(i)[j] - bySgd1.get(i)[j];
        double expected = i < 2 ? w0.get(i)[j] - 0.1 * g
            : w0.get(i)[j] - correction * (0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-7);
        assertEquals(expected, byMulti.get(i)[j], 2e-6, "weight " + i + " element " + j);
      }
    }
  }

  /** The weights of a fresh two-layer model (seed 11) after one training step with {@code optimizer}. */
  private static List<float[]> trainOneStep(Optimizer optimizer, float[][] x, float[] y, List<float[]> initial) {
    Backend.clearSession();
    Backend.setRandomSeed(11);
    try (Sequential m = new Sequential(new InputLayer(3), Dense.builder(4).activation("tanh").name("dense_1").build(),
        Dense.builder(1).name("dense_2").build())) {
      m.compile(new CompileOptions().optimizer(optimizer).loss("mse"));
      for (FloatNdArray w : m.getWeights()) {
        initial.add(values(w));
      }
      m.trainOnBatch(x, y);
      List<float[]> out = new ArrayList<>();
      for (FloatNdArray w : m.getWeights()) {
        out.add(values(w));
      }
      return out;
    }
  }

  @Test
  void fitLowersTheLoss() {
    float[][] x = LayerChecks.randomMatrix(32, 3, 8);
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.sin(2 * x[i][0]) + x[i][1] * x[i][2];
    }
    Backend.clearSession();
    Backend.setRandomSeed(5);
    try (Sequential m = new Sequential(new InputLayer(3), Dense.builder(8).activation("tanh").name("hidden").build(),
        Dense.builder(1).name("head").build())) {
      OptimizerMap map = new OptimizerMap(new SGD(0.05f, 0.9f));
      map.put("hidden/.*", new Adam(0.02f));
      MultiOptimizer multi = new MultiOptimizer(map);
      m.compile(new CompileOptions().optimizer(multi).loss("mse"));
      History h = m.fit(x, y, new FitOptions().epochs(6).batchSize(8).shuffle(false).verbose(0));
      List<Double> loss = h.history().get("loss");
      assertTrue(loss.get(5) < 0.7 * loss.get(0), "loss by epoch " + loss);
      assertEquals(24, multi.iterations());
      assertEquals(24, multi.optimizers().get(0).iterations()); // Adam
      assertEquals(24, multi.optimizers().get(1).iterations()); // SGD
    }
  }

  /**
   * A model compiled with a MultiOptimizer is saved and loaded with it: the map's keys and optimizers, the wrapper's
   * step count, and the same next step (plain SGD has no slots to restore; inner optimizers with slots are checked
   * in models.WrappedOptimizerStateTest).
   */
  @Test
  void savedModelComesBackWithItsMultiOptimizer(@TempDir Path dir) throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(4);
    Path file = dir.resolve("multi.keras");
    float[][] x = LayerChecks.randomMatrix(16, 3, 7);
    float[] y = new float[16];
    for (int i = 0; i < 16; i++) {
      y[i] = x[i][0] - x[i][2];
    }
    try (Sequential a = new Sequential(new InputLayer(3), Dense.builder(4).activation("tanh").name("dense_1").build(),
        Dense.builder(1).name("dense_2").build())) {
      OptimizerMap map = new OptimizerMap(new SGD(0.01f));
      map.put("dense_1/.*", new SGD(0.1f));
      a.compile(new CompileOptions().optimizer(new MultiOptimizer(map)).loss("mse"));
      for (int i = 0; i < 3; i++) {
        a.trainOnBatch(x, y);
      }
      a.save(file);
      Backend.clearSession();
      try (Model b = Models.load(file)) {
        MultiOptimizer loaded = (MultiOptimizer) b.getOptimizer();
        assertEquals(List.of("dense_1/.*"), loaded.getOptimizerMap().keys());
        assertEquals(0.1f, loaded.optimizers().get(0).getLearningRate());
        assertEquals(0.01f, loaded.optimizers().get(1).getLearningRate());
        assertEquals(3, loaded.iterations());
        assertEquals(a.trainOnBatch(x, y), b.trainOnBatch(x, y));
        List<FloatNdArray> wa = a.getWeights();
        List<FloatNdArray> wb = b.getWeights();
        for (int i = 0; i < wa.size(); i++) {
          assertArrayEquals(values(wa.get(i)), values(wb.get(i)), "weight " + i + " after the 4th step");
        }
      }
    }
  }

  /** The config with every {@code name} removed, nested ones included: Keras4J names optimizers itself. */
  @SuppressWarnings("unchecked")
  private static Object withoutNames(Object config) {
    if (config instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> {
        if (!k.equals("name")) {
          out.put(k, withoutNames(v));
        }
      });
      return out;
    }
    return config;
  }
}
