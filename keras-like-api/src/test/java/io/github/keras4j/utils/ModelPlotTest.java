package io.github.keras4j.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.models.Model;
import io.github.keras4j.models.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelPlot}: the DOT text of Keras's model_to_dot (nodes, labels, edges, clusters, options, escaping) and
 * plot_model's files. Expected texts are written by hand from Keras's model_visualization.py: one node per layer
 * labelled {@code <b>name</b> (Class)}, edges between the layers a call connects, nested models as clusters.
 */
class ModelPlotTest {

  private static final Pattern NODE = Pattern.compile("^\\s*(\"(?:[^\"\\\\]|\\\\.)*\") \\[label=<(.*)>, "
      + "fontname=\"Helvetica\", border=0, margin=0\\];$");
  private static final Pattern EDGE = Pattern.compile("^\\s*(\"[^\"]*\") -> (\"[^\"]*\") \\[penwidth=2\\];$");

  /** Keras's title cell for a label with {@code colspan} cells below it. */
  private static String title(String text, int colspan) {
    return "<table border=\"0\" cellborder=\"1\" bgcolor=\"black\" cellpadding=\"10\"><tr><td colspan=\"" + colspan
        + "\" bgcolor=\"black\"><font point-size=\"16\" color=\"white\">" + text + "</font></td></tr>";
  }

  private static String cell(String title, String value) {
    return "<td bgcolor=\"white\"><font point-size=\"14\">" + title + ": <b>" + value + "</b></font></td>";
  }

