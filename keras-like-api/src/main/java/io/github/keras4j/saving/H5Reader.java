package io.github.keras4j.saving;

import io.github.keras4j.graph.Shapes;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Reads an HDF5 file (through jhdf) as the weights files of Keras need it: groups and datasets by path, float32
 * arrays, integer scalars, and each dataset's element type for clear errors.
 *
 * <p>Paths are {@code /}-separated ({@code layers/dense_1/vars/0}). Group names holding backslashes, as Keras 2.15's
 * {@code .keras} writer produced on Windows ({@code layers\dense}), are read as nested groups ({@code layers/dense}).
 * Any problem in the file (not HDF5, truncated, a checksum mismatch) is an {@link IOException} naming the file.
 */
public final class H5Reader implements AutoCloseable {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private final HdfFile file;
  private final String source;
  /** Every node by its normalized path ("" for the root). */
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  /** Each group's member names (normalized), by the group's path. */
  private final Map<String, List<String>> members = new LinkedHashMap<>();

  private H5Reader(HdfFile file, String source) {
    this.file = file;
    this.source = source;
    members.put("", new ArrayList<>());
    index(file, "");
  }

  /** Whether {@code head} starts with HDF5's signature (the first 8 bytes of a Keras weights file). */
  public static boolean isHdf5(byte[] head) {
    return head.length >= SIGNATURE.length && Arrays.equals(Arrays.copyOf(head, SIGNATURE.length), SIGNATURE);
  }

