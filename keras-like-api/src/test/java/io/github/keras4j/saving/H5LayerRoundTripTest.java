package io.github.keras4j.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.models.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Every built-in layer (the cases of {@link LayerRoundTripTest}) has a place for all its weights in Keras's
 * {@code .weights.h5} layout ({@code Layer.savedState}; saving checks that none is left out) and comes back from the
 * file: a fresh layer of the same settings, in a fresh graph, loads the weights and computes bit-identical outputs.
 */
class H5LayerRoundTripTest {

  @TempDir
  Path dir;

  static java.util.stream.Stream<LayerRoundTripTest.Case> cases() {
    return LayerRoundTripTest.cases();
  }

  private static Model model(Layer layer, long[][] shapes) {
    List<KerasTensor> ins = new ArrayList<>();
    for (long[] shape : shapes) {
      ins.add(layer.inputDtype().equals(KerasTensor.STRING) ? Input.ofStrings(shape) : Input.of(shape));
    }
    KerasTensor out = ins.size() == 1 ? layer.apply(ins.get(0)) : layer.apply(ins);
    return new Model(ins, List.of(out));
  }

  /** Three samples per input: integer ids below 10 or uniform values in [-1, 1); words for a string input. */
  private static Object feed(LayerRoundTripTest.Case c, Layer layer) {
    SplittableRandom r = new SplittableRandom(9);
    if (layer.inputDtype().equals(KerasTensor.STRING)) {
      String[] words = {"a", "b", "c", "z", "", "a b c", "B a"};
      long[] shape = c.inputs()[0];
      if (shape.length == 0) {
        return new String[] {words[r.nextInt(words.length)], words[r.nextInt(words.length)], "a b c a"};
      }
      String[][] out = new String[3][(int) shape[0]];
      for (String[] row : out) {
        for (int j = 0; j < row.length; j++) {
          row[j] = words[r.nextInt(words.length)];
        }
      }
      return out;
    }
    List<FloatNdArray> out = new ArrayList<>();
    for (long[] shape : c.inputs()) {
      long[] full = new long[shape.length + 1];
      full[0] = 3;
      System.arraycopy(shape, 0, full, 1, shape.length);
      float[] v = new float[(int) Shape.of(full).size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = c.ids() ? r.nextInt(10) : (float) (r.nextDouble() * 2 - 1);
      }
      out.add(NdArrays.wrap(Shape.of(full), DataBuffers.of(v, false, false)));
    }
    return out.size() == 1 ? out.get(0) : out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void weightsComeBackFromKerasLayout(LayerRoundTripTest.Case c) throws IOException {
    Path file = dir.resolve("layer.weights.h5");
    int[] expected;
    Backend.clearSession();
    Backend.setRandomSeed(17);
    Layer original = c.layer().get();
    Object x = feed(c, original);
    try (Model a = model(original, c.inputs())) {
      // Non-trivial weights (positive, so moving variances are valid), as LayerRoundTripTest sets them.
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
      expected = LayerRoundTripTest.bits(a.predict(x));
      a.saveWeights(file);
    }
    Backend.clearSession();
    Backend.setRandomSeed(18); // other initial weights
    try (Model b = model(c.layer().get(), c.inputs())) {
      b.loadWeights(file);
      assertArrayEquals(expected, LayerRoundTripTest.bits(b.predict(x)), "outputs of " + c.label());
    }
  }
}
