package io.github.keras4j.callbacks;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.summary.EventFileWriter;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.training.Callback;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Writes TensorBoard logs during training and evaluation, as Keras's {@code keras.callbacks.TensorBoard}: real
 * event files (see {@link EventFileWriter}) that {@code tensorboard --logdir <logDir>} shows.
 *
 * <ul>
 *   <li>{@code logDir/train} holds, at step = epoch, {@code epoch_loss}, {@code epoch_<metric>},
 *       {@code epoch_learning_rate} (the optimizer's; as Keras, {@code epoch_learning_rate_<name>} for each inner
 *       optimizer of a {@code MultiOptimizer}, also one wrapped in a {@code LossScaleOptimizer}) and, when {@code writeStepsPerSecond}, {@code
 *       epoch_steps_per_second}; {@code logDir/validation} holds the {@code val_} values of the epoch logs
 *       without their prefix ({@code epoch_loss}, ...).
 *   <li>With {@code updateFreq} "batch" or N, {@code batch_<name>} (the running means of the epoch, as the
 *       logs of each batch) every N batches, the step counting batches from 1 since the start of {@code fit};
 *       plus {@code batch_steps_per_second} when {@code writeStepsPerSecond}.
 *   <li>At the end of each validation and of each {@code evaluate}, {@code evaluation_<name>_vs_iterations} in
 *       {@code logDir/validation} at step = the optimizer's iteration count.
 *   <li>Every {@code histogramFreq} epochs, a histogram of each weight tagged {@code <weight name>/histogram}
 *       ({@code dense/kernel/histogram}) and, with {@code writeImages}, the weight as an image tagged
 *       {@code <weight name>/image} (laid out as Keras does; values are taken as pixel intensities in
 *       {@code [0, 1]}, so negative weights are black).
 *   <li>With {@code writeGraph}, the TensorFlow graph of the model (its training ops included) once, after the
 *       first training batch.
 * </ul>
 *
 * <p>Files are flushed after every hook that wrote to them (so the end of each batch, validation and epoch),
 * so nothing logged is lost if training then fails; they are closed at the end of {@code fit}, at the end of an
 * {@code evaluate} run outside {@code fit}, by {@link #close()}, or when the callback is given to another
 * {@code fit}.
 *
 * <pre>{@code
 * TensorBoard tensorBoard = TensorBoard.builder().logDir("tensorboard-logs/run1").histogramFreq(1).build();
 * model.fit(x, y, new FitOptions().epochs(10).validationSplit(0.2).callbacks(tensorBoard));
 * }</pre>
 *
 * <p>Where Java differs from Keras: Keras 3 also writes a {@code keras} model-config summary (no JSON form of
 * models exists here yet) and can profile batches ({@code profile_batch}) and embeddings ({@code
 * embeddings_freq}), which are not supported. The iteration count is the number of training batches this callback
 * has seen for the model's current optimizer (Keras reads {@code optimizer.iterations}, which Keras4J optimizers do
 * not expose yet). Keras 3 tags weights by their path ({@code sequential/dense/kernel}); Keras4J's weight names
 * are {@code dense/kernel}. With {@code updateFreq=N > 1}, Keras 3's TensorFlow summary {@code record_if}
 * condition also silently drops the epoch-level summaries of epochs whose last global batch is not a multiple of
 * N; Keras4J always writes them.
 */
public class TensorBoard extends Callback implements AutoCloseable {

  private final Path logDir;
  private final int histogramFreq;
  private final boolean writeGraph;
  private final boolean writeImages;
  private final boolean writeStepsPerSecond;
  /** 0 for "epoch", else log every {@code updateFreq} batches ("batch" = 1). */
  private final int updateFreq;

  private EventFileWriter trainWriter;
  private EventFileWriter validationWriter;
  private boolean training;
  private boolean shouldWriteTrainGraph;
  private int globalTrainBatch;
  private long iterations;
  private Optimizer countedOptimizer;
  private long previousEpochIterations;
  private long epochStartNanos;
  private long batchStartNanos;

  /** Logs to {@code logs} with Keras's defaults (epoch scalars and the graph). */
  public TensorBoard() {
    this(builder());
  }

