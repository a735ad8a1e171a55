package io.github.keras4j.applications;

import io.github.keras4j.activations.Activations;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.pooling.GlobalAveragePooling2D;
import io.github.keras4j.layers.pooling.GlobalMaxPooling2D;
import io.github.keras4j.models.Model;
import io.github.keras4j.saving.Json;
import io.github.keras4j.utils.FileUtils;
import io.github.keras4j.utils.GetFileOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code keras.applications.imagenet_utils}: the ImageNet input preprocessing and the decoding of ImageNet
 * predictions shared by the applications, and (package-private) the argument checks, input handling and loading of
 * pretrained weights every architecture shares.
 *
 * <p>Preprocessing works on plain Java arrays of channels-last RGB pixels in {@code [0, 255]} (Keras's default
 * {@code data_format}), the last axis holding the 3 colour channels. Java difference: the result is a new array;
 * Keras overwrites a float NumPy input in place.
 *
 * <pre>{@code
 * try (Model model = ResNet.resNet50(new ApplicationOptions().weights("imagenet"))) {
 *   FloatNdArray preds = model.predict(images);               // (n, 1000)
 *   List<List<ImageNetUtils.Prediction>> top = ImageNetUtils.decodePredictions(preds, 5);
 *   // top.get(0).get(0): (n02504458, African_elephant, 0.82...)
 * }
 * }</pre>
 */
public final class ImageNetUtils {

  /** Keras's ImageNet channel means for {@code "caffe"} mode, in BGR order. */
  static final float[] CAFFE_MEAN_BGR = {103.939f, 116.779f, 123.68f};
  /** Keras's ImageNet channel means for {@code "torch"} mode, in RGB order (of pixels scaled to [0, 1]). */
  static final float[] TORCH_MEAN = {0.485f, 0.456f, 0.406f};
  /** Keras's ImageNet channel standard deviations for {@code "torch"} mode, in RGB order. */
  static final float[] TORCH_STD = {0.229f, 0.224f, 0.225f};

  /** Keras's {@code CLASS_INDEX_PATH}: the ImageNet class index used by {@link #decodePredictions}. */
  static final String CLASS_INDEX_PATH =
      "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json";
  /** The MD5 of the class index file, as Keras checks it. */
  static final String CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb";
  /** Where Keras's pretrained application weights live; each architecture adds its folder. */
  static final String WEIGHTS_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/";

  /**
   * The architectures whose {@code weights="imagenet"} Keras4J can load (those that name their pretrained weights
   * file); the others refuse it.
   */
  static final Set<String> IMAGENET_ARCHITECTURES = Set.of("VGG16", "VGG19", "ResNet50", "ResNet101", "ResNet152",
      "ResNet50V2", "ResNet101V2", "ResNet152V2", "MobileNet", "MobileNetV2", "DenseNet121", "DenseNet169",
      "DenseNet201", "Xception");

  /** The class index, read once (Keras's global {@code CLASS_INDEX}): [c][0] the WordNet id, [c][1] the name. */
  private static volatile String[][] classIndex;

  private ImageNetUtils() {}

  /**
   * One decoded prediction, Keras's tuple {@code (class_name, class_description, score)}.
   *
   * @param className the WordNet id of the class, such as {@code n02504458}
   * @param classDescription the class's name, such as {@code African_elephant}
   * @param score the predicted probability (or logit) of the class
   */
  public record Prediction(String className, String classDescription, float score) {}

  /**
   * A pretrained weights file of an architecture: the arguments Keras passes to {@code get_file} (package-private).
   *
   * @param fileName the file's name in the cache ({@code ~/.keras4j/models/<fileName>})
   * @param origin the URL Keras downloads it from
   * @param fileHash its MD5 as Keras checks it, or null where Keras checks none (MobileNet, MobileNetV2)
   */
  record ImageNetWeights(String fileName, String origin, String fileHash) {}

