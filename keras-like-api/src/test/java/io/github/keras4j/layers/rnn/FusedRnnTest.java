package io.github.keras4j.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.core.Masking;
import io.github.keras4j.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * LSTM and GRU on TensorFlow's fused kernels against the same layers unrolled ({@code useFused(false)}): with the
 * same weights, outputs and gradients (of every weight and of the input) agree to float precision; the op types in
 * the graph show which path a call took. The unrolled path itself is checked against Keras's formulas in
 * {@link LSTMTest} and {@link GRUTest}, which now run on the fused path too.
 */
class FusedRnnTest {

  private static final int BATCH = 2;
  private static final int STEPS = 4;
  private static final int FEATURES = 3;
  private static final String BLOCK_LSTM = "BlockLSTMV2";
  private static final String GRU_CELL = "GRUBlockCell";

  /** Outputs of a model call and the gradients of {@code sum_k sum(C_k * y_k)} for every weight and the input. */
  private record Traced(List<float[]> outputs, List<float[]> gradients, int fusedOps) {}

  private static int count(GraphRuntime rt, String type) {
    int n = 0;
    for (var it = rt.graph().operations(); it.hasNext(); ) {
      if (it.next().type().equals(type)) {
        n++;
      }
    }
    return n;
  }

  private static int opCount(GraphRuntime rt) {
    int n = 0;
    for (var it = rt.graph().operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  private static float[] read(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }

  /**
   * Traces {@code m} on a fixed input held in a variable and runs outputs and gradients; {@code fusedOps} counts the
   * ops of type {@code fusedType} the trace added.
   */
  private static Traced trace(Model m, boolean training, String fusedType) {
    GraphRuntime rt = m.runtime();
    Ops tf = rt.tf();
    float[] x = LayerChecks.randomValues(BATCH * STEPS * FEATURES, 3);
    Shape shape = Shape.of(BATCH, STEPS, FEATURES);
    GraphVariable input = rt.newVariable("fused_test_input_" + System.nanoTime(), "x", shape,
        o -> o.constant(shape, DataBuffers.of(x, true, false)), false);
    int before = count(rt, fusedType);
    List<Operand<TFloat32>> ys = m.call(List.of(input.value()), training);
    int fusedOps = count(rt, fusedType) - before;
    Operand<TFloat32> loss = null;
    for (int k = 0; k < ys.size(); k++) {
      Shape ys1 = ys.get(k).shape();
      assertTrue(!ys1.hasUnknownDimension(), "static output shape " + ys1);
      float[] c = LayerChecks.randomValues((int) ys1.size(), 11 + k);
      Operand<TFloat32> term = tf.reduceSum(tf.math.mul(ys.get(k), tf.constant(ys1, DataBuffers.of(c, true, false))),
          tf.range(tf.constant(0), tf.rank(ys.get(k)), tf.constant(1)));
      loss = loss == null ? term : tf.math.add(loss, term);
    }
    List<GraphVariable> wrt = new ArrayList<>(m.variables());
    wrt.add(input);
    List<Operand<TFloat32>> grads = rt.gradients(loss, wrt);
    var runner = rt.session().runner();
    ys.forEach(runner::fetch);
    grads.forEach(runner::fetch);
    List<float[]> outs = new ArrayList<>();
    List<float[]> gs = new ArrayList<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < ys.size(); i++) {
        outs.add(read((TFloat32) r.get(i)));
      }
      for (int i = 0; i < grads.size(); i++) {
        gs.add(read((TFloat32) r.get(ys.size() + i)));
      }
    }
    return new Traced(outs, gs, fusedOps);
  }

