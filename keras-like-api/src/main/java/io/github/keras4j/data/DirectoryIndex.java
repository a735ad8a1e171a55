package io.github.keras4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Lists the files of a directory with their labels, and cuts a training/validation split: Keras's
 * {@code index_directory}, {@code get_training_or_validation_split} and {@code check_validation_split_arg}
 * ({@code keras/src/utils/dataset_utils.py}), shared by the {@code *_dataset_from_directory} utilities.
 *
 * <p>With {@link Labels#inferred()}, each subdirectory of {@code directory} (not starting with {@code "."}) is a
 * class; the class names are the sorted subdirectory names, or the given {@code classNames} (a subset of them, in
 * the given order). Each class's files are found recursively (symbolic links to directories below it are followed
 * only with {@code followLinks}), ordered by folder path then by file name, and the classes are concatenated in
 * class order. With {@link Labels#of explicit labels} or {@link Labels#none()}, the files are listed the same way
 * from {@code directory} itself; explicit labels are given in that order, and the class names are the sorted
 * distinct labels as strings. Only files whose lower-cased name ends with one of {@code formats} are kept.
 *
 * <p>With {@code shuffle}, the files (and their labels, in step) are then shuffled as
 * {@code np.random.RandomState(seed).shuffle}, bit for bit (see {@link MersenneTwister}), so a seed gives the
 * same order, and the same training/validation split, as in Keras. A null seed draws one in [0, 10<sup>6</sup>),
 * as Keras does.
 *
 * <p>Java differences: paths sort by Java's {@link String#compareTo} (UTF-16 units; Python compares code points,
 * which differ only for characters outside the Basic Multilingual Plane); a missing directory is an
 * {@link UncheckedIOException} (Keras: {@code FileNotFoundError}, for inferred labels; with explicit or no labels
 * Keras finds no files instead); with {@code followLinks}, a symbolic link back to a folder above it is an
 * {@link UncheckedIOException} ({@code os.walk} walks the loop until the system's limit on links, listing the same
 * files many times); a name repeated in {@code classNames} is an {@link IllegalArgumentException} (Keras lists the
 * folder twice, with the label of its last position both times); a seed must lie in [0, 2<sup>32</sup>) as numpy
 * requires.
 */
public final class DirectoryIndex {

  private DirectoryIndex() {}

  /**
   * Where the labels come from: Keras's {@code labels} argument ({@code "inferred"}, {@code None} or a list of
   * integers, one per file in sorted path order).
   */
  public static final class Labels {
    private static final Labels INFERRED = new Labels(true, null);
    private static final Labels NONE = new Labels(false, null);
    private final boolean inferred;
    private final int[] values;

    private Labels(boolean inferred, int[] values) {
      this.inferred = inferred;
      this.values = values;
    }

    /** {@code labels="inferred"}: one class per subdirectory. */
    public static Labels inferred() {
      return INFERRED;
    }

    /** {@code labels=None}: no labels. */
    public static Labels none() {
      return NONE;
    }

    /** Explicit labels, one per file in the sorted order of the file paths. */
    public static Labels of(int... values) {
      if (values == null) {
        throw new IllegalArgumentException("Labels.of: the labels must not be null; use Labels.none() for no labels");
      }
      return new Labels(false, values.clone());
    }

    /** Whether the labels are the class subdirectories. */
    public boolean isInferred() {
      return inferred;
    }

    /** Whether there are labels (inferred or explicit). */
    public boolean present() {
      return inferred || values != null;
    }

    /** The explicit values (a copy), or null. */
    public int[] values() {
      return values == null ? null : values.clone();
    }

    /** As Keras prints the argument: {@code inferred}, {@code None} or the list. */
    @Override
    public String toString() {
      return inferred ? "inferred" : values == null ? "None" : Arrays.toString(values);
    }
  }

  /**
   * The files found, in their final (possibly shuffled) order.
   *
   * @param filePaths the files, as {@code directory.resolve(relativePath)}
   * @param labels one label per file, or null without labels
   * @param classNames the class names in label order; empty without labels (Keras: {@code None})
   */
  public record Index(List<Path> filePaths, int[] labels, List<String> classNames) {
    /** Copies the lists and labels. */
    public Index {
      filePaths = List.copyOf(filePaths);
      labels = labels == null ? null : labels.clone();
      classNames = List.copyOf(classNames);
    }

