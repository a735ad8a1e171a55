package io.github.keras4j.applications;

import io.github.keras4j.activations.Activations;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.pooling.GlobalAveragePooling2D;
import io.github.keras4j.layers.pooling.GlobalMaxPooling2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keras's {@code keras.applications.imagenet_utils}: the ImageNet input preprocessing shared by the applications,
 * and (package-private) the argument checks and input handling every architecture shares.
 *
 * <p>Preprocessing works on plain Java arrays of channels-last RGB pixels in {@code [0, 255]} (Keras's default
 * {@code data_format}), the last axis holding the 3 colour channels. Java difference: the result is a new array;
 * Keras overwrites a float NumPy input in place.
 */
public final class ImageNetUtils {

  /** Keras's ImageNet channel means for {@code "caffe"} mode, in BGR order. */
  static final float[] CAFFE_MEAN_BGR = {103.939f, 116.779f, 123.68f};
  /** Keras's ImageNet channel means for {@code "torch"} mode, in RGB order (of pixels scaled to [0, 1]). */
  static final float[] TORCH_MEAN = {0.485f, 0.456f, 0.406f};
  /** Keras's ImageNet channel standard deviations for {@code "torch"} mode, in RGB order. */
  static final float[] TORCH_STD = {0.229f, 0.224f, 0.225f};

  private ImageNetUtils() {}

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

  // ---------------------------------------------------------------- shared by the architectures

  /**
   * Keras's check of the {@code weights} argument: null, or an existing file. {@code "imagenet"} is refused because
   * Keras's pretrained weights are HDF5 files that Keras4J cannot read.
   */
  static void checkWeights(String architecture, String weights) {
    if (weights == null) {
      return;
    }
    if (weights.equals("imagenet")) {
      throw new IllegalArgumentException(architecture + ": weights=\"imagenet\" is not supported by Keras4J: Keras's "
          + "pretrained ImageNet weights are HDF5 (.h5) files, which Keras4J cannot read. Use weights=null (random "
          + "initialization) or the path of a Keras4J weights file written by Model.saveWeights");
    }
    if (!Files.isRegularFile(Path.of(weights))) {
      throw new IllegalArgumentException("The `weights` argument should be either `None` (random initialization), "
          + "'imagenet' (pre-training on ImageNet), or the path to the weights file to be loaded.  Received: weights="
          + weights);
    }
  }

  /**
   * Keras's {@code obtain_input_shape} for channels-last images without pretrained weights: checks a given shape
   * (3 values, height and width at least {@code minSize}) or supplies the default, and requires a static shape
   * when the classifier is included.
   *
   * @param inputShape the shape given (-1 for unknown sizes), or null
   * @param requireFlatten whether the classifier is included ({@code includeTop})
   * @return the shape without the batch axis, -1 for unknown sizes
   */
  static long[] obtainInputShape(long[] inputShape, int defaultSize, int minSize, boolean requireFlatten) {
    long[] shape;
    if (inputShape != null && inputShape.length > 0) {
      if (inputShape.length != 3) {
        throw new IllegalArgumentException("`input_shape` must be a tuple of three integers. Received: input_shape="
            + Shapes.format(inputShape));
      }
      if (inputShape[2] != 1 && inputShape[2] != 3) {
        System.getLogger(ImageNetUtils.class.getName()).log(System.Logger.Level.WARNING, "This model usually "
            + "expects 1 or 3 input channels. However, it was passed an input_shape with " + inputShape[2]
            + " input channels.");
      }
      if ((inputShape[0] >= 0 && inputShape[0] < minSize) || (inputShape[1] >= 0 && inputShape[1] < minSize)) {
        throw new IllegalArgumentException("Input size must be at least " + minSize + "x" + minSize
            + "; Received: input_shape=" + Shapes.format(inputShape));
      }
      shape = inputShape.clone();
    } else if (requireFlatten) {
      shape = new long[] {defaultSize, defaultSize, 3};
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
   * The checks every architecture starts with: the extra arguments, {@code weights}, {@code pooling} and the
   * classifier's activation (Keras's {@code validate_activation}: only softmax or none with loaded weights).
   */
  static void checkCommon(String architecture, ApplicationOptions o, boolean takesAlpha, boolean takesDepthMultiplier,
      boolean takesDropout) {
    o.checkExtraArguments(architecture, takesAlpha, takesDepthMultiplier, takesDropout);
    checkWeights(architecture, o.weights());
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
}
