package io.github.keras4j.saving;

import io.github.keras4j.graph.savedmodel.AtomicFile;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The container of a saved model: a zip file of named entries, as Keras's {@code .keras} file
 * ({@code config.json}, {@code metadata.json} and the weights).
 *
 * <p>Writing goes to a temporary file in the target's folder, flushed to disk, then moved over the target
 * (atomically where the file system can), so a reader never sees a half-written file and a failed save leaves an
 * existing file as it was. Reading checks that the file is a complete zip archive and each entry's CRC-32, and
 * reports a missing, truncated or corrupt file with its path and what is wrong, as an {@link IOException}.
 *
 * <pre>{@code
 * ModelArchive.write(path, Map.of("config.json", out -> out.write(bytes)));
 * try (ModelArchive.Reader archive = ModelArchive.open(path)) {
 *   String config = archive.text("config.json");
 * }
 * }</pre>
 */
public final class ModelArchive {

  /** The entry holding the model's architecture and compile config, as in Keras. */
  public static final String CONFIG = "config.json";
  /** The entry holding the format and library versions and the save date, as in Keras. */
  public static final String METADATA = "metadata.json";
  /** The entry holding the weights in Keras 3's HDF5 layout, as Keras names it. */
  public static final String WEIGHTS = "model.weights.h5";
  /** The weights entry of files saved by Keras4J before it wrote HDF5: the Keras4J binary weights format. */
  public static final String LEGACY_WEIGHTS = "model.weights.bin";

  /** The largest text entry read into memory (64 MiB): a corrupt size cannot exhaust the heap. */
  public static final long MAX_TEXT_BYTES = 64L << 20;

  private ModelArchive() {}

  /** Writes one entry's bytes. */
  @FunctionalInterface
  public interface EntryWriter {
    /** Writes the entry to {@code out} (not closing it). */
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes an archive of the given entries, in order, atomically.
   *
   * @throws NoSuchFileException when the target's folder does not exist
   */
  public static void write(Path file, Map<String, EntryWriter> entries) throws IOException {
    AtomicFile.write(file, tmp -> {
      try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16),
          StandardCharsets.UTF_8)) {
        zip.setLevel(Deflater.BEST_SPEED);
        for (Map.Entry<String, EntryWriter> e : entries.entrySet()) {
          zip.putNextEntry(new ZipEntry(e.getKey()));
          e.getValue().write(new FilterOutputStreamNoClose(zip));
          zip.closeEntry();
        }
      }
    });
  }

  /** Keeps entry writers from closing the zip stream. */
  private static final class FilterOutputStreamNoClose extends java.io.FilterOutputStream {
    FilterOutputStreamNoClose(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /**
   * Opens an archive for reading.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when it is not a complete zip archive (truncated, corrupt, or another kind of file)
   */
  public static Reader open(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "model file not found");
    }
    if (Files.isDirectory(file)) {
      throw new IOException("Model file " + file + " is a folder, not a saved model file (.keras)");
    }
    try {
      return new Reader(file, new ZipFile(file.toFile(), StandardCharsets.UTF_8));
    } catch (ZipException e) {
      throw new IOException("Model file " + file + " is not a complete Keras4J model file (a zip archive): it is "
          + "truncated, corrupt or of another kind (" + e.getMessage() + ")", e);
    }
  }

  /** An open archive: its entries by name. */
  public static final class Reader implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

    private Reader(Path file, ZipFile zip) {
      this.file = file;
      this.zip = zip;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        entries.put(entry.getName(), entry);
      }
    }

    /** The archive's path. */
    public Path file() {
      return file;
    }

    /** Whether the archive has the entry. */
    public boolean has(String name) {
      return entries.containsKey(name);
    }

    private ZipEntry entry(String name) throws IOException {
      ZipEntry entry = entries.get(name);
      if (entry == null) {
        throw new IOException("Model file " + file + " is corrupt or not a Keras4J model file: it has no entry '"
            + name + "' (entries: " + entries.keySet() + ")");
      }
      return entry;
    }

    /**
     * The entry's bytes, checked as {@link #stream} checks them.
     *
     * @throws IOException when the entry is missing, too large for one array, short or corrupt
     */
    public byte[] bytes(String name) throws IOException {
      long size = size(name);
      if (size > Integer.MAX_VALUE - 8) {
        throw new IOException("Entry '" + name + "' of model file " + file + " is too large to read into memory ("
            + size + " bytes)");
      }
      try (InputStream in = stream(name)) {
        return in.readAllBytes();
      }
    }

    /** The uncompressed size of an entry, as recorded in the archive. */
    public long size(String name) throws IOException {
      return entry(name).getSize();
    }

    /**
     * The entry's bytes as a stream that checks the entry's CRC-32 when it reaches the end and reports a short or
     * corrupt entry as an {@link IOException} naming the file and entry.
     */
    public InputStream stream(String name) throws IOException {
      ZipEntry entry = entry(name);
      try {
        return new Checked(zip.getInputStream(entry), entry, "Entry '" + name + "' of model file " + file);
      } catch (ZipException e) {
        throw new IOException("Entry '" + name + "' of model file " + file + " is corrupt: " + e.getMessage(), e);
      }
    }

    /** The entry as UTF-8 text, checked. */
    public String text(String name) throws IOException {
      long size = size(name);
      if (size > MAX_TEXT_BYTES) {
        throw new IOException("Entry '" + name + "' of model file " + file + " is too large for a text entry ("
            + size + " bytes)");
      }
      try (InputStream in = stream(name)) {
        byte[] bytes = in.readNBytes((int) MAX_TEXT_BYTES + 1);
        if (bytes.length > MAX_TEXT_BYTES) {
          throw new IOException("Entry '" + name + "' of model file " + file + " is too large for a text entry");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }

  /** Counts and checksums an entry's bytes; at the end, compares them with the archive's record. */
  private static final class Checked extends FilterInputStream {
    private final ZipEntry entry;
    private final String what;
    private final CRC32 crc = new CRC32();
    private long count;
    private boolean checked;

    Checked(InputStream in, ZipEntry entry, String what) {
      super(in);
      this.entry = entry;
      this.what = what;
    }

    private IOException corrupt(String problem, Exception cause) {
      return new IOException(what + " is corrupt: " + problem, cause);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (ZipException | java.io.EOFException e) {
        throw corrupt(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
      }
      if (n > 0) {
        crc.update(b, off, n);
        count += n;
      } else if (n < 0 && !checked) {
        checked = true;
        if (entry.getSize() >= 0 && count != entry.getSize()) {
          throw corrupt("it holds " + count + " bytes, the archive records " + entry.getSize(), null);
        }
        if (entry.getCrc() >= 0 && crc.getValue() != entry.getCrc()) {
          throw corrupt(String.format("CRC-32 mismatch (recorded 0x%08x, computed 0x%08x)", entry.getCrc(),
              crc.getValue()), null);
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }
  }
}
