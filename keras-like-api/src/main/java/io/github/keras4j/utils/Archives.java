package io.github.keras4j.utils;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The archive extraction of {@link FileUtils#extractArchive} (package-private): zip files through the JDK's
 * {@link ZipFile}, and plain or gzip-compressed tar files (ustar, GNU long names, pax paths) read here.
 */
final class Archives {

  private static final int BLOCK = 512;
  private static final System.Logger LOG = System.getLogger(Archives.class.getName());

  private Archives() {}

  static boolean extract(Path file, Path path, String archiveFormat) throws IOException {
    if (archiveFormat == null) {
      return false;
    }
    List<String> formats = archiveFormat.equals("auto") ? List.of("tar", "zip") : List.of(archiveFormat);
    for (String format : formats) {
      boolean match = switch (format) {
        case "tar" -> isTar(file);
        case "zip" -> isZip(file);
        default -> throw new IllegalArgumentException("Unknown archive format: " + format + " (expected \"tar\" or "
            + "\"zip\")");
      };
      if (match) {
        boolean existed = Files.exists(path);
        try {
          Files.createDirectories(path);
          if (format.equals("tar")) {
            extractTar(file, path.toAbsolutePath().normalize());
          } else {
            extractZip(file, path.toAbsolutePath().normalize());
          }
        } catch (IOException e) {
          cleanUp(path, existed);
          throw new IOException("Could not extract " + file + " into " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
          cleanUp(path, existed);
          throw e;
        }
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ detection

  private static byte[] head(Path file, int n) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(n);
    }
  }

  static boolean isZip(Path file) throws IOException {
    byte[] h = head(file, 4);
    return h.length == 4 && h[0] == 'P' && h[1] == 'K' && ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6));
  }

  static boolean isTar(Path file) throws IOException {
    byte[] h = head(file, 6);
    if (h.length >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') {
      throw new IOException(file + " looks like a bzip2-compressed tar file, which Keras4J cannot extract (the JDK "
          + "has no bzip2 decoder): extract it with tar -xjf");
    }
    if (h.length == 6 && (h[0] & 0xff) == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z') {
      throw new IOException(file + " looks like an xz-compressed tar file, which Keras4J cannot extract (the JDK has "
          + "no xz decoder): extract it with tar -xJf");
    }
    try (InputStream in = open(file)) {
      byte[] header = in.readNBytes(BLOCK);
      return header.length == BLOCK && validChecksum(header);
    } catch (IOException e) {
      return false;
    }
  }

  private static InputStream open(Path file) throws IOException {
    byte[] h = head(file, 2);
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (h.length == 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(raw, 1 << 16);
    }
    return raw;
  }

  /** The tar header checksum: the sum of the header's bytes with the checksum field read as spaces. */
  private static boolean validChecksum(byte[] header) {
    long stored;
    try {
      stored = number(header, 148, 8);
    } catch (NumberFormatException e) {
      return false;
    }
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    return sum == stored;
  }

  // ------------------------------------------------------------------ zip

  private static void extractZip(Path file, Path base) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        Path out = inside(base, entry.getName());
        if (out == null) {
          continue;
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ tar

  private static void extractTar(Path file, Path base) throws IOException {
    try (InputStream in = open(file)) {
      String longName = null;
      while (true) {
        byte[] header = in.readNBytes(BLOCK);
        if (header.length < BLOCK || allZero(header)) {
          return;
        }
        if (!validChecksum(header)) {
          throw new IOException("corrupt tar header (bad checksum)");
        }
        long size = number(header, 124, 12);
        char type = (char) header[156];
        String name = longName != null ? longName : entryName(header);
        longName = null;
        switch (type) {
          case 'L' -> longName = trimNul(new String(readData(in, size), StandardCharsets.UTF_8));
          case 'x' -> longName = paxPath(readData(in, size));
          case '0', '\0', '7' -> writeEntry(in, size, inside(base, name));
          case '5' -> {
            Path dir = inside(base, name);
            if (dir != null) {
              Files.createDirectories(dir);
            }
            skip(in, size);
          }
          case '1', '2' -> {
            LOG.log(System.Logger.Level.WARNING, "Skipping link during archive extraction (not supported by "
                + "Keras4J): '" + name + "'");
            skip(in, size);
          }
          default -> skip(in, size);
        }
      }
    }
  }

  private static void writeEntry(InputStream in, long size, Path out) throws IOException {
    if (out == null) {
      skip(in, size);
      return;
    }
    Files.createDirectories(out.getParent());
    try (OutputStream o = Files.newOutputStream(out)) {
      long left = size;
      byte[] buffer = new byte[1 << 16];
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("truncated tar file: " + out.getFileName() + " is cut short");
        }
        o.write(buffer, 0, n);
        left -= n;
      }
    }
    skipPadding(in, size);
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > (1 << 20)) {
      throw new IOException("tar extended header of " + size + " bytes is too large");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new IOException("truncated tar file");
    }
    skipPadding(in, size);
    return data;
  }

  private static void skip(InputStream in, long size) throws IOException {
    in.skipNBytes((size + BLOCK - 1) / BLOCK * BLOCK);
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    in.skipNBytes(pad);
  }

  /** A pax extended header's {@code path} record ({@code "<len> path=<value>\n"}), or null. */
  private static String paxPath(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 6);
      }
    }
    return null;
  }

  private static String entryName(byte[] header) {
    String name = field(header, 0, 100);
    String magic = field(header, 257, 6);
    if (magic.startsWith("ustar")) {
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static String field(byte[] header, int offset, int length) {
    return trimNul(new String(header, offset, length, StandardCharsets.UTF_8));
  }

  private static String trimNul(String s) {
    int nul = s.indexOf('\0');
    return nul >= 0 ? s.substring(0, nul) : s;
  }

  /** An octal number field, or GNU's base-256 form (first byte with the high bit set). */
  private static long number(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      long v = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        v = (v << 8) | (header[offset + i] & 0xff);
      }
      return v;
    }
    String s = new String(header, offset, length, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  private static boolean allZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Keras's {@code resolve_sub_path}: the entry's path inside {@code base}, or null (with a warning) outside it. */
  private static Path inside(Path base, String name) {
    Path out = base.resolve(name).normalize();
    if (!out.startsWith(base)) {
      LOG.log(System.Logger.Level.WARNING, "Skipping invalid path during archive extraction: '" + name + "'.");
      return null;
    }
    return out.equals(base) ? null : out;
  }

  /** Removes a folder the failed extraction created, as Keras removes the extraction path. */
  private static void cleanUp(Path path, boolean existed) throws IOException {
    if (existed || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
