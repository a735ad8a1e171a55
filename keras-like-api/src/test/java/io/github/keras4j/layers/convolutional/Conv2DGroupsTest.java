package io.github.keras4j.layers.convolutional;

import static io.github.keras4j.layers.convolutional.ConvReference.addBias;
import static io.github.keras4j.layers.convolutional.ConvReference.assertClose;
import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import io.github.keras4j.models.Model;
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.LayerRegistry;
import org.junit.jupiter.api.Test;

/** Conv2D's {@code groups} (Keras's grouped convolution), on both of Keras4J's paths: depthwise and split. */
class Conv2DGroupsTest {

  /**
   * Grouped cross-correlation written out from its definition: output channel {@code f} belongs to group
   * {@code g = f / (filters / groups)} and sums {@code x[.., g * cg + c] * k[u, v, c, f]} over that group's
   * {@code cg = channels / groups} input channels; "same" padding puts the odd zero after, as TensorFlow.
   */
  private static Tensor grouped(Tensor x, Tensor k, int groups, int stride, int dilation, boolean same) {
    int b = x.shape()[0];
    int h = x.shape()[1];
    int w = x.shape()[2];
    int channels = x.shape()[3];
    int kh = k.shape()[0];
    int kw = k.shape()[1];
    int filters = k.shape()[3];
    int cg = channels / groups;
    int[] rows = ConvReference.axis(h, kh, stride, dilation, same);
    int[] cols = ConvReference.axis(w, kw, stride, dilation, same);
    Tensor y = new Tensor(new float[b * rows[0] * cols[0] * filters], b, rows[0], cols[0], filters);
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < rows[0]; i++) {
        for (int j = 0; j < cols[0]; j++) {
          for (int f = 0; f < filters; f++) {
            int g = f / (filters / groups);
            double sum = 0;
            for (int u = 0; u < kh; u++) {
              for (int v = 0; v < kw; v++) {
                int r = i * stride - rows[1] + u * dilation;
                int c = j * stride - cols[1] + v * dilation;
                if (r < 0 || r >= h || c < 0 || c >= w) {
                  continue;
                }
                for (int ci = 0; ci < cg; ci++) {
                  sum += x.get(n, r, c, g * cg + ci) * k.get(u, v, ci, f);
                }
              }
            }
            y.data()[y.index(n, i, j, f)] = (float) sum;
          }
        }
      }
    }
    return y;
  }

  @Test
  void oneGroupPerChannelIsADepthwiseConvolutionWithConv2DsKernelLayout() {
    // 4 channels, 4 groups: filters 4 (one output per channel) and 8 (two per channel).
    Tensor x = random(1, 2, 6, 5, 4);
    for (int filters : new int[] {4, 8}) {
      Tensor k = random(2, 3, 3, 1, filters);
      Tensor bias = random(3, filters);
      Conv2D layer = Conv2D.builder(filters, 3).padding("same").groups(4).build();
      assertClose(addBias(grouped(x, k, 4, 1, 1, true), bias.data()), predict(layer, x, k, bias), 1e-5);
    }
    // Strided and dilated, without bias.
    Tensor k = random(4, 3, 3, 1, 4);
    assertClose(grouped(x, k, 4, 2, 1, false),
        predict(Conv2D.builder(4, 3).strides(2).groups(4).useBias(false).build(), x, k), 1e-5);
    assertClose(grouped(x, k, 4, 1, 2, true),
        predict(Conv2D.builder(4, 3).dilationRate(2).padding("same").groups(4).useBias(false).build(), x, k), 1e-5);
  }

  @Test
  void otherGroupingsConvolveEachGroupSeparately() {
    // 6 channels in 2 groups of 3, 4 filters (2 per group); and 3 groups of 2 channels, 6 filters.
    Tensor x = random(5, 2, 5, 6, 6);
    Tensor k = random(6, 2, 3, 3, 4);
    Tensor bias = random(7, 4);
    assertClose(addBias(grouped(x, k, 2, 1, 1, false), bias.data()),
        predict(Conv2D.builder(4, 2, 3).groups(2).build(), x, k, bias), 1e-5);
    Tensor k3 = random(8, 3, 3, 2, 6);
    assertClose(grouped(x, k3, 3, 2, 1, true),
        predict(Conv2D.builder(6, 3).strides(2).padding("same").groups(3).useBias(false).build(), x, k3), 1e-5);
  }

  @Test
  void passesStandardLayerChecks() {
    LayerChecks.check(Conv2D.builder(3, 2).groups(3).padding("same").build(), 2, 4, 4, 3);
    LayerChecks.check(Conv2D.builder(4, 2).groups(2).activation("tanh").build(), 1, 4, 3, 4);
  }

  @Test
  void countsKerasParametersAndNamesTheKernelShape() {
    Backend.clearSession();
    // ConvNeXt's depthwise convolution: kernel (7, 7, 1, 96) and bias (96,): 49 * 96 + 96 = 4,800 parameters.
    KerasTensor in = Input.of(14, 14, 96);
    Conv2D conv = Conv2D.builder(96, 7).padding("same").groups(96).build();
    try (Model m = new Model(in, conv.apply(in))) {
      assertEquals(4_800, m.countParams());
      assertEquals("(7, 7, 1, 96)", io.github.keras4j.graph.Shapes.format(conv.kernel().shape()));
    }
  }

  @Test
  void configRoundTripKeepsGroups() {
    Conv2D conv = Conv2D.builder(8, 3).groups(4).name("grouped").build();
    assertEquals(4, conv.getConfig().get("groups"));
    assertEquals(1, new Conv2D(8, 3).getConfig().get("groups"));
    Layer copy = LayerRegistry.deserialize(Json.parse(Json.write(LayerRegistry.serialize(conv)), "test"), null);
    assertEquals(4, ((Conv2D) copy).groups());
    assertEquals("grouped", copy.name());
  }

  @Test
  void refusesGroupsThatDoNotDivideAsKeras() {
    Backend.clearSession();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Conv2D.builder(4, 3).groups(0).build());
    assertEquals("Layer 'conv2d': the number of groups must be a positive integer. Received: groups=0.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Conv2D.builder(4, 3).groups(3).build());
    assertEquals("Layer 'conv2d_1': the number of filters must be evenly divisible by the number of groups. "
        + "Received: groups=3, filters=4.", e.getMessage());
    Conv2D conv = Conv2D.builder(6, 3).groups(3).build();
    e = assertThrows(IllegalArgumentException.class, () -> conv.apply(Input.of(8, 8, 4)));
    assertEquals("Layer 'conv2d_2': the number of input channels must be evenly divisible by the number of groups. "
        + "Received groups=3, but the input has 4 channels (full input shape is (None, 8, 8, 4)).", e.getMessage());
  }
}
