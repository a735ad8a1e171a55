package io.github.keras4j.layers.convolutional;

import static io.github.keras4j.layers.convolutional.Conv2DTest.assertMessage;
import static io.github.keras4j.layers.convolutional.ConvReference.addBias;
import static io.github.keras4j.layers.convolutional.ConvReference.assertClose;
import static io.github.keras4j.layers.convolutional.ConvReference.convTransposeNd;
import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import io.github.keras4j.models.Model;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Conv1DTransposeTest {

  /** Keras's compute_conv_transpose_output_shape for one axis, written out: k' = (k - 1) d + 1. */
  static int keras(int n, int k, int s, int d, boolean same, Integer op) {
    int ke = (k - 1) * d + 1;
    if (!same) {
      return (n - 1) * s + ke + (op == null ? Math.max(ke, s) - ke : op);
    }
    return op == null ? n * s : (n - 1) * s + ke % 2 + op;
  }

  @Test
  void scattersTheKernelByHand() {
    // Input steps [1, 10], kernel [1, 2, 3] (one channel in and out), strides 2, "valid": output length
    // (2 - 1) * 2 + 3 = 5; step 0 writes 1 * [1, 2, 3] at 0..2, step 1 writes 10 * [1, 2, 3] at 2..4:
    // [1, 2, 3 + 10, 20, 30].
    Tensor k = new Tensor(new float[] {1, 2, 3}, 3, 1, 1);
    Conv1DTranspose layer = Conv1DTranspose.builder(1, 3).strides(2).useBias(false).build();
    Tensor y = predict(layer, new Tensor(new float[] {1, 10}, 1, 2, 1), k);
    assertClose(new Tensor(new float[] {1, 2, 13, 20, 30}, 1, 5, 1), y, 1e-6);
  }

  @Test
  void matchesTheScatterReference() {
    // Expected values: ConvReference.convTransposeNd, the transposed convolution as a scatter in plain Java loops.
    Tensor x = random(1, 2, 5, 3);
    Tensor bias = random(3, 2);
    // (kernel, strides, dilation, same, outputPadding)
    Object[][] cases = {
        {3, 1, 1, false, null},
        {3, 2, 1, true, null},
        {2, 3, 1, false, null},
        {4, 2, 1, true, null},
        {3, 2, 1, true, 1},
        {3, 3, 1, false, 2},
        {3, 1, 2, false, null},
        {2, 1, 3, true, null},
    };
    for (Object[] c : cases) {
      int ks = (Integer) c[0];
      int s = (Integer) c[1];
      int d = (Integer) c[2];
      boolean same = (Boolean) c[3];
      Integer op = (Integer) c[4];
      Tensor k = random(2, ks, 2, 3);
      Conv1DTranspose.Builder b = Conv1DTranspose.builder(2, ks).strides(s).dilationRate(d)
          .padding(same ? "same" : "valid");
      if (op != null) {
        b.outputPadding(op);
      }
      int out = keras(5, ks, s, d, same, op);
      Tensor expected = addBias(convTransposeNd(x, k, new int[] {out}, new int[] {s}, new int[] {d}, same),
          bias.data());
      assertClose(expected, predict(b.build(), x, k, bias), 1e-5);
    }
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(Conv1DTranspose.builder(2, 2).strides(2).activation("tanh").build(), 2, 3, 2);
    LayerChecks.check(Conv1DTranspose.builder(1, 3).padding("same").dilationRate(2).build(), 1, 4, 2);
  }

  @Test
  void infersShapesNamesAndCountsLikeKeras() {
    Backend.clearSession();
    KerasTensor in = Input.of(10, 4);
    Conv1DTranspose t = Conv1DTranspose.builder(8, 3).strides(2).padding("same").build();
    KerasTensor out = t.apply(in);
    assertEquals("(None, 20, 8)", Shapes.format(out.shape())); // same: n * s
    try (Model m = new Model(in, out)) {
      assertEquals("conv1d_transpose", t.name());
      assertEquals(3 * 8 * 4 + 8, m.countParams()); // k * filters * channels + filters = 104
      assertEquals("conv1d_transpose/kernel", t.kernel().name());
      assertEquals(List.of(3L, 8L, 4L), List.of(t.kernel().shape().get(0), t.kernel().shape().get(1),
          t.kernel().shape().get(2)));
    }
    // valid, stride 3, kernel 2: (10 - 1) * 3 + max(2, 3) = 30
    assertEquals("(None, 30, 1)", Shapes.format(Conv1DTranspose.builder(1, 2).strides(3).build()
        .apply(Input.of(10, 4)).shape()));
    // valid, dilation 2, kernel 3: k' = 5, (10 - 1) + 5 = 14
    assertEquals("(None, 14, 1)", Shapes.format(Conv1DTranspose.builder(1, 3).dilationRate(2).build()
        .apply(Input.of(10, 4)).shape()));
  }

  @Test
  void configAndErrors() {
    Backend.clearSession();
    Map<String, Object> c = Conv1DTranspose.builder(4, 3).strides(2).outputPadding(1).build().getConfig();
    assertEquals(List.of(1), c.get("output_padding"));
    assertEquals(List.of(3), c.get("kernel_size"));
    assertEquals(4, c.get("filters"));
    assertEquals(null, new Conv1DTranspose(4, 3).getConfig().get("output_padding"));
    assertMessage(() -> Conv1DTranspose.builder(4, 3).strides(2).outputPadding(2).build(),
        "Layer 'conv1d_transpose_2': `output_padding` must be strictly less than `strides` for all dimensions. "
            + "At dimension 0, `output_padding` is 2 but `strides` is 2.");
    assertMessage(() -> Conv1DTranspose.builder(4, 3).padding("causal").build(), "Layer 'conv1d_transpose_3': the "
        + "`padding` argument must be one of 'valid' or 'same'. Received: padding='causal'");
    assertMessage(() -> new Conv1DTranspose(4, 3).apply(Input.of(8, 8, 2)), "Input 0 of layer 'conv1d_transpose_4' "
        + "is incompatible with the layer: expected ndim=3, found ndim=4. Full shape received: (None, 8, 8, 2)");
  }
}
