package io.github.keras4j.layers.reshaping;

import static io.github.keras4j.layers.convolutional.ConvReference.assertClose;
import static io.github.keras4j.layers.convolutional.ConvReference.concat;
import static io.github.keras4j.layers.convolutional.ConvReference.positions;
import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.product;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ZeroPadding3D, Cropping3D and UpSampling3D; expected values from plain Java loops over every position. */
class Reshaping3DTest {

  /** y[b, o..., c] = x[b, map(o)..., c] over every output position, or 0 where {@code map} returns null. */
  private interface PositionMap {
    int[] source(int[] out);
  }

  private static Tensor gather(Tensor x, int[] outSpatial, PositionMap map) {
    int c = x.shape()[4];
    int[] shape = concat(x.shape()[0], outSpatial, c);
    Tensor y = new Tensor(new float[product(shape)], shape);
    for (int n = 0; n < x.shape()[0]; n++) {
      for (int[] o : positions(outSpatial)) {
        int[] in = map.source(o);
        for (int ci = 0; in != null && ci < c; ci++) {
          y.data()[y.index(concat(n, o, ci))] = x.get(concat(n, in, ci));
        }
      }
    }
    return y;
  }

  @Test
  void padsCropsAndRepeatsByHand() {
    // One 1x1x2 volume [1, 2]: ZeroPadding3D(((0, 0), (0, 1), (1, 0))) -> 1x2x3: [[0, 1, 2], [0, 0, 0]];
    // UpSampling3D((1, 2, 2)) -> 1x2x4: [[1, 1, 2, 2], [1, 1, 2, 2]].
    Tensor x = new Tensor(new float[] {1, 2}, 1, 1, 1, 2, 1);
    assertClose(new Tensor(new float[] {0, 1, 2, 0, 0, 0}, 1, 1, 2, 3, 1),
        predict(new ZeroPadding3D(new int[][] {{0, 0}, {0, 1}, {1, 0}}), x), 0);
    assertClose(new Tensor(new float[] {1, 1, 2, 2, 1, 1, 2, 2}, 1, 1, 2, 4, 1),
        predict(new UpSampling3D(new int[] {1, 2, 2}, null), x), 0);
    // Cropping3D() on a 3x3x3 cube 0..26 keeps its centre, value 13.
    float[] cube = new float[27];
    for (int i = 0; i < 27; i++) {
      cube[i] = i;
    }
    assertClose(new Tensor(new float[] {13}, 1, 1, 1, 1, 1), predict(new Cropping3D(), new Tensor(cube, 1, 3, 3, 3, 1)),
        0);
  }

  @Test
  void matchLoops() {
    Tensor x = random(1, 2, 3, 4, 2, 2);
    int[][] p = {{2, 1}, {0, 3}, {1, 1}};
    Tensor padded = gather(x, new int[] {6, 7, 4}, o -> {
      int[] in = {o[0] - p[0][0], o[1] - p[1][0], o[2] - p[2][0]};
      boolean inside = in[0] >= 0 && in[0] < 3 && in[1] >= 0 && in[1] < 4 && in[2] >= 0 && in[2] < 2;
      return inside ? in : null;
    });
    assertClose(padded, predict(new ZeroPadding3D(p), x), 0);
    int[][] crop = {{1, 1}, {0, 2}, {1, 0}};
    Tensor cropped = gather(x, new int[] {1, 2, 1}, o -> new int[] {o[0] + 1, o[1], o[2] + 1});
    assertClose(cropped, predict(new Cropping3D(crop), x), 0);
    // Every open and closed end: crops of 0 at the start and at the end of each axis.
    Tensor open = gather(x, new int[] {2, 3, 2}, o -> new int[] {o[0], o[1] + 1, o[2]});
    assertClose(open, predict(new Cropping3D(new int[][] {{0, 1}, {1, 0}, {0, 0}}), x), 0);
    int[] size = {2, 1, 3};
    Tensor up = gather(x, new int[] {6, 4, 6}, o -> new int[] {o[0] / size[0], o[1] / size[1], o[2] / size[2]});
    assertClose(up, predict(new UpSampling3D(size, null), x), 0);
  }