    /** The labels (a copy), or null. */
    @Override
    public int[] labels() {
      return labels == null ? null : labels.clone();
    }

    /** The number of files. */
    public int size() {
      return filePaths.size();
    }

    /**
     * The training or validation part ({@code subset} {@code "training"} or {@code "validation"}) when
     * {@code validationSplit} is set, else this index: Keras's {@code get_training_or_validation_split}. The last
     * {@code (int) (validationSplit * size)} files are the validation part, the others the training part.
     * Prints "Using N files for training." (or validation) when {@code verbose}.
     */
    public Index subset(Double validationSplit, String subset, boolean verbose) {
      if (validationSplit == null || validationSplit == 0) {
        return this;
      }
      int numVal = (int) (validationSplit * filePaths.size());
      int numTrain = filePaths.size() - numVal;
      int from;
      int to;
      if ("training".equals(subset)) {
        from = 0;
        to = numTrain;
      } else if ("validation".equals(subset)) {
        from = numTrain;
        to = filePaths.size();
      } else {
        throw new IllegalArgumentException("`subset` must be either \"training\" or \"validation\", received: "
            + subset);
      }
      if (verbose) {
        System.out.println("Using " + (to - from) + " files for " + subset + ".");
      }
      return new Index(filePaths.subList(from, to), labels == null ? null : Arrays.copyOfRange(labels, from, to),
          classNames);
    }
  }

  /**
   * Keras's {@code check_validation_split_arg}: {@code validationSplit} in (0, 1), set together with
   * {@code subset}, {@code subset} one of "training", "validation", "both" (or null), and a seed when the data are
   * split and shuffled (so that two calls pick disjoint subsets).
   */
  public static void checkValidationSplitArg(Double validationSplit, String subset, boolean shuffle, Long seed) {
    boolean split = validationSplit != null && validationSplit != 0;
    if (split && !(validationSplit > 0 && validationSplit < 1)) {
      throw new IllegalArgumentException("`validation_split` must be between 0 and 1, received: " + validationSplit);
    }
    if ((split || subset != null) && !(split && subset != null)) {
      throw new IllegalArgumentException("If `subset` is set, `validation_split` must be set, and inversely.");
    }
    if (subset != null && !Set.of("training", "validation", "both").contains(subset)) {
      throw new IllegalArgumentException("`subset` must be either \"training\", \"validation\" or \"both\", "
          + "received: " + subset);
    }
    if (split && shuffle && seed == null) {
      throw new IllegalArgumentException("If using `validation_split` and shuffling the data, you must provide a "
          + "`seed` argument, to make sure that there is no overlap between the training and validation subset.");
    }
  }

