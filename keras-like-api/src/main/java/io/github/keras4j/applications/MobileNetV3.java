package io.github.keras4j.applications;

import static io.github.keras4j.applications.MobileNetV2.makeDivisible;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.activations.ReLU;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
import io.github.keras4j.layers.core.Activation;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.merging.Multiply;
import io.github.keras4j.layers.pooling.GlobalAveragePooling2D;
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.layers.regularization.Dropout;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.layers.reshaping.ZeroPadding2D;
import io.github.keras4j.models.Model;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Keras's {@code keras.applications.mobilenet_v3}: MobileNetV3Small and MobileNetV3Large (Howard et al., "Searching
 * for MobileNetV3", ICCV 2019) and their (pass-through) {@code preprocess_input}.
 *
 * <p>With {@code includePreprocessing} (the default) a {@code Rescaling(1 / 127.5, offset=-1)} first maps pixels in
 * [0, 255] to [-1, 1]. Then {@code conv} (16 filters, 3x3/2), {@code conv_bn} and the activation (hard swish,
 * or ReLU when {@code minimalistic}), 11 (Small) or 15 (Large) inverted residual blocks ({@code expanded_conv_},
 * then {@code expanded_conv_1_expand}, {@code _expand_bn}, {@code _depthwise_pad} before a stride of 2,
 * {@code _depthwise}, {@code _depthwise_bn}, the squeeze-and-excite unit {@code _squeeze_excite_avg_pool},
 * {@code _squeeze_excite_conv}, {@code _squeeze_excite_relu}, {@code _squeeze_excite_conv_1}, the hard sigmoid,
 * {@code _squeeze_excite_mul}, then {@code _project}, {@code _project_bn} and {@code _add} where the shapes allow),
 * {@code conv_1} (6 x the last block's channels), {@code conv_1_bn} and the activation. With {@code includeTop}: a
 * global average pooling that keeps the spatial axes, {@code conv_2} (1024 filters for Small, 1280 for Large; more
 * for {@code alpha > 1}), the activation, a Dropout of {@code dropoutRate} (when above 0), the 1x1 convolution
 * {@code logits}, a Flatten and the classifier's Activation {@code predictions}; without it {@code avg_pool} or
 * {@code max_pool}. The unnamed layers keep Keras's generated names ({@code rescaling}, {@code activation},
 * {@code re_lu}, {@code global_average_pooling2d}, {@code dropout}, {@code flatten}; call
 * {@code Backend.clearSession()} first to get Keras's exact names). BatchNormalization epsilon 1e-3, momentum
 * 0.999. Default names {@code "MobileNetV3Small"} and {@code "MobileNetV3Large"}; minimum input 32 x 32; with the
 * top, 2,554,968 (Small) and 5,507,432 (Large) parameters.
 *
 * <p>Java differences: Keras's hard sigmoid is {@code ReLU(6.0)(x + 3.0) * (1.0 / 6.0)}, two symbolic operations
 * around a ReLU layer; Keras4J has no operators on symbolic tensors, so the two operations are weightless
 * {@link Rescaling} layers named as Keras names the operations ({@code add}, {@code add_1}, ... and
 * {@code multiply}, ...; in Keras they are not among {@code model.layers}, here they are). Keras builds an input of
 * shape {@code (None, None, 3)} when no input shape or tensor is given; Keras4J inputs have static sizes, so with the
 * top it uses 224 x 224 x 3 (the size of Keras's pretrained weights) and without it asks for an {@code inputShape}.
 * The MobileNetV3-only arguments ({@code minimalistic}, {@code dropout_rate}, {@code include_preprocessing}) are set
 * through {@link Options}; MobileNet's {@code dropout} and {@code depthMultiplier} are refused.
 *
 * <pre>{@code
 * Model m = MobileNetV3.mobileNetV3Small(new ApplicationOptions().alpha(0.75).inputShape(96, 96, 3).classes(10),
 *     new MobileNetV3.Options().dropoutRate(0.1));   // (None, 10)
 * }</pre>
 */
public final class MobileNetV3 {

  private static final double EPSILON = 1e-3;
  private static final double MOMENTUM = 0.999;

  /** The stack of MobileNetV3Small: expansion, filters, kernel (0: the model's), stride, SE, activation (0: ReLU). */
  private static final double[][] SMALL = {
      {1, 16, 3, 2, 1, 0}, {72.0 / 16, 24, 3, 2, 0, 0}, {88.0 / 24, 24, 3, 1, 0, 0},
      {4, 40, 0, 2, 1, 1}, {6, 40, 0, 1, 1, 1}, {6, 40, 0, 1, 1, 1}, {3, 48, 0, 1, 1, 1}, {3, 48, 0, 1, 1, 1},
      {6, 96, 0, 2, 1, 1}, {6, 96, 0, 1, 1, 1}, {6, 96, 0, 1, 1, 1}};

  /** The stack of MobileNetV3Large, as {@link #SMALL}. */
  private static final double[][] LARGE = {
      {1, 16, 3, 1, 0, 0}, {4, 24, 3, 2, 0, 0}, {3, 24, 3, 1, 0, 0},
      {3, 40, 0, 2, 1, 0}, {3, 40, 0, 1, 1, 0}, {3, 40, 0, 1, 1, 0},
      {6, 80, 3, 2, 0, 1}, {2.5, 80, 3, 1, 0, 1}, {2.3, 80, 3, 1, 0, 1}, {2.3, 80, 3, 1, 0, 1},
      {6, 112, 3, 1, 1, 1}, {6, 112, 3, 1, 1, 1}, {6, 160, 0, 2, 1, 1}, {6, 160, 0, 1, 1, 1}, {6, 160, 0, 1, 1, 1}};

  private MobileNetV3() {}

  /**
   * The arguments only MobileNetV3 takes, with Keras's defaults: {@code minimalistic=false},
   * {@code dropoutRate=0.2}, {@code includePreprocessing=true}.
   */
  public static final class Options {
    private boolean minimalistic;
    private double dropoutRate = 0.2;
    private boolean includePreprocessing = true;

    /** Keras's defaults. */
    public Options() {}

    /**
     * Whether to build the minimalistic variant: the same widths without squeeze-and-excite units, hard swish or
     * 5x5 kernels (ReLU and 3x3 kernels throughout); default false.
     */
    public Options minimalistic(boolean minimalistic) {
      this.minimalistic = minimalistic;
      return this;
    }

    /** The dropout rate before the {@code logits} convolution; default 0.2; 0 or less for no Dropout layer. */
    public Options dropoutRate(double dropoutRate) {
      this.dropoutRate = dropoutRate;
      return this;
    }

    /**
     * Whether the model starts with a {@code Rescaling(1 / 127.5, offset=-1)} layer, so that it takes pixels in
     * [0, 255]; default true. Without it the model expects pixels in [-1, 1].
     */
    public Options includePreprocessing(boolean includePreprocessing) {
      this.includePreprocessing = includePreprocessing;
      return this;
    }

    /** Whether the minimalistic variant is built. */
    public boolean minimalistic() {
      return minimalistic;
    }

    /** The dropout rate before the classifier. */
    public double dropoutRate() {
      return dropoutRate;
    }

    /** Whether the Rescaling preprocessing layer is included. */
    public boolean includePreprocessing() {
      return includePreprocessing;
    }
  }

  /**
   * Instantiates MobileNetV3Small with Keras's defaults for the MobileNetV3-only arguments, as
   * {@code keras.applications.MobileNetV3Small(...)}; see {@link #mobileNetV3Small(ApplicationOptions, Options)}.
   */
  public static Model mobileNetV3Small(ApplicationOptions options) {
    return mobileNetV3Small(options, new Options());
  }

  /**
   * Instantiates MobileNetV3Small, as {@code keras.applications.MobileNetV3Small(...)}, with {@code alpha} from the
   * options; model name {@code "MobileNetV3Small"}.
   *
   * @throws IllegalArgumentException for {@code weights="imagenet"} (not loadable in Keras4J yet), a weights path
   *     that does not exist, an input shape smaller than 32 x 32 or not of 3 values, an unknown size (or none)
   *     without the top, a pooling other than null, "avg" or "max", a non-finite {@code alpha}, an input tensor whose
   *     width differs from {@code inputShape}'s, or MobileNet's {@code depthMultiplier} or {@code dropout}
   */
  public static Model mobileNetV3Small(ApplicationOptions options, Options v3) {
    return graph("small", options, v3).toModel();
  }

  /**
   * Instantiates MobileNetV3Large with Keras's defaults for the MobileNetV3-only arguments, as
   * {@code keras.applications.MobileNetV3Large(...)}; see {@link #mobileNetV3Large(ApplicationOptions, Options)}.
   */
  public static Model mobileNetV3Large(ApplicationOptions options) {
    return mobileNetV3Large(options, new Options());
  }

  /**
   * Instantiates MobileNetV3Large, as {@code keras.applications.MobileNetV3Large(...)}, with {@code alpha} from the
   * options; model name {@code "MobileNetV3Large"}; errors as
   * {@link #mobileNetV3Small(ApplicationOptions, Options)}.
   */
  public static Model mobileNetV3Large(ApplicationOptions options, Options v3) {
    return graph("large", options, v3).toModel();
  }

  /**
   * Keras's {@code mobilenet_v3.preprocess_input}, a pass-through kept for API compatibility: MobileNetV3 models
   * rescale their inputs themselves ({@code includePreprocessing}). Java difference: returns a copy of {@code x}
   * (Keras returns {@code x} itself).
   */
  public static float[] preprocessInput(float[] x) {
    return x.clone();
  }

  /** The layer graph of MobileNetV3 {@code "small"} or {@code "large"}. */
  static LayerGraph graph(String modelType, ApplicationOptions o, Options v3) {
    boolean small = modelType.equals("small");
    String architecture = small ? "MobileNetV3Small" : "MobileNetV3Large";
    ImageNetUtils.checkCommon(architecture, o, true, false, false);
    InceptionBlocks.checkImageNetClasses(o,
        "If using `weights=\"imagenet\"` with `include_top` as true, `classes` should be 1000.  ");
    double alpha = o.alpha();
    boolean minimalistic = v3.minimalistic();
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException(architecture + ": `alpha` should be a finite width multiplier. Received: "
          + "alpha=" + alpha);
    }
    long[] shape = inputShape(o);
    if ("imagenet".equals(o.weights())
        && (!minimalistic && alpha != 0.75 && alpha != 1.0 || minimalistic && alpha != 1.0)) {
      throw new IllegalArgumentException("If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for "
          + "non minimalistic or `1.0` for minimalistic only.");
    }
    if ("imagenet".equals(o.weights()) && (shape[0] != shape[1] || shape[0] != 224)) {
      System.getLogger(MobileNetV3.class.getName()).log(System.Logger.Level.WARNING, "`input_shape` is undefined or "
          + "non-square, or `rows` is not 224. Weights for input shape (224, 224) will be loaded as the default.");
    }
    KerasTensor input = ImageNetUtils.imageInput(architecture, o, shape, 224);

    int kernel = minimalistic ? 3 : 5;
    UnaryOperator<KerasTensor> activation = minimalistic ? MobileNetV3::relu : MobileNetV3::hardSwish;
    boolean se = !minimalistic;

    KerasTensor x = input;
    if (v3.includePreprocessing()) {
      x = new Rescaling(1.0 / 127.5, -1.0).apply(x);
    }
    x = Conv2D.builder(16, 3).strides(2).padding("same").useBias(false).name("conv").build().apply(x);
    x = bn(x, "conv_bn");
    x = activation.apply(x);

    double[][] stack = small ? SMALL : LARGE;
    for (int i = 0; i < stack.length; i++) {
      double[] b = stack[i];
      x = invertedResBlock(x, b[0], makeDivisible(b[1] * alpha, 8), b[2] == 0 ? kernel : (int) b[2], (int) b[3],
          se && b[4] == 1, b[5] == 0 ? MobileNetV3::relu : activation, i);
    }

    int lastConvChannels = makeDivisible(Blocks.channels(x) * 6, 8);
    int lastPointChannels = small ? 1024 : 1280;
    if (alpha > 1.0) {
      lastPointChannels = makeDivisible(lastPointChannels * alpha, 8);
    }
    x = Conv2D.builder(lastConvChannels, 1).padding("same").useBias(false).name("conv_1").build().apply(x);
    x = bn(x, "conv_1_bn");
    x = activation.apply(x);
    if (o.includeTop()) {
      x = new GlobalAveragePooling2D(true).apply(x);
      x = Conv2D.builder(lastPointChannels, 1).padding("same").useBias(true).name("conv_2").build().apply(x);
      x = activation.apply(x);
      if (v3.dropoutRate() > 0) {
        x = new Dropout(v3.dropoutRate()).apply(x);
      }
      x = Conv2D.builder(o.classes(), 1).padding("same").name("logits").build().apply(x);
      x = new Flatten().apply(x);
      x = new Activation(o.classifierActivation(), "predictions").apply(x);
    } else {
      x = ImageNetUtils.pool(x, o.pooling(), "avg_pool", "max_pool");
    }
    return ImageNetUtils.graph(input, x, o.name() != null ? o.name() : architecture, o);
  }

  /**
   * Keras's input shape logic of MobileNetV3 (it does not use {@code obtain_input_shape}): the given shape, which
   * must agree with a given input tensor's width; else the input tensor's; else Keras's {@code (None, None, 3)}
   * (which Keras4J replaces by 224 x 224 x 3 with the top). Known heights and widths must be at least 32.
   */
  private static long[] inputShape(ApplicationOptions o) {
    long[] given = o.inputShape();
    KerasTensor tensor = o.inputTensor();
    if (given != null && given.length != 3) {
      throw new IllegalArgumentException("`input_shape` must be a tuple of three integers. Received: input_shape="
          + Shapes.format(given));
    }
    if (given != null && tensor != null && tensor.shape().numDimensions() > 2 && tensor.shape().get(2) != given[1]) {
      throw new IllegalArgumentException("input_shape[1] must equal input_tensor.shape[2].  Received input_shape="
          + Shapes.format(given) + ", input_tensor.shape=" + Shapes.format(tensor.shape()));
    }
    long[] shape = given;
    if (shape == null && tensor != null && tensor.shape().numDimensions() > 2) {
      shape = new long[] {tensor.shape().get(2), tensor.shape().get(1), 3}; // (cols, rows, 3), as Keras
    }
    if (shape == null) {
      shape = o.includeTop() && tensor == null ? new long[] {224, 224, 3} : new long[] {-1, -1, 3};
    }
    long rows = shape[0];
    long cols = shape[1];
    if (rows > 0 && cols > 0 && (rows < 32 || cols < 32)) {
      throw new IllegalArgumentException("Input size must be at least 32x32; Received `input_shape="
          + Shapes.format(shape) + "`");
    }
    return shape;
  }

  /**
   * Keras's {@code _inverted_res_block}: expand (1x1, except in block 0), depthwise {@code kernelSize} (after
   * {@code correct_pad} zero padding for a stride of 2), the squeeze-and-excite unit, project (1x1) and the residual
   * sum when the shapes allow.
   */
  private static KerasTensor invertedResBlock(KerasTensor x, double expansion, int filters, int kernelSize,
      int stride, boolean se, UnaryOperator<KerasTensor> activation, int blockId) {
    KerasTensor shortcut = x;
    String prefix = "expanded_conv_";
    long inFilters = Blocks.channels(x);
    int expanded = makeDivisible(inFilters * expansion, 8);
    if (blockId != 0) {
      prefix = "expanded_conv_" + blockId + "_";
      x = Conv2D.builder(expanded, 1).padding("same").useBias(false).name(prefix + "expand").build().apply(x);
      x = bn(x, prefix + "expand_bn");
      x = activation.apply(x);
    }
    if (stride == 2) {
      x = new ZeroPadding2D(ImageNetUtils.correctPad(x, kernelSize), prefix + "depthwise_pad").apply(x);
    }
    x = DepthwiseConv2D.builder(kernelSize).strides(stride).padding(stride == 1 ? "same" : "valid").useBias(false)
        .name(prefix + "depthwise").build().apply(x);
    x = bn(x, prefix + "depthwise_bn");
    x = activation.apply(x);
    if (se) {
      x = squeezeExcite(x, expanded, prefix);
    }
    x = Conv2D.builder(filters, 1).padding("same").useBias(false).name(prefix + "project").build().apply(x);
    x = bn(x, prefix + "project_bn");
    if (stride == 1 && inFilters == filters) {
      x = new Add(prefix + "add").apply(List.of(shortcut, x));
    }
    return x;
  }

  /**
   * Keras's {@code _se_block} with {@code se_ratio=0.25}: global average pooling, a 1x1 convolution to a quarter of
   * the channels, ReLU, a 1x1 convolution back, the hard sigmoid, and the product with the input.
   */
  private static KerasTensor squeezeExcite(KerasTensor inputs, int filters, String prefix) {
    KerasTensor x = new GlobalAveragePooling2D(true, prefix + "squeeze_excite_avg_pool").apply(inputs);
    x = Conv2D.builder(makeDivisible(filters * 0.25, 8), 1).padding("same").name(prefix + "squeeze_excite_conv")
        .build().apply(x);
    x = new ReLU(null, 0, 0, prefix + "squeeze_excite_relu").apply(x);
    x = Conv2D.builder(filters, 1).padding("same").name(prefix + "squeeze_excite_conv_1").build().apply(x);
    x = hardSigmoid(x);
    return new Multiply(prefix + "squeeze_excite_mul").apply(List.of(inputs, x));
  }

  /**
   * Keras's module-level {@code hard_sigmoid}: {@code ReLU(6.0)(x + 3.0) * (1.0 / 6.0)}, the two operations as
   * Rescaling layers named like Keras's operations (see the class documentation).
   */
  static KerasTensor hardSigmoid(KerasTensor x) {
    KerasTensor shifted = new Rescaling(1.0, 3.0, Backend.uniqueName("add")).apply(x);
    return new Rescaling(1.0 / 6.0, 0.0, Backend.uniqueName("multiply")).apply(Blocks.relu6(shifted, null));
  }

  /** Keras's module-level {@code relu}: an unnamed {@code ReLU()} layer. */
  private static KerasTensor relu(KerasTensor x) {
    return new ReLU().apply(x);
  }

  /** Keras's module-level {@code hard_swish}: an unnamed {@code Activation("hard_swish")} layer. */
  private static KerasTensor hardSwish(KerasTensor x) {
    return new Activation("hard_swish").apply(x);
  }

  private static KerasTensor bn(KerasTensor x, String name) {
    return Blocks.bn(x, EPSILON, MOMENTUM, name);
  }
}
