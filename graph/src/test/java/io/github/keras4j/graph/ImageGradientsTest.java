package io.github.keras4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.types.TFloat32;

/**
 * The registered gradient of {@code ImageProjectiveTransformV3}: the gradient of {@code sum(w * transform(x))} with
 * respect to {@code x} (which is the op's gradient applied to {@code w}) from {@code tf.gradients}, against numbers
 * computed here in plain Java loops from the op's definition (output pixel {@code (x, y)} reads the input at
 * {@code (a0 x + a1 y + a2, b0 x + b1 y + b2)}; nearest rounds half away from zero, bilinear weights the four
 * neighbours, points outside read the constant fill).
 */
class ImageGradientsTest {

  private static final int C = 2;

  /** The images' height and width, set per test (JUnit makes a new instance for each). */
  private int height = 5;
  private int width = 6;

  /** {@code [batch][height][width][C]} flattened, values in [-1, 1). */
  private static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  /** The registered gradient: d sum(w * transform(x)) / dx for images {@code x} of {@code (batch, height, width, C)}. */
  private float[] registeredGradient(float[][] transforms, String interpolation, float[] x, float[] w) {
    CustomGradients.registerAll();
    int batch = transforms.length;
    Shape shape = Shape.of(batch, height, width, C);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      Operand<TFloat32> out = tf.image.imageProjectiveTransformV3(images, tf.constant(transforms),
          tf.constant(new int[] {height, width}), tf.constant(0.5f), interpolation,
          ImageProjectiveTransformV3.fillMode("CONSTANT"));
      Operand<TFloat32> loss = tf.sum(tf.math.mul(out, tf.constant(shape, DataBuffers.of(w, true, false))),
          tf.constant(new int[] {0, 1, 2, 3}));
      Operand<?> grad = tf.gradients(loss, List.of(images)).dy(0);
      try (Session s = new Session(g);
          TFloat32 fed = TFloat32.tensorOf(shape, DataBuffers.of(x, true, false));
          TFloat32 result = (TFloat32) s.runner().feed(images, fed).fetch(grad).run().get(0)) {
        float[] v = new float[(int) result.size()];
        result.asRawTensor().data().asFloats().read(v);
        return v;
      }
    }
  }

  /** Index of pixel {@code (b, row, col, ch)}. */
  private int at(int b, int row, int col, int ch) {
    return ((b * height + row) * width + col) * C + ch;
  }

  /** The (tap row, tap col, weight) taps the op reads for a point {@code (px, py)}, as TF's kernel. */
  private static double[][] taps(double px, double py, boolean bilinear) {
    if (!bilinear) {
      // std::round: half away from zero.
      return new double[][] {{Math.signum(py) * Math.floor(Math.abs(py) + 0.5),
          Math.signum(px) * Math.floor(Math.abs(px) + 0.5), 1}};
    }
    double y0 = Math.floor(py);
    double x0 = Math.floor(px);
    return new double[][] {{y0, x0, (y0 + 1 - py) * (x0 + 1 - px)}, {y0, x0 + 1, (y0 + 1 - py) * (px - x0)},
        {y0 + 1, x0, (py - y0) * (x0 + 1 - px)}, {y0 + 1, x0 + 1, (py - y0) * (px - x0)}};
  }

  private boolean inside(double row, double col) {
    return row >= 0 && row < height && col >= 0 && col < width;
  }

  /**
   * The exact adjoint (transpose) of the resampling applied to {@code w}: each output pixel's {@code w} scattered to
   * the input pixels it read, with the weights it read them with (the fill contributes nothing).
   */
  private double[] exactAdjoint(float[][] t, boolean bilinear, float[] w) {
    double[] grad = new double[t.length * height * width * C];
    for (int b = 0; b < t.length; b++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double px = t[b][0] * x + t[b][1] * y + t[b][2];
          double py = t[b][3] * x + t[b][4] * y + t[b][5];
          for (double[] tap : taps(px, py, bilinear)) {
            if (inside(tap[0], tap[1])) {
              for (int ch = 0; ch < C; ch++) {
                grad[at(b, (int) tap[0], (int) tap[1], ch)] += tap[2] * w[at(b, y, x, ch)];
              }
            }
          }
        }
      }
    }
    return grad;
  }

  /**
   * TensorFlow's Python formula: {@code w} resampled with the inverse affine map (inverted here in closed form, in
   * double), fill 0: each input pixel gathers {@code w} at the output point that maps onto it.
   */
  private double[] tfFormula(float[][] t, boolean bilinear, float[] w) {
    double[] grad = new double[t.length * height * width * C];
    for (int b = 0; b < t.length; b++) {
      double a0 = t[b][0];
      double a1 = t[b][1];
      double a2 = t[b][2];
      double b0 = t[b][3];
      double b1 = t[b][4];
      double b2 = t[b][5];
      double det = a0 * b1 - a1 * b0;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          // Solve (a0 u + a1 v + a2, b0 u + b1 v + b2) = (x, y) for the output point (u, v).
          double u = (b1 * (x - a2) - a1 * (y - b2)) / det;
          double v = (-b0 * (x - a2) + a0 * (y - b2)) / det;
          for (double[] tap : taps(u, v, bilinear)) {
            if (inside(tap[0], tap[1])) {
              for (int ch = 0; ch < C; ch++) {
                grad[at(b, y, x, ch)] += tap[2] * w[at(b, (int) tap[0], (int) tap[1], ch)];
              }
            }
          }
        }
      }
    }
    return grad;
  }

  private static double maxDiff(float[] actual, double[] expected) {
    double m = 0;
    for (int i = 0; i < expected.length; i++) {
      m = Math.max(m, Math.abs(actual[i] - expected[i]));
    }
    return m;
  }

  private static void assertClose(double[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + " at " + i);
    }
  }

  /** The affine map of a rotation by {@code angle} about the image centre (output pixel to input point). */
  private float[] rotation(double angle) {
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    return new float[] {(float) c, (float) -s, (float) (cx - c * cx + s * cy), (float) s, (float) c,
        (float) (cy - s * cx - c * cy), 0, 0};
  }

  @Test
  void wholePixelTranslationIsTheExactTranspose() {
    // Image 0 shifted right 2 and down 1 (reads the input at (x - 2, y - 1)); image 1 left 1 and up 2.
    float[][] t = {{1, 0, -2, 0, 1, -1, 0, 0}, {1, 0, 1, 0, 1, 2, 0, 0}};
    float[] x = random(2 * height * width * C, 1);
    float[] w = random(2 * height * width * C, 2);
    for (String interpolation : List.of("NEAREST", "BILINEAR")) {
      // A selection of whole pixels: TF's inverse-transform gradient equals the transpose.
      double[] expected = exactAdjoint(t, interpolation.equals("BILINEAR"), w);
      assertClose(expected, registeredGradient(t, interpolation, x, w), 1e-6, interpolation);
      // The pixels shifted out of the image get zero gradient.
      assertEquals(0.0, expected[at(0, height - 1, width - 1, 0)]);
    }
  }

  @Test
  void halfTurnIsTheExactTranspose() {
    // 180 degrees about the image centre: (x, y) reads (width - 1 - x, height - 1 - y), a permutation of the pixels.
    float[][] t = {{-1, 0, width - 1, 0, -1, height - 1, 0, 0}, rotation(Math.PI)};
    float[] x = random(2 * height * width * C, 3);
    float[] w = random(2 * height * width * C, 4);
    double[] expected = exactAdjoint(t, false, w);
    assertClose(expected, registeredGradient(t, "NEAREST", x, w), 1e-6, "half turn");
    // A permutation: the gradient is w reversed.
    assertEquals(w[at(0, 0, 0, 1)], expected[at(0, height - 1, width - 1, 1)], 1e-12);
  }

  @Test
  void bilinearRotationIsTensorFlowsApproximation() {
    // 30 and -50 degrees: the points fall between pixels. TensorFlow's gradient (the upstream gradient resampled
    // with the inverse transform) is an approximation of the transpose, NOT the true adjoint: check it against that
    // formula, and that it really differs from the transpose computed by scattering.
    float[][] t = {rotation(Math.PI / 6), rotation(-5 * Math.PI / 18)};
    float[] x = random(2 * height * width * C, 5);
    float[] w = random(2 * height * width * C, 6);
    float[] actual = registeredGradient(t, "BILINEAR", x, w);
    assertClose(tfFormula(t, true, w), actual, 1e-5, "TF's formula");
    double fromTranspose = maxDiff(actual, exactAdjoint(t, true, w));
    assertTrue(fromTranspose > 0.05, "differs from the true adjoint by " + fromTranspose);
  }

  @Test
  void bilinearZoomScalesTheTotalByTheDeterminant() {
    // Zoom in 2x about the centre of a 40x40 image: output (x, y) reads the input at centre + 0.5 (point - centre),
    // det = 0.25. w is 1 on the central 20x20 outputs (channel 0), 0 elsewhere; x's values do not matter. The
    // transpose keeps the total of w (every read falls inside): 400. TF's gradient gathers w at twice the distance
    // from the centre, so only about a quarter of the input pixels (those within 5 of the centre) see it: about 100.
    height = 40;
    width = 40;
    double c = (width - 1) / 2.0;
    float[][] t = {{0.5f, 0, (float) (c / 2), 0, 0.5f, (float) (c / 2), 0, 0}};
    float[] w = new float[height * width * C];
    for (int y = 10; y < 30; y++) {
      for (int x = 10; x < 30; x++) {
        w[at(0, y, x, 0)] = 1;
      }
    }
    float[] actual = registeredGradient(t, "BILINEAR", random(height * width * C, 7), w);
    assertClose(tfFormula(t, true, w), actual, 1e-5, "TF's formula");
    double total = 0;
    for (float v : actual) {
      total += v;
    }
    double trueTotal = 0;
    for (double v : exactAdjoint(t, true, w)) {
      trueTotal += v;
    }
    assertEquals(400.0, trueTotal, 1e-6);
    assertEquals(0.25, total / trueTotal, 0.03, "TF's total " + total + " vs the transpose's " + trueTotal);
  }
}