  /**
   * Lists the files of {@code directory} with their labels (see the class comment).
   *
   * @param formats allowed endings, such as {@code ".png"} (compared with the lower-cased file name)
   * @param classNames with inferred labels, the classes to keep and their order; else must be null
   * @param seed the shuffle's seed in [0, 2^32) (checked only when shuffling), or null for a random one
   * @param verbose prints "Found N files belonging to K classes." (or "Found N files.")
   * @throws IllegalArgumentException on invalid arguments (Keras's ValueErrors, with its messages)
   * @throws UncheckedIOException when {@code directory} is not an existing directory, cannot be read, or (with
   *     {@code followLinks}) holds a symbolic link back to a folder above it
   */
  public static Index indexDirectory(Path directory, Labels labels, List<String> formats, List<String> classNames,
      boolean shuffle, Long seed, boolean followLinks, boolean verbose) {
    if (directory == null) {
      throw new IllegalArgumentException("`directory` must be an existing directory. Received: directory=null");
    }
    if (!Files.isDirectory(directory)) {
      throw new UncheckedIOException("`directory` must be an existing directory. Received: directory=" + directory,
          Files.exists(directory) ? new NotDirectoryException(directory.toString())
              : new NoSuchFileException(directory.toString()));
    }
    if (shuffle && seed != null && (seed < 0 || seed > 0xffffffffL)) {
      throw new IllegalArgumentException("`seed` must be between 0 and 2**32 - 1. Received: seed=" + seed);
    }
    List<String> subdirs = new ArrayList<>();
    if (labels.isInferred()) {
      for (String name : listSorted(directory)) {
        if (Files.isDirectory(directory.resolve(name)) && !name.startsWith(".")) {
          subdirs.add(name);
        }
      }
      if (classNames != null) {
        if (!new TreeSet<>(subdirs).containsAll(classNames)) {
          throw new IllegalArgumentException("The `class_names` passed did not match the names of the "
              + "subdirectories of the target directory. Expected: " + subdirs + " (or a subset of it), but "
              + "received: class_names=" + classNames);
        }
        if (new LinkedHashSet<>(classNames).size() != classNames.size()) {
          throw new IllegalArgumentException("`class_names` must not repeat a name. Received: class_names="
              + classNames);
        }
        subdirs = new ArrayList<>(classNames);
      }
    } else {
      subdirs.add("");
      if (classNames != null) {
        throw new IllegalArgumentException(labels.values() == null
            ? "When `labels=None` (no labels), argument `class_names` cannot be specified."
            : "When argument `labels` is specified, argument `class_names` cannot be specified (the `class_names` "
                + "will be the sorted list of labels).");
      }
    }
    List<String> lowerFormats = formats.stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
    List<Path> files = new ArrayList<>();
    List<Integer> fileLabels = new ArrayList<>();
    for (int c = 0; c < subdirs.size(); c++) {
      Path classDir = subdirs.get(c).isEmpty() ? directory : directory.resolve(subdirs.get(c));
      for (Path f : validFiles(classDir, followLinks, lowerFormats)) {
        files.add(f);
        fileLabels.add(c);
      }
    }
    List<String> names;
    int[] out;
    if (labels.isInferred()) {
      names = subdirs;
      out = fileLabels.stream().mapToInt(Integer::intValue).toArray();
    } else if (labels.values() == null) {
      names = List.of();
      out = null;
    } else {
      out = labels.values();
      if (out.length != files.size()) {
        throw new IllegalArgumentException("Expected the lengths of `labels` to match the number of files in the "
            + "target directory. len(labels) is " + out.length + " while we found " + files.size() + " files in "
            + "directory " + directory + ".");
      }
      names = Arrays.stream(out).distinct().sorted().mapToObj(Integer::toString).toList();
    }
    if (verbose) {
      System.out.println(out == null ? "Found " + files.size() + " files."
          : "Found " + files.size() + " files belonging to " + names.size() + " classes.");
    }
    if (shuffle) {
      long s = seed != null ? seed : ThreadLocalRandom.current().nextInt(1_000_000);
      MersenneTwister.numpyShuffle(files, s);
      if (out != null) {
        List<Integer> boxed = new ArrayList<>(Arrays.stream(out).boxed().toList());
        MersenneTwister.numpyShuffle(boxed, s);
        out = boxed.stream().mapToInt(Integer::intValue).toArray();
      }
    }
    return new Index(files, out, names);
  }

  private static List<String> listSorted(Path directory) {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the directory " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keras's {@code iter_valid_files}: the files under {@code dir} (recursively) whose lower-cased name ends with a
   * format, ordered by their folder's path, then by name. {@code dir} itself is entered even when it is a symbolic
   * link, as {@code os.walk} does.
   */
  private static List<Path> validFiles(Path dir, boolean followLinks, List<String> formats) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the directory " + dir + ": " + e.getMessage(), e);
    }
    FileVisitOption[] options = followLinks ? new FileVisitOption[] {FileVisitOption.FOLLOW_LINKS}
        : new FileVisitOption[0];
    List<Path> found = new ArrayList<>();
    try (Stream<Path> s = Files.walk(real, options)) {
      s.filter(p -> !p.equals(real) && !Files.isDirectory(p)).forEach(p -> {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (formats.stream().anyMatch(name::endsWith)) {
          found.add(dir.resolve(real.relativize(p)));
        }
      });
    } catch (IOException | UncheckedIOException e) {
      IOException cause = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
      if (cause instanceof FileSystemLoopException loop) {
        throw new UncheckedIOException("Could not walk the directory " + dir + ": the symbolic link "
            + dir.resolve(real.relativize(Path.of(loop.getFile()))) + " leads back to a folder above it "
            + "(followLinks=true would walk it forever)", cause);
      }
      throw new UncheckedIOException("Could not walk the directory " + dir + ": " + e.getMessage(), cause);
    }
    found.sort(Comparator.comparing((Path p) -> p.getParent().toString())
        .thenComparing(p -> p.getFileName().toString()));
    return found;
  }
}
