package io.github.keras4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.data.DirectoryIndex.Index;
import io.github.keras4j.data.DirectoryIndex.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryIndexTest {

  private static final List<String> FORMATS = ImageDatasets.ALLOWLIST_FORMATS;

  @TempDir
  Path dir;

  private void touch(String... paths) throws IOException {
    for (String p : paths) {
      Path f = dir.resolve(p);
      Files.createDirectories(f.getParent());
      Files.writeString(f, "x");
    }
  }

  private List<String> relative(Index index) {
    return index.filePaths().stream().map(p -> dir.relativize(p).toString().replace('\\', '/')).toList();
  }

  /** a: two files, a nested folder, a text file; b: two files (one upper-case ending); a hidden folder; a loose file. */
  private void tree() throws IOException {
    touch("a/2.png", "a/10.png", "a/notes.txt", "a/sub/0.jpg", "b/x.PNG", "b/y.gif", ".hidden/h.png", "top.png");
  }

  @Test
  void inferredClassesAreTheSortedSubdirectoriesAndFilesSortByFolderThenName() throws IOException {
    tree();
    Index index = DirectoryIndex.indexDirectory(dir, Labels.inferred(), FORMATS, null, false, null, false, false);
    assertEquals(List.of("a", "b"), index.classNames()); // ".hidden" skipped, "top.png" is not a class
    // As os.walk sorted by folder path, then by file name ("10.png" < "2.png" as strings); .txt left out.
    assertEquals(List.of("a/10.png", "a/2.png", "a/sub/0.jpg", "b/x.PNG", "b/y.gif"), relative(index));
    assertArrayEquals(new int[] {0, 0, 0, 1, 1}, index.labels());
  }

  @Test
  void givenClassNamesChooseAndOrderTheClasses() throws IOException {
    tree();
    Index index = DirectoryIndex.indexDirectory(dir, Labels.inferred(), FORMATS, List.of("b", "a"), false, null,
        false, false);
    assertEquals(List.of("b/x.PNG", "b/y.gif", "a/10.png", "a/2.png", "a/sub/0.jpg"), relative(index));
    assertArrayEquals(new int[] {0, 0, 1, 1, 1}, index.labels());
    Index onlyB = DirectoryIndex.indexDirectory(dir, Labels.inferred(), FORMATS, List.of("b"), false, null, false,
        false);
    assertEquals(List.of("b/x.PNG", "b/y.gif"), relative(onlyB));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DirectoryIndex.indexDirectory(
        dir, Labels.inferred(), FORMATS, List.of("a", "c"), false, null, false, false));
    assertEquals("The `class_names` passed did not match the names of the subdirectories of the target directory. "
        + "Expected: [a, b] (or a subset of it), but received: class_names=[a, c]", e.getMessage());
  }

  @Test
  void explicitLabelsFollowTheSortedPathsOfTheWholeTree() throws IOException {
    tree();
    // Files from the directory down, hidden folders included (Keras skips those only as classes).
    Index index = DirectoryIndex.indexDirectory(dir, Labels.of(5, 3, 3, 3, 5, 5, 9), FORMATS, null, false, null,
        false, false);
    assertEquals(List.of("top.png", ".hidden/h.png", "a/10.png", "a/2.png", "a/sub/0.jpg", "b/x.PNG", "b/y.gif"),
        relative(index));
    assertArrayEquals(new int[] {5, 3, 3, 3, 5, 5, 9}, index.labels());
    assertEquals(List.of("3", "5", "9"), index.classNames()); // sorted distinct labels
    Index none = DirectoryIndex.indexDirectory(dir, Labels.none(), FORMATS, null, false, null, false, false);
    assertNull(none.labels());
    assertEquals(List.of(), none.classNames());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DirectoryIndex.indexDirectory(
        dir, Labels.of(1, 2), FORMATS, null, false, null, false, false));
    assertEquals("Expected the lengths of `labels` to match the number of files in the target directory. "
        + "len(labels) is 2 while we found 7 files in directory " + dir + ".", e.getMessage());
  }

  @Test
  void shuffleIsNumpysWithTheSameSeedAndTheSplitTakesTheLastFilesForValidation() throws IOException {
    for (int i = 0; i < 6; i++) {
      touch("a/" + i + ".png");
    }
    for (int i = 0; i < 4; i++) {
      touch("b/" + i + ".png");
    }
    Index index = DirectoryIndex.indexDirectory(dir, Labels.inferred(), FORMATS, null, true, 1337L, false, false);
    // Printed by numpy: l = ['a/0.png', ..., 'a/5.png', 'b/0.png', ..., 'b/3.png'];
    // np.random.RandomState(1337).shuffle(l) (Keras's index_directory), and the labels shuffled alike.
    assertEquals(List.of("b/0.png", "a/3.png", "a/0.png", "a/4.png", "a/5.png", "a/2.png", "a/1.png", "b/3.png",
        "b/2.png", "b/1.png"), relative(index));
    assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 1, 1, 1}, index.labels());
    // get_training_or_validation_split: int(0.2 * 10) = 2 files for validation, the last ones.
    Index val = index.subset(0.2, "validation", false);
    assertEquals(List.of("b/2.png", "b/1.png"), relative(val));
    assertArrayEquals(new int[] {1, 1}, val.labels());
    Index train = index.subset(0.2, "training", false);
    assertEquals(relative(index).subList(0, 8), relative(train));
    assertEquals(10, index.subset(null, null, false).size());
  }

  @Test
  void symbolicLinksToFoldersAreFollowedOnlyWhenAsked() throws IOException {
    touch("a/0.png", "elsewhere/linked.png");
    Path outside = dir.resolve("elsewhere");
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("a"));
    Files.move(dir.resolve("a/0.png"), root.resolve("a/0.png"));
    Files.createSymbolicLink(root.resolve("a/link"), outside);
    Index no = DirectoryIndex.indexDirectory(root, Labels.inferred(), FORMATS, null, false, null, false, false);
    assertEquals(List.of(root.resolve("a/0.png")), no.filePaths());
    Index yes = DirectoryIndex.indexDirectory(root, Labels.inferred(), FORMATS, null, false, null, true, false);
    assertEquals(List.of(root.resolve("a/0.png"), root.resolve("a/link/linked.png")), yes.filePaths());
    // Two links to the same folder (not a loop): os.walk walks it through each, so its files come twice.
    Files.createSymbolicLink(root.resolve("a/link2"), outside);
    assertEquals(List.of(root.resolve("a/0.png"), root.resolve("a/link/linked.png"),
        root.resolve("a/link2/linked.png")), DirectoryIndex.indexDirectory(root, Labels.inferred(), FORMATS, null,
        false, null, true, false).filePaths());
  }

  @Test
  void validationSplitArgumentsAreCheckedAsKerasDoes() {
    DirectoryIndex.checkValidationSplitArg(null, null, true, null);
    DirectoryIndex.checkValidationSplitArg(0.2, "both", true, 1L);
    DirectoryIndex.checkValidationSplitArg(0.2, "training", false, null); // no shuffle: no seed needed
    assertEquals("`validation_split` must be between 0 and 1, received: 1.5", assertThrows(
        IllegalArgumentException.class, () -> DirectoryIndex.checkValidationSplitArg(1.5, "training", true, 1L))
        .getMessage());
    assertEquals("If `subset` is set, `validation_split` must be set, and inversely.", assertThrows(
        IllegalArgumentException.class, () -> DirectoryIndex.checkValidationSplitArg(null, "training", true, 1L))
        .getMessage());
    assertThrows(IllegalArgumentException.class, () -> DirectoryIndex.checkValidationSplitArg(0.2, null, true, 1L));
    assertEquals("`subset` must be either \"training\", \"validation\" or \"both\", received: train", assertThrows(
        IllegalArgumentException.class, () -> DirectoryIndex.checkValidationSplitArg(0.2, "train", true, 1L))
        .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DirectoryIndex.checkValidationSplitArg(0.2,
        "training", true, null)).getMessage().startsWith("If using `validation_split` and shuffling the data, you "
        + "must provide a `seed` argument"));
  }

  @Test
  void aSymbolicLinkBackToAFolderAboveIsAnErrorOnlyWhenFollowed() throws IOException {
    touch("a/0.png", "a/sub/1.png");
    Files.createSymbolicLink(dir.resolve("a/sub/up"), dir.resolve("a"));
    // Not followed: the link is neither walked nor a file.
    assertEquals(List.of("a/0.png", "a/sub/1.png"), relative(DirectoryIndex.indexDirectory(dir, Labels.inferred(),
        FORMATS, null, false, null, false, false)));
    // Followed: os.walk would walk a/sub/up/sub/up/... until the system's limit on links; here it is an error.
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> DirectoryIndex.indexDirectory(dir,
        Labels.inferred(), FORMATS, null, false, null, true, false));
    assertTrue(e.getMessage().contains("the symbolic link " + dir.resolve("a/sub/up") + " leads back to a folder "
        + "above it"), e.getMessage());
    assertTrue(e.getCause() instanceof FileSystemLoopException, String.valueOf(e.getCause()));
  }

  @Test
  void aMissingDirectoryAndABadSeedAreNamed() throws IOException {
    // Keras: os.listdir raises FileNotFoundError (an OSError), so an I/O error here too.
    Path missing = dir.resolve("nope");
    UncheckedIOException notFound = assertThrows(UncheckedIOException.class, () -> DirectoryIndex.indexDirectory(
        missing, Labels.inferred(), FORMATS, null, true, 1L, false, false));
    assertEquals("`directory` must be an existing directory. Received: directory=" + missing, notFound.getMessage());
    assertTrue(notFound.getCause() instanceof NoSuchFileException, String.valueOf(notFound.getCause()));
    touch("file.png");
    assertTrue(assertThrows(UncheckedIOException.class, () -> DirectoryIndex.indexDirectory(dir.resolve("file.png"),
        Labels.none(), FORMATS, null, false, null, false, false)).getCause() instanceof NotDirectoryException);
    assertEquals("`seed` must be between 0 and 2**32 - 1. Received: seed=-1", assertThrows(
        IllegalArgumentException.class, () -> DirectoryIndex.indexDirectory(dir, Labels.inferred(), FORMATS, null,
            true, -1L, false, false)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> DirectoryIndex.indexDirectory(dir, Labels.none(), FORMATS,
        List.of("a"), true, 1L, false, false));
  }
}
