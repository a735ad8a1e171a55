package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.floats;
import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.predict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Expected numbers: Keras 3's docstring examples (discretization.py), bins counted by hand (the number of boundaries
 * {@code <= x}), and Keras's quantile summaries worked through by hand for evenly spaced data (comments below).
 */
class DiscretizationTest {

  @TempDir
  Path dir;

  /** The docstring's input, {@code [[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]]}. */
  private static final float[] DOC = {-1.5f, 1.0f, 3.4f, .5f, 0.0f, 3.0f, 1.3f, 0.0f};

  private static float[] output(FloatNdArray y) {
    float[] v = new float[(int) y.size()];
    y.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  @Test
  void docstringGivenBoundaries() {
    Backend.clearSession();
    // Keras: array([[0, 2, 3, 1], [1, 3, 2, 1]]).
    assertArrayEquals(floats(0, 2, 3, 1, 1, 3, 2, 1), predict(new Discretization(new double[] {0, 1, 2}), DOC, 4));
  }

  @Test
  void docstringAdaptedQuantiles() {
    Backend.clearSession();
    Discretization d = new Discretization(4, 0.01);
    d.adapt(new float[][] {{-1.5f, 1.0f, 3.4f, .5f}, {0.0f, 3.0f, 1.3f, 0.0f}});
    // By hand: 8 values, so the summary is the sorted data with weight 1 each; compressed to 1/4 it is the values at
    // cumulative fractions 0.25, 0.5, 0.75, 1 (k/8 exactly at k = 2, 4, 6, 8): 0.0, 0.5, 1.3, 3.4; the last dropped.
    assertArrayEquals(new float[] {0f, 0.5f, 1.3f}, d.binBoundaries());
    // Keras: array([[0, 2, 3, 2], [1, 3, 3, 1]]).
    assertArrayEquals(floats(0, 2, 3, 2, 1, 3, 3, 1), predict(d, DOC, 4));
  }

  @Test
  void adaptOnEvenlySpacedData() {
    Backend.clearSession();
    float[] data = new float[1000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i * 7919) % 1000; // 0..999, shuffled
    }
    Discretization d = new Discretization(4, 0.01);
    d.adapt(data);
    // Roughly by hand: n = 1000, 1 / epsilon = 100 buckets, step 10, start 9: the summary is 9, 19, ..., 999 with
    // weight 10 each; compressed to 1/4 the cumulative fractions hit 0.25, 0.5, 0.75 near 249, 499, 749 (the true
    // quartiles are 249.75, 499.5, 749.25). Exactly, with numpy's float32 fractions: Keras's own summarize,
    // merge_summaries and get_bin_boundaries (discretization.py) run with numpy 2.4 on the same data give these.
    assertArrayEquals(new float[] {248.999755859375f, 498.99981689453125f, 748.9999389648438f}, d.binBoundaries());
    assertArrayEquals(floats(0, 1, 1, 2, 3, 3), predict(d, new float[] {248, 249, 250, 499, 749, 5000}, 1));
  }

  @Test
  void adaptOnADatasetMergesBatchSummaries() {
    Backend.clearSession();
    float[][] x = new float[1000][1];
    float[][] y = new float[1000][1];
    for (int i = 0; i < x.length; i++) {
      x[i][0] = (i * 7919) % 1000;
    }
    Discretization d = new Discretization(4, 0.01);
    d.adapt(Dataset.fromArrays(x, y).batch(100));
    // Keras's summarize / merge_summaries per batch of 100 (in order) and get_bin_boundaries, run with numpy 2.4:
    assertArrayEquals(new float[] {254.4282989501953f, 499.5710754394531f, 750.999755859375f}, d.binBoundaries());
    // Approximate quantiles: within epsilon * n = 10 of the true quartiles 249.75, 499.5, 749.25.
    float[] truth = {249.75f, 499.5f, 749.25f};
    for (int i = 0; i < 3; i++) {
      assertEquals(truth[i], d.binBoundaries()[i], 10, "boundary " + i);
    }
  }

  @Test
  void encodedOutputModes() {
    Backend.clearSession();
    double[] bounds = {0, 1, 2};
    // Bins of the docstring's rows: [0, 2, 3, 1] and [1, 3, 2, 1].
    float[] multi = predict(Discretization.builder().binBoundaries(bounds).outputMode("multi_hot").build(), DOC, 4);
    assertArrayEquals(floats(1, 1, 1, 1, 0, 1, 1, 1), multi);
    float[] count = predict(Discretization.builder().binBoundaries(bounds).outputMode("count").build(), DOC, 4);
    assertArrayEquals(floats(1, 1, 1, 1, 0, 2, 1, 1), count);
    // one_hot on (batch, 1): the last axis is replaced; bins 0 and 3.
    float[] oneHot = predict(Discretization.builder().binBoundaries(bounds).outputMode("one_hot").build(),
        new float[] {-1.5f, 3.4f}, 1);
    assertArrayEquals(floats(1, 0, 0, 0, 0, 0, 0, 1), oneHot);
    // one_hot on (batch, 2): a new axis.
    Discretization wide = Discretization.builder().binBoundaries(bounds).outputMode("one_hot").build();
    assertEquals("(None, 2, 4)", Shapes.format(wide.computeOutputShape(Shape.of(-1, 2))));
  }

