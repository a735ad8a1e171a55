package io.github.keras4j.layers.convolutional;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Argument checks and output-size formulas shared by the convolution and pooling layers: Keras's
 * {@code standardize_tuple} and {@code standardize_padding} ({@code keras/src/utils/argument_validation.py}),
 * and the per-axis sizes of {@code compute_conv_output_shape}, {@code compute_pooling_output_shape}
 * ({@code keras/src/ops/operation_utils.py}) and {@code compute_conv_transpose_output_shape}
 * ({@code keras/src/backend/common/backend_utils.py}).
 *
 * <p>Sizes are {@code long}s with -1 for an unknown size, which every formula passes through unchanged.
 */
public final class ConvUtils {

  private ConvUtils() {}

  /**
   * Expands {@code value} to {@code n} integers, as Keras's {@code standardize_tuple}: one value is repeated,
   * {@code n} values are taken as they are.
   *
   * @param owner who is asking, for the message ({@code "Layer 'conv2d'"})
   * @param argName Keras's name of the argument ({@code "kernel_size"})
   * @param allowZero whether 0 is accepted (otherwise values must be positive)
   * @throws IllegalArgumentException for a null or empty value, a wrong count or a value out of range
   */
  public static int[] standardizeTuple(String owner, int[] value, int n, String argName, boolean allowZero) {
    String expected = owner + ": the `" + argName + "` argument must be an integer or a tuple of " + n
        + " integers";
    if (value == null || (value.length != 1 && value.length != n)) {
      throw new IllegalArgumentException(expected + ". Received: " + argName + "="
          + (value == null ? "null" : formatTuple(value)));
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = value.length == 1 ? value[0] : value[i];
      if (out[i] < 0 || (!allowZero && out[i] == 0)) {
        throw new IllegalArgumentException(expected + (allowZero ? " >= 0" : " > 0") + ". Received: " + argName + "="
            + (value.length == 1 ? Integer.toString(value[0]) : formatTuple(value)));
      }
    }
    return out;
  }

  /**
   * Lower-cases and checks a padding mode: {@code "valid"} or {@code "same"}, and {@code "causal"} when
   * {@code allowCausal}.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static String standardizePadding(String owner, String padding, boolean allowCausal) {
    String p = padding == null ? null : padding.toLowerCase(Locale.ROOT);
    if (!"valid".equals(p) && !"same".equals(p) && !(allowCausal && "causal".equals(p))) {
      throw new IllegalArgumentException(owner + ": the `padding` argument must be one of "
          + (allowCausal ? "'valid', 'same' or 'causal'" : "'valid' or 'same'") + ". Received: padding="
          + (padding == null ? "null" : "'" + padding + "'"));
    }
    return p;
  }

  /**
   * One spatial size of a convolution's output: {@code floor((n - d (k - 1) - 1) / s) + 1} for
   * {@code "valid"}, {@code floor((n - 1) / s) + 1} for {@code "same"} and {@code "causal"}; -1 stays -1.
   */
  public static long convOutputLength(long n, int kernel, int stride, int dilation, String padding) {
    if (n < 0) {
      return n;
    }
    if ("valid".equals(padding)) {
      return Math.floorDiv(n - (long) dilation * (kernel - 1) - 1, stride) + 1;
    }
    return Math.floorDiv(n - 1, stride) + 1;
  }

  /**
   * One spatial size of a pooling output: {@code floor((n - k) / s) + 1} for {@code "valid"},
   * {@code floor((n - 1) / s) + 1} for {@code "same"}; -1 stays -1.
   */
  public static long poolOutputLength(long n, int pool, int stride, String padding) {
    if (n < 0) {
      return n;
    }
    return "valid".equals(padding) ? Math.floorDiv(n - pool, stride) + 1 : Math.floorDiv(n - 1, stride) + 1;
  }

  /**
   * One spatial size of a transposed convolution's output (Keras's {@code _get_output_shape_given_tf_padding}),
   * with {@code k' = (k - 1) d + 1}: for {@code "valid"}, {@code (n - 1) s + k' + p} where the output padding
   * {@code p} defaults to {@code max(k', s) - k'}; for {@code "same"}, {@code n s} without output padding and
   * {@code (n - 1) s + k' % 2 + p} with it. -1 stays -1.
   *
   * @param outputPadding the output padding of this axis, or null for Keras's default
   */
  public static long transposeOutputLength(long n, int kernel, int stride, int dilation, String padding,
      Integer outputPadding) {
    if (n < 0) {
      return n;
    }
    int k = (kernel - 1) * dilation + 1;
    if ("valid".equals(padding)) {
      int p = outputPadding == null ? Math.max(k, stride) - k : outputPadding;
      return (n - 1) * stride + k + p;
    }
    return outputPadding == null ? n * stride : (n - 1) * stride + k % 2 + outputPadding;
  }

  /**
   * The kernel spread by {@code dilationRate} along its leading {@code dilationRate.length} (spatial) axes, with
   * {@code d - 1} zeros between taps: a kernel of size {@code k} becomes one of size {@code (k - 1) d + 1}, and a
   * plain convolution with it is the dilated convolution (see {@link BaseConv#dilateKernel}; shared with the
   * ConvLSTM layers). Returns {@code kernel} itself when every rate is 1.
   */
  public static Operand<TFloat32> dilateKernel(Ops tf, Operand<TFloat32> kernel, int[] dilationRate) {
    Operand<TFloat32> k = kernel;
    for (int axis = 0; axis < dilationRate.length; axis++) {
      int d = dilationRate[axis];
      if (d == 1) {
        continue;
      }
      long[] dims = k.shape().asArray();
      int n = dims.length;
      // (..., k, rest...) -> (..., k, 1, rest...) -> pad to (..., k, d, rest...) -> (..., k * d, rest...)
      long[] split = new long[n + 1];
      int[][] pads = new int[n + 1][2];
      for (int i = 0, j = 0; i < n + 1; i++) {
        split[i] = i == axis + 1 ? 1 : dims[j++];
      }
      pads[axis + 1][1] = d - 1;
      long[] merged = dims.clone();
      merged[axis] = dims[axis] * d;
      int[] size = new int[n];
      for (int i = 0; i < n; i++) {
        size[i] = (int) (i == axis ? (dims[i] - 1) * d + 1 : dims[i]);
      }
      Operand<TFloat32> spread = tf.pad(tf.reshape(k, tf.constant(split)), tf.constant(pads), tf.constant(0f));
      // int32 begin/size: the gradient of an int64 Slice fails to build (Sub of int32 and int64).
      k = tf.slice(tf.reshape(spread, tf.constant(merged)), tf.constant(new int[n]), tf.constant(size));
    }
    return k;
  }

  /** The values as a Python tuple, Keras's way of printing them: {@code (3, 3)}, {@code (2,)}. */
  public static String formatTuple(int... values) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      b.append(i > 0 ? ", " : "").append(values[i]);
    }
    return b.append(values.length == 1 ? ",)" : ")").toString();
  }

  /** The values as a list, for {@code getConfig()}. */
  public static List<Integer> toList(int... values) {
    List<Integer> out = new ArrayList<>(values.length);
    for (int v : values) {
      out.add(v);
    }
    return List.copyOf(out);
  }
}
