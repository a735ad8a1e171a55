package io.github.keras4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

  @TempDir
  Path dir;

  /** A one-channel image of the given rows. */
  private static Images.Image grey(float[][] rows) {
    int h = rows.length;
    int w = rows[0].length;
    float[] v = new float[h * w];
    for (int y = 0; y < h; y++) {
      System.arraycopy(rows[y], 0, v, y * w, w);
    }
    return new Images.Image(h, w, 1, v);
  }

  private static float[] flat(float[][] rows) {
    return grey(rows).values();
  }

  @Test
  void bilinearUpscale2x2To4x4() {
    // By hand, half-pixel centres: output o samples p = (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, i.e. the
    // weights of (pixel 0, pixel 1) are (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1) (p is clamped at the borders).
    // Row 0 = (0, 40) -> 0 10 30 40; row 1 = (80, 120) -> 80 90 110 120; then the same weights down the columns.
    Images.Image out = Images.resize(grey(new float[][] {{0, 40}, {80, 120}}), 4, 4, "bilinear");
    assertArrayEquals(flat(new float[][] {
        {0, 10, 30, 40},
        {20, 30, 50, 60},
        {60, 70, 90, 100},
        {80, 90, 110, 120}}), out.values(), 0f);
  }

  private static Images.Image fourByFour() {
    // v(y, x) = 10 * (4y + x): 0 10 20 30 / 40 50 60 70 / 80 ... / 120 130 140 150
    float[][] rows = new float[4][4];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        rows[y][x] = 10 * (4 * y + x);
      }
    }
    return grey(rows);
  }

  @Test
  void bilinearDownscale4x4To2x2AveragesBlocks() {
    // p = (o + 0.5) * 2 - 0.5 = 0.5 and 2.5: halfway between pixels 0,1 and 2,3, so each output is the mean of a 2x2
    // block: (0+10+40+50)/4 = 25, (20+30+60+70)/4 = 45, (80+90+120+130)/4 = 105, (100+110+140+150)/4 = 125.
    assertArrayEquals(new float[] {25, 45, 105, 125}, Images.resize(fourByFour(), 2, 2, "bilinear").values(), 0f);
  }

  @Test
  void nearestTakesTheHalfPixelNeighbour() {
    // Down: floor((o + 0.5) * 2) = 1, 3 -> pixels (1,1)=50, (1,3)=70, (3,1)=130, (3,3)=150.
    assertArrayEquals(new float[] {50, 70, 130, 150}, Images.resize(fourByFour(), 2, 2, "nearest").values(), 0f);
    // Up: floor((o + 0.5) / 2) = 0, 0, 1, 1: each pixel repeated twice each way.
    Images.Image up = Images.resize(grey(new float[][] {{1, 2}, {3, 4}}), 4, 4, "nearest");
    assertArrayEquals(flat(new float[][] {{1, 1, 2, 2}, {1, 1, 2, 2}, {3, 3, 4, 4}, {3, 3, 4, 4}}), up.values(), 0f);
  }

  @Test
  void resizeKeepsChannelsApart() {
    // Two channels, the second = 1000 + the first: resizing treats them independently.
    Images.Image in = new Images.Image(2, 2, 2, new float[] {0, 1000, 40, 1040, 80, 1080, 120, 1120});
    float[] out = Images.resize(in, 4, 4, "bilinear").values();
    // Output pixel (1, 1) = 30 in the single-channel test above.
    assertEquals(30f, out[(4 + 1) * 2], 0f);
    assertEquals(1030f, out[(4 + 1) * 2 + 1], 0f);
  }

  private static Images.Image tall() {
    // 4 rows x 2 columns, v(y, x) = 10 * (2y + x): 0 10 / 20 30 / 40 50 / 60 70
    return grey(new float[][] {{0, 10}, {20, 30}, {40, 50}, {60, 70}});
  }

  @Test
  void cropToAspectRatioTakesTheCentredWindow() {
    // Target 2x2 from 4x2 (smart_resize): cropHeight = min(4, (int) (2 * 2 / 2f)) = 2, cropWidth = min(2, 4) = 2,
    // start row (int) ((4 - 2) / 2f) = 1: rows 1 and 2, then a 2x2 -> 2x2 resize (unchanged).
    Images.Image out = Images.cropToAspectRatio(tall(), 2, 2, "bilinear");
    assertArrayEquals(new float[] {20, 30, 40, 50}, out.values(), 0f);
  }

  @Test
  void padToAspectRatioCentresTheResizedImage() {
    // 4x2 into 4x4 (resize_with_pad): ratio = max(2/4, 4/4) = 1, resized 4x2 (unchanged), left padding
    // floor((4 - 2) / 2) = 1 column of zeros, and 1 on the right.
    Images.Image out = Images.padToAspectRatio(tall(), 4, 4, "bilinear");
    assertArrayEquals(flat(new float[][] {{0, 0, 10, 0}, {0, 20, 30, 0}, {0, 40, 50, 0}, {0, 60, 70, 0}}),
        out.values(), 0f);
    // 4x4 into 2x4: ratio = max(4/4, 4/2) = 2, resized to 2x2 (the block means 25 45 / 105 125 worked above), placed
    // at column floor((4 - 2) / 2) = 1.
    Images.Image wide = Images.padToAspectRatio(fourByFour(), 2, 4, "bilinear");
    assertArrayEquals(flat(new float[][] {{0, 25, 45, 0}, {0, 105, 125, 0}}), wide.values(), 0f);
  }

  @Test
  void channelsFirstTransposes() {
    Images.Image in = new Images.Image(1, 2, 3, new float[] {1, 2, 3, 4, 5, 6});
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, Images.channelsFirst(in), 0f);
  }

  @Test
  void decodesGreyPngSamplesExactly() throws IOException {
    // Grey PNG samples are read from the raster: Java's getRGB would pass them through a linear-grey conversion
    // (128 -> about 186).
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(0, 0, 0, 128);
    img.getRaster().setSample(1, 0, 0, 7);
    Path f = dir.resolve("g.png");
    ImageIO.write(img, "png", f.toFile());
    assertArrayEquals(new float[] {128, 7}, Images.decode(f, 1).values(), 0f);
    // Grey to RGB repeats the value; RGBA adds an opaque alpha.
    assertArrayEquals(new float[] {128, 128, 128, 7, 7, 7}, Images.decode(f, 3).values(), 0f);
    assertArrayEquals(new float[] {128, 128, 128, 255, 7, 7, 7, 255}, Images.decode(f, 4).values(), 0f);
  }

  @Test
  void decodesColourPngAndConvertsToGrey() throws IOException {
    BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, (77 << 24) | (100 << 16) | (50 << 8) | 200);
    Path f = dir.resolve("c.png");
    ImageIO.write(img, "png", f.toFile());
    assertArrayEquals(new float[] {100, 50, 200, 77}, Images.decode(f, 4).values(), 0f);
    assertArrayEquals(new float[] {100, 50, 200}, Images.decode(f, 3).values(), 0f);
    // ITU-R 601 luma: 0.299 * 100 + 0.587 * 50 + 0.114 * 200 = 82.05 -> 82.
    assertArrayEquals(new float[] {82}, Images.decode(f, 1).values(), 0f);
  }

  @Test
  void sixteenBitGreyKeepsTheHighByteAsTfDoes() throws IOException {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(0, 0, 0, 0x80ff); // high byte 0x80 = 128 (png_set_strip_16 truncates)
    img.getRaster().setSample(1, 0, 0, 0xffff);
    Path f = dir.resolve("g16.png");
    ImageIO.write(img, "png", f.toFile());
    assertArrayEquals(new float[] {128, 255}, Images.decode(f, 1).values(), 0f);
  }

  @Test
  void decodesJpegCloseToTheColourWritten() throws IOException {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        img.setRGB(x, y, (200 << 16) | (100 << 8) | 50);
      }
    }
    Path f = dir.resolve("j.jpg");
    assertTrue(ImageIO.write(img, "jpg", f.toFile()));
    float[] v = Images.decode(f, 3).values();
    // A flat 8x8 block survives JPEG's DCT up to chroma quantisation: within a few levels.
    assertEquals(200, v[0], 4);
    assertEquals(100, v[1], 4);
    assertEquals(50, v[2], 4);
  }

  @Test
  void decodesBmpAndGif() throws IOException {
    BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, (10 << 16) | (20 << 8) | 30);
    for (String format : new String[] {"bmp", "gif"}) {
      Path f = dir.resolve("i." + format);
      assertTrue(ImageIO.write(img, format, f.toFile()));
      assertArrayEquals(new float[] {10, 20, 30}, Images.decode(f, 3).values(), 0f, format);
    }
  }

  @Test
  void aFileThatIsNotAnImageIsNamed() throws IOException {
    Path f = Files.writeString(dir.resolve("bad.png"), "not a png");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Images.decode(f, 3));
    assertTrue(e.getMessage().contains("bad.png"), e.getMessage());
  }
}
