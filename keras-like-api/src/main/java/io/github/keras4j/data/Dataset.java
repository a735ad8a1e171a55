package io.github.keras4j.data;

import io.github.keras4j.graph.Shapes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
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
 *
 * <p>The input may be text, for a model whose input is {@code Input.ofStrings(...)}: {@link #fromStrings(String[],
 * Object)} (one string per sample, sample shape {@code ()}), {@link #fromStrings(String[][], Object)} (shape
 * {@code (k,)}) and {@link #fromStringSamples} stream strings exactly as numbers are streamed; the targets stay
 * float. {@link #dtype()} says which ({@code "float32"} or {@code "string"}, the values of KerasTensor's dtype
 * names), and fit and evaluate refuse a dataset whose dtype is not the model input's. A string dataset fed to fit
 * builds a new string tensor per batch and closes the previous one.
 *
 * <pre>{@code
 * Dataset reviews = Dataset.fromStrings(texts, labels).shuffle(1000, 7).batch(32).prefetch(2);
 * model.fit(reviews, new FitOptions().epochs(3));   // model input: Input.ofStrings()
 * }</pre>
 *
 * <p>A dataset may have no targets (TextDatasets with {@code labelMode(null)}, Keras's {@code label_mode=None}):
 * {@link #hasTargets()} is false, its batches' {@link Batch#y()} is null, and fit and evaluate refuse it; its
 * inputs can still be read ({@link #collectInputs()}, to adapt a TextVectorization layer).
 */
public final class Dataset {

  /** The {@link #dtype()} of a dataset of numbers (KerasTensor's {@code FLOAT32}). */
  public static final String FLOAT32 = "float32";
  /** The {@link #dtype()} of a dataset of strings (KerasTensor's {@code STRING}). */
  public static final String STRING = "string";

  /** One sample: its input and target values, flattened row-major to the dataset's sample shapes. */
  public record Sample(float[] x, float[] y) {}

  /**
   * One sample of a string dataset: its input strings (one for sample shape {@code ()}, else flattened row-major to
   * the sample shape) and its target values (ignored, and may be null, in a dataset without targets).
   */
  public record StringSample(String[] x, float[] y) {}

  /**
   * One batch: inputs {@code (n, ...)} (numbers, or strings for a string dataset: see {@link ArrayData#isStrings()})
   * and targets {@code (n, ...)}, null when the dataset has no targets.
   */
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
  /** Null when the dataset has no targets. */
  private final long[] yShape;
  /** Opens a pass: an iterator of {@link Sample}s, or of {@link StringSample}s when {@link #strings}. */
  private final Supplier<? extends Iterator<?>> source;
  private final boolean strings;
  private final List<String> classNames;
  private final int batchSize;
  private final int shuffleBuffer;
  private final long seed;
  private final int prefetch;

  private Dataset(String name, long[] xShape, long[] yShape, Supplier<? extends Iterator<?>> source, boolean strings,
      List<String> classNames, int batchSize, int shuffleBuffer, long seed, int prefetch) {
    this.name = name;
    this.xShape = xShape.clone();
    this.yShape = yShape == null ? null : yShape.clone();
    this.source = source;
    this.strings = strings;
    this.classNames = List.copyOf(classNames);
    this.batchSize = batchSize;
    this.shuffleBuffer = shuffleBuffer;
    this.seed = seed;
    this.prefetch = prefetch;
  }

  /** A new dataset of the given source, default settings (batch 32, no shuffle, no prefetch). */
  private static Dataset of(String name, long[] xShape, long[] yShape, Supplier<? extends Iterator<?>> source,
      boolean strings) {
    return new Dataset(name, xShape, yShape, source, strings, List.of(), 32, 0, 0, 0);
  }

  /** This dataset with other batching, shuffling and prefetching settings. */
  private Dataset with(int batchSize, int shuffleBuffer, long seed, int prefetch) {
    return new Dataset(name, xShape, yShape, source, strings, classNames, batchSize, shuffleBuffer, seed, prefetch);
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
    checkShapes(name, xShape, yShape);
    return of(name, xShape, yShape, passes, false);
  }

  /**
   * String samples from any source, for a model whose input is {@code Input.ofStrings(...)}: as
   * {@link #fromSamples}, each sample's input being strings.
   *
   * <pre>{@code
   * Dataset d = Dataset.fromStringSamples("reviews", new long[0], new long[0],
   *     () -> List.of(new Dataset.StringSample(new String[] {"great film"}, new float[] {1})).iterator());
   * }</pre>
   *
   * @param xShape the shape of one input, without the batch axis: {@code {}} for one string per sample (the input
   *     {@code Input.ofStrings()}), {@code {1}} for {@code Input.ofStrings(1)}
   * @param yShape the shape of one target, without the batch axis; null for a dataset without targets
   */
  public static Dataset fromStringSamples(String name, long[] xShape, long[] yShape,
      Supplier<Iterator<StringSample>> passes) {
    checkShapes(name, xShape, yShape);
    return of(name, xShape, yShape, passes, true);
  }

  /**
   * In-memory strings, one per sample (input shape {@code ()}, for {@code Input.ofStrings()}), and their targets
   * {@code (n, ...)} as {@code fit(x, y)} takes them.
   */
  public static Dataset fromStrings(String[] x, Object y) {
    return fromStringArray(ArrayData.of("x", x), y);
  }

  /** In-memory strings {@code (n, k)} (input shape {@code (k,)}, as {@code Input.ofStrings(k)}) and targets. */
  public static Dataset fromStrings(String[][] x, Object y) {
    return fromStringArray(ArrayData.of("x", x), y);
  }

  private static Dataset fromStringArray(ArrayData xs, Object y) {
    ArrayData ys = ArrayData.of("y", y);
    if (ys.isStrings()) {
      throw new IllegalArgumentException("Dataset.fromStrings: the targets y must be numbers. Received strings");
    }
    if (xs.rows() != ys.rows()) {
      throw new IllegalArgumentException("Dataset.fromStrings: x and y must have the same number of samples. "
          + "Received: " + xs.rows() + " and " + ys.rows());
    }
    ys.checkFinite();
    long[] xShape = Arrays.copyOfRange(xs.shape(), 1, xs.shape().length);
    long[] yShape = Arrays.copyOfRange(ys.shape(), 1, ys.shape().length);
    checkShapes("strings", xShape, yShape);
    String[] all = xs.strings();
    return of("strings", xShape, yShape, () -> new Iterator<StringSample>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < xs.rows();
      }

      @Override
      public StringSample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String[] xv = Arrays.copyOfRange(all, i * xs.rowSize(), (i + 1) * xs.rowSize());
        float[] yv = Arrays.copyOfRange(ys.values(), i * ys.rowSize(), (i + 1) * ys.rowSize());
        i++;
        return new StringSample(xv, yv);
      }
    }, true);
  }

  /** In-memory arrays (as {@code fit(x, y)} takes them), streamed in batches: x {@code (n, ...)}, y {@code (n, ...)}. */
  public static Dataset fromArrays(Object x, Object y) {
    ArrayData xs = ArrayData.of("x", x);
    ArrayData ys = ArrayData.of("y", y);
    if (xs.isStrings() || ys.isStrings()) {
      throw new UnsupportedOperationException("Dataset.fromArrays takes numbers; for String inputs (of "
          + "Input.ofStrings models) use Dataset.fromStrings(x, y)" + (ys.isStrings() ? " with numeric targets" : ""));
    }
    if (xs.rows() != ys.rows()) {
      throw new IllegalArgumentException("Dataset.fromArrays: x and y must have the same number of samples. "
          + "Received: " + xs.rows() + " and " + ys.rows());
    }
    xs.checkFinite();
    ys.checkFinite();
    long[] xShape = Arrays.copyOfRange(xs.shape(), 1, xs.shape().length);
    long[] yShape = Arrays.copyOfRange(ys.shape(), 1, ys.shape().length);
    return of("arrays", xShape, yShape, () -> new Iterator<Sample>() {
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
    }, false);
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
    return of(file.getFileName().toString(), new long[] {fc.length}, new long[] {lc.length},
        () -> new CsvReader(file, fc, lc, header), false);
  }

  // ------------------------------------------------------------------ configuration

  /** The same samples in batches of {@code batchSize} (default 32). */
  public Dataset batch(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("Dataset.batch: batchSize must be positive. Received: " + batchSize);
    }
    return with(batchSize, shuffleBuffer, seed, prefetch);
  }

  /** Shuffles with a buffer of {@code bufferSize} samples, a new order every epoch (see the class comment). */
  public Dataset shuffle(int bufferSize, long seed) {
    if (bufferSize <= 0) {
      throw new IllegalArgumentException("Dataset.shuffle: bufferSize must be positive. Received: " + bufferSize);
    }
    return with(batchSize, bufferSize, seed, prefetch);
  }

  /** Prepares up to {@code batches} batches ahead on a background thread; 0 (default) prepares on demand. */
  public Dataset prefetch(int batches) {
    if (batches < 0) {
      throw new IllegalArgumentException("Dataset.prefetch: batches must be >= 0. Received: " + batches);
    }
    return with(batchSize, shuffleBuffer, seed, batches);
  }

  /** The shape of one input, without the batch axis. */
  public long[] xShape() {
    return xShape.clone();
  }

  /**
   * The shape of one target, without the batch axis.
   *
   * @throws IllegalStateException when the dataset has no targets
   */
  public long[] yShape() {
    if (yShape == null) {
      throw new IllegalStateException("Dataset '" + name + "' has no targets");
    }
    return yShape.clone();
  }

  /** Whether the samples have targets (false for TextDatasets' {@code labelMode(null)}). */
  public boolean hasTargets() {
    return yShape != null;
  }

  /**
   * The dtype of the inputs: {@link #FLOAT32} (numbers) or {@link #STRING} (text, for a model input declared with
   * {@code Input.ofStrings}), as Keras's {@code element_spec[0].dtype}.
   */
  public String dtype() {
    return strings ? STRING : FLOAT32;
  }

  /**
   * The class names of a dataset read from class folders (TextDatasets), label {@code i} being
   * {@code classNames().get(i)} (Keras's {@code dataset.class_names}); empty for other datasets.
   */
  public List<String> classNames() {
    return classNames;
  }

  /** This dataset with the given class names (see {@link #classNames()}). */
  Dataset withClassNames(List<String> names) {
    return new Dataset(name, xShape, yShape, source, strings, names, batchSize, shuffleBuffer, seed, prefetch);
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
    Iterator<?> samples = source.get();
    if (shuffleBuffer > 0) {
      samples = new ShuffleBuffer(samples, shuffleBuffer, new SplittableRandom(seed + epoch));
    }
    Pass batches = new Batcher(samples);
    return prefetch > 0 ? new Prefetcher(batches, prefetch, name) : batches;
  }

  /**
   * Reads one pass (epoch 0's order) and returns all its inputs as one array, {@code (n, ...)}: numbers, or strings
   * for a string dataset. Holds the whole input in memory. Keras's {@code dataset.map(lambda x, y: x)}, typically
   * to adapt a preprocessing layer: {@code vectorizer.adapt(train.collectInputs())}.
   *
   * @throws IllegalArgumentException when the dataset has no samples
   */
  public ArrayData collectInputs() {
    List<ArrayData> parts = new ArrayList<>();
    int rows = 0;
    try (Pass pass = open(0)) {
      while (pass.hasNext()) {
        ArrayData x = pass.next().x();
        parts.add(x);
        rows += x.rows();
      }
    }
    if (rows == 0) {
      throw new IllegalArgumentException("Dataset '" + name + "' has no samples");
    }
    long[] shape = withBatch(rows, xShape);
    int size = elements(xShape);
    if (strings) {
      String[] all = new String[rows * size];
      int at = 0;
      for (ArrayData p : parts) {
        System.arraycopy(p.strings(), 0, all, at, p.strings().length);
        at += p.strings().length;
      }
      return new ArrayData("x", all, shape);
    }
    float[] all = new float[rows * size];
    int at = 0;
    for (ArrayData p : parts) {
      System.arraycopy(p.values(), 0, all, at, p.values().length);
      at += p.values().length;
    }
    return new ArrayData("x", all, shape);
  }

  private final class Batcher implements Pass {
    private final Iterator<?> samples;
    private final int xSize = elements(xShape);
    private final int ySize = yShape == null ? 0 : elements(yShape);

    Batcher(Iterator<?> samples) {
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
      float[] x = strings ? null : new float[batchSize * xSize];
      String[] xs = strings ? new String[batchSize * xSize] : null;
      float[] y = new float[batchSize * ySize];
      int n = 0;
      while (n < batchSize && samples.hasNext()) {
        Object item = samples.next();
        float[] sy;
        if (strings) {
          StringSample s = (StringSample) item;
          sy = s.y();
          checkSizes(s.x().length, sy);
          for (int j = 0; j < xSize; j++) {
            if (s.x()[j] == null) {
              throw new IllegalArgumentException("Dataset '" + name + "': a sample's input holds a null string");
            }
          }
          System.arraycopy(s.x(), 0, xs, n * xSize, xSize);
        } else {
          Sample s = (Sample) item;
          sy = s.y();
          checkSizes(s.x().length, sy);
          System.arraycopy(s.x(), 0, x, n * xSize, xSize);
        }
        if (yShape != null) {
          System.arraycopy(sy, 0, y, n * ySize, ySize);
        }
        n++;
      }
      if (n < batchSize) {
        if (strings) {
          xs = Arrays.copyOf(xs, n * xSize);
        } else {
          x = Arrays.copyOf(x, n * xSize);
        }
        y = Arrays.copyOf(y, n * ySize);
      }
      ArrayData inputs = strings ? new ArrayData("x", xs, withBatch(n, xShape))
          : new ArrayData("x", x, withBatch(n, xShape));
      return new Batch(inputs, yShape == null ? null : new ArrayData("y", y, withBatch(n, yShape)));
    }

    /** Checks one sample's sizes against the dataset's sample shapes (targets only when it has targets). */
    private void checkSizes(int xLength, float[] y) {
      boolean yOk = yShape == null || (y != null && y.length == ySize);
      if (xLength != xSize || !yOk) {
        throw new IllegalArgumentException("Dataset '" + name + "': a sample has " + xLength + " input and "
            + (y == null ? "no" : String.valueOf(y.length)) + " target values, expected " + xSize + " "
            + Shapes.format(xShape) + " and " + (yShape == null ? "no targets" : ySize + " " + Shapes.format(yShape)));
      }
    }

    @Override
    public void close() {
      closeSource(samples);
    }
  }

  /** Closes a sample source that holds a file or another resource. */
  private static void closeSource(Iterator<?> source) {
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
  private static final class ShuffleBuffer implements Iterator<Object>, AutoCloseable {
    private final Iterator<?> source;
    private final Object[] buffer;
    private final SplittableRandom random;
    private int filled;

    ShuffleBuffer(Iterator<?> source, int size, SplittableRandom random) {
      this.source = source;
      this.buffer = new Object[size];
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
    public Object next() {
      if (filled == 0) {
        throw new NoSuchElementException();
      }
      int i = random.nextInt(filled);
      Object out = buffer[i];
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

  private static void checkShapes(String name, long[] xShape, long[] yShape) {
    for (long d : xShape) {
      requirePositive(name, "xShape", xShape, d);
    }
    if (yShape != null) {
      for (long d : yShape) {
        requirePositive(name, "yShape", yShape, d);
      }
    }
  }

  private static void requirePositive(String name, String what, long[] shape, long d) {
    if (d <= 0) {
      throw new IllegalArgumentException("Dataset '" + name + "': every dimension of " + what + " must be "
          + "positive. Received: " + Shapes.format(shape));
    }
  }
}
