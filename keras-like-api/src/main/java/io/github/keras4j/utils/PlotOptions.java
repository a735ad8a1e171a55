package io.github.keras4j.utils;

import java.util.Locale;
import java.util.Set;

/**
 * Optional settings of {@link ModelPlot#modelToDot} and {@link ModelPlot#plotModel}: the keyword arguments of Keras's
 * {@code keras.utils.model_to_dot} and {@code keras.utils.plot_model}, set fluently with Keras's defaults.
 *
 * <pre>{@code
 * String dot = ModelPlot.modelToDot(model, new PlotOptions().showShapes(true).rankdir("LR"));
 * ModelPlot.plotModel(model, Path.of("model.dot"), new PlotOptions().showShapes(true).expandNested(true));
 * }</pre>
 *
 * <p>Defaults as Keras: {@code showShapes=false}, {@code showDtype=false}, {@code rankdir="TB"},
 * {@code expandNested=false}, {@code dpi=200}, {@code showLayerActivations=false}, {@code showTrainable=false},
 * {@code splines="ortho"}; {@code showLayerNames} is true for {@code modelToDot} and false for {@code plotModel}
 * unless set, as Keras's two functions have different defaults.
 *
 * <p>Java differences from Keras: the settings are checked when set ({@code rankdir}, {@code dpi} and
 * {@code splines}; Keras passes them to Graphviz unchecked), and Keras's {@code subgraph} argument (used by
 * {@code model_to_dot} for its own recursion) is not offered.
 */
public final class PlotOptions {

  private static final Set<String> RANKDIRS = Set.of("TB", "LR", "BT", "RL");
  private static final Set<String> SPLINES =
      Set.of("ortho", "curved", "polyline", "spline", "line", "none", "true", "false");

  private boolean showShapes;
  private boolean showDtype;
  private Boolean showLayerNames;
  private String rankdir = "TB";
  private boolean expandNested;
  private int dpi = 200;
  private boolean showLayerActivations;
  private boolean showTrainable;
  private String splines = "ortho";

  /** Keras's defaults; see the class comment. */
  public PlotOptions() {}

  /** Whether nodes show their input and output shapes, {@code (None, 784)} (default false). */
  public PlotOptions showShapes(boolean showShapes) {
    this.showShapes = showShapes;
    return this;
  }

  /** Whether nodes show their output dtype, {@code float32} (default false). */
  public PlotOptions showDtype(boolean showDtype) {
    this.showDtype = showDtype;
    return this;
  }

  /**
   * Whether nodes show the layer's name before its class, {@code dense (Dense)}, rather than the class alone.
   * Default: true for {@link ModelPlot#modelToDot}, false for {@link ModelPlot#plotModel}, as Keras.
   */
  public PlotOptions showLayerNames(boolean showLayerNames) {
    this.showLayerNames = showLayerNames;
    return this;
  }

  /**
   * The direction of the plot, Graphviz's {@code rankdir}: {@code "TB"} (top to bottom, the default) or
   * {@code "LR"} (left to right); Graphviz's {@code "BT"} and {@code "RL"} are accepted too.
   *
   * @throws IllegalArgumentException for any other value
   */
  public PlotOptions rankdir(String rankdir) {
    if (rankdir == null || !RANKDIRS.contains(rankdir.toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException("plot_model: rankdir must be one of \"TB\", \"LR\", \"BT\" or \"RL\". "
          + "Received: rankdir=" + rankdir);
    }
    this.rankdir = rankdir.toUpperCase(Locale.ROOT);
    return this;
  }

  /**
   * Whether a model used as a layer ({@link io.github.keras4j.models.NestedModel}) is drawn as a dashed cluster of
   * its own layers rather than as one node (default false).
   */
  public PlotOptions expandNested(boolean expandNested) {
    this.expandNested = expandNested;
    return this;
  }

  /**
   * The image resolution in dots per inch, Graphviz's {@code dpi} (default 200).
   *
   * @throws IllegalArgumentException when {@code dpi} is not positive
   */
  public PlotOptions dpi(int dpi) {
    if (dpi <= 0) {
      throw new IllegalArgumentException("plot_model: dpi must be positive. Received: dpi=" + dpi);
    }
    this.dpi = dpi;
    return this;
  }

  /**
   * Whether nodes of layers with an activation (an {@code "activation"} entry in their config, as Dense or Conv2D)
   * show it, {@code Activation: relu} (default false).
   */
  public PlotOptions showLayerActivations(boolean showLayerActivations) {
    this.showLayerActivations = showLayerActivations;
    return this;
  }

  /** Whether nodes of layers with weights show "Trainable" or "Non-trainable" (default false). */
  public PlotOptions showTrainable(boolean showTrainable) {
    this.showTrainable = showTrainable;
    return this;
  }

  /**
   * How Graphviz draws edges, its {@code splines}: {@code "ortho"} (right angles, the default), {@code "curved"},
   * {@code "polyline"}, {@code "spline"}, {@code "line"}, {@code "none"}, {@code "true"} or {@code "false"}.
   *
   * @throws IllegalArgumentException for any other value
   */
  public PlotOptions splines(String splines) {
    if (splines == null || !SPLINES.contains(splines)) {
      throw new IllegalArgumentException("plot_model: splines must be one of " + SPLINES.stream().sorted().toList()
          + ". Received: splines=" + splines);
    }
    this.splines = splines;
    return this;
  }

  /** Whether shapes are shown. */
  public boolean showShapes() {
    return showShapes;
  }

  /** Whether dtypes are shown. */
  public boolean showDtype() {
    return showDtype;
  }

  /** Whether layer names are shown, {@code defaultValue} when {@link #showLayerNames(boolean)} was not called. */
  public boolean showLayerNamesOr(boolean defaultValue) {
    return showLayerNames != null ? showLayerNames : defaultValue;
  }

  /** The plot direction, upper case. */
  public String rankdir() {
    return rankdir;
  }

  /** Whether nested models are drawn as clusters. */
  public boolean expandNested() {
    return expandNested;
  }

  /** The resolution in dots per inch. */
  public int dpi() {
    return dpi;
  }

  /** Whether activations are shown. */
  public boolean showLayerActivations() {
    return showLayerActivations;
  }

  /** Whether trainability is shown. */
  public boolean showTrainable() {
    return showTrainable;
  }

  /** How edges are drawn. */
  public String splines() {
    return splines;
  }
}
