package io.github.keras4j.layers.pooling;

/**
 * The mean over the depth, height and width of volumes, per channel: {@code (batch, depth, height, width, channels)}
 * to {@code (batch, channels)}.
 *
 * <p>Default as Keras: {@code keepdims=false}. Channels-last only.
 *
 * <pre>{@code
 * new GlobalAveragePooling3D();        // (None, 4, 4, 4, 16) -> (None, 16)
 * }</pre>
 */
public class GlobalAveragePooling3D extends BaseGlobalPooling {

  /** Without the spatial axes in the output ({@code keepdims=false}). */
  public GlobalAveragePooling3D() {
    this(false, null);
  }

  /** @param keepdims whether the spatial axes stay in the output, with size 1 */
  public GlobalAveragePooling3D(boolean keepdims) {
    this(keepdims, null);
  }

  /**
   * @param keepdims whether the spatial axes stay in the output, with size 1
   * @param name the layer's name, or null for a generated one
   *     ({@code global_average_pooling3d}, {@code global_average_pooling3d_1}, ...)
   */
  public GlobalAveragePooling3D(boolean keepdims, String name) {
    super(3, false, keepdims, name, "global_average_pooling3d");
  }
}
