package io.github.keras4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.data.ImageDatasets.ImageDataset;
import io.github.keras4j.data.ImageDatasets.Options;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.models.Sequential;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.training.FitOptions;
import io.github.keras4j.training.History;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetsTest {

  @TempDir
  Path dir;

  /** Writes a grey PNG whose pixels are {@code values[y][x]}. */
  private static void png(Path file, int[][] values) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < values.length; y++) {
      for (int x = 0; x < values[0].length; x++) {
        img.getRaster().setSample(x, y, 0, values[y][x]);
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }

  /** A 4x4 grey PNG of one value. */
  private void flat(String path, int value) throws IOException {
    int[][] v = new int[4][4];
    for (int[] row : v) {
      java.util.Arrays.fill(row, value);
    }
    png(dir.resolve(path), v);
  }

  /** cat/0,1,2 (values 10, 11, 12) and dog/0,1 (values 20, 21). */
  private void catsAndDogs() throws IOException {
    for (int i = 0; i < 3; i++) {
      flat("cat/" + i + ".png", 10 + i);
    }
    for (int i = 0; i < 2; i++) {
      flat("dog/" + i + ".png", 20 + i);
    }
  }

  /** The batches of pass {@code epoch}, concatenated: (x values, y values, x row size). */
  private record All(float[] x, float[] y, int n) {}

  private static All all(Dataset d, int epoch) {
    List<Float> xs = new ArrayList<>();
    List<Float> ys = new ArrayList<>();
    int n = 0;
    try (Dataset.Pass p = d.open(epoch)) {
      while (p.hasNext()) {
        Dataset.Batch b = p.next();
        n += b.size();
        for (float v : b.x().values()) {
          xs.add(v);
        }
        for (float v : b.y().values()) {
          ys.add(v);
        }
      }
    }
    float[] x = new float[xs.size()];
    float[] y = new float[ys.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = xs.get(i);
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = ys.get(i);
    }
    return new All(x, y, n);
  }

  private static Options quiet() {
    return new Options().verbose(false).imageSize(2, 2).shuffle(false);
  }

  @Test
  void classesAreInferredInOrderAndLabelModesEncodeThem() throws IOException {
    catsAndDogs();
    ImageDataset int_ = ImageDatasets.imageDatasetFromDirectory(dir, quiet().colorMode("grayscale"));
    assertEquals(List.of("cat", "dog"), int_.classNames());
    assertEquals(List.of(dir.resolve("cat/0.png"), dir.resolve("cat/1.png"), dir.resolve("cat/2.png"),
        dir.resolve("dog/0.png"), dir.resolve("dog/1.png")), int_.filePaths());
    assertArrayEquals(new long[] {2, 2, 1}, int_.dataset().xShape());
    assertArrayEquals(new long[] {}, int_.dataset().yShape());
    All a = all(int_.dataset(), 0);
    assertEquals(5, a.n());
    assertArrayEquals(new float[] {0, 0, 0, 1, 1}, a.y(), 0f);
    // Each flat 4x4 image resized to 2x2 keeps its value: 10, 11, 12, 20, 21, four pixels each.
    float[] expected = new float[20];
    int[] values = {10, 11, 12, 20, 21};
    for (int i = 0; i < 20; i++) {
      expected[i] = values[i / 4];
    }
    assertArrayEquals(expected, a.x(), 0f);

    Dataset cat = ImageDatasets.imageDatasetFromDirectory(dir, quiet().labelMode("categorical")).dataset();
    assertArrayEquals(new long[] {2}, cat.yShape());
    assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0, 0, 1, 0, 1}, all(cat, 0).y(), 0f);
    Dataset bin = ImageDatasets.imageDatasetFromDirectory(dir, quiet().labelMode("binary")).dataset();
    assertArrayEquals(new long[] {1}, bin.yShape());
    assertArrayEquals(new float[] {0, 0, 0, 1, 1}, all(bin, 0).y(), 0f);
    ImageDataset none = ImageDatasets.imageDatasetFromDirectory(dir, quiet().labelMode(null));
    assertEquals(List.of(), none.classNames());
    assertArrayEquals(new float[] {0, 0, 0, 0, 0}, all(none.dataset(), 0).y(), 0f); // the placeholder target
    Dataset explicit = ImageDatasets.imageDatasetFromDirectory(dir, quiet().labels(4, 2, 4, 7, 2)).dataset();
    assertArrayEquals(new float[] {4, 2, 4, 7, 2}, all(explicit, 0).y(), 0f);
  }

  @Test
  void colorModesAndDataFormatSetTheChannels() throws IOException {
    catsAndDogs();
    Dataset rgb = ImageDatasets.imageDatasetFromDirectory(dir, quiet()).dataset();
    assertArrayEquals(new long[] {2, 2, 3}, rgb.xShape());
    All a = all(rgb, 0);
    assertEquals(5 * 12, a.x().length);
    assertEquals(10f, a.x()[0], 0f); // grey 10 -> (10, 10, 10)
    assertEquals(10f, a.x()[2], 0f);
    assertArrayEquals(new long[] {2, 2, 4}, ImageDatasets.imageDatasetFromDirectory(dir, quiet().colorMode("rgba"))
        .dataset().xShape());
    Dataset first = ImageDatasets.imageDatasetFromDirectory(dir, quiet().imageSize(2, 3).dataFormat("channels_first"))
        .dataset();
    assertArrayEquals(new long[] {3, 2, 3}, first.xShape());
    assertEquals(5 * 18, all(first, 0).x().length);
  }

  @Test
  void cropAndPadToAspectRatio() throws IOException {
    // One 4-row, 2-column image 0 10 / 20 30 / 40 50 / 60 70 (see ImagesTest for the arithmetic).
    png(dir.resolve("a/tall.png"), new int[][] {{0, 10}, {20, 30}, {40, 50}, {60, 70}});
    Options o = quiet().colorMode("grayscale");
    assertArrayEquals(new float[] {20, 30, 40, 50}, all(ImageDatasets.imageDatasetFromDirectory(dir,
        o.cropToAspectRatio(true)).dataset(), 0).x(), 0f);
    assertArrayEquals(new float[] {0, 0, 10, 0, 0, 20, 30, 0, 0, 40, 50, 0, 0, 60, 70, 0},
        all(ImageDatasets.imageDatasetFromDirectory(dir, quiet().colorMode("grayscale").imageSize(4, 4)
            .padToAspectRatio(true)).dataset(), 0).x(), 0f);
    // Without either, the image is stretched: 4x2 -> 2x2 bilinear averages row pairs: (0+20)/2 = 10, 20, 50, 60.
    assertArrayEquals(new float[] {10, 20, 50, 60}, all(ImageDatasets.imageDatasetFromDirectory(dir,
        quiet().colorMode("grayscale")).dataset(), 0).x(), 0f);
  }

  private void tenImages() throws IOException {
    for (int i = 0; i < 6; i++) {
      flat("a/" + i + ".png", i);
    }
    for (int i = 0; i < 4; i++) {
      flat("b/" + i + ".png", 100 + i);
    }
  }

  @Test
  void trainingAndValidationSubsetsAreDisjointAndMatchKeras() throws IOException {
    tenImages();
    Options o = new Options().verbose(false).imageSize(2, 2).validationSplit(0.2).seed(1337);
    ImageDataset train = ImageDatasets.imageDatasetFromDirectory(dir, o.subset("training"));
    ImageDataset val = ImageDatasets.imageDatasetFromDirectory(dir, o.subset("validation"));
    assertEquals(8, train.filePaths().size());
    assertEquals(2, val.filePaths().size());
    Set<Path> union = new HashSet<>(train.filePaths());
    union.addAll(val.filePaths());
    assertEquals(10, union.size()); // disjoint, and together all the files
    // The files Keras picks for validation with seed 1337: numpy's RandomState(1337) shuffle of the sorted paths
    // puts b/2.png and b/1.png last (see DirectoryIndexTest).
    assertEquals(List.of(dir.resolve("b/2.png"), dir.resolve("b/1.png")), val.filePaths());
    assertEquals(8, all(train.dataset(), 0).n());
    // subset "both" gives the same two lists.
    ImageDatasets.Both both = ImageDatasets.imageDatasetFromDirectoryBoth(dir, o.subset(null));
    assertEquals(train.filePaths(), both.training().filePaths());
    assertEquals(val.filePaths(), both.validation().filePaths());
    assertEquals(List.of("a", "b"), both.validation().classNames());
    // The validation dataset of "both" keeps its order; its images are b/2 (102) and b/1 (101).
    All v = all(both.validation().dataset(), 0);
    assertArrayEquals(new float[] {1, 1}, v.y(), 0f);
    assertEquals(102f, v.x()[0], 0f);
    assertEquals(101f, v.x()[12], 0f);
  }

  @Test
  void aShuffledDatasetDrawsANewOrderEachPass() throws IOException {
    tenImages();
    Dataset d = ImageDatasets.imageDatasetFromDirectory(dir, new Options().verbose(false).imageSize(1, 1)
        .colorMode("grayscale").batchSize(1).seed(3)).dataset();
    float[] first = all(d, 0).x();
    float[] second = all(d, 1).x();
    assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
    float[] a = first.clone();
    float[] b = second.clone();
    java.util.Arrays.sort(a);
    java.util.Arrays.sort(b);
    assertArrayEquals(a, b, 0f); // the same images
  }

  @Test
  void aModelFitsOnTheDataset() throws IOException {
    // Dark (about 40) and bright (about 210) 6x6 noisy images: an easy two-class problem.
    Random r = new Random(5);
    for (int i = 0; i < 48; i++) {
      int base = i % 2 == 0 ? 40 : 210;
      int[][] v = new int[6][6];
      for (int[] row : v) {
        for (int x = 0; x < row.length; x++) {
          row[x] = Math.max(0, Math.min(255, base + r.nextInt(61) - 30));
        }
      }
      png(dir.resolve((i % 2 == 0 ? "dark/" : "bright/") + i + ".png"), v);
    }
    ImageDatasets.Both data = ImageDatasets.imageDatasetFromDirectoryBoth(dir, new Options().imageSize(6, 6)
        .colorMode("grayscale").batchSize(8).validationSplit(0.25).seed(1).verbose(false));
    assertEquals(List.of("bright", "dark"), data.training().classNames());
    Backend.clearSession();
    Backend.setRandomSeed(1);
    try (Sequential m = new Sequential(new InputLayer(6, 6, 1), new Rescaling(1 / 255.0), new Flatten(),
        new Dense(2, "softmax"))) {
      m.compile(new SGD(0.5f), "sparse_categorical_crossentropy", "accuracy");
      History h = m.fit(data.training().dataset(), new FitOptions().epochs(2).verbose(0)
          .validationData(data.validation().dataset(), null));
      List<Double> loss = h.history().get("loss");
      assertEquals(2, loss.size());
      assertTrue(loss.get(1) < loss.get(0), "loss should fall: " + loss);
      assertEquals(2, h.history().get("val_loss").size());
    }
  }

  private static String message(Path d, Options o) {
    return assertThrows(IllegalArgumentException.class, () -> ImageDatasets.imageDatasetFromDirectory(d, o))
        .getMessage();
  }

  @Test
  void errorsNameTheArgument() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertEquals("No images found in directory " + empty + ". Allowed formats: ('.bmp', '.gif', '.jpeg', '.jpg', "
        + "'.png')", message(empty, quiet()));
    Files.writeString(Files.createDirectories(empty.resolve("a")).resolve("notes.txt"), "no images");
    assertTrue(message(empty, quiet()).startsWith("No images found in directory"));
    Path d = dir.resolve("data");
    for (int i = 0; i < 3; i++) {
      flat("data/c" + i + "/0.png", i);
    }
    assertTrue(message(d, quiet().labelMode("binary")).startsWith("When passing `label_mode=\"binary\"`, there must "
        + "be exactly 2 class_names. Received: class_names=[c0, c1, c2]"));
    assertTrue(message(d, quiet().labelMode("sparse")).startsWith("`label_mode` argument must be one of"));
    assertEquals("`color_mode` must be one of {\"rgb\", \"rgba\", \"grayscale\"}. Received: color_mode=bgr",
        message(d, quiet().colorMode("bgr")));
    assertTrue(message(d, quiet().interpolation("bicubic")).contains("Received: interpolation=bicubic"));
    assertTrue(message(d, quiet().interpolation("cubic")).startsWith("Argument `interpolation` should be one of"));
    assertEquals("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.",
        message(d, quiet().cropToAspectRatio(true).padToAspectRatio(true)));
    assertEquals("If `subset` is set, `validation_split` must be set, and inversely.",
        message(d, quiet().subset("training")));
    assertTrue(message(d, quiet().validationSplit(0.5).subset("both")).contains("imageDatasetFromDirectoryBoth"));
    assertEquals("Expected the lengths of `labels` to match the number of files in the target directory. "
        + "len(labels) is 2 while we found 3 files in directory " + d + ".", message(d, quiet().labels(0, 1)));
    assertTrue(message(d, quiet().labels(0, 1, 2).classNames(List.of("c0"))).startsWith("You can only pass "
        + "`class_names` if `labels=\"inferred\"`."));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> quiet().labels("maybe")).getMessage()
        .endsWith("Received: labels=maybe"));
    assertTrue(message(d, quiet().labels(0, 5, 5).labelMode("categorical")).contains("a label 5"));
    assertThrows(IllegalArgumentException.class, () -> quiet().imageSize(0, 3));
    assertThrows(IllegalArgumentException.class, () -> quiet().batchSize(0));
    // Three images and validationSplit 0.2: int(0.2 * 3) = 0 files for validation.
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageDatasets.imageDatasetFromDirectoryBoth(d,
        quiet().validationSplit(0.2))).getMessage().startsWith("No validation images found in directory"));
  }
}