  private static void assertClose(List<float[]> expected, List<float[]> actual, double tol, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int k = 0; k < expected.size(); k++) {
      assertEquals(expected.get(k).length, actual.get(k).length, what + " " + k);
      for (int i = 0; i < expected.get(k).length; i++) {
        assertEquals(expected.get(k)[i], actual.get(k)[i], tol, what + " " + k + "[" + i + "]");
      }
    }
  }

  /**
   * Builds the model twice, fused ({@code fused}) and unrolled ({@code unrolled}), gives both the fused one's
   * weights, and checks that outputs and gradients agree to 1e-5 and that only the first used the fused kernel.
   *
   * @param withState whether the model outputs the final states too ({@link BaseRnn#applyWithState})
   */
  private static void assertSameAsUnrolled(Supplier<Layer> fused, Supplier<Layer> unrolled, boolean training,
      String fusedType, boolean withState) {
    Backend.clearSession();
    try (Model mf = build(fused.get(), withState); Model mu = build(unrolled.get(), withState)) {
      mu.setWeights(mf.getWeights());
      Traced a = trace(mf, training, fusedType);
      Traced b = trace(mu, training, fusedType);
      assertTrue(a.fusedOps() > 0, "the default layer used " + fusedType);
      assertEquals(0, b.fusedOps(), "useFused(false) unrolls");
      assertClose(b.outputs(), a.outputs(), 1e-5, "outputs");
      assertClose(b.gradients(), a.gradients(), 1e-5, "gradients");
    }
  }

  private static Model build(Layer layer, boolean withState) {
    KerasTensor in = Input.of(STEPS, FEATURES);
    List<KerasTensor> outs = withState ? ((BaseRnn) layer).applyWithState(in) : List.of(layer.apply(in));
    return new Model(List.of(in), outs);
  }

  private static void assertSameAsUnrolled(Function<Boolean, Layer> layer) {
    assertSameAsUnrolled(() -> layer.apply(true), () -> layer.apply(false), false, BLOCK_LSTM, false);
  }

  private static LSTM.Builder lstm(boolean fused) {
    LSTM.Builder b = LSTM.builder(3);
    return fused ? b : b.useFused(false);
  }

  @Test
  void lstmLastOutputMatchesUnrolled() {
    assertSameAsUnrolled(f -> lstm(f).build());
  }

  @Test
  void lstmSequenceMatchesUnrolled() {
    assertSameAsUnrolled(f -> lstm(f).returnSequences(true).build());
  }

  @Test
  void lstmGoBackwardsMatchesUnrolled() {
    assertSameAsUnrolled(f -> lstm(f).goBackwards(true).returnSequences(true).build());
    assertSameAsUnrolled(f -> lstm(f).goBackwards(true).build());
  }

  @Test
  void lstmSplitIntoBatchSlicesMatchesUnrolled() {
    // One BlockLSTMV2 per slice of the batch: 3 slices of a batch of 2 rows are sized 0, 0 and 2 (empty slices
    // must work: predict with batch 1 on a many-core machine gives them); 2 slices are 1 row each.
    for (int parts : new int[] {3, 2, 1}) {
      FusedKernels.batchPartsOverride = parts;
      try {
        assertSameAsUnrolled(f -> lstm(f).returnSequences(true).build());
        assertSameAsUnrolled(() -> lstm(true).returnSequences(true).returnState(true).build(),
            () -> lstm(false).returnSequences(true).returnState(true).build(), false, BLOCK_LSTM, true);
        assertSameAsUnrolled(f -> lstm(f).goBackwards(true).build());
        Backend.clearSession();
        try (Model m = build(lstm(true).build(), false)) {
          assertEquals(parts, trace(m, false, BLOCK_LSTM).fusedOps(), "one BlockLSTMV2 per slice");
        }
      } finally {
        FusedKernels.batchPartsOverride = 0;
      }
    }
  }

  @Test
  void lstmWithoutBiasMatchesUnrolled() {
    assertSameAsUnrolled(f -> lstm(f).useBias(false).returnSequences(true).build());
  }

  @Test
  void lstmFinalStatesMatchUnrolled() {
    // Outputs [sequence, h, c] and the gradients of a loss on all three.
    assertSameAsUnrolled(() -> lstm(true).returnSequences(true).returnState(true).build(),
        () -> lstm(false).returnSequences(true).returnState(true).build(), false, BLOCK_LSTM, true);
  }

  @Test
  void bidirectionalLstmMatchesUnrolled() {
    assertSameAsUnrolled(f -> new Bidirectional(lstm(f).returnSequences(true).build()));
    assertSameAsUnrolled(f -> new Bidirectional(lstm(f).build(), "sum"));
  }

  @Test
  void lstmInputDropoutStaysFusedAndDrawsTheUnrolledPathsMask() {
    // Training call with input dropout only: the same seeded mask on both paths, so the same outputs.
    assertSameAsUnrolled(() -> lstm(true).dropout(0.4).seed(5).returnSequences(true).build(),
        () -> lstm(false).dropout(0.4).seed(5).returnSequences(true).build(), true, BLOCK_LSTM, false);
  }

  @Test
  void resetBeforeGruMatchesUnrolled() {
    assertSameAsUnrolled(() -> GRU.builder(3).resetAfter(false).returnSequences(true).build(),
        () -> GRU.builder(3).resetAfter(false).returnSequences(true).useFused(false).build(), false, GRU_CELL,
        false);
    assertSameAsUnrolled(() -> GRU.builder(3).resetAfter(false).useBias(false).goBackwards(true).build(),
        () -> GRU.builder(3).resetAfter(false).useBias(false).goBackwards(true).useFused(false).build(), false,
        GRU_CELL, false);
  }

  @Test
  void unsupportedCallsUnroll() {
    Backend.clearSession();
    // Keras's default GRU (resetAfter=true) has no fused cell.
    try (Model m = model(new GRU(3))) {
      assertEquals(0, trace(m, false, GRU_CELL).fusedOps());
    }
    // Recurrent dropout in training unrolls; the inference call of the same layer is fused.
    try (Model m = model(lstm(true).recurrentDropout(0.3).build())) {
      assertEquals(0, trace(m, true, BLOCK_LSTM).fusedOps());
      assertEquals(FusedKernels.batchParts(), trace(m, false, BLOCK_LSTM).fusedOps());
    }
    // Other activations unroll.
    try (Model m = model(lstm(true).activation("relu").build())) {
      assertEquals(0, trace(m, false, BLOCK_LSTM).fusedOps());
    }
    // A masked call unrolls.
    KerasTensor in = Input.of(STEPS, FEATURES);
    try (Model m = new Model(in, lstm(true).build().apply(new Masking().apply(in)))) {
      assertEquals(0, trace(m, false, BLOCK_LSTM).fusedOps());
    }
  }

  @Test
  void useFusedTrueRejectsCallsTheKernelCannotCompute() {
    Backend.clearSession();
    KerasTensor in = Input.of(STEPS, FEATURES);
    IllegalArgumentException masked = assertThrows(IllegalArgumentException.class, () -> {
      try (Model m = new Model(in, LSTM.builder(3).useFused(true).build().apply(new Masking().apply(in)))) {
        trace(m, false, BLOCK_LSTM);
      }
    });
    assertTrue(masked.getMessage().contains("useFused=true") && masked.getMessage().contains("mask"),
        masked.getMessage());
    IllegalArgumentException gru = assertThrows(IllegalArgumentException.class, () -> {
      try (Model m = model(GRU.builder(3).useFused(true).build())) {
        trace(m, false, GRU_CELL);
      }
    });
    assertTrue(gru.getMessage().contains("resetAfter=true"), gru.getMessage());
  }

  @Test
  void fusedLayerGradientsMatchFiniteDifferences() {
    Backend.clearSession();
    // LayerChecks' gradient check through BlockLSTMV2 (and one through GRUBlockCell), plus a training step.
    try (Model m = model(LSTM.builder(3).returnSequences(true).goBackwards(true).build())) {
      LayerChecks.gradientCheck(m, new long[] {BATCH, STEPS, FEATURES},
          LayerChecks.randomValues(BATCH * STEPS * FEATURES, 7));
      assertTrue(count(m.runtime(), BLOCK_LSTM) > 0 && count(m.runtime(), "BlockLSTMGradV2") > 0);
    }
    LayerChecks.check(GRU.builder(3).resetAfter(false).build(), BATCH, STEPS, FEATURES);
  }

  @Test
  void fusedGraphIsAFewOpsWhateverTheLength() {
    // LSTM(32) over 120 steps of 7 features, forward only: unrolled, ~13 ops per step; fused, a constant handful
    // (per batch slice: one slice here).
    Backend.clearSession();
    FusedKernels.batchPartsOverride = 1;
    int[] ops = new int[2];
    try {
      for (int k = 0; k < 2; k++) {
        KerasTensor in = Input.of(120, 7);
        try (Model m = new Model(in, LSTM.builder(32).useFused(k == 0).build().apply(in))) {
          int before = opCount(m.runtime());
          m.call(m.runtime().tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 120, 7))), false);
          ops[k] = opCount(m.runtime()) - before;
        }
      }
    } finally {
      FusedKernels.batchPartsOverride = 0;
    }
    assertTrue(ops[0] < 40, "fused forward ops " + ops[0]);
    assertTrue(ops[1] > 120 * 13, "unrolled forward ops " + ops[1]);
  }

  private static Model model(Layer layer) {
    KerasTensor in = Input.of(STEPS, FEATURES);
    return new Model(in, layer.apply(in));
  }
}