  @Test
  void fewerValuesThanBinsLeaveTheLastBinsEmpty() {
    Backend.clearSession();
    Discretization d = Discretization.builder().numBins(5).outputMode("one_hot").build();
    d.adapt(new float[] {3, 1, 2});
    // 3 values and 5 bins: Keras keeps the summary (1, 2, 3) and drops its last value: boundaries 1, 2 (three bins);
    // here the two missing boundaries are +inf, so one_hot still has 5 slots, the last two never set.
    assertArrayEquals(new float[] {1, 2}, d.binBoundaries());
    assertArrayEquals(floats(1, 0, 0, 0, 0, 0, 0, 1, 0, 0), predict(d, new float[] {0, 9}, 1));
  }

  @Test
  void adaptedBoundariesSurviveSaveAndLoadAndAdaptAfterBuild() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    Discretization d = Discretization.builder().numBins(4).outputMode("count").name("bins").build();
    d.adapt(new float[][] {{-1.5f, 1.0f, 3.4f, .5f}, {0.0f, 3.0f, 1.3f, 0.0f}});
    float[][] x = {{-2, 0.1f, 0.7f, 2}, {5, 5, 5, 0}};
    Path file = dir.resolve("bins.keras");
    float[] expected;
    try (Sequential m = new Sequential(new InputLayer(4), d, new Dense(2))) {
      expected = output(m.predict(x));
      m.save(file);
      // Adapting again once built changes the weights: 8 values, fractions k / 8 hit 0.25, 0.5, 0.75 at 11, 13, 15.
      d.adapt(new float[] {10, 11, 12, 13, 14, 15, 16, 17});
      assertArrayEquals(new float[] {11, 13, 15}, d.binBoundaries());
    }
    Backend.clearSession();
    try (Model m = Models.load(file)) {
      Discretization loaded = assertInstanceOf(Discretization.class, m.layers().get(0));
      assertArrayEquals(new float[] {0f, 0.5f, 1.3f}, loaded.binBoundaries());
      assertArrayEquals(expected, output(m.predict(x)));
    }
  }

  @Test
  void adaptAfterBuildIsSeenByTheModel() {
    Backend.clearSession();
    Discretization d = new Discretization(2, 0.01);
    d.adapt(new float[] {0, 1, 2, 3});
    try (Sequential m = new Sequential(new InputLayer(2), d)) {
      // 4 values, compressed to 1/2: fractions 0.25..1 hit 0.5 at value 1: boundary 1.
      assertArrayEquals(floats(0, 1), output(m.predict(new float[][] {{0.5f, 1.5f}})));
      d.adapt(new float[] {10, 20, 30, 40});
      assertArrayEquals(floats(0, 0), output(m.predict(new float[][] {{0.5f, 1.5f}})));
      assertArrayEquals(floats(1, 1), output(m.predict(new float[][] {{20f, 45f}})));
    }
  }

  @Test
  void configAndErrors() {
    Backend.clearSession();
    Map<String, Object> c = Discretization.builder().binBoundaries(0, 1).outputMode("one_hot").name("d").build()
        .getConfig();
    assertEquals(List.of(0.0, 1.0), c.get("bin_boundaries"));
    assertEquals(null, c.get("num_bins"));
    assertEquals(0.01, c.get("epsilon"));
    assertEquals("one_hot", c.get("output_mode"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Discretization.builder().numBins(3).binBoundaries(1, 2).name("both").build());
    assertTrue(e.getMessage().contains("'both'") && e.getMessage().contains("num_bins=3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Discretization.builder().name("neither").build());
    assertTrue(e.getMessage().contains("'neither'") && e.getMessage().contains("num_bins"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Discretization.builder().binBoundaries(2, 1).name("unsorted").build());
    assertTrue(e.getMessage().contains("'unsorted'") && e.getMessage().contains("[2.0, 1.0]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Discretization.builder().numBins(3).outputMode("tf_idf").name("mode").build());
    assertTrue(e.getMessage().contains("'mode'") && e.getMessage().contains("output_mode=tf_idf"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Discretization(1, 0.01));
    assertTrue(e.getMessage().contains("num_bins=1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Discretization.builder().binBoundaries(0, 1)
        .outputMode("multi_hot").name("rank").build().apply(Input.of(2, 3)));
    assertTrue(e.getMessage().contains("'rank'") && e.getMessage().contains("(None, 2, 3)"), e.getMessage());
    IllegalStateException s = assertThrows(IllegalStateException.class,
        () -> new Discretization(new double[] {1}).adapt(new float[] {1, 2}));
    assertTrue(s.getMessage().contains("num_bins"), s.getMessage());
    Discretization unadapted = Discretization.builder().numBins(3).name("fresh").build();
    s = assertThrows(IllegalStateException.class, () -> predict(unadapted, new float[] {1, 2}, 1));
    assertTrue(s.getMessage().contains("'fresh'") && s.getMessage().contains("adapt"), s.getMessage());
  }
}
