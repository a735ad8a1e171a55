package io.github.keras4j.layers.preprocessing;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputSpec;
import io.github.keras4j.layers.Layer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Min;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Contrast Limited Adaptive Histogram Equalization (CLAHE), as Keras 3's
 * {@code keras.layers.ContrastLimitedAdaptiveHistogramEqualization}: each image is cut into a grid of tiles, each tile
 * equalized through its own clipped histogram, and the tiles' mappings blended bilinearly so no tile edges show.
 * Applied in training and in inference, as Keras; no random draws.
 *
 * <p>As Keras's code, per image and channel: values are mapped from {@code valueRange} (as given) to
 * {@code [0, 255]}. With {@code tileGridSize = (gh, gw)}, tiles are {@code th = ceil(height / gh)} by
 * {@code tw = ceil(width / gw)} pixels; the image is padded at the bottom and right to {@code (gh th, gw tw)} by
 * symmetric reflection ({@code a b c d | d c b a}). Each tile's 256-bin histogram counts {@code clip(int(v), 0, 255)};
 * if {@code clipLimit > 0}, each bin is clipped to {@code clipLimit * th * tw / 256} and the clipped excess spread
 * evenly over the 256 bins (once). With {@code cdf} the histogram's cumulative sum and {@code cdfMin = cdf[0]}, the
 * tile's mapping is {@code clip((cdf - cdfMin) * 255 / (th tw - cdfMin), 0, 255)} (a zero divisor becomes 1). Pixel
 * (row {@code p}, column {@code q}) with bin {@code v} becomes the bilinear blend of the mappings at {@code v} of the
 * four tiles around it: with {@code gy = (p - th / 2) / th}, tiles {@code floor(gy)} and {@code floor(gy) + 1} (clamped
 * to the grid) weighted {@code 1 - t} and {@code t}, {@code t = gy - floor(gy)}, and likewise across columns. The result
 * is mapped back to {@code valueRange}.
 *
 * <p>Gradients: the output depends on the input only through integer histogram bins, so no gradient reaches the
 * layers before this one (Keras's casts to integers stop it too). Put it on the model's input, before any trainable
 * layer.
 *
 * <p>Differences from Keras: batched channels-last float images with known height, width and channels only;
 * {@code tileGridSize} must hold two positive integers, {@code clipLimit} be finite and the two ends of
 * {@code valueRange} differ (Keras checks none of these); tiles larger than the image pad by repeated reflection
 * (NumPy's {@code pad(mode="symmetric")}, where Keras's TensorFlow backend fails).
 *
 * <pre>{@code
 * new ContrastLimitedAdaptiveHistogramEqualization();                     // values in (0, 255), clip 4, 8x8 tiles
 * new ContrastLimitedAdaptiveHistogramEqualization(0, 1, 2.0, new int[] {4, 4}, null);
 * }</pre>
 */
public class ContrastLimitedAdaptiveHistogramEqualization extends Layer {

  private static final int BINS = 256;

  private final double[] valueRange;
  private final double clipLimit;
  private final int[] tileGridSize;

  /** Keras's defaults: values in {@code (0, 255)}, clip limit 4, 8x8 tiles. */
  public ContrastLimitedAdaptiveHistogramEqualization() {
    this(0, 255, 4.0, new int[] {8, 8}, null);
  }

  /**
   * @param low the images' value for 0 (Keras's {@code value_range[0]})
   * @param high the images' value for 255 ({@code value_range[1]}); must differ from {@code low}
   * @param clipLimit the histogram clip limit, relative to a flat histogram; at most 0 for no clipping
   * @param tileGridSize the number of tiles {@code {rows, columns}}, both positive
   * @param name the layer's name, or null for a generated one
   */
  public ContrastLimitedAdaptiveHistogramEqualization(double low, double high, double clipLimit, int[] tileGridSize,
      String name) {
    super(name);
    this.valueRange = ImageTransforms.valueRange(describe(), new double[] {low, high}, false);
    if (low == high) {
      throw new IllegalArgumentException(describe() + ": the two ends of `value_range` must differ. Received: "
          + "value_range=" + Arrays.toString(valueRange));
    }
    if (!Double.isFinite(clipLimit)) {
      throw new IllegalArgumentException(describe() + ": the `clip_limit` argument should be a finite number. "
          + "Received: clip_limit=" + clipLimit);
    }
    this.clipLimit = clipLimit;
    if (tileGridSize == null || tileGridSize.length != 2 || tileGridSize[0] < 1 || tileGridSize[1] < 1) {
      throw new IllegalArgumentException(describe() + ": the `tile_grid_size` argument should be a list of two "
          + "positive integers (rows, columns). Received: tile_grid_size="
          + (tileGridSize == null ? "null" : Arrays.toString(tileGridSize)));
    }
    this.tileGridSize = tileGridSize.clone();
    setInputSpec(new InputSpec(null, 4, Map.of()));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.get(1) < 0 || inputShape.get(2) < 0 || inputShape.get(3) < 0) {
      throw new IllegalArgumentException(describe() + ": the image height, width and channels (axes 1, 2 and 3) must "
          + "be known. Received: input_shape=" + format(inputShape));
    }
    return inputShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    int h = (int) inputs.shape().get(1);
    int w = (int) inputs.shape().get(2);
    int c = (int) inputs.shape().get(3);
    int gh = tileGridSize[0];
    int gw = tileGridSize[1];
    int th = (h + gh - 1) / gh;
    int tw = (w + gw - 1) / gw;
    Operand<TFloat32> x = toRange(tf, tf.stopGradient(inputs), valueRange[0], valueRange[1], 0, 255);
    Operand<TInt32> bins = tf.clipByValue(tf.dtypes.cast(x, TInt32.class), tf.constant(0), tf.constant(BINS - 1));
    Operand<TFloat32> mapping = tileMappings(tf, symmetricPad(tf, bins, th * gh, tw * gw), th, tw, c);
    // Mapping of tile (ty, tx), channel ch, bin v at ((((n gh + ty) gw + tx) c + ch) 256 + v) of the flat table.
    int strideX = c * BINS;
    int strideY = gw * strideX;
    Operand<TInt32> batch = tf.reshape(Shapes.dims(tf, inputs, 0, 1), tf.constant(new int[0]));
    Operand<TInt32> base = tf.math.add(tf.math.add(tf.reshape(tf.math.mul(tf.range(tf.constant(0), batch,
        tf.constant(1)), tf.constant(gh * strideY)), tf.constant(new int[] {-1, 1, 1, 1})),
        tf.reshape(tf.math.mul(tf.range(tf.constant(0), tf.constant(c), tf.constant(1)), tf.constant(BINS)),
            tf.constant(new int[] {1, 1, 1, c}))), bins);
    Blend rows = blend(h, th, gh);
    Blend columns = blend(w, tw, gw);
    Operand<TFloat32> out = null;
    for (int a = 0; a < 2; a++) {
      Operand<TFloat32> row = null;
      for (int b = 0; b < 2; b++) {
        Operand<TInt32> offset = tf.math.add(axisConstant(tf, rows.tiles[a], strideY, 1),
            axisConstant(tf, columns.tiles[b], strideX, 2));
        Operand<TFloat32> read = tf.gather(mapping, tf.math.add(base, offset), tf.constant(0));
        Operand<TFloat32> term = tf.math.mul(read, axisWeights(tf, columns.weights[b], 2));
        row = row == null ? term : tf.math.add(row, term);
      }
      Operand<TFloat32> term = tf.math.mul(row, axisWeights(tf, rows.weights[a], 1));
      out = out == null ? term : tf.math.add(out, term);
    }
    return toRange(tf, out, 0, 255, valueRange[0], valueRange[1]);
  }

  /** Keras's {@code _transform_value_range}: {@code (x - from0) / (from1 - from0) * (to1 - to0) + to0}. */
  private static Operand<TFloat32> toRange(Ops tf, Operand<TFloat32> x, double from0, double from1, double to0,
      double to1) {
    if (from0 == to0 && from1 == to1) {
      return x;
    }
    Operand<TFloat32> unit = tf.math.div(tf.math.sub(x, tf.constant((float) from0)),
        tf.constant((float) from1 - (float) from0));
    return tf.math.add(tf.math.mul(unit, tf.constant((float) to1 - (float) to0)), tf.constant((float) to0));
  }

  /** {@code x} padded at the bottom and right to {@code (hp, wp)} by symmetric reflection, through gathers. */
  private static Operand<TInt32> symmetricPad(Ops tf, Operand<TInt32> x, int hp, int wp) {
    int h = (int) x.shape().get(1);
    int w = (int) x.shape().get(2);
    Operand<TInt32> rows = hp == h ? x : tf.gather(x, tf.constant(reflected(hp, h)), tf.constant(1));
    return wp == w ? rows : tf.gather(rows, tf.constant(reflected(wp, w)), tf.constant(2));
  }

  /** The source index of each of {@code n} positions over an axis of {@code size}: {@code d c b a | a b c d | d c}. */
  private static int[] reflected(int n, int size) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int m = i % (2 * size);
      out[i] = m < size ? m : 2 * size - 1 - m;
    }
    return out;
  }

  /**
   * Every tile's mapping of the bins {@code (batch, hp, wp, c)} as one flat table
   * {@code (batch * gh * gw * c * 256)}: clipped histogram, redistributed excess, normalised cumulative sum.
   */
  private Operand<TFloat32> tileMappings(Ops tf, Operand<TInt32> bins, int th, int tw, int c) {
    int hp = (int) bins.shape().get(1);
    int wp = (int) bins.shape().get(2);
    int gh = hp / th;
    int gw = wp / tw;
    // Segment of each pixel: ((tile row * gw + tile column) * c + channel) * 256 + bin, then the image's offset.
    int[] tileOffsets = new int[hp * wp];
    for (int p = 0; p < hp; p++) {
      for (int q = 0; q < wp; q++) {
        tileOffsets[p * wp + q] = ((p / th) * gw + q / tw) * c * BINS;
      }
    }
    int perImage = gh * gw * c * BINS;
    Operand<TInt32> batch = tf.reshape(Shapes.dims(tf, bins, 0, 1), tf.constant(new int[0]));
    Operand<TInt32> segment = tf.math.add(tf.math.add(tf.math.add(bins,
        tf.reshape(tf.constant(tileOffsets), tf.constant(new int[] {1, hp, wp, 1}))),
        tf.reshape(tf.math.mul(tf.range(tf.constant(0), tf.constant(c), tf.constant(1)), tf.constant(BINS)),
            tf.constant(new int[] {1, 1, 1, c}))),
        tf.reshape(tf.math.mul(tf.range(tf.constant(0), batch, tf.constant(1)), tf.constant(perImage)),
            tf.constant(new int[] {-1, 1, 1, 1})));
    Operand<TFloat32> ones = tf.fill(tf.shape(segment), tf.constant(1f));
    Operand<TFloat32> hist = tf.reshape(tf.math.unsortedSegmentSum(ones, segment, tf.math.mul(batch,
        tf.constant(perImage))), tf.constant(new int[] {-1, BINS}));
    float area = th * tw;
    if (clipLimit > 0) {
      Operand<TFloat32> limit = tf.constant((float) (clipLimit * (th * tw) / 256.0));
      Operand<TFloat32> clipped = tf.math.minimum(hist, limit);
      Operand<TFloat32> excess = tf.sum(tf.math.sub(hist, clipped), tf.constant(-1), Sum.keepDims(true));
      hist = tf.math.add(clipped, tf.math.div(excess, tf.constant(256f)));
    }
    Operand<TFloat32> cdf = tf.math.cumsum(hist, tf.constant(-1));
    Operand<TFloat32> cdfMin = tf.min(cdf, tf.constant(-1), Min.keepDims(true));
    Operand<TFloat32> numerator = tf.math.mul(tf.math.sub(cdf, cdfMin), tf.constant(255f));
    Operand<TFloat32> denominator = tf.math.sub(tf.constant(area), cdfMin);
    denominator = tf.select(tf.math.equal(denominator, tf.constant(0f)), tf.onesLike(denominator), denominator);
    Operand<TFloat32> mapped = tf.clipByValue(tf.math.div(numerator, denominator), tf.constant(0f),
        tf.constant(255f));
    return tf.reshape(mapped, tf.constant(new int[] {-1}));
  }

  /** For each pixel along an axis: its two tiles (clamped to the grid) and their weights. */
  private record Blend(int[][] tiles, float[][] weights) {}

  /**
   * Keras's blend along an axis of {@code n} pixels cut in {@code grid} tiles of {@code t}: {@code g = (p - t / 2) / t
   * + 1} on the grid padded by one tile on each side (float32, as Keras), tiles {@code floor(g) - 1} and
   * {@code floor(g)} clamped to {@code [0, grid - 1]} (the padding repeats the edge tiles), weights {@code 1 - (g -
   * floor(g))} and {@code g - floor(g)}.
   */
  private static Blend blend(int n, int t, int grid) {
    int[][] tiles = new int[2][n];
    float[][] weights = new float[2][n];
    for (int p = 0; p < n; p++) {
      float g = ((float) p - t / 2.0f) / t + 1.0f;
      float lower = (float) Math.floor(g);
      float upper = g - lower;
      tiles[0][p] = Math.max(0, Math.min(grid - 1, (int) lower - 1));
      tiles[1][p] = Math.max(0, Math.min(grid - 1, (int) lower));
      weights[0][p] = 1.0f - upper;
      weights[1][p] = upper;
    }
    return new Blend(tiles, weights);
  }

  /** {@code tiles[p] * stride} shaped to broadcast along {@code axis} (1 rows, 2 columns) of a 4-D tensor. */
  private static Operand<TInt32> axisConstant(Ops tf, int[] tiles, int stride, int axis) {
    int[] v = Arrays.stream(tiles).map(i -> i * stride).toArray();
    return tf.reshape(tf.constant(v), tf.constant(axis == 1 ? new int[] {1, -1, 1, 1} : new int[] {1, 1, -1, 1}));
  }

  private static Operand<TFloat32> axisWeights(Ops tf, float[] weights, int axis) {
    return tf.reshape(tf.constant(weights), tf.constant(axis == 1 ? new int[] {1, -1, 1, 1}
        : new int[] {1, 1, -1, 1}));
  }

  /** The value range (as given). */
  public double[] valueRange() {
    return valueRange.clone();
  }

  /** The histogram clip limit (at most 0: no clipping). */
  public double clipLimit() {
    return clipLimit;
  }

  /** The number of tiles {@code {rows, columns}}. */
  public int[] tileGridSize() {
    return tileGridSize.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("value_range", List.of(valueRange[0], valueRange[1]));
    c.put("clip_limit", clipLimit);
    c.put("tile_grid_size", List.of(tileGridSize[0], tileGridSize[1]));
    c.put("data_format", "channels_last");
    return c;
  }
}