  /** Logs to {@code logDir} with Keras's defaults (epoch scalars and the graph). */
  public TensorBoard(String logDir) {
    this(builder().logDir(logDir));
  }

  private TensorBoard(Builder b) {
    this.logDir = b.logDir;
    this.histogramFreq = b.histogramFreq;
    this.writeGraph = b.writeGraph;
    this.writeImages = b.writeImages;
    this.writeStepsPerSecond = b.writeStepsPerSecond;
    this.updateFreq = b.updateFreq;
  }

  /** A builder for the optional settings, starting from Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The directory holding the {@code train} and {@code validation} logs. */
  public Path logDir() {
    return logDir;
  }

  /** Epochs between weight histograms; 0 for none. */
  public int histogramFreq() {
    return histogramFreq;
  }

  /** Whether the graph is written. */
  public boolean writeGraph() {
    return writeGraph;
  }

  /** Whether weights are also written as images (when histograms are written). */
  public boolean writeImages() {
    return writeImages;
  }

  /** Whether steps per second are written. */
  public boolean writeStepsPerSecond() {
    return writeStepsPerSecond;
  }

  /** {@code "epoch"}, or the number of batches between batch-level summaries ({@code "batch"} is 1). */
  public Object updateFreq() {
    return updateFreq == 0 ? "epoch" : Integer.valueOf(updateFreq);
  }

