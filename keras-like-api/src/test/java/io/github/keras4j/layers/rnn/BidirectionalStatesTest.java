package io.github.keras4j.layers.rnn;

import static io.github.keras4j.layers.rnn.RnnReference.assertClose;
import static io.github.keras4j.layers.rnn.RnnReference.nd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Masking;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Bidirectional with initial states (the forward layer's, then the backward layer's), with returnState, and over
 * RNN(cell) and the ConvLSTM layers, as Keras allows: each case against the forward layer and the
 * {@code goBackwards} layer run separately with the same weights (the backward output flipped back to time order),
 * or against {@link RnnReference}.
 */
class BidirectionalStatesTest {

  private static final float[][] KF = RnnReference.weights(2, 12, 1);
  private static final float[][] RF = RnnReference.weights(3, 12, 4);
  private static final float[] BF = RnnReference.bias(12, 2);
  private static final float[][] KB = RnnReference.weights(2, 12, 7);
  private static final float[][] RB = RnnReference.weights(3, 12, 9);
  private static final float[] BB = RnnReference.bias(12, 5);
  private static final float[][][] X = RnnReference.inputs(2, 3, 2);
  private static final float[][] FH = {{0.3f, -0.2f, 0.5f}, {-0.4f, 0.1f, 0.2f}};
  private static final float[][] FC = {{-0.5f, 0.4f, 0.1f}, {0.2f, -0.6f, 0.3f}};
  private static final float[][] BH = {{0.1f, 0.6f, -0.7f}, {0.5f, -0.3f, 0.4f}};
  private static final float[][] BC = {{0.8f, -0.2f, 0.0f}, {-0.1f, 0.3f, -0.9f}};

  @Test
  void lstmDirectionsStartFromTheirHalvesOfTheInitialStates() {
    // Expected: RnnReference.lstm forwards from (FH, FC) and backwards from (BH, BC) (Keras's Bidirectional passes
    // initial_state[:2] to the forward layer and initial_state[2:] to the backward one), joined on the last axis;
    // the final states are [forward h, c, backward h, c].
    RnnReference.Run fw = RnnReference.lstm(X, KF, RF, BF, false, new float[][][] {FH, FC});
    RnnReference.Run bw = RnnReference.lstm(X, KB, RB, BB, true, new float[][][] {BH, BC});
    for (Boolean fused : new Boolean[] {true, false}) {
      Bidirectional bi = new Bidirectional(LSTM.builder(3).returnSequences(true).returnState(true).useFused(fused)
          .build());
      KerasTensor x = Input.of(3, 2);
      List<KerasTensor> states = List.of(Input.of(3), Input.of(3), Input.of(3), Input.of(3));
      List<KerasTensor> inputs = new ArrayList<>(List.of(x));
      inputs.addAll(states);
      List<KerasTensor> outs = bi.applyWithState(x, states);
      assertEquals(5, outs.size());
      assertArrayEquals(new long[] {-1, 3, 6}, outs.get(0).shape().asArray());
      assertArrayEquals(new long[] {-1, 3}, outs.get(4).shape().asArray());
      try (Model m = new Model(inputs, outs)) {
        m.setWeights(nd(KF, RF, BF, KB, RB, BB));
        List<FloatNdArray> y = m.predictOutputs(List.of(X, FH, FC, BH, BC), 8);
        assertClose(concat(fw.outputs(), bw.timeOrder()), y.get(0), 1e-5, "useFused=" + fused);
        assertClose(fw.states()[0], y.get(1), 1e-5, "forward h");
        assertClose(fw.states()[1], y.get(2), 1e-5, "forward c");
        assertClose(bw.states()[0], y.get(3), 1e-5, "backward h");
        assertClose(bw.states()[1], y.get(4), 1e-5, "backward c");
      }
    }
  }

  private static double[][][] concat(double[][][] a, double[][][] b) {
    double[][][] out = new double[a.length][a[0].length][];
    for (int i = 0; i < a.length; i++) {
      for (int t = 0; t < a[i].length; t++) {
        out[i][t] = new double[a[i][t].length + b[i][t].length];
        System.arraycopy(a[i][t], 0, out[i][t], 0, a[i][t].length);
        System.arraycopy(b[i][t], 0, out[i][t], a[i][t].length, b[i][t].length);
      }
    }
    return out;
  }

