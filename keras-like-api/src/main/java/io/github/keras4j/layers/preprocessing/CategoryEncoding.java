package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.layers.Layer;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that encodes integer features, as Keras 3's {@code keras.layers.CategoryEncoding}: indices in
 * {@code [0, numTokens)} become vectors of {@code numTokens} slots. The same in training and inference.
 *
 * <p>{@code outputMode}:
 * <ul>
 *   <li>{@code "multi_hot"} (default): one vector per sample {@code (batch, n) -> (batch, numTokens)}, with a 1 in
 *       the slot of every index present ({@code [[0, 1], [1, 2]] -> [[1, 1, 0, 0], [0, 1, 1, 0]]});
 *   <li>{@code "count"}: as {@code multi_hot}, counting how often each index appears;
 *   <li>{@code "one_hot"}: one vector per value; a last axis of size 1 is replaced ({@code (batch, 1)} and
 *       {@code (batch,)} give {@code (batch, numTokens)}), any other gets one appended.
 * </ul>
 *
 * <p>Inputs are float32 tensors holding whole numbers (Keras4J models are float32): values are truncated toward zero
 * to integers, as a cast would. Values outside {@code [0, numTokens)} encode as zeros (dropped), as Keras 3's
 * TensorFlow backend does (its one-hot and bincount ops ignore them; Keras 2 raised an error). The output has no
 * gradient: the layer stops gradients at its input.
 *
 * <p>Differences from Keras: no {@code sparse} output (a {@code SparseTensor} in Keras); no {@code count_weights} call
 * argument; {@code "multi_hot"} and {@code "count"} take inputs of rank 2 only (Keras documents "output up to rank 2";
 * it treats a rank-1 input as one sample, which would drop the batch axis of a Keras4J model).
 *
 * <pre>{@code
 * new CategoryEncoding(4);                 // multi_hot: [[0, 1], [3, 1]] -> [[1, 1, 0, 0], [0, 1, 0, 1]]
 * new CategoryEncoding(4, "one_hot");      // [3, 2, 0, 1] -> rows of the 4x4 identity, permuted
 * }</pre>
 */
public class CategoryEncoding extends Layer {

  /** The output modes Keras accepts ({@code "binary"}, Keras's old name of {@code "multi_hot"}, is read as it). */
  public static final List<String> OUTPUT_MODES = List.of("multi_hot", "one_hot", "count");

  private final int numTokens;
  private final String outputMode;
  private Shape inputShape;

  /** Multi-hot encoding of {@code numTokens} slots. */
  public CategoryEncoding(int numTokens) {
    this(numTokens, "multi_hot", null);
  }

  /** {@code numTokens} slots in {@code outputMode}. */
  public CategoryEncoding(int numTokens, String outputMode) {
    this(numTokens, outputMode, null);
  }

  /**
   * @param numTokens the number of slots: every index must be in {@code [0, numTokens)}; at least 1
   * @param outputMode {@code "multi_hot"}, {@code "one_hot"} or {@code "count"} ({@code "binary"} is read as
   *     {@code "multi_hot"}, as Keras does)
   * @param name the layer's name, or null for a generated one
   */
  public CategoryEncoding(int numTokens, String outputMode, String name) {
    super(name);
    this.outputMode = CategoricalEncoding.outputMode(describe(),
        "binary".equals(outputMode) ? "multi_hot" : outputMode, OUTPUT_MODES);
    if (numTokens < 1) {
      throw new IllegalArgumentException(describe() + ": `num_tokens` must be >= 1. Received: num_tokens="
          + numTokens);
    }
    this.numTokens = numTokens;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return CategoricalEncoding.outputShape(describe(), outputMode, inputShape, numTokens);
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    this.inputShape = inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TInt32> ids = tf.dtypes.cast(tf.stopGradient(inputs), TInt32.class);
    return CategoricalEncoding.encode(tf, ids, outputMode, numTokens, inputShape);
  }

  /** The number of slots. */
  public int numTokens() {
    return numTokens;
  }

  /** The output mode. */
  public String outputMode() {
    return outputMode;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("num_tokens", numTokens);
    c.put("output_mode", outputMode);
    c.put("sparse", false);
    return c;
  }
}
