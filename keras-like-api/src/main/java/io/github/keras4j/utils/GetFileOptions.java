package io.github.keras4j.utils;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Optional settings of {@link FileUtils#getFile(String, String, GetFileOptions)}: the keyword arguments of Keras's
 * {@code keras.utils.get_file}, set fluently with Keras's defaults.
 *
 * <pre>{@code
 * Path weights = FileUtils.getFile("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", url,
 *     new GetFileOptions().cacheSubdir("models").fileHash("6d6bbae143d832006294945121d1f1fc"));
 * }</pre>
 *
 * <p>Defaults as Keras: {@code fileHash=null} (no check), {@code cacheSubdir="datasets"},
 * {@code hashAlgorithm="auto"}, {@code extract=false}, {@code archiveFormat="auto"}, {@code cacheDir=null} (the
 * Keras4J home, see {@link FileUtils#keras4jHome()}), {@code forceDownload=false}.
 *
 * <p>Java differences from Keras: the deprecated {@code untar} and {@code md5_hash} arguments are not offered (use
 * {@code extract(true)}, and {@code fileHash} with {@code hashAlgorithm("md5")}); {@link #progress} says where the
 * download messages and the progress bar go (Keras prints them to standard output); an unknown
 * {@code hashAlgorithm} or {@code archiveFormat} is refused when set (Keras falls back to MD5, or fails later).
 */
public final class GetFileOptions {

  private String fileHash;
  private String cacheSubdir = "datasets";
  private String hashAlgorithm = "auto";
  private boolean extract;
  private String archiveFormat = "auto";
  private Path cacheDir;
  private boolean forceDownload;
  private PrintStream progress = System.out;

  /** Keras's defaults; see the class comment. */
  public GetFileOptions() {}

  /**
   * The expected SHA-256 (64 hex digits) or MD5 (32 hex digits) of the file, checked after a download and on a cache
   * hit (a cached file that does not match is downloaded again); null (the default) for no check.
   */
  public GetFileOptions fileHash(String fileHash) {
    this.fileHash = fileHash;
    return this;
  }

  /**
   * The folder under the cache folder where the file is saved; default {@code "datasets"}. An absolute path is used
   * as it is.
   */
  public GetFileOptions cacheSubdir(String cacheSubdir) {
    if (cacheSubdir == null) {
      throw new IllegalArgumentException("get_file: `cache_subdir` must be a folder name. Received: cache_subdir=null");
    }
    this.cacheSubdir = cacheSubdir;
    return this;
  }

  /**
   * The hash algorithm of {@link #fileHash}: {@code "sha256"}, {@code "md5"} or {@code "auto"} (the default: SHA-256
   * for a 64-digit hash, MD5 otherwise, as Keras).
   *
   * @throws IllegalArgumentException for any other value
   */
  public GetFileOptions hashAlgorithm(String hashAlgorithm) {
    FileUtils.checkAlgorithm(hashAlgorithm);
    this.hashAlgorithm = hashAlgorithm.toLowerCase(Locale.ROOT);
    return this;
  }

  /** Whether to extract the file, a {@code .zip}, {@code .tar} or {@code .tar.gz} archive; default false. */
  public GetFileOptions extract(boolean extract) {
    this.extract = extract;
    return this;
  }

  /**
   * The archive formats to try when extracting: {@code "auto"} (the default: tar, then zip), {@code "tar"} (plain or
   * gzip-compressed), {@code "zip"}, or null for none (nothing is extracted).
   *
   * @throws IllegalArgumentException for any other value
   */
  public GetFileOptions archiveFormat(String archiveFormat) {
    if (archiveFormat != null && !archiveFormat.equals("auto") && !archiveFormat.equals("tar")
        && !archiveFormat.equals("zip")) {
      throw new IllegalArgumentException("get_file: `archive_format` must be \"auto\", \"tar\", \"zip\" or None. "
          + "Received: archive_format=" + archiveFormat);
    }
    this.archiveFormat = archiveFormat;
    return this;
  }

  /**
   * The cache folder; null (the default) for {@link FileUtils#keras4jHome()} ({@code $KERAS4J_HOME} or
   * {@code ~/.keras4j}). When it cannot be written, {@code <java.io.tmpdir>/.keras4j} is used, as Keras falls back to
   * {@code /tmp/.keras}.
   */
  public GetFileOptions cacheDir(Path cacheDir) {
    this.cacheDir = cacheDir;
    return this;
  }

  /** Whether to download the file even when a cached copy exists; default false. */
  public GetFileOptions forceDownload(boolean forceDownload) {
    this.forceDownload = forceDownload;
    return this;
  }

  /**
   * Where the download messages and the progress bar go; default {@code System.out}, null for silence (a Java
   * addition).
   */
  public GetFileOptions progress(PrintStream progress) {
    this.progress = progress;
    return this;
  }

  /** The expected hash, or null. */
  public String fileHash() {
    return fileHash;
  }

  /** The cache subfolder. */
  public String cacheSubdir() {
    return cacheSubdir;
  }

  /** The hash algorithm: "auto", "sha256" or "md5". */
  public String hashAlgorithm() {
    return hashAlgorithm;
  }

  /** Whether the file is extracted. */
  public boolean extract() {
    return extract;
  }

  /** The archive formats to try, or null for none. */
  public String archiveFormat() {
    return archiveFormat;
  }

  /** The cache folder, or null for the default. */
  public Path cacheDir() {
    return cacheDir;
  }

  /** Whether the file is downloaded even when cached. */
  public boolean forceDownload() {
    return forceDownload;
  }

  /** Where messages go, or null. */
  public PrintStream progress() {
    return progress;
  }
}
