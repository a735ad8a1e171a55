package io.github.keras4j.layers.convolutional;

import static io.github.keras4j.layers.convolutional.Conv2DTest.assertMessage;
import static io.github.keras4j.layers.convolutional.ConvReference.addBias;
import static io.github.keras4j.layers.convolutional.ConvReference.assertClose;
import static io.github.keras4j.layers.convolutional.ConvReference.conv2d;
import static io.github.keras4j.layers.convolutional.ConvReference.depthwise;
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

/**
 * DepthwiseConv1D and SeparableConv1D. A 1-D convolution of {@code (batch, steps, channels)} is the 2-D one of
 * {@code (batch, 1, steps, channels)} with a kernel of height 1, so the expected values come from the plain-loop 2-D
 * references of {@link ConvReference} on the same numbers with a height of 1 added.
 */
class Depthwise1DTest {

  /** (kernel, stride, dilation, same, depthMultiplier) */
  private static final Object[][] CASES = {
      {3, 1, 1, false, 1},
      {3, 2, 1, true, 2},
      {2, 1, 2, true, 3},
      {3, 2, 2, false, 1},
  };

  private static Tensor withHeight1(Tensor t) {
    int[] s = t.shape();
    return new Tensor(t.data(), s[0], 1, s[1], s[2]);
  }

  private static Tensor kernelHeight1(Tensor k) {
    int[] s = k.shape();
    return new Tensor(k.data(), 1, s[0], s[1], s[2]);
  }

  private static Tensor dropHeight(Tensor t) {
    int[] s = t.shape();
    return new Tensor(t.data(), s[0], s[2], s[3]);
  }

  @Test
  void depthwiseMatchesThe2dReferenceWithHeightOne() {
    Tensor x = random(1, 2, 9, 3);
    for (Object[] c : CASES) {
      int k = (Integer) c[0];
      int s = (Integer) c[1];
      int d = (Integer) c[2];
      boolean same = (Boolean) c[3];
      int m = (Integer) c[4];
      Tensor kernel = random(2, k, 3, m);
      Tensor bias = random(3, 3 * m);
      DepthwiseConv1D layer = DepthwiseConv1D.builder(k).strides(s).dilationRate(d).depthMultiplier(m)
          .padding(same ? "same" : "valid").build();
      Tensor expected = dropHeight(addBias(depthwise(withHeight1(x), kernelHeight1(kernel), new int[] {1, s},
          new int[] {1, d}, same), bias.data()));
      assertClose(expected, predict(layer, x, kernel, bias), 1e-5);
    }
  }

  @Test
  void separableIsDepthwiseThenPointwise() {
    Tensor x = random(4, 2, 8, 2);
    for (Object[] c : CASES) {
      int k = (Integer) c[0];
      int s = (Integer) c[1];
      int d = (Integer) c[2];
      boolean same = (Boolean) c[3];
      int m = (Integer) c[4];
      Tensor dk = random(5, k, 2, m);
      Tensor pk = random(6, 1, 2 * m, 4);
      Tensor bias = random(7, 4);
      SeparableConv1D layer = SeparableConv1D.builder(4, k).strides(s).dilationRate(d).depthMultiplier(m)
          .padding(same ? "same" : "valid").build();
      Tensor depthwise = depthwise(withHeight1(x), kernelHeight1(dk), new int[] {1, s}, new int[] {1, d}, same);
      Tensor expected = dropHeight(addBias(conv2d(depthwise, kernelHeight1(pk), new int[] {1, 1}, new int[] {1, 1},
          false), bias.data()));
      assertClose(expected, predict(layer, x, dk, pk, bias), 1e-5);
    }
  }

  @Test
  void passStandardLayerChecks() {
    LayerChecks.check(DepthwiseConv1D.builder(2).depthMultiplier(2).activation("tanh").build(), 2, 5, 2);
    LayerChecks.check(DepthwiseConv1D.builder(2).dilationRate(2).strides(2).padding("same").build(), 1, 6, 1);
    LayerChecks.check(SeparableConv1D.builder(3, 2).depthMultiplier(2).activation("tanh").build(), 2, 5, 2);
  }

  @Test
  void shapesNamesParamsAndConfigLikeKeras() {
    Backend.clearSession();
    // The shapes of Keras's docstring inputs (4, 10, 12): window 3, stride 2, valid -> (10 - 3) / 2 + 1 = 4 steps.
    KerasTensor in = Input.of(10, 12);
    DepthwiseConv1D d = DepthwiseConv1D.builder(3).strides(2).depthMultiplier(3).activation("relu").build();
    SeparableConv1D sep = SeparableConv1D.builder(4, 3).strides(2).depthMultiplier(2).build();
    KerasTensor a = d.apply(in);
    KerasTensor b = sep.apply(in);
    assertEquals("(None, 4, 36)", Shapes.format(a.shape()));
    assertEquals("(None, 4, 4)", Shapes.format(b.shape()));
    try (Model m = new Model(in, a); Model n = new Model(in, b)) {
      assertEquals("depthwise_conv1d", d.name());
      assertEquals("depthwise_conv1d/kernel", d.kernel().name());
      assertEquals(3 * 12 * 3 + 36, m.countParams());
      assertEquals("separable_conv1d/depthwise_kernel", sep.depthwiseKernel().name());
      assertEquals("separable_conv1d/pointwise_kernel", sep.pointwiseKernel().name());
      // depthwise 3*12*2 + pointwise 1*24*4 + bias 4
      assertEquals(72 + 96 + 4, n.countParams());
    }
    Map<String, Object> c = sep.getConfig();
    assertEquals(4, c.get("filters"));
    assertEquals(2, c.get("depth_multiplier"));
    assertEquals("GlorotUniform", ((Map<?, ?>) c.get("pointwise_initializer")).get("class_name"));
    assertContains(() -> DepthwiseConv1D.builder(3).padding("causal").build(), "causal");
    assertMessage(() -> SeparableConv1D.builder(2, 3).depthMultiplier(0).build(), "Layer 'separable_conv1d_1': "
        + "invalid value for argument `depth_multiplier`. Expected a strictly positive value. Received: "
        + "depth_multiplier=0");
    assertContains(() -> d.apply(Input.of(4, 4, 3)), "(None, 4, 4, 3)");
  }

  private static void assertContains(org.junit.jupiter.api.function.Executable call, String part) {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, call);
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
