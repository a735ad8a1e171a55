package io.github.keras4j.layers.rnn;

import static io.github.keras4j.layers.rnn.ConvLstmReference.assertClose;
import static io.github.keras4j.layers.rnn.ConvLstmReference.nd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.rnn.ConvLstmReference.Settings;
import io.github.keras4j.models.Model;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class ConvLSTM3DTest {

  // Batch 2, 2 time steps of 3 x 3 x 3 volumes with 1 channel; 2 filters, 2 x 2 x 2 kernels.
  private static final float[] X = LayerChecks.randomValues(2 * 2 * 27, 9);
  private static final float[] K = ConvLstmReference.values(8 * 1 * 8, 3, 0.8f);
  private static final float[] R = ConvLstmReference.values(8 * 2 * 8, 5, 0.6f);
  private static final float[] B = ConvLstmReference.values(8, 1, 0.4f);

  @Test
  void sequenceMatchesThePlainJavaRecurrence() {
    // Expected: ConvLstmReference (Keras's ConvLSTMCell in plain Java loops) with three spatial axes; "same" with an
    // even kernel pads after only, in the recurrent convolution too.
    for (boolean same : new boolean[] {false, true}) {
      ConvLSTM3D layer = ConvLSTM3D.builder(2, 2).padding(same ? "same" : "valid").returnSequences(true).build();
      KerasTensor in = Input.of(2, 3, 3, 3, 1);
      try (Model m = new Model(in, layer.apply(in))) {
        m.setWeights(List.of(nd(K, 2, 2, 2, 1, 8), nd(R, 2, 2, 2, 2, 8), nd(B, 8)));
        int[] one = {1, 1, 1};
        Settings s = new Settings(new int[] {3, 3, 3}, 1, 2, new int[] {2, 2, 2}, one, one, same, false);
        var y = m.predict(nd(X, 2, 2, 3, 3, 3, 1));
        int n = same ? 3 : 2;
        assertArrayEquals(new long[] {2, 2, n, n, n, 2}, y.shape().asArray());
        assertClose(ConvLstmReference.sequence(ConvLstmReference.run(s, X, 2, 2, K, R, B, null)), y, 1e-5,
            "same=" + same);
      }
    }
  }

  @Test
  void outputShapeFollowsTheConvolutionFormula() {
    // (None, 2, 8, 7, 6, 1), kernel (3, 2, 1), strides (2, 3, 1), valid: (3, 2, 6); same: (4, 3, 6).
    Shape in = Shape.of(-1, 2, 8, 7, 6, 1);
    assertArrayEquals(new long[] {-1, 3, 2, 6, 4}, ConvLSTM3D.builder(4, 3, 2, 1).strides(2, 3, 1).build()
        .computeOutputShape(in).asArray());
    assertArrayEquals(new long[] {-1, 4, 3, 6, 4}, ConvLSTM3D.builder(4, 3, 2, 1).strides(2, 3, 1).padding("same")
        .build().computeOutputShape(in).asArray());
  }

  @Test
  void passesStandardLayerChecks() {
    // Conv3D's gradient is Keras4J's own registration (TensorFlow's C++ registry has none).
    LayerChecks.check(ConvLSTM3D.builder(1, 2).returnSequences(true).build(), 2, 2, 3, 3, 2, 1);
  }

  @Test
  void rejectsInputsOfTheWrongRank() {
    Backend.clearSession();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConvLSTM3D(2, 3).apply(Input.of(3, 4, 4, 1)));
    assertEquals("Input 0 of layer 'conv_lstm3d' is incompatible with the layer: expected ndim=6, found ndim=5. "
        + "Full shape received: (None, 3, 4, 4, 1). ConvLSTM3D expects inputs of shape "
        + "(None, time, depth, rows, cols, channels).", e.getMessage());
  }
}
