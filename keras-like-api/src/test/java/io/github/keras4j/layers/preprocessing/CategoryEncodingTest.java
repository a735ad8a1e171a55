package io.github.keras4j.layers.preprocessing;

import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.floats;
import static io.github.keras4j.layers.preprocessing.PreprocessingChecks.predict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/** Expected numbers: Keras 3's docstring examples (category_encoding.py) and encodings written out by hand. */
class CategoryEncodingTest {

  @Test
  void docstringOneHot() {
    Backend.clearSession();
    // Keras: layer([3, 2, 0, 1]) with one_hot -> rows 3, 2, 0, 1 of the 4x4 identity; here as (batch, 1).
    assertArrayEquals(floats(0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0),
        predict(new CategoryEncoding(4, "one_hot"), floats(3, 2, 0, 1), 1));
  }

  @Test
  void docstringMultiHot() {
    Backend.clearSession();
    // Keras: layer([[0, 1], [0, 0], [1, 2], [3, 1]]) -> [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]].
    assertArrayEquals(floats(1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1),
        predict(new CategoryEncoding(4), floats(0, 1, 0, 0, 1, 2, 3, 1), 2));
  }

  @Test
  void countAndOneHotOfWiderSamples() {
    Backend.clearSession();
    // Counts of [[0, 0, 3], [2, 2, 2]] by hand.
    assertArrayEquals(floats(2, 0, 0, 1, 0, 0, 3, 0), predict(new CategoryEncoding(4, "count"),
        floats(0, 0, 3, 2, 2, 2), 3));
    // one_hot of (batch, 2) appends an axis: (2, 2, 3).
    assertArrayEquals(floats(1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0),
        predict(new CategoryEncoding(3, "one_hot"), floats(0, 2, 1, 1), 2));
  }

  @Test
  void outOfRangeValuesAreDroppedAndFractionsTruncated() {
    Backend.clearSession();
    // -1 and 4 are outside [0, 4): zeros, as Keras 3's TensorFlow backend; 2.7 casts to 2.
    assertArrayEquals(floats(0, 0, 1, 0, 0, 0, 0, 1), predict(new CategoryEncoding(4), floats(-1, 2, 4, 3), 2));
    assertArrayEquals(floats(0, 0, 1, 0), predict(new CategoryEncoding(4, "one_hot"), new float[] {2.7f}, 1));
  }

  @Test
  void shapesConfigAndErrors() {
    Backend.clearSession();
    assertEquals("(None, 5)", Shapes.format(new CategoryEncoding(5, "one_hot").computeOutputShape(Shape.of(-1))));
    assertEquals("(None, 3, 5)",
        Shapes.format(new CategoryEncoding(5, "one_hot").computeOutputShape(Shape.of(-1, 3))));
    assertEquals("(None, 5)", Shapes.format(new CategoryEncoding(5, "count").computeOutputShape(Shape.of(-1, 3))));
    Map<String, Object> c = new CategoryEncoding(5, "binary", "enc").getConfig();
    assertEquals(5, c.get("num_tokens"));
    assertEquals("multi_hot", c.get("output_mode"));
    assertEquals(false, c.get("sparse"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CategoryEncoding(0, "count", "zero"));
    assertTrue(e.getMessage().contains("'zero'") && e.getMessage().contains("num_tokens=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(3, "tf_idf", "m"));
    assertTrue(e.getMessage().contains("'m'") && e.getMessage().contains("output_mode=tf_idf"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(3, "multi_hot", "r")
        .apply(Input.of(2, 2)));
    assertTrue(e.getMessage().contains("'r'") && e.getMessage().contains("(None, 2, 2)"), e.getMessage());
  }
}
