package io.github.keras4j.applications;

import io.github.keras4j.layers.KerasTensor;

/**
 * The arguments of Keras's application functions ({@code keras.applications.ResNet50(include_top=..., ...)}), with
 * Keras's names and defaults except {@code weights}: {@code includeTop=true}, {@code weights=null} (Keras:
 * {@code "imagenet"}; Keras4J downloads the pretrained weights only when asked, see {@link #weights}),
 * {@code inputTensor=null},
 * {@code inputShape=null}, {@code pooling=null}, {@code classes=1000}, {@code classifierActivation="softmax"},
 * {@code name=null} (each architecture's Keras name). MobileNet's {@code alpha=1.0}, {@code depthMultiplier=1} and
 * {@code dropout=1e-3} are here too; the architectures that do not take them refuse them when set, as Python would
 * refuse an unexpected keyword argument.
 *
 * <pre>{@code
 * Model m = MobileNetV2.mobileNetV2(new ApplicationOptions().alpha(0.35).includeTop(false).inputShape(96, 96, 3)
 *     .pooling("avg"));                           // output (None, 1280)
 * }</pre>
 */
public final class ApplicationOptions {
  private boolean includeTop = true;
  private String weights;
  private KerasTensor inputTensor;
  private long[] inputShape;
  private String pooling;
  private int classes = 1000;
  private String classifierActivation = "softmax";
  private String name;
  private double alpha = 1.0;
  private int depthMultiplier = 1;
  private double dropout = 1e-3;
  private boolean alphaSet;
  private boolean depthMultiplierSet;
  private boolean dropoutSet;

  /** Keras's defaults (with {@code weights=null}). */
  public ApplicationOptions() {}

  /** Whether to include the classifier at the top of the network; default true. */
  public ApplicationOptions includeTop(boolean includeTop) {
    this.includeTop = includeTop;
    return this;
  }

  /**
   * The initial weights: null (random initialization, the default), {@code "imagenet"} (Keras's weights pretrained on
   * ImageNet, downloaded once into {@code ~/.keras4j/models} and checked against Keras's hash), or the path of a
   * weights file for the same architecture and arguments (a Keras4J {@code .weights.bin} written by
   * {@code Model.saveWeights}, or a Keras legacy {@code .h5} file).
   *
   * <p>Java difference: Keras's default is {@code "imagenet"}; Keras4J's is null, so that building a model never
   * downloads hundreds of megabytes unasked.
   */
  public ApplicationOptions weights(String weights) {
    this.weights = weights;
    return this;
  }

  /**
   * A symbolic tensor to use as the image input (the output of {@code Input.of} or of layers applied to it); the
   * model's inputs are then the inputs that tensor comes from, as Keras's {@code get_source_inputs}.
   */
  public ApplicationOptions inputTensor(KerasTensor inputTensor) {
    this.inputTensor = inputTensor;
    return this;
  }

  /**
   * The image shape {@code (height, width, channels)} without the batch axis. Default: the architecture's default
   * size (224 x 224 x 3 for most) with {@code includeTop}. Without the top Keras defaults to {@code (None, None, 3)};
   * Keras4J inputs have static sizes, so there an input shape (or an input tensor) must be given: -1 (Keras's
   * {@code None}) is accepted by the checks only to give Keras's error messages.
   */
  public ApplicationOptions inputShape(long... inputShape) {
    this.inputShape = inputShape == null ? null : inputShape.clone();
    return this;
  }

  /**
   * The pooling of the features when {@code includeTop} is false: null (the 4-D feature map, the default),
   * {@code "avg"} (global average pooling) or {@code "max"} (global max pooling).
   */
  public ApplicationOptions pooling(String pooling) {
    this.pooling = pooling;
    return this;
  }

  /** The number of classes of the classifier when {@code includeTop} is true; default 1000. */
  public ApplicationOptions classes(int classes) {
    this.classes = classes;
    return this;
  }

  /** The classifier's activation by Keras id; default {@code "softmax"}, null for logits. */
  public ApplicationOptions classifierActivation(String classifierActivation) {
    this.classifierActivation = classifierActivation;
    return this;
  }

  /** The model's name; null (the default) for the architecture's Keras name ({@code "resnet50"}). */
  public ApplicationOptions name(String name) {
    this.name = name;
    return this;
  }

  /**
   * MobileNet and MobileNetV2: the width multiplier; default 1.0. Below 1 it thins every layer, above 1 it widens
   * them.
   */
  public ApplicationOptions alpha(double alpha) {
    this.alpha = alpha;
    this.alphaSet = true;
    return this;
  }

  /** MobileNet: the depth multiplier of the depthwise convolutions; default 1. */
  public ApplicationOptions depthMultiplier(int depthMultiplier) {
    this.depthMultiplier = depthMultiplier;
    this.depthMultiplierSet = true;
    return this;
  }

  /** MobileNet: the dropout rate before the classifier; default 1e-3. */
  public ApplicationOptions dropout(double dropout) {
    this.dropout = dropout;
    this.dropoutSet = true;
    return this;
  }

  /** Whether the classifier is included. */
  public boolean includeTop() {
    return includeTop;
  }

  /** The weights argument: null or a path. */
  public String weights() {
    return weights;
  }

  /** The input tensor, or null. */
  public KerasTensor inputTensor() {
    return inputTensor;
  }

  /** The input shape (-1 for unknown sizes), or null. */
  public long[] inputShape() {
    return inputShape == null ? null : inputShape.clone();
  }

  /** The pooling mode, or null. */
  public String pooling() {
    return pooling;
  }

  /** The number of classes. */
  public int classes() {
    return classes;
  }

  /** The classifier's activation id, or null for none. */
  public String classifierActivation() {
    return classifierActivation;
  }

  /** The model's name, or null for the architecture's default. */
  public String name() {
    return name;
  }

  /** The width multiplier (MobileNet, MobileNetV2). */
  public double alpha() {
    return alpha;
  }

  /** The depth multiplier (MobileNet). */
  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** The dropout rate (MobileNet). */
  public double dropout() {
    return dropout;
  }

  /**
   * Refuses the MobileNet-only arguments that were set but that {@code architecture} does not take.
   *
   * @throws IllegalArgumentException naming the architecture and the argument
   */
  void checkExtraArguments(String architecture, boolean takesAlpha, boolean takesDepthMultiplier,
      boolean takesDropout) {
    refuse(architecture, "alpha", alphaSet && !takesAlpha);
    refuse(architecture, "depth_multiplier", depthMultiplierSet && !takesDepthMultiplier);
    refuse(architecture, "dropout", dropoutSet && !takesDropout);
  }

  private static void refuse(String architecture, String argument, boolean set) {
    if (set) {
      throw new IllegalArgumentException(architecture + "() got an unexpected keyword argument '" + argument
          + "': only MobileNet takes alpha, depth_multiplier and dropout (MobileNetV2 takes alpha)");
    }
  }
}