  /** Node id (quoted) to label, in order. */
  private static Map<String, String> nodes(String dot) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : dot.split("\n")) {
      Matcher m = NODE.matcher(line);
      if (m.matches()) {
        assertEquals(null, out.put(m.group(1), m.group(2)), "one node per layer: " + m.group(1));
      }
    }
    return out;
  }

  /** Edges as {@code "a" -> "b"}, in order; fails on a repeated edge. */
  private static List<String> edges(String dot) {
    List<String> out = new ArrayList<>();
    for (String line : dot.split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.matches()) {
        String e = m.group(1) + " -> " + m.group(2);
        assertFalse(out.contains(e), "edge drawn twice: " + e);
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void sequentialOfTwoDenseGivesKerasDotText() {
    Backend.clearSession();
    try (Sequential model = new Sequential(new InputLayer(784), new Dense(64, "relu"), new Dense(10, "softmax"))) {
      String expected = "digraph G {\n"
          + "  rankdir=TB;\n"
          + "  concentrate=true;\n"
          + "  dpi=200;\n"
          + "  splines=ortho;\n"
          + "  node [shape=record];\n"
          + "  \"dense\" [label=<" + title("<b>dense</b> (Dense)", 1) + "</table>>, fontname=\"Helvetica\", "
          + "border=0, margin=0];\n"
          + "  \"dense_1\" [label=<" + title("<b>dense_1</b> (Dense)", 1) + "</table>>, fontname=\"Helvetica\", "
          + "border=0, margin=0];\n"
          + "  \"dense\" -> \"dense_1\" [penwidth=2];\n"
          + "}\n";
      assertEquals(expected, ModelPlot.modelToDot(model));
      assertEquals(expected, Utils.modelToDot(model, new PlotOptions()));
    }
  }

  @Test
  void showShapesDtypeActivationsTrainableAndRankdir() {
    Backend.clearSession();
    Dense frozen = new Dense(64, "relu");
    try (Sequential model = new Sequential(new InputLayer(784), frozen, new Dense(10))) {
      frozen.setTrainable(false);
      String dot = ModelPlot.modelToDot(model, new PlotOptions().showShapes(true).showDtype(true)
          .showLayerActivations(true).showTrainable(true).rankdir("lr").dpi(96).splines("curved"));
      assertTrue(dot.contains("  rankdir=LR;\n  concentrate=true;\n  dpi=96;\n  splines=curved;\n"), dot);
      Map<String, String> nodes = nodes(dot);
      assertEquals(List.of("\"dense\"", "\"dense_1\""), List.copyOf(nodes.keySet()));
      // Input shape, output shape, dtype and trainability: four cells under the title and the activation row.
      assertEquals(title("<b>dense</b> (Dense)", 4)
          + "<tr><td bgcolor=\"white\" colspan=\"4\"><font point-size=\"14\">Activation: <b>relu</b></font></td></tr>"
          + "<tr>" + cell("Input shape", "(None, 784)") + cell("Output shape", "(None, 64)")
          + cell("Output dtype", "float32")
          + "<td bgcolor=\"firebrick\"><font point-size=\"14\" color=\"white\"><b>Non-trainable</b></font></td>"
          + "</tr></table>", nodes.get("\"dense\""));
      // A Dense without activation is "linear", as Keras's activations.get(None).
      assertTrue(nodes.get("\"dense_1\"").contains("Activation: <b>linear</b>"), nodes.get("\"dense_1\""));
      assertTrue(nodes.get("\"dense_1\"").contains("<b>Trainable</b>"), nodes.get("\"dense_1\""));
      assertTrue(nodes.get("\"dense_1\"").contains(cell("Output shape", "(None, 10)")));

      String plain = ModelPlot.modelToDot(model, new PlotOptions().showLayerNames(false));
      assertTrue(nodes(plain).get("\"dense\"").startsWith(title("<b>Dense</b>", 1)), plain);
      assertFalse(plain.contains("shape:"), plain);
    }
  }

  @Test
  void functionalModelWithTwoInputsAndConcatenate() {
    Backend.clearSession();
    KerasTensor a = Input.of("a", 3);
    KerasTensor b = Input.of("b", 4);
    KerasTensor joined = new Concatenate().apply(List.of(a, b));
    KerasTensor out1 = new Dense(2).apply(joined);
    KerasTensor out2 = new Dense(1).apply(joined);
    try (Model model = new Model(List.of(a, b), List.of(out1, out2))) {
      String dot = ModelPlot.modelToDot(model, new PlotOptions().showShapes(true).showTrainable(true));
      Map<String, String> nodes = nodes(dot);
      assertEquals(List.of("\"a\"", "\"b\"", "\"concatenate\"", "\"dense\"", "\"dense_1\""),
          List.copyOf(nodes.keySet()));
      assertEquals(Set.of("\"a\" -> \"concatenate\"", "\"b\" -> \"concatenate\"", "\"concatenate\" -> \"dense\"",
          "\"concatenate\" -> \"dense_1\""), new LinkedHashSet<>(edges(dot)));
      // An input layer shows its output shape only; several inputs print as a Python list of tuples.
      assertEquals(title("<b>a</b> (InputLayer)", 1) + "<tr>" + cell("Output shape", "(None, 3)") + "</tr></table>",
          nodes.get("\"a\""));
      // Concatenate has no weights: no trainable cell.
      assertEquals(title("<b>concatenate</b> (Concatenate)", 2) + "<tr>"
          + cell("Input shape", "[(None, 3), (None, 4)]") + cell("Output shape", "(None, 7)") + "</tr></table>",
          nodes.get("\"concatenate\""));
    }
  }

  @Test
  void sharedLayerIsOneNodeWithOneEdgePerConnection() {
    Backend.clearSession();
    KerasTensor a = Input.of("a", 3);
    KerasTensor b = Input.of("b", 3);
    Dense shared = new Dense(2, "relu");
    KerasTensor both = new Concatenate().apply(List.of(shared.apply(a), shared.apply(b)));
    KerasTensor out = new Dense(1).apply(both);
    try (Model model = new Model(List.of(a, b), List.of(out))) {
      String dot = ModelPlot.modelToDot(model, new PlotOptions().showShapes(true));
      Map<String, String> nodes = nodes(dot);
      assertEquals(List.of("\"a\"", "\"b\"", "\"dense\"", "\"concatenate\"", "\"dense_1\""),
          List.copyOf(nodes.keySet()));
      // dense feeds concatenate twice: Keras's add_edge draws one edge.
      assertEquals(List.of("\"a\" -> \"dense\"", "\"b\" -> \"dense\"", "\"dense\" -> \"concatenate\"",
          "\"concatenate\" -> \"dense_1\""), edges(dot));
      assertTrue(nodes.get("\"dense\"").contains(cell("Input shape", "(None, 3)") + cell("Output shape", "(None, 2)")));
      assertTrue(nodes.get("\"concatenate\"").contains(cell("Input shape", "[(None, 2), (None, 2)]")));
    }
  }

  /** An input no output depends on is still drawn with its shape and dtype, as Keras reads them from its output. */
  @Test
  void unusedInputShowsItsShape() {
    Backend.clearSession();
    KerasTensor a = Input.of("a", 3);
    KerasTensor spare = Input.of("spare", 5);
    try (Model model = new Model(List.of(a, spare), List.of(new Dense(2).apply(a)))) {
      String dot = ModelPlot.modelToDot(model, new PlotOptions().showShapes(true).showDtype(true));
      assertEquals(title("<b>spare</b> (InputLayer)", 2) + "<tr>" + cell("Output shape", "(None, 5)")
          + cell("Output dtype", "float32") + "</tr></table>", nodes(dot).get("\"spare\""));
      assertEquals(List.of("\"a\" -> \"dense\""), edges(dot));
    }
  }

  /** x -> base (Sequential: inner_1, inner_2) -> head (functional: its own input "h_in" -> h_dense) -> out. */
  @Test
  void nestedModelsAsNodesOrAsClusters() {
    Backend.clearSession();
    try (Sequential base = new Sequential("base", List.of(new InputLayer(4),
        Dense.builder(3).name("inner_1").build(), Dense.builder(3).name("inner_2").build()))) {
      KerasTensor hIn = Input.of("h_in", 3);
      try (Model head = new Model(List.of(hIn), List.of(Dense.builder(2).name("h_dense").build().apply(hIn)), "head")) {
        KerasTensor x = Input.of("x", 4);
        KerasTensor y = Dense.builder(1).name("out").build().apply(head.apply(base.apply(x)));
        try (Model model = new Model(List.of(x), List.of(y), "outer")) {
          String flat = ModelPlot.modelToDot(model, new PlotOptions().showShapes(true));
          Map<String, String> nodes = nodes(flat);
          assertEquals(List.of("\"x\"", "\"base\"", "\"head\"", "\"out\""), List.copyOf(nodes.keySet()));
          assertEquals(List.of("\"x\" -> \"base\"", "\"base\" -> \"head\"", "\"head\" -> \"out\""), edges(flat));
          assertTrue(nodes.get("\"base\"").startsWith(title("<b>base</b> (Sequential)", 2)), nodes.get("\"base\""));
          assertTrue(nodes.get("\"head\"").contains(cell("Output shape", "(None, 2)")), nodes.get("\"head\""));
          assertFalse(flat.contains("subgraph"), flat);

          String expanded = ModelPlot.modelToDot(model, new PlotOptions().expandNested(true));
          assertEquals(List.of("\"x\"", "\"inner_1\"", "\"inner_2\"", "\"h_in\"", "\"h_dense\"", "\"out\""),
              List.copyOf(nodes(expanded).keySet()));
          // Into a Sequential: its first layer; into a functional model: its input layer; out of either: the layer
          // making its output.
          assertEquals(Set.of("\"inner_1\" -> \"inner_2\"", "\"h_in\" -> \"h_dense\"", "\"x\" -> \"inner_1\"",
              "\"inner_2\" -> \"h_in\"", "\"h_dense\" -> \"out\""), new LinkedHashSet<>(edges(expanded)));
          assertTrue(expanded.contains("  subgraph \"cluster_base\" {\n    style=dashed;\n    label=\"base\";\n"
              + "    labeljust=l;\n    \"inner_1\" [label="), expanded);
          assertTrue(expanded.contains("  subgraph \"cluster_head\" {\n"), expanded);
          assertTrue(expanded.contains("\n    \"inner_1\" -> \"inner_2\" [penwidth=2];\n  }\n"), expanded);
        }
      }
    }
  }

  /** A layer whose Keras class name holds HTML and DOT specials. */
  static final class OddLayer extends Dense {
    OddLayer() {
      super(2);
    }

    @Override
    public String className() {
      return "Odd<\"&'>";
    }
  }

  @Test
  void oddNamesAreEscaped() {
    Backend.clearSession();
    KerasTensor in = Input.of("1st-input.v2", 3);
    try (Model model = new Model(in, new OddLayer().apply(in))) {
      String dot = ModelPlot.modelToDot(model);
      Map<String, String> nodes = nodes(dot);
      assertEquals(List.of("\"1st-input.v2\"", "\"odd_layer\""), List.copyOf(nodes.keySet()));
      assertEquals(title("<b>odd_layer</b> (Odd&lt;&quot;&amp;&#39;&gt;)", 1) + "</table>",
          nodes.get("\"odd_layer\""));
      assertEquals(List.of("\"1st-input.v2\" -> \"odd_layer\""), edges(dot));
    }
    // Model names are not checked as layer names are: a cluster label or id may hold quotes and backslashes.
    assertEquals("\"say \\\"hi\\\" \\\\ bye\\n\"", ModelPlot.quote("say \"hi\" \\ bye\n"));
    assertEquals("a&amp;b &lt;c&gt; &quot;d&quot;", ModelPlot.html("a&b <c> \"d\""));
  }

  @Test
  void dotFileIsWrittenAtomicallyWithPlotModelDefaults(@TempDir Path dir) throws IOException {
    Backend.clearSession();
    try (Sequential model = new Sequential(new InputLayer(4), new Dense(2))) {
      Path file = dir.resolve("model.dot");
      Files.writeString(file, "old contents");
      PlotOptions options = new PlotOptions().showShapes(true);
      ModelPlot.plotModel(model, file, options);
      // plot_model hides layer names by default, model_to_dot shows them.
      String written = Files.readString(file, StandardCharsets.UTF_8);
      assertEquals(ModelPlot.modelToDot(model, new PlotOptions().showShapes(true).showLayerNames(false)), written);
      assertTrue(written.contains("<b>Dense</b>"), written);
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(List.of(file), files.toList(), "no temporary file left behind");
      }
      Utils.plotModel(model, dir.resolve("model.gv"), new PlotOptions());
      assertTrue(Files.readString(dir.resolve("model.gv")).startsWith("digraph G {\n"));
    }
  }

  @Test
  void imageWithoutGraphvizSaysToWriteDotInstead(@TempDir Path dir) {
    Backend.clearSession();
    try (Sequential model = new Sequential(new InputLayer(4), new Dense(2))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () ->
          ModelPlot.plotModel(model, dir.resolve("model.png"), new PlotOptions(), "no-such-graphviz-dot-7f3a"));
      assertTrue(e.getMessage().contains("`no-such-graphviz-dot-7f3a` executable was not found"), e.getMessage());
      assertTrue(e.getMessage().contains("'.dot'"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("model.png")));
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () ->
          ModelPlot.plotModel(model, dir.resolve("model.bmp"), new PlotOptions()));
      assertTrue(bad.getMessage().contains("'.bmp'"), bad.getMessage());
    }
  }

  /** A stand-in {@code dot} script records its arguments: plot_model passes -Tsvg and the DOT text on stdin. */
  @Test
  void imageIsDrawnByTheDotExecutable(@TempDir Path dir) throws IOException {
    assumeTrue(!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"), "POSIX sh script");
    Backend.clearSession();
    Path script = dir.resolve("fake-dot");
    Files.writeString(script, "#!/bin/sh\n# args: -T<format> -o <file>\n{ echo \"$1\"; cat; } > \"$3\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    try (Sequential model = new Sequential(new InputLayer(4), new Dense(2))) {
      Path out = dir.resolve("model.svg");
      ModelPlot.plotModel(model, out, new PlotOptions(), script.toString());
      assertEquals("-Tsvg\n" + ModelPlot.modelToDot(model, new PlotOptions().showLayerNames(false)),
          Files.readString(out));

      Path failing = dir.resolve("failing-dot");
      Files.writeString(failing, "#!/bin/sh\necho 'syntax error' >&2\nexit 3\n");
      Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
      IllegalStateException e = assertThrows(IllegalStateException.class, () ->
          ModelPlot.plotModel(model, dir.resolve("broken.pdf"), new PlotOptions(), failing.toString()));
      assertTrue(e.getMessage().contains("exit code 3: syntax error"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("broken.pdf")));
    }
  }

  @Test
  void badArgumentsAndUnbuiltModels() {
    Backend.clearSession();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PlotOptions().rankdir("UP"));
    assertTrue(e.getMessage().contains("Received: rankdir=UP"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PlotOptions().dpi(0));
    assertThrows(IllegalArgumentException.class, () -> new PlotOptions().splines("wiggly"));
    try (Sequential unbuilt = new Sequential(new Dense(2))) {
      IllegalStateException s = assertThrows(IllegalStateException.class, () -> ModelPlot.modelToDot(unbuilt));
      assertTrue(s.getMessage().contains("has not yet been built"), s.getMessage());
    }
  }
}
