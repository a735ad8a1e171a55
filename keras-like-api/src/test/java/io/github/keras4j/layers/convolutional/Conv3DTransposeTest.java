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
import java.util.Map;
import org.junit.jupiter.api.Test;

class Conv3DTransposeTest {

  @Test
  void scattersTheKernelByHand() {
    // One voxel of value 2 and a 2x2x2 kernel 1..8, strides 2: the output is 2 * kernel.
    Tensor k = new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2, 1, 1);
    Conv3DTranspose layer = Conv3DTranspose.builder(1, 2).strides(2).useBias(false).build();
    Tensor y = predict(layer, new Tensor(new float[] {2}, 1, 1, 1, 1, 1), k);
    assertClose(new Tensor(new float[] {2, 4, 6, 8, 10, 12, 14, 16}, 1, 2, 2, 2, 1), y, 1e-6);
  }

  @Test
  void matchesTheScatterReference() {
    // Expected values: ConvReference.convTransposeNd, the transposed convolution as a scatter in plain Java loops;
    // output sizes from Keras's formula (Conv1DTransposeTest.keras).
    Tensor x = random(1, 2, 3, 2, 3, 2);
    Tensor bias = random(3, 2);
    // (kernel, strides, dilation, same, outputPadding)
    Object[][] cases = {
        {new int[] {2, 3, 2}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, false, null},
        {new int[] {3, 3, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, true, null},
        {new int[] {2, 2, 3}, new int[] {2, 3, 1}, new int[] {1, 1, 1}, false, null},
        {new int[] {3, 2, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, true, new int[] {1, 1, 0}},
        {new int[] {2, 3, 2}, new int[] {1, 1, 1}, new int[] {2, 1, 2}, false, null},
    };
    for (Object[] c : cases) {
      int[] ks = (int[]) c[0];
      int[] s = (int[]) c[1];
      int[] d = (int[]) c[2];
      boolean same = (Boolean) c[3];
      int[] op = (int[]) c[4];
      Tensor k = random(2, ks[0], ks[1], ks[2], 2, 2);
      Conv3DTranspose layer = Conv3DTranspose.builder(2, ks).strides(s).dilationRate(d)
          .padding(same ? "same" : "valid").outputPadding(op).build();
      int[] out = new int[3];
      for (int i = 0; i < 3; i++) {
        out[i] = Conv1DTransposeTest.keras(x.shape()[i + 1], ks[i], s[i], d[i], same, op == null ? null : op[i]);
      }
      Tensor expected = addBias(convTransposeNd(x, k, out, s, d, same), bias.data());
      assertClose(expected, predict(layer, x, k, bias), 1e-5);
    }
  }

  @Test
  void passesStandardLayerChecks() {
    // Gradients against finite differences exercise the Conv3DBackpropInputV2 gradient Keras4J registers.
    LayerChecks.check(Conv3DTranspose.builder(2, 2).strides(2).activation("tanh").build(), 2, 2, 2, 2, 2);
    LayerChecks.check(Conv3DTranspose.builder(1, 3).padding("same").dilationRate(2, 1, 1).build(), 1, 2, 3, 2, 1);
  }

  @Test
  void infersShapesNamesAndCountsLikeKeras() {
    Backend.clearSession();
    KerasTensor in = Input.of(4, 4, 4, 8);
    Conv3DTranspose t = Conv3DTranspose.builder(4, 3).strides(2).padding("same").build();
    KerasTensor out = t.apply(in);
    assertEquals("(None, 8, 8, 8, 4)", Shapes.format(out.shape()));
    try (Model m = new Model(in, out)) {
      assertEquals("conv3d_transpose", t.name());
      assertEquals(3 * 3 * 3 * 4 * 8 + 4, m.countParams()); // 868
      assertEquals("(3, 3, 3, 4, 8)", Shapes.format(t.kernel().shape()));
    }
    // valid, strides (2, 1, 3), kernel 2: (4-1)*2 + 2 = 8, (4-1) + 2 = 5, (4-1)*3 + max(2, 3) = 12
    assertEquals("(None, 8, 5, 12, 1)", Shapes.format(Conv3DTranspose.builder(1, 2).strides(2, 1, 3).build()
        .apply(Input.of(4, 4, 4, 8)).shape()));
  }

  @Test
  void configAndErrors() {
    Backend.clearSession();
    Map<String, Object> c = Conv3DTranspose.builder(4, 3).strides(2).outputPadding(1, 0, 1).build().getConfig();
    assertEquals(java.util.List.of(1, 0, 1), c.get("output_padding"));
    assertMessage(() -> Conv3DTranspose.builder(4, 3).strides(2, 2, 1).outputPadding(1).build(),
        "Layer 'conv3d_transpose_1': `output_padding` must be strictly less than `strides` for all dimensions. "
            + "At dimension 2, `output_padding` is 1 but `strides` is 1.");
    // "same", even kernel 2 and output padding 0 on axis 1: Keras's (n - 1) s + k % 2 + p = (2 - 1) * 2 + 0 + 0 = 2,
    // but a "same" convolution with stride 2 takes 2 back to ceil(2 / 2) = 1, not 2 (TensorFlow would fail).
    assertMessage(() -> Conv3DTranspose.builder(2, 3, 2, 3).strides(2).padding("same").outputPadding(1, 0, 1).build()
        .apply(Input.of(3, 2, 3, 2)), "Layer 'conv3d_transpose_2': with padding='same', kernel_size=(3, 2, 3), "
        + "dilation_rate=(1, 1, 1), strides=(2, 2, 2) and output_padding=(1, 0, 1), spatial axis 1 of the output "
        + "would have size 2, from which the forward convolution gives 1 instead of the input's 2.");
    assertMessage(() -> new Conv3DTranspose(4, 3).apply(Input.of(8, 8, 2)), "Input 0 of layer 'conv3d_transpose_3' "
        + "is incompatible with the layer: expected ndim=5, found ndim=4. Full shape received: (None, 8, 8, 2)");
  }
}
