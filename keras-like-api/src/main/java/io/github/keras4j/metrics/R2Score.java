package io.github.keras4j.metrics;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.losses.LossUtils;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The coefficient of determination of a regression, Keras's {@code keras.metrics.R2Score}: per output column
 * {@code 1 - SS_res / SS_tot} over the whole epoch (not a mean of per-batch scores), from weighted sums of
 * {@code y}, {@code y^2} and the squared residuals; then averaged over the columns, uniformly
 * ({@code "uniform_average"}) or weighted by each column's variance ({@code "variance_weighted_average"}). With
 * {@code numRegressors = p > 0}, the adjusted score {@code 1 - (1 - R^2) (n - 1) / (n - p - 1)} for {@code n}
 * samples of non-zero weight (the plain score, as Keras, when {@code p >= n - 1}). A column whose labels are all
 * equal scores 0.
 *
 * <p>Inputs are {@code (batch, outputs)} (labels {@code (batch,)} are expanded), the number of outputs known.
 * Defaults: {@code classAggregation="uniform_average"}, {@code numRegressors=0}, {@code name="r2_score"}. Ids in
 * {@link Metrics#get}: {@code r2_score}, {@code R2Score}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code RegressionAndHingeMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [[1], [4], [3]], y_pred = [[2], [4], [4]]: 0.57142854
 * }</pre>
 *
 * <p>Java differences from Keras: {@code class_aggregation=None} (one score per column) is not offered, as a metric's
 * result here is one number.
 */
public final class R2Score extends EpochStateMetric {

  private final String classAggregation;
  private final int numRegressors;
  private int columns = -1;
  private double[] sum;
  private double[] squaredSum;
  private double[] residual;
  private double[] count;
  private double samples;

  /** The R² score named {@code r2_score}, uniform average, not adjusted. */
  public R2Score() {
    this("r2_score");
  }

  /** The R² score with the given name, uniform average, not adjusted. */
  public R2Score(String name) {
    this(name, "uniform_average", 0);
  }

  /**
   * An R² score.
   *
   * @param name the name in logs
   * @param classAggregation {@code "uniform_average"} or {@code "variance_weighted_average"}
   * @param numRegressors the number of independent variables for the adjusted score, 0 for the plain one
   */
  public R2Score(String name, String classAggregation, int numRegressors) {
    super(name);
    if (!"uniform_average".equals(classAggregation) && !"variance_weighted_average".equals(classAggregation)) {
      throw new IllegalArgumentException("Invalid value for argument `classAggregation`. Expected one of "
          + "(\"uniform_average\", \"variance_weighted_average\"). Received: classAggregation=" + classAggregation);
    }
    if (numRegressors < 0) {
      throw new IllegalArgumentException("Invalid value for argument `numRegressors`. Expected a value >= 0. "
          + "Received: numRegressors=" + numRegressors);
    }
    this.classAggregation = classAggregation;
    this.numRegressors = numRegressors;
  }

  /**
   * {@code 4 * outputs + 1}: per output the weighted sums of {@code y}, {@code y^2}, the squared residuals and the
   * weights, then the count of samples of non-zero weight.
   *
   * @throws IllegalStateException before {@link #batchState} has seen the number of outputs
   */
  @Override
  public int stateSize() {
    if (columns < 0) {
      throw new IllegalStateException("Metric '" + name() + "': the number of outputs is known once batchState() "
          + "has been traced");
    }
    return 4 * columns + 1;
  }

  @Override
  public Operand<TFloat32> batchState(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, tf.stopGradient(yTrue),
        tf.stopGradient(yPred));
    Operand<TFloat32> y = same.x1();
    Operand<TFloat32> p = same.x2();
    Shape shape = p.shape();
    if (shape.numDimensions() != 2 || y.shape().numDimensions() != 2 || shape.get(1) < 0) {
      throw new IllegalArgumentException("R2Score expects 2D inputs with shape (batch_size, output_dim), with "
          + "output_dim fully defined. Received input shapes: y_pred.shape=" + Shapes.format(yPred.shape())
          + " and y_true.shape=" + Shapes.format(yTrue.shape()));
    }
    int c = (int) shape.get(1);
    if (columns >= 0 && columns != c) {
      throw new IllegalArgumentException("Metric '" + name() + "' was used with " + columns + " outputs and now with "
          + c + ": use one R2Score per output");
    }
    columns = c;
    allocate();
    Operand<TFloat32> w = MetricUtils.weightsLike(tf, sampleWeight, y);
    Operand<TFloat32> wy = tf.math.mul(y, w);
    Operand<TInt32> rows = tf.constant(0);
    Operand<TFloat32> residuals = tf.math.mul(tf.math.square(tf.math.sub(y, p)), w);
    Operand<TFloat32> nonZero = tf.dtypes.cast(tf.reduceAny(tf.math.notEqual(w, tf.constant(0f)), tf.constant(1)),
        TFloat32.class);
    return tf.concat(List.of(tf.reduceSum(wy, rows), tf.reduceSum(tf.math.mul(y, wy), rows),
        tf.reduceSum(residuals, rows), tf.reduceSum(w, rows),
        tf.reshape(tf.reduceSum(nonZero, tf.constant(0)), tf.constant(new int[] {1}))), tf.constant(0));
  }

  private void allocate() {
    if (sum == null) {
      sum = new double[columns];
      squaredSum = new double[columns];
      residual = new double[columns];
      count = new double[columns];
    }
  }

  @Override
  public void updateState(float[] packed, int offset) {
    for (int j = 0; j < columns; j++) {
      sum[j] += packed[offset + j];
      squaredSum[j] += packed[offset + columns + j];
      residual[j] += packed[offset + 2 * columns + j];
      count[j] += packed[offset + 3 * columns + j];
    }
    samples += packed[offset + 4 * columns];
  }

  @Override
  public double result() {
    if (columns < 0) {
      return 0;
    }
    double weighted = 0;
    double weights = 0;
    double uniform = 0;
    for (int j = 0; j < columns; j++) {
      double mean = sum[j] / count[j];
      double total = squaredSum[j] - sum[j] * mean;
      double raw = 1 - residual[j] / total;
      if (Double.isInfinite(raw)) {
        raw = 0;
      }
      uniform += raw / columns;
      weighted += total * raw;
      weights += total;
    }
    double r2 = "uniform_average".equals(classAggregation) ? uniform : weighted / weights;
    if (numRegressors != 0 && numRegressors < samples - 1) {
      r2 = 1 - (1 - r2) * (samples - 1) / (samples - numRegressors - 1);
    }
    return r2;
  }

  @Override
  public void resetState() {
    if (sum != null) {
      Arrays.fill(sum, 0);
      Arrays.fill(squaredSum, 0);
      Arrays.fill(residual, 0);
      Arrays.fill(count, 0);
    }
    samples = 0;
  }

  @Override
  public R2Score withName(String newName) {
    return new R2Score(newName, classAggregation, numRegressors);
  }

  /** {@code name}, {@code class_aggregation} and {@code num_regressors}, as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("class_aggregation", classAggregation);
    config.put("num_regressors", numRegressors);
    return config;
  }
}
