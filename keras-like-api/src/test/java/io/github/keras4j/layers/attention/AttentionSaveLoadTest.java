package io.github.keras4j.layers.attention;

import static io.github.keras4j.layers.attention.AttentionTestSupport.flat;
import static io.github.keras4j.layers.attention.AttentionTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.Embedding;
import io.github.keras4j.layers.pooling.GlobalAveragePooling1D;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/** Models with attention layers survive Model.save / Models.load: same config, weights and predictions. */
class AttentionSaveLoadTest {

  @TempDir
  Path dir;

  @Test
  void modelWithAllThreeLayersRoundTrips() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(1);
    KerasTensor ids = Input.of(5);
    KerasTensor e = Embedding.builder(7, 4).maskZero(true).build().apply(ids);
    KerasTensor h = MultiHeadAttention.builder(2, 3).useCausalMask(true).name("self_attention").build()
        .apply(List.of(e, e));
    KerasTensor a = Attention.builder().useScale(true).build().apply(List.of(h, e));
    KerasTensor b = new AdditiveAttention().apply(List.of(a, h, e));
    KerasTensor out = new Dense(1).apply(new GlobalAveragePooling1D().apply(b));
    Path file = dir.resolve("attention.keras");
    FloatNdArray x = AttentionTestSupport.random(2, 3, 5);
    float[] idValues = flat(x);
    for (int i = 0; i < idValues.length; i++) {
      idValues[i] = i % 5 == 4 ? 0 : (float) Math.floor((idValues[i] + 1) * 3);   // ids 0..6, last step padded
    }
    FloatNdArray xs = org.tensorflow.ndarray.NdArrays.wrap(x.shape(),
        org.tensorflow.ndarray.buffer.DataBuffers.of(idValues, false, false));
    float[] expected;
    try (Model m = new Model(ids, out)) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 30));
      expected = flat(m.predict(xs));
      m.save(file);
    }
    Backend.clearSession();
    try (Model loaded = Models.load(file)) {
      MultiHeadAttention mha = (MultiHeadAttention) loaded.getLayer("self_attention");
      assertTrue(mha.useCausalMask());
      assertEquals(2, mha.numHeads());
      assertArrayEquals(expected, flat(loaded.predict(xs)));
    }
  }

  @Test
  void aModelOfAttentionScoresIsRefusedWithAClearMessage() {
    Backend.clearSession();
    KerasTensor x = Input.of(3, 2);
    List<KerasTensor> outs = MultiHeadAttention.builder(1, 2).name("mha").build().applyWithScores(List.of(x, x));
    try (Model m = new Model(List.of(x), outs)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.save(dir.resolve("s.keras")));
      assertTrue(e.getMessage().contains("attention scores of layer 'mha'"), e.getMessage());
      // The model itself works: outputs and scores.
      List<FloatNdArray> y = m.predictOutputs(random(3, 2, 3, 2), 32);
      assertArrayEquals(new long[] {2, 1, 3, 3}, y.get(1).shape().asArray());
    }
  }
}
