package io.github.keras4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The affine augmentation layers after a trainable layer: {@code Conv2D -> RandomRotation / RandomTranslation /
 * RandomZoom -> Flatten -> Dense} fits (the transform op's gradient is registered, see the graph module's
 * {@code ImageGradients}), its loss falls, and the Conv2D kernel, reached only through the transform, changes.
 */
class AffineAugmentationGradientTest {

  private static final int N = 64;

  /** Fits the model with {@code augmentation} after a Conv2D and checks the loss and the kernel. */
  private static void fitsThroughTheTransform(Supplier<Layer> augmentation) {
    Backend.clearSession();
    Backend.setRandomSeed(1);
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[N * 8 * 8];
    float[] y = new float[N];
    for (int s = 0; s < N; s++) {
      // Target: the image's mean brightness, which small rotations, shifts and zooms roughly keep.
      double level = r.nextDouble();
      double sum = 0;
      for (int p = 0; p < 64; p++) {
        float v = (float) Math.min(1, Math.max(0, level + 0.2 * (r.nextDouble() - 0.5)));
        x[s * 64 + p] = v;
        sum += v;
      }
      y[s] = (float) (sum / 64);
    }
    Layer aug = augmentation.get();
    Conv2D conv = new Conv2D(4, 3, "relu");
    // Flatten straight after the augmentation: the transform keeps the static height and width it needs.
    try (Sequential m = new Sequential(new InputLayer(8, 8, 1), conv, aug, new Flatten(), new Dense(1))) {
      m.compile("adam", "mse");
      int kernelIndex = m.variables().indexOf(conv.kernel());
      float[] before = values(m.getWeights().get(kernelIndex));
      FloatNdArray xs = NdArrays.wrap(Shape.of(N, 8, 8, 1), DataBuffers.of(x, true, false));
      FloatNdArray ys = NdArrays.wrap(Shape.of(N, 1), DataBuffers.of(y, true, false));
      History hist = m.fit(xs, ys, new FitOptions().epochs(20).batchSize(16).verbose(0));
      List<Double> loss = hist.history().get("loss");
      float[] after = values(m.getWeights().get(kernelIndex));
      double change = 0;
      for (int i = 0; i < before.length; i++) {
        change = Math.max(change, Math.abs(after[i] - before[i]));
      }
      String what = aug.getClass().getSimpleName();
      assertTrue(loss.get(loss.size() - 1) < 0.5 * loss.get(0),
          what + ": loss " + loss.get(0) + " -> " + loss.get(loss.size() - 1));
      // 80 Adam steps at 1e-3 move a weight that gets a gradient by up to about 0.08.
      assertTrue(change > 1e-2, what + ": the Conv2D kernel moved by at most " + change);
    }
  }

  private static float[] values(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  @Test
  void rotationAfterConv2DTrains() {
    fitsThroughTheTransform(() -> new RandomRotation(0.1));
  }

  @Test
  void translationAfterConv2DTrains() {
    fitsThroughTheTransform(() -> new RandomTranslation(0.1, 0.1));
  }

  @Test
  void zoomAfterConv2DTrains() {
    fitsThroughTheTransform(() -> new RandomZoom(0.1));
  }
}
