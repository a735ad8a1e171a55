package io.github.keras4j.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.core.Identity;
import io.github.keras4j.layers.normalization.GroupNormalization;
import io.github.keras4j.layers.normalization.UnitNormalization;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.layers.reshaping.Cropping1D;
import io.github.keras4j.layers.reshaping.UpSampling1D;
import io.github.keras4j.layers.reshaping.ZeroPadding1D;
import io.github.keras4j.models.Model;
import io.github.keras4j.regularizers.L2;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The preprocessing layers and the newer core, normalization and reshaping layers survive their saved form, as
 * {@link LayerRoundTripTest} checks for the others: same config after JSON and back, and bit-identical outputs with
 * the same weights.
 */
class MoreLayersRoundTripTest {

  /** One layer and its per-sample input shape. */
  record Case(String label, Supplier<Layer> layer, long[] input) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("Rescaling", () -> new Rescaling(1 / 127.5, -1), new long[] {3}),
        new Case("Normalization/adapted", () -> Normalization.builder().axis(1, 2).invert(true).build(),
            new long[] {2, 3}),
        new Case("Normalization/axis None", () -> Normalization.builder().axis().build(), new long[] {2}),
        new Case("Normalization/scalar", () -> new Normalization(0.5, 3), new long[] {2}),
        new Case("Normalization/per feature", () -> new Normalization(new float[] {1, 2, 3}, new float[] {4, 5, 6}),
            new long[] {2, 3}),
        new Case("Identity", Identity::new, new long[] {3}),
        new Case("UnitNormalization", () -> new UnitNormalization(1, 2), new long[] {2, 3}),
        new Case("GroupNormalization", () -> GroupNormalization.builder().groups(2).axis(1).epsilon(1e-4)
            .center(false).gammaInitializer(new Constant(0.5)).gammaRegularizer(new L2(0.1)).build(),
            new long[] {4, 3}),
        new Case("UpSampling1D", () -> new UpSampling1D(3), new long[] {2, 2}),
        new Case("ZeroPadding1D", () -> new ZeroPadding1D(2, 0), new long[] {2, 2}),
        new Case("Cropping1D", () -> new Cropping1D(0, 1), new long[] {3, 2}));
  }

  /**
   * The lines for {@link LayerRoundTripTest#cases()}, whose {@code everyBuiltInLayerClassIsCovered} asks one case per
   * layer class: this test stands in for them until they are added there.
   */
  @Test
  void everyNewLayerClassIsABuiltIn() {
    cases().forEach(c -> assertTrue(LayerRegistry.isBuiltin(c.layer().get().getClass().getSimpleName()), c.label()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void configAndOutputsSurviveTheSavedForm(Case c) {
    Backend.clearSession();
    Backend.setRandomSeed(17);
    Layer original = c.layer().get();
    String json = Json.write(LayerRegistry.serialize(original));
    Layer copy = LayerRegistry.deserialize(Json.parse(json, c.label()), new CustomObjects());
    assertNotSame(original, copy);
    assertEquals(original.getClass(), copy.getClass());
    assertEquals(original.getConfig(), copy.getConfig(), "config of " + c.label() + " after the round trip");
    try (Model a = model(original, c.input()); Model b = model(copy, c.input())) {
      // Same weights (positive, so variances and counts are valid), then the same outputs.
      List<FloatNdArray> weights = new ArrayList<>();
      SplittableRandom r = new SplittableRandom(5);
      for (FloatNdArray w : a.getWeights()) {
        float[] v = new float[(int) w.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (0.5 + r.nextDouble());
        }
        weights.add(NdArrays.wrap(w.shape(), DataBuffers.of(v, false, false)));
      }
      a.setWeights(weights);
      b.setWeights(weights);
      long[] full = new long[c.input().length + 1];
      full[0] = 3;
      System.arraycopy(c.input(), 0, full, 1, c.input().length);
      float[] v = new float[(int) Shape.of(full).size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextDouble() * 2 - 1);
      }
      FloatNdArray x = NdArrays.wrap(Shape.of(full), DataBuffers.of(v, false, false));
      assertArrayEquals(LayerRoundTripTest.bits(a.predict(x)), LayerRoundTripTest.bits(b.predict(x)),
          "outputs of " + c.label());
    }
  }

  private static Model model(Layer layer, long[] shape) {
    KerasTensor in = Input.of(shape);
    return new Model(in, layer.apply(in));
  }

  @Test
  void normalizationConfigsWrittenByKerasLoad() {
    // Keras 3 writes axis as a list ([] for None) and mean/variance as null, a number or a list.
    Backend.clearSession();
    Normalization n = (Normalization) LayerRegistry.deserialize(Json.parse("{\"class_name\": \"Normalization\", "
        + "\"config\": {\"name\": \"norm\", \"axis\": [], \"invert\": false, \"mean\": 2.0, \"variance\": 4.0}}",
        "test"), null);
    assertEquals(List.of(), n.getConfig().get("axis"));
    assertEquals(2f, n.getConfig().get("mean"));
    n = (Normalization) LayerRegistry.deserialize(Json.parse("{\"class_name\": \"Normalization\", \"config\": "
        + "{\"name\": \"norm2\", \"axis\": [-1], \"mean\": [1.0, 2.0], \"variance\": [3.0, 4.0]}}", "test"), null);
    assertEquals(List.of(1f, 2f), n.getConfig().get("mean"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerRegistry.deserialize(Json.parse("{\"class_name\": \"Normalization\", \"config\": {\"name\": "
            + "\"norm3\", \"axis\": [1, 2], \"mean\": [[1.0]], \"variance\": [[3.0]]}}", "test"), null));
    assertTrue(e.getMessage().contains("'norm3'") && e.getMessage().contains("1-D"), e.getMessage());
    Map<String, Object> config = LayerRegistry.serialize(new UpSampling1D());
    assertEquals("UpSampling1D", config.get("class_name"));
  }
}
