package io.github.keras4j.examples.data;

import io.github.keras4j.utils.FileUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Downloads one file and checks its SHA-256 before it becomes visible, through the library's
 * {@link FileUtils#download}: the bytes go to a temporary file in the target's folder, which is moved onto the target
 * (atomically where the file system allows) only when the checksum matches. Any URL that {@link java.net.URL} opens
 * works, {@code file:} included. This class keeps the examples' unchecked exceptions and messages.
 *
 * <pre>{@code
 * Downloader.download(URI.create("https://example.org/iris.data"), target, expectedSha256);
 * }</pre>
 */
public final class Downloader {

  private Downloader() {}

  /** A check of a downloaded file, run before it is moved into place (for files without a published checksum). */
  @FunctionalInterface
  public interface Check {
    /**
     * @param downloaded the complete download, under a temporary name
     * @throws IOException or a RuntimeException when the file is not a good copy; nothing is then saved
     */
    void verify(Path downloaded) throws IOException;
  }

  /**
   * Downloads {@code url} to {@code target}.
   *
   * @param sha256 the expected SHA-256 of the file, lower-case hex
   * @throws UncheckedIOException when the file cannot be downloaded or its checksum differs; the message says
   *     what to do
   */
  public static void download(URI url, Path target, String sha256) {
    download(url, target, sha256, null, System.out);
  }

  /**
   * Downloads {@code url} to {@code target} through a temporary file in the same folder, showing a progress bar on
   * {@code progress} (as Keras's {@code get_file}); the file is moved into place only when its SHA-256 equals
   * {@code sha256} (when given) and {@code check} (when given) accepts it.
   *
   * @param sha256 the expected SHA-256, lower-case hex, or null when none is published
   * @param check a content check, or null
   * @param progress where the progress bar goes, or null for none
   */
  public static void download(URI url, Path target, String sha256, Check check, PrintStream progress) {
    FileUtils.Check verify = check == null ? null : temp -> {
      try {
        check.verify(temp);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("The download of " + url + " is not a good copy, so nothing was saved to "
            + target + ": " + e.getMessage(), e);
      }
    };
    try {
      FileUtils.download(url, target, sha256, "sha256", verify, progress);
    } catch (FileUtils.HashMismatchException e) {
      ChecksumMismatchException c = new ChecksumMismatchException(url.toString(), sha256, e.actual(),
          "Nothing was saved to " + target + ". The download was corrupted or the server now has another version of "
              + "the file: download it again, or copy a good copy to " + target + " by hand.");
      throw new UncheckedIOException(c.getMessage(), c);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** One progress line: bytes done of total, a 30-character bar and the percentage (no bar when total is unknown). */
  static String progressLine(long done, long total) {
    return FileUtils.progressLine(done, total);
  }

  /** The SHA-256 of a file, lower-case hex. */
  public static String sha256(Path file) {
    try {
      return FileUtils.hashFile(file, "sha256");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A file whose SHA-256 differs from the expected one. */
  public static final class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param what the file or URL that was checked
     * @param advice what the user can do about it
     */
    public ChecksumMismatchException(String what, String expected, String actual, String advice) {
      super("Checksum mismatch for " + what + ": expected SHA-256 " + expected + " but got " + actual + ". " + advice);
    }
  }
}