  /**
   * Runs {@code bi} (with returnState) and, separately, {@code forward} and {@code backward} (goBackwards) loaded
   * with the Bidirectional's weights, on {@code x} of sample shape {@code sample}; checks the merged output against
   * merging the separate outputs (the backward sequence flipped to time order) and the states against theirs.
   */
  private static void assertSameAsSeparateLayers(Bidirectional bi, Supplier<ReturnsState> forward,
      Supplier<ReturnsState> backward, long[] sample, boolean sequences) {
    long[] full = new long[sample.length + 1];
    full[0] = 2;
    System.arraycopy(sample, 0, full, 1, sample.length);
    int n = 1;
    for (long d : full) {
      n *= (int) d;
    }
    FloatNdArray x = ConvLstmReference.nd(LayerChecks.randomValues(n, 13), full);
    List<FloatNdArray> merged;
    List<FloatNdArray> weights;
    KerasTensor in = Input.of(sample);
    try (Model m = new Model(List.of(in), bi.applyWithState(in))) {
      merged = m.predictOutputs(x, 8);
      weights = m.getWeights();
    }
    int half = weights.size() / 2;
    List<FloatNdArray> fw = run(forward.get(), sample, weights.subList(0, half), x);
    List<FloatNdArray> bw = run(backward.get(), sample, weights.subList(half, weights.size()), x);
    FloatNdArray y = fw.get(0);
    FloatNdArray yRev = sequences ? flipTime(bw.get(0)) : bw.get(0);
    FloatNdArray out = merged.get(0);
    long last = y.shape().get(y.shape().numDimensions() - 1);
    long[] idx = new long[out.shape().numDimensions()];
    for (long i = 0; i < y.size(); i++) {
      long[] at = coords(y.shape().asArray(), i);
      float a = y.getFloat(at);
      float b = yRev.getFloat(at);
      switch (bi.mergeMode()) {
        case "concat" -> {
          System.arraycopy(at, 0, idx, 0, at.length);
          assertEquals(a, out.getFloat(idx), 1e-5, "forward part " + i);
          idx[idx.length - 1] += last;
          assertEquals(b, out.getFloat(idx), 1e-5, "backward part " + i);
        }
        case "sum" -> assertEquals(a + b, out.getFloat(at), 1e-5, "sum " + i);
        case "mul" -> assertEquals(a * b, out.getFloat(at), 1e-5, "mul " + i);
        default -> assertEquals((a + b) / 2, out.getFloat(at), 1e-5, "ave " + i);
      }
    }
    int states = fw.size() - 1;
    assertEquals(1 + 2 * states, merged.size());
    for (int s = 0; s < states; s++) {
      assertEquals(fw.get(1 + s), merged.get(1 + s), "forward state " + s);
      assertEquals(bw.get(1 + s), merged.get(1 + states + s), "backward state " + s);
    }
  }

  private static List<FloatNdArray> run(ReturnsState layer, long[] sample, List<FloatNdArray> weights,
      FloatNdArray x) {
    KerasTensor in = Input.of(sample);
    try (Model m = new Model(List.of(in), layer.applyWithState(in))) {
      m.setWeights(weights);
      return m.predictOutputs(x, 8);
    }
  }

  private static long[] coords(long[] shape, long flat) {
    long[] at = new long[shape.length];
    for (int a = shape.length - 1; a >= 0; a--) {
      at[a] = flat % shape[a];
      flat /= shape[a];
    }
    return at;
  }

  /** {@code y[:, ::-1]}: a sequence in processing order of the backward layer back to time order. */
  private static FloatNdArray flipTime(FloatNdArray y) {
    FloatNdArray out = org.tensorflow.ndarray.NdArrays.ofFloats(y.shape());
    long time = y.shape().get(1);
    for (long i = 0; i < y.size(); i++) {
      long[] at = coords(y.shape().asArray(), i);
      long[] from = at.clone();
      from[1] = time - 1 - at[1];
      out.setFloat(y.getFloat(from), at);
    }
    return out;
  }

  @Test
  void wrapsACellRnnWithEveryMergeMode() {
    Backend.setRandomSeed(3);
    for (String mode : List.of("concat", "sum", "mul", "ave")) {
      Bidirectional bi = new Bidirectional(RNN.builder(new LSTMCell(3)).returnSequences(!mode.equals("sum"))
          .returnState(true).build(), mode);
      boolean sequences = !mode.equals("sum");
      assertSameAsSeparateLayers(bi,
          () -> RNN.builder(new LSTMCell(3)).returnSequences(sequences).returnState(true).build(),
          () -> RNN.builder(new LSTMCell(3)).returnSequences(sequences).returnState(true).goBackwards(true).build(),
          new long[] {4, 2}, sequences);
    }
  }