  /**
   * Preprocesses channels-last images, as {@code imagenet_utils.preprocess_input(x, mode=mode)}.
   *
   * <ul>
   *   <li>{@code "caffe"}: RGB to BGR, then each channel minus its ImageNet mean (103.939, 116.779, 123.68 for B, G,
   *       R), without scaling (VGG16, VGG19, ResNet);
   *   <li>{@code "tf"}: {@code x / 127.5 - 1}, into {@code [-1, 1]} (ResNetV2, MobileNet, MobileNetV2, Xception);
   *   <li>{@code "torch"}: {@code (x / 255 - mean) / std} per RGB channel with means (0.485, 0.456, 0.406) and
   *       standard deviations (0.229, 0.224, 0.225) (DenseNet).
   * </ul>
   *
   * @param x pixels in {@code [0, 255]}, channels last: {@code (..., 3)} flattened, e.g. {@code r0, g0, b0, r1, ...}
   * @return a new array of the same length
   * @throws IllegalArgumentException for an unknown mode, or a length that is not a multiple of 3 in {@code "caffe"}
   *     or {@code "torch"} mode
   */
  public static float[] preprocessInput(float[] x, String mode) {
    checkMode(mode);
    float[] out = new float[x.length];
    if (mode.equals("tf")) {
      for (int i = 0; i < x.length; i++) {
        out[i] = x[i] / 127.5f - 1f;
      }
      return out;
    }
    if (x.length % 3 != 0) {
      throw new IllegalArgumentException("preprocess_input(mode=\"" + mode + "\") expects channels-last pixels with 3 "
          + "colour channels, so a length that is a multiple of 3. Received: length " + x.length);
    }
    for (int i = 0; i < x.length; i += 3) {
      if (mode.equals("caffe")) {
        out[i] = x[i + 2] - CAFFE_MEAN_BGR[0];
        out[i + 1] = x[i + 1] - CAFFE_MEAN_BGR[1];
        out[i + 2] = x[i] - CAFFE_MEAN_BGR[2];
      } else {
        for (int c = 0; c < 3; c++) {
          out[i + c] = (x[i + c] / 255f - TORCH_MEAN[c]) / TORCH_STD[c];
        }
      }
    }
    return out;
  }

  /**
   * Preprocesses a batch of channels-last images {@code [batch][height][width][3]}; see
   * {@link #preprocessInput(float[], String)}.
   *
   * @return a new array of the same shape
   */
  public static float[][][][] preprocessInput(float[][][][] images, String mode) {
    checkMode(mode);
    float[][][][] out = new float[images.length][][][];
    for (int n = 0; n < images.length; n++) {
      out[n] = new float[images[n].length][][];
      for (int h = 0; h < images[n].length; h++) {
        out[n][h] = new float[images[n][h].length][];
        for (int w = 0; w < images[n][h].length; w++) {
          float[] pixel = images[n][h][w];
          if (!mode.equals("tf") && pixel.length != 3) {
            throw new IllegalArgumentException("preprocess_input(mode=\"" + mode + "\") expects 3 colour channels. "
                + "Received: a pixel with " + pixel.length + " channels at [" + n + "][" + h + "][" + w + "]");
          }
          out[n][h][w] = preprocessInput(pixel, mode);
        }
      }
    }
    return out;
  }

  private static void checkMode(String mode) {
    if (!"caffe".equals(mode) && !"tf".equals(mode) && !"torch".equals(mode)) {
      throw new IllegalArgumentException("Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode="
          + mode);
    }
  }

