package io.github.keras4j.regularizers;

import io.github.keras4j.graph.Shapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Encourages the rows (or columns) of a matrix to be orthogonal to each other, as Keras 3's
 * {@code keras.regularizers.OrthogonalRegularizer}.
 *
 * <p>For a rank-2 input {@code x} of shape {@code (n, m)} in {@code "rows"} mode (the default), each row is
 * L2-normalised ({@code v * rsqrt(max(sum v^2, 1e-14))}, Keras's {@code normalize} with epsilon {@code 1e-7}), the
 * {@code n x n} matrix of their dot products {@code P = x_hat x_hat^T} is formed, and the penalty is
 * <pre>
 *   factor * 0.5 * sum_{i != j} |P[i][j]| / (n (n - 1) / 2)
 * </pre>
 * that is, {@code factor} times the mean absolute cosine similarity between distinct rows (each unordered pair is
 * counted twice in the sum and once in {@code n (n - 1) / 2}, which the {@code 0.5} makes up for). {@code "columns"}
 * mode does the same for the {@code m} columns. Applied to a {@code Dense} kernel of shape {@code (inputDim,
 * units)}, rows mode pushes the feature vectors towards an orthogonal set.
 *
 * <p>Keras's defaults: {@code factor=0.01, mode="rows"}. Keras's registry name is
 * {@code "orthogonal_regularizer"} ({@link Regularizers#get}).
 *
 * <p>Difference from Keras: Keras returns NaN (0 / 0) when only one row (column) is compared; Keras4J throws when
 * that size is known when the penalty is built, and the size may be unknown until run time (an activity
 * regularizer's batch axis).
 *
 * <pre>{@code
 * Dense.builder(4).kernelRegularizer(new OrthogonalRegularizer(0.01, "rows")).build();
 * }</pre>
 */
public class OrthogonalRegularizer implements Regularizer {

  /** The modes, as Keras names them. */
  public static final List<String> MODES = List.of("rows", "columns");

  /** Keras's {@code backend.epsilon()}; the squared norm is clamped at its square. */
  private static final float EPSILON = 1e-7f;

  private final float factor;
  private final String mode;

  /** Keras's defaults: {@code factor=0.01, mode="rows"}. */
  public OrthogonalRegularizer() {
    this(0.01, "rows");
  }

  /**
   * @param factor the factor, finite and {@code >= 0}
   * @param mode {@code "rows"} or {@code "columns"}
   * @throws IllegalArgumentException for a negative, infinite or NaN factor or another mode (Keras's messages)
   */
  public OrthogonalRegularizer(double factor, String mode) {
    if (!(factor >= 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("OrthogonalRegularizer: Invalid value for argument factor: expected a "
          + "non-negative float. Received: factor=" + factor);
    }
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("OrthogonalRegularizer: Invalid value for argument `mode`. Expected one of "
          + "{\"rows\", \"columns\"}. Received: mode=" + mode);
    }
    this.factor = (float) factor;
    this.mode = mode;
  }

  /** The factor (float32, as Keras stores it). */
  public float factor() {
    return factor;
  }

  /** {@code "rows"} or {@code "columns"}. */
  public String mode() {
    return mode;
  }

  /**
   * The penalty of a rank-2 {@code x}.
   *
   * @throws IllegalArgumentException for an input whose rank is not 2 (Keras's message), or whose compared axis
   *     has size 1
   */
  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x) {
    Shape shape = x.shape();
    if (shape.isUnknown() || shape.numDimensions() != 2) {
      throw new IllegalArgumentException("Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape="
          + Shapes.format(shape));
    }
    boolean rows = "rows".equals(mode);
    int axis = rows ? 1 : 0; // the axis each compared vector runs along
    long size = shape.get(rows ? 0 : 1);
    if (size == 1) {
      throw new IllegalArgumentException("OrthogonalRegularizer: mode=" + mode + " needs at least 2 " + mode
          + " to compare. Received: inputs.shape=" + Shapes.format(shape));
    }
    Operand<TFloat32> squareSum = tf.reduceSum(tf.math.square(x), tf.constant(axis), ReduceSum.keepDims(true));
    Operand<TFloat32> unit = tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squareSum,
        tf.constant(EPSILON * EPSILON))));
    Operand<TFloat32> product = tf.linalg.matMul(unit, unit,
        MatMul.transposeA(!rows).transposeB(rows));
    // 1 - eye(n), built from the run-time size so that an unknown n works too.
    Operand<TInt32> n = tf.gather(tf.shape(x), tf.constant(rows ? 0 : 1), tf.constant(0));
    Operand<TInt32> range = tf.range(tf.constant(0), n, tf.constant(1));
    Operand<TFloat32> offDiagonal = tf.dtypes.cast(tf.math.notEqual(tf.expandDims(range, tf.constant(1)),
        tf.expandDims(range, tf.constant(0))), TFloat32.class);
    Operand<TFloat32> sum = tf.reduceSum(tf.math.abs(tf.math.mul(product, offDiagonal)), tf.constant(new int[] {0, 1}));
    Operand<TFloat32> nf = tf.dtypes.cast(n, TFloat32.class);
    Operand<TFloat32> pairs = tf.math.div(tf.math.mul(nf, tf.math.sub(nf, tf.constant(1f))), tf.constant(2f));
    return tf.math.div(tf.math.mul(tf.constant(factor * 0.5f), sum), pairs);
  }

  /** {@code factor}, {@code mode}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("factor", factor);
    c.put("mode", mode);
    return c;
  }
}