  @Test
  void wrapsConvLstmLayers() {
    Backend.setRandomSeed(4);
    assertSameAsSeparateLayers(new Bidirectional(ConvLSTM1D.builder(2, 3).padding("same").returnSequences(true)
            .returnState(true).build()),
        () -> ConvLSTM1D.builder(2, 3).padding("same").returnSequences(true).returnState(true).build(),
        () -> ConvLSTM1D.builder(2, 3).padding("same").returnSequences(true).returnState(true).goBackwards(true)
            .build(),
        new long[] {3, 5, 2}, true);
    assertSameAsSeparateLayers(new Bidirectional(ConvLSTM2D.builder(2, 3).returnState(true).build(), "ave"),
        () -> ConvLSTM2D.builder(2, 3).returnState(true).build(),
        () -> ConvLSTM2D.builder(2, 3).returnState(true).goBackwards(true).build(),
        new long[] {2, 4, 4, 1}, false);
    assertSameAsSeparateLayers(new Bidirectional(ConvLSTM3D.builder(1, 2).returnSequences(true).returnState(true)
            .build(), "mul"),
        () -> ConvLSTM3D.builder(1, 2).returnSequences(true).returnState(true).build(),
        () -> ConvLSTM3D.builder(1, 2).returnSequences(true).returnState(true).goBackwards(true).build(),
        new long[] {2, 3, 3, 3, 1}, true);
  }

  @Test
  void cellRnnAndLstmAgreeUnderAMaskFromInitialStates() {
    // Bidirectional(RNN(LSTMCell)) and Bidirectional(LSTM) compute the same recurrence with the same weights (both
    // checked against RnnReference above): under a mask (sample 0's last step and sample 1's first are padding) and
    // from initial states, their sequences (masked steps output zeros, as Keras forces in Bidirectional) and final
    // states must agree.
    float[][][] x = RnnReference.inputs(2, 3, 2);
    x[0][2] = new float[] {0, 0};
    x[1][0] = new float[] {0, 0};
    List<List<FloatNdArray>> results = new ArrayList<>();
    for (Layer inner : List.<Layer>of(RNN.builder(new LSTMCell(3)).returnSequences(true).returnState(true).build(),
        LSTM.builder(3).returnSequences(true).returnState(true).build())) {
      Bidirectional bi = new Bidirectional(inner);
      KerasTensor in = Input.of(3, 2);
      List<KerasTensor> states = List.of(Input.of(3), Input.of(3), Input.of(3), Input.of(3));
      List<KerasTensor> inputs = new ArrayList<>(List.of(in));
      inputs.addAll(states);
      try (Model m = new Model(inputs, bi.applyWithState(new Masking().apply(in), states))) {
        m.setWeights(nd(KF, RF, BF, KB, RB, BB));
        results.add(m.predictOutputs(List.of(x, FH, FC, BH, BC), 8));
      }
    }
    FloatNdArray seq = results.get(0).get(0);
    assertEquals(0f, seq.getFloat(0, 2, 0), 0f, "masked step");
    assertEquals(0f, seq.getFloat(1, 0, 5), 0f, "masked step");
    for (int i = 0; i < 5; i++) {
      FloatNdArray a = results.get(0).get(i);
      FloatNdArray b = results.get(1).get(i);
      for (long k = 0; k < a.size(); k++) {
        long[] at = coords(a.shape().asArray(), k);
        assertEquals(b.getFloat(at), a.getFloat(at), 1e-5, "output " + i + " at " + java.util.Arrays.toString(at));
      }
    }
  }

