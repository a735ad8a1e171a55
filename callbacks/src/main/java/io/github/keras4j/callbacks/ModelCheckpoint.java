package io.github.keras4j.callbacks;

import io.github.keras4j.models.H5WeightsFile;
import io.github.keras4j.models.Models;
import io.github.keras4j.models.WeightsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves the model's weights during training, as Keras 3's {@code ModelCheckpoint}: after every epoch, or every
 * {@code saveFreq} batches; with {@code saveBestOnly}, only when the monitored quantity improves (see
 * {@link MonitorCallback}; {@code initialValueThreshold} is the value to beat first, and the best value is kept
 * across {@code fit} calls, as Keras).
 *
 * <p>{@code filepath} is a Python format string filled with {@code epoch} (1-based, as Keras), {@code batch}
 * (1-based, when saving by batch) and every key of the logs: {@code "ckpt/{epoch:02d}-{val_loss:.2f}.weights.bin"}
 * gives {@code ckpt/03-0.41.weights.bin}, with Python's formatting and rounding. Missing directories are created.
 * Each file is written through {@link io.github.keras4j.models.Model#saveWeights}: to a temporary file in the
 * same directory, then moved into place atomically, so a checkpoint on disk is never half-written.
 *
 * <pre>{@code
 * ModelCheckpoint best = ModelCheckpoint.builder("best.weights.bin")
 *     .saveWeightsOnly(true).saveBestOnly(true).monitor("val_accuracy").build();
 * model.fit(x, y, new FitOptions().epochs(10).validationSplit(0.2).callbacks(best));
 * model.loadWeights(Path.of("best.weights.bin"));
 * }</pre>
 *
 * <p>Defaults as Keras: {@code monitor="val_loss"}, {@code verbose=0}, {@code saveBestOnly=false},
 * {@code saveWeightsOnly=false}, {@code mode="auto"}, {@code saveFreq="epoch"}, {@code initialValueThreshold=null}.
 * With {@code verbose=1} it prints Keras's messages ({@code Epoch 3: val_loss improved from 0.50000 to 0.41000,
 * saving model to ...}).
 *
 * <p>With {@code saveWeightsOnly=false} (Keras's default) the whole model is saved ({@code model.save}): the
 * filepath must end in {@value Models#EXTENSION}, and {@link Models#load} reads it back. With
 * {@code saveWeightsOnly=true} it must end in {@value H5WeightsFile#EXTENSION} (Keras's format, which Python Keras
 * reads) or, a Java difference from Keras, in {@value WeightsFile#EXTENSION} (Keras4J's own format); both hold the
 * optimizer's state, as Keras 3's weights files do. Keras's legacy {@code .h5} model files are not written. Keras's
 * batch-level {@code saveBestOnly} fails when the first best is already set (its
 * direction is decided only at an epoch end); here the direction is decided on first use.
 */
public class ModelCheckpoint extends MonitorCallback {

  private final String filepath;
  private final int verbose;
  private final boolean saveBestOnly;
  private final boolean saveWeightsOnly;
  private final int saveFreq;
  private int batchesSeenSinceLastSaving;
  private Integer lastBatchSeen;
  private int currentEpoch;

  /** Keras's defaults: the whole model after every epoch, to a {@value Models#EXTENSION} file. */
  public ModelCheckpoint(String filepath) {
    this(builder(filepath));
  }

  private ModelCheckpoint(Builder b) {
    super(b.monitor, b.mode, b.initialValueThreshold, 0);
    if (b.filepath == null || b.filepath.isEmpty()) {
      throw new IllegalArgumentException("ModelCheckpoint: filepath must not be empty");
    }
    if (b.saveWeightsOnly) {
      if (!b.filepath.endsWith(H5WeightsFile.EXTENSION) && !b.filepath.endsWith(WeightsFile.EXTENSION)) {
        throw new IllegalArgumentException("When using `saveWeightsOnly=true` in `ModelCheckpoint`, the filepath "
            + "provided must end in `" + H5WeightsFile.EXTENSION + "` (Keras weights format) or `"
            + WeightsFile.EXTENSION + "` (Keras4J weights format). Received: filepath=" + b.filepath);
      }
    } else if (!b.filepath.endsWith(Models.EXTENSION)) {
      throw new IllegalArgumentException("The filepath provided must end in `" + Models.EXTENSION + "` (Keras model "
          + "format). Received: filepath=" + b.filepath);
    }
    this.filepath = b.filepath;
    this.verbose = b.verbose;
    this.saveBestOnly = b.saveBestOnly;
    this.saveWeightsOnly = b.saveWeightsOnly;
    this.saveFreq = b.saveFreq;
  }

  /** All settings for {@code filepath}, starting from Keras's defaults. */
  public static Builder builder(String filepath) {
    return new Builder(filepath);
  }

  /** Whether only weights are saved (always true until full-model saving exists). */
  public boolean isSaveWeightsOnly() {
    return saveWeightsOnly;
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    if (shouldSaveOnBatch(batch)) {
      saveModel(currentEpoch, batch, logs);
    }
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    currentEpoch = epoch;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    setMonitorOp();
    if (saveFreq == 0) {
      saveModel(epoch, null, logs);
    }
  }

  /** Counts batches (also across epochs) and says when {@code saveFreq} of them have passed. */
  private boolean shouldSaveOnBatch(int batch) {
    if (saveFreq == 0) {
      return false;
    }
    int add;
    if (lastBatchSeen == null || batch <= lastBatchSeen) {
      add = batch + 1; // a new epoch; batches are 0-based
    } else {
      add = batch - lastBatchSeen;
    }
    batchesSeenSinceLastSaving += add;
    lastBatchSeen = batch;
    if (batchesSeenSinceLastSaving >= saveFreq) {
      batchesSeenSinceLastSaving = 0;
      return true;
    }
    return false;
  }

  private boolean shouldSaveModel(int epoch, Map<String, Double> logs, String path) {
    if (!saveBestOnly) {
      if (verbose > 0) {
        printMsg("\nEpoch " + (epoch + 1) + ": saving model to " + path);
      }
      return true;
    }
    Double current = logs == null ? null : logs.get(getMonitor());
    if (current == null) {
      warn("Can save best model only with " + getMonitor() + " available.");
      return true;
    }
    String bestStr = best == null ? "None" : PythonFormat.formatValue(best, ".5f");
    if (isImprovement(current, best)) {
      if (verbose > 0) {
        printMsg("\nEpoch " + (epoch + 1) + ": " + getMonitor() + " improved from " + bestStr + " to "
            + PythonFormat.formatValue(current, ".5f") + ", saving model to " + path);
      }
      best = current;
      return true;
    }
    if (verbose > 0) {
      printMsg("\nEpoch " + (epoch + 1) + ": " + getMonitor() + " did not improve from " + bestStr);
    }
    return false;
  }

  private void saveModel(int epoch, Integer batch, Map<String, Double> logs) {
    String path = filePath(epoch, batch, logs);
    if (!shouldSaveModel(epoch, logs, path)) {
      return;
    }
    Path file = Path.of(path);
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("Please specify a non-directory filepath for ModelCheckpoint. Filepath used "
          + "is an existing directory: " + path);
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      if (saveWeightsOnly) {
        getModel().saveWeights(file);
      } else {
        getModel().save(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint: cannot save " + path, e);
    }
    if (verbose > 0) {
      printMsg("\nEpoch " + (epoch + 1) + ": finished saving model to " + path);
    }
  }

  /** The file name for this epoch (and batch): {@code filepath} filled with epoch, batch and the logs. */
  String filePath(int epoch, Integer batch, Map<String, Double> logs) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("epoch", epoch + 1);
    if (batch != null && (logs == null || !logs.containsKey("batch"))) {
      values.put("batch", batch + 1);
    }
    if (logs != null) {
      values.putAll(logs);
    }
    try {
      return PythonFormat.format(filepath, values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Failed to format this callback filepath: \"" + filepath + "\". Reason: "
          + e.getMessage(), e);
    }
  }

  /** Settings of {@link ModelCheckpoint}, Keras's names and defaults. */
  public static final class Builder {
    private final String filepath;
    private String monitor = "val_loss";
    private int verbose = 0;
    private boolean saveBestOnly = false;
    private boolean saveWeightsOnly = false;
    private String mode = "auto";
    private int saveFreq = 0;
    private Double initialValueThreshold;

    private Builder(String filepath) {
      this.filepath = filepath;
    }

    /** The quantity compared with {@code saveBestOnly}; default {@code "val_loss"}. */
    public Builder monitor(String monitor) {
      this.monitor = monitor;
      return this;
    }

    /** 1 prints a message when the callback acts; default 0. */
    public Builder verbose(int verbose) {
      this.verbose = verbose;
      return this;
    }

    /** Save only when the monitored quantity improves; default false. */
    public Builder saveBestOnly(boolean saveBestOnly) {
      this.saveBestOnly = saveBestOnly;
      return this;
    }

    /** Save only the weights (required for now); default false as Keras. */
    public Builder saveWeightsOnly(boolean saveWeightsOnly) {
      this.saveWeightsOnly = saveWeightsOnly;
      return this;
    }

    /** {@code "auto"} (default), {@code "min"} or {@code "max"}. */
    public Builder mode(String mode) {
      this.mode = mode;
      return this;
    }

    /** {@code "epoch"} (default): save after every epoch. */
    public Builder saveFreq(String saveFreq) {
      if (!"epoch".equals(saveFreq)) {
        throw new IllegalArgumentException("Unrecognized save_freq: " + saveFreq + ". Expected save_freq are 'epoch' "
            + "or integer values");
      }
      this.saveFreq = 0;
      return this;
    }

    /** Save after every {@code batches} training batches (counted across epochs). */
    public Builder saveFreq(int batches) {
      if (batches <= 0) {
        throw new IllegalArgumentException("ModelCheckpoint: saveFreq must be 'epoch' or a number of batches > 0. "
            + "Received: saveFreq=" + batches);
      }
      this.saveFreq = batches;
      return this;
    }

    /** The value the monitored quantity must beat for the first save with {@code saveBestOnly}; default none. */
    public Builder initialValueThreshold(Double initialValueThreshold) {
      this.initialValueThreshold = initialValueThreshold;
      return this;
    }

    /** The callback. */
    public ModelCheckpoint build() {
      return new ModelCheckpoint(this);
    }
  }
}
