package io.github.keras4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.models.Model;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * A model with every augmentation layer on its input, then trainable layers, fits and its loss falls. (Trainable
 * layers before the geometric ones: {@code AffineAugmentationGradientTest}.)
 */
class AugmentationTrainingTest {

  @Test
  void modelWithAugmentationLayersFirstFitsAndItsLossFalls() {
    Backend.clearSession();
    Backend.setRandomSeed(1);
    int n = 64;
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[n * 8 * 8];
    float[] y = new float[n];
    for (int s = 0; s < n; s++) {
      // Target: the image's mean brightness, which the augmentations roughly keep.
      double level = r.nextDouble();
      double sum = 0;
      for (int p = 0; p < 64; p++) {
        float v = (float) Math.min(1, Math.max(0, level + 0.2 * (r.nextDouble() - 0.5)));
        x[s * 64 + p] = v;
        sum += v;
      }
      y[s] = (float) (sum / 64);
    }
    KerasTensor in = Input.of(8, 8, 1);
    KerasTensor h = new RandomFlip().apply(in);
    h = new RandomTranslation(0.1, 0.1).apply(h);
    h = new RandomRotation(0.05).apply(h);
    h = new RandomZoom(0.1).apply(h);
    h = RandomContrast.builder(0.1, 0.1).valueRange(0, 1).build().apply(h);
    h = RandomBrightness.builder(0.05).valueRange(0, 1).build().apply(h);
    h = new CenterCrop(6, 6).apply(h);
    h = new Resizing(4, 4).apply(h);
    h = new Flatten().apply(h);
    KerasTensor out = new Dense(1).apply(h);
    try (Model m = new Model(in, out)) {
      m.compile("adam", "mse");
      FloatNdArray xs = NdArrays.wrap(Shape.of(n, 8, 8, 1), DataBuffers.of(x, true, false));
      FloatNdArray ys = NdArrays.wrap(Shape.of(n, 1), DataBuffers.of(y, true, false));
      History hist = m.fit(xs, ys, new FitOptions().epochs(30).batchSize(16).verbose(0));
      List<Double> loss = hist.history().get("loss");
      // The training step really ran the transforms (its graph holds them); inference does not need them.
      long transforms = 0;
      for (java.util.Iterator<GraphOperation> it = m.runtime().graph().operations(); it.hasNext(); ) {
        transforms += it.next().type().equals("ImageProjectiveTransformV3") ? 1 : 0;
      }
      assertTrue(transforms >= 3, "transform ops in the graph: " + transforms);
      assertTrue(loss.get(loss.size() - 1) < 0.5 * loss.get(0),
          "loss " + loss.get(0) + " -> " + loss.get(loss.size() - 1));
    }
  }
}
