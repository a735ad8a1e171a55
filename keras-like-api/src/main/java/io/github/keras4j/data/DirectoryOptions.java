package io.github.keras4j.data;

import io.github.keras4j.data.DirectoryIndex.Labels;
import java.util.List;

/**
 * The arguments that Keras's {@code image_dataset_from_directory} and {@code text_dataset_from_directory} share
 * ({@code labels}, {@code label_mode}, {@code class_names}, {@code batch_size}, {@code shuffle}, {@code seed},
 * {@code validation_split}, {@code subset}, {@code follow_links}, {@code verbose}), camelCased, with Keras's
 * defaults; {@link ImageDatasets.Options} and {@link TextDatasets.Options} add their own. Each setter returns the
 * concrete options object ({@code O}), so calls chain in any order.
 *
 * <p>Java differences: Keras has keyword arguments; these options objects are their Java form. The arguments are
 * checked by the functions that take them (or, where noted, by the setter).
 *
 * @param <O> the concrete options type, returned by the setters
 */
public abstract class DirectoryOptions<O extends DirectoryOptions<O>> {
  Labels labels = Labels.inferred();
  String labelMode = "int";
  List<String> classNames;
  int batchSize = 32;
  boolean shuffle = true;
  Long seed;
  Double validationSplit;
  String subset;
  boolean followLinks;
  boolean verbose = true;

  /** Only the options of this package extend this class. */
  DirectoryOptions() {}

  /** This object as its concrete type, for chaining. */
  abstract O self();

  /** Copies the shared arguments of this object into {@code o}. */
  void copySharedTo(DirectoryOptions<?> o) {
    o.labels = labels;
    o.labelMode = labelMode;
    o.classNames = classNames;
    o.batchSize = batchSize;
    o.shuffle = shuffle;
    o.seed = seed;
    o.validationSplit = validationSplit;
    o.subset = subset;
    o.followLinks = followLinks;
    o.verbose = verbose;
  }

  /**
   * Explicit integer labels instead of labels inferred from the class folders (Keras's {@code labels=[...]}): one per
   * file found below the directory (at any depth, class subdirectories or not), in the sorted order of the files'
   * paths; the class names are then the distinct labels in increasing order, as text.
   */
  public O labels(int... labels) {
    this.labels = Labels.of(labels);
    return self();
  }

  /** {@code "int"} (default), {@code "categorical"}, {@code "binary"} or null (no labels). */
  public O labelMode(String labelMode) {
    this.labelMode = labelMode;
    return self();
  }

  /**
   * With inferred labels, the class folders to use (a subset of the subdirectories), in label order (default: all,
   * sorted).
   */
  public O classNames(List<String> classNames) {
    this.classNames = classNames == null ? null : List.copyOf(classNames);
    return self();
  }

  /** Samples per batch, default 32 (Java: must be positive; Keras's None, unbatched, is not available). */
  public O batchSize(int batchSize) {
    this.batchSize = batchSize;
    return self();
  }

  /** Whether to shuffle (default true); false keeps the sorted (alphanumeric) order of the files. */
  public O shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return self();
  }

  /**
   * The shuffle's seed, in {@code [0, 2^32)} as NumPy's; null (default) draws one. Required with a validation split
   * when shuffling.
   */
  public O seed(Long seed) {
    this.seed = seed;
    return self();
  }

  /** The shuffle's seed; see {@link #seed(Long)}. */
  public O seed(long seed) {
    return seed(Long.valueOf(seed));
  }

  /** The fraction of the files held out for validation, in (0, 1); null (default) or 0 for none. */
  public O validationSplit(Double validationSplit) {
    this.validationSplit = validationSplit;
    return self();
  }

  /** The fraction of the files held out for validation; see {@link #validationSplit(Double)}. */
  public O validationSplit(double validationSplit) {
    return validationSplit(Double.valueOf(validationSplit));
  }

  /** {@code "training"}, {@code "validation"}, {@code "both"} or null; given exactly when validationSplit is. */
  public O subset(String subset) {
    this.subset = subset;
    return self();
  }

  /** Whether to walk into subdirectories that are symbolic links (default false). */
  public O followLinks(boolean followLinks) {
    this.followLinks = followLinks;
    return self();
  }

  /** Whether to print the numbers of files and classes found (default true). */
  public O verbose(boolean verbose) {
    this.verbose = verbose;
    return self();
  }
}
