package io.github.keras4j.layers.rnn;

import static io.github.keras4j.layers.rnn.ConvLstmReference.assertClose;
import static io.github.keras4j.layers.rnn.ConvLstmReference.nd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.constraints.NonNeg;
import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.rnn.ConvLstmReference.Settings;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.regularizers.L1;
import io.github.keras4j.regularizers.L2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

class ConvLSTM2DTest {

  // Batch 2, 3 time steps of 4 x 4 images with 2 channels; 2 filters, 3 x 3 kernels.
  private static final int BATCH = 2;
  private static final int TIME = 3;
  private static final float[] X = LayerChecks.randomValues(BATCH * TIME * 4 * 4 * 2, 5);
  private static final float[] K = ConvLstmReference.values(3 * 3 * 2 * 8, 1, 0.6f);
  private static final float[] R = ConvLstmReference.values(3 * 3 * 2 * 8, 4, 0.6f);
  private static final float[] B = ConvLstmReference.values(8, 2, 0.4f);

  private static Model model(ConvLSTM2D layer) {
    KerasTensor in = Input.of(TIME, 4, 4, 2);
    return new Model(in, layer.apply(in));
  }

  private static List<FloatNdArray> weights(boolean bias) {
    List<FloatNdArray> w = new ArrayList<>(List.of(nd(K, 3, 3, 2, 8), nd(R, 3, 3, 2, 8)));
    if (bias) {
      w.add(nd(B, 8));
    }
    return w;
  }

  private static FloatNdArray inputs() {
    return nd(X, BATCH, TIME, 4, 4, 2);
  }

  private static Settings settings(int[] strides, int[] dilation, boolean same, boolean backwards) {
    return new Settings(new int[] {4, 4}, 2, 2, new int[] {3, 3}, strides, dilation, same, backwards);
  }

  private static ConvLstmReference.Run reference(Settings s, boolean bias, boolean[][] mask) {
    return ConvLstmReference.run(s, X, BATCH, TIME, K, R, bias ? B : null, mask);
  }

  @Test
  void lastOutputMatchesThePlainJavaRecurrence() {
    // Expected: ConvLstmReference, Keras's ConvLSTMCell in plain Java loops over steps, positions and gates i, f, c, o.
    try (Model m = model(new ConvLSTM2D(2, 3))) {
      m.setWeights(weights(true));
      FloatNdArray y = m.predict(inputs());
      assertArrayEquals(new long[] {2, 2, 2, 2}, y.shape().asArray());
      Settings s = settings(new int[] {1, 1}, new int[] {1, 1}, false, false);
      assertClose(ConvLstmReference.last(reference(s, true, null)), y, 1e-5, "h_3");
    }
  }

  @Test
  void stridesPaddingDilationAndGoBackwardsMatchTheReference() {
    int[] one = {1, 1};
    int[] two = {2, 2};
    Object[][] cases = {
        // strides, dilation, same, backwards, bias
        {two, one, true, false, true},
        {one, two, true, true, true},
        {one, one, true, false, false},
        {new int[] {2, 1}, one, false, true, true},
    };
    for (Object[] c : cases) {
      int[] strides = (int[]) c[0];
      int[] dilation = (int[]) c[1];
      boolean same = (Boolean) c[2];
      boolean backwards = (Boolean) c[3];
      boolean bias = (Boolean) c[4];
      ConvLSTM2D layer = ConvLSTM2D.builder(2, 3).strides(strides).dilationRate(dilation)
          .padding(same ? "same" : "valid").goBackwards(backwards).useBias(bias).returnSequences(true).build();
      try (Model m = model(layer)) {
        m.setWeights(weights(bias));
        Settings s = settings(strides, dilation, same, backwards);
        FloatNdArray y = m.predict(inputs());
        int[] out = s.outSize();
        assertArrayEquals(new long[] {BATCH, TIME, out[0], out[1], 2}, y.shape().asArray());
        assertClose(ConvLstmReference.sequence(reference(s, bias, null)), y, 1e-5, layer.getConfig().toString());
      }
    }
  }

