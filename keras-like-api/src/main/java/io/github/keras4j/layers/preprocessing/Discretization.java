package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.data.ArrayData;
import io.github.keras4j.data.Dataset;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A preprocessing layer that buckets continuous features by ranges, as Keras 3's {@code keras.layers.Discretization}:
 * each value becomes the index of the bin it falls in. Boundaries {@code [0, 1, 2]} make the bins
 * {@code (-inf, 0)}, {@code [0, 1)}, {@code [1, 2)} and {@code [2, +inf)}, numbered 0 to 3 (the number of
 * boundaries {@code <= x}, as {@code Bucketize} / {@code np.digitize}). The same in training and inference.
 *
 * <p>The boundaries are either given ({@code binBoundaries}, ascending) or learned by {@link #adapt(Object)} /
 * {@link #adapt(Dataset)} for {@code numBins} bins: Keras's approximate quantiles (the summaries of
 * {@code discretization.py} with error tolerance {@code epsilon}, computed step for step as Keras does), so each bin
 * holds about the same share of the data.
 *
 * <p>{@code outputMode}: {@code "int"} (default) the bin index; {@code "one_hot"} a one-hot vector of the bins per
 * value (a last axis of size 1 is replaced, otherwise one is appended); {@code "multi_hot"} / {@code "count"} one
 * vector per sample {@code (batch, n) -> (batch, bins)} marking / counting the bins present.
 *
 * <p>Adapted boundaries live in the non-trainable weight {@code bin_boundaries} (shape {@code (numBins - 1)}), so
 * {@code adapt} also works once the layer is in a model (the next {@code predict} or {@code fit} sees them), and in
 * the config ({@code bin_boundaries} with {@code num_bins}, as Keras writes them), so a saved model reloads with them.
 * Using an un-adapted {@code numBins} layer is an {@link IllegalStateException} saying to call {@code adapt}.
 *
 * <p>The output has no gradient (bin indices are integers): the layer stops gradients at its input.
 *
 * <p>Differences from Keras: the output is float32 holding whole numbers (Keras: int32 for {@code "int"}, since
 * Keras4J models are float32 throughout). No {@code sparse} output. When the adapt data holds fewer than
 * {@code numBins} values Keras returns fewer boundaries (and so fewer bins); here the missing boundaries are
 * {@code +inf}, so the layer keeps {@code numBins} bins, the last ones empty. {@code numBins} must be at least 2
 * (Keras also accepts 0 and 1). Given boundaries must be finite and ascending (TensorFlow's {@code Bucketize} requires
 * ascending ones). {@code "multi_hot"} and {@code "count"} take inputs of rank 2 only (Keras's TensorFlow fast path
 * has the same limit; its slower path reduces axis 1 of higher ranks).
 *
 * <pre>{@code
 * new Discretization(new double[] {0, 1, 2});           // [[-1.5, 1.0, 3.4, .5]] -> [[0, 2, 3, 1]]
 * Discretization d = new Discretization(4, 0.01);       // 4 bins from quantiles
 * d.adapt(x);
 * Discretization.builder().numBins(8).outputMode("one_hot").build();
 * }</pre>
 */
public class Discretization extends Layer {

  /** The output modes Keras accepts. */
  public static final List<String> OUTPUT_MODES = List.of("int", "one_hot", "multi_hot", "count");

  private final float[] givenBoundaries;
  private final Integer numBins;
  private final double epsilon;
  private final String outputMode;

  /** Boundaries from {@code adapt} or the config before the layer is built (length {@code numBins - 1}, padded). */
  private float[] pending;
  private boolean adapted;
  private Shape inputShape;
  private GraphVariable boundaries;

  /** A layer with fixed, ascending {@code binBoundaries} and {@code "int"} output. */
  public Discretization(double[] binBoundaries) {
    this(builder().binBoundaries(binBoundaries));
  }

  /** A layer to {@link #adapt} that learns {@code numBins} bins with error tolerance {@code epsilon}. */
  public Discretization(int numBins, double epsilon) {
    this(builder().numBins(numBins).epsilon(epsilon));
  }

  private Discretization(Builder b) {
    super(b.name);
    this.outputMode = CategoricalEncoding.outputMode(describe(), b.outputMode, OUTPUT_MODES);
    if (b.numBins != null && b.binBoundaries != null && !b.fromConfig) {
      throw new IllegalArgumentException(describe() + ": both `num_bins` and `bin_boundaries` should not be set. "
          + "Received: num_bins=" + b.numBins + " and bin_boundaries=" + Arrays.toString(b.binBoundaries));
    }
    if (b.numBins == null && b.binBoundaries == null) {
      throw new IllegalArgumentException(describe() + ": you need to set either `num_bins` or `bin_boundaries`. "
          + "Received: num_bins=None and bin_boundaries=None");
    }
    if (b.numBins != null && b.numBins < 2) {
      throw new IllegalArgumentException(describe() + ": `num_bins` must be at least 2. Received: num_bins="
          + b.numBins);
    }
    if (!(b.epsilon > 0 && b.epsilon < 1)) {
      throw new IllegalArgumentException(describe() + ": `epsilon` must be in (0, 1). Received: epsilon="
          + b.epsilon);
    }
    this.numBins = b.numBins;
    this.epsilon = b.epsilon;
    float[] bounds = null;
    if (b.binBoundaries != null) {
      bounds = new float[b.binBoundaries.length];
      for (int i = 0; i < bounds.length; i++) {
        bounds[i] = (float) b.binBoundaries[i];
        if (!Double.isFinite(b.binBoundaries[i]) || (i > 0 && bounds[i] < bounds[i - 1])) {
          throw new IllegalArgumentException(describe() + ": `bin_boundaries` must be finite and ascending. "
              + "Received: bin_boundaries=" + Arrays.toString(b.binBoundaries));
        }
      }
    }
    if (numBins != null) {
      this.givenBoundaries = null;
      if (bounds != null) { // adapted boundaries from a saved config
        this.pending = padded(bounds);
        this.adapted = true;
      }
    } else {
      this.givenBoundaries = bounds;
    }
  }

  /** A builder for the settings, with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Fits {@code bounds} to {@code numBins - 1} boundaries: padded with +inf, or cut. */
  private float[] padded(float[] bounds) {
    float[] out = Arrays.copyOf(bounds, numBins - 1);
    for (int i = bounds.length; i < out.length; i++) {
      out[i] = Float.POSITIVE_INFINITY;
    }
    return out;
  }

  /** The number of bins: boundaries + 1. */
  private int depth() {
    return givenBoundaries != null ? givenBoundaries.length + 1 : numBins;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return CategoricalEncoding.outputShape(describe(), outputMode, inputShape, depth());
  }

  @Override
  protected void build(Ops tf, Shape inputShape) {
    computeOutputShape(inputShape);
    this.inputShape = inputShape;
    if (numBins != null) {
      boundaries = addWeight("bin_boundaries", Shape.of(numBins - 1),
          new ConstantValues(pending, Float.POSITIVE_INFINITY), false);
      pending = null;
    }
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    Operand<TFloat32> x = tf.stopGradient(inputs);
    Operand<TFloat32> bins;
    if (numBins != null) {
      if (!adapted) {
        throw new IllegalStateException(describe() + " has no bin boundaries yet: you need to either pass the "
            + "`bin_boundaries` argument at construction time or call adapt(data) before the model is first used by "
            + "predict, fit or evaluate");
      }
      bins = tf.stopGradient(boundaries.value());
    } else {
      bins = tf.constant(Shape.of(givenBoundaries.length), DataBuffers.of(givenBoundaries, true, false));
    }
    Operand<TFloat32> index = givenBoundaries != null && givenBoundaries.length == 0 ? tf.zerosLike(x)
        : tf.sum(tf.dtypes.cast(tf.math.greaterEqual(tf.expandDims(x, tf.constant(-1)), bins), TFloat32.class),
            tf.constant(-1));
    if (outputMode.equals("int")) {
      return index;
    }
    Operand<TInt32> ids = tf.dtypes.cast(index, TInt32.class);
    return CategoricalEncoding.encode(tf, ids, outputMode, depth(), inputShape);
  }

  // ------------------------------------------------------------------ adapt

  /**
   * Learns {@code numBins - 1} boundaries from the quantiles of {@code data} (all its values, whatever its shape), as
   * Keras's {@code adapt} on an array: one summary of the data, then Keras's {@code get_bin_boundaries}.
   *
   * @param data any float or double array, a {@code FloatNdArray} or an {@link ArrayData}; values must be finite
   * @throws IllegalStateException when the layer was created with {@code binBoundaries}
   */
  public void adapt(Object data) {
    requireAdaptable();
    ArrayData x = ArrayData.of("adapt data of layer '" + name() + "'", data);
    x.checkFinite();
    if (x.values().length == 0) {
      throw new IllegalArgumentException(describe() + ": adapt() received no values (data shape "
          + Shapes.format(x.shape()) + ")");
    }
    store(QuantileSummary.summarize(x.values(), epsilon).merge(QuantileSummary.empty(), epsilon));
  }

  /**
   * As {@link #adapt(Object)} over the inputs of a {@link Dataset}, batch by batch (its targets are ignored): Keras's
   * {@code update_state} per batch (a summary merged into the running one), then its {@code finalize_state}.
   */
  public void adapt(Dataset data) {
    requireAdaptable();
    QuantileSummary summary = QuantileSummary.empty();
    boolean any = false;
    try (Dataset.Pass pass = data.open(0)) {
      while (pass.hasNext()) {
        ArrayData x = pass.next().x();
        x.checkFinite();
        if (x.values().length == 0) {
          continue;
        }
        any = true;
        summary = QuantileSummary.summarize(x.values(), epsilon).merge(summary, epsilon);
      }
    }
    if (!any) {
      throw new IllegalArgumentException(describe() + ": adapt() received an empty dataset '" + data.name()
          + "' (no values). Expected at least one batch");
    }
    store(summary);
  }

  private void requireAdaptable() {
    if (numBins == null) {
      throw new IllegalStateException(describe() + ": cannot adapt a Discretization layer that has been "
          + "initialized with `bin_boundaries`, use `num_bins` instead");
    }
  }

  private void store(QuantileSummary summary) {
    float[] bounds = padded(summary.binBoundaries(numBins));
    adapted = true;
    if (!isBuilt()) {
      pending = bounds;
      return;
    }
    runtime().assign(List.of(boundaries), List.of(NdArrays.wrap(Shape.of(bounds.length),
        DataBuffers.of(bounds, false, false))));
  }

  // ------------------------------------------------------------------ accessors and config

  /**
   * The boundaries in use: the given ones, the adapted ones (read from the model once built; trailing {@code +inf}
   * padding dropped), or null before {@code adapt}.
   */
  public float[] binBoundaries() {
    if (givenBoundaries != null) {
      return givenBoundaries.clone();
    }
    if (!adapted) {
      return null;
    }
    float[] all;
    if (!isBuilt()) {
      all = pending;
    } else {
      FloatNdArray v = runtime().read(List.of(boundaries)).get(0);
      all = new float[(int) v.size()];
      v.copyTo(DataBuffers.of(all, false, false));
    }
    int n = all.length;
    while (n > 0 && all[n - 1] == Float.POSITIVE_INFINITY) {
      n--;
    }
    return Arrays.copyOf(all, n);
  }

  /** The number of bins to learn, or null when the boundaries were given. */
  public Integer numBins() {
    return numBins;
  }

  /** The output mode. */
  public String outputMode() {
    return outputMode;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    float[] bounds = binBoundaries();
    List<Double> list = null;
    if (bounds != null) {
      list = new ArrayList<>();
      for (float b : bounds) {
        list.add((double) b);
      }
    }
    c.put("bin_boundaries", list);
    c.put("num_bins", numBins);
    c.put("epsilon", epsilon);
    c.put("output_mode", outputMode);
    c.put("sparse", false);
    return c;
  }

  /** Settings of {@link Discretization}, with Keras's defaults. */
  public static final class Builder {
    private String name;
    private double[] binBoundaries;
    private Integer numBins;
    private double epsilon = 0.01;
    private String outputMode = "int";
    private boolean fromConfig;

    private Builder() {}

    /** The layer's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Fixed boundaries, finite and ascending; then do not call {@code adapt}. */
    public Builder binBoundaries(double... binBoundaries) {
      this.binBoundaries = binBoundaries == null ? null : binBoundaries.clone();
      return this;
    }

    /** The number of bins {@code adapt} learns (at least 2). */
    public Builder numBins(int numBins) {
      this.numBins = numBins;
      return this;
    }

    /** The error tolerance of the quantiles, in (0, 1); default 0.01. */
    public Builder epsilon(double epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /** {@code "int"} (default), {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}. */
    public Builder outputMode(String outputMode) {
      this.outputMode = outputMode;
      return this;
    }

    /**
     * Adapted boundaries of a saved layer: with {@link #numBins}, as Keras's {@code from_config} sets the
     * {@code bin_boundaries} of an adapted layer after creating it (for loading saved models).
     */
    public Builder adaptedBinBoundaries(double... binBoundaries) {
      this.binBoundaries = binBoundaries.clone();
      this.fromConfig = true;
      return this;
    }

    /** The layer. */
    public Discretization build() {
      if (fromConfig && numBins == null) {
        throw new IllegalArgumentException("Discretization: adaptedBinBoundaries needs numBins");
      }
      return new Discretization(this);
    }
  }
}
