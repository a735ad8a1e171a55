package io.github.keras4j.applications;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code keras.src.applications.convnext.LayerScale} (Touvron et al., "Going deeper with Image
 * Transformers", 2021), module-private in Keras and package-private here: {@code x * gamma}, one trainable scale per
 * channel of the last axis, initialized to {@code initValues}.
 *
 * <p>Input shape {@code (batch, ..., projectionDim)}; output shape the same. Weight: {@code gamma} of shape
 * {@code (projectionDim,)}. Java difference: Keras leaves the weight unnamed (Keras 3 calls it {@code variable}); here
 * it is {@code gamma}, the attribute Keras stores it in. The last axis must equal {@code projectionDim} (Keras
 * broadcasts and fails later).
 */
final class LayerScale extends Layer {

  private final double initValues;
  private final int projectionDim;
  private GraphVariable gamma;

  /**
   * @param initValues the initial value of every scale
   * @param projectionDim the number of channels
   * @param name the layer's name (null for a generated {@code layer_scale})
   */
  LayerScale(double initValues, int projectionDim, String name) {
    super(name);
    if (projectionDim <= 0) {
      throw new IllegalArgumentException("LayerScale '" + name() + "': `projection_dim` must be positive. Received: "
          + "projection_dim=" + projectionDim);
    }
    this.initValues = initValues;
    this.projectionDim = projectionDim;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long last = inputShape.get(inputShape.numDimensions() - 1);
    if (last != projectionDim) {
      throw new IllegalArgumentException("Layer '" + name() + "' scales " + projectionDim + " channels, but received "
          + "input with shape " + format(inputShape));
    }
    return inputShape;
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    gamma = addWeight("gamma", Shape.of(projectionDim), new Constant(initValues), true);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return tf.math.mul(inputs, gamma.value());
  }

  /** The scale variable, after build. */
  GraphVariable gamma() {
    return gamma;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("init_values", initValues);
    c.put("projection_dim", projectionDim);
    return c;
  }
}
