package io.github.keras4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Sliding windows over a time series, as Keras's {@code keras.utils.timeseries_dataset_from_array}: window
 * {@code i} starts at row {@code startIndex + p_i} of {@code data}, where {@code p_i = i * sequenceStride}, and holds
 * the rows {@code start, start + samplingRate, ..., start + (sequenceLength - 1) * samplingRate}; its target is
 * {@code targets[startIndex + p_i]}. There are as many windows as fit between {@code startIndex} and
 * {@code endIndex} ({@code endIndex - startIndex - (sequenceLength - 1) * samplingRate} positions, fewer if the
 * targets are shorter), every {@code sequenceStride}-th of them kept.
 *
 * <p>As in Keras, a target that follows the window is chosen by shifting the targets: to predict the row right after
 * 10 rows, pass {@code data[0 : n - 10]} and {@code targets = data[10 : n]}.
 *
 * <pre>{@code
 * // Keras: timeseries_dataset_from_array(x, y, sequence_length=120, sampling_rate=6, batch_size=256)
 * Dataset train = Timeseries.windows(x, 120).targets(y).samplingRate(6).dataset(256, false, 0);
 * // The same windows as arrays, for fit(x, y) with validationSplit or for predict:
 * Timeseries.Windows w = Timeseries.windows(x, 120).targets(y).samplingRate(6);
 * ArrayData inputs = w.inputs();     // (windows, 120, features)
 * ArrayData outputs = w.outputs();   // (windows, targetFeatures)
 * }</pre>
 *
 * <p>Java differences from Keras: the settings are a builder; {@link Windows#dataset} needs targets (a Keras4J
 * {@link Dataset} has one input and one target) and {@link Windows#inputs} gives the windows without them;
 * {@code shuffle} shuffles the window order once with {@link Random} seeded by {@code seed} (Keras: numpy's
 * {@code RandomState(seed)}, so the orders differ), then, as Keras, locally in a buffer of {@code 8 * batchSize}
 * windows that reshuffles every epoch. A series in which no window fits is an error (Keras yields an empty dataset).
 */
public final class Timeseries {

  private Timeseries() {}

  /**
   * The windows of {@code sequenceLength} rows over {@code data[row][feature]}, with Keras's defaults
   * ({@code sequenceStride=1}, {@code samplingRate=1}, the whole series, no targets) until set.
   */
  public static Windows windows(float[][] data, int sequenceLength) {
    return new Windows(data, sequenceLength);
  }

  /**
   * Keras's {@code timeseries_dataset_from_array(data, targets, sequence_length)} with its other defaults: stride
   * and sampling rate 1, batches of 128, in order.
   */
  public static Dataset datasetFromArray(float[][] data, float[] targets, int sequenceLength) {
    return windows(data, sequenceLength).targets(targets).dataset(128, false, 0);
  }

  /** The settings of a set of windows, and the windows as arrays or as a {@link Dataset}. */
  public static final class Windows {
    private final float[][] data;
    private final int sequenceLength;
    private float[][] targets;
    private int sequenceStride = 1;
    private int samplingRate = 1;
    private int startIndex;
    private Integer endIndex;

    private Windows(float[][] data, int sequenceLength) {
      if (data == null || data.length == 0) {
        throw new IllegalArgumentException("Timeseries: `data` must hold at least one row. Received: "
            + (data == null ? "null" : "0 rows"));
      }
      int width = data[0].length;
      for (int i = 0; i < data.length; i++) {
        if (data[i] == null || data[i].length != width || width == 0) {
          throw new IllegalArgumentException("Timeseries: every row of `data` must have the same, non-zero number "
              + "of features. Row 0 has " + width + ", row " + i + " has "
              + (data[i] == null ? "none (null)" : data[i].length));
        }
      }
      if (sequenceLength <= 0) {
        throw new IllegalArgumentException("Timeseries: `sequence_length` must be higher than 0. Received: "
            + "sequence_length=" + sequenceLength);
      }
      this.data = data;
      this.sequenceLength = sequenceLength;
    }

    /** One scalar target per row: window {@code i}'s target is {@code targets[startIndex + p_i]}. */
    public Windows targets(float[] targets) {
      if (targets == null) {
        this.targets = null;
        return this;
      }
      float[][] rows = new float[targets.length][];
      for (int i = 0; i < targets.length; i++) {
        rows[i] = new float[] {targets[i]};
      }
      return targets(rows);
    }

    /** Targets of several values per row ({@code targets[row][value]}); null for none. */
    public Windows targets(float[][] targets) {
      if (targets != null) {
        if (targets.length == 0) {
          throw new IllegalArgumentException("Timeseries: `targets` must hold at least one row, or be null");
        }
        for (int i = 0; i < targets.length; i++) {
          if (targets[i] == null || targets[i].length != targets[0].length || targets[0].length == 0) {
            throw new IllegalArgumentException("Timeseries: every row of `targets` must have the same, non-zero "
                + "number of values. Row 0 has " + targets[0].length + ", row " + i + " has "
                + (targets[i] == null ? "none (null)" : targets[i].length));
          }
        }
      }
      this.targets = targets;
      return this;
    }

    /** The distance between the first rows of two consecutive windows; default 1. */
    public Windows sequenceStride(int sequenceStride) {
      if (sequenceStride <= 0 || sequenceStride >= data.length) {
        throw new IllegalArgumentException("Timeseries: `sequence_stride` must be higher than 0 and lower than the "
            + "length of the data. Received: sequence_stride=" + sequenceStride + ", for data of length "
            + data.length);
      }
      this.sequenceStride = sequenceStride;
      return this;
    }

    /** The distance between two rows of one window; default 1. */
    public Windows samplingRate(int samplingRate) {
      if (samplingRate <= 0 || samplingRate >= data.length) {
        throw new IllegalArgumentException("Timeseries: `sampling_rate` must be higher than 0 and lower than the "
            + "length of the data. Received: sampling_rate=" + samplingRate + ", for data of length " + data.length);
      }
      this.samplingRate = samplingRate;
      return this;
    }

    /** The first row any window may use; default 0. */
    public Windows startIndex(int startIndex) {
      if (startIndex < 0 || startIndex >= data.length) {
        throw new IllegalArgumentException("Timeseries: `start_index` must be 0 or greater and lower than the "
            + "length of the data. Received: start_index=" + startIndex + ", for data of length " + data.length);
      }
      this.startIndex = startIndex;
      return this;
    }

    /** The row after the last one any window may use (exclusive); default the length of the data. */
    public Windows endIndex(int endIndex) {
      if (endIndex <= 0 || endIndex > data.length) {
        throw new IllegalArgumentException("Timeseries: `end_index` must be higher than 0 and at most the length "
            + "of the data. Received: end_index=" + endIndex + ", for data of length " + data.length);
      }
      this.endIndex = endIndex;
      return this;
    }

    /**
     * The row of {@code data} where each window starts ({@code startIndex + p_i}), in order.
     *
     * @throws IllegalArgumentException when {@code endIndex <= startIndex}, or no window fits
     */
    public int[] starts() {
      int end = endIndex != null ? endIndex : data.length;
      if (end <= startIndex) {
        throw new IllegalArgumentException("Timeseries: `end_index` must be higher than `start_index`. Received: "
            + "start_index=" + startIndex + ", and end_index=" + end);
      }
      long positions = end - startIndex - (long) (sequenceLength - 1) * samplingRate;
      if (targets != null) {
        positions = Math.min(positions, targets.length - (long) startIndex);
      }
      if (positions <= 0) {
        throw new IllegalArgumentException("Timeseries: no window fits. A window of sequence_length="
            + sequenceLength + " rows every sampling_rate=" + samplingRate + " spans "
            + ((long) (sequenceLength - 1) * samplingRate + 1) + " rows, and rows " + startIndex + " to " + (end - 1)
            + (targets != null ? " with " + targets.length + " target rows" : "") + " are available");
      }
      int[] out = new int[(int) ((positions + sequenceStride - 1) / sequenceStride)];
      for (int i = 0; i < out.length; i++) {
        out[i] = startIndex + i * sequenceStride;
      }
      return out;
    }

    /** All the windows as one array {@code (windows, sequenceLength, features)}, named {@code x}. */
    public ArrayData inputs() {
      int[] starts = starts();
      int features = data[0].length;
      float[] out = new float[Math.multiplyExact(Math.multiplyExact(starts.length, sequenceLength), features)];
      for (int i = 0; i < starts.length; i++) {
        copyWindow(starts[i], out, i * sequenceLength * features);
      }
      return new ArrayData("x", out, starts.length, sequenceLength, features);
    }

    /**
     * The windows' targets as one array {@code (windows, targetValues)}, named {@code y}.
     *
     * @throws IllegalStateException when no targets were given
     */
    public ArrayData outputs() {
      float[][] t = requireTargets("outputs()");
      int[] starts = starts();
      int width = t[0].length;
      float[] out = new float[Math.multiplyExact(starts.length, width)];
      for (int i = 0; i < starts.length; i++) {
        System.arraycopy(t[starts[i]], 0, out, i * width, width);
      }
      return new ArrayData("y", out, starts.length, width);
    }

    /**
     * The windows and their targets as a {@link Dataset} in batches of {@code batchSize}, made one window at a
     * time (the windows are never all in memory), as Keras's {@code timeseries_dataset_from_array}.
     *
     * @param shuffle whether to shuffle the window order (see the class notes)
     * @param seed the shuffle's seed
     * @throws IllegalStateException when no targets were given
     */
    public Dataset dataset(int batchSize, boolean shuffle, long seed) {
      float[][] t = requireTargets("dataset()");
      if (batchSize <= 0) {
        throw new IllegalArgumentException("Timeseries: `batch_size` must be higher than 0. Received: batch_size="
            + batchSize);
      }
      int[] starts = starts();
      if (shuffle) {
        Random random = new Random(seed);
        for (int i = starts.length - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int s = starts[i];
          starts[i] = starts[j];
          starts[j] = s;
        }
      }
      int features = data[0].length;
      Dataset d = Dataset.fromSamples("timeseries", new long[] {sequenceLength, features}, new long[] {t[0].length},
          () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
              return i < starts.length;
            }

            @Override
            public Dataset.Sample next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              float[] x = new float[sequenceLength * features];
              copyWindow(starts[i], x, 0);
              return new Dataset.Sample(x, t[starts[i++]].clone());
            }
          });
      if (shuffle) {
        d = d.shuffle(Math.multiplyExact(batchSize, 8), seed);
      }
      return d.batch(batchSize);
    }

    private void copyWindow(int start, float[] out, int offset) {
      int features = data[0].length;
      for (int s = 0; s < sequenceLength; s++) {
        System.arraycopy(data[start + s * samplingRate], 0, out, offset + s * features, features);
      }
    }

    private float[][] requireTargets(String method) {
      if (targets == null) {
        throw new IllegalStateException("Timeseries: call targets(...) before " + method);
      }
      return targets;
    }
  }
}
