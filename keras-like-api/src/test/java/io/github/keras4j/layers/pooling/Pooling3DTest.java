package io.github.keras4j.layers.pooling;

import static io.github.keras4j.layers.convolutional.ConvReference.assertClose;
import static io.github.keras4j.layers.convolutional.ConvReference.concat;
import static io.github.keras4j.layers.convolutional.ConvReference.positions;
import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.product;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static io.github.keras4j.layers.pooling.BasePoolingTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MaxPooling3D, AveragePooling3D, GlobalMaxPooling3D and GlobalAveragePooling3D. */
class Pooling3DTest {

  /**
   * Direct 3-D pooling in plain Java loops: the max or the mean of the window positions inside the input
   * (TensorFlow's "SAME" puts {@code floor(total / 2)} padding positions before; padding is never counted in a mean).
   */
  static Tensor pool3d(Tensor x, int[] pool, int[] strides, boolean same, boolean max) {
    int c = x.shape()[4];
    int[] outSize = new int[3];
    int[] pad = new int[3];
    for (int i = 0; i < 3; i++) {
      int[] a = ConvReference.axis(x.shape()[i + 1], pool[i], strides[i], 1, same);
      outSize[i] = a[0];
      pad[i] = a[1];
    }
    int[] shape = concat(x.shape()[0], outSize, c);
    Tensor y = new Tensor(new float[product(shape)], shape);
    for (int n = 0; n < x.shape()[0]; n++) {
      for (int[] o : positions(outSize)) {
        for (int ci = 0; ci < c; ci++) {
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          int count = 0;
          for (int[] u : positions(pool)) {
            int[] in = new int[3];
            boolean inside = true;
            for (int i = 0; i < 3; i++) {
              in[i] = o[i] * strides[i] - pad[i] + u[i];
              inside &= in[i] >= 0 && in[i] < x.shape()[i + 1];
            }
            if (inside) {
              float v = x.get(concat(n, in, ci));
              acc = max ? Math.max(acc, v) : acc + v;
              count++;
            }
          }
          y.data()[y.index(concat(n, o, ci))] = (float) (max ? acc : acc / count);
        }
      }
    }
    return y;
  }

  /** Max or mean over all spatial positions, per sample and channel, in plain loops. */
  static Tensor global(Tensor x, boolean max) {
    int b = x.shape()[0];
    int c = x.shape()[4];
    int positions = x.data().length / (b * c);
    float[] out = new float[b * c];
    for (int n = 0; n < b; n++) {
      for (int ci = 0; ci < c; ci++) {
        double acc = max ? Double.NEGATIVE_INFINITY : 0;
        for (int p = 0; p < positions; p++) {
          float v = x.data()[(n * positions + p) * c + ci];
          acc = max ? Math.max(acc, v) : acc + v;
        }
        out[n * c + ci] = (float) (max ? acc : acc / positions);
      }
    }
    return new Tensor(out, b, c);
  }

