package io.github.keras4j.saving;

import io.github.keras4j.graph.Shapes;
import io.jhdf.checksum.ChecksumUtils;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Writes the small subset of HDF5 that Keras 3's weights files use: nested groups, float32 datasets of any shape,
 * int64 scalars and string attributes, which h5py (and so Python Keras) and jhdf read back.
 *
 * <pre>{@code
 * H5Writer h5 = new H5Writer();
 * H5Writer.Group vars = h5.root().group("layers").group("dense").group("vars");
 * vars.attribute("name", "dense_7");
 * vars.floats("0", kernel);
 * try (OutputStream out = Files.newOutputStream(path)) {
 *   h5.write(out);
 * }
 * }</pre>
 *
 * <p>The file is laid out in one pass before it is written, so it goes to a stream front to back (a zip entry, or a
 * temporary file moved into place): the superblock (version 2), a global heap holding the attribute strings, then
 * every object depth first, each group's object header (version 2, links stored compactly in it) followed by its
 * children, each dataset's object header followed by its contiguous data. Attributes are variable-length UTF-8
 * strings, as h5py writes Python strings. Object headers and the superblock carry HDF5's Jenkins checksums.
 *
 * <p>Java differences from h5py: h5py writes superblock version 0 files with symbol-table groups; this writer uses the
 * HDF5 1.8 format (superblock 2, compact link storage), which every HDF5 library since 1.8 (2008) reads. It exists
 * because jhdf 0.13.0's writer corrupts files whose last object is a group (it writes its trailing version string
 * at the end of the last dataset's data, over a group header written after it), as Keras's layout has.
 */
public final class H5Writer {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final long UNDEFINED = -1L;
  private static final int SUPERBLOCK_SIZE = 48;
  /** The smallest global heap collection HDF5 reads (H5HG_MINSIZE). */
  private static final int MIN_HEAP_SIZE = 4096;
  private static final int HEAP_OBJECT_HEADER = 16;
  private static final int MESSAGE_HEADER = 4;
  /** "OHDR", version, flags, 4-byte chunk size; then the messages and a 4-byte checksum. */
  private static final int OBJECT_HEADER_OVERHEAD = 4 + 1 + 1 + 4 + 4;
  private static final int DATASPACE = 1;
  private static final int LINK_INFO = 2;
  private static final int DATATYPE = 3;
  private static final int FILL_VALUE = 5;
  private static final int LINK = 6;
  private static final int LAYOUT = 8;
  private static final int GROUP_INFO = 10;
  private static final int ATTRIBUTE = 12;

  private final Group root = new Group();

  /** An empty file: a root group without members. */
  public H5Writer() {}

  /** The root group. */
  public Group root() {
    return root;
  }

  /** A group: named members (groups and datasets) in insertion order, and string attributes. */
  public static final class Group {
    private final Map<String, Object> members = new LinkedHashMap<>();
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private long address;
    private byte[] header;

    private Group() {}

    /**
     * The member group {@code name}, created if absent.
     *
     * @throws IllegalArgumentException if {@code name} is empty, contains '/' or names a dataset
     */
    public Group group(String name) {
      checkName(name);
      Object member = members.computeIfAbsent(name, n -> new Group());
      if (!(member instanceof Group g)) {
        throw new IllegalArgumentException("HDF5 group member '" + name + "' is a dataset, not a group");
      }
      return g;
    }

    /** Whether the group has a member {@code name}. */
    public boolean has(String name) {
      return members.containsKey(name);
    }

    /**
     * Adds the float32 dataset {@code name} with the shape and values of {@code value} (a scalar for rank 0). The
     * values are read when the file is written.
     *
     * @throws IllegalArgumentException if the name is taken or invalid
     */
    public void floats(String name, FloatNdArray value) {
      add(name, new Dataset(value.shape().asArray(), false, value, 0));
    }

    /** Adds the int64 scalar dataset {@code name}. */
    public void int64(String name, long value) {
      add(name, new Dataset(new long[0], true, null, value));
    }

