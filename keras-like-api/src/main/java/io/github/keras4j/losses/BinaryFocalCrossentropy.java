package io.github.keras4j.losses;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the focal cross-entropy loss between true labels (0 or 1) and predictions (Lin et al., 2018): a binary
 * cross-entropy whose elements are scaled down where the prediction is already good, so training focuses on the
 * hard examples.
 *
 * <p>Formula, element-wise then averaged over {@code axis}, as Keras 3's {@code binary_focal_crossentropy}:
 *
 * <pre>
 * y     = y_true * (1 - labelSmoothing) + 0.5 * labelSmoothing
 * p     = sigmoid(y_pred) if fromLogits else y_pred
 * p_t   = y * p + (1 - y) * (1 - p)
 * focal = (1 - p_t)^gamma * bce(y, p)
 *         * (y * alpha + (1 - y) * (1 - alpha))      only when applyClassBalancing
 * loss  = mean(focal, axis)
 * </pre>
 *
 * where {@code bce} is the element-wise binary cross-entropy of {@link BinaryCrossentropy} (clipped
 * probabilities, or the stable logits form when {@code fromLogits} or when {@code y_pred} is the output of a
 * {@code Sigmoid} op, as in Keras's TensorFlow backend). {@code p_t} uses {@code p} unclipped. With
 * {@code gamma=0} and no class balancing this is {@link BinaryCrossentropy}.
 *
 * <p>{@code y_true} and {@code y_pred} must have the same shape once Keras's
 * {@code squeeze_or_expand_to_same_rank} has run (so labels {@code (batch,)} go with predictions {@code (batch, 1)}).
 *
 * <p>Defaults: {@code applyClassBalancing=false}, {@code alpha=0.25}, {@code gamma=2.0}, {@code fromLogits=false},
 * {@code labelSmoothing=0}, {@code axis=-1}, {@code name="binary_focal_crossentropy"}. Ids in {@link Losses#get}:
 * {@code binary_focal_crossentropy}, {@code BinaryFocalCrossentropy}. Java differs from Keras in refusing a
 * negative {@code gamma} and an {@code alpha} outside {@code [0, 1]} (Keras accepts them silently).
 *
 * <p>Example (Keras 3's docstring, checked in {@code BinaryFocalCrossentropyLossTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1], [0, 0]], y_pred = [[-18.6, 0.51], [2.94, -12.8]] (logits)
 * BinaryFocalCrossentropy.builder().gamma(3).fromLogits(true).build().compute(tf, yTrue, yPred, null);  // 0.647
 * BinaryFocalCrossentropy.builder().gamma(3).fromLogits(true).applyClassBalancing(true).build()
 *     .compute(tf, yTrue, yPred, null);                                                                 // 0.482
 * }</pre>
 */
public class BinaryFocalCrossentropy extends LabelSmoothingCrossentropy {

  private final boolean applyClassBalancing;
  private final float alpha;
  private final float gamma;
  private final int axis;

  /** A binary focal cross-entropy on probabilities with Keras's defaults. */
  public BinaryFocalCrossentropy() {
    this(false);
  }

  /** A binary focal cross-entropy with Keras's defaults, on logits when {@code fromLogits}. */
  public BinaryFocalCrossentropy(boolean fromLogits) {
    this(false, 0.25f, 2.0f, fromLogits, 0f, -1, "binary_focal_crossentropy");
  }

  /**
   * A binary focal cross-entropy.
   *
   * @param applyClassBalancing whether to weight class 1 by {@code alpha} and class 0 by {@code 1 - alpha}
   * @param alpha the weight of class 1 when balancing, in {@code [0, 1]}
   * @param gamma the focusing parameter, at least 0 (0 gives the plain cross-entropy)
   * @param fromLogits whether {@code y_pred} holds logits rather than probabilities
   * @param labelSmoothing in {@code [0, 1]}; labels are squeezed towards 0.5
   * @param axis the axis the elements are averaged over
   * @param name the loss's name
   * @throws IllegalArgumentException for an argument out of range
   */
  public BinaryFocalCrossentropy(boolean applyClassBalancing, float alpha, float gamma, boolean fromLogits,
      float labelSmoothing, int axis, String name) {
    super(fromLogits, labelSmoothing, name);
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException(
          "Argument `alpha` of BinaryFocalCrossentropy must be in [0, 1]. Received: alpha=" + alpha);
    }
    this.applyClassBalancing = applyClassBalancing;
    this.alpha = alpha;
    this.gamma = checkGamma("BinaryFocalCrossentropy", gamma);
    this.axis = axis;
  }

  /** A builder starting from Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether classes 1 and 0 are weighted by {@code alpha} and {@code 1 - alpha}. */
  public boolean applyClassBalancing() {
    return applyClassBalancing;
  }

  /** The weight of class 1 when balancing. */
  public float alpha() {
    return alpha;
  }

  /** The focusing parameter. */
  public float gamma() {
    return gamma;
  }

  /** The axis the elements are averaged over. */
  public int axis() {
    return axis;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, yTrue, yPred);
    LossUtils.checkSameShape(name(), same.x1(), same.x2(), "");
    LossUtils.checkAxis(name(), axis, same.x2());
    Operand<TFloat32> y = smoothBinary(tf, same.x1());
    Operand<TFloat32> p = fromLogits ? tf.math.sigmoid(same.x2()) : same.x2();
    // With fromLogits, p is a Sigmoid op's output: the cross-entropy reads the logits behind it, as Keras's TF backend.
    Operand<TFloat32> bce = BinaryCrossentropy.elements(tf, y, p, false);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> pT = tf.math.add(tf.math.mul(y, p), tf.math.mul(tf.math.sub(one, y), tf.math.sub(one, p)));
    Operand<TFloat32> focal = tf.math.mul(focalFactor(tf, tf.math.sub(one, pT), gamma), bce);
    if (applyClassBalancing) {
      Operand<TFloat32> weight =
          tf.math.add(tf.math.mul(y, tf.constant(alpha)), tf.math.mul(tf.math.sub(one, y), tf.constant(1f - alpha)));
      focal = tf.math.mul(weight, focal);
    }
    return tf.math.mean(focal, tf.constant(axis));
  }

  /**
   * {@code base^gamma}; for {@code gamma=0} the constant 1, which keeps the gradient finite where {@code base} is 0
   * (TensorFlow's {@code Pow} gradient {@code gamma * base^(gamma - 1)} would be {@code 0 * inf}).
   */
  static Operand<TFloat32> focalFactor(Ops tf, Operand<TFloat32> base, float gamma) {
    if (gamma == 0) {
      return tf.onesLike(base);
    }
    return tf.math.pow(base, tf.constant(gamma));
  }

  /** Refuses a negative or NaN {@code gamma}, naming the loss. */
  static float checkGamma(String loss, float gamma) {
    if (!(gamma >= 0) || Float.isInfinite(gamma)) {
      throw new IllegalArgumentException(
          "Argument `gamma` of " + loss + " must be a finite number >= 0. Received: gamma=" + gamma);
    }
    return gamma;
  }

  /** Keras's config keys: name, from_logits, label_smoothing, axis, apply_class_balancing, alpha, gamma. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("axis", axis);
    config.put("apply_class_balancing", applyClassBalancing);
    config.put("alpha", alpha);
    config.put("gamma", gamma);
    return config;
  }

  /**
   * The loss a config describes, as Keras's {@code from_config}: missing keys take Keras's defaults.
   *
   * @throws IllegalArgumentException for a bad entry or a reduction other than {@code "sum_over_batch_size"}
   */
  public static BinaryFocalCrossentropy fromConfig(Map<String, Object> config) {
    LossConfig c = new LossConfig("BinaryFocalCrossentropy", config);
    return new BinaryFocalCrossentropy(c.getBoolean("apply_class_balancing", false), c.getFloat("alpha", 0.25f),
        c.getFloat("gamma", 2.0f), c.getBoolean("from_logits", false), c.getFloat("label_smoothing", 0f),
        c.getInt("axis", -1), c.name("binary_focal_crossentropy"));
  }

  /** Builds a {@link BinaryFocalCrossentropy}; every setting starts at Keras's default. */
  public static final class Builder extends FocalCrossentropyBuilder<Builder> {
    private boolean applyClassBalancing;
    private float alpha = 0.25f;

    private Builder() {
      super("binary_focal_crossentropy");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** Whether to weight class 1 by {@code alpha} and class 0 by {@code 1 - alpha}; default false. */
    public Builder applyClassBalancing(boolean applyClassBalancing) {
      this.applyClassBalancing = applyClassBalancing;
      return this;
    }

    /** The weight of class 1 when balancing, in {@code [0, 1]}; default 0.25. */
    public Builder alpha(float alpha) {
      this.alpha = alpha;
      return this;
    }

    /**
     * The loss.
     *
     * @throws IllegalArgumentException for an argument out of range
     */
    public BinaryFocalCrossentropy build() {
      return new BinaryFocalCrossentropy(applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing, axis, name);
    }
  }
}
