package io.github.keras4j.callbacks;

import io.github.keras4j.graph.savedmodel.AtomicFile;
import io.github.keras4j.models.WeightsFile;
import io.github.keras4j.training.Callback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Backs up the training state so that a killed training run can resume where it stopped, as Keras 3's
 * {@code BackupAndRestore}: at the end of every epoch (or every {@code saveFreq} batches) it saves the model's
 * weights with the optimizer's state (slots, learning rate, step counter) and the number of completed epochs into
 * {@code backupDir}. When {@code fit} starts with a backup present, the callback loads it in
 * {@code onTrainBegin} and the fit continues from the first epoch not completed. When training ends normally
 * (also when stopped early), the backup directory is deleted, unless {@code deleteCheckpoint=false}; when
 * {@code fit} fails or the process dies, it stays for the next run.
 *
 * <pre>{@code
 * // Run this program again after a crash: it continues from the last completed epoch.
 * model.fit(x, y, new FitOptions().epochs(100).callbacks(new BackupAndRestore("/tmp/backup")));
 * }</pre>
 *
 * <p>A resumed run reaches the same weights, and logs the same values for the remaining epochs, as a run that was
 * never interrupted when training is otherwise deterministic: a fixed seed ({@code Backend.setRandomSeed}),
 * {@code shuffle=false} (the shuffling order is not part of the backup) and no random layers such as Dropout. As in
 * Keras, the resumed fit's History holds the resumed epochs only; use a {@link CSVLogger} with {@code append=true}
 * for one log of the whole training. A backup made every {@code saveFreq} batches resumes at the start of the
 * epoch it was made in, with the weights of that batch (as Keras).
 *
 * <p>Files in {@code backupDir}: {@code epoch-N.weights.bin} (a {@link WeightsFile}) and
 * {@code training_metadata.json} ({@code {"epoch": N, "batch": B, "weights": "epoch-N.weights.bin"}}). Each save
 * writes a new weights file, then replaces the metadata atomically (the commit point), then deletes the previous
 * weights file: a run killed at any moment leaves a consistent pair.
 *
 * <p>Java differences from Keras: Keras writes {@code latest.weights.h5} then the metadata, which a kill between
 * the two can leave out of step, and offers {@code double_checkpoint} against corrupt files; here the metadata
 * names its weights file and is written last, so that option is not needed and not offered.
 */
public class BackupAndRestore extends Callback {

  static final String METADATA = "training_metadata.json";
  private static final Pattern INT_FIELD = Pattern.compile("\"(epoch|batch)\"\\s*:\\s*(\\d+)");
  private static final Pattern WEIGHTS_FIELD = Pattern.compile("\"weights\"\\s*:\\s*\"([^\"/\\\\]+)\"");

  private final Path backupDir;
  private final int saveFreq;
  private final boolean deleteCheckpoint;
  private int batchesSeenSinceLastSaving;
  private int lastBatchSeen;
  private int currentEpoch;

  /** Backs up at every epoch end into {@code backupDir} and deletes the backup when training ends. */
  public BackupAndRestore(String backupDir) {
    this(backupDir, 0, true, true);
  }

  /**
   * @param backupDir the directory for the backup, used by this training run only
   * @param saveFreq {@code "epoch"}
   * @param deleteCheckpoint whether to delete the backup when training ends
   */
  public BackupAndRestore(String backupDir, String saveFreq, boolean deleteCheckpoint) {
    this(backupDir, parseFreq(saveFreq), deleteCheckpoint, true);
  }

  /**
   * @param backupDir the directory for the backup, used by this training run only
   * @param saveFreq back up every this many training batches (counted across epochs)
   * @param deleteCheckpoint whether to delete the backup when training ends
   */
  public BackupAndRestore(String backupDir, int saveFreq, boolean deleteCheckpoint) {
    this(backupDir, saveFreq, deleteCheckpoint, false);
  }

