package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A preprocessing layer that normalizes continuous features, as Keras 3's {@code keras.layers.Normalization}:
 * {@code output = (inputs - mean) / max(sqrt(variance), 1e-7)} (1e-7 is Keras's {@code backend.epsilon()}),
 * or with {@code invert=true} the reverse, {@code mean + inputs * max(sqrt(variance), 1e-7)}. The same in
 * training and inference.
 *
 * <p>{@code axis} names the axes that keep a separate mean and variance for each index (default -1: one per
 * feature of the last axis); the statistics are taken over all the other axes, the batch axis included. No axes
 * ({@code builder().axis()}, Keras's {@code axis=None}) gives one scalar mean and variance over every value. The
 * batch axis itself cannot be kept.
 *
 * <p>The statistics come from one of two places:
 * <ul>
 *   <li>{@link #adapt(Object)} (arrays of any rank, {@code FloatNdArray}, {@link ArrayData}) or
 *       {@link #adapt(Dataset)} (its inputs, batch by batch) computes the mean and the population variance (divided
 *       by n, as numpy's {@code var}) of the data. They are stored in the non-trainable weights {@code mean} and
 *       {@code variance} (shape: the sizes of the kept axes) and {@code count}, so they are saved and loaded with
 *       the model, and training never changes them.
 *   <li>{@code mean} and {@code variance} given when the layer is created are constants (no weights), broadcast as
 *       Keras does: a number applies to every value, an array to the last kept axis.
 * </ul>
 * Using an un-adapted layer that was given no statistics is an {@link IllegalStateException} that says to call
 * {@code adapt}.
 *
 * <p><b>When to adapt.</b> Before the layer is in a model, {@code adapt} keeps the statistics and the model's
 * weights start from them. Once the layer is in a model (built), {@code adapt} assigns the model's weights at once:
 * a model already used by {@code predict} or {@code fit} sees the new statistics from its next call. Adapt before
 * the model is first used by {@code predict}, {@code fit} or {@code evaluate}; using it before is the
 * {@link IllegalStateException} above. The data must match the layer's input on the kept axes.
 *
 * <p>Differences from Keras: {@code count} is a float32 weight holding the number of values each statistic was
 * computed from (Keras 3 keeps an integer {@code count} weight, always 0, for old saved models); a layer whose
 * {@code count} is 0 has not been adapted. A given {@code mean} or {@code variance} is a number or a 1-D array (Keras
 * also takes arrays of higher rank). Keras accepts adapting un-batched {@code tf.data} datasets and iterables of
 * batches; here a {@link Dataset} is read batch by batch with Keras's merge formula.
 *
 * <pre>{@code
 * Normalization norm = new Normalization();
 * norm.adapt(xTrain);                                  // float[][] (samples, features)
 * Sequential model = new Sequential(new InputLayer(4), norm, new Dense(16, "relu"), new Dense(1));
 * new Normalization(3.0, 2.0);                         // (x - 3) / sqrt(2)
 * Normalization.builder().axis(1, 2).invert(true).build();
 * }</pre>
 */
public class Normalization extends Layer {

  /** Keras's {@code backend.epsilon()}: the smallest standard deviation the inputs are divided by. */
  public static final float EPSILON = 1e-7f;

  private final int[] axis;
  private final float[] inputMean;
  private final float[] inputVariance;
  private final boolean scalarStatistics;
  private final boolean invert;

  /** Statistics from {@code adapt} before the layer is built; they become the weights' initial values. */
  private Statistics pending;

  private int rank;
  private int[] keep;
  private long[] statisticsShape;
  private long[] broadcastShape;
  private GraphVariable mean;
  private GraphVariable variance;
  private GraphVariable count;

  /** A layer to {@link #adapt}, with one mean and variance per feature of the last axis. */
  public Normalization() {
    this(builder());
  }

  /** A layer with a fixed scalar {@code mean} and {@code variance}, applied to every value. */
  public Normalization(double mean, double variance) {
    this(builder().mean(mean).variance(variance));
  }

  /** A layer with a fixed {@code mean} and {@code variance} for each index of the last axis. */
  public Normalization(float[] mean, float[] variance) {
    this(builder().mean(mean).variance(variance));
  }

  private Normalization(Builder b) {
    super(b.name);
    setSupportsMasking(true);
    this.axis = b.axis.clone();
    this.invert = b.invert;
    if ((b.mean == null) != (b.variance == null)) {
      throw new IllegalArgumentException("Normalization: when setting values directly, both `mean` and `variance` "
          + "must be set. Received: mean=" + describe(b.mean, b.scalarMean) + " and variance="
          + describe(b.variance, b.scalarVariance));
    }
    if (b.mean != null) {
      if (b.scalarMean != b.scalarVariance || b.mean.length != b.variance.length) {
        throw new IllegalArgumentException("Normalization: when setting values directly, `mean` and `variance` "
            + "must have the same shape. Received: mean=" + describe(b.mean, b.scalarMean) + " and variance="
            + describe(b.variance, b.scalarVariance));
      }
      if (!b.scalarMean && axis.length == 0) {
        throw new IllegalArgumentException("Normalization: the rank of `mean` must be less than or equal to the "
            + "number of axes (0). Received: mean=" + describe(b.mean, false) + " for axis=[]");
      }
      if (b.mean.length == 0) {
        throw new IllegalArgumentException("Normalization: `mean` and `variance` must not be empty. Received: mean=[]");
      }
    }
    this.inputMean = b.mean == null ? null : b.mean.clone();
    this.inputVariance = b.variance == null ? null : b.variance.clone();
    this.scalarStatistics = b.scalarMean;
  }

  /** A builder for the optional settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private static String describe(float[] values, boolean scalar) {
    return values == null ? "None" : scalar ? Float.toString(values[0]) : Arrays.toString(values);
  }

  // ------------------------------------------------------------------ axes

  /** The kept axes as sorted non-negative indices for {@code shape} (batch axis -1); checked. */
  private int[] keptAxes(long[] shape) {
    int r = shape.length;
    int[] out = new int[axis.length];
    for (int i = 0; i < axis.length; i++) {
      if (axis[i] >= r || axis[i] < -r) {
        throw new IllegalArgumentException("Layer '" + name() + "': all `axis` values must be in the range "
            + "[-ndim, ndim). Received inputs with ndim=" + r + " (shape " + Shapes.format(shape) + "), while axis="
            + Arrays.toString(axis));
      }
      out[i] = axis[i] < 0 ? axis[i] + r : axis[i];
    }
    Arrays.sort(out);
    for (int i = 0; i < out.length; i++) {
      if (i > 0 && out[i] == out[i - 1]) {
        throw new IllegalArgumentException("Layer '" + name() + "': duplicate axes are not allowed. Received: axis="
            + Arrays.toString(axis));
      }
      if (shape[out[i]] < 0) {
        throw new IllegalArgumentException("Layer '" + name() + "': all `axis` values to be kept must have a known "
            + "shape. Received axis=" + Arrays.toString(axis) + ", inputs.shape=" + Shapes.format(shape)
            + ", with unknown axis at index " + out[i]
            + (out[i] == 0 ? " (the batch axis; for one mean and variance over all values use no axes, "
                + "Normalization.builder().axis())" : ""));
      }
    }
    return out;
  }

  private static long[] keptSizes(long[] shape, int[] keep) {
    long[] out = new long[keep.length];
    for (int i = 0; i < keep.length; i++) {
      out[i] = shape[keep[i]];
    }
    return out;
  }

  /** Checks that given statistics broadcast against the kept axes of {@code shape}. */
  private void checkGivenStatistics(long[] shape, int[] kept) {
    if (inputMean == null || scalarStatistics) {
      return;
    }
    long size = shape[kept[kept.length - 1]];
    if (inputMean.length != 1 && inputMean.length != size) {
      throw new IllegalArgumentException("Layer '" + name() + "': `mean` and `variance` of length "
          + inputMean.length + " cannot be broadcast to axis " + kept[kept.length - 1] + " of input shape "
          + Shapes.format(shape) + " (size " + size + "). Received: axis=" + Arrays.toString(axis));
    }
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    long[] shape = inputShape.asArray();
    int[] kept = keptAxes(shape);
    checkGivenStatistics(shape, kept);
    if (pending != null && !isBuilt()) {
      checkCompatible(pending.shape(), shape, kept);
    }
    return inputShape;
  }

  // ------------------------------------------------------------------ build and call

  @Override
  protected void build(Ops tf, Shape inputShape) {
    long[] shape = inputShape.asArray();
    int[] kept = keptAxes(shape);
    checkGivenStatistics(shape, kept);
    long[] sizes = keptSizes(shape, kept);
    if (pending != null) {
      checkCompatible(pending.shape(), shape, kept);
    }
    rank = shape.length;
    keep = kept;
    statisticsShape = sizes;
    broadcastShape = new long[rank];
    Arrays.fill(broadcastShape, 1);
    Map<Integer, Long> spec = new HashMap<>();
    for (int k : kept) {
      broadcastShape[k] = shape[k];
      spec.put(k, shape[k]);
    }
    if (inputMean == null) {
      Statistics s = pending;
      Shape statShape = Shape.of(sizes);
      mean = addWeight("mean", statShape, new ConstantValues(s == null ? null : s.mean(), 0f), false);
      variance = addWeight("variance", statShape, new ConstantValues(s == null ? null : s.variance(), 1f), false);
      count = addWeight("count", Shape.scalar(),
          new ConstantValues(s == null ? null : new float[] {(float) s.count()}, 0f), false);
      pending = null;
    }
    setInputSpec(new InputSpec(null, rank, spec));
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> m;
    Operand<TFloat32> v;
    if (inputMean != null) {
      long[] constantShape = new long[scalarStatistics ? 0 : rank];
      if (!scalarStatistics) {
        Arrays.fill(constantShape, 1);
        constantShape[keep[keep.length - 1]] = inputMean.length;
      }
      m = tf.constant(Shape.of(constantShape), DataBuffers.of(inputMean, true, false));
      v = tf.constant(Shape.of(constantShape), DataBuffers.of(inputVariance, true, false));
    } else {
      if (readCount() <= 0) {
        throw new IllegalStateException(describe() + " has no mean and variance yet: call "
            + "adapt(data) on it before the model is first used by predict, fit or evaluate, or create it with "
            + "mean and variance");
      }
      Operand<TInt64> target = tf.constant(broadcastShape);
      m = tf.reshape(mean.value(), target);
      v = tf.reshape(variance.value(), target);
    }
    Operand<TFloat32> std = tf.math.maximum(tf.math.sqrt(v), tf.constant(EPSILON));
    return invert ? tf.math.add(m, tf.math.mul(inputs, std)) : tf.math.div(tf.math.sub(inputs, m), std);
  }

  /** The current value of the {@code count} weight (one session run on the shared read). */
  private float readCount() {
    try (Result r = runtime().session().runner().fetch(count.sharedValue()).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  // ------------------------------------------------------------------ adapt

  /**
   * Computes the mean and population variance of {@code data} over all axes but the kept ones, and makes them the
   * layer's statistics (see the class comment for when the model sees them).
   *
   * @param data samples first: {@code float[][]} {@code (samples, features)}, any float or double array up to rank 5,
   *     a {@code FloatNdArray} or an {@link ArrayData}; values must be finite
   * @throws IllegalStateException when the layer was created with {@code mean} and {@code variance}
   * @throws IllegalArgumentException when the data's kept axes do not match the layer's input (once built), or the
   *     data is empty or not finite
   */
  public void adapt(Object data) {
    requireAdaptable();
    ArrayData x = ArrayData.of("adapt data of layer '" + name() + "'", data);
    x.checkFinite();
    long[] shape = x.shape();
    if (shape[0] == 0) {
      throw new IllegalArgumentException("Layer '" + name() + "': adapt() received no samples (data shape "
          + Shapes.format(shape) + ")");
    }
    long[] batchShape = x.batchShape().asArray();
    int[] kept = keptAxes(batchShape);
    Statistics s = moments(x.values(), shape, kept);
    store(new Statistics(batchShape, s.mean(), s.variance(), s.count()));
  }

  /**
   * As {@link #adapt(Object)} over the inputs of a {@link Dataset}, read once batch by batch (its targets are
   * ignored): per-batch statistics merged with Keras's formula (the lack-of-fit sum of squares), so the result is the
   * mean and population variance of all its inputs.
   */
  public void adapt(Dataset data) {
    requireAdaptable();
    long[] batchShape = Shapes.withBatch(data.xShape()).asArray();
    int[] kept = keptAxes(batchShape);
    double[] totalMean = null;
    double[] totalVariance = null;
    long totalCount = 0;
    try (Dataset.Pass pass = data.open(0)) {
      while (pass.hasNext()) {
        ArrayData x = pass.next().x();
        if (x.rows() == 0) {
          continue;
        }
        Statistics b = moments(x.values(), x.shape(), kept);
        if (totalMean == null) {
          totalMean = new double[b.mean().length];
          totalVariance = new double[b.mean().length];
        }
        totalCount += b.count();
        double w = (double) b.count() / totalCount;
        for (int i = 0; i < totalMean.length; i++) {
          double newMean = totalMean[i] * (1 - w) + b.mean()[i] * w;
          double dOld = totalMean[i] - newMean;
          double dNew = b.mean()[i] - newMean;
          totalVariance[i] = (totalVariance[i] + dOld * dOld) * (1 - w) + (b.variance()[i] + dNew * dNew) * w;
          totalMean[i] = newMean;
        }
      }
    }
    if (totalMean == null) {
      throw new IllegalArgumentException("Layer '" + name() + "': adapt() received an empty dataset '" + data.name()
          + "' (no batches). Expected at least one batch");
    }
    store(new Statistics(batchShape, toFloats(totalMean), toFloats(totalVariance), totalCount));
  }

  private void requireAdaptable() {
    if (inputMean != null) {
      throw new IllegalStateException("Layer '" + name() + "' was created with a fixed mean and variance; adapt() "
          + "applies only to a Normalization layer created without them");
    }
  }

  /** Makes {@code s} the layer's statistics: the weights' values once built, their initial values before. */
  private void store(Statistics s) {
    if (!isBuilt()) {
      pending = s;
      return;
    }
    long[] built = new long[rank];
    Arrays.fill(built, -1);
    for (int i = 0; i < keep.length; i++) {
      built[keep[i]] = statisticsShape[i];
    }
    checkCompatible(s.shape(), built, keep);
    Shape statShape = Shape.of(statisticsShape);
    runtime().assign(List.of(mean, variance, count), List.of(
        NdArrays.wrap(statShape, DataBuffers.of(s.mean(), false, false)),
        NdArrays.wrap(statShape, DataBuffers.of(s.variance(), false, false)),
        NdArrays.scalarOf((float) s.count())));
  }

  /** Checks that data of {@code dataShape} has the rank and kept sizes of {@code layerShape}. */
  private void checkCompatible(long[] dataShape, long[] layerShape, int[] kept) {
    boolean ok = dataShape.length == layerShape.length;
    for (int i = 0; ok && i < kept.length; i++) {
      ok = dataShape[kept[i]] == layerShape[kept[i]];
    }
    if (!ok) {
      throw new IllegalArgumentException("Layer '" + name() + "': adapt() was given data of shape "
          + Shapes.format(dataShape) + ", which is incompatible with the layer's input shape "
          + Shapes.format(layerShape) + " on the kept axes " + Arrays.toString(kept) + " (axis="
          + Arrays.toString(axis) + ")");
    }
  }

  /**
   * Mean and population variance over all axes but {@code kept}, in double, for each index of the kept axes
   * (row-major); the count is the number of values behind each statistic.
   */
  static Statistics moments(float[] values, long[] shape, int[] kept) {
    long[] stride = new long[shape.length];
    long size = 1;
    for (int j = kept.length - 1; j >= 0; j--) {
      stride[kept[j]] = size;
      size *= shape[kept[j]];
    }
    int statistics = Math.toIntExact(size);
    double[] sum = new double[statistics];
    StatisticIndex index = new StatisticIndex(shape, stride);
    for (float v : values) {
      sum[index.next()] += v;
    }
    long n = values.length / statistics;
    double[] m = new double[statistics];
    for (int i = 0; i < statistics; i++) {
      m[i] = sum[i] / n;
    }
    double[] squares = new double[statistics];
    index = new StatisticIndex(shape, stride);
    for (float v : values) {
      int i = index.next();
      double d = v - m[i];
      squares[i] += d * d;
    }
    for (int i = 0; i < statistics; i++) {
      squares[i] /= n;
    }
    return new Statistics(shape, toFloats(m), toFloats(squares), n);
  }

  /** Walks the elements of a row-major array, giving the statistic each belongs to. */
  private static final class StatisticIndex {
    private final long[] shape;
    private final long[] stride;
    private final long[] position;
    private long current;

    StatisticIndex(long[] shape, long[] stride) {
      this.shape = shape;
      this.stride = stride;
      this.position = new long[shape.length];
    }

    /** The statistic of the next element. */
    int next() {
      int out = (int) current;
      for (int d = shape.length - 1; d >= 0; d--) {
        position[d]++;
        current += stride[d];
        if (position[d] < shape[d]) {
          break;
        }
        current -= stride[d] * shape[d];
        position[d] = 0;
      }
      return out;
    }
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /**
   * Statistics of some data.
   *
   * @param shape the data's shape (batch axis -1 once stored)
   * @param mean the mean per index of the kept axes, row-major
   * @param variance the population variance, likewise
   * @param count the number of values behind each statistic
   */
  record Statistics(long[] shape, float[] mean, float[] variance, long count) {}

  // ------------------------------------------------------------------ accessors and config

  /**
   * The mean in use, flattened row-major over the kept axes: the given one (one value for a scalar), the adapted one
   * (read from the model once built), or null when the layer was neither given nor adapted one.
   */
  public float[] mean() {
    return statistic(inputMean, 0);
  }

  /** The variance in use, as {@link #mean()}. */
  public float[] variance() {
    return statistic(inputVariance, 1);
  }

  private float[] statistic(float[] given, int which) {
    if (given != null) {
      return given.clone();
    }
    if (!isBuilt()) {
      return pending == null ? null : (which == 0 ? pending.mean() : pending.variance()).clone();
    }
    List<FloatNdArray> values = runtime().read(List.of(which == 0 ? mean : variance, count));
    if (values.get(1).getFloat() <= 0) {
      return null;
    }
    float[] out = new float[(int) values.get(0).size()];
    values.get(0).copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** Whether the layer applies the inverse transformation. */
  public boolean invert() {
    return invert;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("axis", Arrays.stream(axis).boxed().toList());
    c.put("invert", invert);
    c.put("mean", configValue(inputMean));
    c.put("variance", configValue(inputVariance));
    return c;
  }

  private Object configValue(float[] values) {
    if (values == null) {
      return null;
    }
    if (scalarStatistics) {
      return values[0];
    }
    List<Float> out = new ArrayList<>();
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  /** Optional settings of {@link Normalization}, with Keras's defaults. */
  public static final class Builder {
    private String name;
    private int[] axis = {-1};
    private float[] mean;
    private float[] variance;
    private boolean scalarMean;
    private boolean scalarVariance;
    private boolean invert;

    private Builder() {}

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * The axes that keep a separate mean and variance per index; default -1. No axes ({@code axis()}) is Keras's
     * {@code axis=None}: one mean and variance over all values.
     */
    public Builder axis(int... axis) {
      this.axis = axis.clone();
      return this;
    }

    /** A fixed scalar mean (give {@link #variance(double)} too); the layer then needs no {@code adapt}. */
    public Builder mean(double mean) {
      this.mean = new float[] {(float) mean};
      this.scalarMean = true;
      return this;
    }

    /** A fixed mean per index of the last kept axis (or one value broadcast); give a variance of the same length. */
    public Builder mean(float... mean) {
      this.mean = mean.clone();
      this.scalarMean = false;
      return this;
    }

    /** A fixed scalar variance, with {@link #mean(double)}. */
    public Builder variance(double variance) {
      this.variance = new float[] {(float) variance};
      this.scalarVariance = true;
      return this;
    }

    /** A fixed variance per index of the last kept axis, with {@link #mean(float...)}. */
    public Builder variance(float... variance) {
      this.variance = variance.clone();
      this.scalarVariance = false;
      return this;
    }

    /** Whether to apply the inverse transformation (turn normalized values back); default false. */
    public Builder invert(boolean invert) {
      this.invert = invert;
      return this;
    }

    /** The layer. */
    public Normalization build() {
      return new Normalization(this);
    }
  }
}
