package io.github.keras4j.layers.reshaping;

import static io.github.keras4j.layers.convolutional.ConvReference.assertClose;
import static io.github.keras4j.layers.convolutional.ConvReference.predict;
import static io.github.keras4j.layers.convolutional.ConvReference.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.LayerChecks;
import io.github.keras4j.layers.convolutional.ConvReference.Tensor;
import io.github.keras4j.models.Model;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * UpSampling1D, ZeroPadding1D and Cropping1D. The "docstring" cases are the examples of Keras 3's docstrings
 * ({@code np.arange} inputs); the loop cases compute the expected output index by index from the definitions.
 */
class Reshaping1DTest {

  private static Tensor arange(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return new Tensor(v, shape);
  }

  @Test
  void upSamplingRepeatsEachStepAsKerasDocstring() {
    // keras.layers.UpSampling1D(size=2) on arange(12).reshape(2, 2, 3).
    Tensor y = predict(new UpSampling1D(2), arange(2, 2, 3));
    assertClose(new Tensor(new float[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11},
        2, 4, 3), y, 0);
  }

  @Test
  void upSamplingMatchesALoop() {
    Tensor x = random(3, 2, 4, 3);
    int size = 3;
    Tensor e = new Tensor(new float[2 * 4 * size * 3], 2, 4 * size, 3);
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 4 * size; t++) {
        for (int f = 0; f < 3; f++) {
          e.data()[e.index(b, t, f)] = x.get(b, t / size, f);
        }
      }
    }
    assertClose(e, predict(new UpSampling1D(size), x), 0);
  }

  @Test
  void zeroPaddingAsKerasDocstring() {
    // keras.layers.ZeroPadding1D(padding=2) on arange(12).reshape(2, 2, 3): two zero steps on each side.
    Tensor y = predict(new ZeroPadding1D(2), arange(2, 2, 3));
    float[] e = new float[2 * 6 * 3];
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 2; t++) {
        for (int f = 0; f < 3; f++) {
          e[(b * 6 + t + 2) * 3 + f] = b * 6 + t * 3 + f;
        }
      }
    }
    assertClose(new Tensor(e, 2, 6, 3), y, 0);
    assertEquals(0f, y.get(0, 0, 0));
    assertEquals(5f, y.get(0, 3, 2));
  }

  @Test
  void zeroPaddingAsymmetricMatchesALoop() {
    Tensor x = random(4, 2, 3, 2);
    Tensor e = new Tensor(new float[2 * 7 * 2], 2, 7, 2);
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 3; t++) {
        for (int f = 0; f < 2; f++) {
          e.data()[e.index(b, t + 1, f)] = x.get(b, t, f);
        }
      }
    }
    assertClose(e, predict(new ZeroPadding1D(1, 3), x), 0);
  }

  @Test
  void croppingAsKerasDocstring() {
    // keras.layers.Cropping1D(cropping=1) on arange(12).reshape(2, 3, 2): [[[2, 3]], [[8, 9]]].
    assertClose(new Tensor(new float[] {2, 3, 8, 9}, 2, 1, 2), predict(new Cropping1D(1), arange(2, 3, 2)), 0);
  }

  @Test
  void croppingMatchesALoopForOpenAndClosedEnds() {
    Tensor x = random(5, 2, 6, 3);
    int[][] cases = {{0, 0}, {2, 0}, {0, 3}, {1, 2}};
    for (int[] c : cases) {
      int steps = 6 - c[0] - c[1];
      Tensor e = new Tensor(new float[2 * steps * 3], 2, steps, 3);
      for (int b = 0; b < 2; b++) {
        for (int t = 0; t < steps; t++) {
          for (int f = 0; f < 3; f++) {
            e.data()[e.index(b, t, f)] = x.get(b, t + c[0], f);
          }
        }
      }
      assertClose(e, predict(new Cropping1D(c[0], c[1]), x), 0);
    }
  }

  @Test
  void chainedInAModel() {
    // UpSampling1D -> ZeroPadding1D -> Cropping1D; the values follow the definitions above.
    float[][][] x = {{{1, 2}, {3, 4}, {5, 6}}};
    KerasTensor in = Input.of(3, 2);
    KerasTensor up = new UpSampling1D(2).apply(in);
    KerasTensor padded = new ZeroPadding1D(1, 0).apply(up);
    KerasTensor cropped = new Cropping1D(0, 2).apply(padded);
    assertEquals("(None, 5, 2)", Shapes.format(cropped.shape()));
    try (Model model = new Model(in, cropped)) {
      FloatNdArray y = model.predict(x);
      // up: 1 1 3 3 5 5 (first feature); padded: 0 1 1 3 3 5 5; cropped (last two off): 0 1 1 3 3.
      float[] expected = {0, 1, 1, 3, 3};
      assertEquals(5, y.shape().get(1));
      for (int t = 0; t < 5; t++) {
        assertEquals(expected[t], y.getFloat(0, t, 0), "step " + t);
        assertEquals(expected[t] == 0 ? 0 : expected[t] + 1, y.getFloat(0, t, 1), "step " + t);
      }
    }
  }

  @Test
  void passStandardLayerChecks() {
    LayerChecks.check(new UpSampling1D(3), 2, 3, 2);
    LayerChecks.check(new ZeroPadding1D(2, 1), 2, 3, 2);
    LayerChecks.check(new Cropping1D(1, 2), 2, 5, 2);
  }

  @Test
  void shapesConfigAndErrors() {
    Backend.clearSession();
    UpSampling1D up = new UpSampling1D();
    assertEquals("(None, 20, 4)", Shapes.format(up.apply(Input.of(10, 4)).shape()));
    assertEquals("up_sampling1d", up.name());
    assertEquals(2, up.getConfig().get("size"));
    ZeroPadding1D pad = new ZeroPadding1D();
    assertEquals("(None, 12, 4)", Shapes.format(pad.apply(Input.of(10, 4)).shape()));
    assertEquals("zero_padding1d", pad.name());
    assertEquals(List.of(1, 1), pad.getConfig().get("padding"));
    assertEquals("channels_last", pad.getConfig().get("data_format"));
    Cropping1D crop = new Cropping1D();
    assertEquals("(None, 8, 4)", Shapes.format(crop.apply(Input.of(10, 4)).shape()));
    assertEquals("cropping1d", crop.name());
    assertEquals(List.of(1, 1), crop.getConfig().get("cropping"));
    assertEquals(List.of(2, 0), new Cropping1D(2, 0).getConfig().get("cropping"));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Cropping1D(3, 2).apply(Input.of(5, 4)));
    assertTrue(e.getMessage().contains("'cropping1d_2'") && e.getMessage().contains("must be smaller than the input "
        + "length") && e.getMessage().contains("(None, 5, 4)") && e.getMessage().contains("cropping=(3, 2)"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new UpSampling1D(0));
    assertTrue(e.getMessage().contains("Received: size=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ZeroPadding1D(-1));
    assertTrue(e.getMessage().contains("`padding`") && e.getMessage().contains("padding=-1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Cropping1D(new int[] {1, 2, 3}, null));
    assertTrue(e.getMessage().contains("cropping=(1, 2, 3)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new UpSampling1D().apply(Input.of(4, 4, 1)));
    assertTrue(e.getMessage().contains("expected ndim=3") && e.getMessage().contains("(None, 4, 4, 1)"),
        e.getMessage());
  }
}
