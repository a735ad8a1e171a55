package io.github.keras4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.LossScaleOptimizer;
import io.github.keras4j.optimizers.MultiOptimizer;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.OptimizerMap;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.training.FitOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Saving a model whose optimizer wraps others (weights file version 2): the inner optimizers' slots and step
 * counters and the {@link LossScaleOptimizer}'s scale and counter come back, so the next step of the loaded model
 * is bit-identical to the original's, through {@code Model.save}/{@code Models.load} and through
 * {@code saveWeights}/{@code loadWeights}; version 1 files still load; state that does not fit is skipped with
 * Keras's warning.
 */
class WrappedOptimizerStateTest {

  @TempDir
  Path dir;

  private static final float[][] X = LayerChecks.randomMatrix(16, 3, 7);
  private static final float[] Y = targets(X);
  /**
   * Finite targets (fit refuses others) whose gradients overflow: mse's {@code 2 * (prediction - 3e38)} is beyond
   * float32's range, so a LossScaleOptimizer skips the step.
   */
  private static final float[] Y_INF = new float[X.length];

  static {
    Arrays.fill(Y_INF, 3e38f);
  }

  private static float[] targets(float[][] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] - 2 * x[i][1] + 0.5f * x[i][2];
    }
    return y;
  }

  private static Sequential mlp() {
    return new Sequential(new InputLayer(3), new Dense(4, "tanh"), new Dense(1));
  }

  /** Every weight's float bits, in model order. */
  private static List<int[]> bits(Model m) {
    List<int[]> out = new ArrayList<>();
    for (FloatNdArray w : m.getWeights()) {
      float[] v = new float[(int) w.size()];
      w.copyTo(DataBuffers.of(v, false, false));
      int[] b = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        b[i] = Float.floatToRawIntBits(v[i]);
      }
      out.add(b);
    }
    return out;
  }

  private static void assertSameWeights(Model expected, Model actual, String what) {
    List<int[]> a = bits(expected);
    List<int[]> b = bits(actual);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i), what + ": weight " + i);
    }
  }

  /** A fresh model compiled with {@code optimizer} whose training step (and optimizer state) is built. */
  private static Sequential built(Optimizer optimizer) {
    Sequential m = mlp();
    m.compile(optimizer, "mse");
    m.fit(X, Y, new FitOptions().epochs(0).verbose(0));
    return m;
  }

  private static LossScaleOptimizer lso(Model m) {
    return (LossScaleOptimizer) m.getOptimizer();
  }

  /**
   * LossScaleOptimizer(Adam), growth every 3 finite steps, scale 1024. Steps: finite, finite, inf, finite, finite.
   * By hand (Keras's rule): step counter 1, 2, then 0 with the scale halved to 512 (the inf step, skipped: Adam's
   * iterations stay at 2), then 1, 2; Adam has made 4 updates. The next (finite) step is the third in a row: the
   * scale doubles back to 1024 and the counter returns to 0, Adam makes its 5th update; a loaded model must do the
   * same, and its weights must equal the original's bit for bit (Adam's m, v and bias correction restored).
   */
  @Test
  void lossScaleOptimizerStateRoundTrips() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(4);
    Path modelFile = dir.resolve("lso.keras");
    Path weightsFile = dir.resolve("lso.weights.bin");
    try (Sequential a = mlp()) {
      a.compile(new LossScaleOptimizer(new Adam(0.01f), 1024f, 3), "mse");
      a.trainOnBatch(X, Y);
      a.trainOnBatch(X, Y);
      List<int[]> before = bits(a);
      a.trainOnBatch(X, Y_INF);
      List<int[]> after = bits(a);
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(before.get(i), after.get(i), "the inf step is skipped");
      }
      a.trainOnBatch(X, Y);
      a.trainOnBatch(X, Y);
      assertEquals(512f, lso(a).dynamicScale());
      assertEquals(2, lso(a).stepCounter());
      assertEquals(4, lso(a).iterations());
      a.save(modelFile);
      a.saveWeights(weightsFile);

      WeightsFile.Contents c = WeightsFile.read(weightsFile);
      // The inner Adam's variables (learning rate, m and v of 4 weights), under its own name.
      assertEquals(9, c.optimizer().size());
      assertTrue(c.optimizer().stream().allMatch(e -> e.layer().equals(lso(a).getInnerOptimizer().name())));
      String name = lso(a).name();
      String adam = lso(a).getInnerOptimizer().name();
      // In tree order: the wrapper's extra state, then the inner Adam's step counter.
      assertEquals(List.of(new WeightsFile.Scalar(name + "/dynamic_scale", 512), new WeightsFile.Scalar(name
          + "/step_counter", 2), new WeightsFile.Scalar(adam + "/iterations", 4)), c.optimizerState());
      assertEquals(4, c.iterations());

      // Models.load (compiled): a new program, so the same layer names.
      Backend.clearSession();
      try (Model b = Models.load(modelFile)) {
        checkLoadedAndStep(a, b);
      }
      // loadWeights into a fresh model of this session: other layer and optimizer names (dense_2, adam_1, ...).
      try (Sequential b = built(new LossScaleOptimizer(new Adam(0.01f), 1024f, 3))) {
        assertTrue(!lso(b).name().equals(name) && !lso(b).getInnerOptimizer().name().equals(adam));
        assertEquals(1024f, lso(b).dynamicScale());
        b.loadWeights(weightsFile);
        checkLoadedAndStep(a, b);
      }
    }
  }

  /** {@code b} has {@code a}'s saved state (before {@code a}'s next step); both step, and must agree. */
  private static void checkLoadedAndStep(Sequential a, Model b) {
    LossScaleOptimizer loaded = lso(b);
    assertEquals(512f, loaded.dynamicScale());
    assertEquals(2, loaded.stepCounter());
    assertEquals(4, loaded.iterations());
    // a takes its next step once (its counter is then 0); every loaded copy takes the same step.
    if (lso(a).stepCounter() == 2) {
      a.trainOnBatch(X, Y);
    }
    b.trainOnBatch(X, Y);
    assertEquals(1024f, loaded.dynamicScale());
    assertEquals(0, loaded.stepCounter());
    assertEquals(5, loaded.iterations());
    assertSameWeights(a, b, "after the next step");
  }

  /** The map of the MultiOptimizer: SGD with momentum for the first Dense, Adam for the second (by layer name). */
  private static MultiOptimizer multi(Sequential m) {
    OptimizerMap map = new OptimizerMap(new SGD(0.05f, 0.9f));
    map.put(m.layers().get(1).name() + "/.*", new Adam(0.01f));
    return new MultiOptimizer(map);
  }

  /**
   * MultiOptimizer(SGD with momentum, Adam): 3 steps, then SGD's counter is set to 5 (SGD ignores it) so that the
   * three counters differ (wrapper 3, SGD 5, Adam 3) and a mix-up shows. The loaded model has them back, and its next
   * step (SGD's momentum, Adam's m, v and bias correction) equals the original's bit for bit.
   */
  @Test
  void multiOptimizerStateRoundTrips() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(5);
    Path modelFile = dir.resolve("multi.keras");
    Path weightsFile = dir.resolve("multi.weights.bin");
    try (Sequential a = mlp()) {
      MultiOptimizer opt = multi(a);
      a.compile(opt, "mse");
      for (int i = 0; i < 3; i++) {
        a.trainOnBatch(X, Y);
      }
      Optimizer sgd = opt.optimizers().get(1); // the map's Adam first, then the default SGD
      assertTrue(sgd instanceof SGD);
      sgd.setIterations(5);
      a.save(modelFile);
      a.saveWeights(weightsFile);
      WeightsFile.Contents c = WeightsFile.read(weightsFile);
      // Adam: learning rate, m, v of dense_1's 2 weights = 5; SGD: learning rate, momentum of dense's 2 weights = 3.
      assertEquals(8, c.optimizer().size());
      assertEquals(List.of(new WeightsFile.Scalar(opt.optimizers().get(0).name() + "/iterations", 3),
          new WeightsFile.Scalar(sgd.name() + "/iterations", 5)), c.optimizerState());
      a.trainOnBatch(X, Y);

      Function<Model, long[]> counters = m -> {
        MultiOptimizer mo = (MultiOptimizer) m.getOptimizer();
        return new long[] {mo.iterations(), mo.optimizers().get(0).iterations(), mo.optimizers().get(1).iterations()};
      };
      Backend.clearSession();
      try (Model b = Models.load(modelFile)) {
        assertArrayEquals(new long[] {3, 3, 5}, counters.apply(b));
        b.trainOnBatch(X, Y);
        assertArrayEquals(new long[] {4, 4, 6}, counters.apply(b));
        assertSameWeights(a, b, "Models.load, after the next step");
      }
      try (Sequential b = mlp()) {
        b.compile(multi(b), "mse");
        b.fit(X, Y, new FitOptions().epochs(0).verbose(0));
        b.loadWeights(weightsFile);
        assertArrayEquals(new long[] {3, 3, 5}, counters.apply(b));
        b.trainOnBatch(X, Y);
        assertSameWeights(a, b, "loadWeights, after the next step");
      }
    }
  }

  /**
   * The bytes of a version 1 file for {@code c}, written by hand from the version 1 layout (magic, version 1,
   * weights, optimizer name, step counter, the top optimizer's own variables, CRC-32): no state section.
   */
  private static byte[] version1(WeightsFile.Contents c, String ownPrefix) {
    ByteBuffer e = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    e.put(new byte[] {'K', '4', 'J', 'W', 0x0D, 0x0A, 0x1A, 0x0A}).putInt(1);
    putEntries(e, c.weights());
    putString(e, c.optimizerName());
    e.putLong(c.iterations());
    putEntries(e, c.optimizer().stream().filter(x -> x.layer().equals(ownPrefix)).toList());
    CRC32 crc = new CRC32();
    crc.update(e.array(), 0, e.position());
    e.putInt((int) crc.getValue());
    byte[] out = new byte[e.position()];
    System.arraycopy(e.array(), 0, out, 0, out.length);
    return out;
  }

  private static void putString(ByteBuffer e, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    e.putInt(b.length).put(b);
  }

  private static void putEntries(ByteBuffer e, List<WeightsFile.Entry> entries) {
    e.putInt(entries.size());
    for (WeightsFile.Entry x : entries) {
      putString(e, x.layer());
      putString(e, x.weight());
      long[] dims = x.value().shape().asArray();
      e.putInt(dims.length);
      for (long d : dims) {
        e.putLong(d);
      }
      float[] v = new float[(int) x.value().size()];
      x.value().copyTo(DataBuffers.of(v, false, false));
      for (float f : v) {
        e.putFloat(f);
      }
    }
  }

  /**
   * Version 1 files load as before: a plain Adam's whole state (its own variables and counter: the next step is
   * bit-identical), and for a MultiOptimizer the wrapper's counter only (its inner optimizers were not saved).
   */
  @Test
  void version1FilesStillLoad() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(6);
    Path file = dir.resolve("v1.weights.bin");
    try (Sequential a = mlp()) {
      a.compile(new Adam(0.01f), "mse");
      a.trainOnBatch(X, Y);
      a.trainOnBatch(X, Y);
      Files.write(file, version1(WeightsFile.snapshot(a), a.getOptimizer().name()));
      assertEquals(1, ByteBuffer.wrap(Files.readAllBytes(file), 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
      assertEquals(null, WeightsFile.read(file).optimizerState());
      a.trainOnBatch(X, Y);
      try (Sequential b = built(new Adam(0.01f))) {
        b.loadWeights(file);
        assertEquals(2, b.getOptimizer().iterations());
        b.trainOnBatch(X, Y);
        assertSameWeights(a, b, "after the next step");
      }
    }
    try (Sequential a = mlp()) {
      MultiOptimizer opt = multi(a);
      a.compile(opt, "mse");
      a.trainOnBatch(X, Y);
      a.trainOnBatch(X, Y);
      Files.write(file, version1(WeightsFile.snapshot(a), opt.name()));
      try (Sequential b = mlp()) {
        MultiOptimizer fresh = multi(b);
        b.compile(fresh, "mse");
        b.fit(X, Y, new FitOptions().epochs(0).verbose(0));
        b.loadWeights(file);
        assertSameWeights(a, b, "the loaded weights");
        assertEquals(2, fresh.iterations());
        assertEquals(0, fresh.optimizers().get(0).iterations(), "a version 1 file has no inner optimizer state");
      }
    }
  }

  /**
   * A file from LossScaleOptimizer(Adam) loaded into a model with plain Adam: the float variables fit (Adam's), but
   * the state section has 3 values (Adam's counter, the scale and its counter) where plain Adam has none, so the
   * optimizer state is skipped with a warning, as Keras skips an optimizer that does not fit; the weights load.
   */
  @Test
  void stateThatDoesNotFitIsSkippedWithAWarning() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(7);
    Path file = dir.resolve("lso.weights.bin");
    List<String> warnings = new ArrayList<>();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        warnings.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(WeightsFile.class.getName());
    log.addHandler(h);
    try (Sequential a = mlp()) {
      a.compile(new LossScaleOptimizer(new Adam(0.01f), 1024f, 3), "mse");
      a.trainOnBatch(X, Y);
      a.saveWeights(file);
      try (Sequential b = built(new Adam(0.01f))) {
        b.loadWeights(file);
        assertSameWeights(a, b, "the weights load");
        assertEquals(0, b.getOptimizer().iterations(), "the optimizer state is skipped");
      }
    } finally {
      log.removeHandler(h);
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).matches("Skipping variable loading for optimizer 'adam_\\d+', because it has 0 state "
        + "values \\(wrapped optimizers' step counters, loss scale\\) whereas the saved optimizer has 3\\. .*"),
        warnings.get(0));
    assertEquals(Map.of(), new Adam().extraState());
  }
}
