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
import io.github.keras4j.layers.rnn.ConvLstmReference.Settings;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code initial_state}: SimpleRNN, LSTM (fused and unrolled), GRU (both kernels), RNN(cell) and ConvLSTM1D
 * started from given states, against the recurrences in plain Java ({@link RnnReference}, {@link ConvLstmReference})
 * started from the same states; masking with initial states; gradients with respect to the states against finite
 * differences; and the errors for states of the wrong number or shape.
 */
class InitialStateTest {

  private static final float[][] K = RnnReference.weights(2, 3, 1);
  private static final float[][] R = RnnReference.weights(3, 3, 4);
  private static final float[] B = RnnReference.bias(3, 2);
  private static final float[][] K4 = RnnReference.weights(2, 12, 1);
  private static final float[][] R4 = RnnReference.weights(3, 12, 4);
  private static final float[] B4 = RnnReference.bias(12, 2);
  private static final float[][] K3 = RnnReference.weights(2, 9, 3);
  private static final float[][] R3 = RnnReference.weights(3, 9, 5);
  private static final float[] B3 = RnnReference.bias(9, 1);
  private static final float[][] B3X2 = {RnnReference.bias(9, 1), RnnReference.bias(9, 4)};
  /** Batch 3 (the fused LSTM cuts it into slices of 1 and 2 below), 4 steps, 2 features. */
  private static final float[][][] X = RnnReference.inputs(3, 4, 2);
  private static final float[][] H0 = {{0.3f, -0.2f, 0.5f}, {-0.4f, 0.1f, 0.2f}, {0.6f, 0.7f, -0.3f}};
  private static final float[][] C0 = {{-0.5f, 0.4f, 0.1f}, {0.2f, -0.6f, 0.3f}, {0.9f, -0.1f, -0.8f}};

  /** A model of inputs {@code (x, states...)} whose outputs are the layer's output and final states. */
  private static Model withState(ReturnsState layer, int states) {
    KerasTensor x = Input.of(4, 2);
    List<KerasTensor> inputs = new ArrayList<>(List.of(x));
    for (int i = 0; i < states; i++) {
      inputs.add(Input.of(3));
    }
    return new Model(inputs, layer.applyWithState(x, inputs.subList(1, inputs.size())));
  }

  private static void assertStates(RnnReference.Run expected, List<FloatNdArray> out, String what) {
    for (int s = 0; s < expected.states().length; s++) {
      assertClose(expected.states()[s], out.get(1 + s), 1e-5, what + " final state " + s);
    }
  }

  @Test
  void simpleRnnStartsFromTheGivenState() {
    // Expected: RnnReference.simpleRnn (Keras's h = tanh(x K + b + h R)) with h = H0 before the first step.
    RnnReference.Run expected = RnnReference.simpleRnn(X, K, R, B, false, new float[][][] {H0});
    try (Model m = withState(SimpleRNN.builder(3).returnSequences(true).returnState(true).build(), 1)) {
      m.setWeights(nd(K, R, B));
      List<FloatNdArray> out = m.predictOutputs(List.of(X, H0), 8);
      assertClose(expected.outputs(), out.get(0), 1e-5, "sequence");
      assertStates(expected, out, "simple_rnn");
    }
  }

  @Test
  void lstmStartsFromTheGivenStatesFusedAndUnrolled() {
    // Expected: RnnReference.lstm (Keras's gates i, f, c, o) with h = H0, c = C0 before the first step; the fused
    // kernel runs in two batch slices, so the states are cut with the inputs.
    RnnReference.Run expected = RnnReference.lstm(X, K4, R4, B4, false, new float[][][] {H0, C0});
    FusedKernels.batchPartsOverride = 2;
    try {
      for (Boolean fused : new Boolean[] {true, false}) {
        LSTM lstm = LSTM.builder(3).returnSequences(true).returnState(true).useFused(fused).build();
        try (Model m = withState(lstm, 2)) {
          m.setWeights(nd(K4, R4, B4));
          List<FloatNdArray> out = m.predictOutputs(List.of(X, H0, C0), 8);
          assertClose(expected.outputs(), out.get(0), 1e-5, "useFused=" + fused);
          assertStates(expected, out, "useFused=" + fused);
        }
      }
    } finally {
      FusedKernels.batchPartsOverride = 0;
    }
  }

