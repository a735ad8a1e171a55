package io.github.keras4j.layers.reshaping;

import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.convolutional.ConvUtils;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Removes steps at the start and the end of sequences (axis 1), as Keras 3's {@code keras.layers.Cropping1D}.
 *
 * <p>Input shape {@code (batch, steps, features)}; output shape {@code (batch, steps - start - end, features)}.
 * Default as Keras: one step off each end. What is cropped must be smaller than the number of steps (checked when
 * the length is known).
 *
 * <pre>{@code
 * new Cropping1D();                        // (None, 10, 4) -> (None, 8, 4)
 * new Cropping1D(2, 0);                    // two steps off the start
 * }</pre>
 */
public class Cropping1D extends Layer {

  private final int[] cropping;

  /** One step off each end. */
  public Cropping1D() {
    this(1);
  }

  /** {@code cropping} steps off each end. */
  public Cropping1D(int cropping) {
    this(new int[] {cropping}, null);
  }

  /** {@code start} steps off the start and {@code end} off the end. */
  public Cropping1D(int start, int end) {
    this(new int[] {start, end}, null);
  }

  /**
   * @param cropping one value for both ends, or {@code (start, end)}; all {@code >= 0}
   * @param name the layer's name, or null for a generated one ({@code cropping1d}, ...)
   */
  public Cropping1D(int[] cropping, String name) {
    super(name);
    this.cropping = ConvUtils.standardizeTuple("Layer '" + name() + "'", cropping, 2, "cropping", true);
    setInputSpec(new InputSpec(null, 3, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long steps = inputShape.get(1);
    long length = steps < 0 ? steps : steps - cropping[0] - cropping[1];
    if (steps >= 0 && length <= 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': `cropping` parameter of `Cropping1D` layer must be "
          + "smaller than the input length. Received: input_shape=" + format(inputShape) + ", cropping="
          + ConvUtils.formatTuple(cropping));
    }
    return Shape.of(inputShape.get(0), length, inputShape.get(2));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return Cropping2D.crop(tf, inputs, new int[][] {cropping});
  }

  /** {@code (start, end)}. */
  public int[] cropping() {
    return cropping.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("cropping", ConvUtils.toList(cropping));
    return c;
  }
}