    /** Sets the string attribute {@code name}, written as h5py writes a Python {@code str}. */
    public void attribute(String name, String value) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("HDF5 attribute names must not be empty");
      }
      attributes.put(name, value);
    }

    private void add(String name, Dataset dataset) {
      checkName(name);
      if (members.putIfAbsent(name, dataset) != null) {
        throw new IllegalArgumentException("HDF5 group already has a member '" + name + "'");
      }
    }

    private static void checkName(String name) {
      if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".")) {
        throw new IllegalArgumentException("Invalid HDF5 member name '" + name + "': it must be non-empty, without '/'");
      }
    }
  }

  /** A dataset: a float32 array of any rank or an int64 scalar. */
  private static final class Dataset {
    final long[] shape;
    final boolean isInt64;
    final FloatNdArray floats;
    final long int64;
    long address;
    long dataAddress;
    long dataSize;
    byte[] header;

    Dataset(long[] shape, boolean isInt64, FloatNdArray floats, long int64) {
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("HDF5 datasets need a known shape. Received: " + Shapes.format(
              org.tensorflow.ndarray.Shape.of(shape)));
        }
      }
      this.shape = shape;
      this.isInt64 = isInt64;
      this.floats = floats;
      this.int64 = int64;
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      this.dataSize = n * (isInt64 ? 8 : 4);
    }
  }

  /**
   * Writes the file to {@code out} (flushed, not closed).
   *
   * @throws IOException when the stream fails
   */
  public void write(OutputStream out) throws IOException {
    // The attribute strings, numbered as global heap objects 1, 2, ... in first-use order.
    Map<String, Integer> strings = new LinkedHashMap<>();
    collectStrings(root, strings);
    if (strings.size() > 0xFFFF) {
      throw new IllegalArgumentException("Too many distinct attribute strings for one HDF5 global heap: "
          + strings.size());
    }
    int heapSize = strings.isEmpty() ? 0 : heapSize(strings);
    long heapAddress = strings.isEmpty() ? UNDEFINED : SUPERBLOCK_SIZE;
    long end = layout(root, SUPERBLOCK_SIZE + heapSize);
    // Second pass: the headers, now that every address is known.
    encode(root, heapAddress, strings);

    OutputStream o = new BufferedOutputStream(new NonClosing(out), 1 << 16);
    o.write(superblock(end, root.address));
    if (!strings.isEmpty()) {
      o.write(heap(strings, heapSize));
    }
    writeObjects(root, o);
    o.flush();
  }

  private static void collectStrings(Group g, Map<String, Integer> strings) {
    for (String value : g.attributes.values()) {
      strings.putIfAbsent(value, strings.size() + 1);
    }
    for (Object member : g.members.values()) {
      if (member instanceof Group child) {
        collectStrings(child, strings);
      }
    }
  }

  // ------------------------------------------------------------------ layout

  /** Assigns addresses depth first from {@code at}; returns the end. Header sizes do not depend on addresses. */
  private static long layout(Group g, long at) {
    g.address = at;
    long next = at + groupHeaderSize(g);
    for (Object member : g.members.values()) {
      if (member instanceof Group child) {
        next = layout(child, next);
      } else {
        Dataset d = (Dataset) member;
        d.address = next;
        next += datasetHeaderSize(d);
        d.dataAddress = d.dataSize == 0 ? UNDEFINED : next;
        next += d.dataSize;
      }
    }
    return next;
  }

  private static int groupHeaderSize(Group g) {
    int size = OBJECT_HEADER_OVERHEAD + MESSAGE_HEADER + 18 + MESSAGE_HEADER + 2;
    for (String name : g.members.keySet()) {
      size += MESSAGE_HEADER + linkMessage(name, 0).length;
    }
    for (String name : g.attributes.keySet()) {
      size += MESSAGE_HEADER + attributeMessage(name, 0, 0, 0).length;
    }
    return size;
  }

  private static int datasetHeaderSize(Dataset d) {
    return OBJECT_HEADER_OVERHEAD + MESSAGE_HEADER + dataspace(d.shape).length + MESSAGE_HEADER
        + (d.isInt64 ? int64Type() : float32Type()).length + MESSAGE_HEADER + 2 + MESSAGE_HEADER + 18;
  }

  private static void encode(Group g, long heapAddress, Map<String, Integer> strings) {
    List<byte[]> messages = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    // Link info: no creation order, no dense storage (fractal heap and name index undefined).
    ByteBuffer linkInfo = le(18).put((byte) 0).put((byte) 0).putLong(UNDEFINED).putLong(UNDEFINED);
    add(messages, types, LINK_INFO, linkInfo.array());
    add(messages, types, GROUP_INFO, new byte[] {0, 0});
    for (Map.Entry<String, Object> e : g.members.entrySet()) {
      long address = e.getValue() instanceof Group child ? child.address : ((Dataset) e.getValue()).address;
      add(messages, types, LINK, linkMessage(e.getKey(), address));
    }
    for (Map.Entry<String, String> e : g.attributes.entrySet()) {
      add(messages, types, ATTRIBUTE, attributeMessage(e.getKey(), heapAddress, strings.get(e.getValue()),
          e.getValue().getBytes(StandardCharsets.UTF_8).length));
    }
    g.header = objectHeader(messages, types);
    for (Object member : g.members.values()) {
      if (member instanceof Group child) {
        encode(child, heapAddress, strings);
      } else {
        Dataset d = (Dataset) member;
        List<byte[]> dm = new ArrayList<>();
        List<Integer> dt = new ArrayList<>();
        add(dm, dt, DATASPACE, dataspace(d.shape));
        add(dm, dt, DATATYPE, d.isInt64 ? int64Type() : float32Type());
        // Fill value version 3: allocation late, fill written if set, default (zero) value; as h5py's datasets.
        add(dm, dt, FILL_VALUE, new byte[] {3, 0x0A});
        ByteBuffer layout = le(18).put((byte) 3).put((byte) 1).putLong(d.dataAddress).putLong(d.dataSize);
        add(dm, dt, LAYOUT, layout.array());
        d.header = objectHeader(dm, dt);
      }
    }
  }

  private static void add(List<byte[]> messages, List<Integer> types, int type, byte[] body) {
    messages.add(body);
    types.add(type);
  }

  private static void writeObjects(Group g, OutputStream out) throws IOException {
    out.write(g.header);
    for (Object member : g.members.values()) {
      if (member instanceof Group child) {
        writeObjects(child, out);
      } else {
        Dataset d = (Dataset) member;
        out.write(d.header);
        writeData(d, out);
      }
    }
  }

  private static void writeData(Dataset d, OutputStream out) throws IOException {
    if (d.isInt64) {
      out.write(le(8).putLong(d.int64).array());
      return;
    }
    if (d.dataSize == 0) {
      return;
    }
    float[] values = new float[Math.toIntExact(d.floats.size())];
    d.floats.copyTo(DataBuffers.of(values, false, false));
    ByteBuffer chunk = le(1 << 16);
    for (float v : values) {
      if (!chunk.hasRemaining()) {
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
      }
      chunk.putFloat(v);
    }
    out.write(chunk.array(), 0, chunk.position());
  }

  // ------------------------------------------------------------------ encodings

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] superblock(long end, long rootAddress) {
    ByteBuffer b = le(SUPERBLOCK_SIZE);
    b.put(SIGNATURE).put((byte) 2).put((byte) 8).put((byte) 8).put((byte) 0);
    b.putLong(0).putLong(UNDEFINED).putLong(end).putLong(rootAddress);
    b.putInt(checksum(b.array(), SUPERBLOCK_SIZE - 4));
    return b.array();
  }

  /** An object header, version 2: "OHDR", version 2, flags (4-byte chunk size), the messages, the checksum. */
  private static byte[] objectHeader(List<byte[]> messages, List<Integer> types) {
    int body = 0;
    for (byte[] m : messages) {
      body += MESSAGE_HEADER + m.length;
    }
    ByteBuffer b = le(OBJECT_HEADER_OVERHEAD + body);
    b.put((byte) 'O').put((byte) 'H').put((byte) 'D').put((byte) 'R').put((byte) 2).put((byte) 2).putInt(body);
    for (int i = 0; i < messages.size(); i++) {
      byte[] m = messages.get(i);
      // Datatype messages are marked constant, as the HDF5 library marks them.
      b.put(types.get(i).byteValue()).putShort((short) m.length).put((byte) (types.get(i) == DATATYPE ? 1 : 0));
      b.put(m);
    }
    b.putInt(checksum(b.array(), b.capacity() - 4));
    return b.array();
  }

  /** A link message (version 1) for a hard link to {@code address}. */
  private static byte[] linkMessage(String name, long address) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    boolean ascii = n.length == name.length();
    boolean shortName = n.length < 256;
    int flags = (shortName ? 0 : 1) | (ascii ? 0 : 0x10);
    ByteBuffer b = le(2 + (ascii ? 0 : 1) + (shortName ? 1 : 2) + n.length + 8);
    b.put((byte) 1).put((byte) flags);
    if (!ascii) {
      b.put((byte) 1);
    }
    if (shortName) {
      b.put((byte) n.length);
    } else {
      b.putShort((short) n.length);
    }
    return b.put(n).putLong(address).array();
  }

  /** An attribute message (version 3) of a scalar variable-length UTF-8 string held in the global heap. */
  private static byte[] attributeMessage(String name, long heapAddress, int heapIndex, int valueBytes) {
    byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] type = vlenStringType();
    byte[] space = dataspace(new long[0]);
    ByteBuffer b = le(1 + 1 + 2 + 2 + 2 + 1 + n.length + type.length + space.length + 16);
    b.put((byte) 3).put((byte) 0).putShort((short) n.length).putShort((short) type.length)
        .putShort((short) space.length).put((byte) 1);
    b.put(n).put(type).put(space);
    // The value: its byte length, then the heap collection's address and the object's index there.
    return b.putInt(valueBytes).putLong(heapAddress).putInt(heapIndex).array();
  }

  /** A dataspace message, version 2: scalar for rank 0, else simple with the dimensions. */
  private static byte[] dataspace(long[] shape) {
    ByteBuffer b = le(4 + 8 * shape.length);
    b.put((byte) 2).put((byte) shape.length).put((byte) 0).put((byte) (shape.length == 0 ? 0 : 1));
    for (long d : shape) {
      b.putLong(d);
    }
    return b.array();
  }

  /** IEEE float32, little-endian (HDF5's H5T_IEEE_F32LE). */
  private static byte[] float32Type() {
    ByteBuffer b = le(20);
    b.put((byte) 0x11).put((byte) 0x20).put((byte) 31).put((byte) 0).putInt(4);
    b.putShort((short) 0).putShort((short) 32).put((byte) 23).put((byte) 8).put((byte) 0).put((byte) 23).putInt(127);
    return b.array();
  }

  /** Signed 64-bit integer, little-endian (H5T_STD_I64LE). */
  private static byte[] int64Type() {
    ByteBuffer b = le(12);
    b.put((byte) 0x10).put((byte) 0x08).put((byte) 0).put((byte) 0).putInt(8);
    b.putShort((short) 0).putShort((short) 64);
    return b.array();
  }

  /** A variable-length, null-terminated UTF-8 string of unsigned bytes, as h5py's string type. */
  private static byte[] vlenStringType() {
    ByteBuffer b = le(20);
    b.put((byte) 0x19).put((byte) 0x01).put((byte) 0x01).put((byte) 0).putInt(16);
    b.put((byte) 0x10).put((byte) 0).put((byte) 0).put((byte) 0).putInt(1).putShort((short) 0).putShort((short) 8);
    return b.array();
  }

  private static int heapSize(Map<String, Integer> strings) {
    int size = HEAP_OBJECT_HEADER;
    for (String s : strings.keySet()) {
      size += HEAP_OBJECT_HEADER + align8(s.getBytes(StandardCharsets.UTF_8).length);
    }
    // Room for the free-space object, then at least HDF5's minimum collection size.
    return Math.max(MIN_HEAP_SIZE, align8(size + HEAP_OBJECT_HEADER));
  }

  /** The global heap collection: "GCOL", version 1, its size, the strings as objects 1..n, then the free space. */
  private static byte[] heap(Map<String, Integer> strings, int size) {
    ByteBuffer b = le(size);
    b.put((byte) 'G').put((byte) 'C').put((byte) 'O').put((byte) 'L').put((byte) 1).put(new byte[3]).putLong(size);
    for (Map.Entry<String, Integer> e : strings.entrySet()) {
      byte[] s = e.getKey().getBytes(StandardCharsets.UTF_8);
      b.putShort(e.getValue().shortValue()).putShort((short) 0).putInt(0).putLong(s.length);
      b.put(s).position(b.position() + align8(s.length) - s.length);
    }
    // Object 0, the free space: its size counts its own header.
    int free = size - b.position();
    b.putShort((short) 0).putShort((short) 0).putInt(0).putLong(free);
    return b.array();
  }

  private static int align8(int n) {
    return (n + 7) & ~7;
  }

  private static int checksum(byte[] bytes, int length) {
    byte[] covered = new byte[length];
    System.arraycopy(bytes, 0, covered, 0, length);
    return ChecksumUtils.checksum(covered);
  }

  /** Keeps the buffered stream from closing the caller's stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
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
}