  @Test
  void passStandardLayerChecks() {
    LayerChecks.check(new ZeroPadding3D(), 2, 2, 3, 2, 2);
    LayerChecks.check(new Cropping3D(), 2, 3, 4, 3, 2);
    LayerChecks.check(new UpSampling3D(), 2, 2, 2, 3, 2);
  }

  @Test
  void shapesAndConfig() {
    Backend.clearSession();
    ZeroPadding3D z = new ZeroPadding3D();
    assertEquals("(None, 10, 10, 10, 2)", Shapes.format(z.apply(Input.of(8, 8, 8, 2)).shape()));
    assertEquals("zero_padding3d", z.name());
    assertEquals("(None, 12, 10, 8, 2)", Shapes.format(new ZeroPadding3D(2, 1, 0).apply(Input.of(8, 8, 8, 2))
        .shape()));
    Cropping3D cr = new Cropping3D();
    assertEquals("(None, 6, 6, 6, 2)", Shapes.format(cr.apply(Input.of(8, 8, 8, 2)).shape()));
    assertEquals("cropping3d", cr.name());
    assertEquals("(None, 4, 6, 8, 2)", Shapes.format(new Cropping3D(2, 1, 0).apply(Input.of(8, 8, 8, 2)).shape()));
    UpSampling3D up = new UpSampling3D();
    assertEquals("(None, 8, 8, 8, 8)", Shapes.format(up.apply(Input.of(4, 4, 4, 8)).shape()));
    assertEquals("up_sampling3d", up.name());
    assertEquals(List.of(List.of(1, 1), List.of(1, 1), List.of(1, 1)), cr.getConfig().get("cropping"));
    Map<String, Object> zc = new ZeroPadding3D(new int[][] {{1, 0}, {2, 3}, {0, 4}}).getConfig();
    assertEquals(List.of(List.of(1, 0), List.of(2, 3), List.of(0, 4)), zc.get("padding"));
    assertEquals("channels_last", zc.get("data_format"));
    assertEquals(List.of(1, 2, 3), new UpSampling3D(new int[] {1, 2, 3}, null).getConfig().get("size"));
  }

  @Test
  void rejectsBadArgumentsAndInputs() {
    Backend.clearSession();
    assertMessage(() -> new ZeroPadding3D().apply(Input.of(8, 8, 2)), "Input 0 of layer 'zero_padding3d' is "
        + "incompatible with the layer: expected ndim=5, found ndim=4. Full shape received: (None, 8, 8, 2)");
    assertMessage(() -> new ZeroPadding3D(new int[][] {{1, 1}, {1, 1}}), "Layer 'zero_padding3d_1': `padding` should "
        + "be an int >= 0, 3 ints (symmetric_dim1, symmetric_dim2, symmetric_dim3) or 3 pairs of ints");
    assertMessage(() -> new Cropping3D(-1), "Layer 'cropping3d': `cropping` should be an int >= 0");
    assertMessage(() -> new Cropping3D(1, 2, 1).apply(Input.of(8, 4, 8, 2)), "Layer 'cropping3d_1': values in "
        + "`cropping` should be smaller than the corresponding spatial dimension of the input. Received: input shape "
        + "(None, 8, 4, 8, 2)");
    assertMessage(() -> new UpSampling3D(new int[] {2, 0, 2}, null), "Layer 'up_sampling3d': the `size` argument must "
        + "be an integer or a tuple of 3 integers > 0. Received: size=(2, 0, 2)");
    assertMessage(() -> new UpSampling3D().apply(Input.of(4, 4, 4)), "Input 0 of layer 'up_sampling3d_1' is "
        + "incompatible with the layer: expected ndim=5, found ndim=4");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expectedStart) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
  }
}
