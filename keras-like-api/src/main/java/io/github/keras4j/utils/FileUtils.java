package io.github.keras4j.utils;

import io.github.keras4j.graph.savedmodel.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Keras's {@code keras.utils.get_file}: downloads a file into a cache folder unless a good copy is there already,
 * checks its hash, and optionally extracts it; with the hashing helpers behind it.
 *
 * <pre>{@code
 * Path csv = FileUtils.getFile("iris.data", "https://example.org/iris/iris.data");
 * Path weights = FileUtils.getFile("resnet50_weights_tf_dim_ordering_tf_kernels.h5", url,
 *     new GetFileOptions().cacheSubdir("models").fileHash("2cb95161c43110f7111970584f804107"));
 * }</pre>
 *
 * <p>The file {@code fname} from {@code origin} lands in {@code <cache>/<cacheSubdir>/<fname>}, the cache being
 * {@link #keras4jHome()}: {@code $KERAS4J_HOME} when that environment variable is set, else {@code ~/.keras4j}
 * (Keras: {@code $KERAS_HOME} or {@code ~/.keras}). A cached file is used as it is, unless a hash is given and the
 * file does not match it: then it is downloaded again, as Keras does. A download shows {@code Downloading data from
 * <origin>} and a progress bar; it goes to a temporary file next to the target, which is moved into place only once
 * complete and matching the hash, so an interrupted or corrupt download never leaves a file that looks cached. Any URL
 * that {@link java.net.URL} opens works, {@code file:} included.
 *
 * <p>Java differences from Keras: the checked {@link IOException}s say what failed and name the URL and the file (a
 * hash mismatch after a download is a {@link HashMismatchException}, Keras's {@code ValueError}); hashes compare
 * without regard to case; archives are extracted by the JDK, so {@code .tar.bz2} and {@code .tar.xz} are refused and
 * links inside tar files are skipped (see {@link #extractArchive}).
 */
public final class FileUtils {

  /** The environment variable naming the Keras4J home folder (Keras: {@code KERAS_HOME}). */
  public static final String HOME_VARIABLE = "KERAS4J_HOME";

  private static final int CONNECT_TIMEOUT_MS = 15_000;
  private static final int READ_TIMEOUT_MS = 60_000;

  private FileUtils() {}

  /** A check of a downloaded file before it is moved into place (for files without a published hash). */
  @FunctionalInterface
  public interface Check {
    /**
     * Checks the complete download.
     *
     * @param downloaded the download, under a temporary name that keeps the target's extension
     * @throws IOException when the file is not a good copy; nothing is then saved (a RuntimeException works too)
     */
    void verify(Path downloaded) throws IOException;
  }

  /**
   * The Keras4J home folder, Keras's {@code config.keras_home()}: {@code $KERAS4J_HOME} when that environment variable
   * is set and not empty, else {@code ~/.keras4j}.
   */
  public static Path keras4jHome() {
    String home = System.getenv(HOME_VARIABLE);
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    return Path.of(System.getProperty("user.home"), ".keras4j");
  }

  /**
   * Downloads {@code origin} into {@code ~/.keras4j/datasets/<fname>} unless it is there already, as Keras's
   * {@code get_file(fname, origin)}.
   *
   * @param fname the file's local name, or null for the last part of the URL's path
   * @return the file
   * @throws IOException when the download fails (the message names the URL and the file)
   */
  public static Path getFile(String fname, String origin) throws IOException {
    return getFile(fname, origin, new GetFileOptions());
  }

  /**
   * As {@code get_file(fname, origin, file_hash=fileHash, cache_subdir=cacheSubdir)}: the file in
   * {@code <cache>/<cacheSubdir>/<fname>}, checked against {@code fileHash} (SHA-256 or MD5 hex, or null).
   */
  public static Path getFile(String fname, String origin, String fileHash, String cacheSubdir) throws IOException {
    return getFile(fname, origin, new GetFileOptions().fileHash(fileHash).cacheSubdir(cacheSubdir));
  }

  /**
   * Keras's {@code get_file} with its optional arguments in {@code options} (see {@link GetFileOptions}).
   *
   * @param fname the file's local name, or null for the last part of the URL's path; with {@code extract}, a name
   *     without an extension names the extraction folder (Keras's rules: {@code data.zip} is saved as is and extracted
   *     into {@code data_extracted}; {@code data} is saved as {@code data_archive} and extracted into {@code data})
   * @param origin the URL of the file
   * @return the file, or with {@code extract} the folder it was extracted into
   * @throws IllegalArgumentException when {@code origin} is null, {@code fname} holds a path separator, or no file
   *     name can be taken from the URL
   * @throws HashMismatchException when the downloaded file does not match {@code fileHash} (nothing is saved)
   * @throws IOException when the download or the extraction fails
   */
  public static Path getFile(String fname, String origin, GetFileOptions options) throws IOException {
    if (origin == null) {
      throw new IllegalArgumentException("Please specify the \"origin\" argument (URL of the file to download).");
    }
    URI uri = parse(origin);
    Path datadir = cacheRoot(options.cacheDir()).resolve(options.cacheSubdir());
    Files.createDirectories(datadir);
    boolean provided = fname != null && !fname.isEmpty();
    if (!provided) {
      fname = nameFromUrl(uri, origin);
    } else if (fname.contains("/") || fname.contains("\\")) {
      throw new IllegalArgumentException("Paths are no longer accepted as the `fname` argument. To specify the file's "
          + "parent directory, use the `cache_dir` argument. Received: fname=" + fname);
    }
    Path target;
    Path extractionDir = null;
    if (options.extract()) {
      if (provided && fname.contains(".")) {
        target = datadir.resolve(fname);
        extractionDir = datadir.resolve(fname.substring(0, fname.indexOf('.')) + "_extracted");
      } else {
        target = datadir.resolve(fname + "_archive");
        extractionDir = datadir.resolve(fname);
      }
    } else {
      target = datadir.resolve(fname);
    }
    String fileHash = options.fileHash();
    String algorithm = options.hashAlgorithm();
    PrintStream out = options.progress();
    boolean download = options.forceDownload() || !Files.exists(target);
    if (!download && fileHash != null && !validateFile(target, fileHash, algorithm)) {
      if (out != null) {
        out.println("A local file was found, but it seems to be incomplete or outdated because the " + algorithm
            + " file hash does not match the original value of " + fileHash + " so we will re-download the data.");
      }
      download = true;
    }
    if (download) {
      download(uri, target, fileHash, algorithm, null, out);
    }
    if (extractionDir != null) {
      if (!extractArchive(target, extractionDir, options.archiveFormat())) {
        System.getLogger(FileUtils.class.getName()).log(System.Logger.Level.WARNING,
            "Could not extract archive " + target + ": it is not a " + options.archiveFormat() + " archive.");
      }
      return extractionDir;
    }
    return target;
  }

  /**
   * Downloads {@code url} to {@code target} through a temporary file in the same folder, which is moved into place
   * (atomically where the file system can) only when it matches {@code fileHash} (when given) and {@code check} (when
   * given) accepts it. The target's folder is created. This is the download step of {@link #getFile}, for callers
   * that keep their own cache layout.
   *
   * @param fileHash the expected hash, hex, or null
   * @param algorithm {@code "auto"}, {@code "sha256"} or {@code "md5"} (see {@link GetFileOptions#hashAlgorithm})
   * @param check a content check, or null
   * @param progress where {@code Downloading data from <url>} and the progress bar go, or null for none
   * @throws HashMismatchException when the download does not match {@code fileHash}; {@code target} is unchanged
   * @throws IOException when the URL cannot be opened or read (the message names both, and what to do without
   *     network access), or what {@code check} throws
   */
  public static void download(URI url, Path target, String fileHash, String algorithm, Check check,
      PrintStream progress) throws IOException {
    String digestName = digestName(algorithm, fileHash);
    Files.createDirectories(target.toAbsolutePath().getParent());
    URLConnection connection = open(url, target);
    if (progress != null) {
      progress.println("Downloading data from " + url);
    }
    AtomicFile.write(target, temp -> {
      String actual;
      try (InputStream in = connection.getInputStream(); OutputStream fileOut = Files.newOutputStream(temp)) {
        DigestInputStream digestIn = new DigestInputStream(in, digest(digestName));
        copy(digestIn, fileOut, connection.getContentLengthLong(), progress);
        actual = HexFormat.of().formatHex(digestIn.getMessageDigest().digest());
      } catch (IOException e) {
        throw fetchFailure(url, target, e);
      }
      if (fileHash != null && !actual.equalsIgnoreCase(fileHash)) {
        throw new HashMismatchException(url.toString(), target, displayName(digestName), fileHash, actual);
      }
      if (check != null) {
        check.verify(temp);
      }
    });
  }

  /**
   * The hash of a file, lower-case hex, as Keras's {@code hash_file}.
   *
   * @param algorithm {@code "sha256"}, {@code "md5"}, or {@code "auto"} (which is MD5 here, having no hash to look
   *     at, as Keras)
   * @throws IOException when the file cannot be read
   */
  public static String hashFile(Path file, String algorithm) throws IOException {
    return hash(file, digestName(algorithm, null));
  }

  /**
   * Whether {@code file} has the hash {@code fileHash}, as Keras's {@code validate_file} (the case of the hex digits
   * does not matter).
   *
   * @param algorithm {@code "auto"} (SHA-256 for a 64-digit hash, MD5 otherwise), {@code "sha256"} or {@code "md5"}
   * @throws IOException when the file cannot be read
   */
  public static boolean validateFile(Path file, String fileHash, String algorithm) throws IOException {
    return hash(file, digestName(algorithm, fileHash)).equalsIgnoreCase(fileHash);
  }

  /**
   * Extracts a tar ({@code .tar}, {@code .tar.gz}/{@code .tgz}) or zip archive into {@code path}, as Keras's
   * {@code extract_archive}: entries whose path would leave {@code path} are skipped with a warning, as Keras does.
   * Java differences: links inside tar files are skipped with a warning (Keras recreates those that stay inside
   * {@code path}), and bzip2- or xz-compressed tar files are refused with an {@link IOException}, the JDK having no
   * decoder for them.
   *
   * @param archiveFormat {@code "auto"} (tar, then zip), {@code "tar"}, {@code "zip"}, or null (nothing is tried)
   * @return whether the file was an archive of one of the formats and was extracted
   * @throws IOException when the archive is corrupt or cannot be written out (a folder it created is removed)
   */
  public static boolean extractArchive(Path file, Path path, String archiveFormat) throws IOException {
    return Archives.extract(file, path, archiveFormat);
  }

  /** One progress line: bytes done of total, a 30-character bar and the percentage (no bar when total is unknown). */
  public static String progressLine(long done, long total) {
    if (total <= 0) {
      return String.format(Locale.ROOT, " %d bytes", done);
    }
    int width = 30;
    int filled = (int) Math.min(width, done * width / total);
    StringBuilder bar = new StringBuilder();
    for (int i = 0; i < width; i++) {
      bar.append(i < filled ? '=' : (i == filled ? '>' : '.'));
    }
    return String.format(Locale.ROOT, " %d/%d [%s] %d%%", done, total, bar, Math.min(100, done * 100 / total));
  }

  /** Copies with a progress bar redrawn at most every 0.2 s, and once more at the end. */
  private static void copy(InputStream in, OutputStream out, long total, PrintStream progress) throws IOException {
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

  /** Opens the URL: HTTP errors and unreachable hosts say so, naming the URL and the target. */
  private static URLConnection open(URI url, Path target) throws IOException {
    URLConnection connection;
    int code = 0;
    try {
      connection = url.toURL().openConnection();
      connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
      connection.setReadTimeout(READ_TIMEOUT_MS);
      connection.connect();
      if (connection instanceof HttpURLConnection http) {
        code = http.getResponseCode();
      }
    } catch (IllegalArgumentException e) {
      throw fetchFailure(url, target, new IOException(e.getMessage(), e));
    } catch (IOException e) {
      throw fetchFailure(url, target, e);
    }
    if (code >= 400) {
      HttpURLConnection http = (HttpURLConnection) connection;
      String message = http.getResponseMessage();
      http.disconnect();
      throw new IOException("URL fetch failure on " + url + ": " + code + " -- " + message + ". Could not download "
          + "it to " + target + ".");
    }
    return connection;
  }

  private static IOException fetchFailure(URI url, Path target, IOException e) {
    return new IOException("Could not download " + url + " to " + target + ": URL fetch failure: " + e + ". If this "
        + "machine has no network access, download the file elsewhere and copy it to " + target, e);
  }

  private static URI parse(String origin) {
    try {
      return new URI(origin);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("get_file: `origin` is not a valid URL: " + e.getMessage() + ". Received: "
          + "origin=" + origin, e);
    }
  }

  /** The last part of the URL's path; refused when empty, "." or "..", as Keras. */
  private static String nameFromUrl(URI uri, String origin) {
    String path = uri.getPath() != null ? uri.getPath() : uri.getSchemeSpecificPart();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("\\")) {
      throw new IllegalArgumentException("Can't parse the file name from the origin provided: '" + origin + "'. "
          + "Please specify the `fname` argument.");
    }
    return name;
  }

  /** The cache folder: the given one or the home, or {@code <tmpdir>/.keras4j} when that cannot be written. */
  private static Path cacheRoot(Path cacheDir) {
    Path base = cacheDir != null ? cacheDir : keras4jHome();
    try {
      Files.createDirectories(base);
      if (Files.isWritable(base)) {
        return base;
      }
    } catch (IOException | SecurityException e) {
      // fall through to the temporary folder, as Keras falls back to /tmp/.keras
    }
    return Path.of(System.getProperty("java.io.tmpdir"), ".keras4j");
  }

  static void checkAlgorithm(String algorithm) {
    if (algorithm == null || !(algorithm.equalsIgnoreCase("auto") || algorithm.equalsIgnoreCase("sha256")
        || algorithm.equalsIgnoreCase("md5"))) {
      throw new IllegalArgumentException("get_file: `hash_algorithm` must be \"auto\", \"sha256\" or \"md5\". "
          + "Received: hash_algorithm=" + algorithm);
    }
  }

  /** Keras's {@code resolve_hasher}: SHA-256 when asked, or for "auto" with a 64-digit hash; MD5 otherwise. */
  private static String digestName(String algorithm, String fileHash) {
    checkAlgorithm(algorithm);
    String a = algorithm.toLowerCase(Locale.ROOT);
    if (a.equals("sha256") || (a.equals("auto") && fileHash != null && fileHash.length() == 64)) {
      return "SHA-256";
    }
    return "MD5";
  }

  private static String displayName(String digestName) {
    return digestName.equals("SHA-256") ? "sha256" : "md5";
  }

  private static String hash(Path file, String digestName) throws IOException {
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), digest(digestName))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no " + name, e);
    }
  }

  /** A downloaded file whose hash is not the expected one (Keras's "Incomplete or corrupted file detected"). */
  public static final class HashMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String algorithm;
    private final String expected;
    private final String actual;

    /**
     * A mismatch for the download of {@code url} to {@code target}.
     *
     * @param algorithm "sha256" or "md5"
     */
    public HashMismatchException(String url, Path target, String algorithm, String expected, String actual) {
      super("Incomplete or corrupted file detected. The " + algorithm + " file hash of " + url + " is " + actual
          + ", which does not match the provided value of " + expected + ". Nothing was saved to " + target + ".");
      this.url = url;
      this.algorithm = algorithm;
      this.expected = expected;
      this.actual = actual;
    }

    /** The URL downloaded. */
    public String url() {
      return url;
    }

    /** "sha256" or "md5". */
    public String algorithm() {
      return algorithm;
    }

    /** The expected hash. */
    public String expected() {
      return expected;
    }

    /** The hash of what was downloaded. */
    public String actual() {
      return actual;
    }
  }
}