  @Test
  void poolsACubeByHand() {
    // 2x2x2 cube 1..8 in one window: max 8, mean 4.5.
    Tensor x = new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2, 1);
    assertClose(new Tensor(new float[] {8}, 1, 1, 1, 1, 1), predict(new MaxPooling3D(), x), 0);
    assertClose(new Tensor(new float[] {4.5f}, 1, 1, 1, 1, 1), predict(new AveragePooling3D(), x), 1e-6);
    assertClose(new Tensor(new float[] {8}, 1, 1), predict(new GlobalMaxPooling3D(), x), 0);
    assertClose(new Tensor(new float[] {4.5f}, 1, 1), predict(new GlobalAveragePooling3D(), x), 1e-6);
  }

  @Test
  void matchesDirectPooling() {
    Tensor x = random(1, 2, 5, 6, 4, 2);
    // (pool, strides, same)
    Object[][] cases = {
        {new int[] {2, 2, 2}, new int[] {2, 2, 2}, false},
        {new int[] {3, 3, 3}, new int[] {2, 2, 2}, true},
        {new int[] {3, 2, 2}, new int[] {1, 1, 1}, false},
        {new int[] {2, 3, 2}, new int[] {1, 2, 3}, true},
        {new int[] {2, 2, 3}, new int[] {3, 3, 1}, true},
    };
    for (Object[] c : cases) {
      int[] p = (int[]) c[0];
      int[] s = (int[]) c[1];
      boolean same = (Boolean) c[2];
      String padding = same ? "same" : "valid";
      assertClose(pool3d(x, p, s, same, true), predict(new MaxPooling3D(p, s, padding, null), x), 0);
      assertClose(pool3d(x, p, s, same, false), predict(new AveragePooling3D(p, s, padding, null), x), 1e-6);
    }
    // Default strides = pool size.
    assertClose(pool3d(x, new int[] {2, 2, 2}, new int[] {2, 2, 2}, false, true), predict(new MaxPooling3D(), x), 0);
  }

  @Test
  void matchesDirectGlobalReductions() {
    Tensor x = random(2, 3, 2, 3, 4, 5);
    assertClose(global(x, true), predict(new GlobalMaxPooling3D(), x), 0);
    assertClose(global(x, false), predict(new GlobalAveragePooling3D(), x), 1e-6);
    assertClose(new Tensor(global(x, false).data(), 3, 1, 1, 1, 5), predict(new GlobalAveragePooling3D(true), x),
        1e-6);
  }

  @Test
  void passStandardLayerChecks() {
    LayerChecks.check(new MaxPooling3D(), 2, 4, 4, 2, 2);
    LayerChecks.check(new AveragePooling3D(3, 2, "same"), 2, 5, 4, 3, 2);
    LayerChecks.check(new GlobalMaxPooling3D(true), 2, 3, 2, 2, 2);
    LayerChecks.check(new GlobalAveragePooling3D(), 2, 3, 2, 2, 2);
  }

  @Test
  void infersShapesLikeKeras() {
    Backend.clearSession();
    MaxPooling3D pool = new MaxPooling3D();
    assertEquals("(None, 4, 4, 4, 2)", Shapes.format(pool.apply(Input.of(8, 8, 8, 2)).shape()));
    assertEquals("max_pooling3d", pool.name());
    // valid: floor((n - k) / s) + 1; same: ceil(n / s)
    assertEquals("(None, 4, 3, 2, 3)", Shapes.format(new MaxPooling3D(2).apply(Input.of(9, 7, 5, 3)).shape()));
    assertEquals("(None, 5, 4, 3, 3)", Shapes.format(new AveragePooling3D(3, 2, "same")
        .apply(Input.of(9, 7, 5, 3)).shape()));
    assertEquals("(None, 7, 3, 1, 3)", Shapes.format(new AveragePooling3D(new int[] {3, 3, 3}, new int[] {1, 2, 3},
        null, null).apply(Input.of(9, 7, 5, 3)).shape()));
    assertEquals("average_pooling3d_2", new AveragePooling3D().name());
    GlobalAveragePooling3D gap = new GlobalAveragePooling3D();
    assertEquals("(None, 16)", Shapes.format(gap.apply(Input.of(4, 4, 4, 16)).shape()));
    assertEquals("global_average_pooling3d", gap.name());
    assertEquals("(None, 1, 1, 1, 16)", Shapes.format(new GlobalMaxPooling3D(true).apply(Input.of(4, 4, 4, 16))
        .shape()));
  }

  @Test
  void configHasKerasKeys() {
    Map<String, Object> c = new MaxPooling3D(3, 2, "SAME").getConfig();
    assertEquals(List.of(3, 3, 3), c.get("pool_size"));
    assertEquals(List.of(2, 2, 2), c.get("strides"));
    assertEquals("same", c.get("padding"));
    assertEquals("channels_last", c.get("data_format"));
    assertEquals(List.of(2, 2, 2), new AveragePooling3D().getConfig().get("strides"));
    assertEquals(true, new GlobalMaxPooling3D(true).getConfig().get("keepdims"));
  }

  @Test
  void rejectsBadArgumentsAndInputs() {
    Backend.clearSession();
    assertMessage(() -> new MaxPooling3D().apply(Input.of(8, 8, 2)), "Input 0 of layer 'max_pooling3d' is "
        + "incompatible with the layer: expected ndim=5, found ndim=4. Full shape received: (None, 8, 8, 2)");
    assertMessage(() -> new MaxPooling3D(new int[] {2, 2}, null, null, null), "Layer 'max_pooling3d_1': the "
        + "`pool_size` argument must be an integer or a tuple of 3 integers. Received: pool_size=(2, 2)");
    assertMessage(() -> new AveragePooling3D(2, 2, "causal"), "Layer 'average_pooling3d': the `padding` argument "
        + "must be one of 'valid' or 'same'. Received: padding='causal'");
    assertMessage(() -> new AveragePooling3D(3).apply(Input.of(8, 2, 8, 1)), "Layer 'average_pooling3d_1': computed "
        + "output size would be zero or negative. Received: input shape (None, 8, 2, 8, 1), pool_size=(3, 3, 3)");
    assertMessage(() -> new GlobalAveragePooling3D().apply(Input.of(7, 7, 64)), "Input 0 of layer "
        + "'global_average_pooling3d' is incompatible with the layer: expected ndim=5, found ndim=4. "
        + "Full shape received: (None, 7, 7, 64)");
  }
}
