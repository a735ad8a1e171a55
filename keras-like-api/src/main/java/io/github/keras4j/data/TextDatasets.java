package io.github.keras4j.data;

import io.github.keras4j.data.DirectoryIndex.Index;
import io.github.keras4j.data.DirectoryIndex.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keras's {@code keras.utils.text_dataset_from_directory}: a {@link Dataset} of text files, one sample per
 * {@code .txt} file, labelled by the class subfolder it is in.
 *
 * <pre>
 * main_directory/
 * ...class_a/
 * ......a_text_1.txt
 * ......a_text_2.txt
 * ...class_b/
 * ......b_text_1.txt
 * </pre>
 *
 * <pre>{@code
 * TextDatasets.Options options = new TextDatasets.Options().labelMode("binary").validationSplit(0.2).seed(1337);
 * List<Dataset> both = TextDatasets.textDatasetsFromDirectory(Path.of("aclImdb/train"), options.subset("both"));
 * Dataset train = both.get(0);                  // class_names: train.classNames() = [neg, pos]
 * vectorizer.adapt(train.collectInputs());       // Keras: vectorize_layer.adapt(train.map(lambda x, y: x))
 * model.fit(train, new FitOptions().epochs(3).validationData(both.get(1), null));   // model: Input.ofStrings()
 * }</pre>
 *
 * <p>As Keras (the files are listed, labelled, shuffled and split by {@link DirectoryIndex}, Keras's
 * {@code index_directory} with {@code formats=(".txt",)}): class folders are the non-hidden subdirectories of {@code directory}, in alphanumeric order (or the
 * order of {@link Options#classNames}); files are found at any depth below each class folder, in the order of
 * {@code os.walk} (directories sorted by path, files by name), {@code .txt} in any letter case; with
 * {@link Options#shuffle} (the default) the file list is shuffled once with NumPy's {@code RandomState(seed)}
 * (the same algorithm, so the same seed puts the same files in the training and validation subsets as Keras),
 * the last {@code floor(validationSplit * n)} files are the validation subset, and the training dataset is then
 * shuffled each epoch with a buffer of {@code 8 * batchSize} samples. Labels are, by {@link Options#labelMode}:
 * {@code "int"} the class index (target shape {@code ()}), {@code "categorical"} its one-hot vector
 * {@code (numClasses,)}, {@code "binary"} 0 or 1 {@code (1,)} (exactly two classes), {@code null} none (the
 * dataset {@linkplain Dataset#hasTargets() has no targets}). The inputs are strings of shape {@code ()} per sample,
 * for a model whose input is {@code Input.ofStrings()}. Batches are prefetched on a background thread, files being
 * read as the batches are made.
 *
 * <p>Java differences from Keras: the datasets are Keras4J {@link Dataset}s; {@code subset="both"} is
 * {@link #textDatasetsFromDirectory}, which returns the list {@code [training, validation]} as Keras does;
 * {@code labels=None} is {@code labelMode(null)} (Keras treats both alike); int labels are float targets (Keras:
 * int32); the batch size must be a positive number (Keras's {@code batch_size=None}, unbatched samples, has no
 * equivalent); files are decoded as UTF-8 (malformed bytes become U+FFFD; Keras keeps the raw bytes);
 * {@code maxLength} keeps at most that many UTF-8 bytes, as Keras's default {@code tf.strings.substr}, but never
 * a partial character; the per-epoch shuffle of the training batches draws its own order (not tf.data's); an
 * explicit {@code categorical} label outside {@code [0, numClasses)} is an error (TensorFlow's one_hot gives a row
 * of zeros); a missing directory, and with {@code followLinks} a symbolic link back to a folder above it, are
 * {@link UncheckedIOException}s (see {@link DirectoryIndex}); the {@code format="grain"} option does not exist.
 */
public final class TextDatasets {

  /** Keras's {@code formats=(".txt",)}: the file endings indexed (in any letter case). */
  private static final List<String> FORMATS = List.of(".txt");

  private TextDatasets() {}

  /**
   * The settings of {@link #textDatasetFromDirectory}: Keras's keyword arguments, with Keras's defaults; the shared
   * ones are in {@link DirectoryOptions}.
   */
  public static final class Options extends DirectoryOptions<Options> {
    private Integer maxLength;

    /** Default settings: labels inferred from the class folders, int labels, batches of 32, shuffled. */
    public Options() {}

    @Override
    Options self() {
      return this;
    }

    /**
     * Explicit integer labels instead of labels inferred from the folders (Keras's {@code labels=[...]}): one per
     * {@code .txt} file below {@code directory} (at any depth), in the alphanumeric order of their paths; the class
     * names are then the distinct labels in increasing order, as text. Null goes back to inferred labels.
     */
    @Override
    public Options labels(int... labels) {
      if (labels == null) {
        this.labels = Labels.inferred();
        return this;
      }
      return super.labels(labels);
    }

    /** The class folders to use, in this order; see {@link #classNames(List)}. */
    public Options classNames(String... classNames) {
      return classNames(classNames == null ? null : List.of(classNames));
    }

    /** Texts longer than this many UTF-8 bytes are truncated (default: null, no limit). */
    public Options maxLength(Integer maxLength) {
      this.maxLength = maxLength;
      return this;
    }
  }

  /** {@link #textDatasetFromDirectory(Path, Options)} with the default options. */
  public static Dataset textDatasetFromDirectory(Path directory) {
    return textDatasetFromDirectory(directory, new Options());
  }

  /**
   * The text files below {@code directory} as a dataset of (text, label) batches: all of them, or the
   * {@code "training"} or {@code "validation"} subset (see the class comment).
   *
   * @throws IllegalArgumentException on invalid options (Keras's ValueErrors, with its messages), when a class
   *     name is not a subdirectory, or when no {@code .txt} file is found
   * @throws UncheckedIOException when the directory does not exist or cannot be read
   */
  public static Dataset textDatasetFromDirectory(Path directory, Options options) {
    if ("both".equals(options.subset)) {
      throw new IllegalArgumentException("textDatasetFromDirectory returns one dataset; for subset=\"both\" call "
          + "textDatasetsFromDirectory, which returns [training, validation]");
    }
    Plan plan = plan(directory, options);
    Index s = plan.index.subset(options.validationSplit, options.subset, options.verbose);
    if (s.size() == 0) {
      throw new IllegalArgumentException("No text files found in directory " + directory + ". Allowed format: .txt");
    }
    return dataset(plan, s, options.shuffle, options.subset);
  }

  /**
   * Keras's {@code subset="both"}: the training and validation datasets, in this order, from one shuffled file list
   * (disjoint, together all files). Only the training dataset is shuffled from epoch to epoch.
   *
   * @throws IllegalArgumentException when {@code options.subset} is not {@code "both"}, or as
   *     {@link #textDatasetFromDirectory(Path, Options)}
   */
  public static List<Dataset> textDatasetsFromDirectory(Path directory, Options options) {
    if (!"both".equals(options.subset)) {
      throw new IllegalArgumentException("textDatasetsFromDirectory returns [training, validation]: give "
          + "subset(\"both\") and a validationSplit. Received: subset=" + options.subset);
    }
    Plan plan = plan(directory, options);
    Index train = plan.index.subset(options.validationSplit, "training", options.verbose);
    Index val = plan.index.subset(options.validationSplit, "validation", options.verbose);
    if (train.size() == 0) {
      throw new IllegalArgumentException("No training text files found in directory " + directory
          + ". Allowed format: .txt");
    }
    if (val.size() == 0) {
      throw new IllegalArgumentException("No validation text files found in directory " + directory
          + ". Allowed format: .txt");
    }
    return List.of(dataset(plan, train, options.shuffle, "training"), dataset(plan, val, false, "validation"));
  }

  // ------------------------------------------------------------------ arguments and indexing

  /** The checked options and the shuffled file index. */
  private record Plan(Index index, String labelMode, int batchSize, Integer maxLength, long seed, String name) {}

  /** Checks the options in Keras's order and lists the files with {@link DirectoryIndex} ({@code .txt} only). */
  private static Plan plan(Path directory, Options o) {
    String labelMode = o.labelMode;
    if (labelMode != null && !Set.of("int", "categorical", "binary").contains(labelMode)) {
      throw new IllegalArgumentException("`labelMode` argument must be one of \"int\", \"categorical\", \"binary\", "
          + "or null. Received: labelMode=" + labelMode);
    }
    if (o.labels.values() != null && o.classNames != null) {
      throw new IllegalArgumentException("You can only pass `classNames` if labels are inferred. Received: labels="
          + o.labels + ", and classNames=" + o.classNames);
    }
    if (o.batchSize <= 0) {
      throw new IllegalArgumentException("`batchSize` must be positive. Received: batchSize=" + o.batchSize);
    }
    if (o.maxLength != null && o.maxLength < 0) {
      throw new IllegalArgumentException("`maxLength` must be >= 0. Received: maxLength=" + o.maxLength);
    }
    DirectoryIndex.checkValidationSplitArg(o.validationSplit, o.subset, o.shuffle, o.seed);
    long seed = o.seed != null ? o.seed : ThreadLocalRandom.current().nextInt(1_000_000);
    Labels labels = labelMode == null ? Labels.none() : o.labels;
    Index index = DirectoryIndex.indexDirectory(directory, labels, FORMATS, o.classNames, o.shuffle, seed,
        o.followLinks, o.verbose);
    if ("binary".equals(labelMode) && index.classNames().size() != 2) {
      throw new IllegalArgumentException("When passing labelMode=\"binary\", there must be exactly 2 classNames. "
          + "Received: classNames=" + index.classNames());
    }
    Path name = directory.getFileName();
    return new Plan(index, labelMode, o.batchSize, o.maxLength, seed, name == null ? directory.toString()
        : name.toString());
  }

  /** The dataset of one subset: files read as its batches are made, labels encoded by the label mode. */
  private static Dataset dataset(Plan plan, Index s, boolean shuffle, String subset) {
    List<Path> files = s.filePaths();
    int[] labels = s.labels();
    String mode = plan.labelMode;
    int classes = plan.index.classNames().size();
    if ("categorical".equals(mode)) {
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0 || labels[i] >= classes) {
          throw new IllegalArgumentException("labelMode=\"categorical\": label " + labels[i] + " of file "
              + files.get(i) + " is not in [0, " + classes + "), the number of distinct labels");
        }
      }
    }
    long[] yShape = mode == null ? null : switch (mode) {
      case "int" -> new long[0];
      case "binary" -> new long[] {1};
      default -> new long[] {classes};
    };
    Integer maxLength = plan.maxLength;
    String name = plan.name + (subset == null ? "" : " (" + subset + ")");
    Dataset d = Dataset.fromStringSamples(name, new long[0], yShape, () -> new Iterator<Dataset.StringSample>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < files.size();
      }

      @Override
      public Dataset.StringSample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Path file = files.get(i);
        float[] y = mode == null ? null : encode(labels[i], mode, classes);
        i++;
        return new Dataset.StringSample(new String[] {read(file, maxLength)}, y);
      }
    });
    if (shuffle) {
      d = d.shuffle(plan.batchSize * 8, plan.seed);
    }
    return d.batch(plan.batchSize).prefetch(2).withClassNames(plan.index.classNames());
  }

  private static float[] encode(int label, String mode, int classes) {
    return switch (mode) {
      case "categorical" -> {
        float[] y = new float[classes];
        y[label] = 1;
        yield y;
      }
      default -> new float[] {label}; // "int": the index; "binary": 0 or 1 as float, shape (1,)
    };
  }

  /** A file's text (UTF-8), truncated to at most {@code maxLength} UTF-8 bytes without cutting a character. */
  static String read(Path file, Integer maxLength) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the text file " + file + ": " + e.getMessage(), e);
    }
    int end = bytes.length;
    if (maxLength != null && maxLength < end) {
      end = maxLength;
      // Step back over continuation bytes (10xxxxxx) to the start of the cut character, and drop that character.
      int start = end;
      while (start > 0 && (bytes[start] & 0xC0) == 0x80) {
        start--;
      }
      end = start;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
