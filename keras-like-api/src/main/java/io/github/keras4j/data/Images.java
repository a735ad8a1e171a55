package io.github.keras4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Image decoding and resizing for {@link ImageDatasets}, in plain Java: what {@code tf.image.decode_image},
 * {@code tf.image.resize}, {@code tf.image.resize_with_pad} and Keras's {@code smart_resize} do inside Keras's
 * {@code image_dataset_from_directory}.
 *
 * <p>Images are row-major {@code (height, width, channels)} float arrays of values 0..255.
 *
 * <p><b>Decoding</b> ({@link #decode}) uses {@link ImageIO} (PNG, JPEG, BMP, GIF; the first frame of an animated
 * GIF). Samples are read from the raster: grey images are not passed through Java's linear-grey colour conversion
 * (which would change their values); 16-bit samples keep their high 8 bits ({@code v >> 8}, libpng's
 * {@code png_set_strip_16}, as TF), 1-, 2- and 4-bit grey is stretched to 0..255. Channel conversion as TF's PNG
 * decoder: grey to RGB repeats the grey value, RGB to RGBA adds alpha 255, alpha is dropped (not composited) for
 * RGB, colour to grey is the ITU-R 601 luma {@code round(0.299 R + 0.587 G + 0.114 B)} (TF:
 * {@code png_set_rgb_to_gray(0.299, 0.587)}). Differences from TF: libpng's fixed-point luma, and TF's JPEG
 * decoder (which reads the grey level straight from the JPEG's luma) may differ from this by one level; JPEG
 * pixels may also differ by about one level because Java's and libjpeg's decoders round differently; the
 * transparency chunk (tRNS) of a non-palette PNG is ignored where Java's reader ignores it.
 *
 * <p><b>Resizing</b> ({@link #resize}) follows {@code tf.image.resize} (TF 2, {@code antialias=False}) with
 * half-pixel centres, computed in float like TF's kernels. Along each axis, with {@code scale = in / out}:
 * <ul>
 *   <li>bilinear: output index {@code o} samples input position {@code p = (o + 0.5) * scale - 0.5}; the two
 *       neighbours are {@code max(floor(p), 0)} and {@code min(ceil(p), in - 1)}, the weight of the second is
 *       {@code p - floor(p)}; rows are interpolated first along the width, then along the height
 *       ({@code top + (bottom - top) * yLerp}).
 *   <li>nearest: output index {@code o} takes input {@code clamp(floor((o + 0.5) * scale), 0, in - 1)}.
 * </ul>
 * Downscaling is not antialiased (neither is TF's default): a 4x4 to 2x2 bilinear resize averages each 2x2 block,
 * a larger reduction samples.
 */
final class Images {

  private Images() {}

  /** A decoded or resized image: {@code values} row-major {@code (height, width, channels)}. */
  record Image(int height, int width, int channels, float[] values) {
    float get(int y, int x, int c) {
      return values[(y * width + x) * channels + c];
    }
  }

  /**
   * Reads an image file with {@code channels} channels (1 grey, 3 RGB, 4 RGBA).
   *
   * @throws IllegalArgumentException if the file is not an image ImageIO can read
   */
  static Image decode(Path file, int channels) {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the image file " + file + ": " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IllegalArgumentException("Could not decode the image file " + file + ": not a PNG, JPEG, BMP or GIF "
          + "image that javax.imageio can read");
    }
    int h = img.getHeight();
    int w = img.getWidth();
    float[] out = new float[h * w * channels];
    Raster raster = img.getRaster();
    boolean grey = !(img.getColorModel() instanceof IndexColorModel)
        && img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    int bits = img.getColorModel().getComponentSize(0);
    boolean hasAlpha = img.getColorModel().hasAlpha();
    int[] px = new int[raster.getNumBands()];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r;
        int g;
        int b;
        int a;
        if (grey) {
          raster.getPixel(x, y, px);
          r = g = b = to8Bits(px[0], bits);
          a = hasAlpha && px.length > 1 ? to8Bits(px[1], img.getColorModel().getComponentSize(1)) : 255;
        } else {
          int argb = img.getRGB(x, y);
          a = argb >>> 24;
          r = (argb >> 16) & 0xff;
          g = (argb >> 8) & 0xff;
          b = argb & 0xff;
        }
        int o = (y * w + x) * channels;
        if (channels == 1) {
          out[o] = grey ? r : Math.round(0.299f * r + 0.587f * g + 0.114f * b);
        } else {
          out[o] = r;
          out[o + 1] = g;
          out[o + 2] = b;
          if (channels == 4) {
            out[o + 3] = a;
          }
        }
      }
    }
    return new Image(h, w, channels, out);
  }

  private static int to8Bits(int v, int bits) {
    if (bits > 8) {
      return v >>> (bits - 8);
    }
    return bits == 8 ? v : v * 255 / ((1 << bits) - 1);
  }

  /** Resizes to {@code (height, width)} with {@code "bilinear"} or {@code "nearest"} (see the class comment). */
  static Image resize(Image in, int height, int width, String interpolation) {
    float[] out = new float[height * width * in.channels()];
    int c = in.channels();
    if (interpolation.equals("nearest")) {
      int[] ys = nearest(in.height(), height);
      int[] xs = nearest(in.width(), width);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          System.arraycopy(in.values(), (ys[y] * in.width() + xs[x]) * c, out, (y * width + x) * c, c);
        }
      }
      return new Image(height, width, c, out);
    }
    Lerp[] ys = bilinear(in.height(), height);
    Lerp[] xs = bilinear(in.width(), width);
    for (int y = 0; y < height; y++) {
      Lerp ly = ys[y];
      for (int x = 0; x < width; x++) {
        Lerp lx = xs[x];
        for (int k = 0; k < c; k++) {
          float topLeft = in.get(ly.lower, lx.lower, k);
          float topRight = in.get(ly.lower, lx.upper, k);
          float bottomLeft = in.get(ly.upper, lx.lower, k);
          float bottomRight = in.get(ly.upper, lx.upper, k);
          float top = topLeft + (topRight - topLeft) * lx.lerp;
          float bottom = bottomLeft + (bottomRight - bottomLeft) * lx.lerp;
          out[(y * width + x) * c + k] = top + (bottom - top) * ly.lerp;
        }
      }
    }
    return new Image(height, width, c, out);
  }

  private record Lerp(int lower, int upper, float lerp) {}

  private static Lerp[] bilinear(int in, int out) {
    float scale = (float) in / out;
    Lerp[] l = new Lerp[out];
    for (int o = 0; o < out; o++) {
      float p = (o + 0.5f) * scale - 0.5f;
      float floor = (float) Math.floor(p);
      l[o] = new Lerp(Math.max((int) floor, 0), Math.min((int) Math.ceil(p), in - 1), p - floor);
    }
    return l;
  }

  private static int[] nearest(int in, int out) {
    float scale = (float) in / out;
    int[] idx = new int[out];
    for (int o = 0; o < out; o++) {
      idx[o] = Math.max(0, Math.min((int) Math.floor((o + 0.5f) * scale), in - 1));
    }
    return idx;
  }

  /**
   * Keras's {@code smart_resize}: crops the largest centred window with the target's aspect ratio, then resizes
   * it. Window: {@code cropHeight = min(height, (int) (width * targetHeight / (float) targetWidth))} (at least 1),
   * {@code cropWidth} likewise, starting at {@code (int) ((height - cropHeight) / 2f)} and
   * {@code (int) ((width - cropWidth) / 2f)}.
   */
  static Image cropToAspectRatio(Image in, int height, int width, String interpolation) {
    int cropH = Math.max(Math.min(in.height(), (int) ((float) in.width() * height / width)), 1);
    int cropW = Math.max(Math.min(in.width(), (int) ((float) in.height() * width / height)), 1);
    int y0 = (int) ((in.height() - cropH) / 2f);
    int x0 = (int) ((in.width() - cropW) / 2f);
    int c = in.channels();
    float[] crop = new float[cropH * cropW * c];
    for (int y = 0; y < cropH; y++) {
      System.arraycopy(in.values(), ((y0 + y) * in.width() + x0) * c, crop, y * cropW * c, cropW * c);
    }
    return resize(new Image(cropH, cropW, c, crop), height, width, interpolation);
  }

  /**
   * {@code tf.image.resize_with_pad}: resizes without distortion to fit inside the target, then pads with zeros.
   * With {@code ratio = max(width / targetWidth, height / targetHeight)} (float), the image is resized to
   * {@code floor(height / ratio) x floor(width / ratio)} (at least 1: TF fails on an empty size) and placed at
   * offset {@code floor((targetHeight - height / ratio) / 2)}, {@code floor((targetWidth - width / ratio) / 2)}.
   */
  static Image padToAspectRatio(Image in, int height, int width, String interpolation) {
    float ratio = Math.max((float) in.width() / width, (float) in.height() / height);
    float rh = in.height() / ratio;
    float rw = in.width() / ratio;
    int resizedH = Math.max(1, Math.min(height, (int) Math.floor(rh)));
    int resizedW = Math.max(1, Math.min(width, (int) Math.floor(rw)));
    int padTop = Math.max(0, (int) Math.floor((height - rh) / 2));
    int padLeft = Math.max(0, (int) Math.floor((width - rw) / 2));
    Image resized = resize(in, resizedH, resizedW, interpolation);
    int c = in.channels();
    float[] out = new float[height * width * c];
    for (int y = 0; y < resizedH; y++) {
      System.arraycopy(resized.values(), y * resizedW * c, out, ((padTop + y) * width + padLeft) * c, resizedW * c);
    }
    return new Image(height, width, c, out);
  }

  /** The same image with its channels first: {@code (channels, height, width)}, row-major. */
  static float[] channelsFirst(Image in) {
    int hw = in.height() * in.width();
    float[] out = new float[in.values().length];
    for (int i = 0; i < hw; i++) {
      for (int k = 0; k < in.channels(); k++) {
        out[k * hw + i] = in.values()[i * in.channels() + k];
      }
    }
    return out;
  }
}
