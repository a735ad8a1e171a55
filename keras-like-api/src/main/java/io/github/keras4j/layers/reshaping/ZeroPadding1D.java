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
 * Adds steps of zeros at the start and the end of sequences (axis 1), as Keras 3's
 * {@code keras.layers.ZeroPadding1D}.
 *
 * <p>Input shape {@code (batch, steps, features)}; output shape {@code (batch, start + steps + end, features)}.
 * Default as Keras: one step at each end. Channels-last only (Keras also pads {@code channels_first} inputs on
 * axis 2).
 *
 * <pre>{@code
 * new ZeroPadding1D();                     // (None, 10, 4) -> (None, 12, 4)
 * new ZeroPadding1D(2, 0);                 // two zero steps at the start (causal padding)
 * }</pre>
 */
public class ZeroPadding1D extends Layer {

  private final int[] padding;

  /** One step of zeros at each end. */
  public ZeroPadding1D() {
    this(1);
  }

  /** {@code padding} steps of zeros at each end. */
  public ZeroPadding1D(int padding) {
    this(new int[] {padding}, null);
  }

  /** {@code start} steps of zeros at the start and {@code end} at the end. */
  public ZeroPadding1D(int start, int end) {
    this(new int[] {start, end}, null);
  }

  /**
   * @param padding one value for both ends, or {@code (start, end)}; all {@code >= 0}
   * @param name the layer's name, or null for a generated one ({@code zero_padding1d}, ...)
   */
  public ZeroPadding1D(int[] padding, String name) {
    super(name);
    this.padding = ConvUtils.standardizeTuple("Layer '" + name() + "'", padding, 2, "padding", true);
    setInputSpec(new InputSpec(null, 3, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return ZeroPadding2D.paddedShape(inputShape, new int[][] {padding});
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return ZeroPadding2D.pad(tf, inputs, new int[][] {padding});
  }

  /** {@code (start, end)}. */
  public int[] padding() {
    return padding.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("padding", ConvUtils.toList(padding));
    c.put("data_format", "channels_last");
    return c;
  }
}