  @Test
  void returnStateGivesTheFinalHiddenAndCarryFeatureMaps() {
    Backend.clearSession();
    ConvLSTM2D layer = ConvLSTM2D.builder(2, 3).padding("same").returnSequences(true).returnState(true).build();
    KerasTensor in = Input.of(TIME, 4, 4, 2);
    List<KerasTensor> outs = layer.applyWithState(in);
    assertEquals(3, outs.size());
    assertArrayEquals(new long[] {-1, TIME, 4, 4, 2}, outs.get(0).shape().asArray());
    assertArrayEquals(new long[] {-1, 4, 4, 2}, outs.get(1).shape().asArray());
    assertArrayEquals(new long[] {-1, 4, 4, 2}, outs.get(2).shape().asArray());
    assertEquals("conv_lstm2d_state_h", outs.get(1).layer().name());
    assertEquals("conv_lstm2d_state_c", outs.get(2).layer().name());
    try (Model m = new Model(List.of(in), outs)) {
      m.setWeights(weights(true));
      List<FloatNdArray> y = m.predictOutputs(inputs(), 32);
      ConvLstmReference.Run expected = reference(settings(new int[] {1, 1}, new int[] {1, 1}, true, false), true,
          null);
      assertClose(ConvLstmReference.sequence(expected), y.get(0), 1e-5, "sequence");
      assertClose(ConvLstmReference.flatten(expected.h()), y.get(1), 1e-5, "h");
      assertClose(ConvLstmReference.flatten(expected.c()), y.get(2), 1e-5, "c");
    }
    // Without returnSequences the output is the last h: (None, rows, cols, filters) like the states.
    List<KerasTensor> last = ConvLSTM2D.builder(2, 3).returnState(true).build().applyWithState(in);
    assertArrayEquals(new long[] {-1, 2, 2, 2}, last.get(0).shape().asArray());
    assertArrayEquals(new long[] {-1, 2, 2, 2}, last.get(2).shape().asArray());
  }

  @Test
  void outputShapeFollowsTheConvolutionFormula() {
    // (None, 5, 10, 9, 3); by hand: valid: floor((n - d (k - 1) - 1) / s) + 1, same: ceil(n / s).
    Shape in = Shape.of(-1, 5, 10, 9, 3);
    assertArrayEquals(new long[] {-1, 4, 3, 4},
        ConvLSTM2D.builder(4, 3, 2).strides(2, 3).build().computeOutputShape(in).asArray());
    assertArrayEquals(new long[] {-1, 5, 5, 5, 4}, ConvLSTM2D.builder(4, 3, 2).strides(2).padding("same")
        .returnSequences(true).build().computeOutputShape(in).asArray());
    assertArrayEquals(new long[] {-1, 6, 5, 4},
        ConvLSTM2D.builder(4, 3).dilationRate(2).build().computeOutputShape(in).asArray());
    assertArrayEquals(new long[] {-1, 10, 9, 4},
        ConvLSTM2D.builder(4, 3).dilationRate(2).padding("same").build().computeOutputShape(in).asArray());
  }