  /**
   * Decodes ImageNet predictions, as Keras's {@code imagenet_utils.decode_predictions(preds, top)}: for each sample,
   * the {@code top} most probable classes, most probable first, as {@code (class_name, class_description, score)}.
   * The class index ({@code imagenet_class_index.json}) is downloaded once into {@code ~/.keras4j/models} (see
   * {@link FileUtils#getFile}) and kept for the life of the JVM, as Keras does.
   *
   * @param preds the predictions, {@code (samples, 1000)}, such as {@code model.predict(x)} of an ImageNet classifier
   * @param top how many classes per sample (Keras's default is 5)
   * @return one list per sample
   * @throws IllegalArgumentException when {@code preds} is not {@code (samples, 1000)} (Keras's message) or
   *     {@code top < 1}
   * @throws UncheckedIOException when the class index cannot be downloaded or read
   */
  public static List<List<Prediction>> decodePredictions(FloatNdArray preds, int top) {
    long[] shape = preds.shape().asArray();
    if (shape.length != 2 || shape[1] != 1000) {
      throw decodeShapeError(shape);
    }
    float[][] rows = new float[(int) shape[0]][1000];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < 1000; j++) {
        rows[i][j] = preds.getFloat(i, j);
      }
    }
    return decodePredictions(rows, top);
  }

  /** As {@link #decodePredictions(FloatNdArray, int)}, for predictions in a Java array {@code [samples][1000]}. */
  public static List<List<Prediction>> decodePredictions(float[][] preds, int top) {
    checkPredictions(preds, top);
    return decode(preds, top, classIndex(CLASS_INDEX_PATH, CLASS_INDEX_HASH, null));
  }

  private static IllegalArgumentException decodeShapeError(long[] shape) {
    return new IllegalArgumentException("`decode_predictions` expects a batch of predictions (i.e. a 2D array of "
        + "shape (samples, 1000)). Received array with shape: " + Shapes.formatAsGiven(shape));
  }

  static void checkPredictions(float[][] preds, int top) {
    for (float[] row : preds) {
      if (row.length != 1000) {
        throw decodeShapeError(new long[] {preds.length, row.length});
      }
    }
    if (top < 1) {
      throw new IllegalArgumentException("decode_predictions: `top` should be at least 1. Received: top=" + top);
    }
  }

  /** The decoding with a given class index ({@code [class][0]} the id, {@code [1]} the name). */
  static List<List<Prediction>> decode(float[][] preds, int top, String[][] index) {
    List<List<Prediction>> results = new ArrayList<>();
    for (float[] pred : preds) {
      Integer[] order = new Integer[pred.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Float.compare(pred[b], pred[a]));
      List<Prediction> result = new ArrayList<>();
      for (int i = 0; i < Math.min(top, order.length); i++) {
        int c = order[i];
        result.add(new Prediction(index[c][0], index[c][1], pred[c]));
      }
      results.add(List.copyOf(result));
    }
    return List.copyOf(results);
  }

  /** The class index, downloaded (into {@code cacheDir}, null for the Keras4J home) and read on first use. */
  static String[][] classIndex(String origin, String fileHash, Path cacheDir) {
    String[][] index = classIndex;
    if (index == null) {
      try {
        Path file = FileUtils.getFile("imagenet_class_index.json", origin,
            new GetFileOptions().cacheSubdir("models").fileHash(fileHash).cacheDir(cacheDir));
        index = readClassIndex(file);
      } catch (IOException e) {
        throw new UncheckedIOException("decode_predictions: could not get the ImageNet class index: "
            + e.getMessage(), e);
      }
      classIndex = index;
    }
    return index;
  }

  /** Forgets the class index read by {@link #classIndex} (for tests). */
  static void clearClassIndex() {
    classIndex = null;
  }

  /**
   * Reads {@code imagenet_class_index.json}: {@code {"0": ["n01440764", "tench"], ...}} with the 1000 classes.
   *
   * @throws IOException when the file cannot be read or is not such an index (the message names the file)
   */
  static String[][] readClassIndex(Path file) throws IOException {
    Map<String, Object> json;
    try {
      json = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IllegalArgumentException e) {
      throw new IOException("The ImageNet class index " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    String[][] index = new String[1000][];
    for (int c = 0; c < 1000; c++) {
      if (!(json.get(Integer.toString(c)) instanceof List<?> entry) || entry.size() != 2
          || !(entry.get(0) instanceof String id) || !(entry.get(1) instanceof String name)) {
        throw new IOException("The ImageNet class index " + file + " has no entry [\"<wordnet id>\", \"<name>\"] for "
            + "class \"" + c + "\"; delete it to download it again");
      }
      index[c] = new String[] {id, name};
    }
    return index;
  }

  // ---------------------------------------------------------------- shared by the architectures

  /**
   * Keras's check of the {@code weights} argument: null, {@code "imagenet"} (for the architectures in
   * {@link #IMAGENET_ARCHITECTURES}), or an existing file.
   */
  static void checkWeights(String architecture, String weights) {
    if (weights == null) {
      return;
    }
    if (weights.equals("imagenet")) {
      if (!IMAGENET_ARCHITECTURES.contains(architecture)) {
        throw new IllegalArgumentException(architecture + ": weights=\"imagenet\" is not supported by Keras4J for "
            + "this architecture yet: its pretrained HDF5 (.h5) weights file is not registered. Use weights=null "
            + "(random initialization) or the path of a weights file (.weights.bin, or a Keras .h5 file)");
      }
      return;
    }
    if (!Files.isRegularFile(Path.of(weights))) {
      throw new IllegalArgumentException("The `weights` argument should be either `None` (random initialization), "
          + "'imagenet' (pre-training on ImageNet), or the path to the weights file to be loaded.  Received: weights="
          + weights);
    }
  }

  /**
   * Keras's {@code obtain_input_shape} for channels-last images without pretrained weights; see
   * {@link #obtainInputShape(long[], int, int, boolean, String)}.
   */
  static long[] obtainInputShape(long[] inputShape, int defaultSize, int minSize, boolean requireFlatten) {
    return obtainInputShape(inputShape, defaultSize, minSize, requireFlatten, null);
  }

  /**
   * Keras's {@code obtain_input_shape} for channels-last images: checks a given shape (3 values, height and width at
   * least {@code minSize}, 3 channels with ImageNet weights) or supplies the default, and requires a static shape when
   * the classifier is included. With ImageNet weights and the classifier, the shape must be the default
   * {@code (defaultSize, defaultSize, 3)}.
   *
   * @param inputShape the shape given (-1 for unknown sizes), or null
   * @param requireFlatten whether the classifier is included ({@code includeTop})
   * @param weights the {@code weights} argument (only {@code "imagenet"} matters)
   * @return the shape without the batch axis, -1 for unknown sizes
   */
  static long[] obtainInputShape(long[] inputShape, int defaultSize, int minSize, boolean requireFlatten,
      String weights) {
    boolean imagenet = "imagenet".equals(weights);
    boolean given = inputShape != null && inputShape.length > 0;
    long[] defaultShape = {defaultSize, defaultSize, 3};
    if (!imagenet && given && inputShape.length == 3) {
      if (inputShape[2] != 1 && inputShape[2] != 3) {
        System.getLogger(ImageNetUtils.class.getName()).log(System.Logger.Level.WARNING, "This model usually "
            + "expects 1 or 3 input channels. However, it was passed an input_shape with " + inputShape[2]
            + " input channels.");
      }
      defaultShape = new long[] {defaultSize, defaultSize, inputShape[2]};
    }
    if (imagenet && requireFlatten) {
      if (inputShape != null && !Arrays.equals(inputShape, defaultShape)) {
        throw new IllegalArgumentException("When setting `include_top=True` and loading `imagenet` weights, "
            + "`input_shape` should be " + Shapes.format(defaultShape) + ".  Received: input_shape="
            + Shapes.format(inputShape));
      }
      return defaultShape;
    }
    long[] shape;
    if (given) {
      if (inputShape.length != 3) {
        throw new IllegalArgumentException("`input_shape` must be a tuple of three integers. Received: input_shape="
            + Shapes.format(inputShape));
      }
      if (imagenet && inputShape[2] != 3) {
        throw new IllegalArgumentException("The input must have 3 channels; Received `input_shape="
            + Shapes.format(inputShape) + "`");
      }
      if ((inputShape[0] >= 0 && inputShape[0] < minSize) || (inputShape[1] >= 0 && inputShape[1] < minSize)) {
        throw new IllegalArgumentException("Input size must be at least " + minSize + "x" + minSize
            + "; Received: input_shape=" + Shapes.format(inputShape));
      }
      shape = inputShape.clone();
    } else if (requireFlatten) {
      shape = defaultShape;
    } else {
      shape = new long[] {-1, -1, 3};
    }
    for (long d : shape) {
      if (d < 0 && requireFlatten) {
        throw new IllegalArgumentException("If `include_top` is True, you should specify a static `input_shape`. "
            + "Received: input_shape=" + Shapes.format(shape));
      }
    }
    return shape;
  }

  /**
   * The image input: the given tensor, or a new {@code Input} of {@code shape}. Keras4J inputs have static sizes,
   * so where Keras would make a {@code (None, None, 3)} input (no {@code inputShape} and {@code includeTop=false})
   * this asks for an {@code inputShape}.
   */
  static KerasTensor imageInput(String architecture, ApplicationOptions o, long[] shape, int defaultSize) {
    if (o.inputTensor() != null) {
      return o.inputTensor();
    }
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(architecture + ": Keras4J inputs have static sizes, so an `input_shape` "
            + "with known height and width is needed (Keras would build an input of shape (None, None, 3) here). "
            + "Received: input_shape=" + Shapes.format(shape) + ". Pass e.g. inputShape(" + defaultSize + ", "
            + defaultSize + ", 3)");
      }
    }
    return Input.of(shape);
  }

  /**
   * The checks every architecture starts with: the extra arguments, {@code weights} (and {@code classes=1000} with
   * ImageNet weights and the top), {@code pooling} and the classifier's activation (Keras's
   * {@code validate_activation}: only softmax or none with loaded weights).
   */
  static void checkCommon(String architecture, ApplicationOptions o, boolean takesAlpha, boolean takesDepthMultiplier,
      boolean takesDropout) {
    o.checkExtraArguments(architecture, takesAlpha, takesDepthMultiplier, takesDropout);
    checkWeights(architecture, o.weights());
    if ("imagenet".equals(o.weights()) && o.includeTop() && o.classes() != 1000) {
      throw new IllegalArgumentException("If using `weights='imagenet'` with `include_top=True`, `classes` should be "
          + "1000.  Received classes=" + o.classes());
    }
    String pooling = o.pooling();
    if (pooling != null && !pooling.equals("avg") && !pooling.equals("max")) {
      throw new IllegalArgumentException(architecture + ": `pooling` should be None, 'avg' or 'max'. Received: "
          + "pooling=" + pooling);
    }
    if (o.includeTop() && o.classes() <= 0) {
      throw new IllegalArgumentException(architecture + ": `classes` should be a positive number of classes. "
          + "Received: classes=" + o.classes());
    }
    String activation = o.classifierActivation();
    Activations.get(activation);
    if (o.weights() != null && o.includeTop() && activation != null && !activation.equals("softmax")
        && !activation.equals("linear")) {
      throw new IllegalArgumentException("Only `None` and `softmax` activations are allowed for the "
          + "`classifier_activation` argument when using pretrained weights, with `include_top=True`; Received: "
          + "classifier_activation=" + activation);
    }
  }


  /** The {@code predictions} Dense classifier. */
  static KerasTensor classifier(KerasTensor x, ApplicationOptions o) {
    return Dense.builder(o.classes()).activation(o.classifierActivation()).name("predictions").build().apply(x);
  }

  /**
   * The optional global pooling of the features when there is no classifier, with the layer names given (null for
   * generated names, as some Keras architectures leave them unnamed).
   */
  static KerasTensor pool(KerasTensor x, String pooling, String avgName, String maxName) {
    if ("avg".equals(pooling)) {
      return new GlobalAveragePooling2D(false, avgName).apply(x);
    }
    if ("max".equals(pooling)) {
      return new GlobalMaxPooling2D(false, maxName).apply(x);
    }
    return x;
  }

  /** The layer graph from the image input (or the inputs the given input tensor comes from) to {@code output}. */
  static LayerGraph graph(KerasTensor imageInput, KerasTensor output, String name, ApplicationOptions o) {
    List<KerasTensor> inputs = o.inputTensor() != null ? sourceInputs(o.inputTensor()) : List.of(imageInput);
    return new LayerGraph(inputs, output, name, o.weights());
  }

  /** Keras's {@code get_source_inputs}: the model inputs that {@code tensor} is computed from, in order. */
  static List<KerasTensor> sourceInputs(KerasTensor tensor) {
    List<KerasTensor> out = new ArrayList<>();
    collect(tensor, out, new HashSet<>());
    return out;
  }

  private static void collect(KerasTensor t, List<KerasTensor> out, Set<KerasTensor> seen) {
    if (!seen.add(t)) {
      return;
    }
    if (t.layer() instanceof InputLayer) {
      out.add(t);
      return;
    }
    for (KerasTensor in : t.node().inputs()) {
      collect(in, out, seen);
    }
  }

  /**
   * Keras's {@code correct_pad}: the {@code ((top, bottom), (left, right))} zero padding before a strided
   * {@code kernelSize} convolution, so that it covers the image as TensorFlow's "same" padding would.
   */
  static int[][] correctPad(KerasTensor inputs, int kernelSize) {
    long h = inputs.shape().get(1);
    long w = inputs.shape().get(2);
    int adjustH = h < 0 ? 1 : (int) (1 - h % 2);
    int adjustW = h < 0 ? 1 : (int) (1 - w % 2);
    int correct = kernelSize / 2;
    return new int[][] {{correct - adjustH, correct}, {correct - adjustW, correct}};
  }

  /**
   * Builds the architecture's model and loads the layer graph's {@code weights} with {@link #loadWeights}, taking the
   * ImageNet file from {@code imagenet} (which may be null unless the weights are {@code "imagenet"}). A failure
   * closes the model.
   */
  static Model toModel(LayerGraph graph, ImageNetWeights imagenet) {
    Model model = new LayerGraph(graph.inputs(), graph.output(), graph.name(), null).toModel();
    try {
      loadWeights(model, graph.weights(), imagenet == null ? null : imagenet.fileName(),
          imagenet == null ? null : imagenet.origin(), imagenet == null ? null : imagenet.fileHash());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return model;
  }

  /**
   * Loads an architecture's {@code weights} into its model, as the end of each Keras application function: null
   * loads nothing; {@code "imagenet"} downloads the pretrained file ({@code get_file(fileName, origin,
   * cache_subdir="models", file_hash=fileHash)}, cached in {@code ~/.keras4j/models}) and loads it as a legacy
   * {@code .h5} file by order; any other value is the path of a weights file given to {@link Model#loadWeights}.
   *
   * @throws UncheckedIOException when the file cannot be downloaded or read
   * @throws IllegalArgumentException when its weights do not fit the model
   */
  static void loadWeights(Model model, String weights, String fileName, String origin, String fileHash) {
    loadWeights(model, weights, fileName, origin, fileHash, null);
  }

  /** As {@link #loadWeights(Model, String, String, String, String)} with a cache folder (null for the default). */
  static void loadWeights(Model model, String weights, String fileName, String origin, String fileHash,
      Path cacheDir) {
    if (weights == null) {
      return;
    }
    boolean imagenet = weights.equals("imagenet");
    try {
      Path file = imagenet ? FileUtils.getFile(fileName, origin, new GetFileOptions().cacheSubdir("models")
          .fileHash(fileHash).cacheDir(cacheDir)) : Path.of(weights);
      model.loadWeights(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not load the " + (imagenet ? "ImageNet weights " + fileName : "weights")
          + " of model '" + model.name() + "' from " + (imagenet ? origin : weights) + ": " + e.getMessage(), e);
    }
  }
}
