package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.Layer;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A preprocessing layer that hashes integer features into {@code numBins} bins, as Keras 3's
 * {@code keras.layers.Hashing} on its TensorFlow backend: each value is cast to int64, written as its decimal string
 * ({@code AsString}) and hashed with FarmHash's {@code Fingerprint64} modulo the bins
 * ({@code StringToHashBucketFast}), or, with a {@code salt}, with SipHash keyed by it
 * ({@code StringToHashBucketStrong}). These are the ops Keras calls, so the bins are Keras's. The same in training
 * and inference.
 *
 * <p>With a {@code maskValue}, inputs equal to it go to bin 0 and the others to bins {@code 1..numBins-1}. Output
 * modes as {@link CategoryEncoding}: {@code "int"} (default) the bin, {@code "one_hot"}, {@code "multi_hot"},
 * {@code "count"}.
 *
 * <p>Differences from Keras: inputs are float32 holding whole numbers (Keras4J models are float32), truncated to int64
 * as Keras truncates floats; Keras also hashes strings, which Keras4J models cannot take. The output is float32 (Keras:
 * int64 for {@code "int"}). No {@code sparse} output; {@code "multi_hot"} and {@code "count"} take rank-2 inputs only.
 * The output has no gradient: the layer stops gradients at its input.
 *
 * <pre>{@code
 * new Hashing(3);                                      // FarmHash64 of "12", "1138", ... modulo 3
 * Hashing.builder(5).maskValue(0).salt(133).build();   // 0 -> bin 0, the rest SipHash64 into bins 1..4
 * }</pre>
 */
public class Hashing extends Layer {

  /** The output modes Keras accepts. */
  public static final List<String> OUTPUT_MODES = List.of("int", "one_hot", "multi_hot", "count");

  private final int numBins;
  private final Double maskValue;
  private final long[] salt;
  private final String outputMode;
  private Shape inputShape;

  /** FarmHash64 into {@code numBins} bins, no mask, {@code "int"} output. */
  public Hashing(int numBins) {
    this(builder(numBins));
  }

  private Hashing(Builder b) {
    super(b.name);
    this.outputMode = CategoricalEncoding.outputMode(describe(), b.outputMode, OUTPUT_MODES);
    if (b.numBins <= 0) {
      throw new IllegalArgumentException(describe() + ": the `num_bins` for `Hashing` cannot be `None` or "
          + "non-positive values. Received: num_bins=" + b.numBins);
    }
    if (b.salt != null && b.salt.length != 2) {
      throw new IllegalArgumentException(describe() + ": the `salt` argument for `Hashing` can only be a tuple of "
          + "size 2 integers, or a single integer. Received: salt=" + java.util.Arrays.toString(b.salt));
    }
    this.numBins = b.numBins;
    this.maskValue = b.maskValue;
    this.salt = b.salt == null ? null : b.salt.clone();
  }

  /** A builder for {@code numBins} bins (mask included), with Keras's defaults for the rest. */
  public static Builder builder(int numBins) {
    return new Builder(numBins);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return CategoricalEncoding.outputShape(describe(), outputMode, inputShape, numBins);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    this.inputShape = inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> x = tf.stopGradient(inputs);
    long bins = numBins;
    Operand<TBool> mask = null;
    if (maskValue != null && bins > 1) {
      bins -= 1;
      mask = tf.math.equal(x, tf.constant(maskValue.floatValue()));
    }
    Operand<TString> text = tf.dtypes.asString(tf.dtypes.cast(x, TInt64.class));
    Operand<TInt64> hashed = salt != null
        ? tf.strings.toHashBucketStrong(text, bins, List.of(salt[0], salt[1]))
        : tf.strings.toHashBucketFast(text, bins);
    if (mask != null) {
      hashed = tf.select(mask, tf.zerosLike(hashed), tf.math.add(hashed, tf.constant(1L)));
    }
    if (outputMode.equals("int")) {
      return tf.dtypes.cast(hashed, TFloat32.class);
    }
    Operand<TInt32> ids = tf.dtypes.cast(hashed, TInt32.class);
    return CategoricalEncoding.encode(tf, ids, outputMode, numBins, inputShape);
  }

  /** The number of bins, the mask's included. */
  public int numBins() {
    return numBins;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("num_bins", numBins);
    c.put("salt", salt == null ? null : List.of(salt[0], salt[1]));
    c.put("mask_value", maskValue);
    c.put("output_mode", outputMode);
    c.put("sparse", false);
    return c;
  }

  /** Settings of {@link Hashing}, with Keras's defaults. */
  public static final class Builder {
    private final int numBins;
    private String name;
    private Double maskValue;
    private long[] salt;
    private String outputMode = "int";

    private Builder(int numBins) {
      this.numBins = numBins;
    }

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The value of masked inputs, hashed to bin 0; null (default) for none. */
    public Builder maskValue(Double maskValue) {
      this.maskValue = maskValue;
      return this;
    }

    /** As {@link #maskValue(Double)}. */
    public Builder maskValue(double maskValue) {
      return maskValue(Double.valueOf(maskValue));
    }

    /** SipHash64 with key {@code (salt, salt)} instead of FarmHash64. */
    public Builder salt(long salt) {
      return salt(salt, salt);
    }

    /** SipHash64 with the key pair {@code salt} (two numbers) instead of FarmHash64; null for FarmHash64. */
    public Builder salt(long... salt) {
      this.salt = salt == null ? null : salt.clone();
      return this;
    }

    /** {@code "int"} (default), {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}. */
    public Builder outputMode(String outputMode) {
      this.outputMode = outputMode;
      return this;
    }

    /** The layer. */
    public Hashing build() {
      return new Hashing(this);
    }
  }
}