  @Test
  void weightsHaveKerasNamesShapesAndCounts() {
    Backend.clearSession();
    ConvLSTM2D layer = new ConvLSTM2D(16, 3);
    KerasTensor in = Input.of(5, 16, 16, 1);
    try (Model m = new Model(in, layer.apply(in))) {
      // Keras: 3 * 3 * 1 * 64 + 3 * 3 * 16 * 64 + 64 = 9,856 parameters.
      assertEquals(9856, m.countParams());
      assertArrayEquals(new long[] {-1, 14, 14, 16}, m.outputs().get(0).shape().asArray());
      assertEquals("conv_lstm2d/kernel", layer.kernel().name());
      assertEquals("conv_lstm2d/recurrent_kernel", layer.recurrentKernel().name());
      assertEquals("conv_lstm2d/bias", layer.bias().name());
      assertArrayEquals(new long[] {3, 3, 1, 64}, layer.kernel().shape().asArray());
      assertArrayEquals(new long[] {3, 3, 16, 64}, layer.recurrentKernel().shape().asArray());
      // unitForgetBias: only the forget gate's 16 entries start at 1.
      float[] bias = new float[64];
      m.getWeights().get(2).copyTo(DataBuffers.of(bias, false, false));
      for (int j = 0; j < 64; j++) {
        assertEquals(j >= 16 && j < 32 ? 1f : 0f, bias[j], "bias[" + j + "]");
      }
    }
    Map<String, Object> c = layer.getConfig();
    assertEquals(16, c.get("filters"));
    assertFalse(c.containsKey("units"));
    assertEquals(List.of(3, 3), c.get("kernel_size"));
    assertEquals(List.of(1, 1), c.get("strides"));
    assertEquals(List.of(1, 1), c.get("dilation_rate"));
    assertEquals("valid", c.get("padding"));
    assertEquals("channels_last", c.get("data_format"));
    assertEquals("tanh", c.get("activation"));
    assertEquals("sigmoid", c.get("recurrent_activation"));
    assertEquals(true, c.get("unit_forget_bias"));
    assertEquals("Orthogonal", ((Map<?, ?>) c.get("recurrent_initializer")).get("class_name"));
    assertEquals(false, c.get("return_sequences"));
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(new ConvLSTM2D(2, 2), 2, 3, 3, 3, 1);
    LayerChecks.check(ConvLSTM2D.builder(2, 2).padding("same").strides(2).returnSequences(true).goBackwards(true)
        .build(), 2, 2, 3, 3, 2);
    // Dropout on: the training step runs with masks, the gradient check (inference) without.
    LayerChecks.check(ConvLSTM2D.builder(1, 2).dropout(0.3).recurrentDropout(0.3).build(), 2, 2, 3, 3, 1);
  }

  @Test
  void dropoutIsOffInInferenceAndItsMasksAreDrawnOncePerCall() {
    try (Model m = model(ConvLSTM2D.builder(2, 3).padding("same").dropout(0.5).recurrentDropout(0.5).build())) {
      m.setWeights(weights(true));
      Settings s = settings(new int[] {1, 1}, new int[] {1, 1}, true, false);
      assertClose(ConvLstmReference.last(reference(s, true, null)), m.predict(inputs()), 1e-5, "inference");
      List<FloatNdArray> runs = runTraining(m, inputs(), 2);
      assertTrue(!runs.get(0).equals(m.predict(inputs())) && !runs.get(0).equals(runs.get(1)));
    }
    // Masks reused across steps: every step sees the same input, the recurrent kernel is 0 and the forget gate's
    // bias is -100 (f = 0), so each step computes the same h from x alone; with masks drawn per step they would differ.
    float[] same = new float[BATCH * TIME * 16 * 2];
    for (int i = 0; i < same.length; i++) {
      same[i] = X[i % (16 * 2)];
    }
    float[] bias = B.clone();
    bias[2] = -100f;
    bias[3] = -100f;
    try (Model m = model(ConvLSTM2D.builder(2, 3).padding("same").dropout(0.5).returnSequences(true).build())) {
      m.setWeights(List.of(nd(K, 3, 3, 2, 8), nd(new float[K.length], 3, 3, 2, 8), nd(bias, 8)));
      FloatNdArray y = runTraining(m, nd(same, BATCH, TIME, 4, 4, 2), 1).get(0);
      FloatNdArray plain = m.predict(nd(same, BATCH, TIME, 4, 4, 2));
      assertFalse(y.equals(plain), "dropout changed the training output");
      float[] flat = new float[(int) y.size()];
      y.copyTo(DataBuffers.of(flat, false, false));
      int step = 16 * 2;
      for (int b = 0; b < BATCH; b++) {
        for (int t = 1; t < TIME; t++) {
          for (int i = 0; i < step; i++) {
            assertEquals(flat[(b * TIME) * step + i], flat[(b * TIME + t) * step + i], 1e-6,
                "sample " + b + ", step " + t + " used another input mask than step 0");
          }
        }
      }
    }
  }