  @Test
  void shapesNamesAndConfigOfTheNewWrappedLayers() {
    Backend.clearSession();
    Bidirectional cells = new Bidirectional(new RNN(new GRUCell(4)));
    KerasTensor in = Input.of(5, 3);
    assertArrayEquals(new long[] {-1, 8}, cells.apply(in).shape().asArray());
    try (Model m = new Model(in, cells.apply(in))) {
      // Keras copies the layer for each direction (forward_<name>, backward_<name>); the template keeps no weights.
      assertEquals(List.of("forward_gru_cell/kernel", "forward_gru_cell/recurrent_kernel", "forward_gru_cell/bias",
          "backward_gru_cell/kernel", "backward_gru_cell/recurrent_kernel", "backward_gru_cell/bias"),
          m.variables().stream().map(v -> v.name()).toList());
    }
    Bidirectional conv = new Bidirectional(ConvLSTM2D.builder(3, 3).padding("same").returnSequences(true).build());
    assertArrayEquals(new long[] {-1, 2, 6, 6, 6}, conv.computeOutputShape(org.tensorflow.ndarray.Shape.of(-1, 2, 6,
        6, 1)).asArray());
    assertEquals("ConvLSTM2D", ((java.util.Map<?, ?>) conv.getConfig().get("layer")).get("class_name"));
    assertEquals("RNN", ((java.util.Map<?, ?>) cells.getConfig().get("layer")).get("class_name"));
  }

  @Test
  void passesStandardLayerChecksAndGradientsReachTheInitialStates() {
    Backend.setRandomSeed(6);
    LayerChecks.check(new Bidirectional(RNN.builder(new GRUCell(2)).returnSequences(true).build()), 2, 3, 2);
    LayerChecks.check(new Bidirectional(new ConvLSTM1D(2, 2), "sum"), 2, 3, 4, 1);
    // d/d(weights, x, four states) of a Bidirectional LSTM against finite differences.
    KerasTensor x = Input.of(3, 2);
    List<KerasTensor> inputs = new ArrayList<>(List.of(x, Input.of(2), Input.of(2), Input.of(2), Input.of(2)));
    KerasTensor y = new Bidirectional(LSTM.builder(2).returnSequences(true).build())
        .apply(x, inputs.subList(1, inputs.size()));
    List<long[]> shapes = new ArrayList<>(List.of(new long[] {2, 3, 2}));
    List<float[]> values = new ArrayList<>(List.of(LayerChecks.randomValues(12, 1)));
    for (int i = 0; i < 4; i++) {
      shapes.add(new long[] {2, 2});
      values.add(LayerChecks.randomValues(4, 40 + i));
    }
    try (Model m = new Model(inputs, List.of(y))) {
      LayerChecks.gradientCheck(m, shapes, values);
    }
  }

  @Test
  void rejectsWhatKerasRejects() {
    Backend.clearSession();
    IllegalArgumentException dense = assertThrows(IllegalArgumentException.class,
        () -> new Bidirectional(new Dense(3)));
    assertTrue(dense.getMessage().startsWith("Please initialize `Bidirectional` layer with a recurrent layer")
        && dense.getMessage().contains("Received: layer 'dense' of class Dense"), dense.getMessage());
    IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class,
        () -> new Bidirectional(RNN.builder(new LSTMCell(2)).goBackwards(true).build()));
    assertTrue(backwards.getMessage().contains("different `go_backwards`"), backwards.getMessage());
    KerasTensor x = Input.of(4, 3);
    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> new Bidirectional(new LSTM(5), "concat", "bi").apply(x, List.of(Input.of(5), Input.of(5))));
    assertEquals("Layer 'bi' has 4 states [forward_h, forward_c, backward_h, backward_c] but was passed 2 initial "
        + "states. Pass one tensor per state: layer.apply(inputs, List.of(forward_h, forward_c, backward_h, "
        + "backward_c)).", half.getMessage());
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> new Bidirectional(new GRU(5), "sum", "bi2").apply(x, List.of(Input.of(5), Input.of(6))));
    assertEquals("Layer 'bi2': an `initial_state` was passed that is not compatible with the layer's states: "
        + "initial state 1 (backward_h) should have shape (None, 5), but received shape (None, 6).",
        shape.getMessage());
    // An RNN's cell is copied through its config, which cannot hold a Java function.
    RNN javaActivation = new RNN(SimpleRNNCell.builder(2).activation((tf, v) -> tf.math.tanh(v)).build());
    IllegalArgumentException lost = assertThrows(IllegalArgumentException.class,
        () -> new Bidirectional(javaActivation));
    assertTrue(lost.getMessage().contains("config could not be rebuilt: its activation is a Java function"),
        lost.getMessage());
    IllegalStateException noState = assertThrows(IllegalStateException.class,
        () -> new Bidirectional(new LSTM(2), "sum", "bi3").applyWithState(x));
    assertTrue(noState.getMessage().contains("returnState"), noState.getMessage());
  }
}
