package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.initializers.GlorotUniform;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.Lambda;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.saving.Config;
import io.github.keras4j.saving.CustomObjects;
import io.github.keras4j.training.FitOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link Models#cloneModel}, Keras's {@code clone_model}: same architecture (class, names, shapes, parameter count,
 * summary), fresh weights shared with nothing, independent training, the original's weights copied in predict the
 * same; unbuilt Sequential, multi-input functional and nested models; custom layers; Keras 3's compiled clones.
 */
class CloneModelTest {

  private static float[] flat(FloatNdArray a) {
    float[] out = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static List<float[]> values(List<FloatNdArray> weights) {
    List<float[]> out = new ArrayList<>();
    weights.forEach(w -> out.add(flat(w)));
    return out;
  }

  private static void assertSameValues(List<float[]> expected, List<float[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), what + ": weight " + i);
    }
  }

  private static List<String> summary(Model m) {
    List<String> lines = new ArrayList<>();
    m.summary(lines::add);
    return lines;
  }

  private static List<String> layerNames(Model m) {
    List<String> names = new ArrayList<>();
    m.layers().forEach(l -> names.add(l.name() + ":" + l.getClass().getSimpleName()));
    return names;
  }

  /** No layer object and no weight variable of {@code clone} belongs to {@code model}. */
  private static void assertSharesNothing(Model model, Model clone) {
    Set<Object> mine = Collections.newSetFromMap(new IdentityHashMap<>());
    mine.addAll(model.layers());
    mine.addAll(model.variables());
    for (Layer l : clone.layers()) {
      assertFalse(mine.contains(l), "layer " + l.name() + " is shared");
    }
    for (GraphVariable v : clone.variables()) {
      assertFalse(mine.contains(v), "weight " + v.name() + " is shared");
    }
  }

  @Test
  void sequentialCloneHasTheArchitectureAndFreshIndependentWeights() {
    Backend.clearSession();
    Backend.setRandomSeed(7);
    float[][] x = LayerChecks.randomMatrix(6, 3, 1);
    float[][] y = LayerChecks.randomMatrix(6, 2, 2);
    try (Sequential model = new Sequential("mlp", List.of(new InputLayer(3), new Dense(4, "tanh"), new Dense(2)));
        Model clone = Models.cloneModel(model)) {
      assertInstanceOf(Sequential.class, clone);
      assertEquals("mlp", clone.name());
      assertFalse(clone.isCompiled());
      assertEquals(layerNames(model), layerNames(clone), "the layers keep their names, as in Keras");
      assertEquals(model.countParams(), clone.countParams());
      assertEquals(26, clone.countParams());
      assertEquals(summary(model), summary(clone));
      assertArrayEquals(model.inputs().get(0).shape().asArray(), clone.inputs().get(0).shape().asArray());
      assertSharesNothing(model, clone);

      List<float[]> original = values(model.getWeights());
      float[] predicted = flat(model.predict(x));
      float[] fresh = flat(clone.predict(x));
      assertFalse(java.util.Arrays.equals(predicted, fresh), "freshly initialised kernels predict otherwise");

      // Training the clone leaves the original as it was.
      clone.compile(new SGD(0.5f), "mse");
      List<Double> loss = clone.fit(x, y, new FitOptions().epochs(3).batchSize(3).verbose(0)).get("loss");
      assertTrue(loss.get(2) < loss.get(0), loss.toString());
      assertSameValues(original, values(model.getWeights()), "the original after training the clone");
      assertArrayEquals(predicted, flat(model.predict(x)));

      // The original's weights copied in: the same predictions, bit for bit.
      clone.setWeights(model.getWeights());
      assertArrayEquals(predicted, flat(clone.predict(x)));
    }
  }

  @Test
  void seededInitializersDrawTheSameWeightsAgainAsInKeras() {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    try (Sequential model = new Sequential(new InputLayer(3),
        Dense.builder(4).kernelInitializer(new GlorotUniform(11)).build(), new Dense(2));
        Model clone = Models.cloneModel(model)) {
      List<float[]> a = values(model.getWeights());
      List<float[]> b = values(clone.getWeights());
      assertArrayEquals(a.get(0), b.get(0), "kernel with seed 11");
      assertFalse(java.util.Arrays.equals(a.get(2), b.get(2)), "unseeded kernel");
    }
  }

  @Test
  void unbuiltSequentialStaysUnbuilt() {
    Backend.clearSession();
    Backend.setRandomSeed(4);
    try (Sequential model = new Sequential(new Dense(5, "relu"), Dense.builder(1).name("out").build());
        Model clone = Models.cloneModel(model)) {
      Sequential s = assertInstanceOf(Sequential.class, clone);
      assertFalse(s.isBuilt());
      assertEquals(layerNames(model), layerNames(clone));
      assertNotSame(model.layers().get(0), clone.layers().get(0));
      assertEquals(5, ((Dense) clone.layers().get(0)).units());
      assertEquals(model.layers().get(0).getConfig(), clone.layers().get(0).getConfig());
      // Built by its first data, as the original would be; the original stays unbuilt.
      FloatNdArray out = clone.predict(LayerChecks.randomMatrix(4, 3, 5));
      assertEquals(List.of(4L, 1L), List.of(out.shape().get(0), out.shape().get(1)));
      assertEquals(26, clone.countParams());
      assertFalse(model.isBuilt());
    }
  }

  @Test
  void functionalMultiInputModelStaysFunctional() {
    Backend.clearSession();
    Backend.setRandomSeed(5);
    InputLayer left = new InputLayer("left", 3);
    InputLayer right = new InputLayer("right", 2);
    KerasTensor a = new Dense(4, "relu").apply(left.output());
    KerasTensor b = new Dense(4, "relu").apply(right.output());
    KerasTensor joined = new Concatenate().apply(List.of(a, b));
    KerasTensor out = Dense.builder(1).name("score").build().apply(joined);
    float[][] xa = LayerChecks.randomMatrix(5, 3, 6);
    float[][] xb = LayerChecks.randomMatrix(5, 2, 7);
    try (Model model = new Model(List.of(left.output(), right.output()), List.of(out), "two_inputs");
        Model clone = Models.cloneModel(model)) {
      assertFalse(clone instanceof Sequential);
      assertEquals("two_inputs", clone.name());
      assertEquals(2, clone.inputs().size());
      assertEquals(List.of("left", "right"),
          List.of(clone.inputs().get(0).layer().name(), clone.inputs().get(1).layer().name()));
      assertArrayEquals(new long[] {-1, 2}, clone.inputs().get(1).shape().asArray());
      assertEquals(layerNames(model), layerNames(clone));
      assertEquals(model.countParams(), clone.countParams());
      assertEquals(summary(model), summary(clone));
      assertSharesNothing(model, clone);
      float[] predicted = flat(model.predict(List.of(xa, xb)));
      assertFalse(java.util.Arrays.equals(predicted, flat(clone.predict(List.of(xa, xb)))));
      clone.setWeights(model.getWeights());
      assertArrayEquals(predicted, flat(clone.predict(List.of(xa, xb))));
    }
  }

  @Test
  void aNestedModelIsClonedWithFreshWeightsToo() {
    Backend.clearSession();
    Backend.setRandomSeed(6);
    float[][] x = LayerChecks.randomMatrix(6, 3, 8);
    float[][] y = LayerChecks.randomMatrix(6, 2, 9);
    try (Sequential base = new Sequential("base", List.of(new InputLayer(3), new Dense(4, "tanh")));
        Sequential classifier = new Sequential(base.asLayer(), new Dense(2));
        Model clone = Models.cloneModel(classifier)) {
      NestedModel nested = assertInstanceOf(NestedModel.class, clone.getLayer("base"));
      assertNotSame(base, nested.model());
      assertInstanceOf(Sequential.class, nested.model());
      assertEquals(layerNames(classifier), layerNames(clone));
      assertEquals(summary(classifier), summary(clone));
      assertEquals(26, clone.countParams()); // 3 * 4 + 4 in the base, 4 * 2 + 2 in the head
      assertSharesNothing(classifier, clone);
      List<float[]> baseBefore = values(base.getWeights());
      clone.compile(new Adam(0.05f), "mse");
      clone.fit(x, y, new FitOptions().epochs(2).batchSize(3).verbose(0));
      assertSameValues(baseBefore, values(base.getWeights()), "the original base after training the clone");
      clone.setWeights(classifier.getWeights());
      assertArrayEquals(flat(classifier.predict(x)), flat(clone.predict(x)));
    }
  }

  @Test
  void aCompiledModelGivesACloneCompiledFromItsConfigAsKeras3() {
    // keras/src/models/cloning.py: "If model compiled already then set same to cloned model" (compile_from_config)
    Backend.clearSession();
    Backend.setRandomSeed(8);
    float[][] x = LayerChecks.randomMatrix(6, 3, 10);
    float[][] y = LayerChecks.randomMatrix(6, 1, 11);
    try (Sequential model = new Sequential(new InputLayer(3), new Dense(1))) {
      model.compile(new CompileOptions().optimizer(new Adam(0.01f).clipnorm(1f)).loss("mse").metrics("mae"));
      model.trainOnBatch(x, y);
      try (Model clone = Models.cloneModel(model)) {
        assertTrue(clone.isCompiled());
        assertInstanceOf(Adam.class, clone.getOptimizer());
        assertNotSame(model.getOptimizer(), clone.getOptimizer());
        Map<String, Object> expected = new LinkedHashMap<>(model.getOptimizer().getConfig());
        Map<String, Object> actual = new LinkedHashMap<>(clone.getOptimizer().getConfig());
        expected.remove("name");
        actual.remove("name");
        assertEquals(expected, actual);
        assertEquals(0, clone.getOptimizer().iterations(), "fresh optimizer state");
        Map<String, Double> logs = clone.trainOnBatch(x, y);
        assertEquals(Set.of("loss", "mae"), logs.keySet());
        assertEquals(1, model.getOptimizer().iterations());
      }
    }
  }

  /** A layer of the test's own: its input times a trainable per-feature scale initialised to {@code factor}. */
  public static final class Scale extends Layer {
    private final double factor;
    private GraphVariable scale;

    /** A scale layer. */
    public Scale(double factor, String name) {
      super(name);
      this.factor = factor;
    }

    @Override
    protected void build(Ops tf, Shape inputShape) {
      scale = addWeight("scale", Shape.of(inputShape.get(inputShape.numDimensions() - 1)), new Constant(factor), true);
    }

    @Override
    protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
      return tf.math.mul(inputs, scale.value());
    }

    @Override
    public Map<String, Object> getConfig() {
      Map<String, Object> c = super.getConfig();
      c.put("factor", factor);
      return c;
    }

    /** Keras's {@code from_config}. */
    public static Scale fromConfig(Config config) {
      return new Scale(config.getDouble("factor"), config.name());
    }
  }

  @Test
  void customLayersNeedTheirFactoriesAsForLoad() {
    Backend.clearSession();
    Backend.setRandomSeed(9);
    try (Sequential model = new Sequential(new InputLayer(3), new Dense(4),
        new Scale(1.5, "scale"), new Dense(2))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.cloneModel(model));
      assertTrue(e.getMessage().startsWith("Cannot clone model 'sequential"), e.getMessage());
      assertTrue(e.getMessage().contains("Unknown layer class 'Scale' (layer 'scale')"), e.getMessage());
      try (Model clone = Models.cloneModel(model, CustomObjects.of(Map.of("Scale", Scale.class)))) {
        assertInstanceOf(Scale.class, clone.getLayer("scale"));
        assertEquals(model.countParams(), clone.countParams());
        clone.setWeights(model.getWeights());
        float[][] x = LayerChecks.randomMatrix(4, 3, 12);
        assertArrayEquals(flat(model.predict(x)), flat(clone.predict(x)));
      }
    }
  }

  @Test
  void refusesWhatCannotBeRebuilt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.cloneModel(null));
    assertEquals("cloneModel: expected a Model instance. Received: model=null", e.getMessage());
    Backend.clearSession();
    try (Sequential model = new Sequential(new InputLayer(2), new Lambda((tf, t) -> t), new Dense(1))) {
      e = assertThrows(IllegalArgumentException.class, () -> Models.cloneModel(model));
      assertTrue(e.getMessage().startsWith("Cannot clone model '"), e.getMessage());
    }
    // A loss made from a function has no class to rebuild: the compile config cannot be cloned without a factory.
    Loss l1 = Loss.of("my_l1", (tf, t, p) -> tf.math.mean(tf.math.abs(tf.math.sub(p, t)), tf.constant(-1)));
    try (Sequential model = new Sequential(new InputLayer(2), new Dense(1))) {
      model.compile(new SGD(0.1f), l1);
      e = assertThrows(IllegalArgumentException.class, () -> Models.cloneModel(model));
      assertTrue(e.getMessage().contains("its compile config cannot be rebuilt"), e.getMessage());
      try (Model clone = Models.cloneModel(model, new CustomObjects().loss("my_l1", c -> l1))) {
        assertTrue(clone.isCompiled());
      }
    }
  }
}
