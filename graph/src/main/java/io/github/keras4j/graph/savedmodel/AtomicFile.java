package io.github.keras4j.graph.savedmodel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers never see it half written (weights files, model archives, checkpoints, plots,
 * downloads): the content goes to a new temporary sibling {@code .<name>.<random>.tmp<ext>}, which is flushed to
 * disk and then moved over the file: atomically where the file system can, else by a plain replacing move. The
 * temporary name ends with the file's extension ({@code .png}, {@code .zip}), for writers and checks that look at
 * it. A failed write deletes the temporary file and leaves an existing file as it was. The new file gets the
 * permissions of any new file.
 *
 * <pre>{@code
 * AtomicFile.write(Path.of("run/loss.png"), tmp -> Files.writeString(tmp, "..."));
 * }</pre>
 */
public final class AtomicFile {

  /** Writes the temporary file given to it. */
  @FunctionalInterface
  public interface Writer {
    /** Writes the whole content into {@code tmp}, which exists and is empty; may check it before returning. */
    void write(Path tmp) throws IOException;
  }

  private AtomicFile() {}

  /**
   * Writes {@code file} through a temporary sibling (see the class comment).
   *
   * @throws NoSuchFileException when the file's folder does not exist
   * @throws IOException when writing or moving fails; {@code file} is then unchanged
   */
  public static void write(Path file, Writer writer) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(String.valueOf(dir), null, "cannot save " + target + ": the folder does not "
          + "exist");
    }
    Path tmp = createSibling(dir, target.getFileName().toString());
    boolean moved = false;
    try {
      writer.write(tmp);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static Path createSibling(Path dir, String name) throws IOException {
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 ? name.substring(dot) : "";
    for (int attempt = 0; ; attempt++) {
      String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
      try {
        return Files.createFile(dir.resolve("." + name + "." + random + ".tmp" + extension));
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }
}
