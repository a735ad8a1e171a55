package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.initializers.Initializer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The initial value of a preprocessing layer's state weight (mean and variance, learned boundaries, a vocabulary, idf
 * weights): the given values (row-major, of the weight's size), or {@code fill} everywhere when there are none yet.
 *
 * @param values the values, or null
 * @param fill the value of every element when {@code values} is null
 */
record ConstantValues(float[] values, float fill) implements Initializer {

  @Override
  public Operand<TFloat32> call(Ops tf, Shape shape, long seed) {
    if (values != null) {
      return tf.constant(shape, DataBuffers.of(values, true, false));
    }
    return tf.fill(tf.constant(shape.asArray()), tf.constant(fill));
  }

  @Override
  public String id() {
    return "constant";
  }

  @Override
  public Map<String, Object> getConfig() {
    return Map.of("value", fill);
  }
}
