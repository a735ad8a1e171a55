package io.github.keras4j.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileUtils#getFile}: downloads from a local HTTP server and {@code file:} URLs, hash checks (SHA-256 and MD5,
 * match and mismatch), the cache (hit, re-download of a bad copy, forced download), Keras's naming rules and errors,
 * and the extraction of zip and tar.gz archives.
 */
class FileUtilsTest {

  // Hashes of "abc": FIPS 180-2 appendix B.1 (SHA-256) and RFC 1321 appendix A.5 (MD5).
  private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String ABC_MD5 = "900150983cd24fb0d6963f7d28e17f72";

  @TempDir Path dir;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final ByteArrayOutputStream shown = new ByteArrayOutputStream();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = files.get(exchange.getRequestURI().getPath());
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + path;
  }

  private GetFileOptions options() {
    return new GetFileOptions().cacheDir(dir.resolve("cache")).progress(new PrintStream(shown, true));
  }

  @Test
  void downloadsIntoTheCacheOnceAndChecksTheHash() throws IOException {
    files.put("/data/abc.txt", "abc".getBytes(StandardCharsets.US_ASCII));
    Path p = FileUtils.getFile("abc.txt", url("/data/abc.txt"), options().fileHash(ABC_SHA256));
    assertEquals(dir.resolve("cache").resolve("datasets").resolve("abc.txt"), p);
    assertEquals("abc", Files.readString(p));
    assertTrue(shown.toString().startsWith("Downloading data from " + url("/data/abc.txt")), shown.toString());
    assertTrue(shown.toString().contains("3/3 [==============================] 100%"), shown.toString());
    // A cache hit: the server is not asked again (MD5 chosen by "auto" from the 32-digit hash).
    assertEquals(p, FileUtils.getFile("abc.txt", url("/data/abc.txt"), options().fileHash(ABC_MD5)));
    assertEquals(1, requests.get());
    // Without fname, the URL's last path part names the file; cacheSubdir as given.
    Path q = FileUtils.getFile(null, url("/data/abc.txt"), options().cacheSubdir("models"));
    assertEquals(dir.resolve("cache").resolve("models").resolve("abc.txt"), q);
    // forceDownload asks again even though the file is there.
    FileUtils.getFile("abc.txt", url("/data/abc.txt"), options().forceDownload(true));
    assertEquals(3, requests.get());
  }

  @Test
  void aBadDownloadSavesNothingAndABadCachedCopyIsDownloadedAgain() throws IOException {
    files.put("/abc.txt", "abc".getBytes(StandardCharsets.US_ASCII));
    String wrong = "0".repeat(64);
    FileUtils.HashMismatchException e = assertThrows(FileUtils.HashMismatchException.class,
        () -> FileUtils.getFile("abc.txt", url("/abc.txt"), options().fileHash(wrong)));
    assertTrue(e.getMessage().startsWith("Incomplete or corrupted file detected. The sha256 file hash of "
        + url("/abc.txt") + " is " + ABC_SHA256 + ", which does not match the provided value of " + wrong),
        e.getMessage());
    assertEquals(ABC_SHA256, e.actual());
    Path datasets = dir.resolve("cache").resolve("datasets");
    try (Stream<Path> left = Files.list(datasets)) {
      assertEquals(0, left.count(), "neither the file nor a temporary file is left");
    }
    // A cached copy that does not match is replaced, as Keras re-downloads it.
    Files.writeString(datasets.resolve("abc.txt"), "stale");
    Path p = FileUtils.getFile("abc.txt", url("/abc.txt"), options().fileHash(ABC_SHA256));
    assertEquals("abc", Files.readString(p));
    assertTrue(shown.toString().contains("A local file was found, but it seems to be incomplete or outdated because "
        + "the auto file hash does not match the original value of " + ABC_SHA256 + " so we will re-download the "
        + "data."), shown.toString());
    assertEquals(2, requests.get());
  }

  @Test
  void failuresNameTheUrlAndTheFile() {
    IOException e = assertThrows(IOException.class,
        () -> FileUtils.getFile("missing.bin", url("/missing.bin"), options()));
    assertTrue(e.getMessage().startsWith("URL fetch failure on " + url("/missing.bin") + ": 404 -- Not Found"),
        e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("cache").resolve("datasets").resolve("missing.bin").toString()),
        e.getMessage());
    e = assertThrows(IOException.class, () -> FileUtils.getFile("x.txt", dir.resolve("nope.txt").toUri().toString(),
        options()));
    assertTrue(e.getMessage().contains("no network access"), e.getMessage());
    assertEquals("Please specify the \"origin\" argument (URL of the file to download).",
        assertThrows(IllegalArgumentException.class, () -> FileUtils.getFile("a", null, options())).getMessage());
    assertEquals("Paths are no longer accepted as the `fname` argument. To specify the file's parent directory, use "
        + "the `cache_dir` argument. Received: fname=a/b.txt", assertThrows(IllegalArgumentException.class,
            () -> FileUtils.getFile("a/b.txt", url("/b.txt"), options())).getMessage());
    assertEquals("Can't parse the file name from the origin provided: '" + url("/dir/") + "'. Please specify the "
        + "`fname` argument.", assertThrows(IllegalArgumentException.class,
            () -> FileUtils.getFile(null, url("/dir/"), options())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GetFileOptions().hashAlgorithm("sha1"));
  }

  @Test
  void fileUrlsAndHashes() throws IOException {
    Path source = Files.writeString(dir.resolve("abc.txt"), "abc");
    assertEquals(ABC_SHA256, FileUtils.hashFile(source, "sha256"));
    assertEquals(ABC_MD5, FileUtils.hashFile(source, "md5"));
    assertTrue(FileUtils.validateFile(source, ABC_SHA256.toUpperCase(), "auto"));
    assertFalse(FileUtils.validateFile(source, ABC_SHA256, "md5"));
    Path p = FileUtils.getFile("copy.txt", source.toUri().toString(), options().fileHash(ABC_MD5)
        .hashAlgorithm("md5").cacheSubdir(dir.resolve("absolute").toString()));
    assertEquals(dir.resolve("absolute").resolve("copy.txt"), p, "an absolute cacheSubdir is used as it is");
    assertEquals("abc", Files.readString(p));
  }

  @Test
  void extractsZipFilesAsKerasNamesThem() throws IOException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("top/a.txt"));
      z.write("alpha".getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("../escape.txt"));
      z.write("no".getBytes(StandardCharsets.UTF_8));
    }
    files.put("/pack.zip", zip.toByteArray());
    // fname with an extension: saved as is, extracted into <name before the first dot>_extracted.
    Path out = FileUtils.getFile("pack.zip", url("/pack.zip"), options().extract(true));
    Path datasets = dir.resolve("cache").resolve("datasets");
    assertEquals(datasets.resolve("pack_extracted"), out);
    assertTrue(Files.isRegularFile(datasets.resolve("pack.zip")));
    assertEquals("alpha", Files.readString(out.resolve("top").resolve("a.txt")));
    assertFalse(Files.exists(datasets.resolve("escape.txt")), "an entry leaving the folder is skipped");
  }

  @Test
  void extractsTarGzFiles() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    String longName = "deep/" + "n".repeat(120) + ".txt";
    try (GZIPOutputStream gz = new GZIPOutputStream(tar)) {
      writeTarEntry(gz, "docs/", '5', new byte[0]);
      writeTarEntry(gz, "docs/readme.txt", '0', "hello tar".getBytes(StandardCharsets.UTF_8));
      writeTarEntry(gz, "././@LongLink", 'L', (longName + "\0").getBytes(StandardCharsets.UTF_8));
      writeTarEntry(gz, "ignored", '0', new byte[700]);
      gz.write(new byte[1024]);
    }
    files.put("/bundle.tgz", tar.toByteArray());
    // fname without an extension: saved as <fname>_archive, extracted into <fname>.
    Path out = FileUtils.getFile("bundle", url("/bundle.tgz"), options().extract(true));
    Path datasets = dir.resolve("cache").resolve("datasets");
    assertEquals(datasets.resolve("bundle"), out);
    assertTrue(Files.isRegularFile(datasets.resolve("bundle_archive")));
    assertEquals("hello tar", Files.readString(out.resolve("docs").resolve("readme.txt")));
    assertEquals(700, Files.size(out.resolve(longName)), "a GNU long name names the next entry");
    assertFalse(FileUtils.extractArchive(datasets.resolve("bundle_archive"), dir.resolve("none"), "zip"));
  }

  /** One ustar entry: a 512-byte header (octal fields, checksum over the header with the field as spaces), data. */
  private static void writeTarEntry(OutputStream out, String name, char type, byte[] data) throws IOException {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, n.length);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", data.length));
    put(h, 136, "00000000000");
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    out.write(h);
    out.write(data);
    out.write(new byte[(512 - data.length % 512) % 512]);
  }

  private static void put(byte[] header, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, offset, b.length);
  }
}
