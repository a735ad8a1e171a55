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

class ConvLSTM1DTest {

  // Batch 2, 3 time steps of 5 positions with 2 channels; 3 filters, kernel 3.
  private static final float[] X = LayerChecks.randomValues(2 * 3 * 5 * 2, 3);
  private static final float[] K = ConvLstmReference.values(3 * 2 * 12, 1, 0.8f);
  private static final float[] R = ConvLstmReference.values(3 * 3 * 12, 6, 0.8f);
  private static final float[] B = ConvLstmReference.values(12, 2, 0.4f);

  @Test
  void sequenceMatchesThePlainJavaRecurrence() {
    // Expected: ConvLstmReference (Keras's ConvLSTMCell in plain Java loops) with one spatial axis.
    int[][] strides = {{1}, {2}, {1}};
    int[][] dilation = {{1}, {1}, {2}};
    boolean[] same = {false, true, true};
    for (int c = 0; c < strides.length; c++) {
      ConvLSTM1D layer = ConvLSTM1D.builder(3, 3).strides(strides[c]).dilationRate(dilation[c])
          .padding(same[c] ? "same" : "valid").returnSequences(true).goBackwards(c == 1).build();
      KerasTensor in = Input.of(3, 5, 2);
      try (Model m = new Model(in, layer.apply(in))) {
        m.setWeights(List.of(nd(K, 3, 2, 12), nd(R, 3, 3, 12), nd(B, 12)));
        Settings s = new Settings(new int[] {5}, 2, 3, new int[] {3}, strides[c], dilation[c], same[c], c == 1);
        var y = m.predict(nd(X, 2, 3, 5, 2));
        assertArrayEquals(new long[] {2, 3, s.outSize()[0], 3}, y.shape().asArray());
        assertClose(ConvLstmReference.sequence(ConvLstmReference.run(s, X, 2, 3, K, R, B, null)), y, 1e-5,
            "case " + c);
      }
    }
  }

  @Test
  void outputShapeFollowsTheConvolutionFormula() {
    // (None, 4, 11, 2); by hand: valid k=3 s=2: floor((11 - 3) / 2) + 1 = 5; same s=2: ceil(11 / 2) = 6;
    // valid k=3 d=3: 11 - 6 = 5.
    Shape in = Shape.of(-1, 4, 11, 2);
    assertArrayEquals(new long[] {-1, 5, 4}, ConvLSTM1D.builder(4, 3).strides(2).build().computeOutputShape(in)
        .asArray());
    assertArrayEquals(new long[] {-1, 4, 6, 4}, ConvLSTM1D.builder(4, 3).strides(2).padding("same")
        .returnSequences(true).build().computeOutputShape(in).asArray());
    assertArrayEquals(new long[] {-1, 5, 4}, ConvLSTM1D.builder(4, 3).dilationRate(3).build().computeOutputShape(in)
        .asArray());
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new ConvLSTM1D(2, 2), 2, 3, 4, 2);
    LayerChecks.check(ConvLSTM1D.builder(2, 3).padding("same").returnSequences(true).dropout(0.2)
        .recurrentDropout(0.2).build(), 2, 2, 4, 1);
  }

  @Test
  void rejectsInputsOfTheWrongRank() {
    Backend.clearSession();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConvLSTM1D(2, 3).apply(Input.of(3, 4, 4, 1)));
    assertEquals("Input 0 of layer 'conv_lstm1d' is incompatible with the layer: expected ndim=4, found ndim=5. "
        + "Full shape received: (None, 3, 4, 4, 1). ConvLSTM1D expects inputs of shape (None, time, rows, channels).",
        e.getMessage());
  }
}
