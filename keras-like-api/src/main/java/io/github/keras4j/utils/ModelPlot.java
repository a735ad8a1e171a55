package io.github.keras4j.utils;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.Node;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.NestedModel;
import io.github.keras4j.models.Sequential;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keras's {@code keras.utils.model_to_dot} and {@code keras.utils.plot_model}: a model's layer graph as Graphviz DOT
 * text, and that graph written to a file ({@code .dot}, or an image drawn by Graphviz's {@code dot}).
 *
 * <pre>{@code
 * String dot = ModelPlot.modelToDot(model, new PlotOptions().showShapes(true));
 * ModelPlot.plotModel(model, Path.of("model.dot"), new PlotOptions().showShapes(true));   // no Graphviz needed
 * ModelPlot.plotModel(model, Path.of("model.png"));                                      // needs `dot` on the PATH
 * }</pre>
 *
 * <p>As Keras: one node per layer, labelled with an HTML table ({@code <b>dense</b> (Dense)}, then on request the
 * activation, the input and output shapes, the output dtype and whether the layer is trainable); a Sequential model
 * draws its layers without its input layer, a functional model draws its input layers; one edge per connection
 * between two layers (a layer feeding another twice, as a shared layer can, gives one edge); a model used as a layer
 * is one node, or with {@link PlotOptions#expandNested} a dashed cluster of its layers, with the edges going to and
 * from the layers inside. A shared layer is one node, showing the shapes of its first call in the model.
 *
 * <p>Java differences from Keras: Keras returns a {@code pydot.Dot} object, Keras4J the DOT text. Node ids are the
 * layers' names (quoted; Keras uses Python object ids), so the text is the same from run to run. The label text is
 * HTML-escaped ({@code &}, {@code <}, {@code >}, {@code "}), which Keras does not do, and a label's title cell spans
 * the cells actually present. {@link #plotModel} writes a {@code .dot} file as the raw DOT text without Graphviz
 * (Keras runs Graphviz for every format) and draws {@code .png}, {@code .svg} and {@code .pdf} with the {@code dot}
 * executable found on the {@code PATH}; it returns nothing (Keras returns an IPython image in notebooks).
 */
public final class ModelPlot {

  private static final Set<String> IMAGE_FORMATS = Set.of("png", "svg", "pdf");
  private static final long DOT_TIMEOUT_SECONDS = 120;

  private ModelPlot() {}

  /** The model's graph as DOT text with Keras's defaults (layer names shown, no shapes, top to bottom). */
  public static String modelToDot(Model model) {
    return modelToDot(model, new PlotOptions());
  }

  /**
   * The model's graph as Graphviz DOT text, as Keras's {@code model_to_dot(model, ...)}.
   *
   * @param model a built model (a Sequential with its input shape known)
   * @param options what the nodes show and how the graph is laid out; {@code showLayerNames} defaults to true here
   * @return the DOT text of a {@code digraph}, ending with a newline
   * @throws IllegalStateException when the model is not built
   */
  public static String modelToDot(Model model, PlotOptions options) {
    checkBuilt(model);
    return new DotWriter(options, options.showLayerNamesOr(true)).write(model);
  }

  /** Writes the model's plot with Keras's defaults (layer names hidden, as Keras's {@code plot_model}). */
  public static void plotModel(Model model, Path toFile) throws IOException {
    plotModel(model, toFile, new PlotOptions());
  }

  /**
   * Writes the model's plot to {@code toFile}, as Keras's {@code plot_model(model, to_file, ...)}: the file's
   * extension picks the format. A {@code .dot} (or {@code .gv}) file gets the DOT text of {@link #modelToDot}; a
   * {@code .png}, {@code .svg} or {@code .pdf} file (or a name without extension: PNG, as Keras) is drawn by
   * Graphviz's {@code dot} executable, which must be on the {@code PATH}. The file is written under a temporary
   * name in the same folder and then moved into place, so it is never seen half-written; an existing file is
   * replaced.
   *
   * @param model a built model
   * @param toFile the file to write; its folder must exist
   * @param options what the nodes show; {@code showLayerNames} defaults to false here, as Keras
   * @throws IllegalStateException when the model is not built, or when an image is asked for and Graphviz's
   *     {@code dot} is not on the {@code PATH} or fails
   * @throws IllegalArgumentException for an extension other than dot, gv, png, svg and pdf
   * @throws IOException when the file cannot be written
   */
  public static void plotModel(Model model, Path toFile, PlotOptions options) throws IOException {
    plotModel(model, toFile, options, "dot");
  }

  /**
   * {@link #plotModel(Model, Path, PlotOptions)} with the Graphviz executable given: a name looked up on the
   * {@code PATH}, or a path. Package-private, for tests (a missing name, or a stand-in script).
   */
  static void plotModel(Model model, Path toFile, PlotOptions options, String dotExecutable) throws IOException {
    checkBuilt(model);
    String format = format(toFile);
    Path dot = null;
    if (IMAGE_FORMATS.contains(format)) {
      dot = findExecutable(dotExecutable);
      if (dot == null) {
        throw new IllegalStateException("plot_model: Graphviz's `" + dotExecutable + "` executable was not found on "
            + "the PATH, so " + toFile.getFileName() + " cannot be drawn. Install Graphviz "
            + "(https://graphviz.gitlab.io/download/), or write the DOT text instead by giving a file name ending in "
            + "'.dot' and render it later with `dot -T" + format + "`");
      }
    }
    String text = new DotWriter(options, options.showLayerNamesOr(false)).write(model);
    Path target = toFile.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    try {
      if (dot == null) {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
      } else {
        render(dot, format, text, tmp);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void checkBuilt(Model model) {
    if (!model.isBuilt()) {
      throw new IllegalStateException("This model has not yet been built. Build the model first by calling `build()` "
          + "or by calling the model on a batch of data. Received: model '" + model.name() + "'");
    }
  }

  /** The output format from the file's extension: dot, png, svg or pdf. */
  private static String format(Path toFile) {
    String fileName = toFile.getFileName() == null ? "" : toFile.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String ext = dot <= 0 ? "png" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (ext.equals("dot") || ext.equals("gv")) {
      return "dot";
    }
    if (!IMAGE_FORMATS.contains(ext)) {
      throw new IllegalArgumentException("plot_model: cannot write a '." + ext + "' file. Expected a file name "
          + "ending in .dot or .gv (DOT text), or .png, .svg or .pdf (drawn by Graphviz). Received: to_file="
          + toFile);
    }
    return ext;
  }

  /** The executable: a path as given, or the first match of the name in the PATH's folders; null if none. */
  static Path findExecutable(String name) {
    if (name.contains("/") || name.contains(File.separator)) {
      Path p = Path.of(name);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      for (String candidate : windows ? List.of(name + ".exe", name) : List.of(name)) {
        Path p = Path.of(dir, candidate);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** Runs {@code dot -T<format> -o <out>} on the DOT text. */
  private static void render(Path dot, String format, String text, Path out) throws IOException {
    Process process = new ProcessBuilder(dot.toString(), "-T" + format, "-o", out.toString())
        .redirectErrorStream(true)
        .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // dot stopped reading (it failed early): its exit code and messages below say why.
    }
    String messages;
    try (InputStream output = process.getInputStream()) {
      messages = new String(output.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (!process.waitFor(DOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("plot_model: Graphviz (" + dot + ") did not finish within "
            + DOT_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("plot_model: interrupted while waiting for Graphviz", e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("plot_model: Graphviz (" + dot + " -T" + format + ") failed with exit code "
          + process.exitValue() + (messages.isEmpty() ? "" : ": " + messages));
    }
  }

  /** Quotes a DOT id or string value: backslashes and double quotes escaped, line breaks as {@code \n}. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> { }
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Escapes text for a Graphviz HTML-like label. */
  static String html(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Builds the DOT text of one model, its nested models drawn as clusters when asked. */
  private static final class DotWriter {

    private final PlotOptions options;
    private final boolean showLayerNames;
    private final StringBuilder out = new StringBuilder();
    private final Map<Layer, String> ids = new IdentityHashMap<>();
    private final Set<String> usedIds = new HashSet<>();
    private final Set<String> edges = new HashSet<>();

    DotWriter(PlotOptions options, boolean showLayerNames) {
      this.options = options;
      this.showLayerNames = showLayerNames;
    }

    String write(Model model) {
      out.append("digraph G {\n");
      out.append("  rankdir=").append(options.rankdir()).append(";\n");
      out.append("  concentrate=true;\n");
      out.append("  dpi=").append(options.dpi()).append(";\n");
      out.append("  splines=").append(options.splines()).append(";\n");
      out.append("  node [shape=record];\n");
      body(model, "  ");
      out.append("}\n");
      return out.toString();
    }

    /** The nodes, clusters and edges of {@code model}, as Keras's model_to_dot walks it. */
    private void body(Model model, String indent) {
      Set<Node> nodes = new HashSet<>(model.nodes());
      List<Layer> layers = model.layers();
      for (Layer layer : layers) {
        if (options.expandNested() && layer instanceof NestedModel nested) {
          cluster(nested.model(), indent);
        } else {
          node(layer, nodes, indent);
        }
      }
      boolean sequential = model instanceof Sequential;
      if (sequential && !options.expandNested()) {
        for (int i = 0; i + 1 < layers.size(); i++) {
          edge(layers.get(i), layers.get(i + 1), indent);
        }
        return;
      }
      // A Sequential's first layer is fed by its input layer, which is not drawn: the edge into a nested Sequential
      // comes from the outer model.
      for (Layer layer : sequential ? layers.subList(1, layers.size()) : layers) {
        for (Node call : layer.inboundNodes()) {
          if (!nodes.contains(call)) {
            continue;
          }
          for (int i = 0; i < call.inputs().size(); i++) {
            KerasTensor input = call.inputs().get(i);
            edge(source(input), destination(layer, i), indent);
          }
        }
      }
    }

    /** The drawn layer producing {@code t}: inside an expanded nested model, the layer producing its output. */
    private Layer source(KerasTensor t) {
      while (options.expandNested() && t.layer() instanceof NestedModel nested) {
        t = nested.model().outputs().get(t.index());
      }
      return t.layer();
    }

    /**
     * The drawn layer receiving input {@code index} of {@code layer}: inside an expanded nested model, its input
     * layer (functional) or its first layer (Sequential).
     */
    private Layer destination(Layer layer, int index) {
      while (options.expandNested() && layer instanceof NestedModel nested) {
        Model m = nested.model();
        layer = m instanceof Sequential ? m.layers().get(0) : m.inputs().get(index).layer();
      }
      return layer;
    }

    private void cluster(Model model, String indent) {
      out.append(indent).append("subgraph ").append(quote("cluster_" + model.name())).append(" {\n");
      String inner = indent + "  ";
      out.append(inner).append("style=dashed;\n");
      out.append(inner).append("label=").append(quote(model.name())).append(";\n");
      out.append(inner).append("labeljust=l;\n");
      body(model, inner);
      out.append(indent).append("}\n");
    }

    private void node(Layer layer, Set<Node> nodes, String indent) {
      out.append(indent).append(id(layer)).append(" [label=<").append(label(layer, nodes))
          .append(">, fontname=\"Helvetica\", border=0, margin=0];\n");
    }

    private void edge(Layer from, Layer to, String indent) {
      String text = id(from) + " -> " + id(to);
      if (edges.add(text)) {
        out.append(indent).append(text).append(" [penwidth=2];\n");
      }
    }

    /** The layer's quoted name; a second layer of the same name (in another model) gets a suffix. */
    private String id(Layer layer) {
      return ids.computeIfAbsent(layer, l -> {
        String id = l.name();
        for (int k = 2; !usedIds.add(id); k++) {
          id = l.name() + "#" + k;
        }
        return quote(id);
      });
    }

    /** Keras's HTML table: a black title row, an activation row, then a row of shape, dtype and trainable cells. */
    private String label(Layer layer, Set<Node> nodes) {
      String className = layer.className();
      List<String> cols = new ArrayList<>();
      Node call = firstCall(layer, nodes);
      if (options.showShapes()) {
        if (!(layer instanceof InputLayer)) {
          cols.add(cell("Input shape", call == null ? "?" : shapes(call.inputs())));
        }
        cols.add(cell("Output shape", call == null ? "?" : shapes(call.outputs())));
      }
      if (options.showDtype()) {
        cols.add(cell("Output dtype", call == null ? "?" : dtypes(call.outputs())));
      }
      if (options.showTrainable() && !layer.weights().isEmpty()) {
        cols.add(layer.isTrainable()
            ? "<td bgcolor=\"forestgreen\"><font point-size=\"14\" color=\"white\"><b>Trainable</b></font></td>"
            : "<td bgcolor=\"firebrick\"><font point-size=\"14\" color=\"white\"><b>Non-trainable</b></font></td>");
      }
      int colspan = Math.max(1, cols.size());
      StringBuilder b = new StringBuilder("<table border=\"0\" cellborder=\"1\" bgcolor=\"black\" cellpadding=\"10\">");
      b.append("<tr><td colspan=\"").append(colspan).append("\" bgcolor=\"black\">")
          .append("<font point-size=\"16\" color=\"white\">");
      if (showLayerNames) {
        b.append("<b>").append(html(layer.name())).append("</b> (").append(html(className)).append(')');
      } else {
        b.append("<b>").append(html(className)).append("</b>");
      }
      b.append("</font></td></tr>");
      String activation = options.showLayerActivations() ? activation(layer) : null;
      if (activation != null) {
        b.append("<tr><td bgcolor=\"white\" colspan=\"").append(colspan).append("\"><font point-size=\"14\">")
            .append("Activation: <b>").append(html(activation)).append("</b></font></td></tr>");
      }
      if (!cols.isEmpty()) {
        b.append("<tr>").append(String.join("", cols)).append("</tr>");
      }
      return b.append("</table>").toString();
    }

    private static String cell(String title, String value) {
      return "<td bgcolor=\"white\"><font point-size=\"14\">" + title + ": <b>" + html(value) + "</b></font></td>";
    }

    /** The layer's first call in the model (Keras shows a shared layer's first call), or null. */
    private static Node firstCall(Layer layer, Set<Node> nodes) {
      for (Node n : layer.inboundNodes()) {
        if (nodes.contains(n)) {
          return n;
        }
      }
      return null;
    }

    /** {@code (None, 784)} for one tensor, {@code [(None, 3), (None, 4)]} for several, as Python prints them. */
    private static String shapes(List<KerasTensor> tensors) {
      if (tensors.size() == 1) {
        return Shapes.format(tensors.get(0).shape());
      }
      List<String> parts = new ArrayList<>();
      tensors.forEach(t -> parts.add(Shapes.format(t.shape())));
      return "[" + String.join(", ", parts) + "]";
    }

    private static String dtypes(List<KerasTensor> tensors) {
      if (tensors.size() == 1) {
        return tensors.get(0).dtype();
      }
      List<String> parts = new ArrayList<>();
      tensors.forEach(t -> parts.add("'" + t.dtype() + "'"));
      return "[" + String.join(", ", parts) + "]";
    }

    /** The activation id in the layer's config ({@code relu}, {@code linear}), or null when it has none. */
    private static String activation(Layer layer) {
      if (layer instanceof NestedModel || layer instanceof InputLayer) {
        return null;
      }
      Object a = layer.getConfig().get("activation");
      return a instanceof String s ? s : null;
    }
  }
}
