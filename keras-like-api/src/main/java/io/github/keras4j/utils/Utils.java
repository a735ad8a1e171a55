package io.github.keras4j.utils;

import io.github.keras4j.models.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Keras's {@code keras.utils} array helpers, on Java arrays, and the model plots of {@link ModelPlot}.
 *
 * <pre>{@code
 * float[][] y = Utils.toCategorical(new int[] {0, 2, 1}, 3);      // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * float[][] x = Utils.padSequences(new int[][] {{1}, {2, 3}, {4, 5, 6}}, 2);   // [[0, 1], [2, 3], [5, 6]]
 * }</pre>
 *
 * <p>Java differences from Keras: the results are {@code float} arrays (Keras4J's models take float inputs and
 * targets; Keras returns {@code float64} one-hot rows and {@code int32} padded sequences), and only the 1-D label and
 * sequence forms are offered.
 */
public final class Utils {

  private Utils() {}

  /**
   * One-hot rows of {@code labels}, as Keras's {@code to_categorical(labels, num_classes)}: row {@code i} has a 1 in
   * column {@code labels[i]}.
   *
   * @throws IllegalArgumentException when a label is outside {@code [0, numClasses)}
   */
  public static float[][] toCategorical(int[] labels, int numClasses) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("to_categorical: `num_classes` must be higher than 0. Received: "
          + "num_classes=" + numClasses);
    }
    float[][] out = new float[labels.length][numClasses];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("to_categorical: labels must be in [0, " + numClasses + "). Received: "
            + labels[i] + " at index " + i);
      }
      out[i][labels[i]] = 1f;
    }
    return out;
  }

  /** One-hot rows of {@code labels} with {@code max(labels) + 1} classes, as Keras without {@code num_classes}. */
  public static float[][] toCategorical(int[] labels) {
    int max = -1;
    for (int label : labels) {
      max = Math.max(max, label);
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("to_categorical: no labels to count the classes from; give num_classes");
    }
    return toCategorical(labels, max + 1);
  }

  /**
   * Keras's {@code pad_sequences(sequences, maxlen)} with its defaults: sequences longer than {@code maxlen} lose
   * their first values, shorter ones get zeros in front.
   */
  public static float[][] padSequences(int[][] sequences, int maxlen) {
    return padSequences(sequences, maxlen, "pre", "pre", 0f);
  }

  /**
   * Sequences of different lengths as one {@code (sequences, maxlen)} array, as Keras's {@code pad_sequences}.
   *
   * @param maxlen the length of every row; -1 for the longest sequence's length (Keras's {@code maxlen=None})
   * @param padding {@code "pre"} (values in front) or {@code "post"}: where the padding goes
   * @param truncating {@code "pre"} or {@code "post"}: whether a longer sequence loses its first or its last values
   * @param value the padding value
   */
  public static float[][] padSequences(int[][] sequences, int maxlen, String padding, String truncating,
      float value) {
    if (!"pre".equals(padding) && !"post".equals(padding)) {
      throw new IllegalArgumentException("pad_sequences: padding type \"" + padding + "\" not understood; expected "
          + "\"pre\" or \"post\"");
    }
    if (!"pre".equals(truncating) && !"post".equals(truncating)) {
      throw new IllegalArgumentException("pad_sequences: truncating type \"" + truncating + "\" not understood; "
          + "expected \"pre\" or \"post\"");
    }
    int length = maxlen;
    if (maxlen == -1) {
      length = 0;
      for (int[] s : sequences) {
        length = Math.max(length, s == null ? 0 : s.length);
      }
    } else if (maxlen < 0) {
      throw new IllegalArgumentException("pad_sequences: `maxlen` must be 0 or greater, or -1 for the longest "
          + "sequence. Received: maxlen=" + maxlen);
    }
    float[][] out = new float[sequences.length][length];
    for (int i = 0; i < sequences.length; i++) {
      Arrays.fill(out[i], value);
      int[] s = sequences[i] == null ? new int[0] : sequences[i];
      int kept = Math.min(s.length, length);
      int from = "pre".equals(truncating) ? s.length - kept : 0;
      int to = "pre".equals(padding) ? length - kept : 0;
      for (int j = 0; j < kept; j++) {
        out[i][to + j] = s[from + j];
      }
    }
    return out;
  }

  /**
   * Keras's {@code keras.utils.model_to_dot}: the model's graph as Graphviz DOT text; see
   * {@link ModelPlot#modelToDot(Model, PlotOptions)}.
   */
  public static String modelToDot(Model model, PlotOptions options) {
    return ModelPlot.modelToDot(model, options);
  }

  /**
   * Keras's {@code keras.utils.plot_model}: the model's graph written to a file; see
   * {@link ModelPlot#plotModel(Model, Path, PlotOptions)}.
   */
  public static void plotModel(Model model, Path toFile, PlotOptions options) throws IOException {
    ModelPlot.plotModel(model, toFile, options);
  }
}
