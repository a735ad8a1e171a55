package io.github.keras4j.layers.activations;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.initializers.Initializers;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.WeightSettings;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Parametric rectified linear unit layer, as Keras 3's {@code keras.layers.PReLU}: {@code f(x) = x} for
 * {@code x >= 0}, {@code alpha * x} otherwise, computed as {@code relu(x) - alpha * relu(-x)}, with a learned
 * {@code alpha} of the sample's shape ({@code inputShape[1:]}).
 *
 * <p>{@code sharedAxes} share one alpha along those axes: for feature maps {@code (batch, height, width, channels)},
 * {@code sharedAxes(1, 2)} gives one alpha per channel, of shape {@code (1, 1, channels)}. Axes count from the
 * batch axis (0), as in Keras; every non-shared sample axis must have a known size.
 *
 * <p>Defaults as Keras: {@code alphaInitializer="zeros"} (so the layer starts as a ReLU), no regularizer or
 * constraint.
 *
 * <pre>{@code
 * new PReLU();
 * PReLU.builder().sharedAxes(1, 2).alphaInitializer(new Constant(0.25)).build();
 * }</pre>
 */
public class PReLU extends Layer {

  private final WeightSettings alphaSettings;
  private final int[] sharedAxes;
  private GraphVariable alpha;

  /** Keras's defaults: alpha initialized to zeros, one alpha per input element. */
  public PReLU() {
    this(builder());
  }

  private PReLU(Builder b) {
    super(b.name);
    setSupportsMasking(true);
    for (int a : b.sharedAxes) {
      if (a < 1) {
        throw new IllegalArgumentException("PReLU: sharedAxes are sample axes counted from the batch axis (0), so "
            + "they must be >= 1. Received: shared_axes=" + Arrays.toString(b.sharedAxes));
      }
    }
    this.alphaSettings = b.alpha.resolve();
    this.sharedAxes = b.sharedAxes.clone();
  }

  /** A builder for the optional settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private boolean isShared(int axis) {
    for (int a : sharedAxes) {
      if (a == axis) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    int rank = inputShape.numDimensions();
    for (int a : sharedAxes) {
      if (a >= rank) {
        throw new IllegalArgumentException("Layer '" + name() + "': shared axis " + a + " is out of bounds for input "
            + "shape " + format(inputShape) + ". Received: shared_axes=" + Arrays.toString(sharedAxes));
      }
    }
    for (int i = 1; i < rank; i++) {
      if (!isShared(i) && inputShape.get(i) < 0) {
        throw new IllegalArgumentException("Layer '" + name() + "': axis " + i + " of the input must have a known "
            + "size to create alpha (or be listed in sharedAxes). Received input shape " + format(inputShape));
      }
    }
    return inputShape;
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    int rank = inputShape.numDimensions();
    long[] paramShape = new long[rank - 1];
    Map<Integer, Long> axes = new HashMap<>();
    for (int i = 1; i < rank; i++) {
      paramShape[i - 1] = isShared(i) ? 1 : inputShape.get(i);
      if (!isShared(i)) {
        axes.put(i, inputShape.get(i));
      }
    }
    alpha = addWeight("alpha", Shape.of(paramShape), alphaSettings);
    setInputSpec(new InputSpec(null, rank, axes));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> positive = tf.nn.relu(inputs);
    Operand<TFloat32> negative = tf.math.mul(tf.math.neg(alpha.value()), tf.nn.relu(tf.math.neg(inputs)));
    return tf.math.add(positive, negative);
  }

  /** The alpha weight, after build. */
  public GraphVariable alpha() {
    return alpha;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    alphaSettings.putConfig(c);
    c.put("shared_axes", sharedAxes.length == 0 ? null : Arrays.stream(sharedAxes).boxed().toList());
    return c;
  }

  /** Optional settings of {@link PReLU}, with Keras's defaults. String ids are resolved at once. */
  public static final class Builder {
    private String name;
    private final WeightSettings.Spec alpha = new WeightSettings.Spec("alpha", "zeros");
    private int[] sharedAxes = {};

    private Builder() {}

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Initializer of alpha by id; default {@code "zeros"}. */
    public Builder alphaInitializer(String id) {
      return alphaInitializer(Initializers.get(id));
    }

    /** Initializer of alpha. */
    public Builder alphaInitializer(Initializer initializer) {
      alpha.initializer(initializer);
      return this;
    }

    /** Regularizer of alpha by id ({@code "l2"}); null for none. */
    public Builder alphaRegularizer(String id) {
      return alphaRegularizer(Regularizers.get(id));
    }

    /** Regularizer of alpha; null for none. */
    public Builder alphaRegularizer(Regularizer regularizer) {
      alpha.regularizer(regularizer);
      return this;
    }

    /** Constraint of alpha by id ({@code "non_neg"}); null for none. */
    public Builder alphaConstraint(String id) {
      return alphaConstraint(Constraints.get(id));
    }

    /** Constraint of alpha; null for none. */
    public Builder alphaConstraint(Constraint constraint) {
      alpha.constraint(constraint);
      return this;
    }

    /** Sample axes (counted from the batch axis 0) along which alpha is shared; default none. */
    public Builder sharedAxes(int... sharedAxes) {
      this.sharedAxes = sharedAxes.clone();
      return this;
    }

    /** The layer. */
    public PReLU build() {
      return new PReLU(this);
    }
  }
}