  @Test
  void gruStartsFromTheGivenStateWithBothResetModes() {
    // Expected: RnnReference.gru from h = H0; resetAfter=false runs on the fused GRUBlockCell, true unrolls.
    for (boolean resetAfter : new boolean[] {true, false}) {
      float[][] bias = resetAfter ? B3X2 : new float[][] {B3};
      RnnReference.Run expected = RnnReference.gru(X, K3, R3, bias, resetAfter, false, new float[][][] {H0});
      GRU gru = GRU.builder(3).resetAfter(resetAfter).returnState(true).build();
      try (Model m = withState(gru, 1)) {
        m.setWeights(resetAfter ? nd(K3, R3, B3X2) : nd(K3, R3, B3));
        List<FloatNdArray> out = m.predictOutputs(List.of(X, H0), 8);
        assertClose(expected.last(), out.get(0), 1e-5, "resetAfter=" + resetAfter);
        assertStates(expected, out, "resetAfter=" + resetAfter);
      }
    }
  }

  @Test
  void cellRnnStartsFromTheGivenStatesForwardsAndBackwards() {
    // Expected: RnnReference.lstm from (H0, C0); RNN(LSTMCell) with goBackwards returns the steps in processing order.
    for (boolean backwards : new boolean[] {false, true}) {
      RnnReference.Run expected = RnnReference.lstm(X, K4, R4, B4, backwards, new float[][][] {H0, C0});
      RNN rnn = RNN.builder(new LSTMCell(3)).returnSequences(true).returnState(true).goBackwards(backwards).build();
      try (Model m = withState(rnn, 2)) {
        m.setWeights(nd(K4, R4, B4));
        List<FloatNdArray> out = m.predictOutputs(List.of(X, H0, C0), 8);
        assertClose(expected.outputs(), out.get(0), 1e-5, "goBackwards=" + backwards);
        assertStates(expected, out, "goBackwards=" + backwards);
      }
    }
  }

  @Test
  void maskedStepsKeepTheInitialStateAndOutputZerosBeforeTheFirstRealStep() {
    // Sample 0's first two steps are all zeros, so Masking hides them. Keras keeps the states at a masked step and
    // repeats the previous output, zeros before the first real step (not the initial state). Expected for sample 0:
    // zeros at steps 0 and 1, then RnnReference.simpleRnn over steps 2..3 from H0[0]; samples 1 and 2 unmasked.
    float[][][] x = RnnReference.inputs(3, 4, 2);
    x[0][0] = new float[] {0, 0};
    x[0][1] = new float[] {0, 0};
    RnnReference.Run full = RnnReference.simpleRnn(x, K, R, B, false, new float[][][] {H0});
    RnnReference.Run tail = RnnReference.simpleRnn(new float[][][] {{x[0][2], x[0][3]}}, K, R, B, false,
        new float[][][] {{H0[0]}});
    double[][][] expected = full.outputs().clone();
    expected[0] = new double[][] {new double[3], new double[3], tail.outputs()[0][0], tail.outputs()[0][1]};
    List<Layer> layers = List.of(SimpleRNN.builder(3).returnSequences(true).build(),
        RNN.builder(new SimpleRNNCell(3)).returnSequences(true).build());
    for (Layer layer : layers) {
      KerasTensor in = Input.of(4, 2);
      KerasTensor h = Input.of(3);
      KerasTensor masked = new Masking().apply(in);
      KerasTensor out = layer instanceof SimpleRNN s ? s.apply(masked, List.of(h)) : ((RNN) layer).apply(masked,
          List.of(h));
      try (Model m = new Model(List.of(in, h), List.of(out))) {
        m.setWeights(nd(K, R, B));
        assertClose(expected, m.predict(List.of(x, H0)), 1e-5, layer.getClass().getSimpleName());
      }
    }
  }

