package io.github.keras4j.graph.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

  @TempDir
  Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesANewFileThroughAHiddenSiblingThatKeepsTheExtension() throws IOException {
    Path file = dir.resolve("loss.png");
    Path[] seen = new Path[1];
    AtomicFile.write(file, tmp -> {
      seen[0] = tmp;
      assertEquals(dir.toAbsolutePath(), tmp.getParent());
      assertTrue(Files.exists(tmp) && Files.size(tmp) == 0, "the temporary file exists and is empty");
      Files.writeString(tmp, "new");
    });
    String tmpName = seen[0].getFileName().toString();
    assertTrue(tmpName.startsWith(".loss.png.") && tmpName.endsWith(".tmp.png"), tmpName);
    assertEquals("new", Files.readString(file));
    assertEquals(List.of("loss.png"), names());
  }

  @Test
  void replacesAnExistingFile() throws IOException {
    Path file = dir.resolve("weights.bin");
    Files.writeString(file, "old");
    AtomicFile.write(file, tmp -> Files.writeString(tmp, "new"));
    assertEquals("new", Files.readString(file));
    assertEquals(List.of("weights.bin"), names());
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.keras");
    Files.writeString(file, "old");
    IOException io = assertThrows(IOException.class, () -> AtomicFile.write(file, tmp -> {
      Files.writeString(tmp, "half");
      throw new IOException("disk full");
    }));
    assertEquals("disk full", io.getMessage());
    IllegalStateException runtime = assertThrows(IllegalStateException.class, () -> AtomicFile.write(file, tmp -> {
      Files.writeString(tmp, "half");
      throw new IllegalStateException("bad content");
    }));
    assertEquals("bad content", runtime.getMessage());
    assertEquals("old", Files.readString(file));
    assertEquals(List.of("model.keras"), names());
  }

  @Test
  void aMissingFolderIsNamed() {
    Path file = dir.resolve("missing").resolve("a.bin");
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> AtomicFile.write(file, tmp -> Files.writeString(tmp, "x")));
    assertTrue(e.getMessage().contains(dir.resolve("missing").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("the folder does not exist"), e.getMessage());
  }
}
