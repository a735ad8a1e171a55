package io.github.keras4j.layers.preprocessing;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MixUp augmentation (Zhang et al. 2017), as Keras 3's {@code keras.layers.MixUp}: in training, each image becomes
 * {@code w * x + (1 - w) * x[partner]}, with {@code w} drawn per image from {@code Beta(alpha, alpha)} and the
 * partners a random permutation of the batch; the identity in inference.
 *
 * <p>As Keras's code: the permutation is the order that sorts uniform draws ({@code random.shuffle}); {@code w} is
 * {@code ga / (ga + gb)} with {@code ga, gb} two Gamma(alpha) draws ({@code random.beta}). The transformation
 * ({@link #getRandomTransformation}) is {@code (batch, 2)}: {@code [w, partner]}, the partner's batch index as a
 * float.
 *
 * <p><b>Labels.</b> A Keras4J layer maps one tensor, so as a layer in a model (and in {@code fit}) this layer mixes
 * the images only, as Keras's MixUp does when called on an image tensor; the labels pass unchanged. To mix the labels
 * with the same draws, as Keras does when called on {@code {"images": ..., "labels": ...}}, draw one transformation and
 * apply it to both, for example in a custom train step or a preprocessing graph:
 * <pre>{@code
 * Operand<TFloat32> t = mixUp.getRandomTransformation(tf, images);
 * Operand<TFloat32> mixedImages = mixUp.transformImages(tf, images, t);
 * Operand<TFloat32> mixedLabels = mixUp.transformLabels(tf, oneHotLabels, t);  // w * y + (1 - w) * y[partner]
 * }</pre>
 *
 * <p>In training, gradients flow to the layer's input through both terms (to {@code x} with weight {@code w} and,
 * through the permutation, to the partner with weight {@code 1 - w}), so it may sit after trainable layers.
 *
 * <p>Differences from Keras: {@code alpha} must be positive (Keras does not check; 0 makes its weights NaN); where
 * both Gamma draws underflow to 0 in float32 (possible for very small alpha) the weight is 1 instead of NaN.
 *
 * <pre>{@code
 * new MixUp();                      // alpha 0.2
 * MixUp.builder().alpha(0.4).seed(3).build();
 * }</pre>
 */
public class MixUp extends BaseImagePreprocessingLayer {

  private final double alpha;

  /** Keras's default: {@code alpha = 0.2}. */
  public MixUp() {
    this(builder());
  }

  /** MixUp with the Beta distribution's parameter {@code alpha}. */
  public MixUp(double alpha) {
    this(builder().alpha(alpha));
  }

  private MixUp(Builder b) {
    super(b.seed, b.name);
    if (!(b.alpha > 0) || Double.isInfinite(b.alpha)) {
      throw new IllegalArgumentException(describe() + ": the `alpha` argument should be a positive number. Received: "
          + "alpha=" + b.alpha);
    }
    this.alpha = b.alpha;
  }

  /** A builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code (batch, 2)}: {@code [w, partner]}; the permutation is drawn first, as in Keras. */
  @Override
  public Operand<TFloat32> getRandomTransformation(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> partner = Mixing.permutation(tf, images, seed(), 0);
    Operand<TFloat32> w = Mixing.beta(tf, ImageTransforms.batchShape(tf, images, 1), tf.constant((float) alpha),
        seed(), 1);
    return tf.concat(List.of(w, partner), tf.constant(1));
  }

  /** {@code w * x + (1 - w) * x[partner]} per image. */
  @Override
  public Operand<TFloat32> transformImages(Ops tf, Operand<TFloat32> images, Operand<TFloat32> transformation) {
    return Mixing.mix(tf, images, transformation, describe());
  }

  /**
   * The labels mixed with the same draws as the images, as Keras's {@code transform_labels}:
   * {@code w * y + (1 - w) * y[partner]}, {@code w} broadcast over the trailing axes.
   *
   * @param labels {@code (batch, ...)}, usually one-hot {@code (batch, classes)}
   * @param transformation from {@link #getRandomTransformation} for the images of the same batch
   */
  public Operand<TFloat32> transformLabels(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> transformation) {
    return Mixing.mix(tf, labels, transformation, describe());
  }

  /** The Beta distribution's parameter. */
  public double alpha() {
    return alpha;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("alpha", alpha);
    return c;
  }

  /** Optional settings of {@link MixUp}, with Keras's defaults. */
  public static final class Builder extends RandomLayerBuilder<Builder> {
    private double alpha = 0.2;

    private Builder() {}

    /** The Beta distribution's parameter, positive; default 0.2. */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The layer. */
    public MixUp build() {
      return new MixUp(this);
    }
  }
}