  @Test
  void convLstmStartsFromTheGivenFeatureMaps() {
    // Expected: ConvLstmReference (Keras's ConvLSTMCell in plain Java) with h, c = the given (5, 3) maps at step 0.
    float[] x = LayerChecks.randomValues(2 * 3 * 5 * 2, 3);
    float[] k = ConvLstmReference.values(3 * 2 * 12, 1, 0.8f);
    float[] r = ConvLstmReference.values(3 * 3 * 12, 6, 0.8f);
    float[] b = ConvLstmReference.values(12, 2, 0.4f);
    float[] h0 = LayerChecks.randomValues(2 * 5 * 3, 21);
    float[] c0 = LayerChecks.randomValues(2 * 5 * 3, 22);
    ConvLSTM1D layer = ConvLSTM1D.builder(3, 3).padding("same").returnSequences(true).returnState(true).build();
    KerasTensor in = Input.of(3, 5, 2);
    KerasTensor h = Input.of(5, 3);
    KerasTensor c = Input.of(5, 3);
    try (Model m = new Model(List.of(in, h, c), layer.applyWithState(in, List.of(h, c)))) {
      m.setWeights(List.of(ConvLstmReference.nd(k, 3, 2, 12), ConvLstmReference.nd(r, 3, 3, 12),
          ConvLstmReference.nd(b, 12)));
      Settings s = new Settings(new int[] {5}, 2, 3, new int[] {3}, new int[] {1}, new int[] {1}, true, false);
      ConvLstmReference.Run expected = ConvLstmReference.run(s, x, 2, 3, k, r, b, null, h0, c0);
      List<FloatNdArray> out = m.predictOutputs(List.of(ConvLstmReference.nd(x, 2, 3, 5, 2),
          ConvLstmReference.nd(h0, 2, 5, 3), ConvLstmReference.nd(c0, 2, 5, 3)), 8);
      ConvLstmReference.assertClose(ConvLstmReference.sequence(expected), out.get(0), 1e-5, "sequence");
      ConvLstmReference.assertClose(flat(expected.h()), out.get(1), 1e-5, "h");
      ConvLstmReference.assertClose(flat(expected.c()), out.get(2), 1e-5, "c");
    }
  }

  private static double[] flat(double[][] rows) {
    double[] out = new double[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
    }
    return out;
  }

  // ---------------------------------------------------------------- gradients

  /** d/d(weights, x, states) of sum(C * model(x, states)) against central differences (LayerChecks). */
  private static void gradientCheck(java.util.function.Function<List<KerasTensor>, KerasTensor> call,
      List<long[]> sampleShapes) {
    List<KerasTensor> inputs = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    for (int i = 0; i < sampleShapes.size(); i++) {
      inputs.add(Input.of(sampleShapes.get(i)));
      long[] full = new long[sampleShapes.get(i).length + 1];
      full[0] = 2;
      System.arraycopy(sampleShapes.get(i), 0, full, 1, sampleShapes.get(i).length);
      shapes.add(full);
      int n = 1;
      for (long d : full) {
        n *= (int) d;
      }
      values.add(LayerChecks.randomValues(n, 31 + i));
    }
    try (Model m = new Model(inputs, List.of(call.apply(inputs)))) {
      LayerChecks.gradientCheck(m, shapes, values);
    }
  }

  private static List<KerasTensor> tail(List<KerasTensor> in) {
    return in.subList(1, in.size());
  }

