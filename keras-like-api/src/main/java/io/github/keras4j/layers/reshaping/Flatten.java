package io.github.keras4j.layers.reshaping;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Layer;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Flattens the input, keeping the batch axis: {@code (None, 28, 28)} becomes {@code (None, 784)}. */
public class Flatten extends Layer {

  public Flatten() {
    this(null);
  }

  public Flatten(String name) {
    super(name);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long n = 1;
    for (int i = 1; i < inputShape.numDimensions(); i++) {
      long d = inputShape.get(i);
      if (d < 0) {
        return Shape.of(inputShape.get(0), Shape.UNKNOWN_SIZE);
      }
      n *= d;
    }
    return Shape.of(inputShape.get(0), n);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    long features = computeOutputShape(inputs.shape()).get(1);
    if (features >= 0) {
      return tf.reshape(inputs, tf.constant(new long[] {-1, features}));
    }
    // Sizes unknown when the graph is built (Keras: reshape to (batch, -1) with the batch size read at run time).
    Operand<TInt32> batch = Shapes.dims(tf, inputs, 0, 1);
    return tf.reshape(inputs, tf.concat(List.of(batch, tf.constant(new int[] {-1})), tf.constant(0)));
  }
}
