package io.github.keras4j.layers.convolutional;

import static io.github.keras4j.layers.convolutional.Conv2DTest.assertMessage;
import static io.github.keras4j.layers.convolutional.ConvReference.addBias;
import static io.github.keras4j.layers.convolutional.ConvReference.assertClose;
import static io.github.keras4j.layers.convolutional.ConvReference.convNd;
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

class Conv3DTest {

  @Test
  void tinyConvolutionByHand() {
    // x is a 2x2x2 cube with values 1..8 (row-major), one 2x2x2 kernel with 1 at (0,0,0), -1 at (1,1,1) and 0
    // elsewhere, bias 0.5, "valid": the single output is x[0,0,0] - x[1,1,1] + 0.5 = 1 - 8 + 0.5 = -6.5.
    Tensor x = new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2, 1);
    Tensor k = new Tensor(new float[] {1, 0, 0, 0, 0, 0, 0, -1}, 2, 2, 2, 1, 1);
    Tensor y = predict(new Conv3D(1, 2), x, k, new Tensor(new float[] {0.5f}, 1));
    assertClose(new Tensor(new float[] {-6.5f}, 1, 1, 1, 1, 1), y, 1e-6);
  }

  @Test
  void matchesDirectConvolutionForPaddingStridesAndDilation() {
    // Expected values: ConvReference.convNd, the convolution written as plain Java loops over output positions,
    // kernel taps and channels (TensorFlow's SAME: floor(total / 2) zeros before, the rest after).
    Tensor x = random(1, 2, 5, 6, 4, 2);
    Tensor bias = random(3, 3);
    // (kernel, strides, dilation, same)
    Object[][] cases = {
        {new int[] {3, 3, 3}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, false},
        {new int[] {3, 3, 3}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, true},
        {new int[] {2, 3, 2}, new int[] {2, 3, 1}, new int[] {1, 1, 1}, true},
        {new int[] {2, 2, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, false},
        {new int[] {2, 3, 2}, new int[] {1, 1, 1}, new int[] {2, 2, 3}, false},
        {new int[] {3, 2, 2}, new int[] {1, 1, 1}, new int[] {2, 1, 2}, true},
        // odd total padding: the extra zero goes after
        {new int[] {2, 4, 2}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, true},
    };
    for (Object[] c : cases) {
      int[] ks = (int[]) c[0];
      int[] s = (int[]) c[1];
      int[] d = (int[]) c[2];
      boolean same = (Boolean) c[3];
      Tensor k = random(2, ks[0], ks[1], ks[2], 2, 3);
      Conv3D layer = Conv3D.builder(3, ks).strides(s).dilationRate(d).padding(same ? "same" : "valid").build();
      Tensor expected = addBias(convNd(x, k, s, d, same), bias.data());
      assertClose(expected, predict(layer, x, k, bias), 1e-5);
    }
  }

  @Test
  void passesStandardLayerChecks() {
    // Gradients against finite differences exercise the Conv3D gradient Keras4J registers.
    LayerChecks.check(new Conv3D(2, 2, "tanh"), 2, 3, 3, 3, 2);
    LayerChecks.check(Conv3D.builder(2, 3, 2, 2).strides(2).padding("same").build(), 1, 4, 3, 5, 1);
    LayerChecks.check(Conv3D.builder(1, 2).dilationRate(2, 1, 1).useBias(false).build(), 1, 4, 3, 3, 2);
  }

  @Test
  void infersShapesNamesAndCountsLikeKeras() {
    Backend.clearSession();
    KerasTensor in = Input.of(8, 8, 8, 2);
    Conv3D conv = new Conv3D(4, 3, "relu");
    KerasTensor out = conv.apply(in);
    // valid: 8 - (3 - 1) = 6 on every axis
    assertEquals("(None, 6, 6, 6, 4)", Shapes.format(out.shape()));
    try (Model m = new Model(in, out)) {
      assertEquals("conv3d", conv.name());
      assertEquals(220, m.countParams()); // 3*3*3*2*4 + 4 = 216 + 4
      assertEquals("conv3d/kernel", conv.kernel().name());
      assertEquals("conv3d/bias", conv.bias().name());
      assertEquals("(3, 3, 3, 2, 4)", Shapes.format(conv.kernel().shape()));
    }
    // same, strides 2: ceil(n / 2) -> 8 -> 4, 7 -> 4, 5 -> 3
    assertEquals("(None, 4, 4, 3, 8)", Shapes.format(
        Conv3D.builder(8, 3).strides(2).padding("same").build().apply(Input.of(8, 7, 5, 2)).shape()));
    // valid, strides (2, 1, 3), kernel 2: floor((n - 2) / s) + 1 -> 8 -> 4, 7 -> 6, 5 -> 2
    assertEquals("(None, 4, 6, 2, 1)", Shapes.format(
        Conv3D.builder(1, 2).strides(2, 1, 3).build().apply(Input.of(8, 7, 5, 2)).shape()));
    // valid, dilation (2, 1, 1), kernel 3: 8 - 2 * (3 - 1) = 4, 7 - 2 = 5, 5 - 2 = 3
    assertEquals("(None, 4, 5, 3, 1)", Shapes.format(
        Conv3D.builder(1, 3).dilationRate(2, 1, 1).build().apply(Input.of(8, 7, 5, 2)).shape()));
  }

  @Test
  void configHasKerasKeys() {
    Map<String, Object> c = Conv3D.builder(8, 3, 5, 1).strides(2).padding("SAME").build().getConfig();
    assertEquals(8, c.get("filters"));
    assertEquals(List.of(3, 5, 1), c.get("kernel_size"));
    assertEquals(List.of(2, 2, 2), c.get("strides"));
    assertEquals("same", c.get("padding"));
    assertEquals(List.of(1, 1, 1), c.get("dilation_rate"));
    assertEquals("channels_last", c.get("data_format"));
    assertEquals("GlorotUniform", ((Map<?, ?>) c.get("kernel_initializer")).get("class_name"));
  }

  @Test
  void rejectsBadArgumentsAndInputs() {
    Backend.clearSession();
    assertMessage(() -> new Conv3D(4, 3).apply(Input.of(8, 8, 2)), "Input 0 of layer 'conv3d' is incompatible with "
        + "the layer: expected ndim=5, found ndim=4. Full shape received: (None, 8, 8, 2)");
    assertMessage(() -> new Conv3D(0, 3), "Layer 'conv3d_1': invalid value for argument `filters`. Expected a "
        + "strictly positive value. Received: filters=0");
    assertMessage(() -> Conv3D.builder(4, 3, 3).build(), "Layer 'conv3d_2': the `kernel_size` argument must be an "
        + "integer or a tuple of 3 integers. Received: kernel_size=(3, 3)");
    assertMessage(() -> Conv3D.builder(4, 3).strides(2).dilationRate(2).build(), "Layer 'conv3d_3': `strides > 1` "
        + "not supported in conjunction with `dilation_rate > 1`. Received: strides=(2, 2, 2) and "
        + "dilation_rate=(2, 2, 2)");
    assertMessage(() -> new Conv3D(2, 3).apply(Input.of(8, 2, 8, 2)), "Layer 'conv3d_4': computed output size would "
        + "be zero or negative. Received: input shape (None, 8, 2, 8, 2), kernel_size=(3, 3, 3)");
  }
}