  @Test
  void gradientsReachTheInitialStates() {
    Backend.setRandomSeed(5);
    long[] seq = {3, 2};
    long[] state = {3};
    gradientCheck(in -> SimpleRNN.builder(3).returnSequences(true).build().apply(in.get(0), tail(in)),
        List.of(seq, state));
    for (Boolean fused : new Boolean[] {true, false}) {
      gradientCheck(in -> LSTM.builder(3).useFused(fused).build().apply(in.get(0), tail(in)),
          List.of(seq, state, state));
    }
    gradientCheck(in -> GRU.builder(3).resetAfter(false).build().apply(in.get(0), tail(in)), List.of(seq, state));
    gradientCheck(in -> GRU.builder(3).returnSequences(true).build().apply(in.get(0), tail(in)), List.of(seq, state));
    gradientCheck(in -> new RNN(new GRUCell(3)).apply(in.get(0), tail(in)), List.of(seq, state));
    gradientCheck(in -> ConvLSTM1D.builder(2, 2).padding("same").build().apply(in.get(0), tail(in)),
        List.of(new long[] {2, 3, 2}, new long[] {3, 2}, new long[] {3, 2}));
  }

  // ---------------------------------------------------------------- errors

  @Test
  void rejectsInitialStatesOfTheWrongNumberOrShape() {
    Backend.clearSession();
    KerasTensor x = Input.of(5, 7);
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> LSTM.builder(64).name("decoder").build().apply(x, List.of(Input.of(64))));
    assertEquals("Layer 'decoder' has 2 states [h, c] but was passed 1 initial states. Pass one tensor per state: "
        + "layer.apply(inputs, List.of(h, c)).", count.getMessage());
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> LSTM.builder(64).name("decoder_2").build().apply(x, List.of(Input.of(64), Input.of(32))));
    assertEquals("Layer 'decoder_2': an `initial_state` was passed that is not compatible with the layer's states: "
        + "initial state 1 (c) should have shape (None, 64), but received shape (None, 32).", shape.getMessage());
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> new GRU(4).apply(x, List.of(Input.of(2, 4))));
    assertTrue(rank.getMessage().contains("should have shape (None, 4), but received shape (None, 2, 4)"),
        rank.getMessage());
    IllegalArgumentException cell = assertThrows(IllegalArgumentException.class,
        () -> RNN.builder(new LSTMCell(3)).name("cells").build().apply(x, List.of(Input.of(3), Input.of(4))));
    assertEquals("Layer 'cells': an `initial_state` was passed that is not compatible with the layer's states: "
        + "initial state 1 (state_1) should have shape (None, 3), but received shape (None, 4).", cell.getMessage());
    IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
        () -> ConvLSTM1D.builder(2, 3).name("conv").build().apply(Input.of(3, 5, 2), List.of(Input.of(5, 2),
            Input.of(3, 2))));
    assertTrue(conv.getMessage().contains("initial state 0 (h) should have shape (None, 3, 2), but received "
        + "shape (None, 5, 2)"), conv.getMessage());
    // The sequence is still checked first, as input 0.
    IllegalArgumentException seq = assertThrows(IllegalArgumentException.class,
        () -> SimpleRNN.builder(3).name("s").build().apply(Input.of(7), List.of(Input.of(3))));
    assertEquals("Input 0 of layer 's' is incompatible with the layer: expected ndim=3, found ndim=2. "
        + "Full shape received: (None, 7)", seq.getMessage());
  }

  @Test
  void withoutInitialStatesTheCallIsUnchanged() {
    // apply(x, List.of()) is apply(x): one input, zero states (RnnReference from zeros).
    Backend.clearSession();
    SimpleRNN rnn = SimpleRNN.builder(3).build();
    KerasTensor in = Input.of(4, 2);
    KerasTensor out = rnn.apply(in, List.of());
    assertEquals(1, out.node().inputs().size());
    try (Model m = new Model(in, out)) {
      m.setWeights(nd(K, R, B));
      assertClose(RnnReference.simpleRnn(X, K, R, B, false).last(), m.predict(X), 1e-5, "zeros");
    }
    assertArrayEquals(new long[] {-1, 3}, out.shape().asArray());
    // The recorded call holds the states as inputs 1.. (what a saved model's inbound node lists).
    KerasTensor h = Input.of(3);
    KerasTensor withState = rnn.apply(in, List.of(h));
    assertEquals(List.of(in, h), withState.node().inputs());
  }
}
