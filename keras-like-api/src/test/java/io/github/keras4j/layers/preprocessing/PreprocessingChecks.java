package io.github.keras4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.models.Model;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Runners for the preprocessing layers whose outputs are integers (indices, encodings): they have no gradient, so
 * instead of {@code LayerChecks.check} (which also checks gradients against finite differences and one training
 * step) their tests use {@link #predict}, which checks the standard parts that apply: the inferred output shape
 * against the real one, and the config naming the layer.
 */
final class PreprocessingChecks {

  private PreprocessingChecks() {}

  /** The shape {@code (batch, sample...)} of {@code values.length} values, given the sample shape. */
  static long[] full(int values, long... sampleShape) {
    long size = 1;
    for (long d : sampleShape) {
      size *= d;
    }
    long[] out = new long[sampleShape.length + 1];
    out[0] = values / size;
    System.arraycopy(sampleShape, 0, out, 1, sampleShape.length);
    return out;
  }

  /**
   * Applies {@code layer} to an input of {@code sampleShape} in a model, predicts {@code x} (row-major, samples
   * first) and returns the output flattened; asserts the output's shape is the inferred one and the config's name.
   */
  static float[] predict(Layer layer, float[] x, long... sampleShape) {
    KerasTensor in = Input.of(sampleShape);
    KerasTensor out = layer.apply(in);
    try (Model m = new Model(in, out)) {
      long[] shape = full(x.length, sampleShape);
      FloatNdArray y = m.predict(NdArrays.wrap(Shape.of(shape), DataBuffers.of(x, true, false)));
      long[] inferred = out.shape().asArray().clone();
      inferred[0] = shape[0];
      assertArrayEquals(inferred, y.shape().asArray(), "computeOutputShape vs real output of " + layer.name());
      assertEquals(layer.name(), layer.getConfig().get("name"));
      float[] v = new float[(int) y.size()];
      y.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }

  /** {@code a} as floats, for expected values written as ints. */
  static float[] floats(int... a) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
