package io.github.keras4j.examples.plot;

import io.github.keras4j.graph.savedmodel.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The examples' charts, drawn with XChart and written as PNG files (headless: no display needed).
 *
 * <pre>{@code
 * Plots.line(runDir.resolve("loss.png"), "Training loss", "epoch", "loss",
 *     List.of(Plots.Series.line("loss", epochs, loss), Plots.Series.line("val_loss", epochs, valLoss)));
 * }</pre>
 *
 * <p>Files are written to a temporary name in the target folder and moved into place, so a reader never sees a
 * half-written PNG.
 */
public final class Plots {

  static {
    // Charts are rendered off screen; without this, AWT looks for a display on machines that have none.
    System.setProperty("java.awt.headless", "true");
  }

  /** Default size of a chart in pixels. */
  public static final int WIDTH = 800;

  /** Default height of a chart in pixels. */
  public static final int HEIGHT = 500;

  /** One data series: a line, or markers only ({@link #points}). */
  public record Series(String name, double[] x, double[] y, boolean markersOnly) {
    /** Checks that x and y have the same length. */
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("Series '" + name + "': x and y must have the same length. Received: "
            + x.length + " x values and " + y.length + " y values");
      }
    }

    /** A line through the points, without markers. */
    public static Series line(String name, double[] x, double[] y) {
      return new Series(name, x, y, false);
    }

    /** The points as markers, without a line. */
    public static Series points(String name, double[] x, double[] y) {
      return new Series(name, x, y, true);
    }
  }

  private Plots() {}

  /** An x-y chart of {@code series}, written to {@code file} as PNG; returns {@code file}. */
  public static Path line(Path file, String title, String xLabel, String yLabel, List<Series> series) {
    return write(file, chart(title, xLabel, yLabel, series, false));
  }

  /** As {@link #line}, with a logarithmic y axis (all y values must be positive). */
  public static Path lineLogY(Path file, String title, String xLabel, String yLabel, List<Series> series) {
    return write(file, chart(title, xLabel, yLabel, series, true));
  }

  /** The chart {@link #line} draws, for callers that want to style it further before {@link #write}. */
  public static XYChart chart(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("Chart '" + title + "' needs at least one series. Received: none");
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
        .yAxisTitle(yLabel).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    for (Series s : series) {
      XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
      if (s.markersOnly()) {
        xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      } else {
        xy.setMarker(SeriesMarkers.NONE);
      }
    }
    return chart;
  }

  /** Writes {@code chart} to {@code file} as PNG (via a temporary file in the same folder); returns {@code file}. */
  public static Path write(Path file, XYChart chart) {
    return atomically(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
  }

  /**
   * Writes grey-scale images (values in [0, 1], each {@code height x width}, row-major) as one PNG grid with
   * {@code columns} images per row; returns {@code file}. Used for generated digits; this is image data, not a
   * chart.
   */
  public static Path imageGrid(Path file, float[][] images, int height, int width, int columns) {
    if (images.length == 0 || columns <= 0) {
      throw new IllegalArgumentException("imageGrid needs images and columns > 0. Received: " + images.length
          + " images, columns=" + columns);
    }
    int rows = (images.length + columns - 1) / columns;
    BufferedImage grid = new BufferedImage(columns * (width + 1) + 1, rows * (height + 1) + 1,
        BufferedImage.TYPE_BYTE_GRAY);
    for (int k = 0; k < images.length; k++) {
      if (images[k].length != height * width) {
        throw new IllegalArgumentException("imageGrid: image " + k + " has " + images[k].length + " values, expected "
            + height + " x " + width + " = " + height * width);
      }
      int top = 1 + (k / columns) * (height + 1);
      int left = 1 + (k % columns) * (width + 1);
      for (int i = 0; i < height; i++) {
        for (int j = 0; j < width; j++) {
          float v = Math.max(0f, Math.min(1f, images[k][i * width + j]));
          int grey = Math.round(v * 255);
          grid.setRGB(left + j, top + i, (grey << 16) | (grey << 8) | grey);
        }
      }
    }
    return atomically(file, tmp -> {
      if (!ImageIO.write(grid, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
    });
  }

  /** Writes {@code file} through {@link AtomicFile}, creating its folder; the temporary name ends in .png. */
  private static Path atomically(Path file, AtomicFile.Writer writer) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      AtomicFile.write(file, writer);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the image " + file + ": " + e.getMessage(), e);
    }
  }
}