  /** Whether {@code file} starts with HDF5's signature; false for a missing or shorter file. */
  public static boolean isHdf5(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return isHdf5(in.readNBytes(SIGNATURE.length));
    }
  }

  /**
   * Opens an HDF5 file.
   *
   * @param source names the file in messages, such as {@code "Weights file /tmp/m.weights.h5"}
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when it is not a readable HDF5 file
   */
  public static H5Reader open(Path path, String source) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "weights file not found");
    }
    if (!isHdf5(path)) {
      throw new IOException(source + " is not an HDF5 file (it does not start with HDF5's signature \\x89HDF\\r\\n"
          + "\\x1a\\n): Keras's .weights.h5 files are HDF5");
    }
    return open(() -> new HdfFile(path), source);
  }

  /** Opens HDF5 bytes held in memory (the weights entry of a {@code .keras} file), as {@link #open(Path, String)}. */
  public static H5Reader open(byte[] bytes, String source) throws IOException {
    if (!isHdf5(bytes)) {
      throw new IOException(source + " is not an HDF5 file (it does not start with HDF5's signature)");
    }
    return open(() -> HdfFile.fromBytes(bytes), source);
  }

  private interface Opener {
    HdfFile open();
  }

  private static H5Reader open(Opener opener, String source) throws IOException {
    HdfFile f = null;
    try {
      f = opener.open();
      return new H5Reader(f, source);
    } catch (RuntimeException e) { // jhdf reports a malformed file with assorted runtime exceptions
      if (f != null) {
        f.close();
      }
      throw new IOException(source + " is not a readable HDF5 file (truncated or corrupt): " + e.getMessage(), e);
    }
  }

  private void index(Group group, String path) {
    for (Node child : group.getChildren().values()) {
      // Keras 2.15 on Windows wrote "layers\dense" as one name: read it as nested groups.
      String[] parts = child.getName().split("[\\\\/]+");
      String at = path;
      for (int i = 0; i < parts.length; i++) {
        if (parts[i].isEmpty()) {
          continue;
        }
        String next = at.isEmpty() ? parts[i] : at + "/" + parts[i];
        List<String> siblings = members.computeIfAbsent(at, k -> new ArrayList<>());
        if (!siblings.contains(parts[i])) {
          siblings.add(parts[i]);
        }
        if (i < parts.length - 1) {
          members.computeIfAbsent(next, k -> new ArrayList<>());
        }
        at = next;
      }
      nodes.put(at, child);
      if (child instanceof Group g) {
        members.computeIfAbsent(at, k -> new ArrayList<>());
        index(g, at);
      }
    }
  }

  /** The file's name in messages, as given when opened. */
  public String source() {
    return source;
  }

  /** Whether {@code path} is a group (the root is {@code ""}). */
  public boolean isGroup(String path) {
    return members.containsKey(path);
  }

  /** Whether {@code path} is a dataset. */
  public boolean isDataset(String path) {
    return nodes.get(path) instanceof Dataset;
  }

  /** The member names of the group {@code path} (empty if it is not a group). */
  public List<String> members(String path) {
    return Collections.unmodifiableList(members.getOrDefault(path, List.of()));
  }

  /** Whether the group {@code path} holds a dataset at any depth. */
  public boolean holdsData(String path) {
    for (String member : members(path)) {
      String child = path.isEmpty() ? member : path + "/" + member;
      if (isDataset(child) || holdsData(child)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The string attribute {@code name} of the group or dataset {@code path} ({@code ""} for the root), or null when it
   * has none (or it is not a string).
   */
  public String attribute(String path, String name) {
    Node node = path.isEmpty() ? file : nodes.get(path);
    if (node == null) {
      return null;
    }
    try {
      io.jhdf.api.Attribute a = node.getAttribute(name);
      Object data = a == null ? null : a.getData();
      return data instanceof String s ? s : null;
    } catch (HdfException e) {
      return null;
    }
  }

  /**
   * The element type of the dataset {@code path} as numpy names it: {@code float32}, {@code float64}, {@code int64},
   * {@code uint8}, ..., or a description of another HDF5 type.
   *
   * @throws IllegalArgumentException if {@code path} is not a dataset
   */
  public String dtype(String path) {
    DataType type = dataset(path).getDataType();
    if (type instanceof FloatingPoint) {
      return "float" + type.getSize() * 8;
    }
    if (type instanceof FixedPoint f) {
      return (f.isSigned() ? "int" : "uint") + type.getSize() * 8;
    }
    return "HDF5 " + type.getClass().getSimpleName() + " of " + type.getSize() + " bytes";
  }

  /** The shape of the dataset {@code path} ({@code ()} for a scalar). */
  public Shape shape(String path) {
    Dataset d = dataset(path);
    return d.isScalar() ? Shape.scalar() : Shape.of(d.getDimensionsAsLong());
  }

  /**
   * The float32 dataset {@code path}.
   *
   * @throws IllegalArgumentException if it is not a float32 dataset
   * @throws IOException if its data cannot be read
   */
  public FloatNdArray floats(String path) throws IOException {
    String dtype = dtype(path);
    if (!dtype.equals("float32")) {
      throw new IllegalArgumentException(source + ": dataset " + path + " is " + dtype + ", expected float32");
    }
    Shape shape = shape(path);
    float[] values = new float[Math.toIntExact(shape.size())];
    if (values.length > 0) {
      Object data = read(path);
      if (data instanceof float[] flat) {
        values = flat;
      } else if (data instanceof Float f) {
        values[0] = f;
      } else {
        throw new IOException(source + ": dataset " + path + " did not read as float32 values");
      }
      if (values.length != shape.size()) {
        throw new IOException(source + " is corrupt: dataset " + path + " has " + values.length + " values for shape "
            + Shapes.format(shape));
      }
    }
    return NdArrays.wrap(shape, DataBuffers.of(values, false, false));
  }

  /**
   * The integer scalar (or one-element) dataset {@code path}, such as an optimizer's {@code iterations}.
   *
   * @throws IllegalArgumentException if it is not an integer dataset of one element
   */
  public long integer(String path) throws IOException {
    Dataset d = dataset(path);
    if (!(d.getDataType() instanceof FixedPoint) || d.getSize() != 1) {
      throw new IllegalArgumentException(source + ": dataset " + path + " is " + dtype(path) + " "
          + Shapes.format(shape(path)) + ", expected an integer scalar");
    }
    Object data = read(path);
    Object first = data.getClass().isArray() ? Array.get(data, 0) : data;
    if (first instanceof Number n) {
      return n.longValue();
    }
    throw new IOException(source + ": dataset " + path + " did not read as an integer");
  }

  private Object read(String path) throws IOException {
    Dataset d = dataset(path);
    try {
      return d.isScalar() ? d.getData() : d.getDataFlat();
    } catch (RuntimeException e) { // jhdf reports malformed data with assorted runtime exceptions
      throw new IOException(source + " is corrupt: cannot read dataset " + path + ": " + e.getMessage(), e);
    }
  }

  private Dataset dataset(String path) {
    if (!(nodes.get(path) instanceof Dataset d)) {
      throw new IllegalArgumentException(source + " has no dataset " + path);
    }
    return d;
  }

  /** Closes the file. */
  @Override
  public void close() {
    file.close();
  }
}
