package io.github.keras4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keras's {@code keras.utils.split_dataset}: splits in-memory arrays (or a {@link Dataset}) into a left and a right
 * part, such as train / test.
 *
 * <pre>{@code
 * // Keras: left_ds, right_ds = keras.utils.split_dataset((x, y), left_size=0.8, shuffle=True, seed=1)
 * Splits.Split s = Splits.splitDataset(List.of(x, y), 0.8, null, true, 1L);
 * model.fit(s.left().x(), s.left().y(), new FitOptions().validationData(s.right().x(), s.right().y()));
 * }</pre>
 *
 * <p>Sizes as in Keras: a {@link Double} or {@link Float} is a fraction in (0, 1) of the samples
 * ({@code round(fraction * n)}, rounding half to even like Python's {@code round}); an {@link Integer} or
 * {@link Long} is a number of samples in (0, n); null is the complement of the other size. The left part is the
 * first {@code leftSize} samples, the right part the last {@code rightSize} (samples in between, when the sizes do
 * not add up to {@code n}, are in neither). With {@code shuffle} the samples are first shuffled as Python's
 * {@code random.seed(seed); random.shuffle(samples)}, bit for bit (see {@link MersenneTwister}), so a seed picks the
 * same samples as in Keras; a null seed draws one.
 *
 * <p>Java differences: Keras returns two unbatched {@code tf.data.Dataset}s; here the parts of arrays are arrays
 * ({@link Part}, with {@link Part#dataset()} when there is an input and a target), and a {@link Dataset} splits into
 * two {@link Dataset}s with its batch size (read whole into memory, as Keras does). Type errors (Keras's
 * {@code TypeError}) are {@link IllegalArgumentException}s.
 */
public final class Splits {

  private Splits() {}

  /**
   * One side of a split: the samples of each array, in the order given.
   *
   * @param arrays the arrays, each with the part's samples
   */
  public record Part(List<ArrayData> arrays) {
    /** Copies the list. */
    public Part {
      arrays = List.copyOf(arrays);
    }

    /** The number of samples. */
    public int size() {
      return arrays.get(0).rows();
    }

    /** Array {@code i}'s samples. */
    public ArrayData get(int i) {
      return arrays.get(i);
    }

    /** The first array (the input, or the only array). */
    public ArrayData x() {
      return arrays.get(0);
    }

    /** The second array (the target). */
    public ArrayData y() {
      if (arrays.size() < 2) {
        throw new IllegalStateException("This split holds " + arrays.size() + " array(s): there is no y");
      }
      return arrays.get(1);
    }

    /** The samples as a {@link Dataset} of (x, y), batches of 32 (needs exactly two arrays). */
    public Dataset dataset() {
      if (arrays.size() != 2) {
        throw new IllegalStateException("A Dataset has one input and one target; this split holds " + arrays.size()
            + " array(s)");
      }
      return Dataset.fromArrays(arrays.get(0), arrays.get(1));
    }
  }

  /** The two parts of arrays split by {@link #splitDataset(Object, Number, Number, boolean, Long)}. */
  public record Split(Part left, Part right) {}

  /** The two parts of a {@link Dataset}, with its batch size. */
  public record DatasetSplit(Dataset left, Dataset right) {}

  /**
   * Splits arrays with the same number of samples.
   *
   * @param data one array ({@code float[][]}, {@link ArrayData}, ...; see {@link ArrayData#of}) or a {@link List}
   *     of arrays (Keras's tuple, such as {@code List.of(x, y)}), split alike
   * @param leftSize a fraction ({@code Double}/{@code Float}), a count ({@code Integer}/{@code Long}) or null
   * @param rightSize likewise; at least one of the sizes must be given
   * @param seed the shuffle's seed, or null for a random one
   */
  public static Split splitDataset(Object data, Number leftSize, Number rightSize, boolean shuffle, Long seed) {
    List<ArrayData> arrays = new ArrayList<>();
    if (data instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        arrays.add(ArrayData.of("dataset[" + i + "]", list.get(i)));
      }
    } else {
      arrays.add(ArrayData.of("dataset", data));
    }
    if (arrays.isEmpty()) {
      throw new IllegalArgumentException("The `dataset` argument must hold at least one array. Received: an empty "
          + "list");
    }
    int n = arrays.get(0).rows();
    for (ArrayData a : arrays) {
      if (a.rows() != n) {
        throw new IllegalArgumentException("The arrays of `dataset` must have the same number of samples. Received: "
            + arrays.stream().map(ArrayData::rows).toList());
      }
    }
    int[][] parts = split(n, leftSize, rightSize, shuffle, seed);
    List<ArrayData> left = new ArrayList<>();
    List<ArrayData> right = new ArrayList<>();
    for (ArrayData a : arrays) {
      left.add(a.rows(parts[0], 0, parts[0].length));
      right.add(a.rows(parts[1], 0, parts[1].length));
    }
    return new Split(new Part(left), new Part(right));
  }

  /** {@code splitDataset(data, leftSize, null, false, null)}: the first {@code leftSize} samples and the rest. */
  public static Split splitDataset(Object data, Number leftSize) {
    return splitDataset(data, leftSize, null, false, null);
  }

  /**
   * Splits a {@link Dataset}: one pass (epoch 0, as the dataset is configured) is read into memory, split as arrays
   * are, and each part becomes a dataset of arrays with the original batch size.
   */
  public static DatasetSplit splitDataset(Dataset dataset, Number leftSize, Number rightSize, boolean shuffle,
      Long seed) {
    checkGiven(leftSize, rightSize);
    List<float[]> xs = new ArrayList<>();
    List<float[]> ys = new ArrayList<>();
    int xSize = 0;
    int ySize = 0;
    try (Dataset.Pass pass = dataset.open(0)) {
      while (pass.hasNext()) {
        Dataset.Batch b = pass.next();
        xSize = b.x().rowSize();
        ySize = b.y().rowSize();
        for (int i = 0; i < b.size(); i++) {
          xs.add(Arrays.copyOfRange(b.x().values(), i * xSize, (i + 1) * xSize));
          ys.add(Arrays.copyOfRange(b.y().values(), i * ySize, (i + 1) * ySize));
        }
      }
    }
    float[] x = new float[xs.size() * xSize];
    float[] y = new float[ys.size() * ySize];
    for (int i = 0; i < xs.size(); i++) {
      System.arraycopy(xs.get(i), 0, x, i * xSize, xSize);
      System.arraycopy(ys.get(i), 0, y, i * ySize, ySize);
    }
    ArrayData xa = new ArrayData("x", x, withRows(xs.size(), dataset.xShape()));
    ArrayData ya = new ArrayData("y", y, withRows(ys.size(), dataset.yShape()));
    Split s = splitDataset(List.of(xa, ya), leftSize, rightSize, shuffle, seed);
    return new DatasetSplit(s.left().dataset().batch(dataset.batchSize()),
        s.right().dataset().batch(dataset.batchSize()));
  }

  private static long[] withRows(int n, long[] sampleShape) {
    long[] s = new long[sampleShape.length + 1];
    s[0] = n;
    System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
    return s;
  }

  private static void checkGiven(Number leftSize, Number rightSize) {
    if (leftSize == null && rightSize == null) {
      throw new IllegalArgumentException("At least one of the `left_size` or `right_size` must be specified. "
          + "Received: left_size=None and right_size=None");
    }
  }

  /** The sample indices of the left and right parts. */
  static int[][] split(int n, Number leftSize, Number rightSize, boolean shuffle, Long seed) {
    checkGiven(leftSize, rightSize);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    if (shuffle) {
      MersenneTwister.pythonShuffle(order, seed != null ? seed : ThreadLocalRandom.current().nextInt(1_000_001));
    }
    int[] sizes = rescaleSplitSizes(leftSize, rightSize, n);
    int[] left = new int[sizes[0]];
    int[] right = new int[sizes[1]];
    for (int i = 0; i < left.length; i++) {
      left[i] = order.get(i);
    }
    for (int i = 0; i < right.length; i++) {
      right[i] = order.get(n - right.length + i);
    }
    return new int[][] {left, right};
  }

  private static boolean isInt(Number v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
  }

  private static boolean isFloat(Number v) {
    return v instanceof Double || v instanceof Float;
  }

  /** Keras's {@code _rescale_dataset_split_sizes}: the two sizes as counts, with Keras's checks and messages. */
  static int[] rescaleSplitSizes(Number leftSize, Number rightSize, int total) {
    boolean leftBad = leftSize != null && !isInt(leftSize) && !isFloat(leftSize);
    boolean rightBad = rightSize != null && !isInt(rightSize) && !isFloat(rightSize);
    if (leftBad && rightBad) {
      throw new IllegalArgumentException("Invalid `left_size` and `right_size` Types. Expected: integer or float or "
          + "None, Received: type(left_size)=" + leftSize.getClass().getSimpleName() + " and type(right_size)="
          + rightSize.getClass().getSimpleName());
    }
    if (leftBad) {
      throw new IllegalArgumentException("Invalid `left_size` Type. Expected: int or float or None, Received: "
          + "type(left_size)=" + leftSize.getClass().getSimpleName());
    }
    if (rightBad) {
      throw new IllegalArgumentException("Invalid `right_size` Type. Expected: int or float or None, Received: "
          + "type(right_size)=" + rightSize.getClass().getSimpleName());
    }
    if (leftSize != null && rightSize != null && leftSize.doubleValue() == 0 && rightSize.doubleValue() == 0) {
      throw new IllegalArgumentException("Both `left_size` and `right_size` are zero. At least one of the split "
          + "sizes must be non-zero.");
    }
    if (leftSize != null && (isInt(leftSize) && (leftSize.longValue() <= 0 || leftSize.longValue() >= total)
        || isFloat(leftSize) && (leftSize.doubleValue() <= 0 || leftSize.doubleValue() >= 1))) {
      throw new IllegalArgumentException("`left_size` should be either a positive integer smaller than " + total
          + ", or a float within the range `[0, 1]`. Received: left_size=" + leftSize);
    }
    if (rightSize != null && (isInt(rightSize) && (rightSize.longValue() <= 0 || rightSize.longValue() >= total)
        || isFloat(rightSize) && (rightSize.doubleValue() <= 0 || rightSize.doubleValue() >= 1))) {
      throw new IllegalArgumentException("`right_size` should be either a positive integer and smaller than " + total
          + " or a float within the range `[0, 1]`. Received: right_size=" + rightSize);
    }
    if (isFloat(leftSize) && isFloat(rightSize) && leftSize.doubleValue() + rightSize.doubleValue() > 1) {
      throw new IllegalArgumentException("The sum of `left_size` and `right_size` is greater than 1. It must be less "
          + "than or equal to 1.");
    }
    Long left = leftSize == null ? null : count(leftSize, total);
    Long right = rightSize == null ? null : count(rightSize, total);
    if (left == null) {
      left = total - right;
    } else if (right == null) {
      right = total - left;
    }
    if (left + right > total) {
      throw new IllegalArgumentException("The sum of `left_size` and `right_size` should be smaller than the " + total
          + ". Received: left_size + right_size = " + (left + right) + " and total_length = " + total);
    }
    for (String side : List.of("left", "right")) {
      if ((side.equals("left") ? left : right) == 0) {
        throw new IllegalArgumentException("With `dataset` of length=" + total + ", `left_size`=" + left
            + " and `right_size`=" + right + ". Resulting " + side + " side dataset split will be empty. Adjust any "
            + "of the aforementioned parameters");
      }
    }
    return new int[] {Math.toIntExact(left), Math.toIntExact(right)};
  }

  /** A size as a count: {@code round(fraction * total)} (half to even) or the integer itself. */
  private static long count(Number size, int total) {
    return isFloat(size) ? (long) Math.rint(size.doubleValue() * total) : size.longValue();
  }
}