  @Test
  void regularizersAddTheirPenaltiesAndConstraintsProjectTheWeights() {
    // Expected loss by hand: MSE of the reference output against zeros + 0.1 sum(K^2) + 0.05 sum|R| + 0.2 sum(B^2)
    // + 0.01 sum|h| / batch (Keras 3's activity penalty).
    ConvLSTM2D layer = ConvLSTM2D.builder(2, 3).kernelRegularizer(new L2(0.1)).recurrentRegularizer(new L1(0.05))
        .biasRegularizer(new L2(0.2)).activityRegularizer(new L1(0.01)).kernelConstraint(new NonNeg()).build();
    try (Model m = model(layer)) {
      m.setWeights(weights(true));
      m.compile(new SGD(0.1f), "mse");
      double[] h = ConvLstmReference.last(reference(settings(new int[] {1, 1}, new int[] {1, 1}, false, false), true,
          null));
      double mse = 0;
      double abs = 0;
      for (double v : h) {
        mse += v * v / h.length;
        abs += Math.abs(v);
      }
      double expected = mse + 0.1 * sum(K, 2) + 0.05 * sum(R, 1) + 0.2 * sum(B, 2) + 0.01 * abs / BATCH;
      double loss = m.trainOnBatch(inputs(), NdArrays.ofFloats(Shape.of(BATCH, 2, 2, 2))).get("loss");
      assertEquals(expected, loss, 1e-5);
      float[] kernel = new float[K.length];
      m.getWeights().get(0).copyTo(DataBuffers.of(kernel, false, false));
      for (float v : kernel) {
        assertTrue(v >= 0, "NonNeg left " + v);
      }
      assertTrue(hasNegative(K), "the test must exercise NonNeg");
    }
  }

  private static double sum(float[] w, int power) {
    double s = 0;
    for (float v : w) {
      s += power == 1 ? Math.abs(v) : (double) v * v;
    }
    return s;
  }

  private static boolean hasNegative(float[] w) {
    for (float v : w) {
      if (v < 0) {
        return true;
      }
    }
    return false;
  }

  /** Passes its inputs through and marks a step real when any of its values is non-zero: a (batch, time) mask. */
  private static final class StepMask extends Layer {
    StepMask() {
      super("step_mask");
      setSupportsMasking(true);
    }

    @Override
    protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
      return tf.identity(inputs);
    }

