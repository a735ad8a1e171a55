package io.github.keras4j.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.constraints.MaxNorm;
import io.github.keras4j.constraints.MinMaxNorm;
import io.github.keras4j.constraints.NonNeg;
import io.github.keras4j.constraints.UnitNorm;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.initializers.GlorotNormal;
import io.github.keras4j.initializers.GlorotUniform;
import io.github.keras4j.initializers.HeNormal;
import io.github.keras4j.initializers.HeUniform;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.initializers.Initializers;
import io.github.keras4j.initializers.LecunNormal;
import io.github.keras4j.initializers.LecunUniform;
import io.github.keras4j.initializers.Ones;
import io.github.keras4j.initializers.Orthogonal;
import io.github.keras4j.initializers.RandomNormal;
import io.github.keras4j.initializers.RandomUniform;
import io.github.keras4j.initializers.STFT;
import io.github.keras4j.initializers.TruncatedNormal;
import io.github.keras4j.initializers.VarianceScaling;
import io.github.keras4j.initializers.Zeros;
import io.github.keras4j.losses.BinaryCrossentropy;
import io.github.keras4j.losses.CategoricalCrossentropy;
import io.github.keras4j.losses.Huber;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.losses.Losses;
import io.github.keras4j.losses.SparseCategoricalCrossentropy;
import io.github.keras4j.metrics.BinaryAccuracy;
import io.github.keras4j.metrics.Metric;
import io.github.keras4j.metrics.SparseCategoricalAccuracy;
import io.github.keras4j.optimizers.Adagrad;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.RMSprop;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.optimizers.schedules.CosineDecay;
import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import io.github.keras4j.optimizers.schedules.InverseTimeDecay;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import io.github.keras4j.optimizers.schedules.PiecewiseConstantDecay;
import io.github.keras4j.optimizers.schedules.PolynomialDecay;
import io.github.keras4j.regularizers.L1;
import io.github.keras4j.regularizers.L1L2;
import io.github.keras4j.regularizers.L2;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Initializers, regularizers, constraints, optimizers, schedules, losses and metrics survive their saved form
 * (through JSON text): same class, same config.
 */
class ObjectSerializationTest {

  private static Object throughJson(Object saved) {
    return Json.parse(Json.write(saved), "test");
  }

