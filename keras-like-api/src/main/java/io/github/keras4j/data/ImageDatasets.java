package io.github.keras4j.data;

import io.github.keras4j.data.DirectoryIndex.Index;
import io.github.keras4j.data.DirectoryIndex.Labels;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keras's {@code keras.utils.image_dataset_from_directory}: a {@link Dataset} of the images in a directory, one
 * class per subdirectory, decoded and resized as they are read (never all in memory).
 *
 * <pre>{@code
 * // Keras: train_ds, val_ds = image_dataset_from_directory("photos", image_size=(6, 6), color_mode="grayscale",
 * //     batch_size=8, validation_split=0.25, subset="both", seed=1)
 * // photos/bright/*.png, photos/dark/*.png
 * ImageDatasets.Both data = ImageDatasets.imageDatasetFromDirectoryBoth(Path.of("photos"), new ImageDatasets.Options()
 *     .imageSize(6, 6).colorMode("grayscale").batchSize(8).validationSplit(0.25).seed(1));
 * List<String> classes = data.training().classNames();   // [bright, dark]
 * model.fit(data.training().dataset(), new FitOptions().epochs(2)
 *     .validationData(data.validation().dataset(), null));
 * }</pre>
 *
 * <p>Files are listed, labelled, shuffled and split by {@link DirectoryIndex} exactly as Keras does (for a seed, the
 * same files land in the training and validation subsets as in Keras); images are read by {@code javax.imageio}
 * (PNG, JPEG, BMP, GIF: Keras's {@code .bmp .gif .jpeg .jpg .png}) and resized in Java (see {@code Images}: TF's
 * half-pixel bilinear and nearest formulas). Pixel values are floats 0..255, as in Keras. Each sample is an image
 * {@code (imageHeight, imageWidth, channels)} ({@code (channels, h, w)} with {@code dataFormat="channels_first"})
 * and a target:
 * <ul>
 *   <li>{@code labelMode="int"}: the class index, shape {@code ()} (Keras: {@code int32}; here a float, which
 *       sparse categorical losses accept);
 *   <li>{@code "categorical"}: one-hot, shape {@code (numClasses)};
 *   <li>{@code "binary"}: 0 or 1 as a float, shape {@code (1)}, with exactly two classes;
 *   <li>{@code null} (or {@code labels(null)}): no labels. A Keras4J dataset always has a target, so each image's
 *       target is the placeholder 0, shape {@code ()} (Keras yields the images alone).
 * </ul>
 *
 * <p>Resizing follows {@code tf.image.resize} (TF 2, no antialiasing, half-pixel centres), computed in float as TF's
 * kernels. Along each axis, with {@code scale = inSize / outSize}: bilinear samples output index {@code o} at input
 * position {@code p = (o + 0.5) * scale - 0.5} between pixels {@code max(floor(p), 0)} and
 * {@code min(ceil(p), inSize - 1)} with weight {@code p - floor(p)} on the second (width first, then height);
 * nearest takes pixel {@code clamp(floor((o + 0.5) * scale), 0, inSize - 1)}. So a 2x2 to 4x4 bilinear resize
 * weighs the two pixels (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1) along each axis, and 4x4 to 2x2 averages each
 * 2x2 block. {@code cropToAspectRatio} is Keras's {@code smart_resize} (the largest centred window of the target's
 * aspect ratio, then resize); {@code padToAspectRatio} is {@code tf.image.resize_with_pad} (resize to
 * {@code floor(h / r) x floor(w / r)} with {@code r = max(w / targetW, h / targetH)}, then zeros around, offset
 * {@code floor((target - size / r) / 2)}). Decoding: grey PNG samples are read as stored, 16-bit samples keep
 * their high byte, colour to grey is {@code round(0.299 R + 0.587 G + 0.114 B)} as TF's PNG decoder; JPEG pixels
 * may differ from TF's by about one level (different decoders).
 *
 * <p>As in Keras, a shuffled dataset is first shuffled as a whole (the file order), then every pass draws its order
 * through a tf.data-style shuffle buffer of {@code 8 * batchSize} files, a new order each pass; the validation
 * dataset of {@link #imageDatasetFromDirectoryBoth} is not reshuffled. The buffer holds file indices, not decoded
 * images, and is seeded with {@code seed + k} for the k-th pass opened on the dataset (counting from 0; like
 * tf.data's reshuffling, it counts passes rather than reading the epoch number given to {@link Dataset#open}), with
 * {@link SplittableRandom}, so the per-pass orders differ from TF's. Batches are prepared two ahead on a background thread
 * ({@code prefetch(2)}; Keras: {@code AUTOTUNE}).
 *
 * <p>Java differences: the arguments are an {@link Options} object; {@code subset="both"} is the separate method
 * {@link #imageDatasetFromDirectoryBoth} (Java cannot return one type or a pair); the class names and file paths
 * are returned beside the dataset in {@link ImageDataset} (Keras attaches them to the dataset as attributes);
 * {@code batchSize} cannot be None (a Keras4J dataset is always batched); only the {@code "bilinear"} and
 * {@code "nearest"} interpolations are implemented; {@code dataFormat} null means {@code "channels_last"} (there is
 * no global image data format setting); there is no {@code format="grain"}. Explicit labels outside
 * {@code [0, numClasses)} with {@code labelMode="categorical"} are an error (TF's one-hot silently gives zeros).
 */
public final class ImageDatasets {

  /** Keras's {@code ALLOWLIST_FORMATS}. */
  public static final List<String> ALLOWLIST_FORMATS = List.of(".bmp", ".gif", ".jpeg", ".jpg", ".png");

  private static final List<String> KERAS_INTERPOLATIONS = List.of("bilinear", "nearest", "bicubic", "area",
      "lanczos3", "lanczos5", "gaussian", "mitchellcubic");

  private ImageDatasets() {}

  /**
   * A dataset with what Keras attaches to it.
   *
   * @param dataset the batches of (image, target)
   * @param classNames the class names, in label order (empty without labels; Keras: None)
   * @param filePaths the image files, in the dataset's (pre-shuffled) order
   */
  public record ImageDataset(Dataset dataset, List<String> classNames, List<Path> filePaths) {
    /** Copies the lists. */
    public ImageDataset {
      classNames = List.copyOf(classNames);
      filePaths = List.copyOf(filePaths);
    }
  }

  /** The two datasets of {@code subset="both"}: Keras's {@code (train_ds, val_ds)} tuple. */
  public record Both(ImageDataset training, ImageDataset validation) {}

  /** Keras's {@code image_dataset_from_directory(directory)} with the default options. */
  public static ImageDataset imageDatasetFromDirectory(Path directory) {
    return imageDatasetFromDirectory(directory, new Options());
  }

  /**
   * Keras's {@code image_dataset_from_directory(directory, ...)} for {@code subset} null (all files),
   * {@code "training"} or {@code "validation"}.
   *
   * @throws IllegalArgumentException for bad options (named as Keras names them), an empty directory, or
   *     {@code subset="both"} (use {@link #imageDatasetFromDirectoryBoth})
   */
  public static ImageDataset imageDatasetFromDirectory(Path directory, Options options) {
    if ("both".equals(options.subset)) {
      throw new IllegalArgumentException("`subset=\"both\"` returns two datasets: call "
          + "ImageDatasets.imageDatasetFromDirectoryBoth(directory, options)");
    }
    Prepared p = prepare(directory, options);
    Index part = p.index.subset(options.validationSplit, options.subset, options.verbose);
    if (part.size() == 0) {
      throw new IllegalArgumentException("No images found in directory " + directory + ". Allowed formats: "
          + formats());
    }
    return p.dataset(part, options.shuffle);
  }

  /**
   * Keras's {@code image_dataset_from_directory(directory, ..., validation_split=..., subset="both")}: the training
   * and validation datasets from one listing. {@code options.subset} may be null or "both"; a validation split (and,
   * when shuffling, a seed) is required.
   */
  public static Both imageDatasetFromDirectoryBoth(Path directory, Options options) {
    if (options.subset != null && !options.subset.equals("both")) {
      throw new IllegalArgumentException("imageDatasetFromDirectoryBoth returns both subsets: leave `subset` unset "
          + "or \"both\". Received: subset=" + options.subset);
    }
    Options o = options.copy().subset("both");
    Prepared p = prepare(directory, o);
    Index train = p.index.subset(o.validationSplit, "training", o.verbose);
    Index val = p.index.subset(o.validationSplit, "validation", o.verbose);
    if (train.size() == 0) {
      throw new IllegalArgumentException("No training images found in directory " + directory + ". Allowed formats: "
          + formats());
    }
    if (val.size() == 0) {
      throw new IllegalArgumentException("No validation images found in directory " + directory
          + ". Allowed formats: " + formats());
    }
    return new Both(p.dataset(train, o.shuffle), p.dataset(val, false));
  }

  private static String formats() {
    return "('" + String.join("', '", ALLOWLIST_FORMATS) + "')";
  }

  /** Checks the options as Keras does, in Keras's order, and lists the files. */
  private static Prepared prepare(Path directory, Options o) {
    Labels labels = o.labels;
    if (labels.values() != null && o.classNames != null && !o.classNames.isEmpty()) {
      throw new IllegalArgumentException("You can only pass `class_names` if `labels=\"inferred\"`. Received: "
          + "labels=" + labels + ", and class_names=" + o.classNames);
    }
    if (o.labelMode != null && !List.of("int", "categorical", "binary").contains(o.labelMode)) {
      throw new IllegalArgumentException("`label_mode` argument must be one of \"int\", \"categorical\", "
          + "\"binary\", or None. Received: label_mode=" + o.labelMode);
    }
    String labelMode = o.labelMode;
    if (!labels.present() || labelMode == null) {
      labels = Labels.none();
      labelMode = null;
    }
    int channels = switch (String.valueOf(o.colorMode)) {
      case "rgb" -> 3;
      case "rgba" -> 4;
      case "grayscale" -> 1;
      default -> throw new IllegalArgumentException("`color_mode` must be one of {\"rgb\", \"rgba\", "
          + "\"grayscale\"}. Received: color_mode=" + o.colorMode);
    };
    String interpolation = o.interpolation.toLowerCase(Locale.ROOT);
    if (!KERAS_INTERPOLATIONS.contains(interpolation)) {
      throw new IllegalArgumentException("Argument `interpolation` should be one of " + KERAS_INTERPOLATIONS
          + ". Received: interpolation=" + o.interpolation);
    }
    if (!interpolation.equals("bilinear") && !interpolation.equals("nearest")) {
      throw new IllegalArgumentException("Argument `interpolation`: Keras4J implements only \"bilinear\" and "
          + "\"nearest\". Received: interpolation=" + o.interpolation);
    }
    if (o.cropToAspectRatio && o.padToAspectRatio) {
      throw new IllegalArgumentException("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to "
          + "`True`.");
    }
    String dataFormat = o.dataFormat == null ? "channels_last" : o.dataFormat;
    if (!dataFormat.equals("channels_last") && !dataFormat.equals("channels_first")) {
      throw new IllegalArgumentException("The `data_format` argument must be one of {'channels_first', "
          + "'channels_last'}. Received: data_format=" + o.dataFormat);
    }
    DirectoryIndex.checkValidationSplitArg(o.validationSplit, o.subset, o.shuffle, o.seed);
    long seed = o.seed != null ? o.seed : ThreadLocalRandom.current().nextInt(1_000_000);
    Index index = DirectoryIndex.indexDirectory(directory, labels, ALLOWLIST_FORMATS,
        o.classNames, o.shuffle, seed, o.followLinks, o.verbose);
    if ("binary".equals(labelMode) && index.classNames().size() != 2) {
      throw new IllegalArgumentException("When passing `label_mode=\"binary\"`, there must be exactly 2 "
          + "class_names. Received: class_names=" + index.classNames());
    }
    if ("categorical".equals(labelMode)) {
      int n = index.classNames().size();
      for (int l : index.labels()) {
        if (l < 0 || l >= n) {
          throw new IllegalArgumentException("With `label_mode=\"categorical\"`, every label must be in [0, "
              + n + ") (the number of distinct labels). Received: a label " + l);
        }
      }
    }
    String name = directory.getFileName() == null ? directory.toString() : directory.getFileName().toString();
    return new Prepared(name, index, labelMode, channels, o.imageHeight, o.imageWidth, interpolation,
        o.cropToAspectRatio, o.padToAspectRatio, dataFormat.equals("channels_first"), o.batchSize, seed);
  }

  /** The checked settings and the listing, from which the datasets are made. */
  private record Prepared(String name, Index index, String labelMode, int channels, int height, int width,
      String interpolation, boolean crop, boolean pad, boolean channelsFirst, int batchSize, long seed) {

    ImageDataset dataset(Index part, boolean shuffle) {
      List<Path> files = part.filePaths();
      int[] labels = part.labels();
      int numClasses = part.classNames().size();
      long[] xShape = channelsFirst ? new long[] {channels, height, width} : new long[] {height, width, channels};
      long[] yShape = labelMode == null || labelMode.equals("int") ? new long[0]
          : labelMode.equals("binary") ? new long[] {1} : new long[] {numClasses};
      int buffer = 8 * batchSize;
      AtomicInteger passes = new AtomicInteger();
      Dataset d = Dataset.fromSamples(name, xShape, yShape, () -> {
        int[] order = shuffle ? shuffleBufferOrder(files.size(), buffer, seed + passes.getAndIncrement())
            : identity(files.size());
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < order.length;
          }

          @Override
          public Dataset.Sample next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int k = order[i++];
            return new Dataset.Sample(load(files.get(k)), target(labels == null ? 0 : labels[k], numClasses));
          }
        };
      }).batch(batchSize).prefetch(2);
      return new ImageDataset(d, part.classNames(), files);
    }

    private float[] load(Path file) {
      Images.Image img = Images.decode(file, channels);
      if (crop) {
        img = Images.cropToAspectRatio(img, height, width, interpolation);
      } else if (pad) {
        img = Images.padToAspectRatio(img, height, width, interpolation);
      } else {
        img = Images.resize(img, height, width, interpolation);
      }
      return channelsFirst ? Images.channelsFirst(img) : img.values();
    }

    private float[] target(int label, int numClasses) {
      if ("categorical".equals(labelMode)) {
        float[] y = new float[numClasses];
        y[label] = 1;
        return y;
      }
      return new float[] {labelMode == null ? 0 : label};
    }
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /**
   * The order in which tf.data's {@code shuffle(buffer)} yields {@code 0..n-1}: a buffer filled with the first
   * indices; each output is drawn uniformly from the buffer and replaced by the next index (as {@link Dataset}'s
   * shuffle, with {@link SplittableRandom}, so the orders differ from TF's).
   */
  static int[] shuffleBufferOrder(int n, int bufferSize, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] buffer = new int[Math.min(bufferSize, n)];
    int filled = 0;
    int next = 0;
    while (filled < buffer.length) {
      buffer[filled++] = next++;
    }
    int[] out = new int[n];
    for (int o = 0; o < n; o++) {
      int i = random.nextInt(filled);
      out[o] = buffer[i];
      if (next < n) {
        buffer[i] = next++;
      } else {
        buffer[i] = buffer[--filled];
      }
    }
    return out;
  }

  /**
   * The arguments of {@code image_dataset_from_directory}, with Keras's defaults, camelCased; each setter returns
   * this options object.
   */
  public static final class Options extends DirectoryOptions<Options> {
    private String colorMode = "rgb";
    private int imageHeight = 256;
    private int imageWidth = 256;
    private String interpolation = "bilinear";
    private boolean cropToAspectRatio;
    private boolean padToAspectRatio;
    private String dataFormat;

    /** Keras's defaults: inferred labels, "int", "rgb", batches of 32, 256x256, shuffled, bilinear. */
    public Options() {}

    @Override
    Options self() {
      return this;
    }

    private Options copy() {
      Options o = new Options();
      copySharedTo(o);
      o.colorMode = colorMode;
      o.imageHeight = imageHeight;
      o.imageWidth = imageWidth;
      o.interpolation = interpolation;
      o.cropToAspectRatio = cropToAspectRatio;
      o.padToAspectRatio = padToAspectRatio;
      o.dataFormat = dataFormat;
      return o;
    }

    /**
     * {@code "inferred"} (default: one class per subdirectory) or null (no labels).
     *
     * @throws IllegalArgumentException for any other string
     */
    public Options labels(String labels) {
      if (labels == null) {
        this.labels = Labels.none();
      } else if (labels.equals("inferred")) {
        this.labels = Labels.inferred();
      } else {
        throw new IllegalArgumentException("`labels` argument should be a list/tuple of integer labels, of the same "
            + "size as the number of image files in the target directory. If you wish to infer the labels from the "
            + "subdirectory names in the target directory, pass `labels=\"inferred\"`. If you wish to get a dataset "
            + "that only contains images (no labels), pass `labels=None`. Received: labels=" + labels);
      }
      return this;
    }

    /** {@code "rgb"} (default, 3 channels), {@code "rgba"} (4) or {@code "grayscale"} (1). */
    public Options colorMode(String colorMode) {
      this.colorMode = colorMode;
      return this;
    }

    /**
     * The batch size, default 32 (Java: must be positive; Keras's None, unbatched, is not available).
     *
     * @throws IllegalArgumentException when not positive
     */
    @Override
    public Options batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("`batch_size` must be a positive integer. Received: batch_size="
            + batchSize);
      }
      return super.batchSize(batchSize);
    }

    /** The size images are resized to, {@code (height, width)}; default {@code (256, 256)}. */
    public Options imageSize(int height, int width) {
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException("Invalid `image_size` value. Expected a tuple of 2 positive integers. "
            + "Received: image_size=(" + height + ", " + width + ")");
      }
      this.imageHeight = height;
      this.imageWidth = width;
      return this;
    }

    /** A square size: {@code imageSize(size, size)}, as Keras accepts an int. */
    public Options imageSize(int size) {
      return imageSize(size, size);
    }

    /** {@code "bilinear"} (default) or {@code "nearest"}; Keras's other methods are rejected. */
    public Options interpolation(String interpolation) {
      if (interpolation == null) {
        throw new IllegalArgumentException("Argument `interpolation` must not be null");
      }
      this.interpolation = interpolation;
      return this;
    }

    /** Crop the largest centred window of the target's aspect ratio before resizing (Keras's smart_resize). */
    public Options cropToAspectRatio(boolean cropToAspectRatio) {
      this.cropToAspectRatio = cropToAspectRatio;
      return this;
    }

    /** Resize without distortion to fit the target, padding with zeros (tf.image.resize_with_pad). */
    public Options padToAspectRatio(boolean padToAspectRatio) {
      this.padToAspectRatio = padToAspectRatio;
      return this;
    }

    /** {@code "channels_last"} (null, the default, means this) or {@code "channels_first"}. */
    public Options dataFormat(String dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }
  }
}
