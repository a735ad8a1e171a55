package io.github.keras4j.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphRuntime;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/** Lookup by id, constants, and the plain random initializers. */
class InitializersTest {

  private static final Shape LARGE = Shape.of(400, 300);

  @Test
  void getReturnsFreshInstancesByIdOrClassName() {
    Map<String, Class<?>> expected =
        Map.ofEntries(
            Map.entry("constant", Constant.class),
            Map.entry("glorot_normal", GlorotNormal.class),
            Map.entry("glorot_uniform", GlorotUniform.class),
            Map.entry("he_normal", HeNormal.class),
            Map.entry("he_uniform", HeUniform.class),
            Map.entry("lecun_normal", LecunNormal.class),
            Map.entry("lecun_uniform", LecunUniform.class),
            Map.entry("ones", Ones.class),
            Map.entry("orthogonal", Orthogonal.class),
            Map.entry("random_normal", RandomNormal.class),
            Map.entry("random_uniform", RandomUniform.class),
            Map.entry("stft", STFT.class),
            Map.entry("truncated_normal", TruncatedNormal.class),
            Map.entry("variance_scaling", VarianceScaling.class),
            Map.entry("zeros", Zeros.class));
    expected.forEach(
        (id, type) -> {
          Initializer init = Initializers.get(id);
          assertEquals(type, init.getClass(), id);
          assertEquals(id, init.id());
          assertEquals(type, Initializers.get(type.getSimpleName()).getClass());
        });
    assertNotSame(Initializers.get("glorot_uniform"), Initializers.get("glorot_uniform"));
  }

  @Test
  void unknownIdListsValidIds() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Initializers.get("glorot_unifrom"));
    assertEquals(
        "Unknown initializer: 'glorot_unifrom'. Valid ids: constant, glorot_normal, glorot_uniform, he_normal, "
            + "he_uniform, lecun_normal, lecun_uniform, ones, orthogonal, random_normal, random_uniform, stft, "
            + "truncated_normal, variance_scaling, zeros",
        e.getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Initializers.get(null))
            .getMessage()
            .startsWith("Unknown initializer: null. Valid ids: constant, "));
  }

  @Test
  void constantsAreExact() {
    Samples zeros = Samples.draw(new Zeros(), Shape.of(3, 4), 0);
    assertEquals(Shape.of(3, 4), zeros.shape);
    assertArrayEquals(new float[12], zeros.values);
    float[] ones = new float[12];
    Arrays.fill(ones, 1f);
    assertArrayEquals(ones, Samples.draw(new Ones(), Shape.of(3, 4), 0).values);
    Samples c = Samples.draw(new Constant(0.25), Shape.of(2, 3, 2), 0);
    assertEquals(Shape.of(2, 3, 2), c.shape);
    float[] quarter = new float[12];
    Arrays.fill(quarter, 0.25f);
    assertArrayEquals(quarter, c.values);
    Samples scalar = Samples.draw(new Constant(-1.5), Shape.scalar(), 0);
    assertEquals(Shape.scalar(), scalar.shape);
    assertArrayEquals(new float[] {-1.5f}, scalar.values);
    assertEquals("{value=0.25}", new Constant(0.25).getConfig().toString());
    assertEquals(Map.of(), new Zeros().getConfig());
    assertEquals(0.0, ((Constant) Initializers.get("constant")).value());
  }

  @Test
  void randomNormalHasKerasDefaults() {
    Samples s = Samples.draw(new RandomNormal(), LARGE, 1);
    assertEquals(LARGE, s.shape);
    assertEquals(0, s.mean(), 0.001);
    assertEquals(0.05, Math.sqrt(s.variance()), 0.05 * 0.05);
    assertTrue(s.maxAbs() > 2 * 0.05, "an untruncated normal exceeds 2 stddev");
    assertEquals("{mean=0.0, stddev=0.05, seed=null}", new RandomNormal().getConfig().toString());
    Samples shifted = Samples.draw(new RandomNormal(3.0, 0.5, 9), LARGE, 1);
    assertEquals(3.0, shifted.mean(), 0.01);
    assertEquals(0.5, Math.sqrt(shifted.variance()), 0.05 * 0.5);
  }

  @Test
  void randomUniformHasKerasDefaults() {
    Samples s = Samples.draw(new RandomUniform(), LARGE, 2);
    assertTrue(s.min() >= -0.05 && s.max() <= 0.05, "range [" + s.min() + ", " + s.max() + "]");
    assertEquals(0, s.mean(), 0.001);
    // Variance of U(a, b) is (b - a)^2 / 12.
    assertEquals(0.1 * 0.1 / 12, s.variance(), 0.05 * 0.1 * 0.1 / 12);
    Samples shifted = Samples.draw(new RandomUniform(2.0, 3.0, 4), LARGE, 2);
    assertTrue(shifted.min() >= 2.0 && shifted.max() <= 3.0);
    assertEquals(2.5, shifted.mean(), 0.01);
    assertEquals("{minval=-0.05, maxval=0.05, seed=null}", new RandomUniform().getConfig().toString());
  }

  @Test
  void truncatedNormalStaysWithinTwoStddev() {
    Samples s = Samples.draw(new TruncatedNormal(), LARGE, 3);
    assertTrue(s.maxAbs() <= 2 * 0.05 + 1e-6, "max |w| " + s.maxAbs());
    assertEquals(0, s.mean(), 0.001);
    // Standard deviation of N(0, 1) truncated to [-2, 2]: 0.8796...
    assertEquals(0.05 * VarianceScaling.TRUNCATED_STDDEV_FACTOR, Math.sqrt(s.variance()), 0.05 * 0.05 * 0.88);
    Samples shifted = Samples.draw(new TruncatedNormal(1.0, 0.1, 5), LARGE, 3);
    assertTrue(shifted.min() >= 0.8 - 1e-6 && shifted.max() <= 1.2 + 1e-6);
  }

  @Test
  void randomInitializersAreDeterministicPerSeed() {
    for (Initializer init : new Initializer[] {new RandomNormal(), new RandomUniform(), new TruncatedNormal()}) {
      float[] a = Samples.draw(init, Shape.of(50), 21).values;
      assertArrayEquals(a, Samples.draw(init, Shape.of(50), 21).values, init.id());
      assertFalse(Arrays.equals(a, Samples.draw(init, Shape.of(50), 22).values), init.id());
    }
    assertArrayEquals(
        Samples.draw(new RandomNormal(8), Shape.of(50), 1).values,
        Samples.draw(new RandomNormal(8), Shape.of(50), 2).values);
    assertTrue(new RandomUniform(8).seed() == 8L);
  }

  @Test
  void partialShapesAndBadArgumentsAreRejected() {
    try (GraphRuntime rt = new GraphRuntime()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> new GlorotUniform().call(rt.tf(), Shape.of(-1, 3), 0));
      assertEquals(
          "Initializer 'glorot_uniform' needs a fully defined shape. Received: shape=(None, 3)", e.getMessage());
    }
    assertInstanceOf(
        IllegalArgumentException.class,
        assertThrows(IllegalArgumentException.class, () -> new RandomNormal(0, -1)));
    assertEquals(
        "RandomUniform: minval must be <= maxval. Received: minval=1.0, maxval=0.0",
        assertThrows(IllegalArgumentException.class, () -> new RandomUniform(1, 0)).getMessage());
  }
}