  @Test
  void everyBuiltInInitializer() {
    List<Initializer> all = List.of(new Constant(0.25), new Zeros(), new Ones(), new GlorotNormal(1),
        new GlorotUniform(), new HeNormal(2), new HeUniform(), new LecunNormal(3), new LecunUniform(),
        new Orthogonal(0.5, 4), new Orthogonal(), new RandomNormal(0.1, 0.2, 5), new RandomUniform(-1, 2),
        new TruncatedNormal(0.0, 0.3, 6), new VarianceScaling(2.0, "fan_avg", "untruncated_normal", 7),
        new VarianceScaling(), new STFT("imag", "hamming", null, true));
    for (Initializer init : all) {
      Initializer back = Initializers.deserialize(throughJson(Initializers.serialize(init)));
      assertEquals(init.getClass(), back.getClass(), init.toString());
      assertEquals(init.getConfig(), back.getConfig(), init.toString());
    }
    assertEquals(all.stream().map(i -> i.getClass().getSimpleName()).distinct().sorted().toList(),
        Initializers.classNames(), "every built-in initializer class is tried");
    assertEquals(HeNormal.class, Initializers.deserialize("he_normal").getClass(), "Keras's string form");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Initializers.deserialize(Map.of("class_name", "Fancy", "config", Map.of())));
    assertTrue(e.getMessage().contains("Unknown initializer class 'Fancy'"), e.getMessage());
  }

  @Test
  void everyBuiltInRegularizerAndConstraint() {
    for (Regularizer r : List.<Regularizer>of(new L1(0.3), new L2(0.02), new L1L2(0.1, 0.2))) {
      Regularizer back = Regularizers.deserialize(throughJson(Regularizers.serialize(r)));
      assertEquals(r.getClass(), back.getClass());
      assertEquals(r.getConfig(), back.getConfig());
    }
    for (Constraint c : List.<Constraint>of(new MaxNorm(3, 0, 1), new MinMaxNorm(0.5, 2, 0.7, 0), new NonNeg(),
        new UnitNorm(1))) {
      Constraint back = Constraints.deserialize(throughJson(Constraints.serialize(c)));
      assertEquals(c.getClass(), back.getClass());
      assertEquals(c.getConfig(), back.getConfig());
    }
    assertEquals(Map.of("class_name", "L2", "config", Map.of("l2", 0.02f)), Regularizers.serialize(new L2(0.02)));
  }

  @Test
  void everyBuiltInOptimizerWithNumberOrScheduleAndClipping() {
    List<Optimizer> all = List.of(new SGD(0.1f, 0.9f, true), new Adam(0.002f, 0.8f, 0.99f, 1e-6f).clipnorm(1f),
        new RMSprop(0.01f, 0.8f, 0.1f, 1e-5f, true).clipvalue(0.5f), new Adagrad(0.2f, 0.2f, 1e-6f).globalClipnorm(2f),
        new Adam(new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {0.1, 0.01, 0.001})));
    for (Optimizer o : all) {
      Optimizer back = TrainingSerialization.deserializeOptimizer(
          throughJson(TrainingSerialization.serializeOptimizer(o)), null);
      assertEquals(o.getClass(), back.getClass());
      Map<String, Object> expected = new java.util.LinkedHashMap<>(o.getConfig());
      Map<String, Object> actual = new java.util.LinkedHashMap<>(back.getConfig());
      expected.remove("name"); // Keras4J names optimizers itself (adam, adam_1, ...)
      actual.remove("name");
      assertEquals(expected, actual, o.getClass().getSimpleName());
    }
  }

  @Test
  void everyBuiltInSchedule() {
    for (LearningRateSchedule s : List.of(new ExponentialDecay(0.1, 100, 0.5, true), new InverseTimeDecay(0.1, 10,
        0.5), new PolynomialDecay(0.1, 50, 0.001, 2.0, true), new CosineDecay(0.1, 100, 0.1, 0.2, 5),
        new PiecewiseConstantDecay(new long[] {5}, new double[] {0.1, 0.05}))) {
      LearningRateSchedule back = TrainingSerialization.deserializeSchedule(
          throughJson(TrainingSerialization.serializeSchedule(s)));
      assertEquals(s.getClass(), back.getClass());
      assertEquals(s.getConfig(), back.getConfig());
      assertEquals(s.valueAt(37), back.valueAt(37));
    }
  }

  @Test
  void crossentropyConfigsUseKerasKeys() {
    // Keras 3's get_config of BinaryCrossentropy writes from_logits, label_smoothing and axis (losses.py).
    assertEquals(Map.of("name", "bce", "from_logits", true, "label_smoothing", 0.2f, "axis", -1),
        new BinaryCrossentropy(true, 0.2f, "bce").getConfig());
    assertEquals(Map.of("name", "sparse_categorical_crossentropy", "from_logits", true),
        new SparseCategoricalCrossentropy(true).getConfig());
    // A config as Keras writes it, with keys Keras4J does not keep (reduction, dtype).
    Map<String, Object> keras = Map.of("class_name", "CategoricalCrossentropy", "config", Map.of("name", "cce",
        "reduction", "sum_over_batch_size", "dtype", "float32", "from_logits", true, "label_smoothing", 0.1,
        "axis", -1));
    CategoricalCrossentropy cce = (CategoricalCrossentropy) TrainingSerialization.deserializeLoss(keras, null);
    assertTrue(cce.fromLogits());
    assertEquals(0.1f, cce.labelSmoothing());
    // Files written by earlier Keras4J versions used camelCase keys; they still load.
    Map<String, Object> old = Map.of("class_name", "BinaryCrossentropy", "config", Map.of("name", "bce",
        "fromLogits", true, "labelSmoothing", 0.3));
    BinaryCrossentropy bce = (BinaryCrossentropy) TrainingSerialization.deserializeLoss(old, null);
    assertTrue(bce.fromLogits());
    assertEquals(0.3f, bce.labelSmoothing());
  }

  @Test
  void lossesAndMetrics() {
    for (Loss l : List.of(Losses.get("mse"), Losses.get("mae"), new Huber(0.5f), new BinaryCrossentropy(true),
        new CategoricalCrossentropy(true, 0.1f, "cce"), new SparseCategoricalCrossentropy(true))) {
      Loss back = TrainingSerialization.deserializeLoss(throughJson(TrainingSerialization.serializeLoss(l)), null);
      assertEquals(l.getClass(), back.getClass());
      assertEquals(l.getConfig(), back.getConfig());
    }
    assertEquals("accuracy", TrainingSerialization.deserializeMetric(
        throughJson(TrainingSerialization.serializeMetric("accuracy")), null), "ids stay ids");
    for (Metric m : List.<Metric>of(new BinaryAccuracy("acc"), new SparseCategoricalAccuracy())) {
      Metric back = (Metric) TrainingSerialization.deserializeMetric(
          throughJson(TrainingSerialization.serializeMetric(m)), null);
      assertEquals(m.getClass(), back.getClass());
      assertEquals(m.name(), back.name());
    }
    // A function metric is saved under its name and rebuilt by the factory registered for it.
    Metric peak = Metric.of("peak", (tf, t, p) -> tf.math.abs(p));
    Object saved = throughJson(TrainingSerialization.serializeMetric(peak));
    assertEquals("peak", Config.classNameOf(saved));
    assertSame(peak, TrainingSerialization.deserializeMetric(saved, new CustomObjects().metric("peak", c -> peak)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingSerialization.deserializeMetric(saved, null));
    assertTrue(e.getMessage().contains("new CustomObjects().metric(\"peak\""), e.getMessage());
  }

  @Test
  void customObjectsAreUsedInsideLayerConfigs() {
    Regularizer penalty = new Penalty(0.5);
    Map<String, Object> saved = Map.of("class_name", "Dense", "config", Map.of("name", "d", "units", 2,
        "kernel_regularizer", Regularizers.serialize(penalty)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerRegistry.deserialize(throughJson(saved), null));
    assertTrue(e.getMessage().contains("kernel_regularizer") && e.getMessage().contains("'Penalty'"),
        e.getMessage());
    CustomObjects custom = new CustomObjects().regularizer("Penalty", c -> new Penalty(c.getDouble("factor")));
    io.github.keras4j.layers.core.Dense d =
        (io.github.keras4j.layers.core.Dense) LayerRegistry.deserialize(throughJson(saved), custom);
    assertEquals(Regularizers.serialize(penalty), d.getConfig().get("kernel_regularizer"));
  }

  /** A regularizer class of the test's own. */
  static final class Penalty implements Regularizer {
    private final double factor;

    Penalty(double factor) {
      this.factor = factor;
    }

    @Override
    public org.tensorflow.Operand<org.tensorflow.types.TFloat32> call(org.tensorflow.op.Ops tf,
        org.tensorflow.Operand<org.tensorflow.types.TFloat32> x) {
      return tf.math.mul(tf.constant((float) factor), tf.reduceMax(x, tf.constant(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
      return Map.of("factor", factor);
    }
  }
}