    @Override
    protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
      return tf.reduceAny(tf.math.notEqual(inputs.get(0), tf.constant(0f)), tf.constant(new int[] {2, 3, 4}));
    }
  }

  @Test
  void maskedStepsKeepTheStatesAndRepeatTheOutput() {
    // Sample 0: its last step is all zeros (padding); sample 1: its first step is.
    float[] x = X.clone();
    int step = 16 * 2;
    Arrays.fill(x, (0 * TIME + TIME - 1) * step, (0 * TIME + TIME) * step, 0f);
    Arrays.fill(x, (1 * TIME) * step, (1 * TIME + 1) * step, 0f);
    boolean[][] mask = {{true, true, false}, {false, true, true}};
    KerasTensor in = Input.of(TIME, 4, 4, 2);
    ConvLSTM2D layer = ConvLSTM2D.builder(2, 3).padding("same").returnSequences(true).build();
    try (Model m = new Model(in, layer.apply(new StepMask().apply(in)))) {
      m.setWeights(weights(true));
      ConvLstmReference.Run expected = ConvLstmReference.run(settings(new int[] {1, 1}, new int[] {1, 1}, true, false),
          x, BATCH, TIME, K, R, B, mask);
      FloatNdArray y = m.predict(nd(x, BATCH, TIME, 4, 4, 2));
      assertClose(ConvLstmReference.sequence(expected), y, 1e-5, "masked sequence");
      // The control: without the mask the padded steps change the result.
      ConvLstmReference.Run unmasked = ConvLstmReference.run(settings(new int[] {1, 1}, new int[] {1, 1}, true, false),
          x, BATCH, TIME, K, R, B, null);
      assertTrue(Math.abs(unmasked.outputs()[0][2][0] - expected.outputs()[0][2][0]) > 1e-3);
      // Masked steps are differentiable in the weights.
      LayerChecks.gradientCheck(m, List.of(new long[] {BATCH, TIME, 4, 4, 2}), List.of(x), false);
    }
  }

  @Test
  void rejectsBadInputsAndSettingsNamingTheLayer() {
    Backend.clearSession();
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> new ConvLSTM2D(2, 3).apply(Input.of(3, 4, 4)));
    assertEquals("Input 0 of layer 'conv_lstm2d' is incompatible with the layer: expected ndim=5, found ndim=4. "
        + "Full shape received: (None, 3, 4, 4). ConvLSTM2D expects inputs of shape "
        + "(None, time, rows, cols, channels).", rank.getMessage());
    ConvLSTM2D layer = new ConvLSTM2D(2, 3);
    IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
        () -> layer.computeOutputShape(Shape.of(-1, -1, 4, 4, 1)));
    assertTrue(time.getMessage().startsWith("Layer 'conv_lstm2d_1' cannot unroll a RNN if the time dimension is "
        + "undefined. Received input with shape (None, None, 4, 4, 1)."), time.getMessage());
    IllegalArgumentException spatial = assertThrows(IllegalArgumentException.class,
        () -> layer.computeOutputShape(Shape.of(-1, 3, -1, 4, 1)));
    assertTrue(spatial.getMessage().contains("'conv_lstm2d_1'")
        && spatial.getMessage().contains("static input shapes for the spatial dimension")
        && spatial.getMessage().contains("(None, 3, None, 4, 1)"), spatial.getMessage());
    IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
        () -> layer.apply(Input.of(3, 2, 4, 1)));
    assertTrue(small.getMessage().contains("computed output size would be zero or negative")
        && small.getMessage().contains("(None, 3, 2, 4, 1)"), small.getMessage());
    IllegalArgumentException filters = assertThrows(IllegalArgumentException.class, () -> new ConvLSTM2D(0, 3));
    assertTrue(filters.getMessage().contains("`filters`") && filters.getMessage().contains("got 0"),
        filters.getMessage());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> ConvLSTM2D.builder(2, 3).strides(2).dilationRate(2).name("c").build());
    assertTrue(both.getMessage().startsWith("Layer 'c': specifying `strides > 1` is not compatible with "
        + "`dilation_rate > 1`"), both.getMessage());
    IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
        () -> ConvLSTM2D.builder(2, 3).padding("causal").name("c").build());
    assertTrue(pad.getMessage().contains("'valid' or 'same'"), pad.getMessage());
    IllegalArgumentException kernel = assertThrows(IllegalArgumentException.class,
        () -> ConvLSTM2D.builder(2, 3, 3, 3).name("c").build());
    assertTrue(kernel.getMessage().contains("kernel_size"), kernel.getMessage());
    IllegalArgumentException fused = assertThrows(IllegalArgumentException.class,
        () -> ConvLSTM2D.builder(2, 3).useFused(true).name("c").build());
    assertTrue(fused.getMessage().contains("no fused kernel"), fused.getMessage());
  }

  /** Runs the model's training trace (dropout on) on {@code x} once per fetch; each run draws new masks. */
  static List<FloatNdArray> runTraining(Model model, FloatNdArray x, int runs) {
    GraphRuntime rt = model.runtime();
    float[] flat = new float[(int) x.size()];
    x.copyTo(DataBuffers.of(flat, false, false));
    Operand<TFloat32> in = rt.tf().constant(x.shape(), DataBuffers.of(flat, true, false));
    Operand<TFloat32> y = model.call(in, true);
    List<FloatNdArray> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      try (Result r = rt.session().runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        FloatNdArray copy = NdArrays.ofFloats(Shape.of(t.shape().asArray()));
        t.copyTo(copy);
        out.add(copy);
      }
    }
    return out;
  }
}
