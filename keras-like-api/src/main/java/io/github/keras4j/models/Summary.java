package io.github.keras4j.models;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Keras 3's {@code model.summary()} table: box-drawing borders, "Layer (type)", "Output Shape", "Param #" (and
 * "Connected to" for non-sequential functional models), then total, trainable and non-trainable parameter
 * counts with their size at 4 bytes per float32.
 */
final class Summary {

  private Summary() {}

  static void print(Model model, Consumer<String> out) {
    boolean sequential = model.sequentialLike();
    List<String> headers = new ArrayList<>(List.of("Layer (type)", "Output Shape", "Param #"));
    int[] widths = sequential ? new int[] {33, 24, 15} : new int[] {27, 22, 13, 26};
    boolean[] right = sequential ? new boolean[] {false, false, true} : new boolean[] {false, false, true, false};
    if (!sequential) {
      headers.add("Connected to");
    }
    List<List<String>> rows = new ArrayList<>();
    if (!model.isBuilt()) {
      out.accept("Model: \"" + model.name() + "\" (unbuilt: its layers get weights on first data)");
    } else {
      out.accept("Model: \"" + model.name() + "\"");
    }
    for (Layer layer : model.allLayers()) {
      List<String> row = new ArrayList<>();
      row.add(layer.name() + " (" + layer.className() + ")");
      row.add(outputShape(model, layer));
      row.add(String.format(Locale.ROOT, "%,d", layer.countParams()));
      if (!sequential) {
        row.add(connectedTo(model, layer));
      }
      rows.add(row);
    }
    out.accept(border('┏', '┳', '┓', '━', widths));
    out.accept(line('┃', headers, widths, right, true));
    out.accept(border('┡', '╇', '┩', '━', widths));
    for (int i = 0; i < rows.size(); i++) {
      out.accept(line('│', rows.get(i), widths, right, false));
      if (i < rows.size() - 1) {
        out.accept(border('├', '┼', '┤', '─', widths));
      }
    }
    out.accept(border('└', '┴', '┘', '─', widths));
    long total = 0;
    long trainable = 0;
    for (Layer layer : model.allLayers()) {
      total += layer.countParams();
      for (var v : layer.trainableVariables()) {
        trainable += v.size();
      }
    }
    out.accept(" Total params: " + count(total));
    out.accept(" Trainable params: " + count(trainable));
    out.accept(" Non-trainable params: " + count(total - trainable));
  }

  private static String outputShape(Model model, Layer layer) {
    for (Node n : layer.inboundNodes()) {
      if (model.nodes().contains(n)) {
        return Shapes.format(n.outputs().get(0).shape());
      }
    }
    return "?";
  }

  private static String connectedTo(Model model, Layer layer) {
    List<String> parts = new ArrayList<>();
    for (Node n : model.nodes()) {
      if (n.layer() == layer) {
        for (KerasTensor t : n.inputs()) {
          parts.add(t.layer().name() + "[0][" + t.index() + "]");
        }
      }
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  /** {@code 50,890 (198.79 KB)}: Keras's readable_memory_size, 1024-based units, float32 weights. */
  static String count(long params) {
    double bytes = params * 4.0;
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1024 && u < units.length - 1) {
      bytes /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%,d (%.2f %s)", params, bytes, units[u]);
  }

  private static String border(char left, char mid, char right, char fill, int[] widths) {
    StringBuilder b = new StringBuilder().append(left);
    for (int i = 0; i < widths.length; i++) {
      b.append(String.valueOf(fill).repeat(widths[i]));
      b.append(i < widths.length - 1 ? mid : right);
    }
    return b.toString();
  }

  private static String line(char sep, List<String> cells, int[] widths, boolean[] right, boolean header) {
    StringBuilder b = new StringBuilder().append(sep);
    for (int i = 0; i < widths.length; i++) {
      int inner = widths[i] - 2;
      String text = cells.get(i);
      if (text.length() > inner) {
        text = text.substring(0, inner - 1) + "…";
      }
      String pad = " ".repeat(inner - text.length());
      b.append(' ').append(right[i] ? pad + text : text + pad).append(' ').append(sep);
    }
    return b.toString();
  }
}
