package io.github.keras4j.examples.data;

import io.github.keras4j.graph.savedmodel.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Downloads one file and checks its SHA-256 before it becomes visible: the bytes go to a temporary file in the
 * target's folder, which is moved onto the target (atomically where the file system allows) only when the
 * checksum matches. Any URL that {@link java.net.URL} opens works, {@code file:} included.
 *
 * <pre>{@code
 * Downloader.download(URI.create("https://example.org/iris.data"), target, expectedSha256);
 * }</pre>
 */
public final class Downloader {

  private static final int CONNECT_TIMEOUT_MS = 15_000;
  private static final int READ_TIMEOUT_MS = 60_000;

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
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      URLConnection connection = open(url, target);
      if (progress != null) {
        progress.println("Downloading data from " + url);
      }
      // The temporary name keeps the target's extension, so a check can tell a .zip from a .csv.
      AtomicFile.write(target, temp -> {
        String actual;
        try (InputStream in = input(connection, url, target); OutputStream out = Files.newOutputStream(temp)) {
          DigestInputStream digestIn = new DigestInputStream(in, sha256());
          copy(digestIn, out, connection.getContentLengthLong(), progress);
          actual = HexFormat.of().formatHex(digestIn.getMessageDigest().digest());
        }
        if (sha256 != null && !actual.equalsIgnoreCase(sha256)) {
          ChecksumMismatchException e = new ChecksumMismatchException(url.toString(), sha256, actual,
              "Nothing was saved to " + target + ". The download was corrupted or the server now has another "
                  + "version of the file: download it again, or copy a good copy to " + target + " by hand.");
          throw new UncheckedIOException(e.getMessage(), e);
        }
        if (check != null) {
          try {
            check.verify(temp);
          } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The download of " + url + " is not a good copy, so nothing was "
                + "saved to " + target + ": " + e.getMessage(), e);
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Could not save " + url + " to " + target + ": " + e, e);
    }
  }

  /** Copies with a progress bar redrawn at most every 0.2 s: {@code  1048576/11490434 [==>.......] 9%}. */
  static void copy(InputStream in, OutputStream out, long total, PrintStream progress) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long done = 0;
    long lastDraw = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      done += n;
      long now = System.nanoTime();
      if (progress != null && now - lastDraw > 200_000_000L) {
        progress.print("\r" + progressLine(done, total));
        lastDraw = now;
      }
    }
    if (progress != null) {
      progress.println("\r" + progressLine(done, total));
    }
  }

  /** One progress line: bytes done of total, a 30-character bar and the percentage (no bar when total is unknown). */
  static String progressLine(long done, long total) {
    if (total <= 0) {
      return String.format(" %d bytes", done);
    }
    int width = 30;
    int filled = (int) Math.min(width, done * width / total);
    StringBuilder bar = new StringBuilder();
    for (int i = 0; i < width; i++) {
      bar.append(i < filled ? '=' : (i == filled ? '>' : '.'));
    }
    return String.format(" %d/%d [%s] %d%%", done, total, bar, Math.min(100, done * 100 / total));
  }

  /** Opens the URL; failures (no network, unknown host, HTTP errors, missing file) say what to do. */
  private static URLConnection open(URI url, Path target) {
    try {
      URLConnection connection = url.toURL().openConnection();
      connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
      connection.setReadTimeout(READ_TIMEOUT_MS);
      connection.connect();
      return connection;
    } catch (IOException | IllegalArgumentException e) {
      IOException cause = e instanceof IOException io ? io : new IOException(e);
      throw new UncheckedIOException("Could not download " + url + " to " + target + ": " + e
          + ". If this machine has no network access, download the file elsewhere and copy it to " + target, cause);
    }
  }

  private static InputStream input(URLConnection connection, URI url, Path target) {
    try {
      return connection.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not download " + url + " to " + target + ": " + e
          + ". If this machine has no network access, download the file elsewhere and copy it to " + target, e);
    }
  }

  /** The SHA-256 of a file, lower-case hex. */
  public static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-256", e);
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
