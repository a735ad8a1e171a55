package io.github.keras4j.layers.pooling;

/**
 * Average pooling over the depth, height and width of volumes: the mean of each {@code poolSize} window.
 * Input shape {@code (batch, depth, height, width, channels)}; output shape
 * {@code (batch, newDepth, newHeight, newWidth, channels)}.
 *
 * <p>Defaults as Keras: {@code poolSize=2}, {@code strides=poolSize}, {@code padding="valid"}; output sizes and
 * the handling of {@code "same"} as in {@link BasePooling}. Channels-last only.
 *
 * <pre>{@code
 * new AveragePooling3D();                     // (None, 8, 8, 8, 2) -> (None, 4, 4, 4, 2)
 * new AveragePooling3D(3, 2, "same");         // window 3, stride 2
 * }</pre>
 */
public class AveragePooling3D extends BasePooling {

  /** A window of 2 with stride 2 and {@code "valid"} padding. */
  public AveragePooling3D() {
    this(2);
  }

  /** A window of {@code poolSize} with stride {@code poolSize} and {@code "valid"} padding. */
  public AveragePooling3D(int poolSize) {
    this(new int[] {poolSize}, null, null, null);
  }

  /** A window of {@code poolSize} moved by {@code strides}, with padding {@code "valid"} or {@code "same"}. */
  public AveragePooling3D(int poolSize, int strides, String padding) {
    this(new int[] {poolSize}, new int[] {strides}, padding, null);
  }

  /**
   * Every setting.
   *
   * @param poolSize one value for a cubic window, or {@code (depth, height, width)}
   * @param strides as {@code poolSize}; null for {@code poolSize}
   * @param padding {@code "valid"} or {@code "same"}; null for {@code "valid"}
   * @param name the layer's name, or null for a generated one
   *     ({@code average_pooling3d}, {@code average_pooling3d_1}, ...)
   */
  public AveragePooling3D(int[] poolSize, int[] strides, String padding, String name) {
    super(3, false, poolSize, strides, padding, name, "average_pooling3d");
  }
}