  /** {@code saveFreq == 0} means every epoch, allowed only from the "epoch" constructor. */
  private BackupAndRestore(String backupDir, int saveFreq, boolean deleteCheckpoint, boolean epochFreq) {
    if (backupDir == null || backupDir.isEmpty()) {
      throw new IllegalArgumentException("Empty `backupDir` argument passed");
    }
    if (epochFreq ? saveFreq != 0 : saveFreq <= 0) {
      throw new IllegalArgumentException("Invalid value for argument `saveFreq`. Received: saveFreq=" + saveFreq
          + ". Expected either 'epoch' or an integer value > 0.");
    }
    this.backupDir = Path.of(backupDir);
    this.saveFreq = saveFreq;
    this.deleteCheckpoint = deleteCheckpoint;
  }

  private static int parseFreq(String saveFreq) {
    if (!"epoch".equals(saveFreq)) {
      throw new IllegalArgumentException("Invalid value for argument `saveFreq`. Received: saveFreq=" + saveFreq
          + ". Expected either 'epoch' or an integer value.");
    }
    return 0;
  }

  /** The backup directory. */
  public Path getBackupDir() {
    return backupDir;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    Path metadata = backupDir.resolve(METADATA);
    if (!Files.exists(metadata)) {
      return;
    }
    try {
      String json = Files.readString(metadata, StandardCharsets.UTF_8);
      Matcher weights = WEIGHTS_FIELD.matcher(json);
      Integer epoch = null;
      Matcher m = INT_FIELD.matcher(json);
      while (m.find()) {
        if (m.group(1).equals("epoch")) {
          epoch = Integer.parseInt(m.group(2));
        }
      }
      if (epoch == null || !weights.find()) {
        throw new IOException("Backup metadata " + metadata + " is corrupt: expected {\"epoch\": N, \"batch\": B, "
            + "\"weights\": \"FILE\"}, found " + json);
      }
      getModel().loadWeights(backupDir.resolve(weights.group(1)));
      getModel().setInitialEpoch(epoch);
      currentEpoch = epoch;
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore: cannot restore the backup in " + backupDir, e);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    currentEpoch = epoch + 1;
    lastBatchSeen = 0;
    if (saveFreq == 0) {
      save();
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    if (saveFreq == 0) {
      return;
    }
    int add = batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen; // a new epoch restarts at batch 0
    batchesSeenSinceLastSaving += add;
    lastBatchSeen = batch;
    if (batchesSeenSinceLastSaving >= saveFreq) {
      batchesSeenSinceLastSaving = 0;
      save();
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (deleteCheckpoint && Files.exists(backupDir)) {
      try (Stream<Path> files = Files.walk(backupDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("BackupAndRestore: cannot delete " + backupDir, e);
      }
    }
  }

  /** New weights file, then the metadata replaced atomically (the commit point), then the old weights deleted. */
  private void save() {
    try {
      Files.createDirectories(backupDir);
      Path metadata = backupDir.resolve(METADATA);
      String previous = null;
      if (Files.exists(metadata)) {
        Matcher m = WEIGHTS_FIELD.matcher(Files.readString(metadata, StandardCharsets.UTF_8));
        previous = m.find() ? m.group(1) : null;
      }
      String name = "epoch-" + currentEpoch + (saveFreq > 0 ? "-batch-" + lastBatchSeen : "")
          + WeightsFile.EXTENSION;
      if (name.equals(previous)) {
        name = "epoch-" + currentEpoch + "-" + System.nanoTime() + WeightsFile.EXTENSION;
      }
      getModel().saveWeights(backupDir.resolve(name));
      String json = "{\"epoch\": " + currentEpoch + ", \"batch\": " + lastBatchSeen + ", \"weights\": \"" + name
          + "\"}";
      AtomicFile.write(metadata, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
      if (previous != null && !previous.equals(name)) {
        Files.deleteIfExists(backupDir.resolve(previous));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore: cannot back up into " + backupDir, e);
    }
  }
}
