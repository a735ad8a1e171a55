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
import io.github.keras4j.saving.Json;
import io.github.keras4j.saving.ModelConfig;
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
  void aModelOfAttentionScoresRoundTrips() throws IOException {
    Backend.clearSession();
    Backend.setRandomSeed(3);
    KerasTensor x = Input.of(3, 2);
    KerasTensor y = Input.of(4, 2);
    List<KerasTensor> mha = MultiHeadAttention.builder(2, 2).name("mha").build().applyWithScores(List.of(x, y));
    List<KerasTensor> dot = new Attention().applyWithScores(List.of(mha.get(0), y));
    // The scores also feed a layer, and the attention output is used twice.
    KerasTensor pooled = new GlobalAveragePooling1D().apply(dot.get(1));
    Path file = dir.resolve("scores.keras");
    List<FloatNdArray> xs = List.of(random(5, 2, 3, 2), random(6, 2, 4, 2));
    List<float[]> expected = new java.util.ArrayList<>();
    try (Model m = new Model(List.of(x, y), List.of(mha.get(0), mha.get(1), dot.get(1), pooled))) {
      m.setWeights(AttentionTestSupport.randomLike(m.getWeights(), 31));
      for (FloatNdArray out : m.predictOutputs(xs, 32)) {
        expected.add(flat(out));
      }
      m.save(file);
    }
    Backend.clearSession();
    try (Model loaded = Models.load(file)) {
      List<FloatNdArray> out = loaded.predictOutputs(xs, 32);
      assertEquals(4, out.size());
      assertArrayEquals(new long[] {2, 2, 3, 4}, out.get(1).shape().asArray());
      assertArrayEquals(new long[] {2, 3, 4}, out.get(2).shape().asArray());
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(expected.get(i), flat(out.get(i)), "output " + i);
      }
      // Each softmax row of the dot-product attention's scores sums to 1 after the round trip too.
      float[] s = flat(out.get(2));
      for (int row = 0; row < s.length / 4; row++) {
        assertEquals(1f, s[4 * row] + s[4 * row + 1] + s[4 * row + 2] + s[4 * row + 3], 1e-5f);
      }
    }
  }

  @Test
  void scoresEntryNotCalledOnItsAttentionLayerIsRefused() {
    Backend.clearSession();
    KerasTensor x = Input.of(3, 2);
    List<KerasTensor> outs = MultiHeadAttention.builder(1, 2).name("mha").build().applyWithScores(List.of(x, x));
    String json;
    String input = x.layer().name();
    try (Model m = new Model(List.of(x), outs)) {
      json = Json.write(ModelConfig.serialize(m));
    }
    // Point the scores entry at the model input instead of the attention output.
    String edited = json.replaceAll("\\[\\s*\"mha\"\\s*,\\s*0\\s*,\\s*0\\s*\\]", "[\"" + input + "\", 0, 0]");
    assertTrue(!edited.equals(json), "the edit must change the config");
    Backend.clearSession();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.deserialize(Json.parseObject(edited, "test"), null));
    assertTrue(e.getMessage().contains("the scores of an attention layer"), e.getMessage());
  }
}