  /** Keras's settings under their snake_case names. */
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("log_dir", logDir.toString());
    config.put("histogram_freq", histogramFreq);
    config.put("write_graph", writeGraph);
    config.put("write_images", writeImages);
    config.put("write_steps_per_second", writeStepsPerSecond);
    config.put("update_freq", updateFreq());
    return config;
  }

  // ------------------------------------------------------------------ hooks

  /** Takes the model and closes the files of an earlier run (one that ended with an exception, say). */
  @Override
  public void setModel(Model model) {
    super.setModel(model);
    closeWriters();
    shouldWriteTrainGraph = writeGraph;
  }

  /** Restarts the batch count used as the step of batch-level summaries (as Keras, at every fit). */
  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    training = true;
    globalTrainBatch = 0;
    previousEpochIterations = 0;
  }

  /** Closes the event files. */
  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    training = false;
    closeWriters();
  }

  /** Starts the epoch's steps-per-second clock when {@code writeStepsPerSecond}. */
  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    if (writeStepsPerSecond) {
      previousEpochIterations = iterations();
      epochStartNanos = System.nanoTime();
    }
  }

  /** Counts the batch and starts its clock when {@code writeStepsPerSecond}. */
  @Override
  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    globalTrainBatch++;
    if (writeStepsPerSecond) {
      batchStartNanos = System.nanoTime();
    }
  }

  /** Writes the graph after the first batch, and {@code batch_<name>} every {@code updateFreq} batches. */
  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    countIteration();
    try {
      if (shouldWriteTrainGraph) {
        shouldWriteTrainGraph = false;
        trainWriter().graph(getModel().runtime().graph().toGraphDef());
      }
      if (updateFreq > 0 && globalTrainBatch % updateFreq == 0) {
        if (writeStepsPerSecond) {
          double seconds = (System.nanoTime() - batchStartNanos) / 1e9;
          trainWriter().scalar("batch_steps_per_second", 1.0 / seconds, globalTrainBatch);
        }
        for (Map.Entry<String, Double> e : orEmpty(logs).entrySet()) {
          trainWriter().scalar("batch_" + e.getKey(), e.getValue(), globalTrainBatch);
        }
      }
    } finally {
      flushWriters();
    }
  }

  /** Writes {@code evaluation_<name>_vs_iterations} to the validation files; closes them outside fit. */
  @Override
  public void onTestEnd(Map<String, Double> logs) {
    try {
      if (getModel() != null && getModel().getOptimizer() != null) {
        long step = iterations();
        for (Map.Entry<String, Double> e : orEmpty(logs).entrySet()) {
          validationWriter().scalar("evaluation_" + e.getKey() + "_vs_iterations", e.getValue(), step);
        }
      }
    } finally {
      if (training) {
        flushWriters();
      } else {
        closeWriters();
      }
    }
  }

  /** Writes the {@code epoch_} scalars, and the weight histograms (and images) every {@code histogramFreq} epochs. */
  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    try {
      logEpochMetrics(epoch, logs);
      if (histogramFreq > 0 && epoch % histogramFreq == 0) {
        logWeights(epoch);
      }
    } finally {
      flushWriters();
    }
  }

  /** Closes the event files; the next write opens new ones. Safe to call at any time, and more than once. */
  @Override
  public void close() {
    closeWriters();
  }

  // ------------------------------------------------------------------ what is written

  private void logEpochMetrics(int epoch, Map<String, Double> logs) {
    if (logs == null || logs.isEmpty()) {
      return;
    }
    Map<String, Double> trainLogs = new LinkedHashMap<>();
    Map<String, Double> validationLogs = new LinkedHashMap<>();
    logs.forEach((k, v) -> (k.startsWith("val_") ? validationLogs : trainLogs).put(k, v));
    Optimizer optimizer = getModel().getOptimizer();
    if (optimizer != null) {
      // Keras's _collect_learning_rate: through a LossScaleOptimizer, per inner optimizer of a MultiOptimizer.
      LearningRates.log(optimizer, trainLogs);
    }
    if (writeStepsPerSecond) {
      double seconds = (System.nanoTime() - epochStartNanos) / 1e9;
      trainLogs.put("steps_per_second", (iterations() - previousEpochIterations) / seconds);
    }
    for (Map.Entry<String, Double> e : trainLogs.entrySet()) {
      trainWriter().scalar("epoch_" + e.getKey(), e.getValue(), epoch);
    }
    for (Map.Entry<String, Double> e : validationLogs.entrySet()) {
      validationWriter().scalar("epoch_" + e.getKey().substring(4), e.getValue(), epoch);
    }
  }

  private void logWeights(int epoch) {
    Model model = getModel();
    List<GraphVariable> variables = model.variables();
    List<FloatNdArray> values = model.getWeights();
    for (int i = 0; i < variables.size(); i++) {
      String name = variables.get(i).name().replace(':', '_');
      FloatNdArray value = values.get(i);
      float[] data = new float[Math.toIntExact(value.size())];
      value.copyTo(DataBuffers.of(data, false, false));
      trainWriter().histogram(name + "/histogram", data, epoch);
      if (writeImages) {
        logWeightAsImage(name + "/image", data, value.shape().asArray(), epoch);
      }
    }
  }

  /**
   * Writes a weight as Keras's {@code _log_weight_as_image} lays it out: size-1 axes dropped; a vector as one
   * column; a matrix as one image, transposed when it has more rows than columns; a rank-3 kernel
   * {@code (h, w, c)} as c grey images; rank 4 as {@code (images, height, width, channels)} when it has 1, 3 or
   * 4 channels. Anything else is skipped.
   */
  private void logWeightAsImage(String tag, float[] data, long[] shape, int epoch) {
    long[] s = java.util.Arrays.stream(shape).filter(d -> d != 1).toArray();
    int images;
    int height;
    int width;
    int channels = 1;
    float[] pixels = data;
    switch (s.length) {
      case 1 -> {
        images = 1;
        height = (int) s[0];
        width = 1;
      }
      case 2 -> {
        images = 1;
        int rows = (int) s[0];
        int cols = (int) s[1];
        if (rows > cols) {
          pixels = new float[data.length];
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              pixels[c * rows + r] = data[r * cols + c];
            }
          }
          height = cols;
          width = rows;
        } else {
          height = rows;
          width = cols;
        }
      }
      case 3 -> {
        height = (int) s[0];
        width = (int) s[1];
        images = (int) s[2];
        pixels = new float[data.length];
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            for (int k = 0; k < images; k++) {
              pixels[(k * height + y) * width + x] = data[(y * width + x) * images + k];
            }
          }
        }
      }
      case 4 -> {
        images = (int) s[0];
        height = (int) s[1];
        width = (int) s[2];
        channels = (int) s[3];
      }
      default -> {
        return;
      }
    }
    if (channels == 1 || channels == 3 || channels == 4) {
      trainWriter().image(tag, pixels, images, height, width, channels, epoch);
    }
  }

  // ------------------------------------------------------------------ writers and counters

  /** Training batches seen for the model's current optimizer (Keras's {@code optimizer.iterations}). */
  private long iterations() {
    Optimizer optimizer = getModel() == null ? null : getModel().getOptimizer();
    if (optimizer != countedOptimizer) {
      countedOptimizer = optimizer;
      iterations = 0;
    }
    return iterations;
  }

  private void countIteration() {
    iterations();
    iterations++;
  }

  private static Map<String, Double> orEmpty(Map<String, Double> logs) {
    return logs == null ? Map.of() : logs;
  }

  private EventFileWriter trainWriter() {
    if (trainWriter == null) {
      trainWriter = new EventFileWriter(logDir.resolve("train"));
    }
    return trainWriter;
  }

  private EventFileWriter validationWriter() {
    if (validationWriter == null) {
      validationWriter = new EventFileWriter(logDir.resolve("validation"));
    }
    return validationWriter;
  }

  private void flushWriters() {
    if (trainWriter != null) {
      trainWriter.flush();
    }
    if (validationWriter != null) {
      validationWriter.flush();
    }
  }

  private void closeWriters() {
    EventFileWriter train = trainWriter;
    EventFileWriter validation = validationWriter;
    trainWriter = null;
    validationWriter = null;
    try {
      if (train != null) {
        train.close();
      }
    } finally {
      if (validation != null) {
        validation.close();
      }
    }
  }

  /** Settings of a {@link TensorBoard}, with Keras's defaults. */
  public static final class Builder {
    private Path logDir = Path.of("logs");
    private int histogramFreq;
    private boolean writeGraph = true;
    private boolean writeImages;
    private boolean writeStepsPerSecond;
    private int updateFreq;

    private Builder() {}

    /** Where to write the {@code train} and {@code validation} logs; default {@code logs}. */
    public Builder logDir(String logDir) {
      if (logDir == null || logDir.isEmpty()) {
        throw new IllegalArgumentException("TensorBoard: logDir must be a non-empty path. Received: logDir=" + logDir);
      }
      return logDir(Path.of(logDir));
    }

    /** Where to write the {@code train} and {@code validation} logs. */
    public Builder logDir(Path logDir) {
      if (logDir == null) {
        throw new IllegalArgumentException("TensorBoard: logDir must be a non-empty path. Received: logDir=null");
      }
      this.logDir = logDir;
      return this;
    }

    /** Epochs between weight histograms (epochs 0, f, 2f, ...); default 0, none. */
    public Builder histogramFreq(int histogramFreq) {
      if (histogramFreq < 0) {
        throw new IllegalArgumentException(
            "TensorBoard: histogramFreq must be >= 0. Received: histogramFreq=" + histogramFreq);
      }
      this.histogramFreq = histogramFreq;
      return this;
    }

    /** Whether to write the graph; default true. */
    public Builder writeGraph(boolean writeGraph) {
      this.writeGraph = writeGraph;
      return this;
    }

    /** Whether to also write weights as images when histograms are written; default false. */
    public Builder writeImages(boolean writeImages) {
      this.writeImages = writeImages;
      return this;
    }

    /** Whether to write training steps per second (epoch and batch level); default false. */
    public Builder writeStepsPerSecond(boolean writeStepsPerSecond) {
      this.writeStepsPerSecond = writeStepsPerSecond;
      return this;
    }

    /** {@code "epoch"} (default) or {@code "batch"} (every batch). */
    public Builder updateFreq(String updateFreq) {
      if ("epoch".equals(updateFreq)) {
        this.updateFreq = 0;
      } else if ("batch".equals(updateFreq)) {
        this.updateFreq = 1;
      } else {
        throw new IllegalArgumentException("TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer. "
            + "Received: updateFreq='" + updateFreq + "'");
      }
      return this;
    }

    /** Write batch-level summaries every {@code batches} batches. */
    public Builder updateFreq(int batches) {
      if (batches <= 0) {
        throw new IllegalArgumentException("TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer. "
            + "Received: updateFreq=" + batches);
      }
      this.updateFreq = batches;
      return this;
    }

    /** The callback. */
    public TensorBoard build() {
      return new TensorBoard(this);
    }
  }
}
