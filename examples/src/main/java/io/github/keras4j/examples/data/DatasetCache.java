package io.github.keras4j.examples.data;

import io.github.keras4j.utils.FileUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder of downloaded data sets, {@code ~/.keras4j/datasets} by default (the {@code datasets} folder of the
 * library's {@link FileUtils#keras4jHome()}, so {@code $KERAS4J_HOME} moves it; Keras uses {@code ~/.keras/datasets}):
 * each file lives at {@code ROOT/<dataset>/<file>}, is downloaded on first use (through {@link FileUtils#download})
 * and checked against its SHA-256 every time it is used. Unlike {@code get_file}, a cached file whose checksum is
 * wrong is reported rather than downloaded again, so a hand-copied file is never overwritten.
 *
 * <pre>{@code
 * Path file = DatasetCache.defaultCache().get("iris", "iris.data", IrisLoader.URL, IrisLoader.SHA256);
 * }</pre>
 */
public final class DatasetCache {

  private final Path root;

  /** A cache in {@code root}. */
  public DatasetCache(Path root) {
    this.root = root;
  }

  /** The cache in {@code ~/.keras4j/datasets} ({@code $KERAS4J_HOME/datasets} when that variable is set). */
  public static DatasetCache defaultCache() {
    return new DatasetCache(FileUtils.keras4jHome().resolve("datasets"));
  }

  /** The cache's folder. */
  public Path root() {
    return root;
  }

  /** Where {@code dataset/fileName} lives in this cache (whether or not it is there yet). */
  public Path path(String dataset, String fileName) {
    return root.resolve(dataset).resolve(fileName);
  }

  /**
   * Where a data set's file is: {@code dataDir/dataset/fileName} when a data folder is given (used as it is; it must
   * exist), otherwise this cache's copy, downloaded from {@code url} and checked against {@code sha256} (see
   * {@link #get}).
   *
   * @param what the data's name for the error message, such as {@code "Iris data"}
   * @param canonical the file's canonical address, named in the message
   * @throws UncheckedIOException when the data folder lacks the file, saying where to put it
   */
  public Path locate(Path dataDir, String dataset, String fileName, URI url, String sha256, String what,
      URI canonical) {
    if (dataDir == null) {
      return get(dataset, fileName, url, sha256);
    }
    Path file = dataDir.resolve(dataset).resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new UncheckedIOException(new IOException(what + " not found: " + file + " does not exist. The data "
          + "folder given (" + dataDir + ") must contain " + dataset + "/" + fileName + "; get the file from "
          + canonical + ", or leave the data folder out to download it into " + path(dataset, fileName)));
    }
    return file;
  }

  /**
   * The cached file, downloaded from {@code url} first if it is missing.
   *
   * @throws UncheckedIOException when the download fails or the file's checksum is not {@code sha256}
   */
  public Path get(String dataset, String fileName, URI url, String sha256) {
    Path file = path(dataset, fileName);
    if (Files.isRegularFile(file)) {
      String actual = Downloader.sha256(file);
      if (!actual.equalsIgnoreCase(sha256)) {
        Downloader.ChecksumMismatchException e = new Downloader.ChecksumMismatchException(file.toString(), sha256,
            actual, "The cached file is corrupt or another version: delete it to download " + url + " again.");
        throw new UncheckedIOException(e.getMessage(), e);
      }
      return file;
    }
    Downloader.download(url, file, sha256);
    return file;
  }
}
