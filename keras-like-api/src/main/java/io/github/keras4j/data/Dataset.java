package io.github.keras4j.data;

import io.github.keras4j.graph.Shapes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * A stream of training samples cut into batches, for {@code fit(dataset, options)} and
 * {@code evaluate(dataset)}: Keras's {@code tf.data.Dataset} input, for data that should not (or cannot) be
 * held in memory as one array.
 *
 * <p>A dataset is a recipe, re-read from the start for every epoch. It is configured like tf.data, each call
 * returning a new dataset:
 *
 * <pre>{@code
 * Dataset train = Dataset.fromCsv(Path.of("big.csv"), new int[] {0, 1, 2, 3}, new int[] {4}, true)
 *     .shuffle(10_000, 42)   // a bounded shuffle buffer, reshuffled each epoch
 *     .batch(128)
 *     .prefetch(2);          // the next batches are read and parsed on another thread during the step
 * model.fit(train, new FitOptions().epochs(5));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #shuffle}: as tf.data's {@code shuffle(buffer_size, seed)}: the first {@code bufferSize} samples
 *       fill a buffer; each next sample is drawn uniformly from it and replaced by the next one read. A buffer as
 *       large as the data is a full shuffle; memory is {@code bufferSize} samples. Each epoch draws a new order
 *       (seed + epoch).
 *   <li>{@link #batch}: consecutive samples in batches of the given size (default 32); the last batch of a pass
 *       may be smaller.
 *   <li>{@link #prefetch}: batches are prepared (read, parsed, shuffled, packed) by a background thread into a
 *       queue of that many batches, so the training step does not wait for them. An error while reading is
 *       rethrown by the training loop.
 * </ul>
 *
 * <p>Samples have one input and one target (Java difference: Keras datasets may yield tuples and dicts of
 * several inputs; fit a multi-input model from arrays). Values must be finite: a NaN or infinite value is an
 * error naming where it was read.
 */
public final class Dataset {

  /** One sample: its input and target values, flattened row-major to the dataset's sample shapes. */
  public record Sample(float[] x, float[] y) {}

  /** One batch: inputs {@code (n, ...)} and targets {@code (n, ...)}. */
  public record Batch(ArrayData x, ArrayData y) {
    /** The number of samples. */
    public int size() {
      return x.rows();
    }
  }

  /** A pass over the data, which may hold a file open until closed. */
  public interface Pass extends Iterator<Batch>, AutoCloseable {
    /** Stops the pass and releases its file and thread. */
    @Override
    void close();
  }

  private final String name;
  private final long[] xShape;
  private final long[] yShape;
  private final Supplier<Iterator<Sample>> source;
  private final int batchSize;
  private final int shuffleBuffer;
  private final long seed;
  private final int prefetch;

  private Dataset(String name, long[] xShape, long[] yShape, Supplier<Iterator<Sample>> source, int batchSize,
      int shuffleBuffer, long seed, int prefetch) {
    this.name = name;
    this.xShape = xShape.clone();
    this.yShape = yShape.clone();
    this.source = source;
    this.batchSize = batchSize;
    this.shuffleBuffer = shuffleBuffer;
    this.seed = seed;
    this.prefetch = prefetch;
  }

  // ------------------------------------------------------------------ sources

  /**
   * Samples from any source: {@code passes} opens a new pass over the samples each time it is called (once per
   * epoch); an iterator that is {@link AutoCloseable} is closed when the pass ends.
   *
   * @param xShape the shape of one input, without the batch axis ({@code {784}}, {@code {28, 28, 1}})
   * @param yShape the shape of one target, without the batch axis ({@code {}} or {@code {1}} for a scalar)
   */
  public static Dataset fromSamples(String name, long[] xShape, long[] yShape, Supplier<Iterator<Sample>> passes) {
    for (long d : xShape) {
      requirePositive(name, "xShape", xShape, d);
    }
    for (long d : yShape) {
      requirePositive(name, "yShape", yShape, d);
    }
    return new Dataset(name, xShape, yShape, passes, 32, 0, 0, 0);
  }

  /** In-memory arrays (as {@code fit(x, y)} takes them), streamed in batches: x {@code (n, ...)}, y {@code (n, ...)}. */
  public static Dataset fromArrays(Object x, Object y) {
    ArrayData xs = ArrayData.of("x", x);
    ArrayData ys = ArrayData.of("y", y);
    if (xs.isStrings() || ys.isStrings()) {
      throw new UnsupportedOperationException("Dataset.fromArrays: datasets hold numbers only; pass String arrays "
          + "(for Input.ofStrings inputs) to fit, evaluate and predict directly");
    }
    if (xs.rows() != ys.rows()) {
      throw new IllegalArgumentException("Dataset.fromArrays: x and y must have the same number of samples. "
          + "Received: " + xs.rows() + " and " + ys.rows());
    }
    xs.checkFinite();
    ys.checkFinite();
    long[] xShape = Arrays.copyOfRange(xs.shape(), 1, xs.shape().length);
    long[] yShape = Arrays.copyOfRange(ys.shape(), 1, ys.shape().length);
    return new Dataset("arrays", xShape, yShape, () -> new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < xs.rows();
      }

      @Override
      public Sample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        float[] xv = Arrays.copyOfRange(xs.values(), i * xs.rowSize(), (i + 1) * xs.rowSize());
        float[] yv = Arrays.copyOfRange(ys.values(), i * ys.rowSize(), (i + 1) * ys.rowSize());
        i++;
        return new Sample(xv, yv);
      }
    }, 32, 0, 0, 0);
  }

  /**
   * A CSV file read line by line (never whole into memory): the given columns of each row are the input and
   * the target. Blank lines are skipped; fields are separated by commas.
   *
   * @param featureColumns the input's columns, 0-based, in order
   * @param labelColumns the target's columns (one for a scalar target or a class index)
   * @param header whether the first line holds column names
   */
  public static Dataset fromCsv(Path file, int[] featureColumns, int[] labelColumns, boolean header) {
    if (!Files.isRegularFile(file)) {
      throw new UncheckedIOException(new IOException("CSV file not found: " + file));
    }
    if (featureColumns.length == 0 || labelColumns.length == 0) {
      throw new IllegalArgumentException("Dataset.fromCsv(" + file + "): give at least one feature and one label "
          + "column. Received: featureColumns=" + Arrays.toString(featureColumns) + ", labelColumns="
          + Arrays.toString(labelColumns));
    }
    int[] fc = featureColumns.clone();
    int[] lc = labelColumns.clone();
    return new Dataset(file.getFileName().toString(), new long[] {fc.length}, new long[] {lc.length},
        () -> new CsvReader(file, fc, lc, header), 32, 0, 0, 0);
  }

  // ------------------------------------------------------------------ configuration

  /** The same samples in batches of {@code batchSize} (default 32). */
  public Dataset batch(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("Dataset.batch: batchSize must be positive. Received: " + batchSize);
    }
    return new Dataset(name, xShape, yShape, source, batchSize, shuffleBuffer, seed, prefetch);
  }

  /** Shuffles with a buffer of {@code bufferSize} samples, a new order every epoch (see the class comment). */
  public Dataset shuffle(int bufferSize, long seed) {
    if (bufferSize <= 0) {
      throw new IllegalArgumentException("Dataset.shuffle: bufferSize must be positive. Received: " + bufferSize);
    }
    return new Dataset(name, xShape, yShape, source, batchSize, bufferSize, seed, prefetch);
  }

  /** Prepares up to {@code batches} batches ahead on a background thread; 0 (default) prepares on demand. */
  public Dataset prefetch(int batches) {
    if (batches < 0) {
      throw new IllegalArgumentException("Dataset.prefetch: batches must be >= 0. Received: " + batches);
    }
    return new Dataset(name, xShape, yShape, source, batchSize, shuffleBuffer, seed, batches);
  }

  /** The shape of one input, without the batch axis. */
  public long[] xShape() {
    return xShape.clone();
  }

  /** The shape of one target, without the batch axis. */
  public long[] yShape() {
    return yShape.clone();
  }

  /** The batch size. */
  public int batchSize() {
    return batchSize;
  }

  /** The dataset's name (file name, or "arrays"), used in messages. */
  public String name() {
    return name;
  }

  // ------------------------------------------------------------------ passes

  /**
   * Opens a pass over the data: the batches of one epoch, shuffled with seed {@code seed + epoch}. Close it when
   * done (fit does).
   */
  public Pass open(int epoch) {
    Iterator<Sample> samples = source.get();
    if (shuffleBuffer > 0) {
      samples = new ShuffleBuffer(samples, shuffleBuffer, new SplittableRandom(seed + epoch));
    }
    Pass batches = new Batcher(samples);
    return prefetch > 0 ? new Prefetcher(batches, prefetch, name) : batches;
  }

  private final class Batcher implements Pass {
    private final Iterator<Sample> samples;
    private final int xSize = elements(xShape);
    private final int ySize = elements(yShape);

    Batcher(Iterator<Sample> samples) {
      this.samples = samples;
    }

    @Override
    public boolean hasNext() {
      return samples.hasNext();
    }

    @Override
    public Batch next() {
      if (!samples.hasNext()) {
        throw new NoSuchElementException();
      }
      float[] x = new float[batchSize * xSize];
      float[] y = new float[batchSize * ySize];
      int n = 0;
      while (n < batchSize && samples.hasNext()) {
        Sample s = samples.next();
        if (s.x().length != xSize || s.y().length != ySize) {
          throw new IllegalArgumentException("Dataset '" + name + "': a sample has " + s.x().length + " input and "
              + s.y().length + " target values, expected " + xSize + " " + Shapes.format(xShape) + " and " + ySize
              + " " + Shapes.format(yShape));
        }
        System.arraycopy(s.x(), 0, x, n * xSize, xSize);
        System.arraycopy(s.y(), 0, y, n * ySize, ySize);
        n++;
      }
      if (n < batchSize) {
        x = Arrays.copyOf(x, n * xSize);
        y = Arrays.copyOf(y, n * ySize);
      }
      return new Batch(new ArrayData("x", x, withBatch(n, xShape)), new ArrayData("y", y, withBatch(n, yShape)));
    }

    @Override
    public void close() {
      closeSource(samples);
    }
  }

  /** Closes a sample source that holds a file or another resource. */
  private static void closeSource(Iterator<Sample> source) {
    if (source instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("Could not close the dataset's source: " + e.getMessage(), e);
      }
    }
  }

  private static int elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  private static long[] withBatch(int n, long[] sampleShape) {
    long[] s = new long[sampleShape.length + 1];
    s[0] = n;
    System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
    return s;
  }

  /** tf.data's shuffle buffer: draw uniformly from the buffer, refill the drawn slot from the source. */
  private static final class ShuffleBuffer implements Iterator<Sample>, AutoCloseable {
    private final Iterator<Sample> source;
    private final Sample[] buffer;
    private final SplittableRandom random;
    private int filled;

    ShuffleBuffer(Iterator<Sample> source, int size, SplittableRandom random) {
      this.source = source;
      this.buffer = new Sample[size];
      this.random = random;
      while (filled < size && source.hasNext()) {
        buffer[filled++] = source.next();
      }
    }

    @Override
    public boolean hasNext() {
      return filled > 0;
    }

    @Override
    public Sample next() {
      if (filled == 0) {
        throw new NoSuchElementException();
      }
      int i = random.nextInt(filled);
      Sample out = buffer[i];
      if (source.hasNext()) {
        buffer[i] = source.next();
      } else {
        buffer[i] = buffer[--filled];
        buffer[filled] = null;
      }
      return out;
    }

    @Override
    public void close() {
      closeSource(source);
    }
  }

  /** Runs a pass on a daemon thread, {@code depth} batches ahead of the consumer. */
  private static final class Prefetcher implements Pass {
    private static final Object END = new Object();
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private Object head;

    Prefetcher(Pass pass, int depth, String name) {
      this.queue = new ArrayBlockingQueue<>(depth + 1);
      this.thread = new Thread(() -> {
        try (pass) {
          Object item;
          do {
            try {
              item = pass.hasNext() ? pass.next() : END;
            } catch (RuntimeException | Error e) {
              item = e; // handed over after the batches read before it, in order
            }
            queue.put(item);
          } while (item instanceof Batch);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "keras4j-prefetch-" + name);
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public boolean hasNext() {
      if (head == null) {
        try {
          head = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the next batch", e);
        }
      }
      if (head instanceof RuntimeException e) {
        throw e;
      }
      if (head instanceof Error e) {
        throw e;
      }
      return head != END;
    }

    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Batch b = (Batch) head;
      head = null;
      return b;
    }

    @Override
    public void close() {
      thread.interrupt();
      queue.clear();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Streams a CSV file's rows as samples. */
  private static final class CsvReader implements Iterator<Sample>, AutoCloseable {
    private final Path file;
    private final int[] fc;
    private final int[] lc;
    private final BufferedReader reader;
    private Sample next;
    private boolean done;
    private int line;

    CsvReader(Path file, int[] fc, int[] lc, boolean header) {
      this.file = file;
      this.fc = fc;
      this.lc = lc;
      try {
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        if (header) {
          reader.readLine();
          line++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read the CSV file " + file + ": " + e.getMessage(), e);
      }
    }

    /** Reads the next non-blank row into {@code next}, or sets {@code done}. Lazy: a bad row fails when reached. */
    private void advance() {
      try {
        String s;
        while ((s = reader.readLine()) != null) {
          line++;
          if (!s.isBlank()) {
            next = parse(s);
            return;
          }
        }
        done = true;
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read the CSV file " + file + " at line " + (line + 1) + ": "
            + e.getMessage(), e);
      }
    }

    private Sample parse(String s) {
      String[] f = s.split(",", -1);
      return new Sample(columns(f, fc, s), columns(f, lc, s));
    }

    private float[] columns(String[] fields, int[] cols, String s) {
      float[] out = new float[cols.length];
      for (int i = 0; i < cols.length; i++) {
        if (cols[i] < 0 || cols[i] >= fields.length) {
          throw new IllegalArgumentException("CSV file " + file + ", line " + line + ": column " + cols[i]
              + " does not exist, the row has " + fields.length + " fields: '" + s + "'");
        }
        try {
          out[i] = Float.parseFloat(fields[cols[i]].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("CSV file " + file + ", line " + line + ", column " + cols[i]
              + ": not a number: '" + fields[cols[i]].trim() + "'");
        }
        if (!Float.isFinite(out[i])) {
          throw new IllegalArgumentException("CSV file " + file + ", line " + line + ", column " + cols[i]
              + ": the value is not finite: '" + fields[cols[i]].trim() + "'");
        }
      }
      return out;
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        advance();
      }
      return next != null;
    }

    @Override
    public Sample next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Sample out = next;
      next = null;
      return out;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  private static void requirePositive(String name, String what, long[] shape, long d) {
    if (d <= 0) {
      throw new IllegalArgumentException("Dataset '" + name + "': every dimension of " + what + " must be "
          + "positive. Received: " + Shapes.format(shape));
    }
  }
}
