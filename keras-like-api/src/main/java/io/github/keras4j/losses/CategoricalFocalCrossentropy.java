package io.github.keras4j.losses;

import io.github.keras4j.graph.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Computes the alpha-balanced focal cross-entropy between one-hot labels and predictions (Lin et al., 2018): a
 * categorical cross-entropy whose terms are scaled down where the predicted probability is already high.
 *
 * <p>Formula, per sample (the classes lie on {@code axis}), as Keras 3's {@code categorical_focal_crossentropy}:
 *
 * <pre>
 * y    = y_true * (1 - labelSmoothing) + labelSmoothing / numClasses
 * p    = softmax(y_pred, axis) if fromLogits else y_pred
 * q    = clip(p / sum(p, axis), eps, 1 - eps)
 * loss = sum(alpha * (1 - q)^gamma * (-y * log(q)), axis)
 * </pre>
 *
 * with {@code eps = }{@link LossUtils#EPSILON}. {@code alpha} is one number or one weight per class (Keras's list
 * form, e.g. inverse class frequencies). Unlike {@link CategoricalCrossentropy}, Keras computes this loss from the
 * clipped probabilities even when {@code fromLogits}, and does not look through a {@code Softmax} op; so does this
 * class.
 *
 * <p>Defaults: {@code alpha=0.25}, {@code gamma=2.0}, {@code fromLogits=false}, {@code labelSmoothing=0},
 * {@code axis=-1}, {@code name="categorical_focal_crossentropy"}. Ids in {@link Losses#get}:
 * {@code categorical_focal_crossentropy}, {@code CategoricalFocalCrossentropy}. Java differs from Keras in refusing a
 * negative {@code gamma} or {@code alpha}; a per-class {@code alpha} is laid along {@code axis} (Keras broadcasts it
 * against the last axis, which is the same for the default {@code axis=-1}).
 *
 * <p>Example (Keras 3's docstring, checked in {@code CategoricalFocalCrossentropyLossTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1, 0], [0, 0, 1]], y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
 * new CategoricalFocalCrossentropy().compute(tf, yTrue, yPred, null);      // 0.23315276
 * new CategoricalFocalCrossentropy().compute(tf, yTrue, yPred, weights);   // 0.1632 with sample weights [0.3, 0.7]
 * }</pre>
 */
public class CategoricalFocalCrossentropy extends LabelSmoothingCrossentropy {

  private final float[] alpha;
  private final boolean alphaPerClass;
  private final float gamma;
  private final int axis;

  /** A categorical focal cross-entropy on probabilities with Keras's defaults. */
  public CategoricalFocalCrossentropy() {
    this(false);
  }

  /** A categorical focal cross-entropy with Keras's defaults, on logits when {@code fromLogits}. */
  public CategoricalFocalCrossentropy(boolean fromLogits) {
    this(0.25f, 2.0f, fromLogits, 0f, -1, "categorical_focal_crossentropy");
  }

  /**
   * A categorical focal cross-entropy with one {@code alpha} for every class.
   *
   * @param alpha the weight of every class, at least 0
   * @param gamma the focusing parameter, at least 0 (0 gives {@code alpha} times the cross-entropy)
   * @param fromLogits whether {@code y_pred} holds logits rather than probabilities
   * @param labelSmoothing in {@code [0, 1]}
   * @param axis the class axis
   * @param name the loss's name
   * @throws IllegalArgumentException for an argument out of range
   */
  public CategoricalFocalCrossentropy(
      float alpha, float gamma, boolean fromLogits, float labelSmoothing, int axis, String name) {
    this(new float[] {alpha}, false, gamma, fromLogits, labelSmoothing, axis, name);
  }

  /**
   * A categorical focal cross-entropy with one {@code alpha} per class.
   *
   * @param alpha the weight of each class, at least 0, as many as the classes
   * @param gamma the focusing parameter, at least 0
   * @param fromLogits whether {@code y_pred} holds logits rather than probabilities
   * @param labelSmoothing in {@code [0, 1]}
   * @param axis the class axis
   * @param name the loss's name
   * @throws IllegalArgumentException for an argument out of range
   */
  public CategoricalFocalCrossentropy(
      float[] alpha, float gamma, boolean fromLogits, float labelSmoothing, int axis, String name) {
    this(alpha, true, gamma, fromLogits, labelSmoothing, axis, name);
  }

  private CategoricalFocalCrossentropy(float[] alpha, boolean alphaPerClass, float gamma, boolean fromLogits,
      float labelSmoothing, int axis, String name) {
    super(fromLogits, labelSmoothing, name);
    if (alpha == null || alpha.length == 0) {
      throw new IllegalArgumentException("Argument `alpha` of CategoricalFocalCrossentropy must hold one weight "
          + "per class. Received: alpha=" + Arrays.toString(alpha));
    }
    for (float a : alpha) {
      if (!(a >= 0) || Float.isInfinite(a)) {
        throw new IllegalArgumentException("Argument `alpha` of CategoricalFocalCrossentropy must be finite and "
            + ">= 0. Received: alpha=" + (alphaPerClass ? Arrays.toString(alpha) : Float.toString(a)));
      }
    }
    this.alpha = alpha.clone();
    this.alphaPerClass = alphaPerClass;
    this.gamma = BinaryFocalCrossentropy.checkGamma("CategoricalFocalCrossentropy", gamma);
    this.axis = axis;
  }

  /** A builder starting from Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The class weights: one number for all classes, or one per class (see {@link #alphaPerClass()}). */
  public float[] alpha() {
    return alpha.clone();
  }

  /** Whether {@link #alpha()} holds one weight per class rather than one for all. */
  public boolean alphaPerClass() {
    return alphaPerClass;
  }

  /** The focusing parameter. */
  public float gamma() {
    return gamma;
  }

  /** The class axis. */
  public int axis() {
    return axis;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    yTrue = same.x1();
    yPred = same.x2();
    LossUtils.checkSameShape(name(), yTrue, yPred, ". For integer labels use SparseCategoricalCrossentropy.");
    LossUtils.checkAxis(name(), axis, yPred);
    Operand<TFloat32> y = smoothCategorical(tf, yTrue, yPred, axis);
    Operand<TFloat32> p = fromLogits ? LossUtils.softmax(tf, yPred, axis) : yPred;
    Operand<TFloat32> normalised = tf.math.div(p, tf.reduceSum(p, tf.constant(axis), ReduceSum.keepDims(true)));
    Operand<TFloat32> q =
        tf.clipByValue(normalised, tf.constant(LossUtils.EPSILON), tf.constant(1f - LossUtils.EPSILON));
    Operand<TFloat32> crossEntropy = tf.math.neg(tf.math.mul(y, tf.math.log(q)));
    Operand<TFloat32> modulating = BinaryFocalCrossentropy.focalFactor(tf, tf.math.sub(tf.constant(1f), q), gamma);
    Operand<TFloat32> weighted = tf.math.mul(tf.math.mul(modulating, alphaAlong(tf, yPred)), crossEntropy);
    return tf.reduceSum(weighted, tf.constant(axis));
  }

  /** {@code alpha} as a scalar, or per class with size-1 axes after {@code axis} so it lies along the classes. */
  private Operand<TFloat32> alphaAlong(Ops tf, Operand<TFloat32> yPred) {
    if (!alphaPerClass) {
      return tf.constant(alpha[0]);
    }
    int rank = LossUtils.rank(yPred);
    if (rank < 0) {
      if (axis != -1) {
        throw new IllegalArgumentException("Loss '" + name() + "' needs y_pred of known rank to lay its per-class "
            + "`alpha` along axis " + axis + ". Received: y_pred.shape=" + Shapes.format(yPred.shape()));
      }
      return tf.constant(alpha);
    }
    int classAxis = Math.floorMod(axis, rank);
    long classes = yPred.shape().get(classAxis);
    if (classes >= 0 && classes != alpha.length) {
      throw new IllegalArgumentException("Argument `alpha` of loss '" + name() + "' holds " + alpha.length
          + " weights but y_pred of shape " + Shapes.format(yPred.shape()) + " has " + classes + " classes on axis "
          + axis + ". Received: alpha=" + Arrays.toString(alpha));
    }
    int[] shape = new int[rank - classAxis];
    Arrays.fill(shape, 1);
    shape[0] = alpha.length;
    return tf.reshape(tf.constant(alpha), tf.constant(shape));
  }

  /**
   * Keras's config keys: name, from_logits, label_smoothing, axis, alpha (a number, or a list of numbers when per
   * class), gamma.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", axis);
    if (alphaPerClass) {
      List<Float> list = new ArrayList<>();
      for (float a : alpha) {
        list.add(a);
      }
      config.put("alpha", list);
    } else {
      config.put("alpha", alpha[0]);
    }
    config.put("gamma", gamma);
    return config;
  }

  /**
   * The loss a config describes, as Keras's {@code from_config}: missing keys take Keras's defaults; {@code alpha}
   * may be a number or a list.
   *
   * @throws IllegalArgumentException for a bad entry or a reduction other than {@code "sum_over_batch_size"}
   */
  public static CategoricalFocalCrossentropy fromConfig(Map<String, Object> config) {
    LossConfig c = new LossConfig("CategoricalFocalCrossentropy", config);
    float[] alpha = c.getFloatsOrNull("alpha");
    boolean perClass = c.get("alpha") instanceof List;
    return new CategoricalFocalCrossentropy(alpha == null ? new float[] {0.25f} : alpha, perClass,
        c.getFloat("gamma", 2.0f), c.getBoolean("from_logits", false), c.getFloat("label_smoothing", 0f),
        c.getInt("axis", -1), c.name("categorical_focal_crossentropy"));
  }

  /** Builds a {@link CategoricalFocalCrossentropy}; every setting starts at Keras's default. */
  public static final class Builder extends FocalCrossentropyBuilder<Builder> {
    private float[] alpha = {0.25f};
    private boolean alphaPerClass;

    private Builder() {
      super("categorical_focal_crossentropy");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** One weight for every class, at least 0; default 0.25. */
    public Builder alpha(float alpha) {
      this.alpha = new float[] {alpha};
      this.alphaPerClass = false;
      return this;
    }

    /** One weight per class, each at least 0 (Keras's list form). */
    public Builder alpha(float[] perClass) {
      this.alpha = perClass == null ? null : perClass.clone();
      this.alphaPerClass = true;
      return this;
    }

    /**
     * The loss.
     *
     * @throws IllegalArgumentException for an argument out of range
     */
    public CategoricalFocalCrossentropy build() {
      return new CategoricalFocalCrossentropy(alpha, alphaPerClass, gamma, fromLogits, labelSmoothing, axis, name);
    }
  }
}
